//! Storing questionnaire responses with group commit: the responses that arrive while one transaction is being
//! committed are stored together in the next, under one commit (one fsync on SQLite) and one advance of the audit
//! chain's head. Alone, a response waits for one short transaction of its own, as before. Each caller is answered
//! only once its response is durable.
//!
//! A response that is refused (its client is not in the actor's scope, its assessment is no longer due) is refused
//! before anything of it is written, and the others in the transaction are stored as usual. If the transaction
//! itself fails, nothing of it is kept, and each of its responses is tried again in a transaction of its own, so one
//! response's failure never becomes another's.

use std::sync::Arc;

use ferd_core::Instrument;
use sqlx::any::AnyRow;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Row};
use tokio::sync::{mpsc, oneshot, Mutex};

use crate::audit::{event_statements, NewEvent};
use crate::records::{client_scope, invalid, not_found, NOTE_OUTCOME_END};
use crate::statements::{self, Stmt};
use crate::workspace::{response_alerts, INSERT_ALERT};
use crate::{new_id, Actor, Backend, StoreError, StoredResponse};

/// Responses stored in one transaction at most.
const MAX_BATCH: usize = 64;

/// A checked, scored response to store.
pub(crate) struct NewResponse {
    pub actor: Actor,
    pub client_id: String,
    pub assessment_id: Option<String>,
    pub instrument: &'static Instrument,
    pub answers: Vec<Option<i64>>,
    pub answers_json: String,
    pub total: i64,
    pub summary: serde_json::Value,
    pub authored_at: i64,
    pub id: String,
}

/// A response waiting to be stored, and where its caller waits for the result.
pub(crate) struct PendingResponse {
    pub response: NewResponse,
    pub done: oneshot::Sender<Result<StoredResponse, StoreError>>,
}

/// Takes what is queued (up to [`MAX_BATCH`]), stores it in one transaction and answers each caller.
pub(crate) async fn run_response_writer(
    pool: AnyPool,
    backend: Backend,
    write_lock: Option<Arc<Mutex<()>>>,
    mut queue: mpsc::UnboundedReceiver<PendingResponse>,
) {
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(p) => batch.push(p),
                Err(_) => break,
            }
        }
        let (responses, waiting): (Vec<_>, Vec<_>) =
            batch.into_iter().map(|p| (p.response, p.done)).unzip();
        let responses = Arc::new(responses);
        let all = 0..responses.len();
        match isolated(&pool, backend, &write_lock, &responses, all).await {
            Ok(results) => {
                for (done, r) in waiting.into_iter().zip(results) {
                    let _ = done.send(r);
                }
            }
            Err(e) if responses.len() == 1 => {
                if let Some(done) = waiting.into_iter().next() {
                    let _ = done.send(Err(e));
                }
            }
            Err(_) => {
                // Nothing of the failed transaction was kept; each response now gets a transaction of its own and
                // its own answer.
                for (i, done) in waiting.into_iter().enumerate() {
                    let r = match isolated(&pool, backend, &write_lock, &responses, i..i + 1).await
                    {
                        Ok(mut results) => results.pop().unwrap_or_else(|| {
                            Err(StoreError::Database("the response was not stored".into()))
                        }),
                        Err(e) => Err(e),
                    };
                    let _ = done.send(r);
                }
            }
        }
    }
}

/// [`store_batch`] for `responses[range]` in a task of its own, so that a panic (a bug) fails these responses
/// rather than stopping the writer, and with it every later response, for the life of the process.
async fn isolated(
    pool: &AnyPool,
    backend: Backend,
    write_lock: &Option<Arc<Mutex<()>>>,
    responses: &Arc<Vec<NewResponse>>,
    range: std::ops::Range<usize>,
) -> BatchResult {
    let (pool, write_lock, responses) = (pool.clone(), write_lock.clone(), responses.clone());
    tokio::spawn(async move { store_batch(&pool, backend, &write_lock, &responses[range]).await })
        .await
        .unwrap_or_else(|_| {
            Err(StoreError::Database(
                "storing the response failed unexpectedly".into(),
            ))
        })
}

/// A pooled SQLite connection inside a transaction begun with a plain `BEGIN`, which sqlx does not track. Ended
/// with [`RawTransaction::ended`] after its `COMMIT` or `ROLLBACK`, the connection goes back to the pool; dropped
/// otherwise (a panic, or the runtime shutting down mid-transaction), the connection is closed, which ends the
/// transaction, rather than handed to the next user with it still open.
struct RawTransaction {
    conn: Option<PoolConnection<Any>>,
}

impl RawTransaction {
    fn conn(&mut self) -> &mut AnyConnection {
        self.conn.as_mut().expect("a transaction not yet ended")
    }

    /// The transaction was committed or rolled back: the connection may go back to the pool.
    fn ended(mut self) {
        self.conn.take();
    }
}

impl Drop for RawTransaction {
    fn drop(&mut self) {
        if let Some(mut conn) = self.conn.take() {
            conn.close_on_drop();
        }
    }
}

/// Each response's own result: stored, or refused with nothing written.
type Results = Vec<Result<StoredResponse, StoreError>>;

/// The answer of [`store_batch`]: each response's own result, or (outer error) the transaction failed and nothing
/// was kept.
type BatchResult = Result<Results, StoreError>;

/// Stores `batch` in one transaction, in two calls to the database on SQLite whatever its size: the first reserves
/// places in the audit chain and reads what the responses are judged on (each client in its actor's scope, each
/// assessment still due and now completed, each client's first response to the instrument); the second writes the
/// responses, their outcome bookkeeping, alerts and audit events, and commits. On PostgreSQL the same statements run
/// one by one in a transaction.
async fn store_batch(
    pool: &AnyPool,
    backend: Backend,
    write_lock: &Option<Arc<Mutex<()>>>,
    batch: &[NewResponse],
) -> BatchResult {
    let _turn = match write_lock {
        Some(lock) => Some(lock.clone().lock_owned().await),
        None => None,
    };
    let now = crate::now_ms();
    let checks = check_statements(batch, now);
    match backend {
        Backend::Sqlite => {
            let mut tx = RawTransaction {
                conn: Some(pool.acquire().await?),
            };
            let done = async {
                let mut first = vec![Stmt::new("BEGIN IMMEDIATE")];
                first.extend(checks);
                let rows = statements::run(tx.conn(), &first, true).await?;
                let (results, mut writes) = judge(batch, &rows, now)?;
                writes.push(Stmt::new("COMMIT"));
                statements::run(tx.conn(), &writes, true).await?;
                Ok(results)
            }
            .await;
            // Whatever ran of a failed transaction is undone. A connection that cannot say so is closed (by
            // dropping the transaction unended), not reused.
            if done.is_ok() || sqlx::query("ROLLBACK").execute(tx.conn()).await.is_ok() {
                tx.ended();
            }
            done
        }
        Backend::Postgres => {
            let mut tx = pool.begin().await?;
            let rows = statements::run(&mut tx, &checks, false).await?;
            let (results, writes) = judge(batch, &rows, now)?;
            statements::run(&mut tx, &writes, false).await?;
            tx.commit().await?;
            Ok(results)
        }
    }
}

/// Every row the checks give: (what, which response, a number, two texts).
const HEAD: &str = "head";
const CLIENT: &str = "client";
const COMPLETED: &str = "completed";
const ASSESSMENT: &str = "assessment";
const BASELINE: &str = "baseline";

/// The statements that reserve the audit places and read what each response is judged on. Each row they give
/// starts with its kind and the response's place in the batch.
fn check_statements(batch: &[NewResponse], now: i64) -> Vec<Stmt> {
    let mut stmts = vec![Stmt::new(format!(
        "UPDATE audit_head SET seq = seq + $1 WHERE id = 1 \
         RETURNING '{HEAD}', CAST(-1 AS BIGINT), seq, hash, hash"
    ))
    .int(batch.len() as i64)];
    for (i, p) in batch.iter().enumerate() {
        let (scope, scope_args) = client_scope(&p.actor, 2);
        stmts.push(
            Stmt::new(format!(
                "SELECT '{CLIENT}', CAST({i} AS BIGINT), CAST(0 AS BIGINT), c.id, c.id FROM clients c \
                 WHERE c.id = $1 AND {scope}"
            ))
            .text(&p.client_id)
            .texts(scope_args),
        );
        if let Some(a) = &p.assessment_id {
            // Completing the assessment and checking it was still due is one statement, so two submissions of the
            // same form (a double click, two tabs) cannot both be stored. It completes nothing outside the actor's
            // scope.
            let (scope, scope_args) = client_scope(&p.actor, 5);
            stmts.push(
                Stmt::new(format!(
                    "UPDATE assessments SET status = 'completed', updated_at = $1 \
                     WHERE id = $2 AND client_id = $3 AND instrument = $4 AND status = 'due' \
                     AND EXISTS (SELECT 1 FROM clients c WHERE c.id = $3 AND {scope}) \
                     RETURNING '{COMPLETED}', CAST({i} AS BIGINT), CAST(0 AS BIGINT), id, id"
                ))
                .int(now)
                .text(a)
                .text(&p.client_id)
                .text(&p.instrument.id)
                .texts(scope_args),
            );
            stmts.push(
                Stmt::new(format!(
                    "SELECT '{ASSESSMENT}', CAST({i} AS BIGINT), CAST(0 AS BIGINT), id, id FROM assessments \
                     WHERE id = $1 AND client_id = $2 AND instrument = $3"
                ))
                .text(a)
                .text(&p.client_id)
                .text(&p.instrument.id),
            );
        }
        stmts.push(
            Stmt::new(format!(
                "SELECT '{BASELINE}', CAST({i} AS BIGINT), authored_at, answers, id FROM responses \
                 WHERE client_id = $1 AND instrument = $2 ORDER BY authored_at, id LIMIT 1"
            ))
            .text(&p.client_id)
            .text(&p.instrument.id),
        );
    }
    stmts
}

/// A response's first answer to its instrument so far: (authored at, id, answers).
type Baseline = (i64, String, String);

/// Judges each response from the rows of the checks and gives each its result, with the statements that store the
/// accepted ones and their audit events and set the chain's head. A refused response has nothing written.
fn judge(
    batch: &[NewResponse],
    rows: &[AnyRow],
    now: i64,
) -> Result<(Results, Vec<Stmt>), StoreError> {
    let mut head = None;
    let mut in_scope = vec![false; batch.len()];
    let mut completed = vec![false; batch.len()];
    let mut assessment_exists = vec![false; batch.len()];
    let mut baselines: Vec<Option<Baseline>> = vec![None; batch.len()];
    for row in rows {
        let kind: String = row.try_get(0)?;
        let item: i64 = row.try_get(1)?;
        if kind == HEAD {
            head = Some((row.try_get::<i64, _>(2)?, row.try_get::<String, _>(3)?));
            continue;
        }
        let i = usize::try_from(item)
            .ok()
            .filter(|i| *i < batch.len())
            .ok_or_else(|| StoreError::Database(format!("a check answered for response {item}")))?;
        match kind.as_str() {
            CLIENT => in_scope[i] = true,
            COMPLETED => completed[i] = true,
            ASSESSMENT => assessment_exists[i] = true,
            BASELINE => {
                baselines[i] = Some((row.try_get(2)?, row.try_get(4)?, row.try_get(3)?));
            }
            other => {
                return Err(StoreError::Database(format!("unknown check row {other}")));
            }
        }
    }
    let (last_seq, prev_hash) =
        head.ok_or_else(|| StoreError::Database("the audit chain has no head".into()))?;
    let first_seq = last_seq - batch.len() as i64 + 1;
    let mut results = Vec::with_capacity(batch.len());
    let mut writes = Vec::new();
    for (i, p) in batch.iter().enumerate() {
        if !in_scope[i] {
            results.push(Err(not_found("client")));
            continue;
        }
        if p.assessment_id.is_some() && !completed[i] {
            results.push(Err(if assessment_exists[i] {
                invalid(
                    "assessment",
                    "is no longer due (already answered or cancelled)",
                )
            } else {
                not_found("assessment")
            }));
            continue;
        }
        // The client's first response to the instrument: the one stored before, or an earlier one stored in this
        // batch, whichever was authored first (ties by id, as the report orders them).
        let mut baseline = baselines[i].clone();
        for (q, r) in batch[..i].iter().zip(&results) {
            if r.is_ok()
                && q.client_id == p.client_id
                && q.instrument.id == p.instrument.id
                && baseline
                    .as_ref()
                    .is_none_or(|(at, id, _)| (q.authored_at, &q.id) < (*at, id))
            {
                baseline = Some((q.authored_at, q.id.clone(), q.answers_json.clone()));
            }
        }
        writes.push(
            Stmt::new(
                "INSERT INTO responses (id, client_id, assessment_id, instrument, instrument_version, answers, total, summary, authored_at, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .text(&p.id)
            .text(&p.client_id)
            .maybe_text(p.assessment_id.clone())
            .text(&p.instrument.id)
            .text(&p.instrument.version)
            .text(&p.answers_json)
            .int(p.total)
            .text(p.summary.to_string())
            .int(p.authored_at)
            .int(now)
            .int(now),
        );
        writes.push(
            Stmt::new(NOTE_OUTCOME_END)
                .text(&p.client_id)
                .text(&p.instrument.id)
                .text(&p.id)
                .int(p.authored_at)
                .text(&p.answers_json)
                .int(now),
        );
        let alerts = response_alerts(
            p.instrument,
            &p.answers,
            baseline.as_ref().map(|(_, _, answers)| answers.as_str()),
        )?;
        for kind in alerts {
            writes.push(
                Stmt::new(INSERT_ALERT)
                    .text(new_id())
                    .text(&p.client_id)
                    .text(kind)
                    .text(&p.id)
                    .text(&p.instrument.id)
                    .int(p.authored_at)
                    .int(now)
                    .int(now),
            );
        }
        results.push(Ok(StoredResponse {
            id: p.id.clone(),
            client_id: p.client_id.clone(),
            assessment_id: p.assessment_id.clone(),
            instrument: p.instrument.id.clone(),
            instrument_version: p.instrument.version.clone(),
            answers: p.answers.clone(),
            total: p.total,
            summary: p.summary.clone(),
            authored_at: p.authored_at,
        }));
    }
    let events: Vec<NewEvent> = batch
        .iter()
        .zip(&results)
        .filter(|(_, r)| r.is_ok())
        .map(|(p, _)| NewEvent {
            actor: &p.actor,
            action: "create",
            entity: "response",
            entity_id: &p.id,
        })
        .collect();
    writes.extend(event_statements(first_seq, prev_hash, &events));
    Ok((results, writes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Keyring, NewClient, NewUser, Role, Store, StoreOptions};
    use ferd_core::Catalogue;

    fn pending(actor: &Actor, client_id: &str, answers: Vec<Option<i64>>, at: i64) -> NewResponse {
        let instrument = Catalogue::builtin().require("phq-9").unwrap();
        let response = instrument.response(&answers).unwrap();
        NewResponse {
            actor: actor.clone(),
            client_id: client_id.to_string(),
            assessment_id: None,
            instrument,
            answers_json: serde_json::to_string(&answers).unwrap(),
            total: i64::from(response.score().total()),
            summary: serde_json::to_value(response.score().summary()).unwrap(),
            answers,
            authored_at: at,
            id: new_id(),
        }
    }

    /// One batch, in a fixed order: a first PHQ-9 (total 0), a response for a client outside the actor's practice,
    /// and a second PHQ-9 for the same client (total 16). The second is judged against the first, stored earlier in
    /// the same transaction: a rise of 16 points is reliable deterioration (ferd-core's PHQ-9 reliable change index
    /// is far smaller), so it raises that alert; nothing of the refused one is written, and the chain has exactly the
    /// two events, without a gap where the third place was reserved.
    #[tokio::test]
    async fn a_batch_judges_each_response_on_those_before_it_and_skips_the_refused() {
        let store = Store::open(
            "sqlite::memory:",
            Keyring::generate().unwrap(),
            StoreOptions::default(),
        )
        .await
        .unwrap();
        let system = Actor::system("test");
        let practice = store.create_practice(&system, "P").await.unwrap();
        let other = store.create_practice(&system, "Q").await.unwrap();
        let admin_of = |p: &str, email: &str| NewUser {
            practice_id: Some(p.to_string()),
            email: email.into(),
            display_name: email.into(),
            role: Role::Admin,
            practice_admin: true,
            password_hash: None,
        };
        let admin = store
            .create_user(&system, admin_of(&practice.id, "a@p.no"))
            .await
            .unwrap();
        let admin = Actor {
            user_id: admin.id,
            role: Role::Admin,
            practice_id: Some(practice.id.clone()),
            practice_admin: true,
            client_id: None,
            request_id: "r".into(),
        };
        let other_admin = store
            .create_user(&system, admin_of(&other.id, "a@q.no"))
            .await
            .unwrap();
        let other_admin = Actor {
            user_id: other_admin.id,
            practice_id: Some(other.id.clone()),
            ..admin.clone()
        };
        let client = store
            .create_client(
                &admin,
                NewClient {
                    name: "Kari".into(),
                    preferred_language: "nb".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let before = store.verify_audit().await.unwrap().unwrap();
        let batch = vec![
            pending(&admin, &client.id, vec![Some(0); 9], 1_000),
            pending(&other_admin, &client.id, vec![Some(1); 9], 1_500),
            pending(
                &admin,
                &client.id,
                [vec![Some(2); 8], vec![Some(0)]].concat(),
                2_000,
            ),
        ];
        let results = store_batch(&store.pool, Backend::Sqlite, &store.write_lock, &batch)
            .await
            .unwrap();
        assert!(results[0].is_ok());
        assert!(matches!(
            results[1],
            Err(StoreError::NotFound { entity: "client" })
        ));
        assert_eq!(results[2].as_ref().unwrap().total, 16);
        assert_eq!(store.verify_audit().await.unwrap().unwrap(), before + 2);
        let stored = store.responses(&admin, &client.id).await.unwrap();
        let ids: Vec<&str> = stored.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, [batch[0].id.as_str(), batch[2].id.as_str()]);
        let alerts = store.client_alerts(&admin, &client.id).await.unwrap();
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].kind, "reliable-deterioration");
        assert_eq!(alerts[0].source_id, batch[2].id);
    }

    /// A transaction begun with a plain `BEGIN` and dropped before its end (as by a panic) must not reach the next
    /// user of the pool still open: its connection is closed, which ends it and frees SQLite's write lock, so other
    /// writers proceed. Handed back open, the next writer would wait out the busy timeout and fail, or start its
    /// transaction inside the abandoned one.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_abandoned_transaction_does_not_reach_the_pool() {
        let dir = std::env::temp_dir().join(format!("ferd-rawtx-{}", new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}", dir.join("ferd.db").display());
        let store = Store::open(&url, Keyring::generate().unwrap(), StoreOptions::default())
            .await
            .unwrap();
        for _ in 0..3 {
            let mut tx = RawTransaction {
                conn: Some(store.pool.acquire().await.unwrap()),
            };
            sqlx::query("BEGIN IMMEDIATE")
                .execute(tx.conn())
                .await
                .unwrap();
            sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1")
                .execute(tx.conn())
                .await
                .unwrap();
            drop(tx);
        }
        // Every connection of the pool, taken at once, can write.
        let mut conns = Vec::new();
        for _ in 0..8 {
            conns.push(store.pool.acquire().await.unwrap());
        }
        for conn in &mut conns {
            sqlx::query("BEGIN IMMEDIATE; UPDATE audit_head SET seq = seq WHERE id = 1; COMMIT")
                .execute(&mut **conn)
                .await
                .unwrap();
        }
        drop(conns);
        store.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }
}

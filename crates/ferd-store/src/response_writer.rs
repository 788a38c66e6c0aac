//! Storing questionnaire responses with group commit: the responses that arrive while one transaction is being
//! committed are stored together in the next, under one commit (one fsync on SQLite) and one advance of the audit
//! chain's head. Alone, a response waits for one short transaction of its own, as before. Each caller is answered
//! only once its response is durable.
//!
//! A response that is refused (its client is not in the actor's scope, its assessment is no longer due) is refused
//! before anything of it is written, and the others in the transaction are stored as usual. If the transaction
//! itself fails, nothing of it is kept, and each of its responses is tried again in a transaction of its own, so one
//! response's failure never becomes another's.
//!
//! The writer is a thread of its own. On SQLite it holds its own connection to the database file (rusqlite, on the
//! same SQLite library as sqlx) and runs each transaction there from start to end: sqlx's SQLite driver runs every
//! connection on a thread of its own, so each statement sent through it costs a hand-off between threads and back,
//! and on a virtual machine those hand-offs cost more than the statements. A response then costs two hand-offs: to
//! this thread and back to its caller. On PostgreSQL the thread runs the same statements through the pool.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use ferd_core::Instrument;
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};
use tokio::sync::{mpsc, oneshot, Mutex};

use crate::audit::{event_statements, NewEvent};
use crate::records::{client_scope, invalid, not_found, NOTE_OUTCOME_END};
use crate::statements::{self, Stmt};
use crate::workspace::{response_alerts, INSERT_ALERT};
use crate::{new_id, Actor, StoreError, StoredResponse};

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

/// Where the writer stores responses.
pub(crate) enum WriterDatabase {
    /// A SQLite file, through the writer's own connection.
    Sqlite(SqliteWriter),
    /// PostgreSQL, through the store's pool, driven from the writer's thread on the store's runtime.
    Postgres {
        pool: AnyPool,
        runtime: tokio::runtime::Handle,
    },
}

/// The writer's own connection to a SQLite database file, opened as the pool opens its connections.
pub(crate) struct SqliteWriter {
    conn: rusqlite::Connection,
    path: PathBuf,
    synchronous: &'static str,
}

/// Prepared statements kept on the writer's connection: a response's checks and writes come in a few shapes each,
/// and the INSERT of a batch's audit events in one per batch size.
const KEPT_PREPARED: usize = 128;

impl SqliteWriter {
    /// Opens the database file at `path` with the pool's settings (WAL, `synchronous`, foreign keys, a 5 s busy
    /// timeout). The database must already exist and be migrated.
    pub(crate) fn open(path: &Path, synchronous: &'static str) -> Result<SqliteWriter, StoreError> {
        let conn = rusqlite::Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        conn.execute_batch(&format!(
            "PRAGMA synchronous = {synchronous}; PRAGMA foreign_keys = ON"
        ))?;
        conn.set_prepared_statement_cache_capacity(KEPT_PREPARED);
        Ok(SqliteWriter {
            conn,
            path: path.to_path_buf(),
            synchronous,
        })
    }

    /// Makes sure the connection is outside any transaction, as after a failed or interrupted batch: rolls back what
    /// is open, and if that fails, opens the connection anew (closing the old one ends its transaction).
    fn settle(&mut self) -> Result<(), StoreError> {
        if self.conn.is_autocommit() || self.conn.execute_batch("ROLLBACK").is_ok() {
            return Ok(());
        }
        *self = SqliteWriter::open(&self.path, self.synchronous)?;
        Ok(())
    }
}

/// Starts the writer on a thread of its own. It ends when every sender of `queue` is gone.
pub(crate) fn start(
    database: WriterDatabase,
    write_lock: Option<Arc<Mutex<()>>>,
    queue: mpsc::UnboundedReceiver<PendingResponse>,
) -> Result<(), StoreError> {
    std::thread::Builder::new()
        .name("ferd-responses".into())
        .spawn(move || run(database, write_lock, queue))
        .map(|_| ())
        .map_err(|e| StoreError::Database(format!("cannot start the response writer: {e}")))
}

/// Takes what is queued (up to [`MAX_BATCH`]), stores it in one transaction and answers each caller.
fn run(
    mut database: WriterDatabase,
    write_lock: Option<Arc<Mutex<()>>>,
    mut queue: mpsc::UnboundedReceiver<PendingResponse>,
) {
    while let Some(first) = queue.blocking_recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(p) => batch.push(p),
                Err(_) => break,
            }
        }
        let (responses, waiting): (Vec<_>, Vec<_>) =
            batch.into_iter().map(|p| (p.response, p.done)).unzip();
        match database.attempt(&write_lock, &responses) {
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
                    let r = match database.attempt(&write_lock, &responses[i..i + 1]) {
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

/// Each response's own result: stored, or refused with nothing written.
type Results = Vec<Result<StoredResponse, StoreError>>;

/// The answer of a batch: each response's own result, or (outer error) the transaction failed and nothing was kept.
type BatchResult = Result<Results, StoreError>;

impl WriterDatabase {
    /// Stores `batch` in one transaction, holding SQLite's write turn (the store's other writers queue for it
    /// too). A panic (a bug) fails these responses, with nothing of them kept, rather than stopping the writer and
    /// with it every later response for the life of the process.
    fn attempt(
        &mut self,
        write_lock: &Option<Arc<Mutex<()>>>,
        batch: &[NewResponse],
    ) -> BatchResult {
        let _turn = write_lock.as_ref().map(|lock| lock.blocking_lock());
        let stored = catch_unwind(AssertUnwindSafe(|| self.store_batch(batch)));
        let settled = match self {
            WriterDatabase::Sqlite(writer) => writer.settle(),
            WriterDatabase::Postgres { .. } => Ok(()),
        };
        match (stored, settled) {
            (Ok(Ok(results)), _) => Ok(results),
            (Ok(Err(e)), _) | (Err(_), Err(e)) => Err(e),
            (Err(_), Ok(())) => Err(StoreError::Database(
                "storing the response failed unexpectedly".into(),
            )),
        }
    }

    /// Stores `batch` in one transaction: the first statements reserve places in the audit chain and read what the
    /// responses are judged on (each client in its actor's scope, each assessment still due and now completed, each
    /// client's first response to the instrument); the rest write the responses, their outcome bookkeeping, alerts
    /// and audit events. Both databases run the same statements.
    fn store_batch(&mut self, batch: &[NewResponse]) -> BatchResult {
        let now = crate::now_ms();
        let checks = check_statements(batch, now);
        match self {
            WriterDatabase::Sqlite(writer) => {
                let conn = &writer.conn;
                conn.execute_batch("BEGIN IMMEDIATE")?;
                let rows = statements::run_blocking(conn, &checks, CheckRow::from_sqlite)?;
                let (results, writes) = judge(batch, &rows, now)?;
                statements::run_blocking(conn, &writes, |_| Ok(()))?;
                conn.execute_batch("COMMIT")?;
                Ok(results)
            }
            WriterDatabase::Postgres { pool, runtime } => runtime.block_on(async {
                let mut tx = pool.begin().await?;
                let rows = statements::run(&mut tx, &checks, false).await?;
                let rows = rows
                    .iter()
                    .map(CheckRow::from_any)
                    .collect::<Result<Vec<_>, _>>()?;
                let (results, writes) = judge(batch, &rows, now)?;
                statements::run(&mut tx, &writes, false).await?;
                tx.commit().await?;
                Ok(results)
            }),
        }
    }
}

/// Every row the checks give: what it is, which response of the batch it is about, a number and two texts.
struct CheckRow {
    kind: String,
    item: i64,
    number: i64,
    text: String,
    other_text: String,
}

impl CheckRow {
    fn from_sqlite(row: &rusqlite::Row<'_>) -> rusqlite::Result<CheckRow> {
        Ok(CheckRow {
            kind: row.get(0)?,
            item: row.get(1)?,
            number: row.get(2)?,
            text: row.get(3)?,
            other_text: row.get(4)?,
        })
    }

    fn from_any(row: &AnyRow) -> Result<CheckRow, StoreError> {
        Ok(CheckRow {
            kind: row.try_get(0)?,
            item: row.try_get(1)?,
            number: row.try_get(2)?,
            text: row.try_get(3)?,
            other_text: row.try_get(4)?,
        })
    }
}

const HEAD: &str = "head";
const CLIENT: &str = "client";
const COMPLETED: &str = "completed";
const ASSESSMENT: &str = "assessment";
const BASELINE: &str = "baseline";

/// The statements that reserve the audit places and read what each response is judged on. Each row they give
/// starts with its kind and the response's place in the batch (a parameter, so that the statements' text is the
/// same for every place and each is prepared once).
fn check_statements(batch: &[NewResponse], now: i64) -> Vec<Stmt> {
    let mut stmts = vec![Stmt::new(format!(
        "UPDATE audit_head SET seq = seq + $1 WHERE id = 1 \
         RETURNING '{HEAD}', CAST(-1 AS BIGINT), seq, hash, hash"
    ))
    .int(batch.len() as i64)];
    for (i, p) in batch.iter().enumerate() {
        let i = i as i64;
        let (scope, scope_args) = client_scope(&p.actor, 3);
        stmts.push(
            Stmt::new(format!(
                "SELECT '{CLIENT}', CAST($1 AS BIGINT), CAST(0 AS BIGINT), c.id, c.id FROM clients c \
                 WHERE c.id = $2 AND {scope}"
            ))
            .int(i)
            .text(&p.client_id)
            .texts(scope_args),
        );
        if let Some(a) = &p.assessment_id {
            // Completing the assessment and checking it was still due is one statement, so two submissions of the
            // same form (a double click, two tabs) cannot both be stored. It completes nothing outside the actor's
            // scope.
            let (scope, scope_args) = client_scope(&p.actor, 6);
            stmts.push(
                Stmt::new(format!(
                    "UPDATE assessments SET status = 'completed', updated_at = $2 \
                     WHERE id = $3 AND client_id = $4 AND instrument = $5 AND status = 'due' \
                     AND EXISTS (SELECT 1 FROM clients c WHERE c.id = $4 AND {scope}) \
                     RETURNING '{COMPLETED}', CAST($1 AS BIGINT), CAST(0 AS BIGINT), id, id"
                ))
                .int(i)
                .int(now)
                .text(a)
                .text(&p.client_id)
                .text(&p.instrument.id)
                .texts(scope_args),
            );
            stmts.push(
                Stmt::new(format!(
                    "SELECT '{ASSESSMENT}', CAST($1 AS BIGINT), CAST(0 AS BIGINT), id, id FROM assessments \
                     WHERE id = $2 AND client_id = $3 AND instrument = $4"
                ))
                .int(i)
                .text(a)
                .text(&p.client_id)
                .text(&p.instrument.id),
            );
        }
        stmts.push(
            Stmt::new(format!(
                "SELECT '{BASELINE}', CAST($1 AS BIGINT), authored_at, answers, id FROM responses \
                 WHERE client_id = $2 AND instrument = $3 ORDER BY authored_at, id LIMIT 1"
            ))
            .int(i)
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
    rows: &[CheckRow],
    now: i64,
) -> Result<(Results, Vec<Stmt>), StoreError> {
    let mut head = None;
    let mut in_scope = vec![false; batch.len()];
    let mut completed = vec![false; batch.len()];
    let mut assessment_exists = vec![false; batch.len()];
    let mut baselines: Vec<Option<Baseline>> = vec![None; batch.len()];
    for row in rows {
        if row.kind == HEAD {
            head = Some((row.number, row.text.clone()));
            continue;
        }
        let item = row.item;
        let i = usize::try_from(item)
            .ok()
            .filter(|i| *i < batch.len())
            .ok_or_else(|| StoreError::Database(format!("a check answered for response {item}")))?;
        match row.kind.as_str() {
            CLIENT => in_scope[i] = true,
            COMPLETED => completed[i] = true,
            ASSESSMENT => assessment_exists[i] = true,
            BASELINE => {
                baselines[i] = Some((row.number, row.other_text.clone(), row.text.clone()));
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
        let (store, dir) = file_store().await;
        let mut writer = writer_of(&dir);
        let system = Actor::system("test");
        let practice = store.create_practice(&system, "P").await.unwrap();
        let other = store.create_practice(&system, "Q").await.unwrap();
        let admin = admin_of(&store, &practice.id, "a@p.no").await;
        let other_admin = admin_of(&store, &other.id, "a@q.no").await;
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
        let results = writer.attempt(&None, &batch).unwrap();
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

    /// A batch that fails after its transaction has begun (here at the INSERT of a response whose id is taken,
    /// after the checks have reserved places in the audit chain) keeps nothing: the chain's head is where it was,
    /// the writer's connection is out of its transaction, so the store's other writers proceed at once, and the
    /// writer's next batch is stored.
    #[tokio::test]
    async fn a_failed_batch_keeps_nothing_and_the_writer_goes_on() {
        let (store, dir) = file_store().await;
        let mut writer = writer_of(&dir);
        let system = Actor::system("test");
        let practice = store.create_practice(&system, "P").await.unwrap();
        let admin = admin_of(&store, &practice.id, "a@p.no").await;
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
        let first = pending(&admin, &client.id, vec![Some(1); 9], 1_000);
        let taken = first.id.clone();
        writer.attempt(&None, &[first]).unwrap();
        let before = store.verify_audit().await.unwrap().unwrap();
        let mut again = pending(&admin, &client.id, vec![Some(2); 9], 2_000);
        again.id = taken;
        let err = writer.attempt(&None, &[again]).unwrap_err();
        assert!(matches!(err, StoreError::Duplicate { .. }), "{err:?}");
        if let WriterDatabase::Sqlite(w) = &writer {
            assert!(w.conn.is_autocommit());
        }
        assert_eq!(store.verify_audit().await.unwrap().unwrap(), before);
        assert_eq!(store.responses(&admin, &client.id).await.unwrap().len(), 1);
        // Another writer of the store gets the database at once.
        store.create_practice(&system, "Q").await.unwrap();
        let next = pending(&admin, &client.id, vec![Some(3); 9], 3_000);
        writer.attempt(&None, &[next]).unwrap();
        assert_eq!(store.responses(&admin, &client.id).await.unwrap().len(), 2);
        // The chain is whole: the stored response's event follows the others without a gap.
        assert!(store.verify_audit().await.unwrap().unwrap() > before);
        store.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }

    /// A new admin of the practice, as an actor.
    async fn admin_of(store: &Store, practice_id: &str, email: &str) -> Actor {
        let user = store
            .create_user(
                &Actor::system("test"),
                NewUser {
                    practice_id: Some(practice_id.to_string()),
                    email: email.into(),
                    display_name: email.into(),
                    role: Role::Admin,
                    practice_admin: true,
                    password_hash: None,
                },
            )
            .await
            .unwrap();
        Actor {
            user_id: user.id,
            role: Role::Admin,
            practice_id: Some(practice_id.to_string()),
            practice_admin: true,
            client_id: None,
            request_id: "r".into(),
        }
    }

    /// A store on a SQLite file in a folder of its own.
    async fn file_store() -> (Store, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("ferd-writer-{}", new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}", dir.join("ferd.db").display());
        let store = Store::open(&url, Keyring::generate().unwrap(), StoreOptions::default())
            .await
            .unwrap();
        (store, dir)
    }

    /// A response writer of its own on the store in `dir`, beside the store's.
    fn writer_of(dir: &std::path::Path) -> WriterDatabase {
        WriterDatabase::Sqlite(SqliteWriter::open(&dir.join("ferd.db"), "FULL").unwrap())
    }
}

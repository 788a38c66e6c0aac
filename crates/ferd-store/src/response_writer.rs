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
//! Who stores. On SQLite, a request that finds nothing else being stored stores its own response, on its own thread
//! and through the writer's own connection to the database file (rusqlite, on the same SQLite library as sqlx),
//! from `BEGIN` to `COMMIT` without a hand-off to another thread. Responses that arrive meanwhile queue, and the
//! writer's thread stores them, batch after batch, until the queue is empty. Hand-offs between threads are what
//! this avoids: sqlx's SQLite driver runs every connection on a thread of its own, so each statement through it
//! crosses threads twice, and on a virtual machine waking an idle processor costs more than the statements. On
//! PostgreSQL every response goes through the writer's thread, which runs the same statements through the pool.

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex as StdMutex, MutexGuard, PoisonError};

use ferd_core::Instrument;
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};
use tokio::sync::{oneshot, Mutex};

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
struct PendingResponse {
    response: NewResponse,
    done: oneshot::Sender<Result<StoredResponse, StoreError>>,
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
const STATEMENT_CACHE: usize = 128;

impl SqliteWriter {
    /// Opens the database file at `path` with the pool's settings ([`crate::sqlite_settings`]). The database must
    /// already exist and be migrated.
    pub(crate) fn open(path: &Path, synchronous: &'static str) -> Result<SqliteWriter, StoreError> {
        let conn = rusqlite::Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.execute_batch(&crate::sqlite_settings(synchronous))?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
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

/// Each response's own result: stored, or refused with nothing written.
type Results = Vec<Result<StoredResponse, StoreError>>;

/// The answer of a batch: each response's own result, or (outer error) the transaction failed and nothing was kept.
type BatchResult = Result<Results, StoreError>;

/// The response writer of one store: where responses wait, and who stores them.
pub(crate) struct ResponseWriter {
    shared: Arc<Shared>,
}

struct Shared {
    state: StdMutex<State>,
    /// Wakes the writer's thread: its turn has come, or the store is gone.
    wake: Condvar,
    /// Used by whoever is storing (see [`State::storing`]), so never waited for.
    database: StdMutex<WriterDatabase>,
    /// SQLite's write turn, shared with the store's other writers.
    write_lock: Option<Arc<Mutex<()>>>,
    /// Whether a request may store its response itself (SQLite) rather than always through the writer's thread.
    inline: bool,
}

#[derive(Default)]
struct State {
    /// Someone is storing responses: a request on its own thread, or the writer's thread. Whoever it is looks at the
    /// queue before stopping, so a response queued meanwhile is never left behind.
    storing: bool,
    /// The writer's thread stores what is queued, batch after batch, until the queue is empty.
    thread_turn: bool,
    queue: VecDeque<PendingResponse>,
    /// The store is gone: the thread stores what is left and ends.
    closed: bool,
}

fn lock<T>(m: &StdMutex<T>) -> MutexGuard<'_, T> {
    // Nothing panics while holding these locks (storing catches its panics), so a poisoned one holds sound data.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl ResponseWriter {
    /// Starts the writer's thread.
    pub(crate) fn start(
        database: WriterDatabase,
        write_lock: Option<Arc<Mutex<()>>>,
    ) -> Result<ResponseWriter, StoreError> {
        let shared = Arc::new(Shared {
            inline: matches!(database, WriterDatabase::Sqlite(_)),
            state: StdMutex::new(State::default()),
            wake: Condvar::new(),
            database: StdMutex::new(database),
            write_lock,
        });
        let thread = shared.clone();
        std::thread::Builder::new()
            .name("ferd-responses".into())
            .spawn(move || thread.run())
            .map_err(|e| StoreError::Database(format!("cannot start the response writer: {e}")))?;
        Ok(ResponseWriter { shared })
    }

    /// Stores `response` and answers once it is durable (or refused).
    ///
    /// On SQLite, when nothing else is being stored, the request stores its response itself, on its own thread:
    /// a hand-off to another thread and back costs more than the transaction on a virtual machine, whose idle
    /// processors are slow to wake. That thread is blocked for the length of the commit. Responses that arrive
    /// meanwhile queue, and the writer's thread stores them together.
    pub(crate) async fn store(&self, response: NewResponse) -> Result<StoredResponse, StoreError> {
        let shared = &self.shared;
        let queued = {
            let mut state = lock(&shared.state);
            if state.storing || !shared.inline {
                let (done, wait) = oneshot::channel();
                state.queue.push_back(PendingResponse { response, done });
                if !state.storing {
                    state.storing = true;
                    state.thread_turn = true;
                    shared.wake.notify_one();
                }
                Err(wait)
            } else {
                state.storing = true;
                Ok(response)
            }
        };
        let response = match queued {
            Ok(response) => response,
            Err(wait) => {
                return wait
                    .await
                    .map_err(|_| StoreError::Database("the response writer has stopped".into()))?
            }
        };
        // This request stores. Whatever becomes of it (stored, refused, failed, or the request dropped while it
        // waits for the write turn), the queue passes to the writer's thread or storing ends.
        let _storing = Storing(shared);
        let _turn = match &shared.write_lock {
            Some(lock) => Some(lock.lock().await),
            None => None,
        };
        shared.store_one(&response)
    }
}

impl std::fmt::Debug for ResponseWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseWriter")
            .field("inline", &self.shared.inline)
            .finish_non_exhaustive()
    }
}

impl Drop for ResponseWriter {
    fn drop(&mut self) {
        lock(&self.shared.state).closed = true;
        self.shared.wake.notify_one();
    }
}

/// A request storing its own response; when it ends, what queued meanwhile goes to the writer's thread.
struct Storing<'a>(&'a Shared);

impl Drop for Storing<'_> {
    fn drop(&mut self) {
        let mut state = lock(&self.0.state);
        if state.queue.is_empty() {
            state.storing = false;
        } else {
            state.thread_turn = true;
            self.0.wake.notify_one();
        }
    }
}

impl Shared {
    /// The writer's thread: on its turn, takes what is queued (up to [`MAX_BATCH`]), stores it in one transaction
    /// and answers each caller, until the queue is empty.
    fn run(&self) {
        loop {
            let batch: Vec<PendingResponse> = {
                let mut state = lock(&self.state);
                loop {
                    if state.thread_turn {
                        if !state.queue.is_empty() {
                            let n = state.queue.len().min(MAX_BATCH);
                            break state.queue.drain(..n).collect();
                        }
                        state.thread_turn = false;
                        state.storing = false;
                    }
                    if state.closed && !state.storing {
                        return;
                    }
                    state = self
                        .wake
                        .wait(state)
                        .unwrap_or_else(PoisonError::into_inner);
                }
            };
            let (responses, waiting): (Vec<_>, Vec<_>) =
                batch.into_iter().map(|p| (p.response, p.done)).unzip();
            let _turn = self.write_lock.as_ref().map(|lock| lock.blocking_lock());
            match self.store_batch(&responses) {
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
                    // Nothing of the failed transaction was kept; each response now gets a transaction of its own
                    // and its own answer.
                    for (response, done) in responses.iter().zip(waiting) {
                        let _ = done.send(self.store_one(response));
                    }
                }
            }
        }
    }

    /// Stores `batch` in one transaction. The caller holds SQLite's write turn.
    fn store_batch(&self, batch: &[NewResponse]) -> BatchResult {
        lock(&self.database).attempt(batch)
    }

    /// Stores one response in a transaction of its own, with its own answer.
    fn store_one(&self, response: &NewResponse) -> Result<StoredResponse, StoreError> {
        self.store_batch(std::slice::from_ref(response))?
            .pop()
            .unwrap_or_else(|| Err(StoreError::Database("the response was not stored".into())))
    }
}

impl WriterDatabase {
    /// [`WriterDatabase::transaction`], with the connection left outside any transaction whatever happened. A panic
    /// (a bug) fails these responses, with nothing of them kept, rather than stopping the writer and with it every
    /// later response for the life of the process.
    fn attempt(&mut self, batch: &[NewResponse]) -> BatchResult {
        let stored = catch_unwind(AssertUnwindSafe(|| self.transaction(batch)));
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
    fn transaction(&mut self, batch: &[NewResponse]) -> BatchResult {
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
        let admin = practice_admin(&store, "a@p.no").await;
        let other_admin = practice_admin(&store, "a@q.no").await;
        let client = new_client(&store, &admin).await;
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
        let results = writer.attempt(&batch).unwrap();
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
        let admin = practice_admin(&store, "a@p.no").await;
        let client = new_client(&store, &admin).await;
        let first = pending(&admin, &client.id, vec![Some(1); 9], 1_000);
        let taken = first.id.clone();
        writer.attempt(&[first]).unwrap();
        let before = store.verify_audit().await.unwrap().unwrap();
        let mut again = pending(&admin, &client.id, vec![Some(2); 9], 2_000);
        again.id = taken.clone();
        let err = writer.attempt(&[again]).unwrap_err();
        assert!(matches!(err, StoreError::Duplicate { .. }), "{err:?}");
        if let WriterDatabase::Sqlite(w) = &writer {
            assert!(w.conn.is_autocommit());
        }
        assert_eq!(store.verify_audit().await.unwrap().unwrap(), before);
        assert_eq!(store.responses(&admin, &client.id).await.unwrap().len(), 1);
        // Another writer of the store gets the database at once.
        store
            .create_practice(&Actor::system("test"), "Q")
            .await
            .unwrap();
        let next = pending(&admin, &client.id, vec![Some(3); 9], 3_000);
        let next_id = next.id.clone();
        writer.attempt(&[next]).unwrap();
        assert_eq!(store.responses(&admin, &client.id).await.unwrap().len(), 2);
        // The chain is whole, with one create event for each stored response and none for the failed one (whose id
        // was the first's).
        store.verify_audit().await.unwrap().unwrap();
        let creates = |id: &str, events: &[crate::AuditEvent]| {
            events
                .iter()
                .filter(|e| e.action == "create" && e.entity == "response" && e.entity_id == id)
                .count()
        };
        let events = store.audit_events().await.unwrap();
        assert_eq!(creates(&taken, &events), 1);
        assert_eq!(creates(&next_id, &events), 1);
        store.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }

    /// A request storing its own response waits at SQLite's write turn, held here by the test; ten responses that
    /// arrive meanwhile queue. Once the turn is free, the first is stored by its own request and the ten by the
    /// writer's thread, each caller answered with its own response. If `abandon`, the first request is dropped
    /// while it waits (its client went away): nothing of it is stored, and the ten are stored all the same.
    async fn queued_behind_a_storing_request(abandon: bool) {
        let (store, dir) = file_store().await;
        let admin = practice_admin(&store, "a@p.no").await;
        let client = new_client(&store, &admin).await;
        let submit = |n: i64| {
            let (store, admin, client) = (store.clone(), admin.clone(), client.id.clone());
            tokio::spawn(async move {
                store
                    .record_response(&admin, &client, None, "phq-9", &[Some(n % 4); 9], n)
                    .await
            })
        };
        let state = |store: &Store| {
            let state = lock(&store.response_writer.shared.state);
            (state.storing, state.queue.len())
        };
        let turn = store.write_turn().await;
        let first = submit(1_000);
        while state(&store) != (true, 0) {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        let rest: Vec<_> = (1..=10).map(|n| submit(2_000 + n)).collect();
        while state(&store) != (true, 10) {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        let first = if abandon {
            first.abort();
            assert!(first.await.unwrap_err().is_cancelled());
            None
        } else {
            Some(first)
        };
        drop(turn);
        let mut authored = Vec::new();
        for (n, task) in (1..=10).zip(rest) {
            let stored = tokio::time::timeout(std::time::Duration::from_secs(10), task)
                .await
                .expect("every queued caller is answered")
                .unwrap()
                .unwrap();
            assert_eq!((stored.authored_at, stored.total), (2_000 + n, 9 * (n % 4)));
            authored.push(stored.authored_at);
        }
        if let Some(first) = first {
            authored.push(first.await.unwrap().unwrap().authored_at);
        }
        let mut stored: Vec<i64> = store
            .responses(&admin, &client.id)
            .await
            .unwrap()
            .iter()
            .map(|r| r.authored_at)
            .collect();
        stored.sort_unstable();
        authored.sort_unstable();
        assert_eq!(stored, authored);
        assert_eq!(state(&store), (false, 0));
        store.verify_audit().await.unwrap().unwrap();
        store.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn responses_queued_behind_a_storing_request_are_stored_by_the_writer_thread() {
        queued_behind_a_storing_request(false).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_storing_request_dropped_while_it_waits_leaves_the_queue_to_the_writer_thread() {
        queued_behind_a_storing_request(true).await;
    }

    /// The pool's connections and the writer's run with the same settings ([`crate::sqlite_settings`]): WAL, the
    /// chosen durability (FULL is 2, NORMAL 1 in SQLite's numbering), foreign keys on, a 5 s busy timeout.
    #[tokio::test]
    async fn the_pool_and_the_writer_connect_with_the_same_settings() {
        let (store, dir) = file_store().await;
        let read = "SELECT (SELECT journal_mode FROM pragma_journal_mode), \
                    (SELECT synchronous FROM pragma_synchronous), \
                    (SELECT foreign_keys FROM pragma_foreign_keys), (SELECT timeout FROM pragma_busy_timeout)";
        let expected = ("wal".to_string(), 2_i64, 1_i64, 5000_i64);
        let row = sqlx::query(read).fetch_one(store.pool()).await.unwrap();
        let pool: (String, i64, i64, i64) = (
            row.try_get(0).unwrap(),
            row.try_get(1).unwrap(),
            row.try_get(2).unwrap(),
            row.try_get(3).unwrap(),
        );
        assert_eq!(pool, expected);
        let writer = writer_of(&dir);
        let WriterDatabase::Sqlite(w) = &writer else {
            panic!("a SQLite writer")
        };
        let own: (String, i64, i64, i64) = w
            .conn
            .query_row(read, [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .unwrap();
        assert_eq!(own, expected);
        store.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }

    /// A new practice's admin, as an actor.
    async fn practice_admin(store: &Store, email: &str) -> Actor {
        let system = Actor::system("test");
        let practice = store.create_practice(&system, "P").await.unwrap();
        let user = store
            .create_user(
                &system,
                NewUser {
                    practice_id: Some(practice.id.clone()),
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
            practice_id: Some(practice.id),
            practice_admin: true,
            client_id: None,
            request_id: "r".into(),
        }
    }

    /// A new client of the admin's practice.
    async fn new_client(store: &Store, admin: &Actor) -> crate::Client {
        let client = NewClient {
            name: "Kari".into(),
            preferred_language: "nb".into(),
            ..Default::default()
        };
        store.create_client(admin, client).await.unwrap()
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

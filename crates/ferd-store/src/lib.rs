//! # ferd-store
//!
//! ferd's practice records on SQLite (the default: one file, no server) or PostgreSQL (several ferd instances
//! sharing one database), through one query layer (sqlx's `Any` driver, with `$n` parameters that both accept).
//! Only the migrations differ by dialect.
//!
//! Every function that touches client data takes the acting user ([`Actor`]) and filters by it: what lies outside
//! the actor's scope is reported as [`StoreError::NotFound`], exactly like a record that does not exist. Every read
//! and write of client data appends an audit event in the same transaction. Clinical free text is encrypted with the
//! practice's [`Keyring`] before it reaches the database.

#![forbid(unsafe_code)]

pub mod accounts;
mod actor;
pub mod api_reads;
pub mod archive;
pub mod articles;
pub mod audit;
pub mod calendar;
pub mod crypto;
pub mod fhir_reads;
mod gdpr;
pub mod jobs;
pub mod journey;
mod records;
pub mod referrals;
pub mod reminders;
pub mod research;
mod response_writer;
pub mod risk;
pub mod session_log;
pub mod site;
mod sqlite_reads;
mod statements;
pub mod tokens;
pub mod waitlist;
pub mod workspace;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor, Transaction};

pub use accounts::{Account, InvitationView, Stage, ThrottlePolicy, WebSession};
pub use actor::{Actor, Role};
pub use articles::{ArticleInput, ArticleReference, ArticleStatus, StoredArticle};
pub use audit::{AuditEvent, ChainBreak};
pub use crypto::{CryptoError, Keyring};
pub use jobs::{Job, JobCounts, JobOutcome, JobRow, JobStatus, NewJob};
pub use journey::{Clearance, JourneyView, PlannedAssessmentRow, PlannedSessionRow, Screening};
pub use records::*;
pub use referrals::{NewReferral, PlaceInput, Referral, ReferralPlace};
pub use reminders::{MailContext, MailPlan, Reminder, ReminderSettings};
pub use risk::RiskRecord;
pub use session_log::{NewReading, SessionLog, SessionReading};
pub use site::{Purged, SitePractice};
pub use tokens::{ApiToken, TokenHolder, TokenScope};
pub use waitlist::{
    Capacity, SiteTherapist, TakenIntoIntake, TherapistCapacity, WaitlistEntry, WaitlistPlace,
    WaitlistStatus, WaitlistSummary,
};
pub use workspace::{Alert, AssessmentRow, ClientRecord, ClientRow, Dashboard, SessionRow};

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// How SQLite commits: `Full` (the default) survives power loss; `Normal` is faster and may lose the last
/// transactions on power loss (not on a crash of ferd itself). A practice chooses `Normal` knowingly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    #[default]
    Full,
    Normal,
}

/// Options for opening a store.
#[derive(Debug, Clone, Default)]
pub struct StoreOptions {
    pub durability: Durability,
    /// PostgreSQL only: the schema to use (tests give each run its own). Created if missing.
    pub schema: Option<String>,
}

/// What went wrong in the store. Messages name the entity and never contain clinical content or SQL.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist, or lies outside the actor's scope: the two are indistinguishable on purpose.
    #[error("{entity} not found")]
    NotFound { entity: &'static str },
    /// The actor's role may not do this at all.
    #[error("not permitted: {0}")]
    Forbidden(&'static str),
    /// Input that breaks a rule; names the field.
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("a {entity} with this {field} already exists")]
    Duplicate {
        entity: &'static str,
        field: &'static str,
    },
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error("database error: {0}")]
    Database(String),
    #[error("migration failed: {0}")]
    Migration(String),
}

/// A unique or primary key taken, as either driver reports it.
fn duplicate_key() -> StoreError {
    StoreError::Duplicate {
        entity: "record",
        field: "key",
    }
}

/// The settings of every connection to a SQLite database, the pool's and the response writer's alike.
pub(crate) fn sqlite_settings(synchronous: &str) -> String {
    format!(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous}; PRAGMA foreign_keys = ON; \
         PRAGMA busy_timeout = 5000"
    )
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            if db.is_unique_violation() {
                return duplicate_key();
            }
        }
        // The driver's message names the failing operation, never bound values.
        StoreError::Database(e.to_string())
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            {
                return duplicate_key();
            }
        }
        // SQLite's message names the failing operation or constraint, never bound values.
        StoreError::Database(e.to_string())
    }
}

/// Milliseconds since the Unix epoch, UTC.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// A new random id.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The practice records.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    keys: Keyring,
    /// SQLite has one writer at a time. Writers queue here, in the application, rather than in SQLite's busy
    /// handler, which sleeps in steps of up to 100 ms and so makes a queue of writers slow and unfair.
    write_lock: Option<Arc<tokio::sync::Mutex<()>>>,
    /// The audit events of reads, written in batches (see [`audit::run_read_batcher`]).
    read_audit: tokio::sync::mpsc::UnboundedSender<audit::PendingRead>,
    /// Questionnaire responses, stored with group commit (see [`response_writer`]).
    response_writer: Arc<response_writer::ResponseWriter>,
    /// SQLite: short reads by key that every API request makes, answered without a hand-off to a pool thread.
    sqlite_reads: Option<Arc<sqlite_reads::SqliteReads>>,
    /// `sqlite::memory:`: the temporary folder that holds the database, removed with the last clone of the store.
    _scratch: Option<Arc<Scratch>>,
}

/// A temporary folder, removed when dropped.
#[derive(Debug)]
struct Scratch(std::path::PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Holds SQLite's write turn for as long as it lives (nothing on PostgreSQL).
pub(crate) type WriteTurn = Option<tokio::sync::OwnedMutexGuard<()>>;

impl Store {
    /// Opens (and migrates) the database at `url`: `sqlite://path/to/ferd.db`, `sqlite::memory:`, or
    /// `postgres://…`. SQLite opens in WAL mode with foreign keys on, a 5 s busy timeout and the chosen durability.
    ///
    /// `sqlite::memory:` is a throwaway database for tests and trials: a file in a temporary folder of its own,
    /// never synced to disk, removed when the last clone of the store is dropped. (A file rather than SQLite's own
    /// in-memory database, because the response writer reaches the database through a connection of its own.)
    pub async fn open(
        url: &str,
        keys: Keyring,
        options: StoreOptions,
    ) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::Invalid {
                field: "database url",
                message: "must start with sqlite: or postgres://".into(),
            });
        };
        let scratch = if backend == Backend::Sqlite && url.contains(":memory:") {
            let dir = std::env::temp_dir().join(format!("ferd-scratch-{}", new_id()));
            std::fs::create_dir_all(&dir).map_err(|e| {
                StoreError::Database(format!("cannot make a temporary database folder: {e}"))
            })?;
            Some(Arc::new(Scratch(dir)))
        } else {
            None
        };
        let url = match (backend, &scratch) {
            (Backend::Sqlite, Some(dir)) => {
                format!("sqlite://{}?mode=rwc", dir.0.join("ferd.db").display())
            }
            (Backend::Sqlite, None) if !url.contains("mode=") => format!("{url}?mode=rwc"),
            _ => url.to_string(),
        };
        let connect = AnyConnectOptions::from_str(&url)?;
        let sqlite_file = match backend {
            Backend::Sqlite => Some(
                sqlx::sqlite::SqliteConnectOptions::from_str(&url)?
                    .get_filename()
                    .to_path_buf(),
            ),
            Backend::Postgres => None,
        };
        let synchronous = match (options.durability, &scratch) {
            (_, Some(_)) => "OFF",
            (Durability::Full, None) => "FULL",
            (Durability::Normal, None) => "NORMAL",
        };
        let schema = options.schema.clone();
        if let (Backend::Postgres, Some(schema)) = (backend, &schema) {
            check_schema_name(schema)?;
            let pool = AnyPoolOptions::new()
                .max_connections(1)
                .connect_with(connect.clone())
                .await?;
            pool.execute(format!("CREATE SCHEMA IF NOT EXISTS {schema}").as_str())
                .await?;
            pool.close().await;
        }
        let pool = AnyPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(30))
            // A SQLite connection is a file handle in this process: there is nothing to go stale between uses, so
            // the pool's ping before every acquire (a round trip to the connection's thread) buys nothing. A
            // PostgreSQL connection can be dropped by the server or the network, so it is still checked.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _meta| {
                let schema = schema.clone();
                Box::pin(async move {
                    match backend {
                        Backend::Sqlite => {
                            conn.execute(sqlite_settings(synchronous).as_str()).await?;
                        }
                        Backend::Postgres => {
                            if let Some(schema) = schema {
                                conn.execute(format!("SET search_path TO {schema}").as_str())
                                    .await?;
                            }
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(connect)
            .await?;
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&pool)
            .await
            .map_err(|e| StoreError::Migration(e.to_string()))?;
        let write_lock = match backend {
            Backend::Sqlite => Some(Arc::new(tokio::sync::Mutex::new(()))),
            Backend::Postgres => None,
        };
        let (read_audit, queue) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(audit::run_read_batcher(
            pool.clone(),
            write_lock.clone(),
            queue,
        ));
        let writer_database = match &sqlite_file {
            Some(path) => response_writer::WriterDatabase::Sqlite(
                response_writer::SqliteWriter::open(path, synchronous)?,
            ),
            None => response_writer::WriterDatabase::Postgres {
                pool: pool.clone(),
                runtime: tokio::runtime::Handle::current(),
            },
        };
        let response_writer = Arc::new(response_writer::ResponseWriter::start(
            writer_database,
            write_lock.clone(),
        )?);
        Ok(Store {
            pool,
            backend,
            keys,
            write_lock,
            read_audit,
            response_writer,
            sqlite_reads: sqlite_file
                .as_deref()
                .map(|path| Arc::new(sqlite_reads::SqliteReads::new(path))),
            _scratch: scratch,
        })
    }

    /// The database this store runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The keyring in use.
    pub fn keys(&self) -> &Keyring {
        &self.keys
    }

    /// The connection pool, for tests and maintenance commands.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Whether the database answers (for the readiness check).
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Waits for the write turn (SQLite) without starting a transaction: for single-statement writes.
    pub(crate) async fn write_turn(&self) -> WriteTurn {
        match &self.write_lock {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        }
    }

    /// Begins a transaction that writes: waits for the write turn first. Keep the turn until the transaction ends.
    pub(crate) async fn begin_write(
        &self,
    ) -> Result<(WriteTurn, Transaction<'static, Any>), StoreError> {
        let turn = self.write_turn().await;
        Ok((turn, self.pool.begin().await?))
    }

    /// Begins a transaction that only reads: one consistent snapshot, no write lock. Its audit event is written
    /// afterwards with [`Store::audit_read`]; a read transaction must never write (SQLite would have to upgrade it
    /// to a write transaction, which fails while another writer is active).
    pub(crate) async fn begin_read(&self) -> Result<Transaction<'static, Any>, StoreError> {
        Ok(self.pool.begin().await?)
    }

    /// Records that `actor` read something, and returns once the event is durable. Events of concurrent reads are
    /// committed together, one transaction (and one fsync) for many. The caller returns the data only after this
    /// succeeds, so no read goes unaudited.
    pub(crate) async fn audit_read(
        &self,
        actor: &Actor,
        action: &str,
        entity: &str,
        entity_id: &str,
    ) -> Result<(), StoreError> {
        let (done, wait) = tokio::sync::oneshot::channel();
        self.read_audit
            .send(audit::PendingRead {
                actor: actor.clone(),
                action: action.to_string(),
                entity: entity.to_string(),
                entity_id: entity_id.to_string(),
                done,
            })
            .map_err(|_| StoreError::Database("the audit writer has stopped".into()))?;
        match wait.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(StoreError::Database(e)),
            Err(_) => Err(StoreError::Database("the audit writer has stopped".into())),
        }
    }

    /// The audit events in chain order (for `ferd audit` and tests); they hold no clinical content.
    pub async fn audit_events(&self) -> Result<Vec<AuditEvent>, StoreError> {
        use sqlx::Row;
        let rows = sqlx::query(
            "SELECT seq, at, actor_id, actor_role, action, entity, entity_id, request_id, prev_hash, hash \
             FROM audit_events ORDER BY seq",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEvent {
                    seq: r.try_get(0)?,
                    at: r.try_get(1)?,
                    actor_id: r.try_get(2)?,
                    actor_role: r.try_get(3)?,
                    action: r.try_get(4)?,
                    entity: r.try_get(5)?,
                    entity_id: r.try_get(6)?,
                    request_id: r.try_get(7)?,
                    prev_hash: r.try_get(8)?,
                    hash: r.try_get(9)?,
                })
            })
            .collect()
    }

    /// Walks the whole audit chain and names the first event that was changed, removed or reordered. Returns the
    /// number of events checked.
    pub async fn verify_audit(&self) -> Result<Result<i64, ChainBreak>, StoreError> {
        use sqlx::Row;
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        let events = self.audit_events().await?;
        Ok(audit::verify_events(
            &events,
            head.try_get(0)?,
            &head.try_get::<String, _>(1)?,
        ))
    }
}

fn check_schema_name(schema: &str) -> Result<(), StoreError> {
    let ok = !schema.is_empty()
        && schema.len() <= 60
        && schema
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !schema.starts_with(|c: char| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(StoreError::Invalid {
            field: "schema",
            message: "lowercase letters, digits and _ only".into(),
        })
    }
}

//! Background jobs in the database: a queue that several ferd instances share, with retries and backoff, and
//! at-most-once delivery for jobs that hand something to the outside world (a mail).
//!
//! The life of a job:
//!
//! - **queued**: enqueued with a unique dedupe key (a reminder is enqueued once, by however many instances ask),
//!   to run at `run_at`.
//! - **running**: claimed by one worker, in a committed transaction, before it starts: the worker's id and a lease
//!   (`locked_until`) are written. Claiming takes the oldest due job with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so
//!   two instances never claim the same job; on SQLite the claim is one statement under the write turn.
//! - **sent**: done, recorded right after the mail was accepted. **skipped**: nothing to do any more (the
//!   questionnaire was completed, the session moved, the client turned reminders off).
//! - back to **queued** with exponential backoff ([`backoff_ms`]) when the attempt failed *before* anything was
//!   handed over (the mail server could not be reached, or refused for now), until `max_attempts`; then **failed**.
//! - **interrupted**: a running job whose lease ran out. Its worker died mid-send (killed, power lost), so nobody
//!   knows whether the mail went out. It is never retried by itself: an admin sees it and may send it again
//!   ([`Store::resend_job`]). That is what makes delivery at most once.
//!
//! A payload holds ids only, never clinical content, and `last_error` is written by ferd (a stage and an SMTP
//! code), never copied from a server's reply, which may quote an address.

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::append;
use crate::{new_id, now_ms, Actor, Backend, Role, Store, StoreError};

/// How long a claimed job may run before it counts as interrupted. Longer than any send can take (ferd gives a
/// mail server at most a few minutes per mail), so a live worker is never taken for a dead one.
pub const LEASE_MS: i64 = 15 * 60_000;

/// Attempts before a job that keeps failing before hand-over is marked failed: with [`backoff_ms`], about two
/// hours of trying.
pub const DEFAULT_MAX_ATTEMPTS: i64 = 8;

/// The wait before attempt `attempts + 1`, after `attempts` failed ones: one minute, doubling, at most an hour.
pub fn backoff_ms(attempts: i64) -> i64 {
    let doublings = attempts.clamp(1, 7) - 1;
    (60_000i64 << doublings).min(3_600_000)
}

/// Where a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum JobStatus {
    Queued,
    Running,
    Sent,
    Skipped,
    Failed,
    Interrupted,
}

impl JobStatus {
    /// The status as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Sent => "sent",
            JobStatus::Skipped => "skipped",
            JobStatus::Failed => "failed",
            JobStatus::Interrupted => "interrupted",
        }
    }

    /// Parses a stored status.
    pub fn parse(s: &str) -> Result<JobStatus, StoreError> {
        Ok(match s {
            "queued" => JobStatus::Queued,
            "running" => JobStatus::Running,
            "sent" => JobStatus::Sent,
            "skipped" => JobStatus::Skipped,
            "failed" => JobStatus::Failed,
            "interrupted" => JobStatus::Interrupted,
            other => return Err(StoreError::Database(format!("unknown job status {other}"))),
        })
    }
}

/// A job to enqueue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJob {
    /// What the job does, e.g. `session-reminder`.
    pub kind: String,
    /// The practice whose admins see the job.
    pub practice_id: Option<String>,
    /// The client the job concerns (erasing the client removes the job).
    pub client_id: Option<String>,
    /// The user the mail goes to.
    pub recipient_id: Option<String>,
    /// Ids only, as JSON.
    pub payload: serde_json::Value,
    /// Unique over every job ever enqueued: enqueuing the same key again does nothing.
    pub dedupe_key: String,
    pub run_at: i64,
    pub max_attempts: i64,
}

/// A job as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Job {
    pub id: String,
    pub practice_id: Option<String>,
    pub client_id: Option<String>,
    pub recipient_id: Option<String>,
    pub kind: String,
    /// JSON text.
    pub payload: String,
    pub dedupe_key: String,
    pub status: JobStatus,
    pub run_at: i64,
    pub attempts: i64,
    pub max_attempts: i64,
    pub locked_by: Option<String>,
    pub locked_until: Option<i64>,
    pub last_error: Option<String>,
    pub outbox_file: Option<String>,
    pub finished_at: Option<i64>,
    pub resent_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A job as the admin's list shows it, with its recipient's address read now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobRow {
    pub job: Job,
    pub recipient_email: Option<String>,
}

/// How an attempt at a job ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    /// Done: the mail was accepted by the mail server, or written to this file in the outbox folder.
    Sent { outbox_file: Option<String> },
    /// Nothing to do any more; the reason is ferd's own words (no personal data).
    Skipped { reason: String },
    /// Failed before anything was handed over. `permanent`: trying again cannot help (the server refused the
    /// recipient for good, say), so the job fails now; otherwise it is retried after [`backoff_ms`] until its
    /// attempts run out.
    NotHandedOver { error: String, permanent: bool },
    /// Failed in a way that leaves unknown whether the mail went out (the connection broke while the server held
    /// the message): marked interrupted, like a worker that died, and never retried by itself.
    Uncertain { error: String },
}

/// Counts by status, for the admin page's summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct JobCounts {
    pub queued: i64,
    pub running: i64,
    pub sent: i64,
    pub skipped: i64,
    pub failed: i64,
    pub interrupted: i64,
}

const JOB_COLUMNS: &str = "j.id, j.practice_id, j.client_id, j.recipient_id, j.kind, j.payload, j.dedupe_key, \
     j.status, j.run_at, j.attempts, j.max_attempts, j.locked_by, j.locked_until, j.last_error, j.outbox_file, \
     j.finished_at, j.resent_at, j.created_at, j.updated_at";

fn job_from(r: &AnyRow) -> Result<Job, StoreError> {
    let status: String = r.try_get("status")?;
    Ok(Job {
        id: r.try_get("id")?,
        practice_id: r.try_get("practice_id")?,
        client_id: r.try_get("client_id")?,
        recipient_id: r.try_get("recipient_id")?,
        kind: r.try_get("kind")?,
        payload: r.try_get("payload")?,
        dedupe_key: r.try_get("dedupe_key")?,
        status: JobStatus::parse(&status)?,
        run_at: r.try_get("run_at")?,
        attempts: r.try_get("attempts")?,
        max_attempts: r.try_get("max_attempts")?,
        locked_by: r.try_get("locked_by")?,
        locked_until: r.try_get("locked_until")?,
        last_error: r.try_get("last_error")?,
        outbox_file: r.try_get("outbox_file")?,
        finished_at: r.try_get("finished_at")?,
        resent_at: r.try_get("resent_at")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn invalid(field: &'static str, message: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        field,
        message: message.into(),
    }
}

/// Only ferd itself (the scheduler and the worker) runs jobs.
fn system_only(actor: &Actor) -> Result<(), StoreError> {
    if actor.role == Role::System {
        Ok(())
    } else {
        Err(StoreError::Forbidden("only ferd itself runs jobs"))
    }
}

/// A short text for `last_error`: ferd's own words, one line, bounded.
fn clean_error(error: &str) -> String {
    let one_line: String = error
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    one_line.chars().take(300).collect()
}

impl Store {
    /// Enqueues jobs, each unless a job with its dedupe key exists already (enqueued by this or another instance,
    /// at any time before). Each new job is audited as `enqueue job <id>`, in its own transaction with the insert.
    /// Returns the ids of the jobs that were new.
    pub async fn enqueue_jobs(
        &self,
        actor: &Actor,
        jobs: &[NewJob],
        now: i64,
    ) -> Result<Vec<String>, StoreError> {
        system_only(actor)?;
        for j in jobs {
            if j.kind.is_empty() || j.kind.len() > 64 {
                return Err(invalid("kind", "must be 1–64 characters"));
            }
            if j.dedupe_key.is_empty() || j.dedupe_key.len() > 300 {
                return Err(invalid("dedupe_key", "must be 1–300 characters"));
            }
            if j.max_attempts < 1 {
                return Err(invalid("max_attempts", "must be at least 1"));
            }
        }
        // Most keys exist already (the scheduler asks every minute): leave those out without a write.
        let mut existing = std::collections::HashSet::new();
        for chunk in jobs.chunks(200) {
            let params: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT dedupe_key FROM jobs WHERE dedupe_key IN ({})",
                params.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for j in chunk {
                q = q.bind(j.dedupe_key.clone());
            }
            for r in q.fetch_all(self.pool()).await? {
                existing.insert(r.try_get::<String, _>(0)?);
            }
        }
        let mut created = Vec::new();
        for j in jobs.iter().filter(|j| !existing.contains(&j.dedupe_key)) {
            let id = new_id();
            let (_turn, mut tx) = self.begin_write().await?;
            // The audit head first, as in every transaction: concurrent enqueuers line up there, not on the key.
            append(&mut tx, actor, "enqueue", "job", &id).await?;
            let inserted = sqlx::query(
                "INSERT INTO jobs (id, practice_id, client_id, recipient_id, kind, payload, dedupe_key, status, run_at, \
                 attempts, max_attempts, locked_by, locked_until, last_error, outbox_file, finished_at, resent_at, \
                 created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', $8, 0, $9, NULL, NULL, NULL, NULL, NULL, NULL, $10, $11) \
                 ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
            )
            .bind(&id)
            .bind(j.practice_id.clone())
            .bind(j.client_id.clone())
            .bind(j.recipient_id.clone())
            .bind(&j.kind)
            .bind(j.payload.to_string())
            .bind(&j.dedupe_key)
            .bind(j.run_at)
            .bind(j.max_attempts)
            .bind(now)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            if inserted.is_some() {
                tx.commit().await?;
                created.push(id);
            }
            // Otherwise another instance enqueued it in the meantime: the transaction (and its audit event) is
            // dropped, rolled back.
        }
        Ok(created)
    }

    /// Claims the oldest due queued job for `worker`: sets it running with a lease until `now + lease_ms` and
    /// counts the attempt, committed before this returns. `None` when nothing is due.
    pub async fn claim_job(
        &self,
        actor: &Actor,
        worker: &str,
        now: i64,
        lease_ms: i64,
    ) -> Result<Option<Job>, StoreError> {
        system_only(actor)?;
        // One statement: the row is chosen and updated atomically. PostgreSQL skips rows another instance holds,
        // so concurrent claimers take different jobs instead of queueing on one.
        // Most calls find nothing due: a read says so without taking the write turn.
        let due =
            sqlx::query("SELECT 1 FROM jobs WHERE status = 'queued' AND run_at <= $1 LIMIT 1")
                .bind(now)
                .fetch_optional(self.pool())
                .await?;
        if due.is_none() {
            return Ok(None);
        }
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = $1, locked_until = $2, \
             updated_at = $3 WHERE id = (SELECT id FROM jobs WHERE status = 'queued' AND run_at <= $4 \
             ORDER BY run_at, id LIMIT 1{lock}) AND status = 'queued' RETURNING {}",
            JOB_COLUMNS.replace("j.", "")
        );
        let (_turn, mut tx) = self.begin_write().await?;
        let row = sqlx::query(&sql)
            .bind(worker)
            .bind(now + lease_ms)
            .bind(now)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
        tx.commit().await?;
        row.as_ref().map(job_from).transpose()
    }

    /// Records how `worker`'s attempt at a job ended (see [`JobOutcome`]). A mail sent is audited as
    /// `send job <id>`. Returns false when the job was no longer this worker's (an admin or another instance
    /// changed it meanwhile), in which case nothing is written.
    pub async fn finish_job(
        &self,
        actor: &Actor,
        job_id: &str,
        worker: &str,
        outcome: &JobOutcome,
        now: i64,
    ) -> Result<bool, StoreError> {
        system_only(actor)?;
        let (_turn, mut tx) = self.begin_write().await?;
        if matches!(outcome, JobOutcome::Sent { .. }) {
            append(&mut tx, actor, "send", "job", job_id).await?;
        }
        let row = sqlx::query(
            "SELECT attempts, max_attempts FROM jobs WHERE id = $1 AND locked_by = $2 \
             AND status IN ('running', 'interrupted')",
        )
        .bind(job_id)
        .bind(worker)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(false);
        };
        let attempts: i64 = row.try_get(0)?;
        let max_attempts: i64 = row.try_get(1)?;
        // A job whose lease ran out while its worker lived (a very slow server) may have been marked interrupted
        // meanwhile; its worker still knows how it ended, and says so.
        let (status, run_at, error, outbox, finished) = match outcome {
            JobOutcome::Sent { outbox_file } => {
                (JobStatus::Sent, None, None, outbox_file.clone(), Some(now))
            }
            JobOutcome::Skipped { reason } => (
                JobStatus::Skipped,
                None,
                Some(clean_error(reason)),
                None,
                Some(now),
            ),
            JobOutcome::NotHandedOver { error, permanent } => {
                if *permanent || attempts >= max_attempts {
                    (
                        JobStatus::Failed,
                        None,
                        Some(clean_error(error)),
                        None,
                        Some(now),
                    )
                } else {
                    (
                        JobStatus::Queued,
                        Some(now + backoff_ms(attempts)),
                        Some(clean_error(error)),
                        None,
                        None,
                    )
                }
            }
            JobOutcome::Uncertain { error } => (
                JobStatus::Interrupted,
                None,
                Some(clean_error(error)),
                None,
                Some(now),
            ),
        };
        sqlx::query(
            "UPDATE jobs SET status = $1, run_at = COALESCE($2, run_at), last_error = $3, outbox_file = $4, \
             finished_at = $5, locked_by = $6, locked_until = NULL, updated_at = $7 WHERE id = $8",
        )
        .bind(status.as_str())
        .bind(run_at)
        .bind(error)
        .bind(outbox)
        .bind(finished)
        // A job queued again belongs to no worker; a finished one keeps the name of the worker that finished it.
        .bind((status != JobStatus::Queued).then(|| worker.to_string()))
        .bind(now)
        .bind(job_id)
        .execute(&mut *tx)
        .await?;
        if status == JobStatus::Sent {
            crate::waitlist::forget_sent_link(&mut tx, job_id).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Marks every running job whose lease ran out before `now` interrupted: its worker died mid-job, and whether
    /// its mail went out is unknown, so it is not retried (an admin may send it again). Any instance may do this;
    /// it is idempotent. Returns how many were marked.
    pub async fn mark_interrupted_jobs(&self, actor: &Actor, now: i64) -> Result<u64, StoreError> {
        system_only(actor)?;
        let _turn = self.write_turn().await;
        let n = sqlx::query(
            "UPDATE jobs SET status = 'interrupted', last_error = $1, locked_until = NULL, finished_at = $2, \
             updated_at = $3 WHERE status = 'running' AND locked_until < $4",
        )
        .bind("interrupted: the instance sending it stopped before recording the result")
        .bind(now)
        .bind(now)
        .bind(now)
        .execute(self.pool())
        .await?
        .rows_affected();
        Ok(n)
    }

    /// One job by id, for ferd itself (the worker, tests).
    pub async fn job(&self, actor: &Actor, job_id: &str) -> Result<Job, StoreError> {
        system_only(actor)?;
        let row = sqlx::query(&format!("SELECT {JOB_COLUMNS} FROM jobs j WHERE j.id = $1"))
            .bind(job_id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound { entity: "job" })?;
        job_from(&row)
    }

    /// Every job, oldest first, for ferd itself (tests and maintenance).
    pub async fn all_jobs(&self, actor: &Actor) -> Result<Vec<Job>, StoreError> {
        system_only(actor)?;
        let rows = sqlx::query(&format!(
            "SELECT {JOB_COLUMNS} FROM jobs j ORDER BY j.created_at, j.id"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(job_from).collect()
    }

    /// The practice's jobs for its admin, newest first (at most `limit`), with each recipient's address, and the
    /// counts by status over all of them. Audited as `list job`.
    pub async fn practice_jobs(
        &self,
        actor: &Actor,
        limit: i64,
    ) -> Result<(Vec<JobRow>, JobCounts), StoreError> {
        let practice = actor.admin_practice("only an admin sees the practice's mail")?;
        let mut tx = self.begin_read().await?;
        let rows = sqlx::query(&format!(
            "SELECT {JOB_COLUMNS}, u.email AS recipient_email FROM jobs j LEFT JOIN users u ON u.id = j.recipient_id \
             WHERE j.practice_id = $1 ORDER BY j.created_at DESC, j.id DESC LIMIT $2"
        ))
        .bind(&practice)
        .bind(limit.clamp(1, 1000))
        .fetch_all(&mut *tx)
        .await?;
        let counts =
            sqlx::query("SELECT status, COUNT(*) FROM jobs WHERE practice_id = $1 GROUP BY status")
                .bind(&practice)
                .fetch_all(&mut *tx)
                .await?;
        tx.commit().await?;
        self.audit_read(actor, "list", "job", &format!("practice:{practice}"))
            .await?;
        let mut c = JobCounts::default();
        for r in &counts {
            let status: String = r.try_get(0)?;
            let n: i64 = r.try_get(1)?;
            match JobStatus::parse(&status)? {
                JobStatus::Queued => c.queued = n,
                JobStatus::Running => c.running = n,
                JobStatus::Sent => c.sent = n,
                JobStatus::Skipped => c.skipped = n,
                JobStatus::Failed => c.failed = n,
                JobStatus::Interrupted => c.interrupted = n,
            }
        }
        let jobs = rows
            .iter()
            .map(|r| {
                Ok(JobRow {
                    job: job_from(r)?,
                    recipient_email: r.try_get("recipient_email")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok((jobs, c))
    }

    /// The outbox file of one of the practice's jobs, for its admin to read (`None`: the mail did not go to the
    /// outbox). Audited as `read job <id>`.
    pub async fn job_outbox_file(
        &self,
        actor: &Actor,
        job_id: &str,
    ) -> Result<Option<String>, StoreError> {
        let practice = actor.admin_practice("only an admin sees the practice's mail")?;
        let row = sqlx::query("SELECT outbox_file FROM jobs WHERE id = $1 AND practice_id = $2")
            .bind(job_id)
            .bind(&practice)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound { entity: "job" })?;
        self.audit_read(actor, "read", "job", job_id).await?;
        Ok(row.try_get(0)?)
    }

    /// An admin sends an interrupted or failed job again: it is queued to run now with a fresh set of attempts.
    /// For an interrupted job this is a person's decision that a second mail is better than none (the first may
    /// have arrived). Audited as `resend job <id>`.
    pub async fn resend_job(&self, actor: &Actor, job_id: &str) -> Result<(), StoreError> {
        let practice = actor.admin_practice("only an admin sees the practice's mail")?;
        let now = now_ms();
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "resend", "job", job_id).await?;
        let row = sqlx::query("SELECT status FROM jobs WHERE id = $1 AND practice_id = $2")
            .bind(job_id)
            .bind(&practice)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound { entity: "job" })?;
        let status = JobStatus::parse(&row.try_get::<String, _>(0)?)?;
        if !matches!(status, JobStatus::Interrupted | JobStatus::Failed) {
            return Err(invalid(
                "status",
                "only an interrupted or failed job can be sent again",
            ));
        }
        sqlx::query(
            "UPDATE jobs SET status = 'queued', run_at = $1, max_attempts = attempts + $2, locked_by = NULL, \
             locked_until = NULL, finished_at = NULL, resent_at = $3, updated_at = $4 WHERE id = $5",
        )
        .bind(now)
        .bind(DEFAULT_MAX_ATTEMPTS)
        .bind(now)
        .bind(now)
        .bind(job_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_a_minute_up_to_an_hour() {
        assert_eq!(backoff_ms(0), 60_000);
        assert_eq!(backoff_ms(1), 60_000);
        assert_eq!(backoff_ms(2), 120_000);
        assert_eq!(backoff_ms(3), 240_000);
        assert_eq!(backoff_ms(6), 1_920_000);
        assert_eq!(backoff_ms(7), 3_600_000);
        assert_eq!(backoff_ms(100), 3_600_000);
    }

    #[test]
    fn an_error_is_kept_to_one_bounded_line() {
        assert_eq!(clean_error("a\nb\r\tc"), "a b  c");
        assert_eq!(clean_error(&"x".repeat(1000)).len(), 300);
    }
}

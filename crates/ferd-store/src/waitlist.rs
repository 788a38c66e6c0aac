//! Capacity and the waitlist: whether the practice takes new clients, and what happens to people who write while
//! it does not.
//!
//! **Capacity.** A practice admin says whether the practice takes new clients; each therapist says whether they
//! do (an admin may say it for any of them). The practice is *full* when its own flag is off or none of its active
//! therapists takes new clients. Every change is audited (`close-to-new-clients` / `open-to-new-clients`).
//!
//! **The waitlist.** While the practice is full, a message through the public form becomes a place on the waitlist:
//! the inquiry is stored exactly as any other (the same checks, consent and encryption), and beside it a
//! `waitlist_entries` row with the joined date, an optional preferred therapist and the SHA-256 of the person's
//! status link. An inquiry is either in the inbox or on the waitlist, never both and never neither. The position is
//! not stored: it is the rank among those waiting by joined time, then id, so nobody can be skipped by an edit.
//!
//! **Moves.** "Take the next" moves the longest-waiting person; "take this person" moves someone chosen, and needs
//! a reason (stored encrypted) unless they are first. Both end the place with one conditional write (`… WHERE
//! status = 'waiting'`) and make the client and their journey with the same code that turns an inbox inquiry into a
//! client, in one transaction: two members of staff moving people at the same time never move one person twice,
//! and two "take the next" move two different people in order. Every write transaction starts with the audit
//! append, which takes SQLite's write turn or PostgreSQL's audit-head row lock, so concurrent moves line up there;
//! the conditional update is what makes a move happen once even without that.
//!
//! **The person's side.** The status link shows the place ("number N of M, since …") and lets the person leave:
//! leaving erases their name, e-mail, phone and message at once. The link reaches them on the confirmation page
//! and by e-mail through the job queue; the e-mail needs the link itself, so it is kept encrypted only until that
//! e-mail has been handed over ([`forget_sent_link`]), and the database otherwise holds only its hash.
//!
//! **Retention.** The inquiries' year (`site.rs`) runs from the day a place ended, never while the person waits.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::audit::append;
use crate::jobs::{Job, DEFAULT_MAX_ATTEMPTS};
use crate::records::{check_public_inquiry, invalid, not_found, public_actor};
use crate::reminders::{MailContext, MailPlan, Reminder};
use crate::{new_id, now_ms, Actor, Backend, Client, Inquiry, NewInquiry, Role, Store, StoreError};

/// The job that e-mails a person their status link: payload `{"entry": id}`, no recipient user (the address is
/// the inquiry's, read when it is sent).
pub const KIND_WAITLIST_STATUS: &str = "waitlist-status";
/// After this many days of waiting the dashboard marks the longest wait.
pub const LONG_WAIT_DAYS: i64 = 30;
/// The longest reason staff may write for a move out of order or a removal.
pub const MAX_REASON_CHARS: usize = 2_000;
const DAY_MS: i64 = 86_400_000;

/// Where a place on the waitlist stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WaitlistStatus {
    /// On the list.
    Waiting,
    /// Moved into intake: a client with a journey at intake.
    Moved,
    /// The person left the list themself (their details are erased).
    Left,
    /// Staff took them off the list, with a reason (found help elsewhere, referred on, …).
    Removed,
}

impl WaitlistStatus {
    /// The status as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            WaitlistStatus::Waiting => "waiting",
            WaitlistStatus::Moved => "moved",
            WaitlistStatus::Left => "left",
            WaitlistStatus::Removed => "removed",
        }
    }

    /// Parses a stored status.
    pub fn parse(s: &str) -> Result<WaitlistStatus, StoreError> {
        Ok(match s {
            "waiting" => WaitlistStatus::Waiting,
            "moved" => WaitlistStatus::Moved,
            "left" => WaitlistStatus::Left,
            "removed" => WaitlistStatus::Removed,
            other => {
                return Err(StoreError::Database(format!(
                    "unknown waitlist status {other}"
                )))
            }
        })
    }
}

/// Whether one therapist takes new clients.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TherapistCapacity {
    pub user_id: String,
    pub name: String,
    pub accepting: bool,
}

/// The practice's capacity, as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Capacity {
    /// The practice's own flag (an admin sets it).
    pub practice_accepting: bool,
    /// The active therapists, by name.
    pub therapists: Vec<TherapistCapacity>,
    /// The practice flag is off, or no active therapist takes new clients: the public site offers the waitlist.
    pub full: bool,
}

/// A therapist a person on the waitlist may say they would prefer (only the practice's own active therapists).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteTherapist {
    pub id: String,
    pub name: String,
}

/// A place on the waitlist as staff see it, with the inquiry it builds on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaitlistEntry {
    pub id: String,
    pub inquiry_id: String,
    pub status: WaitlistStatus,
    pub joined_at: i64,
    /// The place among those waiting (1 is next); `None` once the place has ended.
    pub position: Option<i64>,
    /// Empty once the person has left (erased).
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    /// The language they would like to be answered in.
    pub language: String,
    pub message: String,
    pub preferred_therapist_id: Option<String>,
    pub preferred_therapist: Option<String>,
    pub ended_at: Option<i64>,
    /// The member of staff who moved or removed them.
    pub ended_by: Option<String>,
    /// Why they were taken out of order or removed (decrypted).
    pub end_reason: Option<String>,
    /// The place they had when the place ended (1: in order).
    pub position_at_end: Option<i64>,
    /// The client they became.
    pub client_id: Option<String>,
}

impl WaitlistEntry {
    /// Whole days from joining to `now`, or to the end of the place.
    pub fn days_waited(&self, now: i64) -> i64 {
        (self.ended_at.unwrap_or(now) - self.joined_at).max(0) / DAY_MS
    }

    /// Whether this place has waited [`LONG_WAIT_DAYS`] or more.
    pub fn long_wait(&self, now: i64) -> bool {
        self.days_waited(now) >= LONG_WAIT_DAYS
    }
}

/// How many wait, and since when the longest has waited: for the dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct WaitlistSummary {
    pub waiting: i64,
    pub oldest_joined_at: Option<i64>,
}

impl WaitlistSummary {
    /// Whole days the longest-waiting person has waited at `now`.
    pub fn oldest_days(&self, now: i64) -> Option<i64> {
        self.oldest_joined_at.map(|t| (now - t).max(0) / DAY_MS)
    }

    /// Whether the longest wait has reached [`LONG_WAIT_DAYS`].
    pub fn long_wait(&self, now: i64) -> bool {
        self.oldest_days(now).is_some_and(|d| d >= LONG_WAIT_DAYS)
    }
}

/// What a person's status link shows them: their place and nothing about anyone else but the count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaitlistPlace {
    pub status: WaitlistStatus,
    /// Their place among those waiting, while they wait.
    pub position: Option<i64>,
    /// How many wait, them included.
    pub waiting: i64,
    pub joined_at: i64,
    pub language: String,
    pub ended_at: Option<i64>,
}

/// A new place on the waitlist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined {
    pub inquiry: Inquiry,
    pub entry_id: String,
}

/// A person moved from the waitlist into intake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TakenIntoIntake {
    pub entry_id: String,
    /// The place they had (1: in order).
    pub position: i64,
    pub client: Client,
}

/// The SHA-256 of a status link's token, hex: what the database keeps instead of the token.
pub fn status_token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn no_longer_waiting() -> StoreError {
    invalid(
        "status",
        "this person is no longer waiting: someone else has taken them into intake, removed them, or they left",
    )
}

/// A reason staff wrote: trimmed, at most [`MAX_REASON_CHARS`]; `None` when empty.
fn clean_reason(reason: Option<&str>) -> Result<Option<String>, StoreError> {
    let r = reason.map(str::trim).filter(|r| !r.is_empty());
    if r.is_some_and(|r| r.chars().count() > MAX_REASON_CHARS) {
        return Err(invalid(
            "reason",
            format!("must be at most {MAX_REASON_CHARS} characters"),
        ));
    }
    Ok(r.map(str::to_string))
}

/// Refuses to turn an inquiry on the waitlist into a client through the inbox or the JSON API: people leave the
/// waitlist in order, or by a choice with a reason, through the waitlist's own moves.
pub(crate) async fn refuse_if_waitlisted(
    tx: &mut Transaction<'static, Any>,
    inquiry_id: &str,
) -> Result<(), StoreError> {
    let on_list = sqlx::query("SELECT 1 FROM waitlist_entries WHERE inquiry_id = $1")
        .bind(inquiry_id)
        .fetch_optional(&mut **tx)
        .await?;
    if on_list.is_some() {
        return Err(invalid(
            "inquiry",
            "is on the waitlist: take the person into intake from the waitlist",
        ));
    }
    Ok(())
}

/// Inside the transaction that records a job as sent: a status-link e-mail has been handed over, so the encrypted
/// link it needed is erased; from now on only the link's hash remains.
pub(crate) async fn forget_sent_link(
    tx: &mut Transaction<'static, Any>,
    job_id: &str,
) -> Result<(), StoreError> {
    let row = sqlx::query("SELECT kind, payload FROM jobs WHERE id = $1")
        .bind(job_id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(row) = row else {
        return Ok(());
    };
    if row.try_get::<String, _>(0)? != KIND_WAITLIST_STATUS {
        return Ok(());
    }
    let payload: serde_json::Value = serde_json::from_str(&row.try_get::<String, _>(1)?)
        .map_err(|e| StoreError::Database(format!("job payload: {e}")))?;
    if let Some(entry) = payload.get("entry").and_then(|v| v.as_str()) {
        sqlx::query(
            "UPDATE waitlist_entries SET status_link_enc = NULL, updated_at = $1 WHERE id = $2",
        )
        .bind(now_ms())
        .bind(entry)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Ends a waiting place (`Moved` into intake or `Removed` by staff), with who ended it, the sealed reason and the
/// position it had. The one write that decides: a place ends once, whoever asks at the same moment; if it was no
/// longer waiting, nothing is written and the caller hears so.
#[allow(clippy::too_many_arguments)]
async fn end_place(
    tx: &mut Transaction<'static, Any>,
    status: WaitlistStatus,
    actor: &Actor,
    practice: &str,
    entry_id: &str,
    reason_enc: Option<Vec<u8>>,
    position: i64,
    now: i64,
) -> Result<(), StoreError> {
    let n = sqlx::query(
        "UPDATE waitlist_entries SET status = $1, ended_at = $2, ended_by = $3, end_reason_enc = $4, \
         position_at_end = $5, updated_at = $6 WHERE id = $7 AND practice_id = $8 AND status = 'waiting'",
    )
    .bind(status.as_str())
    .bind(now)
    .bind(actor.user_id.clone())
    .bind(reason_enc)
    .bind(position)
    .bind(now)
    .bind(entry_id)
    .bind(practice)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(no_longer_waiting());
    }
    Ok(())
}

/// The place of a waiting entry: 1 + how many of the practice wait before it (joined earlier, or at the same
/// moment with a smaller id).
async fn position_of(
    tx: &mut Transaction<'static, Any>,
    practice: &str,
    joined_at: i64,
    id: &str,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "SELECT COUNT(*) FROM waitlist_entries WHERE practice_id = $1 AND status = 'waiting' \
         AND (joined_at < $2 OR (joined_at = $2 AND id < $3))",
    )
    .bind(practice)
    .bind(joined_at)
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get::<i64, _>(0)? + 1)
}

impl Store {
    /// Whether the practice and each of its active therapists take new clients, for its staff.
    pub async fn capacity(&self, actor: &Actor) -> Result<Capacity, StoreError> {
        let practice = actor.staff_practice("only the practice's staff handle the waitlist")?;
        let mut tx = self.begin_read().await?;
        let p = sqlx::query("SELECT accepting_new_clients FROM practices WHERE id = $1")
            .bind(&practice)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(not_found("practice"))?;
        let rows = sqlx::query(
            "SELECT id, display_name, accepting_new_clients FROM users \
             WHERE practice_id = $1 AND role = 'therapist' AND disabled = 0 ORDER BY display_name, id",
        )
        .bind(&practice)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let practice_accepting = p.try_get::<i64, _>(0)? != 0;
        let therapists = rows
            .iter()
            .map(|r| {
                Ok(TherapistCapacity {
                    user_id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    accepting: r.try_get::<i64, _>(2)? != 0,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let full = !practice_accepting || !therapists.iter().any(|t| t.accepting);
        Ok(Capacity {
            practice_accepting,
            therapists,
            full,
        })
    }

    /// Whether the public site's practice is full (for the public site, which has no signed-in actor). Reads
    /// flags only, nothing about any person.
    pub async fn practice_full(&self, practice_id: &str) -> Result<bool, StoreError> {
        let row = sqlx::query(
            "SELECT p.accepting_new_clients, (SELECT COUNT(*) FROM users u WHERE u.practice_id = p.id \
             AND u.role = 'therapist' AND u.disabled = 0 AND u.accepting_new_clients = 1) \
             FROM practices p WHERE p.id = $1",
        )
        .bind(practice_id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(not_found("practice"))?;
        Ok(row.try_get::<i64, _>(0)? == 0 || row.try_get::<i64, _>(1)? == 0)
    }

    /// The practice's active therapists by name, for the waitlist form's "preferred therapist" (never admins,
    /// clients or another practice's staff).
    pub async fn site_therapists(
        &self,
        practice_id: &str,
    ) -> Result<Vec<SiteTherapist>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, display_name FROM users WHERE practice_id = $1 AND role = 'therapist' AND disabled = 0 \
             ORDER BY display_name, id",
        )
        .bind(practice_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SiteTherapist {
                    id: r.try_get(0)?,
                    name: r.try_get(1)?,
                })
            })
            .collect()
    }

    /// An admin opens or closes the practice to new clients. Only a change is written; audited as
    /// `close-to-new-clients` or `open-to-new-clients` of the practice. People already waiting stay waiting.
    pub async fn set_practice_accepting(
        &self,
        actor: &Actor,
        accepting: bool,
    ) -> Result<(), StoreError> {
        let practice =
            actor.admin_practice("only an admin says whether the practice takes new clients")?;
        let (_turn, mut tx) = self.begin_write().await?;
        let action = if accepting {
            "open-to-new-clients"
        } else {
            "close-to-new-clients"
        };
        append(&mut tx, actor, action, "practice", &practice).await?;
        let n = sqlx::query(
            "UPDATE practices SET accepting_new_clients = $1, updated_at = $2 \
             WHERE id = $3 AND accepting_new_clients <> $1",
        )
        .bind(i64::from(accepting))
        .bind(now_ms())
        .bind(&practice)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        // No change: the transaction and its audit event are dropped.
        if n == 1 {
            tx.commit().await?;
        }
        Ok(())
    }

    /// A therapist says whether they take new clients; an admin may say it for any therapist of the practice.
    /// Only a change is written; audited as `close-to-new-clients` or `open-to-new-clients` of the user. Another
    /// practice's therapist is "not found".
    pub async fn set_therapist_accepting(
        &self,
        actor: &Actor,
        therapist_id: &str,
        accepting: bool,
    ) -> Result<(), StoreError> {
        let practice = actor.staff_practice("only the practice's staff handle the waitlist")?;
        let own = actor.role == Role::Therapist && actor.user_id == therapist_id;
        if !own {
            actor.admin_practice("only an admin says whether the practice takes new clients")?;
        }
        let (_turn, mut tx) = self.begin_write().await?;
        let action = if accepting {
            "open-to-new-clients"
        } else {
            "close-to-new-clients"
        };
        append(&mut tx, actor, action, "user", therapist_id).await?;
        let current = sqlx::query(
            "SELECT accepting_new_clients FROM users WHERE id = $1 AND practice_id = $2 AND role = 'therapist'",
        )
        .bind(therapist_id)
        .bind(&practice)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(not_found("therapist"))?;
        if (current.try_get::<i64, _>(0)? != 0) == accepting {
            return Ok(());
        }
        sqlx::query("UPDATE users SET accepting_new_clients = $1, updated_at = $2 WHERE id = $3")
            .bind(i64::from(accepting))
            .bind(now_ms())
            .bind(therapist_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Puts a message from the public site on the waitlist: the inquiry stored as every inquiry is (same checks,
    /// consent, encryption), its place with `preferred_therapist` (one of the practice's active therapists, or
    /// none) and the hash of `token`, and the e-mail with the status link queued, all in one transaction. Audited
    /// by `public` as `create inquiry`, `create waitlist_entry` and `enqueue job`.
    pub async fn join_waitlist(
        &self,
        new: NewInquiry,
        preferred_therapist: Option<String>,
        token: &str,
        request_id: &str,
    ) -> Result<Joined, StoreError> {
        let checked = check_public_inquiry(new)?;
        if !(32..=128).contains(&token.len()) {
            return Err(invalid("token", "must be 32–128 characters"));
        }
        let preferred = preferred_therapist
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
        let practice = checked.practice_id.clone();
        let public = public_actor(&practice, request_id);
        let (_turn, mut tx) = self.begin_write().await?;
        let inquiry = self
            .insert_public_inquiry(&mut tx, &public, checked)
            .await?;
        if let Some(t) = &preferred {
            let staff = sqlx::query(
                "SELECT 1 FROM users WHERE id = $1 AND practice_id = $2 AND role = 'therapist' AND disabled = 0",
            )
            .bind(t)
            .bind(&practice)
            .fetch_optional(&mut *tx)
            .await?;
            if staff.is_none() {
                return Err(invalid(
                    "therapist",
                    "is not one of the practice's therapists",
                ));
            }
        }
        let entry_id = new_id();
        let now = inquiry.created_at;
        append(&mut tx, &public, "create", "waitlist_entry", &entry_id).await?;
        let link = self.keys.seal(
            &format!("waitlist_entries.status_link_enc.{entry_id}"),
            token,
        )?;
        sqlx::query(
            "INSERT INTO waitlist_entries (id, practice_id, inquiry_id, status, joined_at, preferred_therapist_id, \
             status_token_hash, status_link_enc, ended_at, ended_by, end_reason_enc, position_at_end, client_id, \
             created_at, updated_at) \
             VALUES ($1, $2, $3, 'waiting', $4, $5, $6, $7, NULL, NULL, NULL, NULL, NULL, $8, $9)",
        )
        .bind(&entry_id)
        .bind(&practice)
        .bind(&inquiry.id)
        .bind(now)
        .bind(preferred)
        .bind(status_token_hash(token))
        .bind(link)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let job_id = new_id();
        append(&mut tx, &public, "enqueue", "job", &job_id).await?;
        sqlx::query(
            "INSERT INTO jobs (id, practice_id, client_id, recipient_id, kind, payload, dedupe_key, status, run_at, \
             attempts, max_attempts, locked_by, locked_until, last_error, outbox_file, finished_at, resent_at, \
             created_at, updated_at) \
             VALUES ($1, $2, NULL, NULL, $3, $4, $5, 'queued', $6, 0, $7, NULL, NULL, NULL, NULL, NULL, NULL, $8, $9)",
        )
        .bind(&job_id)
        .bind(&practice)
        .bind(KIND_WAITLIST_STATUS)
        .bind(serde_json::json!({ "entry": entry_id }).to_string())
        .bind(format!("{KIND_WAITLIST_STATUS}:{entry_id}"))
        .bind(now)
        .bind(DEFAULT_MAX_ATTEMPTS)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Joined { inquiry, entry_id })
    }

    /// What the status link with this hash shows. An unknown hash, or one whose person has left, is "not found".
    /// Audited by `public` as `read waitlist_entry`.
    pub async fn waitlist_place(
        &self,
        token_hash: &str,
        request_id: &str,
    ) -> Result<WaitlistPlace, StoreError> {
        let mut tx = self.begin_read().await?;
        let row = sqlx::query(
            "SELECT w.id, w.practice_id, w.status, w.joined_at, w.ended_at, i.language FROM waitlist_entries w \
             JOIN inquiries i ON i.id = w.inquiry_id WHERE w.status_token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(not_found("waitlist place"))?;
        let id: String = row.try_get("id")?;
        let practice: String = row.try_get("practice_id")?;
        let status = WaitlistStatus::parse(&row.try_get::<String, _>("status")?)?;
        let joined_at: i64 = row.try_get("joined_at")?;
        let position = if status == WaitlistStatus::Waiting {
            Some(position_of(&mut tx, &practice, joined_at, &id).await?)
        } else {
            None
        };
        let waiting: i64 = sqlx::query(
            "SELECT COUNT(*) FROM waitlist_entries WHERE practice_id = $1 AND status = 'waiting'",
        )
        .bind(&practice)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        tx.commit().await?;
        self.audit_read(
            &public_actor(&practice, request_id),
            "read",
            "waitlist_entry",
            &id,
        )
        .await?;
        Ok(WaitlistPlace {
            status,
            position,
            waiting,
            joined_at,
            language: row.try_get("language")?,
            ended_at: row.try_get("ended_at")?,
        })
    }

    /// The person with this status link leaves the waitlist: the place ends, their name, e-mail, phone and
    /// message are erased at once, and the link stops working. Audited by `public` as `leave waitlist_entry`. An
    /// unknown link is "not found"; a place that already ended (moved or removed) cannot be left.
    pub async fn leave_waitlist(
        &self,
        token_hash: &str,
        request_id: &str,
    ) -> Result<(), StoreError> {
        // Found before the write transaction, whose first step is the audit event naming it.
        let row = sqlx::query(
            "SELECT id, practice_id, inquiry_id, joined_at FROM waitlist_entries WHERE status_token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await?
        .ok_or(not_found("waitlist place"))?;
        let id: String = row.try_get(0)?;
        let practice: String = row.try_get(1)?;
        let inquiry: String = row.try_get(2)?;
        let joined_at: i64 = row.try_get(3)?;
        let public = public_actor(&practice, request_id);
        let now = now_ms();
        let erased = self
            .keys
            .seal(&format!("inquiries.message_enc.{inquiry}"), "")?;
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, &public, "leave", "waitlist_entry", &id).await?;
        let position = position_of(&mut tx, &practice, joined_at, &id).await?;
        let n = sqlx::query(
            "UPDATE waitlist_entries SET status = 'left', ended_at = $1, position_at_end = $2, \
             status_token_hash = NULL, status_link_enc = NULL, updated_at = $3 \
             WHERE id = $4 AND status_token_hash = $5 AND status = 'waiting'",
        )
        .bind(now)
        .bind(position)
        .bind(now)
        .bind(&id)
        .bind(token_hash)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(no_longer_waiting());
        }
        append(&mut tx, &public, "erase", "inquiry", &inquiry).await?;
        sqlx::query(
            "UPDATE inquiries SET name = '', email = '', phone = NULL, message_enc = $1, status = 'closed', \
             updated_at = $2 WHERE id = $3",
        )
        .bind(erased)
        .bind(now)
        .bind(&inquiry)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The practice's waitlist for its staff: those waiting in order (with their place), then the places that
    /// ended, latest first. Messages and reasons are decrypted. Audited as `list waitlist_entry`.
    pub async fn waitlist(&self, actor: &Actor) -> Result<Vec<WaitlistEntry>, StoreError> {
        let practice = actor.staff_practice("only the practice's staff handle the waitlist")?;
        let mut tx = self.begin_read().await?;
        let rows = sqlx::query(
            "SELECT w.*, i.name, i.email, i.phone, i.language, i.message_enc, \
             t.display_name AS preferred_name, e.display_name AS ended_by_name \
             FROM waitlist_entries w JOIN inquiries i ON i.id = w.inquiry_id \
             LEFT JOIN users t ON t.id = w.preferred_therapist_id LEFT JOIN users e ON e.id = w.ended_by \
             WHERE w.practice_id = $1 \
             ORDER BY CASE WHEN w.status = 'waiting' THEN 0 ELSE 1 END, \
             CASE WHEN w.status = 'waiting' THEN w.joined_at ELSE -w.ended_at END, w.id",
        )
        .bind(&practice)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        self.audit_read(
            actor,
            "list",
            "waitlist_entry",
            &format!("practice:{practice}"),
        )
        .await?;
        let mut place = 0;
        rows.iter()
            .map(|r| {
                let mut e = self.entry_from(r)?;
                if e.status == WaitlistStatus::Waiting {
                    place += 1;
                    e.position = Some(place);
                }
                Ok(e)
            })
            .collect()
    }

    fn entry_from(&self, r: &AnyRow) -> Result<WaitlistEntry, StoreError> {
        let id: String = r.try_get("id")?;
        let inquiry_id: String = r.try_get("inquiry_id")?;
        let message_enc: Vec<u8> = r.try_get("message_enc")?;
        let reason_enc: Option<Vec<u8>> = r.try_get("end_reason_enc")?;
        Ok(WaitlistEntry {
            message: self
                .keys
                .open(&format!("inquiries.message_enc.{inquiry_id}"), &message_enc)?,
            end_reason: reason_enc
                .map(|enc| {
                    self.keys
                        .open(&format!("waitlist_entries.end_reason_enc.{id}"), &enc)
                })
                .transpose()?,
            status: WaitlistStatus::parse(&r.try_get::<String, _>("status")?)?,
            joined_at: r.try_get("joined_at")?,
            position: None,
            name: r.try_get("name")?,
            email: r.try_get("email")?,
            phone: r.try_get("phone")?,
            language: r.try_get("language")?,
            preferred_therapist_id: r.try_get("preferred_therapist_id")?,
            preferred_therapist: r.try_get("preferred_name")?,
            ended_at: r.try_get("ended_at")?,
            ended_by: r.try_get("ended_by_name")?,
            position_at_end: r.try_get("position_at_end")?,
            client_id: r.try_get("client_id")?,
            id,
            inquiry_id,
        })
    }

    /// How many of the practice wait, and since when the longest has: for the dashboard. Audited as
    /// `summary waitlist`.
    pub async fn waitlist_summary(&self, actor: &Actor) -> Result<WaitlistSummary, StoreError> {
        let practice = actor.staff_practice("only the practice's staff handle the waitlist")?;
        let row = sqlx::query(
            "SELECT COUNT(*), MIN(joined_at) FROM waitlist_entries WHERE practice_id = $1 AND status = 'waiting'",
        )
        .bind(&practice)
        .fetch_one(self.pool())
        .await?;
        self.audit_read(actor, "summary", "waitlist", &practice)
            .await?;
        Ok(WaitlistSummary {
            waiting: row.try_get(0)?,
            oldest_joined_at: row.try_get(1)?,
        })
    }

    /// Moves the person who has waited longest into intake: a client from their inquiry with a journey at intake
    /// on `protocol`, assigned to the therapist who takes them (an admin's move assigns their preferred therapist,
    /// if any). Two members of staff doing this at once move two different people, in order. Nobody waiting is an
    /// error on the field `waitlist`.
    pub async fn take_next_from_waitlist(
        &self,
        actor: &Actor,
        protocol: &str,
    ) -> Result<TakenIntoIntake, StoreError> {
        let practice = actor.staff_practice("only the practice's staff handle the waitlist")?;
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "take-next", "waitlist", &practice).await?;
        // The audit head above already lines writers up; on PostgreSQL the oldest place is also locked, and a place
        // another transaction holds is passed over rather than waited for.
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let next = sqlx::query(&format!(
            "SELECT id FROM waitlist_entries WHERE practice_id = $1 AND status = 'waiting' \
             ORDER BY joined_at, id LIMIT 1{lock}"
        ))
        .bind(&practice)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| invalid("waitlist", "nobody is waiting"))?;
        let entry_id: String = next.try_get(0)?;
        let taken = self
            .move_into_intake(&mut tx, actor, &practice, &entry_id, None, protocol, true)
            .await?;
        tx.commit().await?;
        Ok(taken)
    }

    /// Moves a chosen person into intake. Anyone but the first in line is taken out of order, which needs a
    /// `reason` (stored encrypted, shown in the place's history); without one nothing changes. If someone else
    /// moved or removed them first, or they left, this fails on the field `status` and nothing changes.
    pub async fn take_from_waitlist(
        &self,
        actor: &Actor,
        entry_id: &str,
        reason: Option<&str>,
        protocol: &str,
    ) -> Result<TakenIntoIntake, StoreError> {
        let practice = actor.staff_practice("only the practice's staff handle the waitlist")?;
        let reason = clean_reason(reason)?;
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "take", "waitlist_entry", entry_id).await?;
        let taken = self
            .move_into_intake(
                &mut tx,
                actor,
                &practice,
                entry_id,
                reason.as_deref(),
                protocol,
                false,
            )
            .await?;
        tx.commit().await?;
        Ok(taken)
    }

    /// The move itself, inside the caller's transaction (which has its first audit event): the place ends with one
    /// conditional write, then the inquiry becomes a client exactly as from the inbox.
    #[allow(clippy::too_many_arguments)]
    async fn move_into_intake(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        practice: &str,
        entry_id: &str,
        reason: Option<&str>,
        protocol: &str,
        next: bool,
    ) -> Result<TakenIntoIntake, StoreError> {
        if ferd_core::journey::Protocols::builtin()
            .get(protocol)
            .is_none()
        {
            return Err(invalid("protocol", "is not a known protocol"));
        }
        let row = sqlx::query(
            "SELECT w.status, w.joined_at, w.inquiry_id, w.preferred_therapist_id, \
             i.name, i.email, i.phone, i.language FROM waitlist_entries w JOIN inquiries i ON i.id = w.inquiry_id \
             WHERE w.id = $1 AND w.practice_id = $2",
        )
        .bind(entry_id)
        .bind(practice)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(not_found("waitlist place"))?;
        if row.try_get::<String, _>("status")? != "waiting" {
            return Err(no_longer_waiting());
        }
        let joined_at: i64 = row.try_get("joined_at")?;
        let position = position_of(tx, practice, joined_at, entry_id).await?;
        if position > 1 && reason.is_none() {
            return Err(invalid(
                "reason",
                "is required to take someone before those who have waited longer",
            ));
        }
        let reason_enc = match reason {
            Some(r) => Some(
                self.keys
                    .seal(&format!("waitlist_entries.end_reason_enc.{entry_id}"), r)?,
            ),
            None => None,
        };
        let inquiry_id: String = row.try_get("inquiry_id")?;
        let now = now_ms();
        let client_id = crate::new_id();
        end_place(
            tx,
            WaitlistStatus::Moved,
            actor,
            practice,
            entry_id,
            reason_enc,
            position,
            now,
        )
        .await?;
        if next {
            // A chosen place was named in the caller's first audit event; the next in line is named here.
            append(tx, actor, "take", "waitlist_entry", entry_id).await?;
        }
        append(tx, actor, "convert", "inquiry", &inquiry_id).await?;
        append(tx, actor, "create", "client", &client_id).await?;
        let therapist_id = if actor.role == Role::Therapist {
            Some(actor.user_id.clone())
        } else {
            let preferred: Option<String> = row.try_get("preferred_therapist_id")?;
            match preferred {
                Some(t) => sqlx::query(
                    "SELECT id FROM users WHERE id = $1 AND practice_id = $2 AND role = 'therapist' AND disabled = 0",
                )
                .bind(&t)
                .bind(practice)
                .fetch_optional(&mut **tx)
                .await?
                .map(|r| r.try_get::<String, _>(0))
                .transpose()?,
                None => None,
            }
        };
        let client = self
            .client_from_inquiry_row(
                tx,
                actor,
                client_id,
                &row,
                therapist_id,
                protocol,
                &inquiry_id,
            )
            .await?;
        sqlx::query("UPDATE waitlist_entries SET client_id = $1 WHERE id = $2")
            .bind(&client.id)
            .bind(entry_id)
            .execute(&mut **tx)
            .await?;
        Ok(TakenIntoIntake {
            entry_id: entry_id.to_string(),
            position,
            client,
        })
    }

    /// Staff take someone off the waitlist without moving them into intake (they found help elsewhere, were
    /// referred on, asked by telephone to be taken off). The `reason` is required and stored encrypted. Their
    /// inquiry is kept, and deleted a year after this, as any other. Audited as `remove waitlist_entry`.
    pub async fn remove_from_waitlist(
        &self,
        actor: &Actor,
        entry_id: &str,
        reason: &str,
    ) -> Result<(), StoreError> {
        let practice = actor.staff_practice("only the practice's staff handle the waitlist")?;
        let reason = clean_reason(Some(reason))?
            .ok_or_else(|| invalid("reason", "is required to remove someone from the waitlist"))?;
        let sealed = self.keys.seal(
            &format!("waitlist_entries.end_reason_enc.{entry_id}"),
            &reason,
        )?;
        let now = now_ms();
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "remove", "waitlist_entry", entry_id).await?;
        let row = sqlx::query(
            "SELECT status, joined_at, inquiry_id FROM waitlist_entries WHERE id = $1 AND practice_id = $2",
        )
        .bind(entry_id)
        .bind(&practice)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(not_found("waitlist place"))?;
        if row.try_get::<String, _>(0)? != "waiting" {
            return Err(no_longer_waiting());
        }
        let position = position_of(&mut tx, &practice, row.try_get(1)?, entry_id).await?;
        end_place(
            &mut tx,
            WaitlistStatus::Removed,
            actor,
            &practice,
            entry_id,
            Some(sealed),
            position,
            now,
        )
        .await?;
        sqlx::query("UPDATE inquiries SET status = 'closed', updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(row.try_get::<String, _>(2)?)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// What a status-link e-mail needs, read when it is sent: the address and language of the inquiry, and the
    /// link, still encrypted until then. Skipped when the person has left (nothing of theirs is kept) or the link
    /// went out already. Audited as `read job <id>`.
    pub(crate) async fn waitlist_mail_context(
        &self,
        actor: &Actor,
        job: &Job,
    ) -> Result<MailPlan, StoreError> {
        let payload: serde_json::Value = serde_json::from_str(&job.payload)
            .map_err(|e| StoreError::Database(format!("job payload: {e}")))?;
        let entry = payload
            .get("entry")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        let row = sqlx::query(
            "SELECT w.status, w.status_link_enc, i.email, i.language, p.name, p.time_zone \
             FROM waitlist_entries w JOIN inquiries i ON i.id = w.inquiry_id JOIN practices p ON p.id = w.practice_id \
             WHERE w.id = $1",
        )
        .bind(&entry)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else {
            return Ok(MailPlan::Skip("the waitlist place no longer exists"));
        };
        if row.try_get::<String, _>(0)? == "left" {
            return Ok(MailPlan::Skip("the person left the waitlist"));
        }
        let Some(link) = row.try_get::<Option<Vec<u8>>, _>(1)? else {
            return Ok(MailPlan::Skip("the status link was sent already"));
        };
        let token = self
            .keys
            .open(&format!("waitlist_entries.status_link_enc.{entry}"), &link)?;
        self.audit_read(actor, "read", "job", &job.id).await?;
        Ok(MailPlan::Send(MailContext {
            to: row.try_get(2)?,
            language: Some(row.try_get(3)?),
            practice_name: row.try_get(4)?,
            time_zone: row.try_get(5)?,
            to_client: false,
            reminder: Reminder::WaitlistPlace { token },
        }))
    }
}

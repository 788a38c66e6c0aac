//! Calendar subscriptions: each therapist or client can have one secret feed address for their sessions, kept as
//! the hash of its token (like browser sessions and invitations), and revocable. Reading a feed is audited as the
//! feed's user reading, since the request that reads it carries no sign-in.
//!
//! What a feed holds is minimised here, at the source: the kind, time, length and status of each session, and, in a
//! therapist's feed, the client's first name and the initial of their last name (see [`calendar_name`]). Never a
//! note, a place, a video link or anything about an external clinic: a feed is copied to whatever calendar service
//! the user subscribes with.

use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::append;
use crate::records::{bind_all, client_scope};
use crate::{new_id, now_ms, Actor, Role, Store, StoreError};

/// How far back a feed reaches: the last 30 days, so a recent session is still there to look back on.
pub const FEED_PAST_MS: i64 = 30 * 86_400_000;
/// How far ahead a feed reaches: a year (366 days, so a leap year loses nothing).
pub const FEED_AHEAD_MS: i64 = 366 * 86_400_000;

/// One session as a calendar shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarSession {
    pub id: String,
    /// `intake`, `preparation`, `medicine`, `integration` or `follow-up`.
    pub kind: String,
    /// Unix milliseconds.
    pub starts_at: i64,
    pub duration_minutes: i64,
    /// `planned`, `held`, `cancelled` or `missed`.
    pub status: String,
    /// Made from a protocol template: its date is the template's proposal until the session is held.
    pub from_template: bool,
    /// When the session was last changed (Unix milliseconds): the event's revision time.
    pub updated_at: i64,
    /// For a therapist only: the client as [`calendar_name`] shortens the name. Never set for a client, whose
    /// calendar names nobody.
    pub client_name: Option<String>,
}

/// What a calendar feed shows, and for whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarData {
    pub feed_id: String,
    pub user_id: String,
    pub role: Role,
    /// The user's interface language, else (for a client) the language their therapist recorded; `None`: the
    /// default.
    pub language: Option<String>,
    /// The practice's time zone (IANA name).
    pub time_zone: String,
    /// Planned and held sessions from [`FEED_PAST_MS`] ago to [`FEED_AHEAD_MS`] ahead, by start.
    pub sessions: Vec<CalendarSession>,
}

/// A client's name as a therapist's calendar shows it: the first name and the initial of the last
/// (`Kari Nordmann` → `Kari N.`). A feed is stored by a calendar service outside the practice, so it carries enough
/// for the therapist to recognise their day, not a full name next to the kind of treatment.
pub fn calendar_name(full: &str) -> String {
    let mut words = full.split_whitespace();
    let Some(first) = words.next() else {
        return String::new();
    };
    match words.last().and_then(|w| w.chars().next()) {
        Some(initial) => format!("{first} {initial}."),
        None => first.to_string(),
    }
}

const CALENDAR_SESSION_SQL: &str =
    "SELECT s.id, s.kind, s.scheduled_at, s.duration_minutes, s.status, s.plan_key, \
     s.updated_at, c.name AS client_name FROM sessions s JOIN clients c ON c.id = s.client_id";

fn calendar_session(r: &AnyRow, with_name: bool) -> Result<CalendarSession, StoreError> {
    let name: String = r.try_get("client_name")?;
    Ok(CalendarSession {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        starts_at: r.try_get("scheduled_at")?,
        duration_minutes: r.try_get("duration_minutes")?,
        status: r.try_get("status")?,
        from_template: r.try_get::<Option<String>, _>("plan_key")?.is_some(),
        updated_at: r.try_get("updated_at")?,
        client_name: with_name.then(|| calendar_name(&name)),
    })
}

/// Only therapists and clients have sessions of their own to subscribe to; administrators see no clinical data.
fn may_subscribe(actor: &Actor) -> Result<(), StoreError> {
    match actor.role {
        Role::Therapist => Ok(()),
        Role::Client if actor.client_id.is_some() => Ok(()),
        _ => Err(StoreError::Forbidden(
            "only therapists and clients have calendar feeds",
        )),
    }
}

impl Store {
    /// Gives the acting user a new calendar feed with this token hash, revoking any they had (one address per
    /// person, so replacing it shuts out whoever had the old one).
    pub async fn create_calendar_feed(
        &self,
        actor: &Actor,
        token_hash: &str,
    ) -> Result<(), StoreError> {
        may_subscribe(actor)?;
        let id = new_id();
        let now = now_ms();
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "create", "calendar-feed", &id).await?;
        sqlx::query(
            "UPDATE calendar_feeds SET revoked_at = $1, updated_at = $2 WHERE user_id = $3 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(now)
        .bind(&actor.user_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO calendar_feeds (id, user_id, token_hash, revoked_at, created_at, updated_at) \
             VALUES ($1, $2, $3, NULL, $4, $5)",
        )
        .bind(&id)
        .bind(&actor.user_id)
        .bind(token_hash)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Revokes the acting user's calendar feeds; their addresses stop working at once. Returns how many were live.
    pub async fn revoke_calendar_feeds(&self, actor: &Actor) -> Result<u64, StoreError> {
        let now = now_ms();
        let (_turn, mut tx) = self.begin_write().await?;
        append(
            &mut tx,
            actor,
            "revoke",
            "calendar-feed",
            &format!("user:{}", actor.user_id),
        )
        .await?;
        let n = sqlx::query(
            "UPDATE calendar_feeds SET revoked_at = $1, updated_at = $2 WHERE user_id = $3 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(now)
        .bind(&actor.user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(n)
    }

    /// Whether the acting user has a live calendar feed. Not audited: it reads no practice record.
    pub async fn calendar_feed_active(&self, actor: &Actor) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query(
            "SELECT COUNT(*) FROM calendar_feeds WHERE user_id = $1 AND revoked_at IS NULL",
        )
        .bind(&actor.user_id)
        .fetch_one(self.pool())
        .await?
        .try_get(0)?;
        Ok(n > 0)
    }

    /// The calendar behind a feed's token hash, if the feed is live and its user may still sign in: a therapist's
    /// sessions with the clients in their scope whom they lead (a practice admin's feed does not carry every
    /// colleague's clients), or a client's own. Audited as the feed's user reading (`read calendar-feed`).
    pub async fn calendar_for_feed(
        &self,
        token_hash: &str,
        request_id: &str,
    ) -> Result<Option<CalendarData>, StoreError> {
        let feed = sqlx::query(
            "SELECT id, user_id FROM calendar_feeds WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await?;
        let Some(feed) = feed else {
            return Ok(None);
        };
        let feed_id: String = feed.try_get("id")?;
        let user_id: String = feed.try_get("user_id")?;
        // A disabled user's feed stops with their sign-in; so does one whose role no longer has sessions.
        let Some(account) = self.account(&user_id).await? else {
            return Ok(None);
        };
        let actor = account.actor(request_id);
        if account.disabled || may_subscribe(&actor).is_err() {
            return Ok(None);
        }
        let now = now_ms();
        let mut tx = self.begin_read().await?;
        let (cond, args) = client_scope(&actor, 3);
        let therapist = actor.role == Role::Therapist;
        let own = if therapist {
            // Two parameters rather than one used twice: every parameter is bound once, in order, as elsewhere here.
            let n = 3 + args.len();
            format!(
                " AND (c.therapist_id = ${n} OR s.therapist_id = ${})",
                n + 1
            )
        } else {
            String::new()
        };
        let sql = format!(
            "{CALENDAR_SESSION_SQL} WHERE s.scheduled_at >= $1 AND s.scheduled_at < $2 \
             AND s.status IN ('planned', 'held') AND {cond}{own} ORDER BY s.scheduled_at, s.id"
        );
        let mut q = bind_all(
            sqlx::query(&sql)
                .bind(now - FEED_PAST_MS)
                .bind(now + FEED_AHEAD_MS),
            args,
        );
        if therapist {
            q = q.bind(actor.user_id.clone()).bind(actor.user_id.clone());
        }
        let rows = q.fetch_all(&mut *tx).await?;
        let client_language: Option<String> = match &actor.client_id {
            Some(id) if !therapist => {
                sqlx::query("SELECT preferred_language FROM clients WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .map(|r| r.try_get(0))
                    .transpose()?
            }
            _ => None,
        };
        tx.commit().await?;
        let sessions = rows
            .iter()
            .map(|r| calendar_session(r, therapist))
            .collect::<Result<Vec<_>, _>>()?;
        self.audit_read(&actor, "read", "calendar-feed", &feed_id)
            .await?;
        Ok(Some(CalendarData {
            feed_id,
            user_id,
            role: actor.role,
            language: account.language.clone().or(client_language),
            time_zone: account.time_zone.clone(),
            sessions,
        }))
    }

    /// One session for a calendar file: a client's own, or one of a client in a therapist's scope (anything else is
    /// `NotFound`, like a session that does not exist). Audited as `read session`.
    pub async fn session_for_ics(
        &self,
        actor: &Actor,
        session_id: &str,
    ) -> Result<CalendarSession, StoreError> {
        may_subscribe(actor)?;
        let mut tx = self.begin_read().await?;
        let (cond, args) = client_scope(actor, 2);
        let sql = format!("{CALENDAR_SESSION_SQL} WHERE s.id = $1 AND {cond}");
        let row = bind_all(sqlx::query(&sql).bind(session_id.to_string()), args)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound { entity: "session" })?;
        tx.commit().await?;
        let session = calendar_session(&row, actor.role == Role::Therapist)?;
        self.audit_read(actor, "read", "session", session_id)
            .await?;
        Ok(session)
    }
}

#[cfg(test)]
mod tests {
    use super::calendar_name;

    #[test]
    fn a_calendar_names_a_client_by_first_name_and_last_initial() {
        assert_eq!(calendar_name("Kari Nordmann"), "Kari N.");
        assert_eq!(calendar_name("  Ola  Johan   Ås "), "Ola Å.");
        assert_eq!(calendar_name("Anne-Marie"), "Anne-Marie");
        assert_eq!(calendar_name(""), "");
    }
}

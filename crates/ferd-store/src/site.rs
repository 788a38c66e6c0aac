//! What the public site needs from the store: which practice it speaks for, a per-address limit on messages, the
//! practice's reply time, and the retention of inquiries (deleted on request, and after a year at the latest).

use sqlx::Row;

use crate::audit::append;
use crate::{now_ms, Actor, Store, StoreError};

/// How long an inquiry is kept at most (the privacy page promises a year).
pub const INQUIRY_RETENTION_MS: i64 = 365 * 86_400_000;
/// How long a rate-limit counter is kept after its window (the privacy page promises a day at most).
pub const RATE_LIMIT_RETENTION_MS: i64 = 86_400_000;

/// The practice the public site speaks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitePractice {
    pub id: String,
    pub name: String,
    /// The working days within which the practice promises an answer to an inquiry.
    pub reply_days: i64,
}

/// What a purge removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub inquiries: u64,
    pub rate_limits: u64,
}

impl Store {
    /// The practice the public site speaks for: the one named by `configured` (an id), else the only practice in
    /// the database. `Ok(None)` when there is no practice yet; an error when several exist and none is named, so
    /// a shared database never sends one practice's inquiries to another.
    pub async fn site_practice(
        &self,
        configured: Option<&str>,
    ) -> Result<Option<SitePractice>, StoreError> {
        let rows = match configured {
            Some(id) => {
                sqlx::query("SELECT id, name, inquiry_reply_days FROM practices WHERE id = $1")
                    .bind(id)
                    .fetch_all(self.pool())
                    .await?
            }
            None => {
                sqlx::query(
                    "SELECT id, name, inquiry_reply_days FROM practices ORDER BY created_at, id LIMIT 2",
                )
                .fetch_all(self.pool())
                .await?
            }
        };
        match (configured, rows.len()) {
            (Some(_), 0) => Err(StoreError::NotFound { entity: "practice" }),
            (None, 0) => Ok(None),
            (None, n) if n > 1 => Err(StoreError::Invalid {
                field: "site_practice",
                message:
                    "several practices share this database: name the one the public site speaks for"
                        .into(),
            }),
            _ => {
                let r = &rows[0];
                Ok(Some(SitePractice {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    reply_days: r.try_get("inquiry_reply_days")?,
                }))
            }
        }
    }

    /// Counts one use of a limited public action under `key` (already a keyed hash, never an address) and says
    /// whether it is allowed: at most `max` within `window_ms`. Refused uses are not counted, so a sender who waits
    /// for the window to pass can send again.
    pub async fn take_public_allowance(
        &self,
        key: &str,
        now: i64,
        max: i64,
        window_ms: i64,
    ) -> Result<bool, StoreError> {
        let (_turn, mut tx) = self.begin_write().await?;
        let row = sqlx::query("SELECT count, window_start FROM public_rate_limits WHERE key = $1")
            .bind(key)
            .fetch_optional(&mut *tx)
            .await?;
        let (count, start) = match row {
            Some(r) => {
                let (count, start): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
                if now - start >= window_ms {
                    (0, now)
                } else {
                    (count, start)
                }
            }
            None => (0, now),
        };
        if count >= max {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO public_rate_limits (key, count, window_start, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) \
             ON CONFLICT (key) DO UPDATE SET count = $2, window_start = $3, updated_at = $4",
        )
        .bind(key)
        .bind(count + 1)
        .bind(start)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Deletes inquiries older than [`INQUIRY_RETENTION_MS`] (with their referrals) and rate-limit counters older than
    /// [`RATE_LIMIT_RETENTION_MS`]; each deleted inquiry is audited (by the system). A person still on the waitlist
    /// is never deleted, however long they wait: for an inquiry that was on the waitlist the year runs from the day
    /// the person left the list or was moved or removed from it (its place goes with the inquiry).
    pub async fn purge_expired_public_data(&self, now: i64) -> Result<Purged, StoreError> {
        let system = Actor::system("retention");
        let (_turn, mut tx) = self.begin_write().await?;
        let old = sqlx::query(
            "SELECT i.id FROM inquiries i LEFT JOIN waitlist_entries w ON w.inquiry_id = i.id \
             WHERE (w.id IS NULL AND i.created_at < $1) OR (w.status <> 'waiting' AND w.ended_at < $1) \
             ORDER BY i.id",
        )
        .bind(now - INQUIRY_RETENTION_MS)
        .fetch_all(&mut *tx)
        .await?;
        for r in &old {
            let id: String = r.try_get(0)?;
            append(&mut tx, &system, "expire", "inquiry", &id).await?;
            // Its referrals go with it (explicitly: not by the foreign key's cascade alone).
            sqlx::query("DELETE FROM referrals WHERE inquiry_id = $1")
                .bind(&id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM inquiries WHERE id = $1")
                .bind(&id)
                .execute(&mut *tx)
                .await?;
        }
        let rate_limits = sqlx::query("DELETE FROM public_rate_limits WHERE window_start < $1")
            .bind(now - RATE_LIMIT_RETENTION_MS)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(Purged {
            inquiries: old.len() as u64,
            rate_limits,
        })
    }

    /// Deletes an inquiry of the actor's practice (the sender asked, or it was spam), with its referrals. Staff only;
    /// audited.
    pub async fn delete_inquiry(&self, actor: &Actor, inquiry_id: &str) -> Result<(), StoreError> {
        let practice = actor.staff_practice("only staff handle inquiries")?;
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "delete", "inquiry", inquiry_id).await?;
        // Its referrals go with it (explicitly: not by the foreign key's cascade alone).
        sqlx::query("DELETE FROM referrals WHERE inquiry_id = $1 AND practice_id = $2")
            .bind(inquiry_id)
            .bind(&practice)
            .execute(&mut *tx)
            .await?;
        let n = sqlx::query("DELETE FROM inquiries WHERE id = $1 AND practice_id = $2")
            .bind(inquiry_id)
            .bind(&practice)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound { entity: "inquiry" });
        }
        tx.commit().await?;
        Ok(())
    }

    /// Within how many working days the actor's practice answers an inquiry.
    pub async fn inquiry_reply_days(&self, actor: &Actor) -> Result<i64, StoreError> {
        let practice = actor
            .practice_id
            .clone()
            .ok_or(StoreError::NotFound { entity: "practice" })?;
        let row = sqlx::query("SELECT inquiry_reply_days FROM practices WHERE id = $1")
            .bind(practice)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound { entity: "practice" })?;
        Ok(row.try_get(0)?)
    }

    /// An admin sets within how many working days the practice answers an inquiry (1–30); the public form's
    /// confirmation says so.
    pub async fn set_inquiry_reply_days(&self, actor: &Actor, days: i64) -> Result<(), StoreError> {
        let practice = actor.admin_practice("only an admin changes practice settings")?;
        if !(1..=30).contains(&days) {
            return Err(StoreError::Invalid {
                field: "reply_days",
                message: "must be a whole number of days from 1 to 30".into(),
            });
        }
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "update-reply-days", "practice", &practice).await?;
        sqlx::query("UPDATE practices SET inquiry_reply_days = $1, updated_at = $2 WHERE id = $3")
            .bind(days)
            .bind(now_ms())
            .bind(&practice)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

//! The medicine-session log, for practices that run medicine sessions themselves ("clinic mode", off by default):
//! doses given with their times, blood pressure, pulse, temperature, fluid, SUDS and notes, one row per reading.
//!
//! The log exists only for medicine sessions of a practice in clinic mode; otherwise it is not found, exactly like a
//! session outside the actor's scope. Values are checked by ferd-core ([`ferd_core::monitoring::Reading`]) before
//! they are stored; a note's text is sealed. Judging readings against thresholds is ferd-core's, at display time,
//! so that a clinic's changed thresholds apply to what is already recorded.

use ferd_core::monitoring::{check_note, InputError, Reading, ReadingKind};
use sqlx::{Any, Row, Transaction};

use crate::audit::append;
use crate::{new_id, now_ms, Actor, Role, Store, StoreError};

/// The most readings one call records (one form: a dose, the vital signs, fluid, SUDS and a note at one time).
pub const MAX_READINGS_PER_CALL: usize = 50;

/// How far from the session a reading may be taken: from a day before it starts (baseline readings) to two days
/// after it ends (a session that runs into the night, entered the next morning). Beyond that it is a typing error.
const BEFORE_MS: i64 = 24 * 3_600_000;
const AFTER_MS: i64 = 48 * 3_600_000;

/// A reading to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReading {
    /// When it was taken (a dose: when it was given), Unix milliseconds.
    pub at: i64,
    pub reading: Reading,
    /// Free text, sealed; required for [`Reading::Note`], optional beside any other reading.
    pub note: Option<String>,
}

/// A recorded reading.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionReading {
    pub id: String,
    pub at: i64,
    pub reading: Reading,
    /// The note, decrypted.
    pub note: Option<String>,
    pub recorded_by_id: String,
    /// The display name of who recorded it.
    pub recorded_by: String,
    pub created_at: i64,
}

/// A medicine session's log: the session and its readings, in the order they were taken.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionLog {
    pub session_id: String,
    pub client_id: String,
    pub client_name: String,
    pub scheduled_at: i64,
    pub duration_minutes: i64,
    pub status: String,
    /// By time taken; readings taken at the same time in [`ReadingKind::ALL`] order.
    pub readings: Vec<SessionReading>,
}

fn invalid(field: &'static str, message: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        field,
        message: message.into(),
    }
}

impl From<InputError> for StoreError {
    fn from(e: InputError) -> Self {
        invalid(e.kind.as_str(), e.to_string())
    }
}

fn place(id: &str) -> String {
    format!("session_readings.text_enc.{id}")
}

/// Finds, inside `tx`, the medicine session `session_id` of `client_id` (already in the actor's scope) in a practice
/// with clinic mode on: (scheduled_at, duration_minutes, status). Anything else is not found.
async fn medicine_session_in_clinic(
    tx: &mut Transaction<'static, Any>,
    practice_id: &str,
    client_id: &str,
    session_id: &str,
) -> Result<(i64, i64, String), StoreError> {
    let row = sqlx::query(
        "SELECT s.scheduled_at, s.duration_minutes, s.status FROM sessions s JOIN practices p ON p.id = $3 \
         WHERE s.id = $1 AND s.client_id = $2 AND s.kind = 'medicine' AND p.clinic_mode = 1",
    )
    .bind(session_id)
    .bind(client_id)
    .bind(practice_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound {
        entity: "session log",
    })?;
    Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?))
}

impl Store {
    /// Whether the actor's practice is in clinic mode (false for a user without a practice).
    pub async fn clinic_mode(&self, actor: &Actor) -> Result<bool, StoreError> {
        let Some(practice) = &actor.practice_id else {
            return Ok(false);
        };
        let on: Option<i64> = sqlx::query("SELECT clinic_mode FROM practices WHERE id = $1")
            .bind(practice)
            .fetch_optional(self.pool())
            .await?
            .map(|r| r.try_get(0))
            .transpose()?;
        Ok(on == Some(1))
    }

    /// An admin turns the practice's clinic mode (the medicine-session log) on or off. Turning it off hides the
    /// logs; it deletes nothing.
    pub async fn set_practice_clinic_mode(
        &self,
        actor: &Actor,
        on: bool,
    ) -> Result<(), StoreError> {
        let practice = actor.admin_practice("only an admin changes practice settings")?;
        let (_turn, mut tx) = self.begin_write().await?;
        append(
            &mut tx,
            actor,
            if on {
                "clinic-mode-on"
            } else {
                "clinic-mode-off"
            },
            "practice",
            &practice,
        )
        .await?;
        sqlx::query("UPDATE practices SET clinic_mode = $1, updated_at = $2 WHERE id = $3")
            .bind(i64::from(on))
            .bind(now_ms())
            .bind(&practice)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A medicine session's log with its readings, decrypted (therapists of the client; not found when the practice
    /// is not in clinic mode or the session is not a medicine session of this client).
    pub async fn session_log(
        &self,
        actor: &Actor,
        client_id: &str,
        session_id: &str,
    ) -> Result<SessionLog, StoreError> {
        if !matches!(actor.role, Role::Therapist | Role::System) {
            return Err(StoreError::Forbidden("only therapists read session logs"));
        }
        let mut tx = self.begin_read().await?;
        let client = Self::load_client(&mut tx, actor, client_id).await?;
        let (scheduled_at, duration_minutes, status) =
            medicine_session_in_clinic(&mut tx, &client.practice_id, client_id, session_id).await?;
        let rows = sqlx::query(
            "SELECT r.id, r.at, r.kind, r.value_a, r.value_b, r.text_enc, r.recorded_by, u.display_name, r.created_at \
             FROM session_readings r JOIN users u ON u.id = r.recorded_by \
             WHERE r.session_id = $1 AND r.client_id = $2 ORDER BY r.at, r.created_at, r.id",
        )
        .bind(session_id)
        .bind(client_id)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        self.audit_read(actor, "read", "session-log", session_id)
            .await?;
        let mut readings = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: String = r.try_get(0)?;
            let kind: String = r.try_get(2)?;
            let kind: ReadingKind = kind
                .parse()
                .map_err(|()| StoreError::Database(format!("unknown reading kind {kind}")))?;
            // Stored values were checked on the way in; a row that no longer checks is damage, not input.
            let reading = Reading::from_tenths(kind, r.try_get(3)?, r.try_get(4)?)
                .map_err(|e| StoreError::Database(format!("session reading {id}: {e}")))?;
            let note = r
                .try_get::<Option<Vec<u8>>, _>(5)?
                .map(|enc| self.keys().open(&place(&id), &enc))
                .transpose()?;
            readings.push(SessionReading {
                at: r.try_get(1)?,
                reading,
                note,
                recorded_by_id: r.try_get(6)?,
                recorded_by: r.try_get(7)?,
                created_at: r.try_get(8)?,
                id,
            });
        }
        // Stable: readings of one time keep the order they were recorded in, by kind.
        readings.sort_by_key(|r| (r.at, r.created_at, r.reading.kind().rank()));
        Ok(SessionLog {
            session_id: session_id.to_string(),
            client_id: client_id.to_string(),
            client_name: client.name,
            scheduled_at,
            duration_minutes,
            status,
            readings,
        })
    }

    /// Records readings of a medicine session, all or none, in the therapist's name: every value is checked by
    /// ferd-core first and notes are sealed; an invalid reading names its kind as the field (`blood-pressure`,
    /// `suds` …, or `at` for a time too far from the session) and nothing is stored. Returns the new ids.
    pub async fn record_readings(
        &self,
        actor: &Actor,
        client_id: &str,
        session_id: &str,
        readings: &[NewReading],
    ) -> Result<Vec<String>, StoreError> {
        if actor.role != Role::Therapist {
            return Err(StoreError::Forbidden("only a therapist records readings"));
        }
        if readings.is_empty() || readings.len() > MAX_READINGS_PER_CALL {
            return Err(invalid(
                "readings",
                format!("must be 1–{MAX_READINGS_PER_CALL}"),
            ));
        }
        let mut rows = Vec::with_capacity(readings.len());
        for r in readings {
            r.reading.check()?;
            let note = r.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
            match (r.reading, note) {
                (Reading::Note, None) => check_note("")?,
                (_, Some(n)) => check_note(n)?,
                _ => {}
            }
            let id = new_id();
            let sealed = note.map(|n| self.keys().seal(&place(&id), n)).transpose()?;
            rows.push((id, r, sealed));
        }
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "record-readings", "session-log", session_id).await?;
        let client = Self::load_client(&mut tx, actor, client_id).await?;
        let (scheduled_at, duration_minutes, _) =
            medicine_session_in_clinic(&mut tx, &client.practice_id, client_id, session_id).await?;
        let earliest = scheduled_at - BEFORE_MS;
        let latest = scheduled_at + duration_minutes * 60_000 + AFTER_MS;
        if rows
            .iter()
            .any(|(_, r, _)| r.at < earliest || r.at > latest)
        {
            return Err(invalid(
                "at",
                "must be within a day before the session and two days after it",
            ));
        }
        let now = now_ms();
        for (id, r, sealed) in &rows {
            let (a, b) = r.reading.tenths();
            sqlx::query(
                "INSERT INTO session_readings (id, session_id, client_id, at, kind, value_a, value_b, text_enc, recorded_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(id)
            .bind(session_id)
            .bind(client_id)
            .bind(r.at)
            .bind(r.reading.kind().as_str())
            .bind(a)
            .bind(b)
            .bind(sealed.clone())
            .bind(&actor.user_id)
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(rows.into_iter().map(|(id, ..)| id).collect())
    }
}

//! What the therapist's workspace reads and changes beyond single records: the dashboard, the client list, alerts
//! and their acknowledgement, session outcomes, assessment schedules, journey phases and turning an inquiry into a
//! client. Every operation is scoped by the acting user and audited, like the records themselves.

use ferd_core::instruments::ChangeClass;
use ferd_core::Catalogue;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, FromRow, Row, Transaction};

use crate::audit::append;
use crate::records::{bind_all, client_scope};
use crate::{new_id, now_ms, Actor, Assessment, Client, NewClient, Role, Store, StoreError};

/// Something a named person must look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alert {
    pub id: String,
    pub client_id: String,
    pub client_name: String,
    /// `suicidal-ideation`, `reliable-deterioration` or `missed-session`.
    pub kind: String,
    /// The response or session that raised it.
    pub source_id: String,
    pub instrument: Option<String>,
    pub raised_at: i64,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<i64>,
    /// What was done about it, as the person who acknowledged it wrote (decrypted).
    pub action: Option<String>,
}

/// A session with its client's name, as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionRow {
    pub id: String,
    pub client_id: String,
    pub client_name: String,
    pub kind: String,
    pub scheduled_at: i64,
    pub duration_minutes: i64,
    pub place: Option<String>,
    pub status: String,
}

/// An assessment with its client's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssessmentRow {
    pub id: String,
    pub client_id: String,
    pub client_name: String,
    pub instrument: String,
    pub point: String,
    pub due_at: i64,
}

/// The therapist's day at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Dashboard {
    /// Planned or held sessions from the start of today to the end of the week.
    pub sessions: Vec<SessionRow>,
    /// Past sessions still marked planned: their outcome (held, missed, cancelled) is not recorded.
    pub unrecorded: Vec<SessionRow>,
    /// Assessments due from today to the end of the week.
    pub due: Vec<AssessmentRow>,
    /// Assessments that were due before today and are not completed.
    pub overdue: Vec<AssessmentRow>,
    /// Alerts not yet acknowledged, newest first.
    pub open_alerts: Vec<Alert>,
    /// Alerts acknowledged in the last seven days, newest first.
    pub acknowledged_alerts: Vec<Alert>,
}

/// Everything the client page shows, read from one snapshot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClientRecord {
    pub client: crate::Client,
    pub sessions: Vec<crate::Session>,
    pub responses: Vec<crate::StoredResponse>,
    pub journeys: Vec<crate::Journey>,
    pub assessments: Vec<Assessment>,
    pub alerts: Vec<Alert>,
    /// The journal entries the client shared (staff never see private ones).
    pub shared_journal: Vec<crate::JournalEntry>,
    /// The current journey with the facts its guards are judged on.
    #[serde(skip)]
    pub journey: Option<crate::JourneyView>,
    /// Screenings with their findings and decisions, newest first.
    pub screenings: Vec<crate::Screening>,
}

/// A client as the client list shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClientRow {
    pub id: String,
    pub name: String,
    pub therapist_name: Option<String>,
    /// The phase of the client's active journey, if any.
    pub phase: Option<String>,
    pub open_alerts: i64,
    pub next_session: Option<i64>,
    pub has_login: bool,
}

const SESSION_ROW_SQL: &str = "SELECT s.id, s.client_id, c.name AS client_name, s.kind, s.scheduled_at, s.duration_minutes, s.place, s.status \
     FROM sessions s JOIN clients c ON c.id = s.client_id";
const ASSESSMENT_ROW_SQL: &str =
    "SELECT a.id, a.client_id, c.name AS client_name, a.instrument, a.point, a.due_at \
     FROM assessments a JOIN clients c ON c.id = a.client_id";
const ALERT_SQL: &str = "SELECT al.id, al.client_id, c.name AS client_name, al.kind, al.source_id, al.instrument, al.raised_at, \
     u.display_name AS acknowledged_by, al.acknowledged_at, al.action_enc FROM alerts al JOIN clients c ON c.id = al.client_id \
     LEFT JOIN users u ON u.id = al.acknowledged_by";

/// A client's alerts, newest first (`$1` is the client).
fn client_alerts_sql() -> String {
    format!("{ALERT_SQL} WHERE al.client_id = $1 ORDER BY al.raised_at DESC, al.id")
}

fn session_row(r: &AnyRow) -> Result<SessionRow, StoreError> {
    Ok(SessionRow {
        id: r.try_get("id")?,
        client_id: r.try_get("client_id")?,
        client_name: r.try_get("client_name")?,
        kind: r.try_get("kind")?,
        scheduled_at: r.try_get("scheduled_at")?,
        duration_minutes: r.try_get("duration_minutes")?,
        place: r.try_get("place")?,
        status: r.try_get("status")?,
    })
}

fn assessment_row(r: &AnyRow) -> Result<AssessmentRow, StoreError> {
    Ok(AssessmentRow {
        id: r.try_get("id")?,
        client_id: r.try_get("client_id")?,
        client_name: r.try_get("client_name")?,
        instrument: r.try_get("instrument")?,
        point: r.try_get("point")?,
        due_at: r.try_get("due_at")?,
    })
}

fn alert_row(keys: &crate::Keyring, r: &AnyRow) -> Result<Alert, StoreError> {
    let id: String = r.try_get("id")?;
    let action: Option<Vec<u8>> = r.try_get("action_enc")?;
    Ok(Alert {
        action: action
            .map(|a| keys.open(&format!("alerts.action_enc.{id}"), &a))
            .transpose()?,
        id,
        client_id: r.try_get("client_id")?,
        client_name: r.try_get("client_name")?,
        kind: r.try_get("kind")?,
        source_id: r.try_get("source_id")?,
        instrument: r.try_get("instrument")?,
        raised_at: r.try_get("raised_at")?,
        acknowledged_by: r.try_get("acknowledged_by")?,
        acknowledged_at: r.try_get("acknowledged_at")?,
    })
}

fn invalid(field: &'static str, message: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        field,
        message: message.into(),
    }
}

fn staff_only(actor: &Actor, what: &'static str) -> Result<(), StoreError> {
    if matches!(actor.role, Role::Admin | Role::Therapist) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(what))
    }
}

/// Session outcomes staff may record.
const SESSION_STATUSES: [&str; 4] = ["planned", "held", "cancelled", "missed"];

/// The alerts a new response calls for: a suicidal-ideation flag from the instrument's flag rules, and reliable
/// deterioration from the client's first response to the same instrument (`baseline`, its answers as stored;
/// ferd-core's Jacobson–Truax classification). Both are judged by ferd-core, never here.
pub(crate) fn response_alerts(
    instrument: &ferd_core::Instrument,
    answers: &[Option<i64>],
    baseline: Option<&str>,
) -> Result<Vec<&'static str>, StoreError> {
    let response = instrument
        .response(answers)
        .map_err(|e| invalid("answers", e.to_string()))?;
    let scored = response.score();
    let mut kinds = Vec::new();
    if scored.flags().any(|f| f.id == "suicidal-ideation") {
        kinds.push("suicidal-ideation");
    }
    if let Some(text) = baseline {
        let before: Vec<Option<i64>> =
            serde_json::from_str(text).map_err(|e| StoreError::Database(e.to_string()))?;
        if let Ok(before) = instrument.response(&before) {
            if let Ok(change) = instrument.change(&before.score(), &scored) {
                if change.classification == ChangeClass::Deteriorated {
                    kinds.push("reliable-deterioration");
                }
            }
        }
    }
    Ok(kinds)
}

/// Raises an alert once: a second alert of the same kind from the same source is ignored. Parameters: id, client,
/// kind, source, instrument, raised at, created at, updated at.
pub(crate) const INSERT_ALERT: &str = "INSERT INTO alerts (id, client_id, kind, source_id, instrument, raised_at, acknowledged_by, acknowledged_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL, $7, $8) ON CONFLICT (kind, source_id) DO NOTHING";

pub(crate) async fn insert_alert(
    tx: &mut Transaction<'static, Any>,
    client_id: &str,
    kind: &str,
    source_id: &str,
    instrument: Option<&str>,
    raised_at: i64,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(INSERT_ALERT)
        .bind(new_id())
        .bind(client_id)
        .bind(kind)
        .bind(source_id)
        .bind(instrument.map(str::to_string))
        .bind(raised_at)
        .bind(now)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    /// The dashboard: sessions from `day_start` to `week_end`, assessments due and overdue, and alerts, for the
    /// clients in the actor's scope, read in one transaction under one audit event.
    pub async fn dashboard(
        &self,
        actor: &Actor,
        day_start: i64,
        week_end: i64,
        now: i64,
    ) -> Result<Dashboard, StoreError> {
        staff_only(actor, "only staff see the dashboard")?;
        let mut tx = self.begin_read().await?;
        let (cond, args) = client_scope(actor, 3);
        let sql = format!(
            "{SESSION_ROW_SQL} WHERE s.scheduled_at >= $1 AND s.scheduled_at < $2 AND s.status IN ('planned', 'held') \
             AND {cond} ORDER BY s.scheduled_at, s.id"
        );
        let sessions = bind_all(
            sqlx::query(&sql).bind(day_start).bind(week_end),
            args.clone(),
        )
        .fetch_all(&mut *tx)
        .await?;
        // Unrecorded: ended before now, within the last 30 days, still planned.
        let sql = format!(
            "{SESSION_ROW_SQL} WHERE s.scheduled_at >= $1 AND s.scheduled_at + s.duration_minutes * 60000 < $2 \
             AND s.status = 'planned' AND {cond} ORDER BY s.scheduled_at, s.id"
        );
        let unrecorded = bind_all(
            sqlx::query(&sql).bind(now - 30 * 86_400_000).bind(now),
            args.clone(),
        )
        .fetch_all(&mut *tx)
        .await?;
        let sql = format!(
            "{ASSESSMENT_ROW_SQL} WHERE a.status = 'due' AND a.due_at < $1 AND a.due_at >= $2 AND {cond} ORDER BY a.due_at, a.id"
        );
        let due = bind_all(
            sqlx::query(&sql).bind(week_end).bind(day_start),
            args.clone(),
        )
        .fetch_all(&mut *tx)
        .await?;
        let (cond1, args1) = client_scope(actor, 2);
        let sql = format!(
            "{ASSESSMENT_ROW_SQL} WHERE a.status = 'due' AND a.due_at < $1 AND {cond1} ORDER BY a.due_at, a.id"
        );
        let overdue = bind_all(sqlx::query(&sql).bind(day_start), args1.clone())
            .fetch_all(&mut *tx)
            .await?;
        let (cond0, args0) = client_scope(actor, 1);
        let sql = format!(
            "{ALERT_SQL} WHERE al.acknowledged_at IS NULL AND {cond0} ORDER BY al.raised_at DESC, al.id"
        );
        let open = bind_all(sqlx::query(&sql), args0)
            .fetch_all(&mut *tx)
            .await?;
        let sql = format!(
            "{ALERT_SQL} WHERE al.acknowledged_at >= $1 AND al.acknowledged_at <= $2 AND {cond} \
             ORDER BY al.acknowledged_at DESC, al.id"
        );
        let acknowledged = bind_all(sqlx::query(&sql).bind(now - 7 * 86_400_000).bind(now), args)
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        self.audit_read(actor, "read", "dashboard", "*").await?;
        Ok(Dashboard {
            sessions: sessions.iter().map(session_row).collect::<Result<_, _>>()?,
            unrecorded: unrecorded
                .iter()
                .map(session_row)
                .collect::<Result<_, _>>()?,
            due: due.iter().map(assessment_row).collect::<Result<_, _>>()?,
            overdue: overdue
                .iter()
                .map(assessment_row)
                .collect::<Result<_, _>>()?,
            open_alerts: open
                .iter()
                .map(|r| alert_row(self.keys(), r))
                .collect::<Result<_, _>>()?,
            acknowledged_alerts: acknowledged
                .iter()
                .map(|r| alert_row(self.keys(), r))
                .collect::<Result<_, _>>()?,
        })
    }

    /// The clients in the actor's scope, by name, optionally narrowed to names or e-mail addresses containing
    /// `search` (case-insensitive) and to those whose active journey is in `phase` (`none`: no active journey).
    pub async fn client_list(
        &self,
        actor: &Actor,
        search: Option<&str>,
        phase: Option<&str>,
        now: i64,
    ) -> Result<Vec<ClientRow>, StoreError> {
        staff_only(actor, "only staff list clients")?;
        let mut tx = self.begin_read().await?;
        let (cond, args) = client_scope(actor, 2);
        let sql = format!(
            "SELECT c.id, c.name, c.email, c.user_id, u.display_name AS therapist_name, \
             (SELECT j.phase FROM journeys j WHERE j.client_id = c.id AND j.status = 'active' ORDER BY j.started_at DESC, j.id LIMIT 1) AS phase, \
             (SELECT COUNT(*) FROM alerts al WHERE al.client_id = c.id AND al.acknowledged_at IS NULL) AS open_alerts, \
             (SELECT MIN(s.scheduled_at) FROM sessions s WHERE s.client_id = c.id AND s.status = 'planned' AND s.scheduled_at >= $1) AS next_session \
             FROM clients c LEFT JOIN users u ON u.id = c.therapist_id WHERE {cond} ORDER BY c.name, c.id"
        );
        let rows = bind_all(sqlx::query(&sql).bind(now), args)
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        self.audit_read(actor, "list", "client", "*").await?;
        let needle = search
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty());
        let mut out = Vec::new();
        for r in &rows {
            let name: String = r.try_get("name")?;
            let email: Option<String> = r.try_get("email")?;
            if let Some(n) = &needle {
                let hit = name.to_lowercase().contains(n.as_str())
                    || email.as_deref().is_some_and(|e| e.contains(n.as_str()));
                if !hit {
                    continue;
                }
            }
            let row_phase: Option<String> = r.try_get("phase")?;
            match phase {
                Some("none") if row_phase.is_some() => continue,
                Some(p) if p != "none" && row_phase.as_deref() != Some(p) => continue,
                _ => {}
            }
            let user: Option<String> = r.try_get("user_id")?;
            out.push(ClientRow {
                id: r.try_get("id")?,
                name,
                therapist_name: r.try_get("therapist_name")?,
                phase: row_phase,
                open_alerts: r.try_get("open_alerts")?,
                next_session: r.try_get("next_session")?,
                has_login: user.is_some(),
            });
        }
        Ok(out)
    }

    /// Everything the client page shows, in one read transaction under one audit event (`read client-record`):
    /// the client, their sessions (notes decrypted), responses, journeys, assessments, alerts and shared journal.
    pub async fn client_record(
        &self,
        actor: &Actor,
        client_id: &str,
    ) -> Result<ClientRecord, StoreError> {
        staff_only(actor, "only staff read a client's record")?;
        let mut tx = self.begin_read().await?;
        let client = Self::load_client(&mut tx, actor, client_id).await?;
        let sessions = self.load_sessions(&mut tx, actor, client_id).await?;
        let responses = crate::records::load_responses(&mut tx, client_id).await?;
        let journeys =
            sqlx::query("SELECT * FROM journeys WHERE client_id = $1 ORDER BY started_at, id")
                .bind(client_id)
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r| Ok(crate::Journey::from_row(r)?))
                .collect::<Result<Vec<_>, StoreError>>()?;
        let assessments =
            sqlx::query("SELECT * FROM assessments WHERE client_id = $1 ORDER BY due_at, id")
                .bind(client_id)
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r| Ok(Assessment::from_row(r)?))
                .collect::<Result<Vec<_>, StoreError>>()?;
        let alerts = sqlx::query(&client_alerts_sql())
            .bind(client_id)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| alert_row(self.keys(), r))
            .collect::<Result<Vec<_>, _>>()?;
        let journal_rows = sqlx::query(
            "SELECT id, client_id, shared, body_enc, written_at FROM journal_entries WHERE client_id = $1 AND shared = 1 ORDER BY written_at, id",
        )
        .bind(client_id)
        .fetch_all(&mut *tx)
        .await?;
        let journey = crate::journey::load_journey_view(&mut tx, client_id).await?;
        let screenings = self.load_screenings(&mut tx, client_id).await?;
        tx.commit().await?;
        let mut shared_journal = Vec::with_capacity(journal_rows.len());
        for r in &journal_rows {
            let id: String = r.try_get("id")?;
            let enc: Vec<u8> = r.try_get("body_enc")?;
            shared_journal.push(crate::JournalEntry {
                body: self
                    .keys()
                    .open(&format!("journal_entries.body_enc.{id}"), &enc)?,
                id,
                client_id: r.try_get("client_id")?,
                shared: true,
                written_at: r.try_get("written_at")?,
            });
        }
        self.audit_read(actor, "read", "client-record", client_id)
            .await?;
        Ok(ClientRecord {
            client,
            sessions,
            responses,
            journeys,
            assessments,
            alerts,
            shared_journal,
            journey,
            screenings,
        })
    }

    /// A client's alerts, newest first.
    pub async fn client_alerts(
        &self,
        actor: &Actor,
        client_id: &str,
    ) -> Result<Vec<Alert>, StoreError> {
        staff_only(actor, "only staff see alerts")?;
        let mut tx = self.begin_read().await?;
        Self::load_client(&mut tx, actor, client_id).await?;
        let rows = sqlx::query(&client_alerts_sql())
            .bind(client_id)
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        self.audit_read(actor, "read", "alert", &format!("client:{client_id}"))
            .await?;
        rows.iter().map(|r| alert_row(self.keys(), r)).collect()
    }

    /// A named member of staff acknowledges an alert: they have seen it and taken responsibility for acting on it.
    /// A suicidal-ideation alert needs `action`, what was done; it is sealed like clinical text.
    pub async fn acknowledge_alert(
        &self,
        actor: &Actor,
        alert_id: &str,
        action: Option<&str>,
    ) -> Result<(), StoreError> {
        staff_only(actor, "only staff acknowledge alerts")?;
        let action = action.map(str::trim).filter(|a| !a.is_empty());
        if action.is_some_and(|a| a.len() > 20_000) {
            return Err(invalid("action", "must be at most 20,000 characters"));
        }
        let sealed = action
            .map(|a| {
                self.keys()
                    .seal(&format!("alerts.action_enc.{alert_id}"), a)
            })
            .transpose()?;
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "acknowledge", "alert", alert_id).await?;
        let row = sqlx::query("SELECT client_id, acknowledged_at, kind FROM alerts WHERE id = $1")
            .bind(alert_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound { entity: "alert" })?;
        let client_id: String = row.try_get(0)?;
        Self::load_client(&mut tx, actor, &client_id)
            .await
            .map_err(|_| StoreError::NotFound { entity: "alert" })?;
        let done: Option<i64> = row.try_get(1)?;
        if done.is_some() {
            return Err(invalid("alert", "has already been acknowledged"));
        }
        // The suicide-risk path: the alert stays until a named person records what was done.
        let kind: String = row.try_get(2)?;
        if kind == "suicidal-ideation" && sealed.is_none() {
            return Err(invalid(
                "action",
                "say what was done (for example: called the client, safety plan made)",
            ));
        }
        let now = now_ms();
        sqlx::query("UPDATE alerts SET acknowledged_by = $1, acknowledged_at = $2, updated_at = $2, action_enc = $3 WHERE id = $4")
            .bind(&actor.user_id)
            .bind(now)
            .bind(sealed)
            .bind(alert_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a session's outcome and, optionally, replaces its note (encrypted). Marking a session missed
    /// raises a missed-session alert.
    pub async fn update_session(
        &self,
        actor: &Actor,
        session_id: &str,
        status: &str,
        note: Option<&str>,
    ) -> Result<(), StoreError> {
        staff_only(actor, "only staff update sessions")?;
        if !SESSION_STATUSES.contains(&status) {
            return Err(invalid(
                "status",
                format!("must be one of {}", SESSION_STATUSES.join(", ")),
            ));
        }
        if note.is_some_and(|n| n.len() > 100_000) {
            return Err(invalid("note", "must be at most 100,000 characters"));
        }
        let note_enc = match note.map(str::trim) {
            Some(n) if !n.is_empty() => Some(
                self.keys()
                    .seal(&format!("sessions.note_enc.{session_id}"), n)?,
            ),
            _ => None,
        };
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "update", "session", session_id).await?;
        let row = sqlx::query("SELECT client_id, scheduled_at FROM sessions WHERE id = $1")
            .bind(session_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound { entity: "session" })?;
        let client_id: String = row.try_get(0)?;
        let scheduled_at: i64 = row.try_get(1)?;
        Self::load_client(&mut tx, actor, &client_id)
            .await
            .map_err(|_| StoreError::NotFound { entity: "session" })?;
        let now = now_ms();
        sqlx::query("UPDATE sessions SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(status)
            .bind(now)
            .bind(session_id)
            .execute(&mut *tx)
            .await?;
        if note.is_some() {
            sqlx::query("UPDATE sessions SET note_enc = $1 WHERE id = $2")
                .bind(note_enc)
                .bind(session_id)
                .execute(&mut *tx)
                .await?;
        }
        if status == "missed" {
            insert_alert(
                &mut tx,
                &client_id,
                "missed-session",
                session_id,
                None,
                scheduled_at,
                now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Moves a planned session to another time (a protocol's session within its window, or a client's request).
    /// Sessions already held, missed or cancelled keep their time: they are records of what happened.
    pub async fn reschedule_session(
        &self,
        actor: &Actor,
        session_id: &str,
        scheduled_at: i64,
    ) -> Result<(), StoreError> {
        staff_only(actor, "only staff move sessions")?;
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "reschedule", "session", session_id).await?;
        let row = sqlx::query("SELECT client_id, status FROM sessions WHERE id = $1")
            .bind(session_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound { entity: "session" })?;
        let client_id: String = row.try_get(0)?;
        Self::load_client(&mut tx, actor, &client_id)
            .await
            .map_err(|_| StoreError::NotFound { entity: "session" })?;
        let status: String = row.try_get(1)?;
        if status != "planned" {
            return Err(invalid("status", "only a planned session can be moved"));
        }
        sqlx::query("UPDATE sessions SET scheduled_at = $1, updated_at = $2 WHERE id = $3")
            .bind(scheduled_at)
            .bind(now_ms())
            .bind(session_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Makes an instrument due for a client on each of `due_dates` (one assessment each), in one transaction.
    pub async fn schedule_assessments(
        &self,
        actor: &Actor,
        client_id: &str,
        instrument: &str,
        point: &str,
        due_dates: &[i64],
    ) -> Result<Vec<Assessment>, StoreError> {
        staff_only(actor, "only staff schedule assessments")?;
        let ins = Catalogue::builtin()
            .require(instrument)
            .map_err(|e| invalid("instrument", e.to_string()))?;
        if point.trim().is_empty() || point.len() > 100 {
            return Err(invalid("point", "must be 1–100 characters"));
        }
        if due_dates.is_empty() || due_dates.len() > 52 {
            return Err(invalid("count", "must be 1–52 assessments"));
        }
        let (_turn, mut tx) = self.begin_write().await?;
        append(
            &mut tx,
            actor,
            "schedule",
            "assessment",
            &format!("client:{client_id}"),
        )
        .await?;
        Self::load_client(&mut tx, actor, client_id).await?;
        let journey: Option<String> = sqlx::query(
            "SELECT id FROM journeys WHERE client_id = $1 AND status = 'active' ORDER BY started_at DESC, id LIMIT 1",
        )
        .bind(client_id)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?;
        let now = now_ms();
        let mut out = Vec::with_capacity(due_dates.len());
        for &due_at in due_dates {
            let id = new_id();
            sqlx::query(
                "INSERT INTO assessments (id, client_id, journey_id, instrument, point, due_at, status, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'due', $7, $8)",
            )
            .bind(&id)
            .bind(client_id)
            .bind(journey.clone())
            .bind(&ins.id)
            .bind(point.trim())
            .bind(due_at)
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            out.push(Assessment {
                id,
                client_id: client_id.to_string(),
                journey_id: journey.clone(),
                instrument: ins.id.clone(),
                point: point.trim().to_string(),
                due_at,
                status: "due".into(),
            });
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Sets an inquiry's status (`new`, `answered`, `closed`).
    pub async fn set_inquiry_status(
        &self,
        actor: &Actor,
        inquiry_id: &str,
        status: &str,
    ) -> Result<(), StoreError> {
        staff_only(actor, "only staff handle inquiries")?;
        if !["new", "answered", "closed"].contains(&status) {
            return Err(invalid("status", "must be new, answered or closed"));
        }
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "update", "inquiry", inquiry_id).await?;
        let n = sqlx::query(
            "UPDATE inquiries SET status = $1, updated_at = $2 WHERE id = $3 AND practice_id = $4",
        )
        .bind(status)
        .bind(now_ms())
        .bind(inquiry_id)
        .bind(actor.practice_id.clone())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound { entity: "inquiry" });
        }
        tx.commit().await?;
        Ok(())
    }

    /// The part of turning an inquiry into a client that the web and the JSON API share, inside their transaction:
    /// the client from the inquiry's row (name, e-mail, phone, language), a journey at intake on `protocol`, and the
    /// inquiry marked answered.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn client_from_inquiry_row(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        id: String,
        inquiry: &AnyRow,
        therapist_id: Option<String>,
        protocol: &str,
        inquiry_id: &str,
    ) -> Result<Client, StoreError> {
        let new = NewClient {
            therapist_id,
            name: inquiry.try_get("name")?,
            email: inquiry.try_get("email")?,
            phone: inquiry.try_get("phone")?,
            birth_year: None,
            emergency_contact: None,
            preferred_language: inquiry.try_get("language")?,
        };
        let client = self.insert_client(tx, actor, id, new).await?;
        let now = now_ms();
        sqlx::query(
            "INSERT INTO journeys (id, client_id, protocol, phase, status, started_at, ended_at, created_at, updated_at) \
             VALUES ($1, $2, $3, 'intake', 'active', $4, NULL, $4, $4)",
        )
        .bind(new_id())
        .bind(&client.id)
        .bind(protocol)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        sqlx::query("UPDATE inquiries SET status = 'answered', updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(inquiry_id)
            .execute(&mut **tx)
            .await?;
        Ok(client)
    }

    /// Turns an inquiry into a client: a client record from the inquiry's name, e-mail, phone and language, a
    /// journey at the intake phase, and the inquiry marked answered, all in one transaction.
    pub async fn client_from_inquiry(
        &self,
        actor: &Actor,
        inquiry_id: &str,
        protocol: &str,
    ) -> Result<Client, StoreError> {
        staff_only(actor, "only staff turn inquiries into clients")?;
        let id = new_id();
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "convert", "inquiry", inquiry_id).await?;
        append(&mut tx, actor, "create", "client", &id).await?;
        let inquiry = sqlx::query(
            "SELECT name, email, phone, language, status FROM inquiries WHERE id = $1 AND practice_id = $2",
        )
        .bind(inquiry_id)
        .bind(actor.practice_id.clone())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "inquiry" })?;
        let status: String = inquiry.try_get("status")?;
        if status != "new" {
            return Err(invalid("inquiry", "has already been handled"));
        }
        crate::waitlist::refuse_if_waitlisted(&mut tx, inquiry_id).await?;
        let therapist_id = Some(actor.user_id.clone()).filter(|_| actor.role == Role::Therapist);
        let client = self
            .client_from_inquiry_row(
                &mut tx,
                actor,
                id,
                &inquiry,
                therapist_id,
                protocol,
                inquiry_id,
            )
            .await?;
        tx.commit().await?;
        Ok(client)
    }

    /// The clients' assessments that are due, for a client's own portal: not completed, oldest due first.
    pub async fn open_assessments(
        &self,
        actor: &Actor,
        client_id: &str,
    ) -> Result<Vec<Assessment>, StoreError> {
        let mut tx = self.begin_read().await?;
        Self::load_client(&mut tx, actor, client_id).await?;
        let rows = sqlx::query(
            "SELECT * FROM assessments WHERE client_id = $1 AND status = 'due' ORDER BY due_at, id",
        )
        .bind(client_id)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        self.audit_read(actor, "read", "assessment", &format!("client:{client_id}"))
            .await?;
        rows.iter().map(|r| Ok(Assessment::from_row(r)?)).collect()
    }
}

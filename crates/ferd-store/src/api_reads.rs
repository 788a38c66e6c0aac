//! What the JSON API (`/api/v1`) needs beyond the operations the web pages share: filtered lists and single reads
//! of inquiries, sessions and alerts, an inquiry written down by staff, a client made from an inquiry, a session
//! scheduled by an integration, and an alert acknowledged on behalf of a named member of staff.
//!
//! An API token is not a user: it has no row in `users`, so nothing here writes its id where a user is referred
//! to (`sessions.therapist_id`, `alerts.acknowledged_by`, `clients.therapist_id`). The audit events name the token
//! (`api-token:<id>`), like every other access; the records name people.
//!
//! Scope and audit are as everywhere in the store: every query is limited by the actor's [`client_scope`], what lies
//! outside it is [`StoreError::NotFound`], and every read and write appends an audit event.

use ferd_core::journey::{Protocols, TransitionError};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::audit::append;
use crate::records::{bind_all, client_scope, inquiry_from, invalid, is_email_address, not_found};
use crate::{new_id, now_ms, Actor, Alert, Client, Inquiry, Session, Store, StoreError};

/// The longest list one API call returns; a caller narrows the range or the filter to see the rest.
pub const API_LIST_LIMIT: usize = 1_000;

/// Languages an inquiry or a client may be in (as the public form and the client record accept).
const LANGUAGES: [&str; 3] = ["nb", "en", "sv"];
/// Inquiry statuses.
const INQUIRY_STATUSES: [&str; 3] = ["new", "answered", "closed"];
/// Session statuses.
const SESSION_STATUSES: [&str; 4] = ["planned", "held", "cancelled", "missed"];
const SESSION_KINDS: [&str; 5] = [
    "intake",
    "preparation",
    "medicine",
    "integration",
    "follow-up",
];
const ALERT_KINDS: [&str; 3] = [
    "suicidal-ideation",
    "reliable-deterioration",
    "missed-session",
];

/// A client as an integration finds them: enough to learn the id (FHIR `Patient` has the rest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClientSummary {
    pub id: String,
    pub name: String,
    /// The phase of the client's active journey, if any.
    pub phase: Option<String>,
}

/// Which sessions to list.
#[derive(Debug, Clone, Default)]
pub struct SessionFilter {
    pub client_id: Option<String>,
    /// Starting at or after (Unix ms).
    pub from: Option<i64>,
    /// Starting before (Unix ms).
    pub to: Option<i64>,
    pub status: Option<String>,
    pub kind: Option<String>,
    /// At most this many (1–[`API_LIST_LIMIT`]).
    pub limit: usize,
}

/// Which alerts to list.
#[derive(Debug, Clone, Default)]
pub struct AlertFilter {
    /// `Some(true)`: not yet acknowledged; `Some(false)`: acknowledged; `None`: both.
    pub open: Option<bool>,
    pub client_id: Option<String>,
    pub kind: Option<String>,
    pub limit: usize,
}

/// An inquiry that staff write down (it reached them by telephone or at the door), for the actor's practice.
#[derive(Debug, Clone, Default)]
pub struct StaffInquiry {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub language: String,
    pub message: String,
}

/// A session to schedule through the API.
#[derive(Debug, Clone, Default)]
pub struct ApiNewSession {
    pub client_id: String,
    pub kind: String,
    pub scheduled_at: i64,
    pub duration_minutes: i64,
    pub place: Option<String>,
    pub video_link: Option<String>,
    /// For a medicine session held by a licensed clinic or a trial: its record as JSON (clinic, responsible,
    /// referral note), sealed at rest.
    pub external: Option<String>,
}

fn one_of(field: &'static str, value: &str, allowed: &[&str]) -> Result<(), StoreError> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(invalid(
            field,
            format!("must be one of {}", allowed.join(", ")),
        ))
    }
}

/// Text of at most `max` characters with at least one that is not white space; no control characters except
/// (when `multiline`) tab, line feed and carriage return. PostgreSQL refuses NUL in text, so it must never get that
/// far.
fn check_text(
    field: &'static str,
    value: &str,
    max: usize,
    multiline: bool,
) -> Result<(), StoreError> {
    if value.trim().is_empty() {
        return Err(invalid(field, "must not be empty"));
    }
    if value.chars().count() > max {
        return Err(invalid(field, format!("must be at most {max} characters")));
    }
    if value
        .chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\t' | '\n' | '\r')))
    {
        return Err(invalid(field, "must not contain control characters"));
    }
    Ok(())
}

/// The columns of a session as the API shows it: never the note.
const SESSION_SQL: &str = "SELECT s.id, s.client_id, s.journey_id, s.therapist_id, s.kind, s.scheduled_at, s.duration_minutes, \
     s.place, s.video_link, s.status, s.plan_key, s.contact, s.external_enc FROM sessions s JOIN clients c ON c.id = s.client_id";

fn session_from(store: &Store, r: &AnyRow) -> Result<Session, StoreError> {
    let id: String = r.try_get("id")?;
    let external = r
        .try_get::<Option<Vec<u8>>, _>("external_enc")?
        .map(|enc| {
            store
                .keys()
                .open(&format!("sessions.external_enc.{id}"), &enc)
        })
        .transpose()?;
    Ok(Session {
        id,
        client_id: r.try_get("client_id")?,
        journey_id: r.try_get("journey_id")?,
        therapist_id: r.try_get("therapist_id")?,
        kind: r.try_get("kind")?,
        scheduled_at: r.try_get("scheduled_at")?,
        duration_minutes: r.try_get("duration_minutes")?,
        place: r.try_get("place")?,
        video_link: r.try_get("video_link")?,
        status: r.try_get("status")?,
        note: None,
        plan_key: r.try_get("plan_key")?,
        contact: r.try_get("contact")?,
        external,
    })
}

/// Alerts with their client's name and who acknowledged them (a user's display name).
const ALERT_SQL: &str = "SELECT al.id, al.client_id, c.name AS client_name, al.kind, al.source_id, al.instrument, al.raised_at, \
     u.display_name AS acknowledged_by, al.acknowledged_at, al.action_enc FROM alerts al JOIN clients c ON c.id = al.client_id \
     LEFT JOIN users u ON u.id = al.acknowledged_by";

fn alert_from(store: &Store, r: &AnyRow) -> Result<Alert, StoreError> {
    let id: String = r.try_get("id")?;
    let action: Option<Vec<u8>> = r.try_get("action_enc")?;
    Ok(Alert {
        action: action
            .map(|a| store.keys().open(&format!("alerts.action_enc.{id}"), &a))
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

/// The active (not disabled) admin or therapist of `practice` with this e-mail address, inside `tx`.
async fn staff_member(
    tx: &mut Transaction<'static, Any>,
    practice: &str,
    email: &str,
    field: &'static str,
) -> Result<String, StoreError> {
    let email = email.trim().to_lowercase();
    if !is_email_address(&email) {
        return Err(invalid(field, "is not an e-mail address"));
    }
    let row = sqlx::query(
        "SELECT id FROM users WHERE email = $1 AND practice_id = $2 AND role IN ('admin', 'therapist') AND disabled = 0",
    )
    .bind(&email)
    .bind(practice)
    .fetch_optional(&mut **tx)
    .await?;
    match row {
        Some(r) => Ok(r.try_get(0)?),
        None => Err(not_found("staff member")),
    }
}

impl Store {
    /// The practice's inquiries, newest first, optionally only those with `status`: at most [`API_LIST_LIMIT`]
    /// and one more, so that the caller can tell there were more.
    pub async fn api_inquiries(
        &self,
        actor: &Actor,
        status: Option<&str>,
    ) -> Result<Vec<Inquiry>, StoreError> {
        let practice = actor.staff_practice("only the practice's staff read inquiries")?;
        if let Some(s) = status {
            one_of("status", s, &INQUIRY_STATUSES)?;
        }
        let mut tx = self.begin_read().await?;
        let rows = sqlx::query(
            "SELECT * FROM inquiries WHERE practice_id = $1 AND ($2 = '' OR status = $2) ORDER BY created_at DESC, id LIMIT $3",
        )
        .bind(&practice)
        .bind(status.unwrap_or("").to_string())
        .bind(API_LIST_LIMIT as i64 + 1)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        self.audit_read(actor, "list", "inquiry", status.unwrap_or("*"))
            .await?;
        rows.iter().map(|r| inquiry_from(self, r)).collect()
    }

    /// One inquiry of the actor's practice.
    pub async fn api_inquiry(
        &self,
        actor: &Actor,
        inquiry_id: &str,
    ) -> Result<Inquiry, StoreError> {
        let practice = actor.staff_practice("only the practice's staff read inquiries")?;
        let mut tx = self.begin_read().await?;
        let row = sqlx::query("SELECT * FROM inquiries WHERE id = $1 AND practice_id = $2")
            .bind(inquiry_id)
            .bind(&practice)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(not_found("inquiry"))?;
        tx.commit().await?;
        self.audit_read(actor, "read", "inquiry", inquiry_id)
            .await?;
        inquiry_from(self, &row)
    }

    /// An inquiry that reached the practice another way (by telephone, at the door), written down by staff. No
    /// consent is recorded: the sender did not see the public form's privacy notice. The message is sealed. The
    /// same rules as the public form's, counted in characters.
    pub async fn record_inquiry(
        &self,
        actor: &Actor,
        new: StaffInquiry,
    ) -> Result<Inquiry, StoreError> {
        let practice = actor.staff_practice("only the practice's staff record inquiries")?;
        check_text("name", &new.name, 200, false)?;
        let name = new.name.trim().to_string();
        let email = new.email.trim().to_lowercase();
        if !is_email_address(&email) {
            return Err(invalid("email", "is not an e-mail address"));
        }
        let phone = new
            .phone
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty());
        if let Some(p) = &phone {
            check_text("phone", p, 40, false)?;
        }
        one_of("language", &new.language, &LANGUAGES)?;
        check_text("message", &new.message, 20_000, true)?;
        let id = new_id();
        let enc = self
            .keys()
            .seal(&format!("inquiries.message_enc.{id}"), &new.message)?;
        let now = now_ms();
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "create", "inquiry", &id).await?;
        sqlx::query(
            "INSERT INTO inquiries (id, practice_id, name, email, phone, language, message_enc, status, created_at, updated_at, consent_at, consent_version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'new', $8, $8, NULL, NULL)",
        )
        .bind(&id)
        .bind(&practice)
        .bind(&name)
        .bind(&email)
        .bind(phone.clone())
        .bind(&new.language)
        .bind(enc)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Inquiry {
            id,
            practice_id: practice,
            name,
            email,
            phone,
            language: new.language,
            message: new.message,
            status: "new".into(),
            created_at: now,
            consent_at: None,
            consent_version: None,
        })
    }

    /// Turns a new inquiry into a client with a journey at intake on `protocol`, and marks the inquiry answered, in
    /// one transaction. The client is assigned to the staff member with `therapist_email`, or to nobody yet.
    pub async fn api_client_from_inquiry(
        &self,
        actor: &Actor,
        inquiry_id: &str,
        protocol: &str,
        therapist_email: Option<&str>,
    ) -> Result<Client, StoreError> {
        let practice = actor.staff_practice("only staff turn inquiries into clients")?;
        if Protocols::builtin().get(protocol).is_none() {
            return Err(invalid(
                "protocol",
                format!("must be one of {}", Protocols::builtin().ids().join(", ")),
            ));
        }
        let id = new_id();
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "convert", "inquiry", inquiry_id).await?;
        append(&mut tx, actor, "create", "client", &id).await?;
        let inquiry = sqlx::query(
            "SELECT name, email, phone, language, status FROM inquiries WHERE id = $1 AND practice_id = $2",
        )
        .bind(inquiry_id)
        .bind(&practice)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(not_found("inquiry"))?;
        let status: String = inquiry.try_get("status")?;
        if status != "new" {
            return Err(invalid("status", "the inquiry has already been handled"));
        }
        crate::waitlist::refuse_if_waitlisted(&mut tx, inquiry_id).await?;
        let therapist_id = match therapist_email {
            Some(e) => Some(staff_member(&mut tx, &practice, e, "therapist").await?),
            None => None,
        };
        // The token acts with a practice admin's reach, so the client gets the named therapist, never the token.
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

    /// One client in the actor's scope, with the phase of their active journey.
    pub async fn client_summary(
        &self,
        actor: &Actor,
        client_id: &str,
    ) -> Result<ClientSummary, StoreError> {
        actor.staff_practice("only staff read client lists")?;
        let mut tx = self.begin_read().await?;
        let (cond, args) = client_scope(actor, 2);
        let sql = format!(
            "SELECT c.id, c.name, (SELECT j.phase FROM journeys j WHERE j.client_id = c.id AND j.status = 'active' \
             ORDER BY j.started_at DESC, j.id LIMIT 1) AS phase FROM clients c WHERE c.id = $1 AND {cond}"
        );
        let row = bind_all(sqlx::query(&sql).bind(client_id.to_string()), args)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(not_found("client"))?;
        tx.commit().await?;
        self.audit_read(actor, "read", "client", client_id).await?;
        Ok(ClientSummary {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            phase: row.try_get("phase")?,
        })
    }

    /// Sessions of the clients in scope, by start time; the second value says whether more matched than `limit`.
    /// Notes are never read.
    pub async fn api_sessions(
        &self,
        actor: &Actor,
        filter: &SessionFilter,
    ) -> Result<(Vec<Session>, bool), StoreError> {
        actor.staff_practice("only staff list sessions")?;
        if let Some(s) = &filter.status {
            one_of("status", s, &SESSION_STATUSES)?;
        }
        if let Some(k) = &filter.kind {
            one_of("kind", k, &SESSION_KINDS)?;
        }
        let limit = filter.limit.clamp(1, API_LIST_LIMIT);
        let mut tx = self.begin_read().await?;
        if let Some(c) = &filter.client_id {
            Self::load_client(&mut tx, actor, c).await?;
        }
        let (cond, args) = client_scope(actor, 6);
        let sql = format!(
            "{SESSION_SQL} WHERE ($1 = '' OR s.client_id = $1) AND s.scheduled_at >= $2 AND s.scheduled_at < $3 \
             AND ($4 = '' OR s.status = $4) AND ($5 = '' OR s.kind = $5) AND {cond} \
             ORDER BY s.scheduled_at, s.id LIMIT {}",
            limit + 1
        );
        let q = sqlx::query(&sql)
            .bind(filter.client_id.clone().unwrap_or_default())
            .bind(filter.from.unwrap_or(i64::MIN))
            .bind(filter.to.unwrap_or(i64::MAX))
            .bind(filter.status.clone().unwrap_or_default())
            .bind(filter.kind.clone().unwrap_or_default());
        let rows = bind_all(q, args).fetch_all(&mut *tx).await?;
        tx.commit().await?;
        let target = filter
            .client_id
            .as_ref()
            .map_or_else(|| "*".to_string(), |c| format!("client:{c}"));
        self.audit_read(actor, "list", "session", &target).await?;
        let truncated = rows.len() > limit;
        let sessions = rows
            .iter()
            .take(limit)
            .map(|r| session_from(self, r))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((sessions, truncated))
    }

    /// One session of a client in scope (without its note).
    pub async fn api_session(
        &self,
        actor: &Actor,
        session_id: &str,
    ) -> Result<Session, StoreError> {
        actor.staff_practice("only staff read sessions")?;
        let mut tx = self.begin_read().await?;
        let (cond, args) = client_scope(actor, 2);
        let sql = format!("{SESSION_SQL} WHERE s.id = $1 AND {cond}");
        let row = bind_all(sqlx::query(&sql).bind(session_id.to_string()), args)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(not_found("session"))?;
        tx.commit().await?;
        self.audit_read(actor, "read", "session", session_id)
            .await?;
        session_from(self, &row)
    }

    /// Schedules a session for a client in scope, assigned to the client's therapist (if any). A medicine session
    /// is booked only when ferd-core's guard allows it on the facts counted in the same transaction; a refusal
    /// changes nothing and comes back as `Ok(Err(reason))`.
    pub async fn api_schedule_session(
        &self,
        actor: &Actor,
        new: ApiNewSession,
    ) -> Result<Result<Session, TransitionError>, StoreError> {
        actor.staff_practice("only staff schedule sessions")?;
        one_of("kind", &new.kind, &SESSION_KINDS)?;
        if !(1..=24 * 60).contains(&new.duration_minutes) {
            return Err(invalid("duration_minutes", "must be 1–1440"));
        }
        let place = new.place.filter(|p| !p.trim().is_empty());
        if let Some(p) = &place {
            check_text("place", p, 200, false)?;
        }
        let video_link = new.video_link.filter(|v| !v.trim().is_empty());
        if let Some(v) = &video_link {
            check_text("video_link", v, 500, false)?;
            if !v.starts_with("https://") || v.chars().any(char::is_whitespace) {
                return Err(invalid(
                    "video_link",
                    "must be an https:// address without spaces",
                ));
            }
        }
        if new.external.is_some() && new.kind != "medicine" {
            return Err(invalid(
                "external",
                "only a medicine session is held by an external clinic",
            ));
        }
        let id = new_id();
        let sealed = new
            .external
            .as_deref()
            .map(|e| self.keys().seal(&format!("sessions.external_enc.{id}"), e))
            .transpose()?;
        let now = now_ms();
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "create", "session", &id).await?;
        let client = Self::load_client(&mut tx, actor, &new.client_id).await?;
        if new.kind == "medicine" {
            if let Err(reason) = crate::journey::medicine_allowed(&mut tx, &new.client_id).await? {
                return Ok(Err(reason));
            }
        }
        // As in the web interface: a medicine session belongs to the open journey, other sessions scheduled by
        // hand stand on their own (the protocol's planned sessions are made with the journey).
        let journey_id = if new.kind == "medicine" {
            crate::journey::open_journey(&mut tx, &new.client_id)
                .await?
                .map(|(jid, ..)| jid)
        } else {
            None
        };
        let contact = if video_link.is_some() && new.kind != "medicine" {
            "video"
        } else {
            "in-person"
        };
        sqlx::query(
            "INSERT INTO sessions (id, client_id, journey_id, therapist_id, kind, scheduled_at, duration_minutes, place, video_link, status, note_enc, created_at, updated_at, plan_key, contact, external_enc) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'planned', NULL, $10, $10, NULL, $11, $12)",
        )
        .bind(&id)
        .bind(&new.client_id)
        .bind(journey_id.clone())
        .bind(client.therapist_id.clone())
        .bind(&new.kind)
        .bind(new.scheduled_at)
        .bind(new.duration_minutes)
        .bind(place.clone())
        .bind(video_link.clone())
        .bind(now)
        .bind(contact)
        .bind(sealed)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Ok(Session {
            id,
            client_id: new.client_id,
            journey_id,
            therapist_id: client.therapist_id,
            kind: new.kind,
            scheduled_at: new.scheduled_at,
            duration_minutes: new.duration_minutes,
            place,
            video_link,
            status: "planned".into(),
            note: None,
            plan_key: None,
            contact: contact.into(),
            external: new.external,
        }))
    }

    /// Alerts of the clients in scope, newest first; the second value says whether more matched than `limit`.
    pub async fn api_alerts(
        &self,
        actor: &Actor,
        filter: &AlertFilter,
    ) -> Result<(Vec<Alert>, bool), StoreError> {
        actor.staff_practice("only staff see alerts")?;
        if let Some(k) = &filter.kind {
            one_of("kind", k, &ALERT_KINDS)?;
        }
        let limit = filter.limit.clamp(1, API_LIST_LIMIT);
        let mut tx = self.begin_read().await?;
        if let Some(c) = &filter.client_id {
            Self::load_client(&mut tx, actor, c).await?;
        }
        let open = match filter.open {
            None => "",
            Some(true) => " AND al.acknowledged_at IS NULL",
            Some(false) => " AND al.acknowledged_at IS NOT NULL",
        };
        let (cond, args) = client_scope(actor, 3);
        let sql = format!(
            "{ALERT_SQL} WHERE ($1 = '' OR al.client_id = $1) AND ($2 = '' OR al.kind = $2){open} AND {cond} \
             ORDER BY al.raised_at DESC, al.id LIMIT {}",
            limit + 1
        );
        let q = sqlx::query(&sql)
            .bind(filter.client_id.clone().unwrap_or_default())
            .bind(filter.kind.clone().unwrap_or_default());
        let rows = bind_all(q, args).fetch_all(&mut *tx).await?;
        tx.commit().await?;
        let target = filter
            .client_id
            .as_ref()
            .map_or_else(|| "*".to_string(), |c| format!("client:{c}"));
        self.audit_read(actor, "list", "alert", &target).await?;
        let truncated = rows.len() > limit;
        let alerts = rows
            .iter()
            .take(limit)
            .map(|r| alert_from(self, r))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((alerts, truncated))
    }

    /// One alert of a client in scope.
    pub async fn api_alert(&self, actor: &Actor, alert_id: &str) -> Result<Alert, StoreError> {
        actor.staff_practice("only staff see alerts")?;
        let mut tx = self.begin_read().await?;
        let (cond, args) = client_scope(actor, 2);
        let sql = format!("{ALERT_SQL} WHERE al.id = $1 AND {cond}");
        let row = bind_all(sqlx::query(&sql).bind(alert_id.to_string()), args)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(not_found("alert"))?;
        tx.commit().await?;
        self.audit_read(actor, "read", "alert", alert_id).await?;
        alert_from(self, &row)
    }

    /// Acknowledges an alert on behalf of the member of staff with `by_email`, who has seen it and taken
    /// responsibility for acting on it (an integration passes on what a person did in another system). As in the
    /// web interface, a suicidal-ideation alert needs `action`, what was done; it is sealed. An alert already
    /// acknowledged is refused with `Invalid` on `status`.
    pub async fn api_acknowledge_alert(
        &self,
        actor: &Actor,
        alert_id: &str,
        by_email: &str,
        action: Option<&str>,
    ) -> Result<(), StoreError> {
        let practice = actor.staff_practice("only staff acknowledge alerts")?;
        let action = action.filter(|a| !a.trim().is_empty());
        if let Some(a) = action {
            check_text("action", a, 5_000, true)?;
        }
        let sealed = action
            .map(|a| {
                self.keys()
                    .seal(&format!("alerts.action_enc.{alert_id}"), a.trim())
            })
            .transpose()?;
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "acknowledge", "alert", alert_id).await?;
        let row = sqlx::query("SELECT client_id, acknowledged_at, kind FROM alerts WHERE id = $1")
            .bind(alert_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(not_found("alert"))?;
        let client_id: String = row.try_get(0)?;
        Self::load_client(&mut tx, actor, &client_id)
            .await
            .map_err(|_| not_found("alert"))?;
        let by = staff_member(&mut tx, &practice, by_email, "acknowledged_by").await?;
        if row.try_get::<Option<i64>, _>(1)?.is_some() {
            return Err(invalid("status", "the alert has already been acknowledged"));
        }
        let kind: String = row.try_get(2)?;
        if kind == "suicidal-ideation" && sealed.is_none() {
            return Err(invalid(
                "action",
                "say what was done (for example: called the client, safety plan made)",
            ));
        }
        let now = now_ms();
        sqlx::query("UPDATE alerts SET acknowledged_by = $1, acknowledged_at = $2, updated_at = $2, action_enc = $3 WHERE id = $4")
            .bind(&by)
            .bind(now)
            .bind(sealed)
            .bind(alert_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

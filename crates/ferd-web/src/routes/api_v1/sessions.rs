//! Scheduling: sessions by client and date, scheduling one (a medicine session only when the journey's guard
//! allows), moving a planned one, and recording what happened.

use axum::extract::State;
use axum::response::Response;
use axum::Json;
use ferd_store::api_reads::{ApiNewSession, SessionFilter};
use ferd_store::Session;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    check_text, created, format_time, is_id, not_found_at, parse_time, store_error, Body, Id,
    Params, Problem, WriteClient,
};
use crate::api::{ApiClient, ApiError};
use crate::AppState;

/// The kind of a session, named after its phase of the journey.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum SessionKind {
    Intake,
    Preparation,
    Medicine,
    Integration,
    FollowUp,
}

impl SessionKind {
    fn as_str(self) -> &'static str {
        match self {
            SessionKind::Intake => "intake",
            SessionKind::Preparation => "preparation",
            SessionKind::Medicine => "medicine",
            SessionKind::Integration => "integration",
            SessionKind::FollowUp => "follow-up",
        }
    }
}

/// The kinds of session scheduled with `POST /api/v1/sessions`; a medicine session has its own operation
/// (`POST /api/v1/medicine-sessions`), behind the journey's guard.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum OrdinaryKind {
    Intake,
    Preparation,
    Integration,
    FollowUp,
}

impl OrdinaryKind {
    fn as_str(self) -> &'static str {
        match self {
            OrdinaryKind::Intake => "intake",
            OrdinaryKind::Preparation => "preparation",
            OrdinaryKind::Integration => "integration",
            OrdinaryKind::FollowUp => "follow-up",
        }
    }
}

/// Where a session stands: `planned`, or what happened.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SessionStatus {
    Planned,
    /// It took place (the client attended).
    Held,
    /// Called off in advance.
    Cancelled,
    /// The client did not come (raises a missed-session alert).
    Missed,
}

impl SessionStatus {
    fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Planned => "planned",
            SessionStatus::Held => "held",
            SessionStatus::Cancelled => "cancelled",
            SessionStatus::Missed => "missed",
        }
    }
}

/// How the client and the guide meet.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Contact {
    InPerson,
    Video,
    Phone,
}

/// A medicine session held by a licensed clinic or a trial: who holds it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExternalClinic {
    /// The clinic or trial that holds the medicine session.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$",
        example = "Klinikk Nord (studie MAPP-NO)"
    )]
    pub clinic: String,
    /// The clinician responsible there.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$",
        example = "dr. Eva Lege"
    )]
    pub responsible: String,
    /// Who referred, when, a reference number (encrypted at rest).
    #[schema(
        min_length = 1,
        max_length = 2000,
        pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
    )]
    pub referral_note: Option<String>,
}

/// A session. Its note is never part of the API.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiSession {
    pub id: String,
    pub client_id: String,
    #[schema(value_type = SessionKind)]
    pub kind: String,
    /// When it starts.
    #[schema(format = DateTime)]
    pub start: String,
    #[schema(minimum = 1, maximum = 1440)]
    pub duration_minutes: i64,
    #[schema(value_type = SessionStatus)]
    pub status: String,
    #[schema(value_type = Contact)]
    pub contact: String,
    pub place: Option<String>,
    pub video_link: Option<String>,
    /// Its place in the protocol template, for a session made from one (`preparation.2`, …).
    pub plan_key: Option<String>,
    /// The journey it belongs to, if any.
    pub journey_id: Option<String>,
    /// For a medicine session held by a licensed clinic or a trial: who holds it.
    pub external: Option<ExternalClinic>,
}

impl From<Session> for ApiSession {
    fn from(s: Session) -> ApiSession {
        ApiSession {
            id: s.id,
            client_id: s.client_id,
            kind: s.kind,
            start: format_time(s.scheduled_at),
            duration_minutes: s.duration_minutes,
            status: s.status,
            contact: s.contact,
            place: s.place,
            video_link: s.video_link,
            plan_key: s.plan_key,
            journey_id: s.journey_id,
            external: s
                .external
                .and_then(|e| serde_json::from_str::<ExternalClinic>(&e).ok()),
        }
    }
}

/// Sessions by start time.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionList {
    pub sessions: Vec<ApiSession>,
    /// More sessions matched than `limit`: narrow the range (e.g. `from` the last start shown).
    pub truncated: bool,
}

/// Which sessions to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SessionQuery {
    /// Only this client's sessions.
    #[param(format = "uuid")]
    pub client: Option<String>,
    /// Only sessions starting at or after this time.
    #[param(format = DateTime)]
    pub from: Option<String>,
    /// Only sessions starting before this time.
    #[param(format = DateTime)]
    pub to: Option<String>,
    #[param(inline)]
    pub status: Option<SessionStatus>,
    #[param(inline)]
    pub kind: Option<SessionKind>,
    /// At most this many (default 1000).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
}

/// List sessions.
///
/// Sessions of the practice's clients by start time: one client's (`client`), a date range (`from`, `to`), by
/// status or kind, or any mix. An empty range gives an empty list.
#[utoipa::path(
    get,
    path = "/api/v1/sessions",
    tag = "sessions",
    params(SessionQuery),
    responses(
        (status = 200, description = "The sessions.", body = SessionList,
            links(
                ("GetSession" = (operation_id = "get_session", parameters(("id" = "$response.body#/sessions/0/id")))),
                ("RecordOutcome" = (operation_id = "record_outcome", parameters(("id" = "$response.body#/sessions/0/id")))),
                ("Reschedule" = (operation_id = "reschedule_session", parameters(("id" = "$response.body#/sessions/0/id")))),
            )),
        (status = 404, description = "No such client (`client`).", body = Problem),
    ),
)]
pub async fn list_sessions(
    State(state): State<AppState>,
    api: ApiClient,
    Params(q): Params<SessionQuery>,
) -> Result<Json<SessionList>, ApiError> {
    let limit = super::limit(q.limit)?;
    if let Some(c) = &q.client {
        if !is_id(c) {
            return Err(ApiError::not_found("client").at("client"));
        }
    }
    let time = |field: &str, v: &Option<String>| {
        v.as_deref()
            .map(parse_time)
            .transpose()
            .map_err(|m| ApiError::invalid(field, m))
    };
    let filter = SessionFilter {
        client_id: q.client.clone(),
        from: time("from", &q.from)?,
        to: time("to", &q.to)?,
        status: q.status.map(|s| s.as_str().to_string()),
        kind: q.kind.map(|k| k.as_str().to_string()),
        limit,
    };
    let (sessions, truncated) = state
        .store()
        .api_sessions(&api.actor, &filter)
        .await
        .map_err(|e| not_found_at(ApiError::from_store(e), "client"))?;
    Ok(Json(SessionList {
        sessions: sessions.into_iter().map(ApiSession::from).collect(),
        truncated,
    }))
}

/// A session to schedule (any kind but medicine).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSession {
    /// The client.
    #[schema(format = "uuid")]
    pub client_id: String,
    pub kind: OrdinaryKind,
    /// When it starts.
    #[schema(format = DateTime, example = "2026-05-04T10:00:00+02:00")]
    pub start: String,
    #[schema(minimum = 1, maximum = 1440, example = 90)]
    #[serde(deserialize_with = "super::whole_number")]
    pub duration_minutes: i64,
    /// Where (a room, an address).
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub place: Option<String>,
    /// For a video session: the meeting's https address (the session's contact becomes `video`).
    #[schema(
        min_length = 9,
        max_length = 500,
        pattern = r"^https://[^\s\x00-\x1f\x7f-\x9f]+$"
    )]
    pub video_link: Option<String>,
}

/// Schedule a session.
///
/// For a client of the practice, assigned to the client's therapist. Any kind but medicine, which has its own
/// operation (`POST /api/v1/medicine-sessions`).
#[utoipa::path(
    post,
    path = "/api/v1/sessions",
    tag = "sessions",
    request_body = NewSession,
    responses(
        (status = 201, description = "Scheduled; `Location` is its address.", body = ApiSession,
            headers(("Location" = String, description = "The session's address.")),
            links(
                ("GetSession" = (operation_id = "get_session", parameters(("id" = "$response.body#/id")))),
                ("RecordOutcome" = (operation_id = "record_outcome", parameters(("id" = "$response.body#/id")))),
                ("Reschedule" = (operation_id = "reschedule_session", parameters(("id" = "$response.body#/id")))),
            )),
        (status = 404, description = "No such client (`client_id`).", body = Problem),
    ),
)]
pub async fn schedule_session(
    State(state): State<AppState>,
    WriteClient(api): WriteClient,
    Body(b): Body<NewSession>,
) -> Result<Response, ApiError> {
    let new = ApiNewSession {
        client_id: client_id(&b.client_id)?,
        kind: b.kind.as_str().to_string(),
        scheduled_at: parse_time(&b.start).map_err(|m| ApiError::invalid("start", m))?,
        duration_minutes: duration(b.duration_minutes)?,
        place: place(b.place)?,
        video_link: match b.video_link {
            Some(v) => {
                check_text("video_link", &v, 500, false)?;
                if !v.starts_with("https://") || v.chars().any(char::is_whitespace) {
                    return Err(ApiError::invalid(
                        "video_link",
                        "must be an https:// address without spaces",
                    ));
                }
                Some(v)
            }
            None => None,
        },
        external: None,
    };
    schedule(&state, &api, new).await
}

/// A medicine session to book.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMedicineSession {
    /// The client.
    #[schema(format = "uuid")]
    pub client_id: String,
    /// When it starts.
    #[schema(format = DateTime, example = "2026-06-01T09:00:00+02:00")]
    pub start: String,
    #[schema(minimum = 1, maximum = 1440, example = 480)]
    #[serde(deserialize_with = "super::whole_number")]
    pub duration_minutes: i64,
    /// Where.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub place: Option<String>,
    /// Who holds it, when a licensed clinic or a trial does (the usual case); none when the practice holds it
    /// itself (the clinic setting, with its medicine-session log).
    pub external: Option<ExternalClinic>,
}

/// Book a medicine session.
///
/// Only when the journey's guard allows it, judged on the client's records at that moment: a clinician's signed
/// clearance, every preparation session of the protocol held, a medicine session left in the protocol, and the
/// integration block after the last one finished. Otherwise 409 says which condition is not met, and nothing is
/// stored.
#[utoipa::path(
    post,
    path = "/api/v1/medicine-sessions",
    tag = "sessions",
    request_body = NewMedicineSession,
    responses(
        (status = 201, description = "Booked; `Location` is its address.", body = ApiSession,
            headers(("Location" = String, description = "The session's address.")),
            links(
                ("GetSession" = (operation_id = "get_session", parameters(("id" = "$response.body#/id")))),
                ("RecordOutcome" = (operation_id = "record_outcome", parameters(("id" = "$response.body#/id")))),
                ("Reschedule" = (operation_id = "reschedule_session", parameters(("id" = "$response.body#/id")))),
            )),
        (status = 404, description = "No such client (`client_id`).", body = Problem),
        (status = 409, description = "The journey's guard refuses a medicine session now (e.g. no signed clearance); `message` says why.", body = Problem,
            example = json!({"error": "conflict", "message": "no clinician has signed the screening clearance yet; record the clearance before preparation or a medicine session", "field": null})),
    ),
)]
pub async fn book_medicine_session(
    State(state): State<AppState>,
    WriteClient(api): WriteClient,
    Body(b): Body<NewMedicineSession>,
) -> Result<Response, ApiError> {
    let external = match b.external {
        Some(e) => {
            check_text("external.clinic", &e.clinic, 200, false)?;
            check_text("external.responsible", &e.responsible, 200, false)?;
            if let Some(n) = &e.referral_note {
                check_text("external.referral_note", n, 2000, true)?;
            }
            let record = ferd_core::journey::ExternalSession::new(
                &e.clinic,
                &e.responsible,
                e.referral_note.as_deref(),
            )
            .map_err(|err| ApiError::invalid("external", err.to_string()))?;
            Some(
                serde_json::to_string(&record)
                    .map_err(|_| ApiError::invalid("external", "could not be recorded"))?,
            )
        }
        None => None,
    };
    let new = ApiNewSession {
        client_id: client_id(&b.client_id)?,
        kind: "medicine".into(),
        scheduled_at: parse_time(&b.start).map_err(|m| ApiError::invalid("start", m))?,
        duration_minutes: duration(b.duration_minutes)?,
        place: place(b.place)?,
        video_link: None,
        external,
    };
    schedule(&state, &api, new).await
}

fn client_id(id: &str) -> Result<String, ApiError> {
    if is_id(id) {
        Ok(id.to_string())
    } else {
        Err(ApiError::not_found("client").at("client_id"))
    }
}

fn duration(minutes: i64) -> Result<i64, ApiError> {
    if (1..=1440).contains(&minutes) {
        Ok(minutes)
    } else {
        Err(ApiError::invalid(
            "duration_minutes",
            "must be 1–1440 minutes",
        ))
    }
}

fn place(place: Option<String>) -> Result<Option<String>, ApiError> {
    if let Some(p) = &place {
        check_text("place", p, 200, false)?;
    }
    Ok(place)
}

async fn schedule(
    state: &AppState,
    api: &ApiClient,
    new: ApiNewSession,
) -> Result<Response, ApiError> {
    match state
        .store()
        .api_schedule_session(&api.actor, new)
        .await
        .map_err(|e| not_found_at(ApiError::from_store(e), "client_id"))?
    {
        Ok(session) => Ok(created(
            format!("/api/v1/sessions/{}", session.id),
            ApiSession::from(session),
        )),
        Err(reason) => Err(ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "conflict",
            reason.to_string(),
        )),
    }
}

/// Read one session.
#[utoipa::path(
    get,
    path = "/api/v1/sessions/{id}",
    tag = "sessions",
    params(("id" = String, Path, format = "uuid", description = "The session's id.")),
    responses((status = 200, description = "The session.", body = ApiSession)),
)]
pub async fn get_session(
    State(state): State<AppState>,
    api: ApiClient,
    id: Id,
) -> Result<Json<ApiSession>, ApiError> {
    let id = id.of("session")?;
    let s = state
        .store()
        .api_session(&api.actor, &id)
        .await
        .map_err(ApiError::from_store)?;
    Ok(Json(s.into()))
}

/// A new time for a planned session.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reschedule {
    /// When it starts now.
    #[schema(format = DateTime, example = "2026-05-06T10:00:00+02:00")]
    pub start: String,
}

/// Move a planned session.
///
/// Only a `planned` session moves (409 otherwise): one held, missed or cancelled is a record of what happened.
#[utoipa::path(
    post,
    path = "/api/v1/sessions/{id}/reschedule",
    tag = "sessions",
    params(("id" = String, Path, format = "uuid", description = "The session's id.")),
    request_body = Reschedule,
    responses(
        (status = 200, description = "Moved.", body = ApiSession),
        (status = 409, description = "The session is not planned any more.", body = Problem),
    ),
)]
pub async fn reschedule_session(
    State(state): State<AppState>,
    WriteClient(api): WriteClient,
    id: Id,
    Body(b): Body<Reschedule>,
) -> Result<Json<ApiSession>, ApiError> {
    let id = id.of("session")?;
    let at = parse_time(&b.start).map_err(|m| ApiError::invalid("start", m))?;
    state
        .store()
        .reschedule_session(&api.actor, &id, at)
        .await
        .map_err(|e| store_error(e, &["status"]))?;
    let s = state
        .store()
        .api_session(&api.actor, &id)
        .await
        .map_err(ApiError::from_store)?;
    Ok(Json(s.into()))
}

/// What happened at a session.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// It took place (the client attended).
    Held,
    /// The client did not come: raises a missed-session alert for the therapist.
    Missed,
    /// Called off.
    Cancelled,
}

/// The outcome of a session.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionOutcome {
    pub status: Outcome,
}

/// Record what happened at a session.
///
/// Held, missed or cancelled. A missed session raises a missed-session alert. A held preparation, medicine or
/// integration session counts towards the journey's guards (e.g. the preparation a medicine session needs).
#[utoipa::path(
    post,
    path = "/api/v1/sessions/{id}/outcome",
    tag = "sessions",
    params(("id" = String, Path, format = "uuid", description = "The session's id.")),
    request_body = SessionOutcome,
    responses((status = 200, description = "Recorded.", body = ApiSession,
            links(
                ("ClientAlerts" = (operation_id = "list_alerts", parameters(("client" = "$response.body#/client_id")))),
            ))),
)]
pub async fn record_outcome(
    State(state): State<AppState>,
    WriteClient(api): WriteClient,
    id: Id,
    Body(b): Body<SessionOutcome>,
) -> Result<Json<ApiSession>, ApiError> {
    let id = id.of("session")?;
    let status = match b.status {
        Outcome::Held => SessionStatus::Held,
        Outcome::Missed => SessionStatus::Missed,
        Outcome::Cancelled => SessionStatus::Cancelled,
    };
    state
        .store()
        .update_session(&api.actor, &id, status.as_str(), None)
        .await
        .map_err(ApiError::from_store)?;
    let s = state
        .store()
        .api_session(&api.actor, &id)
        .await
        .map_err(ApiError::from_store)?;
    Ok(Json(s.into()))
}

//! Alerts: what a named person must look at (suicidal ideation, reliable deterioration, a missed session), and
//! their acknowledgement on behalf of a member of staff.

use axum::extract::State;
use axum::Json;
use ferd_store::api_reads::AlertFilter;
use ferd_store::Alert;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    check_email, check_text, format_time, is_id, not_found_at, store_error, Body, Id, Params,
    Problem, WriteClient,
};
use crate::api::{ApiClient, ApiError};
use crate::AppState;

/// Why ferd raised an alert.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum AlertKind {
    /// A questionnaire answer about thoughts of death or self-harm (PHQ-9 item 9 above 0), or a C-SSRS screener
    /// with intent or recent behaviour. Acknowledging needs what was done.
    SuicidalIdeation,
    /// Reliable deterioration since the client's first response to the instrument (Jacobson–Truax).
    ReliableDeterioration,
    /// The client did not come to a session.
    MissedSession,
}

impl AlertKind {
    fn as_str(self) -> &'static str {
        match self {
            AlertKind::SuicidalIdeation => "suicidal-ideation",
            AlertKind::ReliableDeterioration => "reliable-deterioration",
            AlertKind::MissedSession => "missed-session",
        }
    }
}

/// Which alerts, by acknowledgement.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum AlertState {
    /// Not yet acknowledged (the default).
    Open,
    /// Acknowledged.
    Acknowledged,
    /// Both.
    All,
}

/// An alert.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiAlert {
    pub id: String,
    pub client_id: String,
    pub client_name: String,
    #[schema(value_type = AlertKind)]
    pub kind: String,
    /// What raised it: a questionnaire response (FHIR `QuestionnaireResponse/{id}`) or a session
    /// (`/api/v1/sessions/{id}`).
    pub source_id: String,
    /// The questionnaire, for an alert raised by a response (`phq-9`, `pcl-5`, …).
    pub instrument: Option<String>,
    #[schema(format = DateTime)]
    pub raised_at: String,
    /// When it was acknowledged; null while it is open.
    #[schema(format = DateTime)]
    pub acknowledged_at: Option<String>,
    /// The name of the member of staff who acknowledged it.
    pub acknowledged_by: Option<String>,
    /// What was done about it (encrypted at rest).
    pub action: Option<String>,
}

impl From<Alert> for ApiAlert {
    fn from(a: Alert) -> ApiAlert {
        ApiAlert {
            id: a.id,
            client_id: a.client_id,
            client_name: a.client_name,
            kind: a.kind,
            source_id: a.source_id,
            instrument: a.instrument,
            raised_at: format_time(a.raised_at),
            acknowledged_at: a.acknowledged_at.map(format_time),
            acknowledged_by: a.acknowledged_by,
            action: a.action,
        }
    }
}

/// Alerts, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlertList {
    pub alerts: Vec<ApiAlert>,
    /// More alerts matched than `limit`: narrow the filter.
    pub truncated: bool,
}

/// Which alerts to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AlertQuery {
    /// Open (the default), acknowledged, or all.
    #[param(inline)]
    pub state: Option<AlertState>,
    /// Only this client's alerts.
    #[param(format = "uuid")]
    pub client: Option<String>,
    #[param(inline)]
    pub kind: Option<AlertKind>,
    /// At most this many (default 1000).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
}

/// List alerts.
///
/// The open alerts of the practice's clients by default, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/alerts",
    tag = "alerts",
    params(AlertQuery),
    responses(
        (status = 200, description = "The alerts.", body = AlertList,
            links(
                ("GetAlert" = (operation_id = "get_alert", parameters(("id" = "$response.body#/alerts/0/id")))),
                ("Acknowledge" = (operation_id = "acknowledge_alert", parameters(("id" = "$response.body#/alerts/0/id")))),
            )),
        (status = 404, description = "No such client (`client`).", body = Problem),
    ),
)]
pub async fn list_alerts(
    State(state): State<AppState>,
    api: ApiClient,
    Params(q): Params<AlertQuery>,
) -> Result<Json<AlertList>, ApiError> {
    let limit = super::limit(q.limit)?;
    if let Some(c) = &q.client {
        if !is_id(c) {
            return Err(ApiError::not_found("client").at("client"));
        }
    }
    let filter = AlertFilter {
        open: match q.state.unwrap_or(AlertState::Open) {
            AlertState::Open => Some(true),
            AlertState::Acknowledged => Some(false),
            AlertState::All => None,
        },
        client_id: q.client,
        kind: q.kind.map(|k| k.as_str().to_string()),
        limit,
    };
    let (alerts, truncated) = state
        .store()
        .api_alerts(&api.actor, &filter)
        .await
        .map_err(|e| not_found_at(ApiError::from_store(e), "client"))?;
    Ok(Json(AlertList {
        alerts: alerts.into_iter().map(ApiAlert::from).collect(),
        truncated,
    }))
}

/// Read one alert.
#[utoipa::path(
    get,
    path = "/api/v1/alerts/{id}",
    tag = "alerts",
    params(("id" = String, Path, format = "uuid", description = "The alert's id.")),
    responses((status = 200, description = "The alert.", body = ApiAlert)),
)]
pub async fn get_alert(
    State(state): State<AppState>,
    api: ApiClient,
    id: Id,
) -> Result<Json<ApiAlert>, ApiError> {
    let id = id.of("alert")?;
    let a = state
        .store()
        .api_alert(&api.actor, &id)
        .await
        .map_err(ApiError::from_store)?;
    Ok(Json(a.into()))
}

/// An acknowledgement.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Acknowledgement {
    /// The e-mail address of the member of staff (an admin or therapist of the practice) who has seen the alert
    /// and taken responsibility for acting on it. ferd records them, not the token.
    #[schema(
        min_length = 3,
        max_length = 254,
        pattern = r"^[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s.\x00-\x1f\x7f-\x9f][^@\s\x00-\x1f\x7f-\x9f]*\.[^@\s\x00-\x1f\x7f-\x9f]*$",
        example = "tor@example.org"
    )]
    pub acknowledged_by: String,
    /// What was done (required for a suicidal-ideation alert): e.g. "called the client, safety plan made".
    /// Encrypted at rest.
    #[schema(
        min_length = 1,
        max_length = 5000,
        pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
    )]
    pub action: Option<String>,
}

/// Acknowledge an alert.
///
/// On behalf of a named member of staff, who has seen it and taken responsibility for acting on it. As in ferd's
/// own interface, a suicidal-ideation alert needs `action`, what was done (422 without it). An alert already
/// acknowledged is 409.
#[utoipa::path(
    post,
    path = "/api/v1/alerts/{id}/acknowledge",
    tag = "alerts",
    params(("id" = String, Path, format = "uuid", description = "The alert's id.")),
    request_body = Acknowledgement,
    responses(
        (status = 200, description = "Acknowledged.", body = ApiAlert),
        (status = 404, description = "No such alert, or no active member of staff with the `acknowledged_by` address.", body = Problem),
        (status = 409, description = "The alert has already been acknowledged.", body = Problem),
        (status = 422, description = "A field breaks a rule, e.g. no `action` for a suicidal-ideation alert.", body = Problem,
            example = json!({"error": "invalid", "message": "say what was done (for example: called the client, safety plan made)", "field": "action"})),
    ),
)]
pub async fn acknowledge_alert(
    State(state): State<AppState>,
    WriteClient(api): WriteClient,
    id: Id,
    Body(b): Body<Acknowledgement>,
) -> Result<Json<ApiAlert>, ApiError> {
    let id = id.of("alert")?;
    check_email("acknowledged_by", &b.acknowledged_by)?;
    if let Some(a) = &b.action {
        check_text("action", a, 5_000, true)?;
    }
    state
        .store()
        .api_acknowledge_alert(&api.actor, &id, &b.acknowledged_by, b.action.as_deref())
        .await
        .map_err(|e| match e {
            ferd_store::StoreError::NotFound {
                entity: "staff member",
            } => ApiError::not_found("active member of staff with this e-mail address")
                .at("acknowledged_by"),
            other => store_error(other, &["status"]),
        })?;
    let a = state
        .store()
        .api_alert(&api.actor, &id)
        .await
        .map_err(ApiError::from_store)?;
    Ok(Json(a.into()))
}

//! Clients, minimally: enough for an integration to find a client's id. The record itself is FHIR `Patient`.

use axum::extract::State;
use axum::Json;
use ferd_store::api_reads::ClientSummary;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{Id, Params};
use crate::api::{ApiClient, ApiError};
use crate::AppState;

/// The phase of a client's journey (`none`: no active journey).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    Inquiry,
    Intake,
    Screening,
    Preparation,
    Medicine,
    Integration,
    FollowUp,
    /// No active journey (only as a filter).
    None,
}

impl Phase {
    fn as_str(self) -> &'static str {
        match self {
            Phase::Inquiry => "inquiry",
            Phase::Intake => "intake",
            Phase::Screening => "screening",
            Phase::Preparation => "preparation",
            Phase::Medicine => "medicine",
            Phase::Integration => "integration",
            Phase::FollowUp => "follow-up",
            Phase::None => "none",
        }
    }
}

/// A client, as an integration finds them. Everything else is FHIR `Patient/{id}` under `/fhir`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiClientSummary {
    /// The client's id (also their FHIR `Patient` id).
    pub id: String,
    pub name: String,
    /// The phase of the client's active journey; null when they have none (not started, paused or ended).
    #[schema(value_type = Option<Phase>)]
    pub phase: Option<String>,
}

impl From<ClientSummary> for ApiClientSummary {
    fn from(c: ClientSummary) -> ApiClientSummary {
        ApiClientSummary {
            id: c.id,
            name: c.name,
            phase: c.phase,
        }
    }
}

/// The practice's clients, by name.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientList {
    pub clients: Vec<ApiClientSummary>,
}

/// Which clients to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ClientQuery {
    /// Only clients whose name or e-mail address contains this (ignoring case).
    #[param(max_length = 200)]
    pub search: Option<String>,
    /// Only clients whose active journey is in this phase (`none`: without an active journey).
    #[param(inline)]
    pub phase: Option<Phase>,
}

/// List the practice's clients.
///
/// Id, name and journey phase, by name: to find a client's id. The record itself is FHIR `Patient/{id}`
/// (and `Patient/{id}/$everything`) under `/fhir`.
#[utoipa::path(
    get,
    path = "/api/v1/clients",
    tag = "clients",
    params(ClientQuery),
    responses((status = 200, description = "The clients.", body = ClientList,
            links(
                ("GetClient" = (operation_id = "get_client", parameters(("id" = "$response.body#/clients/0/id")))),
                ("ScheduleSession" = (operation_id = "schedule_session", request_body = json!({"client_id": "$response.body#/clients/0/id"}))),
            ))),
)]
pub async fn list_clients(
    State(state): State<AppState>,
    api: ApiClient,
    Params(q): Params<ClientQuery>,
) -> Result<Json<ClientList>, ApiError> {
    if q.search.as_ref().is_some_and(|s| s.chars().count() > 200) {
        return Err(ApiError::invalid(
            "search",
            "must be at most 200 characters",
        ));
    }
    let rows = state
        .store()
        .client_list(
            &api.actor,
            q.search.as_deref(),
            q.phase.map(Phase::as_str),
            ferd_store::now_ms(),
        )
        .await
        .map_err(ApiError::from_store)?;
    Ok(Json(ClientList {
        clients: rows
            .into_iter()
            .map(|r| ApiClientSummary {
                id: r.id,
                name: r.name,
                phase: r.phase,
            })
            .collect(),
    }))
}

/// Read one client.
///
/// Id, name and journey phase. The record itself is FHIR `Patient/{id}` under `/fhir`.
#[utoipa::path(
    get,
    path = "/api/v1/clients/{id}",
    tag = "clients",
    params(("id" = String, Path, format = "uuid", description = "The client's id.")),
    responses((status = 200, description = "The client.", body = ApiClientSummary)),
)]
pub async fn get_client(
    State(state): State<AppState>,
    api: ApiClient,
    id: Id,
) -> Result<Json<ApiClientSummary>, ApiError> {
    let id = id.of("client")?;
    let c = state
        .store()
        .client_summary(&api.actor, &id)
        .await
        .map_err(ApiError::from_store)?;
    Ok(Json(c.into()))
}

//! Inquiries: list (by status), read, change the status, delete (the sender asked), record one that came by
//! telephone, and turn one into a client.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use ferd_store::api_reads::StaffInquiry;
use ferd_store::Inquiry;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::clients::ApiClientSummary;
use super::{
    check_email, check_text, created, format_time, store_error, Body, Id, Params, WriteClient,
};
use crate::api::{ApiClient, ApiError};
use crate::AppState;

/// Where an inquiry stands.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum InquiryStatus {
    /// Not yet answered.
    New,
    /// Answered (or turned into a client).
    Answered,
    /// Closed without further contact.
    Closed,
}

impl InquiryStatus {
    fn as_str(self) -> &'static str {
        match self {
            InquiryStatus::New => "new",
            InquiryStatus::Answered => "answered",
            InquiryStatus::Closed => "closed",
        }
    }
}

/// A language ferd writes to people in.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Norwegian (bokmål).
    Nb,
    /// English.
    En,
    /// Swedish.
    Sv,
}

impl Language {
    fn as_str(self) -> &'static str {
        match self {
            Language::Nb => "nb",
            Language::En => "en",
            Language::Sv => "sv",
        }
    }
}

/// A message from someone who may become a client.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiInquiry {
    pub id: String,
    /// The sender's name.
    pub name: String,
    /// Where to answer.
    pub email: String,
    pub phone: Option<String>,
    /// The language to answer in.
    #[schema(value_type = Language)]
    pub language: String,
    /// The message (encrypted at rest).
    pub message: String,
    #[schema(value_type = InquiryStatus)]
    pub status: String,
    /// When it reached the practice.
    #[schema(format = DateTime)]
    pub received_at: String,
    /// When the sender agreed, on the public form, to be contacted and to the message being kept; null for an
    /// inquiry written down by staff.
    #[schema(format = DateTime)]
    pub consent_at: Option<String>,
    /// The privacy notice they agreed to (its last-reviewed date).
    pub consent_version: Option<String>,
}

impl From<Inquiry> for ApiInquiry {
    fn from(i: Inquiry) -> ApiInquiry {
        ApiInquiry {
            id: i.id,
            name: i.name,
            email: i.email,
            phone: i.phone,
            language: i.language,
            message: i.message,
            status: i.status,
            received_at: format_time(i.created_at),
            consent_at: i.consent_at.map(format_time),
            consent_version: i.consent_version,
        }
    }
}

/// Inquiries, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct InquiryList {
    pub inquiries: Vec<ApiInquiry>,
    /// More inquiries matched than `limit`: narrow the filter.
    pub truncated: bool,
}

/// Which inquiries to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct InquiryQuery {
    /// Only inquiries with this status.
    #[param(inline)]
    pub status: Option<InquiryStatus>,
    /// At most this many (default 1000).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
}

/// List the practice's inquiries.
///
/// Newest first, optionally only those with one status.
#[utoipa::path(
    get,
    path = "/api/v1/inquiries",
    tag = "inquiries",
    params(InquiryQuery),
    responses((status = 200, description = "The inquiries.", body = InquiryList,
            links(
                ("GetInquiry" = (operation_id = "get_inquiry", parameters(("id" = "$response.body#/inquiries/0/id")))),
                ("ConvertInquiry" = (operation_id = "convert_inquiry", parameters(("id" = "$response.body#/inquiries/0/id")))),
            ))),
)]
pub async fn list_inquiries(
    State(state): State<AppState>,
    api: ApiClient,
    Params(q): Params<InquiryQuery>,
) -> Result<Json<InquiryList>, ApiError> {
    let limit = super::limit(q.limit)?;
    let mut list = state
        .store()
        .api_inquiries(&api.actor, q.status.map(InquiryStatus::as_str))
        .await
        .map_err(ApiError::from_store)?;
    let truncated = list.len() > limit;
    list.truncate(limit);
    Ok(Json(InquiryList {
        inquiries: list.into_iter().map(ApiInquiry::from).collect(),
        truncated,
    }))
}

/// An inquiry that reached the practice another way (a telephone call), as staff write it down.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInquiry {
    /// The person's name.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$",
        example = "Kari Nordmann"
    )]
    pub name: String,
    /// Where to answer.
    #[schema(
        min_length = 3,
        max_length = 254,
        pattern = r"^[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s.\x00-\x1f\x7f-\x9f][^@\s\x00-\x1f\x7f-\x9f]*\.[^@\s\x00-\x1f\x7f-\x9f]*$",
        example = "kari@example.org"
    )]
    pub email: String,
    #[schema(
        min_length = 1,
        max_length = 40,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$",
        example = "+47 000 00 000"
    )]
    pub phone: Option<String>,
    /// The language to answer in.
    pub language: Language,
    /// What they asked (encrypted at rest).
    #[schema(
        min_length = 1,
        max_length = 20000,
        pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
    )]
    pub message: String,
}

/// Record an inquiry taken by telephone.
///
/// Staff write down an inquiry that did not come through the public form. No consent is recorded (the person did
/// not see the form's privacy notice), so `consent_at` is null. It starts as `new`.
#[utoipa::path(
    post,
    path = "/api/v1/inquiries",
    tag = "inquiries",
    request_body = NewInquiry,
    responses(
        (status = 201, description = "Recorded; `Location` is its address.", body = ApiInquiry,
            headers(("Location" = String, description = "The inquiry's address.")),
            links(
                ("GetInquiry" = (operation_id = "get_inquiry", parameters(("id" = "$response.body#/id")))),
                ("UpdateInquiry" = (operation_id = "update_inquiry", parameters(("id" = "$response.body#/id")))),
                ("DeleteInquiry" = (operation_id = "delete_inquiry", parameters(("id" = "$response.body#/id")))),
                ("ConvertInquiry" = (operation_id = "convert_inquiry", parameters(("id" = "$response.body#/id")))),
            )),
    ),
)]
pub async fn create_inquiry(
    State(state): State<AppState>,
    WriteClient(api): WriteClient,
    Body(b): Body<NewInquiry>,
) -> Result<Response, ApiError> {
    check_text("name", &b.name, 200, false)?;
    check_email("email", &b.email)?;
    if let Some(p) = &b.phone {
        check_text("phone", p, 40, false)?;
    }
    check_text("message", &b.message, 20_000, true)?;
    let inquiry = state
        .store()
        .record_inquiry(
            &api.actor,
            StaffInquiry {
                name: b.name,
                email: b.email,
                phone: b.phone,
                language: b.language.as_str().to_string(),
                message: b.message,
            },
        )
        .await
        .map_err(ApiError::from_store)?;
    Ok(created(
        format!("/api/v1/inquiries/{}", inquiry.id),
        ApiInquiry::from(inquiry),
    ))
}

/// Read one inquiry.
#[utoipa::path(
    get,
    path = "/api/v1/inquiries/{id}",
    tag = "inquiries",
    params(("id" = String, Path, format = "uuid", description = "The inquiry's id.")),
    responses((status = 200, description = "The inquiry.", body = ApiInquiry)),
)]
pub async fn get_inquiry(
    State(state): State<AppState>,
    api: ApiClient,
    id: Id,
) -> Result<Json<ApiInquiry>, ApiError> {
    let id = id.of("inquiry")?;
    let inquiry = state
        .store()
        .api_inquiry(&api.actor, &id)
        .await
        .map_err(ApiError::from_store)?;
    Ok(Json(inquiry.into()))
}

/// A change of an inquiry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InquiryChange {
    pub status: InquiryStatus,
}

/// Change an inquiry's status.
///
/// Mark it answered or closed (or new again).
#[utoipa::path(
    patch,
    path = "/api/v1/inquiries/{id}",
    tag = "inquiries",
    params(("id" = String, Path, format = "uuid", description = "The inquiry's id.")),
    request_body = InquiryChange,
    responses((status = 200, description = "Changed.", body = ApiInquiry)),
)]
pub async fn update_inquiry(
    State(state): State<AppState>,
    WriteClient(api): WriteClient,
    id: Id,
    Body(b): Body<InquiryChange>,
) -> Result<Json<ApiInquiry>, ApiError> {
    let id = id.of("inquiry")?;
    state
        .store()
        .set_inquiry_status(&api.actor, &id, b.status.as_str())
        .await
        .map_err(ApiError::from_store)?;
    let inquiry = state
        .store()
        .api_inquiry(&api.actor, &id)
        .await
        .map_err(ApiError::from_store)?;
    Ok(Json(inquiry.into()))
}

/// Delete an inquiry.
///
/// For good, when the sender asks (or it is spam). Audited; the message cannot be read again.
#[utoipa::path(
    delete,
    path = "/api/v1/inquiries/{id}",
    tag = "inquiries",
    params(("id" = String, Path, format = "uuid", description = "The inquiry's id.")),
    responses((status = 204, description = "Deleted.")),
)]
pub async fn delete_inquiry(
    State(state): State<AppState>,
    WriteClient(api): WriteClient,
    id: Id,
) -> Result<Response, ApiError> {
    let id = id.of("inquiry")?;
    state
        .store()
        .delete_inquiry(&api.actor, &id)
        .await
        .map_err(ApiError::from_store)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The protocols a journey can follow (ferd's protocol templates).
fn protocol_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(ferd_core::journey::Protocols::builtin().ids()))
        .description(Some("The protocol template the journey follows."))
        .build()
}

/// How to turn an inquiry into a client.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConvertInquiry {
    /// The protocol template the client's journey follows.
    #[schema(schema_with = protocol_schema)]
    pub protocol: String,
    /// The e-mail address of the therapist (a member of staff of the practice) the client is assigned to; none
    /// leaves the client unassigned, for a practice admin to assign.
    #[schema(
        min_length = 3,
        max_length = 254,
        pattern = r"^[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s.\x00-\x1f\x7f-\x9f][^@\s\x00-\x1f\x7f-\x9f]*\.[^@\s\x00-\x1f\x7f-\x9f]*$"
    )]
    pub therapist: Option<String>,
}

/// Turn an inquiry into a client.
///
/// Makes a client from the inquiry's name, e-mail, telephone and language, with a journey at intake on the
/// protocol, and marks the inquiry answered — all at once, or nothing. Only a `new` inquiry (409 otherwise).
#[utoipa::path(
    post,
    path = "/api/v1/inquiries/{id}/client",
    tag = "inquiries",
    params(("id" = String, Path, format = "uuid", description = "The inquiry's id.")),
    request_body = ConvertInquiry,
    responses(
        (status = 201, description = "The new client; `Location` is its address.", body = ApiClientSummary,
            headers(("Location" = String, description = "The client's address.")),
            links(
                ("GetClient" = (operation_id = "get_client", parameters(("id" = "$response.body#/id")))),
                ("ClientSessions" = (operation_id = "list_sessions", parameters(("client" = "$response.body#/id")))),
                ("ClientAlerts" = (operation_id = "list_alerts", parameters(("client" = "$response.body#/id")))),
                ("ScheduleSession" = (operation_id = "schedule_session", request_body = json!({"client_id": "$response.body#/id"}))),
                ("BookMedicineSession" = (operation_id = "book_medicine_session", request_body = json!({"client_id": "$response.body#/id"}))),
            )),
        (status = 404, description = "No such inquiry, or no member of staff with the `therapist` address.", body = super::Problem),
        (status = 409, description = "The inquiry has already been answered or closed.", body = super::Problem),
    ),
)]
pub async fn convert_inquiry(
    State(state): State<AppState>,
    WriteClient(api): WriteClient,
    id: Id,
    Body(b): Body<ConvertInquiry>,
) -> Result<Response, ApiError> {
    let id = id.of("inquiry")?;
    if ferd_core::journey::Protocols::builtin()
        .get(&b.protocol)
        .is_none()
    {
        return Err(ApiError::invalid(
            "protocol",
            format!(
                "must be one of {}",
                ferd_core::journey::Protocols::builtin().ids().join(", ")
            ),
        ));
    }
    if let Some(t) = &b.therapist {
        check_email("therapist", t)?;
    }
    let client = state
        .store()
        .api_client_from_inquiry(&api.actor, &id, &b.protocol, b.therapist.as_deref())
        .await
        .map_err(|e| match e {
            ferd_store::StoreError::NotFound {
                entity: "staff member",
            } => ApiError::not_found("member of staff with this e-mail address").at("therapist"),
            other => store_error(other, &["status"]),
        })?;
    let summary = state
        .store()
        .client_summary(&api.actor, &client.id)
        .await
        .map_err(ApiError::from_store)?;
    Ok(created(
        format!("/api/v1/clients/{}", client.id),
        ApiClientSummary::from(summary),
    ))
}

//! The JSON API under `/api/v1`, for what FHIR does not cover: inquiries, scheduling and alerts, and a minimal
//! client list to find ids. Its OpenAPI 3.1 document is generated from these handlers and types (utoipa) and
//! served at `/api/openapi.json`; the router and the document come from the same registrations
//! ([`utoipa_axum::routes!`]), so an operation cannot be served without being described, or described without
//! being served.
//!
//! Every request needs an API token ([`ApiClient`]); a change needs a read-write one ([`WriteClient`], checked
//! before the body is read). Requests are parsed strictly at the edge: a JSON body must say `application/json`
//! (415 otherwise), unknown fields and query parameters are refused, and every refusal is a JSON problem naming
//! the field (`{error, message, field}`). Nothing is stored unless the whole request is valid.

use std::sync::OnceLock;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::{CONTENT_TYPE, LOCATION};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, MethodRouter};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::{ApiClient, ApiError};
use crate::AppState;

mod alerts;
mod clients;
mod inquiries;
mod sessions;

/// The path of the OpenAPI document.
pub const OPENAPI_PATH: &str = "/api/openapi.json";

const DESCRIPTION: &str = "\
ferd's JSON API for what FHIR R4 (under `/fhir`) does not cover: the practice's inquiries, scheduling of sessions, \
and the alerts that need a named person. Clients are listed only so that an integration can find their ids; \
everything else about a client (the record, questionnaires, scores, sessions as Encounters, the journey as a \
CarePlan) is in the FHIR API (`Patient`, `QuestionnaireResponse`, `Observation`, `Encounter`, `CarePlan`).

**Tokens.** Every request carries an API token, `Authorization: Bearer ferd_…`, created by a practice admin under \
Administration → API tokens (or with `ferd token create`). A token speaks for one practice, reaches every client of \
it, and is read-only or read-write; a change with a read-only token is refused (403). Every use is audited under \
the token's name. A token may make 600 requests a minute per ferd instance; past that the answer is 429 with \
`Retry-After: 60`.

**Errors.** Every refusal is `application/json`: `{\"error\": code, \"message\": what is wrong, \"field\": the field \
or parameter, or null}`. Codes: `unauthorized` (401), `forbidden` (403), `not-found` (404: the record does not \
exist or belongs to another practice — the two look the same on purpose), `conflict` (409: the record's state \
does not allow it, e.g. a medicine session before the clearance is signed), `invalid` (422: a field breaks a rule; \
nothing was stored), `invalid-json` (400), `unsupported-media-type` (415), `too-large` (413), `too-many` (429).

**Conventions.** Times are RFC 3339 with an offset (`2026-05-04T10:00:00+02:00`); ferd answers in UTC \
(`2026-05-04T08:00:00Z`) to the millisecond. Unknown fields in a body and unknown query parameters are refused \
(422) rather than ignored. Lists return at most `limit` items (at most 1000) and say `truncated: true` when \
there were more. Free text (an inquiry's message, what was done about an alert) is encrypted at rest.";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "ferd JSON API",
        version = "1",
        description = DESCRIPTION,
        license(name = "MIT OR Apache-2.0"),
    ),
    tags(
        (name = "token", description = "The token itself: what it is and what it may do."),
        (name = "inquiries", description = "Messages from people who may become clients: from the public site's form, or written down by staff (a telephone call)."),
        (name = "clients", description = "The practice's clients, to find their ids. The record itself is FHIR `Patient` under `/fhir`."),
        (name = "sessions", description = "Scheduling: sessions by client and date, scheduling, moving and recording the outcome."),
        (name = "alerts", description = "Alerts raised by ferd (suicidal ideation, reliable deterioration, a missed session) that a named person must acknowledge."),
        (name = "meta", description = "This document."),
    ),
    components(schemas(Problem)),
)]
struct ApiDoc;

/// A refusal, as every error of this API is shaped.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"error": "invalid", "message": "must be 1–1440", "field": "duration_minutes"}))]
pub struct Problem {
    /// A short code: `unauthorized`, `forbidden`, `not-found`, `conflict`, `invalid`, `invalid-json`,
    /// `unsupported-media-type`, `too-large`, `too-many`, `method-not-allowed`, `exception`.
    pub error: String,
    /// What is wrong, for the person reading the integration's log (never the data sent).
    pub message: String,
    /// The field or query parameter that is wrong, if one is.
    pub field: Option<String>,
}

/// The router of `/api/v1` and `/api/openapi.json` (to be merged outside the browser's context layer).
pub fn routes() -> Router<AppState> {
    let (router, _) = build();
    router
        .route(OPENAPI_PATH, get(openapi_json))
        // `GET /api/v1/token` is served by the tokens module; this route only lends it the JSON 405 below.
        .route("/api/v1/token", MethodRouter::new())
        // Any other address under /api: a JSON 404 that says where the operations are listed.
        .route("/api/{*rest}", any(no_such_address))
        .method_not_allowed_fallback(method_not_allowed)
}

/// The router and the document from one set of registrations.
fn build() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(
            inquiries::list_inquiries,
            inquiries::create_inquiry
        ))
        .routes(routes!(
            inquiries::get_inquiry,
            inquiries::update_inquiry,
            inquiries::delete_inquiry
        ))
        .routes(routes!(inquiries::convert_inquiry))
        .routes(routes!(clients::list_clients))
        .routes(routes!(clients::get_client))
        .routes(routes!(sessions::list_sessions, sessions::schedule_session))
        .routes(routes!(sessions::book_medicine_session))
        .routes(routes!(sessions::get_session))
        .routes(routes!(sessions::reschedule_session))
        .routes(routes!(sessions::record_outcome))
        .routes(routes!(alerts::list_alerts))
        .routes(routes!(alerts::get_alert))
        .routes(routes!(alerts::acknowledge_alert))
        .split_for_parts();
    // Served elsewhere (the tokens module, and `routes` above), described here.
    doc.merge(Described::openapi());
    finish(&mut doc);
    (router, doc)
}

/// Operations described here and served by other routes.
#[derive(OpenApi)]
#[openapi(paths(get_token, get_openapi))]
struct Described;

/// What the presented token is.
///
/// For an integration checking its set-up: the token's id and name, whether it may only read or also write, and
/// the practice it speaks for.
#[utoipa::path(
    get,
    path = "/api/v1/token",
    tag = "token",
    operation_id = "get_token",
    responses((status = 200, description = "The token.", body = TokenInfo)),
)]
#[allow(dead_code)]
async fn get_token() {}

/// The token, as `GET /api/v1/token` answers.
#[derive(Debug, Serialize, ToSchema)]
#[allow(dead_code)]
struct TokenInfo {
    /// The token's id (not the token).
    token: String,
    /// What the practice admin named it.
    name: String,
    /// `read` or `write`.
    #[schema(inline)]
    scope: Scope,
    /// The practice the token speaks for.
    practice: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
#[allow(dead_code)]
enum Scope {
    Read,
    Write,
}

/// This document.
///
/// The OpenAPI 3.1 description of the JSON API, generated from ferd's code. It needs no token.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "meta",
    operation_id = "get_openapi",
    security(()),
    responses((status = 200, description = "The OpenAPI document.", content_type = "application/json", body = Object)),
)]
#[allow(dead_code)]
async fn get_openapi() {}

/// The shared error responses, each a component every operation refers to.
const COMMON_RESPONSES: [(&str, &str); 8] = [
    ("400", "InvalidJson"),
    ("401", "Unauthorized"),
    ("403", "Forbidden"),
    ("404", "NotFound"),
    ("413", "TooLarge"),
    ("415", "UnsupportedMediaType"),
    ("422", "Invalid"),
    ("429", "TooMany"),
];

fn problem_response(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
}

/// Adds the bearer-token scheme and the error responses every operation can give: 401 and 429 everywhere (the
/// document itself excepted), 403 for changes, 400/413/415/422 where a body is read, 422 where there are query
/// parameters, 404 where a record is named. An operation's own description of a status is kept.
fn finish(doc: &mut utoipa::openapi::OpenApi) {
    let components = doc.components.get_or_insert_with(Default::default);
    components.security_schemes.insert(
        "bearer".into(),
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("ferd_…")
                .description(Some(
                    "An API token made by a practice admin (Administration → API tokens, or `ferd token create`).",
                ))
                .build(),
        ),
    );
    // A body over the server-wide limit may be refused before the API sees it, as plain text.
    let mut too_large = problem_response("The body is larger than 1 MiB.");
    too_large.content.insert(
        "text/plain".into(),
        ContentBuilder::new()
            .schema(Some(
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String),
            ))
            .build(),
    );
    components
        .responses
        .insert("TooLarge".into(), RefOr::T(too_large));
    for (name, text) in [
        ("InvalidJson", "The body is not JSON (`error: invalid-json`)."),
        ("Unauthorized", "No token, or one that is unknown or revoked (`WWW-Authenticate: Bearer`)."),
        ("Forbidden", "The token may only read (`error: forbidden`): ask the practice admin for a read-write token."),
        ("NotFound", "No such record in the token's practice (a record of another practice is not found either)."),
        ("UnsupportedMediaType", "The body is not sent as `Content-Type: application/json`."),
        ("Invalid", "A field or query parameter breaks a rule; `field` names it and nothing was stored."),
        ("TooMany", "More than 600 requests in a minute with this token (`Retry-After: 60`)."),
    ] {
        components
            .responses
            .insert(name.into(), RefOr::T(problem_response(text)));
    }
    for (path, item) in doc.paths.paths.iter_mut() {
        let ops = [
            (false, item.get.as_mut()),
            (true, item.post.as_mut()),
            (true, item.patch.as_mut()),
            (true, item.put.as_mut()),
            (true, item.delete.as_mut()),
        ];
        for (writes, op) in ops {
            let Some(op) = op else { continue };
            if path == OPENAPI_PATH {
                continue;
            }
            op.security = Some(vec![SecurityRequirement::new(
                "bearer",
                Vec::<String>::new(),
            )]);
            let has_body = op.request_body.is_some();
            let has_query = op.parameters.as_ref().is_some_and(|ps| {
                ps.iter()
                    .any(|p| matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Query))
            });
            let names_record = path.contains('{');
            for (status, component) in COMMON_RESPONSES {
                let wanted = match status {
                    "401" | "429" => true,
                    "403" => writes,
                    "400" | "413" | "415" => has_body,
                    "422" => has_body || has_query,
                    "404" => names_record,
                    _ => false,
                };
                if wanted {
                    op.responses
                        .responses
                        .entry(status.into())
                        .or_insert_with(|| RefOr::Ref(Ref::from_response_name(component)));
                }
            }
        }
    }
}

/// The document as JSON.
pub fn document_json() -> serde_json::Value {
    let mut value = serde_json::to_value(build().1).unwrap_or_default();
    camel_case_links(&mut value);
    value
}

/// utoipa 5 writes a Link Object's fields in snake case (`operation_id`, `request_body`); OpenAPI spells them
/// `operationId`, `operationRef` and `requestBody`.
fn camel_case_links(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Object(links)) = map.get_mut("links") {
                for link in links.values_mut() {
                    if let serde_json::Value::Object(link) = link {
                        for (from, to) in [
                            ("operation_id", "operationId"),
                            ("operation_ref", "operationRef"),
                            ("request_body", "requestBody"),
                        ] {
                            if let Some(v) = link.remove(from) {
                                link.insert(to.to_string(), v);
                            }
                        }
                    }
                }
            }
            map.values_mut().for_each(camel_case_links);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(camel_case_links),
        _ => {}
    }
}

/// The document, serialised once.
fn document() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| serde_json::to_string_pretty(&document_json()).unwrap_or_default())
}

async fn openapi_json() -> Response {
    let mut r = document().into_response();
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

async fn no_such_address() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not-found",
        format!("no such API address; the operations are listed in {OPENAPI_PATH}"),
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method-not-allowed",
        format!("this address does not take this method (the Allow header lists those it takes; see {OPENAPI_PATH})"),
    )
}

/// A request with a token that may change records: the 403 comes before the body is read.
pub struct WriteClient(pub ApiClient);

impl FromRequestParts<AppState> for WriteClient {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let api = ApiClient::from_request_parts(parts, state).await?;
        api.require_write()?;
        Ok(WriteClient(api))
    }
}

/// The `{id}` of the address. Ids are ferd's (UUIDs); anything else is not found, without asking the database.
pub struct Id(String);

impl Id {
    /// The id, or 404 naming the record sought.
    pub fn of(self, entity: &str) -> Result<String, ApiError> {
        if is_id(&self.0) {
            Ok(self.0)
        } else {
            Err(ApiError::not_found(entity))
        }
    }
}

/// Whether `s` could be one of ferd's ids.
pub fn is_id(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map(|p| Id(p.0))
            .map_err(|_| ApiError::not_found("record"))
    }
}

/// Query parameters, parsed strictly: an unknown or malformed parameter is 422 naming it.
pub struct Params<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(Params)
            .map_err(|e| {
                let path = e.path().to_string();
                let message = clean_message(&e.inner().to_string());
                ApiError::invalid(field_of(&path, &message).unwrap_or_default(), message)
            })
    }
}

/// A JSON body, parsed strictly: `Content-Type: application/json` (415 otherwise), unknown fields refused, and
/// a field of the wrong type or a missing one named (422).
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"));
        if !json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "send the body as JSON, with Content-Type: application/json",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too-large",
                    "the body is larger than 1 MiB",
                )
            } else {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid-json",
                    "the body could not be read",
                )
            }
        })?;
        parse_json(&bytes).map(Body)
    }
}

/// Parses a JSON body into `T`, naming the field that is wrong.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = clean_message(&inner.to_string());
        if inner.is_syntax() || inner.is_eof() {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid-json",
                format!("the body is not valid JSON: {message}"),
            )
        } else {
            match field_of(&path, &message) {
                Some(f) => ApiError::invalid(f, message),
                None => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message),
            }
        }
    })?;
    // Nothing may follow the value.
    de.end().map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid-json",
            "the body is not valid JSON: something follows the value",
        )
    })?;
    Ok(value)
}

/// serde's message without its position (` at line 1 column 9`).
fn clean_message(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// The field an error is about: the path serde was at, or for a missing or unknown field the name in the message.
fn field_of(path: &str, message: &str) -> Option<String> {
    for prefix in ["missing field `", "unknown field `", "duplicate field `"] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let name = rest.split('`').next().unwrap_or_default();
            return Some(match path {
                "." | "" => name.to_string(),
                // An unknown field's path already ends with it; a missing one's is its parent's.
                p if p == name || p.ends_with(&format!(".{name}")) => p.to_string(),
                p => format!("{p}.{name}"),
            });
        }
    }
    match path {
        "." | "" => None,
        p => Some(p.to_string()),
    }
}

/// A JSON integer, also written with a zero fraction (`90.0`), as JSON Schema's `integer` admits.
pub fn whole_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    struct Whole;
    impl serde::de::Visitor<'_> for Whole {
        type Value = i64;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a whole number")
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<i64, E> {
            Ok(v)
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<i64, E> {
            i64::try_from(v).map_err(|_| E::custom("the number is too large"))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<i64, E> {
            if v.fract() == 0.0 && v.abs() < 9.0e15 {
                Ok(v as i64)
            } else {
                Err(E::invalid_type(serde::de::Unexpected::Float(v), &self))
            }
        }
    }
    d.deserialize_any(Whole)
}

/// The `limit` query parameter: 1–1000, 1000 when not given.
pub fn limit(given: Option<u32>) -> Result<usize, ApiError> {
    match given {
        None => Ok(ferd_store::api_reads::API_LIST_LIMIT),
        Some(n) if (1..=1000).contains(&n) => Ok(n as usize),
        Some(_) => Err(ApiError::invalid("limit", "must be 1–1000")),
    }
}

/// A store error as an API error; `conflict` names the invalid fields that describe the record's state rather
/// than the request (e.g. an alert already acknowledged), which are 409, not 422.
pub fn store_error(e: ferd_store::StoreError, conflict: &[&str]) -> ApiError {
    match e {
        ferd_store::StoreError::Invalid { field, message } if conflict.contains(&field) => {
            ApiError::new(StatusCode::CONFLICT, "conflict", message).at(field)
        }
        other => ApiError::from_store(other),
    }
}

/// A 404 without a field, naming `field` (the parameter that named the missing record).
pub fn not_found_at(e: ApiError, field: &str) -> ApiError {
    if e.status == StatusCode::NOT_FOUND && e.field.is_none() {
        e.at(field)
    } else {
        e
    }
}

/// 201 Created with the new record and where it lives.
pub fn created<T: Serialize>(location: String, body: T) -> Response {
    let mut r = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(LOCATION, v);
    }
    r
}

/// Parses an RFC 3339 date-time with an offset (`2026-05-04T10:00:00+02:00`, `…T08:00:00.250Z`) into Unix
/// milliseconds. Stricter than jiff's own parser on purpose: exactly what the OpenAPI `date-time` format admits
/// (seconds up to 59; a fraction is kept to the millisecond).
pub fn parse_time(text: &str) -> Result<i64, String> {
    let wrong = || {
        format!(
            "'{}' is not an RFC 3339 date-time with an offset, e.g. 2026-05-04T10:00:00+02:00",
            shorten(text)
        )
    };
    let b = text.as_bytes();
    let num = |from: usize, to: usize| -> Result<i32, String> {
        let s = b.get(from..to).ok_or_else(wrong)?;
        if s.iter().all(u8::is_ascii_digit) {
            Ok(s.iter().fold(0, |n, d| n * 10 + i32::from(d - b'0')))
        } else {
            Err(wrong())
        }
    };
    let at = |i: usize, c: &[u8]| b.get(i).is_some_and(|x| c.contains(x));
    if b.len() < 20
        || !at(4, b"-")
        || !at(7, b"-")
        || !at(10, b"Tt")
        || !at(13, b":")
        || !at(16, b":")
    {
        return Err(wrong());
    }
    let (year, month, day) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (hour, minute, second) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    let mut i = 19;
    let mut millis = 0;
    if at(i, b".") {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return Err(wrong());
        }
        let digits = &text[start..i.min(start + 3)];
        millis = format!("{digits:0<3}")
            .parse::<i64>()
            .map_err(|_| wrong())?;
    }
    let offset = match &b[i..] {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (h, m) = (num(i + 1, i + 3)?, num(i + 4, i + 6)?);
            if h > 23 || m > 59 {
                return Err(wrong());
            }
            let s = (h * 60 + m) * 60;
            if *sign == b'-' {
                -s
            } else {
                s
            }
        }
        _ => return Err(wrong()),
    };
    if hour > 23 || minute > 59 || second > 59 {
        return Err(wrong());
    }
    let date = jiff::civil::Date::new(year as i16, month as i8, day as i8).map_err(|_| wrong())?;
    let time =
        jiff::civil::Time::new(hour as i8, minute as i8, second as i8, 0).map_err(|_| wrong())?;
    let ts = jiff::tz::Offset::from_seconds(offset)
        .and_then(|o| o.to_timestamp(date.to_datetime(time)))
        .map_err(|_| {
            format!(
                "'{}' is outside the range of times ferd stores",
                shorten(text)
            )
        })?;
    Ok(ts.as_millisecond() + millis)
}

fn shorten(text: &str) -> String {
    let mut s: String = text.chars().take(40).filter(|c| !c.is_control()).collect();
    if text.chars().count() > 40 {
        s.push('…');
    }
    s
}

/// Unix milliseconds as RFC 3339 in UTC (`2026-05-04T08:00:00Z`, with `.250` when there are milliseconds).
pub fn format_time(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_string()
}

/// Checks a one-line (or, with `multiline`, free-text) field as its pattern in the document says (the patterns are
/// written out in the handlers' attributes, which take only literals; a test holds them to the ones below), and its length in characters.
pub fn check_text(field: &str, value: &str, max: usize, multiline: bool) -> Result<(), ApiError> {
    if value.trim().is_empty() {
        return Err(ApiError::invalid(field, "must not be empty or only spaces"));
    }
    if value.chars().count() > max {
        return Err(ApiError::invalid(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\t' | '\n' | '\r')))
    {
        return Err(ApiError::invalid(
            field,
            "must not contain control characters",
        ));
    }
    Ok(())
}

/// Checks an e-mail address as the document's e-mail pattern says (at most 254 characters).
pub fn check_email(field: &str, value: &str) -> Result<(), ApiError> {
    let ok = value.chars().count() <= 254
        && !value.chars().any(|c| c.is_control() || c.is_whitespace())
        && value.split_once('@').is_some_and(|(a, b)| {
            !a.is_empty() && b.contains('.') && !b.starts_with('.') && !b.contains('@')
        });
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid(field, "is not an e-mail address"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `pattern` of a one-line text field: no control characters, and at least one that is not white space.
    const LINE_PATTERN: &str =
        r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$";
    /// The `pattern` of a free-text field: as the one-line pattern, but tabs and line breaks are allowed.
    const TEXT_PATTERN: &str = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$";
    /// The `pattern` of an e-mail address as ferd accepts one: something before one `@`, a domain with a dot that
    /// does not start with one, no white space or control characters.
    const EMAIL_PATTERN: &str = r"^[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s.\x00-\x1f\x7f-\x9f][^@\s\x00-\x1f\x7f-\x9f]*\.[^@\s\x00-\x1f\x7f-\x9f]*$";
    /// A video link.
    const VIDEO_PATTERN: &str = r"^https://[^\s\x00-\x1f\x7f-\x9f]+$";

    #[test]
    fn every_pattern_in_the_document_is_one_the_checks_implement() {
        let doc = serde_json::to_value(build().1).unwrap();
        let mut found = Vec::new();
        fn walk(v: &serde_json::Value, found: &mut Vec<String>) {
            match v {
                serde_json::Value::Object(m) => {
                    for (k, v) in m {
                        if k == "pattern" {
                            found.push(v.as_str().unwrap().to_string());
                        }
                        walk(v, found);
                    }
                }
                serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, found)),
                _ => {}
            }
        }
        walk(&doc, &mut found);
        assert!(found.len() >= 10, "{found:?}");
        for p in found {
            assert!(
                [LINE_PATTERN, TEXT_PATTERN, EMAIL_PATTERN, VIDEO_PATTERN].contains(&p.as_str()),
                "{p}"
            );
        }
    }

    #[test]
    fn rfc3339_times_with_an_offset_parse_to_milliseconds_and_others_are_refused() {
        assert_eq!(parse_time("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(parse_time("1970-01-01T01:00:00+01:00"), Ok(0));
        assert_eq!(parse_time("1970-01-01t00:00:01.5z"), Ok(1_500));
        assert_eq!(parse_time("1970-01-01T00:00:00.123456789Z"), Ok(123));
        assert_eq!(
            parse_time("2026-05-04T10:00:00+02:00").map(format_time),
            Ok("2026-05-04T08:00:00Z".to_string())
        );
        for bad in [
            "",
            "2026-05-04",
            "2026-05-04T10:00:00",
            "2026-05-04T10:00Z",
            "2026-05-04 10:00:00Z",
            "2026-02-30T10:00:00Z",
            "2026-05-04T24:00:00Z",
            "2026-05-04T10:00:60Z",
            "2026-05-04T10:00:00.Z",
            "2026-05-04T10:00:00+0200",
            "2026-05-04T10:00:00+24:00",
            "2026-05-04T10:00:00Z[Europe/Oslo]",
            "+2026-05-04T10:00:00Z",
            "٢٠٢٦-05-04T10:00:00Z",
        ] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
        assert!(parse_time("9999-12-31T23:00:00-05:00")
            .unwrap_err()
            .contains("outside the range"));
        assert!(parse_time("0001-01-01T00:00:00+23:59").is_ok());
    }

    #[test]
    fn serde_errors_name_the_field() {
        assert_eq!(
            field_of(".", "missing field `kind`"),
            Some("kind".to_string())
        );
        assert_eq!(
            field_of("external.x", "unknown field `x`, expected one of `a`"),
            Some("external.x".to_string())
        );
        assert_eq!(
            field_of("external", "missing field `clinic`"),
            Some("external.clinic".to_string())
        );
        assert_eq!(
            field_of(
                "duration_minutes",
                "invalid type: string \"x\", expected i64"
            ),
            Some("duration_minutes".to_string())
        );
        assert_eq!(field_of(".", "invalid type: sequence"), None);
        assert_eq!(clean_message("oops at line 1 column 3"), "oops");
    }

    #[test]
    fn the_text_checks_agree_with_their_patterns_on_the_edges() {
        assert!(check_text("f", " a ", 3, false).is_ok());
        assert!(check_text("f", " \t ", 3, true).is_err());
        assert!(check_text("f", "a\nb", 3, false).is_err());
        assert!(check_text("f", "a\nb", 3, true).is_ok());
        assert!(check_text("f", "a\u{0}", 3, true).is_err());
        assert!(check_text("f", "a\u{85}", 3, true).is_err());
        assert!(check_text("f", "ææææ", 4, false).is_ok());
        assert!(check_text("f", "ææææa", 4, false).is_err());
        assert!(check_email("e", "kari@example.org").is_ok());
        assert!(check_email("e", "øystein@blåbær.no").is_ok());
        for bad in [
            "kari",
            "@example.org",
            "kari@.org",
            "kari@org",
            "ka ri@example.org",
            "a@b@c.d",
        ] {
            assert!(check_email("e", bad).is_err(), "{bad}");
        }
    }
}

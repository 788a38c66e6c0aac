//! What the machine-facing APIs share: the bearer-token extractor ([`ApiClient`]), its per-token rate limit, and
//! one error type ([`ApiError`]) that answers a FHIR request (`/fhir/…`) with an `OperationOutcome` and a JSON-API
//! request (`/api/…`) with a small problem document — both naming the field that is wrong, never echoing data.

use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use ferd_store::{Actor, StoreError, TokenHolder, TokenScope};
use serde_json::json;

use crate::auth::token_hash;
use crate::AppState;

/// Requests one token may make per minute, per ferd instance (counted in memory: a count in the database would
/// cost every API request a second commit).
pub const REQUESTS_PER_MINUTE: i64 = 600;

/// Fixed one-minute windows of requests per token, in this process.
#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: std::sync::Mutex<std::collections::HashMap<String, (i64, i64)>>,
}

impl RateLimiter {
    /// Counts a request of `key` at `now`; false when the minute's allowance is used up.
    pub fn allow(&self, key: &str, now: i64) -> bool {
        let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if w.len() > 10_000 {
            // Forget finished windows so the map cannot grow without bound.
            w.retain(|_, (start, _)| now - *start < 60_000);
        }
        let entry = w.entry(key.to_string()).or_insert((now, 0));
        if now - entry.0 >= 60_000 {
            *entry = (now, 0);
        }
        if entry.1 >= REQUESTS_PER_MINUTE {
            return false;
        }
        entry.1 += 1;
        true
    }
}

/// A refusal of an API request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    /// A short machine-readable code (`not-found`, `invalid`, `forbidden`, …); in FHIR, the issue type.
    pub code: &'static str,
    /// What is wrong, for a person reading the integration's log.
    pub message: String,
    /// The field or path that is wrong (FHIR: `expression`).
    pub field: Option<String>,
    /// Answer as FHIR (`OperationOutcome`, `application/fhir+json`).
    pub fhir: bool,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            fhir: false,
        }
    }

    /// The same error, naming the field.
    pub fn at(mut self, field: impl Into<String>) -> ApiError {
        self.field = Some(field.into());
        self
    }

    /// The same error, as a FHIR OperationOutcome.
    pub fn fhir(mut self) -> ApiError {
        self.fhir = true;
        self
    }

    pub fn not_found(what: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not-found",
            format!("no such {what}"),
        )
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message).at(field)
    }

    /// From a store error: validation keeps its field and rule; a database failure is logged and answered
    /// without detail.
    pub fn from_store(e: StoreError) -> ApiError {
        match e {
            StoreError::NotFound { entity } => ApiError::not_found(entity),
            StoreError::Forbidden(why) => ApiError::new(StatusCode::FORBIDDEN, "forbidden", why),
            StoreError::Invalid { field, message } => ApiError::invalid(field, message),
            StoreError::Duplicate { entity, field } => ApiError::new(
                StatusCode::CONFLICT,
                "duplicate",
                format!("a {entity} with this {field} already exists"),
            )
            .at(field),
            other => {
                tracing::error!(error = %other, "an API request failed");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "exception",
                    "ferd could not complete the request; it is logged",
                )
            }
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::from_store(e)
    }
}

/// The FHIR issue code for an error code (FHIR R4 IssueType value set).
fn issue_code(code: &str) -> &'static str {
    match code {
        "not-found" => "not-found",
        "invalid" => "invalid",
        "forbidden" => "forbidden",
        "unauthorized" => "login",
        "too-many" => "throttled",
        "duplicate" => "duplicate",
        "not-supported" => "not-supported",
        _ => "exception",
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = if self.fhir {
            let mut issue = json!({
                "severity": if self.status.is_server_error() { "fatal" } else { "error" },
                "code": issue_code(self.code),
                "diagnostics": self.message,
            });
            if let Some(f) = &self.field {
                issue["expression"] = json!([f]);
            }
            json!({ "resourceType": "OperationOutcome", "issue": [issue] })
        } else {
            json!({
                "error": self.code,
                "message": self.message,
                "field": self.field,
            })
        };
        let mut r = (self.status, body.to_string()).into_response();
        r.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_static(if self.fhir {
                "application/fhir+json; charset=utf-8"
            } else {
                "application/json"
            }),
        );
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"ferd\""),
            );
        }
        if self.status == StatusCode::TOO_MANY_REQUESTS {
            r.headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from_static("60"));
        }
        r
    }
}

/// A request made with a live API token (`Authorization: Bearer ferd_…`), within its rate limit.
#[derive(Debug, Clone)]
pub struct ApiClient {
    pub holder: TokenHolder,
    /// The actor the store sees (audited as `api-token:<id>`).
    pub actor: Actor,
    /// Whether the request is a FHIR one (errors as OperationOutcome).
    pub fhir: bool,
}

impl ApiClient {
    /// Refuses a change with a read-only token.
    pub fn require_write(&self) -> Result<(), ApiError> {
        if self.holder.scope == TokenScope::Write {
            Ok(())
        } else {
            let e = ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "this token may only read (ask the practice's admin for a read-write token)",
            );
            Err(if self.fhir { e.fhir() } else { e })
        }
    }

    /// An error in this API's format.
    pub fn error(&self, e: ApiError) -> ApiError {
        if self.fhir {
            e.fhir()
        } else {
            e
        }
    }
}

impl FromRequestParts<AppState> for ApiClient {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let fhir = parts.uri.path().starts_with("/fhir");
        let shape = |e: ApiError| if fhir { e.fhir() } else { e };
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| t.starts_with("ferd_") && t.len() < 200)
            .ok_or_else(|| {
                shape(ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "send an API token as Authorization: Bearer ferd_… (a practice admin creates one under Administration → API tokens)",
                ))
            })?;
        let now = ferd_store::now_ms();
        let holder = state
            .store()
            .api_token_holder(&token_hash(token), now)
            .await
            .map_err(|e| shape(ApiError::from_store(e)))?
            .ok_or_else(|| {
                shape(ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "the token is unknown or revoked",
                ))
            })?;
        if !state.0.api_rate.allow(&holder.token_id, now) {
            return Err(shape(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too-many",
                format!("at most {REQUESTS_PER_MINUTE} requests a minute per token; try again in a minute"),
            )));
        }
        let actor = holder.actor(&ferd_store::new_id());
        Ok(ApiClient {
            holder,
            actor,
            fhir,
        })
    }
}

//! One error type for handlers. It never shows clinical data or SQL to the browser: the page says what kind of
//! problem it was, in the user's language (rendered by the context layer, which knows the language), and the cause
//! goes to the log without personal data.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ferd_store::StoreError;

/// What went wrong in a handler.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Not signed in: go to the sign-in page.
    #[error("not signed in")]
    SignIn,
    /// Signed in, but this role may not do this.
    #[error("forbidden")]
    Forbidden,
    /// Nothing here, or not in the user's scope (the two are not told apart).
    #[error("not found")]
    NotFound,
    /// The request itself is malformed (a form field that no page sends, say).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The form's CSRF token is missing or wrong.
    #[error("the form is out of date")]
    Csrf,
    /// Too many requests (sign-in throttling).
    #[error("too many attempts")]
    TooMany,
    /// Anything else; logged, and shown as a general failure.
    #[error("internal error: {0}")]
    Internal(String),
}

/// Marks an error response so the context layer renders the error page in the user's language.
#[derive(Debug, Clone, Copy)]
pub struct ErrorPage {
    pub status: StatusCode,
    /// The message id of the explanation.
    pub message: &'static str,
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { .. } => AppError::NotFound,
            StoreError::Forbidden(_) => AppError::Forbidden,
            // Only the field is kept: a validation message may quote a value the user typed.
            StoreError::Invalid { field, .. } => AppError::BadRequest(field.to_string()),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, message) = match &self {
            AppError::SignIn => return Redirect::to("/login").into_response(),
            AppError::Forbidden => (StatusCode::FORBIDDEN, "error-forbidden"),
            AppError::NotFound => (StatusCode::NOT_FOUND, "error-not-found"),
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, "error-bad-request"),
            AppError::Csrf => (StatusCode::FORBIDDEN, "error-csrf"),
            AppError::TooMany => (StatusCode::TOO_MANY_REQUESTS, "error-too-many"),
            AppError::Internal(cause) => {
                // The cause comes from the store or a template: never clinical text, which is only decrypted into
                // values that are rendered, not into errors.
                tracing::error!(%cause, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "error-internal")
            }
        };
        if let AppError::BadRequest(why) = &self {
            tracing::info!(field = %why, "bad request");
        }
        let mut response = (status, message).into_response();
        response
            .extensions_mut()
            .insert(ErrorPage { status, message });
        response
    }
}

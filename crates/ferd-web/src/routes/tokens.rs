//! API tokens in the administration: a practice admin creates one (shown once), sees the list (name, first
//! characters, scope, last use) and revokes one; and `GET /api/v1/token`, which tells an integration what its token
//! is (name, scope, practice) so it can check its set-up.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use ferd_store::{ApiToken, TokenScope};
use serde::Deserialize;
use serde_json::json;

use super::{see_other, NoticeQuery};
use crate::api::ApiClient;
use crate::auth;
use crate::context::Admin;
use crate::error::AppError;
use crate::views::{html, html_status, Layout};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/tokens", get(tokens_page).post(create))
        .route("/admin/tokens/{id}/revoke", post(revoke))
}

/// The machine-facing routes (outside the browser's session and CSRF layer).
pub fn api_routes() -> Router<AppState> {
    Router::new().route("/api/v1/token", get(whoami))
}

#[derive(Template)]
#[template(path = "admin_tokens.html")]
struct TokensPage {
    l: Layout,
    tokens: Vec<ApiToken>,
    /// A token just created: shown this once.
    created: Option<(String, String)>,
    error: Option<String>,
    name: String,
}

async fn render(
    state: &AppState,
    ctx: &crate::Ctx,
    actor: &ferd_store::Actor,
    notice: Option<String>,
    created: Option<(String, String)>,
    error: Option<String>,
    name: String,
) -> Result<Response, AppError> {
    let tokens = state.store().api_tokens(actor).await?;
    let t = TokensPage {
        l: Layout::new(ctx, "tokens-title", "admin").with_notice(notice),
        tokens,
        created,
        error: error.clone(),
        name,
    };
    if error.is_some() {
        html_status(StatusCode::UNPROCESSABLE_ENTITY, &t)
    } else {
        html(&t)
    }
}

async fn tokens_page(
    State(state): State<AppState>,
    Admin(ctx, actor): Admin,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let notice = q.text(&ctx);
    render(&state, &ctx, &actor, notice, None, None, String::new()).await
}

#[derive(Debug, Deserialize)]
struct CreateForm {
    name: String,
    scope: String,
}

async fn create(
    State(state): State<AppState>,
    Admin(ctx, actor): Admin,
    Form(form): Form<CreateForm>,
) -> Result<Response, AppError> {
    let Some(scope) = TokenScope::parse(&form.scope) else {
        return Err(AppError::BadRequest("scope".into()));
    };
    let name = form.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        let e = ctx.tr.t("tokens-error-name");
        return render(&state, &ctx, &actor, None, None, Some(e), form.name).await;
    }
    let token = format!("ferd_{}", auth::random_token());
    let prefix: String = token.chars().take(10).collect();
    state
        .store()
        .create_api_token(&actor, &name, scope, &auth::token_hash(&token), &prefix)
        .await?;
    // Shown on this page once (the response is not cached), never stored or logged in the clear.
    render(
        &state,
        &ctx,
        &actor,
        None,
        Some((name, token)),
        None,
        String::new(),
    )
    .await
}

async fn revoke(
    State(state): State<AppState>,
    Admin(_, actor): Admin,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    state.store().revoke_api_token(&actor, &id).await?;
    Ok(see_other("/admin/tokens?notice=notice-token-revoked"))
}

/// What the presented token is: for an integration checking its set-up.
async fn whoami(api: ApiClient) -> Response {
    Json(json!({
        "token": api.holder.token_id,
        "name": api.holder.name,
        "scope": api.holder.scope,
        "practice": api.holder.practice_id,
    }))
    .into_response()
}

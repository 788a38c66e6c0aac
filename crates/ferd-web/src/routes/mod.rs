//! The routes, and the handlers every role shares: health, metrics, the stylesheet and the language switch.

use axum::extract::{DefaultBodyLimit, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use crate::context::{context_layer, make_cookie, Ctx, LANG_COOKIE, MAX_FORM_BYTES};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::metrics::metrics_layer;
use crate::security::headers_layer;
use crate::AppState;

mod admin;
mod api_v1;
mod articles;
mod calendar;
mod fhir;
mod journey;
mod mail;
mod portal;
mod referrals;
mod report;
mod session_log;
mod signin;
mod site;
mod tokens;
mod waitlist;
mod workspace;

/// Every route of the application, with its layers.
pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .route("/", get(home))
        .route("/language", post(set_language))
        .merge(signin::routes())
        .merge(workspace::routes())
        .merge(journey::routes())
        .merge(admin::routes())
        .merge(mail::routes())
        .merge(portal::routes())
        .merge(session_log::routes())
        .merge(calendar::routes())
        .merge(site::routes())
        .merge(articles::routes())
        .merge(report::routes())
        .merge(referrals::routes())
        .merge(tokens::routes())
        .merge(waitlist::routes())
        // The fallback sits inside the context layer, so an unknown address gets the error page in the user's
        // language like any other refusal.
        .fallback(not_found)
        .layer(from_fn_with_state(state.clone(), context_layer));
    Router::new()
        .merge(pages)
        // A calendar feed is fetched by calendar services without a session: outside the context layer.
        .merge(calendar::feed_routes())
        // The APIs answer tokens, not browser sessions: outside the context (and CSRF) layer.
        .merge(tokens::api_routes())
        .merge(api_v1::routes())
        .merge(fhir::routes())
        .route("/static/ferd.css", get(stylesheet))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .layer(from_fn_with_state(state.clone(), metrics_layer))
        .layer(from_fn_with_state(state.clone(), headers_layer))
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            MAX_FORM_BYTES,
        ))
        .with_state(state)
}

/// Query parameters that name a confirmation to show (`?notice=notice-…`).
#[derive(Debug, Deserialize, Default)]
pub struct NoticeQuery {
    pub notice: Option<String>,
}

impl NoticeQuery {
    /// The confirmation's text, if the key is one of ours.
    pub fn text(&self, ctx: &Ctx) -> Option<String> {
        self.notice
            .as_deref()
            .filter(|k| {
                k.starts_with("notice-")
                    && k.len() < 64
                    && k.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
            })
            .map(|k| ctx.tr.t(k))
    }
}

/// A redirect after a successful form (303, so the browser follows with GET).
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

async fn home(ctx: Ctx) -> Response {
    if ctx.is_client() {
        see_other("/portal")
    } else if ctx.is_therapist() {
        see_other("/dashboard")
    } else if ctx.is_admin() {
        see_other("/admin")
    } else {
        // Everyone else is a reader of the public site, in their language.
        see_other(&format!("/{}/", ctx.tr.lang().tag()))
    }
}

#[derive(Debug, Deserialize)]
struct LanguageForm {
    lang: String,
    back: Option<String>,
}

/// The language switch: remembered in a cookie, and in the user's settings when signed in.
async fn set_language(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<LanguageForm>,
) -> Result<Response, AppError> {
    let lang = Lang::parse(&form.lang).ok_or_else(|| AppError::BadRequest("lang".into()))?;
    if let Ok(actor) = ctx.actor() {
        state.store().set_language(&actor, Some(lang.tag())).await?;
    }
    // Only a path on this site: never `//host` or a full address (no open redirect).
    let back = form
        .back
        .filter(|b| b.starts_with('/') && !b.starts_with("//") && !b.contains('\\'))
        .unwrap_or_else(|| "/".into());
    let mut r = (StatusCode::SEE_OTHER, [(LOCATION, back)]).into_response();
    r.headers_mut().append(
        SET_COOKIE,
        make_cookie(
            LANG_COOKIE,
            lang.tag().to_string(),
            state.config().behind_tls(),
            Some(365 * 86_400),
        ),
    );
    Ok(r)
}

const CSS: &str = include_str!("../../static/ferd.css");

async fn stylesheet() -> Response {
    let mut r = CSS.into_response();
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    r.headers_mut().insert(
        CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    r
}

/// Alive: the process answers.
async fn healthz() -> &'static str {
    "ok"
}

/// Ready: the database answers.
async fn readyz(State(state): State<AppState>) -> Response {
    match sqlx_ping(&state).await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::error!(error = %e, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database not reachable").into_response()
        }
    }
}

async fn sqlx_ping(state: &AppState) -> Result<(), ferd_store::StoreError> {
    state.store().ping().await
}

async fn metrics(State(state): State<AppState>) -> Response {
    let mut r = state.0.metrics.render().into_response();
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
    );
    r
}

async fn not_found() -> AppError {
    AppError::NotFound
}

/// Parses a `YYYY-MM-DD` date and `HH:MM` time in the time zone into Unix milliseconds.
pub fn local_ms(tz: &jiff::tz::TimeZone, date: &str, time: &str) -> Option<i64> {
    let d: jiff::civil::Date = date.trim().parse().ok()?;
    let t: jiff::civil::Time = if time.trim().is_empty() {
        jiff::civil::Time::midnight()
    } else {
        time.trim().parse().ok()?
    };
    let z = d.to_datetime(t).to_zoned_datetime(tz.clone()).ok()?;
    Some(z.timestamp().as_millisecond())
}

/// The start of today and of the day seven days later, in the time zone, as Unix milliseconds.
pub fn today_and_week(tz: &jiff::tz::TimeZone, now_ms: i64) -> (i64, i64) {
    let now = jiff::Timestamp::from_millisecond(now_ms)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(tz.clone());
    let start = now
        .start_of_day()
        .map(|z| z.timestamp().as_millisecond())
        .unwrap_or(now_ms);
    let week = now
        .date()
        .checked_add(jiff::Span::new().days(7))
        .ok()
        .and_then(|d| d.to_zoned_datetime(tz.clone()).ok())
        .map(|z| z.timestamp().as_millisecond())
        .unwrap_or(start + 7 * 86_400_000);
    (start, week)
}

/// The start of the day after `now_ms`, in the time zone.
pub fn next_day_start(tz: &jiff::tz::TimeZone, now_ms: i64) -> i64 {
    jiff::Timestamp::from_millisecond(now_ms)
        .ok()
        .map(|t| t.to_zoned_datetime(tz.clone()))
        .and_then(|z| z.date().tomorrow().ok())
        .and_then(|d| d.to_zoned_datetime(tz.clone()).ok())
        .map(|z| z.timestamp().as_millisecond())
        .unwrap_or(now_ms + 86_400_000)
}

//! Calendar: a secret feed address per person for their sessions (subscribed to from any calendar application), and
//! a single session as a `.ics` file to download.
//!
//! The feed is fetched by calendar services with no sign-in: the token in its address is the secret, so it is
//! 256 random bits, stored only as its hash, replaced or turned off on the account page, and never logged (metrics
//! and logs name the route template, not the path). The feed route lives outside the context layer: it has no
//! session, sets no cookie, and a refusal is a bare 404 for a machine rather than an error page.

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use ferd_store::calendar::CalendarSession;

use super::see_other;
use crate::auth;
use crate::context::Ctx;
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::ics::{Calendar, Event, EventStatus};
use crate::AppState;

/// How often a subscribed calendar should fetch the feed again.
const REFRESH_HOURS: u32 = 1;

/// The signed-in routes: the account page's feed actions and a session's file.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account/calendar", post(create_feed))
        .route("/account/calendar/revoke", post(revoke_feed))
        // `{id}.ics`: the router matches whole segments, so the handler takes the suffix off. The parameter is
        // named as on the workspace's POST route for the same path, which this GET joins.
        .route("/sessions/{id}", get(session_file))
}

/// The feed, served without the context layer (no session, no cookies): see the module's documentation.
pub fn feed_routes() -> Router<AppState> {
    Router::new().route("/calendar/{token}", get(feed))
}

/// The calendar section of the account page.
#[derive(Debug, Clone)]
pub struct CalendarPanel {
    /// Whether the user has a live feed.
    pub active: bool,
    /// A therapist's feed names clients (shortened); a client's names nobody: the page says which.
    pub therapist: bool,
    /// A new feed's address, shown this once.
    pub new_url: Option<String>,
}

/// The account page's calendar section, for users who have sessions of their own (therapists and clients).
pub(super) async fn panel(
    state: &AppState,
    ctx: &Ctx,
    new_url: Option<String>,
) -> Result<Option<CalendarPanel>, AppError> {
    if !(ctx.is_therapist() || ctx.is_client()) {
        return Ok(None);
    }
    let active = state.store().calendar_feed_active(&ctx.actor()?).await?;
    Ok(Some(CalendarPanel {
        active,
        therapist: ctx.is_therapist(),
        new_url,
    }))
}

/// Creates (or replaces) the user's feed and shows its address once, on the account page.
async fn create_feed(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    let token = auth::random_token();
    state
        .store()
        .create_calendar_feed(&actor, &auth::token_hash(&token))
        .await?;
    // ferd keeps only the hash: this page is the only time the address exists outside the user's calendar.
    let url = format!("{}/calendar/{token}.ics", ctx.origin.trim_end_matches('/'));
    super::signin::render_account(
        &state,
        &ctx,
        Some(ctx.tr.t("notice-calendar-created")),
        Some(url),
    )
    .await
}

async fn revoke_feed(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    state.store().revoke_calendar_feeds(&actor).await?;
    Ok(see_other(
        "/account?notice=notice-calendar-revoked#calendar",
    ))
}

/// A bare 404 for the feed: calendar services show no pages, and an unknown and a revoked address look alike.
fn feed_not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
}

async fn feed(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(token) = file.strip_suffix(".ics") else {
        return feed_not_found();
    };
    let request_id = ferd_store::new_id();
    let data = match state
        .store()
        .calendar_for_feed(&auth::token_hash(token), &request_id)
        .await
    {
        Ok(Some(d)) => d,
        Ok(None) => return feed_not_found(),
        Err(e) => {
            // The store's error names the operation, never the token.
            tracing::error!(error = %e, "calendar feed failed");
            return (StatusCode::INTERNAL_SERVER_ERROR, "calendar unavailable").into_response();
        }
    };
    // The feed speaks its user's language in their practice's time zone, as their pages do.
    let lang = data
        .language
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or(Lang::Nb);
    let tz = jiff::tz::TimeZone::get(&data.time_zone).unwrap_or_else(|_| state.0.time_zone.clone());
    let tr = Tr::new(state.0.i18n.clone(), lang, tz);
    let events = events(&tr, &data.sessions);
    calendar_response(
        Calendar {
            name: &tr.t("calendar-name"),
            time_zone: tr.time_zone(),
            refresh_hours: Some(REFRESH_HOURS),
            events: &events,
        }
        .render(),
        None,
    )
}

/// One session as a `.ics` file: a client's own, or one of a therapist's clients (the store refuses anything else
/// as not found).
async fn session_file(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let id = file.strip_suffix(".ics").ok_or(AppError::NotFound)?;
    let actor = ctx.actor()?;
    let session = state.store().session_for_ics(&actor, id).await?;
    let filename = format!("ferd-{}.ics", ctx.tr.iso_date(session.starts_at));
    let events = events(&ctx.tr, std::slice::from_ref(&session));
    Ok(calendar_response(
        Calendar {
            name: &ctx.tr.t("calendar-name"),
            time_zone: ctx.tr.time_zone(),
            refresh_hours: None,
            events: &events,
        }
        .render(),
        Some(&filename),
    ))
}

/// Sessions as events: the translated kind (with the shortened client name in a therapist's calendar), the time,
/// and the status. Nothing else of the session goes into a calendar.
fn events(tr: &Tr, sessions: &[CalendarSession]) -> Vec<Event> {
    sessions
        .iter()
        .map(|s| {
            let kind = tr.t(&format!("kind-{}", s.kind));
            let summary = match s.client_name.as_deref().filter(|n| !n.is_empty()) {
                Some(name) => tr.t2("calendar-event-with-client", "kind", &kind, "client", &name),
                None => kind,
            };
            Event {
                uid: format!("{}@ferd", s.id),
                stamp_ms: s.updated_at,
                start_ms: s.starts_at,
                end_ms: s.starts_at + s.duration_minutes * 60_000,
                summary,
                status: status_of(s),
            }
        })
        .collect()
}

/// Cancelled sessions are `CANCELLED`; a planned session whose date a protocol template proposed is `TENTATIVE`
/// (the therapist may still move it); everything else was booked and is `CONFIRMED`.
fn status_of(s: &CalendarSession) -> EventStatus {
    match s.status.as_str() {
        "cancelled" => EventStatus::Cancelled,
        "planned" if s.from_template => EventStatus::Tentative,
        _ => EventStatus::Confirmed,
    }
}

fn calendar_response(body: String, attachment: Option<&str>) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    // The security layer says the same for every page; a calendar must never sit in a shared cache either.
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(name) = attachment {
        // The name is ASCII we made (`ferd-YYYY-MM-DD.ics`), so it needs no quoting beyond the quotes.
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
            h.insert(CONTENT_DISPOSITION, v);
        }
    }
    r
}

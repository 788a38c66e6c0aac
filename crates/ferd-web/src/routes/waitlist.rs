//! Capacity and the waitlist on the web.
//!
//! - **The person's status page** `/<lang>/waitlist/status/<token>` (public, no sign-in): their place ("number N of
//!   M, since …, in …") and a button to leave the list, which erases their details; afterwards
//!   `/<lang>/waitlist/left` says so. An unknown or used-up link is the plain "not found" page. Both are limited
//!   per sender address like the inquiry form, and the leave button is a form with the CSRF token like any other.
//! - **Staff** (therapists and admins of the practice): `/waitlist` with those waiting in order, "take the next",
//!   "take this person" (a reason when out of order), "remove" (with a reason) and each place's history.
//! - **Capacity**: a therapist says on their account page whether they take new clients; an admin says it for the
//!   practice and any of its therapists on the administration page.
//!
//! The public form itself (which puts a message on the list while the practice is full) is in `site.rs`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use ferd_store::waitlist::{status_token_hash, LONG_WAIT_DAYS};
use ferd_store::{
    Capacity, StoreError, WaitlistEntry, WaitlistPlace, WaitlistStatus, WaitlistSummary,
};
use serde::Deserialize;

use super::site::{layout, practice, practice_name, referrals_path, SiteLayout};
use super::{see_other, NoticeQuery};
use crate::context::{Admin, Ctx, Staff, Therapist};
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::views::{html, html_status, Layout};
use crate::AppState;

/// The protocol a journey started from the waitlist follows (as from the inbox).
const PROTOCOL: &str = "mdma-at";
/// Views of a status page (and leaves) one sender address may make…
pub const STATUS_MAX_PER_ADDRESS: i64 = 60;
/// …within this window.
pub const STATUS_WINDOW_MS: i64 = 3_600_000;

pub fn routes() -> Router<AppState> {
    let mut r = Router::new()
        .route("/waitlist", get(waitlist_page))
        .route("/waitlist/next", post(take_next))
        .route("/waitlist/{id}/take", post(take))
        .route("/waitlist/{id}/remove", post(remove))
        .route("/admin/capacity", post(practice_capacity))
        .route("/admin/users/{id}/capacity", post(therapist_capacity))
        .route("/account/capacity", post(own_capacity));
    for lang in Lang::ALL {
        let tag = lang.tag();
        r = r
            .route(
                &format!("/{tag}/waitlist/status/{{token}}"),
                get(
                    move |state: State<AppState>,
                          ctx: Ctx,
                          token: Path<String>,
                          q: Query<JoinedQuery>| {
                        status(state, ctx, lang, token, q)
                    },
                ),
            )
            .route(
                &format!("/{tag}/waitlist/status/{{token}}/leave"),
                post(
                    move |state: State<AppState>, ctx: Ctx, token: Path<String>| {
                        leave(state, ctx, lang, token)
                    },
                ),
            )
            .route(
                &format!("/{tag}/waitlist/left"),
                get(move |state: State<AppState>, ctx: Ctx| left(state, ctx, lang)),
            );
    }
    r
}

/// The address of a status page.
pub fn status_path(lang: Lang, token: &str) -> String {
    format!("/{}/waitlist/status/{token}", lang.tag())
}

/// A language's name in itself (the status page says which language the person asked to be answered in).
fn language_name(tag: &str) -> String {
    match Lang::parse(tag) {
        Some(l) if l.tag() == tag => l.own_name().to_string(),
        _ => tag.to_string(),
    }
}

/// Whether a status token has the shape of one ferd makes (base64url, 32–128 characters): anything else is "not
/// found" without a look in the database.
fn plausible(token: &str) -> bool {
    (32..=128).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Counts one use of a status page by the sender's address; refuses beyond the limit.
async fn allowance(state: &AppState, ctx: &Ctx) -> Result<(), AppError> {
    let key = format!(
        "waitlist-status:{}",
        state
            .store()
            .keys()
            .tag("waitlist-status-rate", ctx.peer.as_bytes())
    );
    if state
        .store()
        .take_public_allowance(
            &key,
            ferd_store::now_ms(),
            STATUS_MAX_PER_ADDRESS,
            STATUS_WINDOW_MS,
        )
        .await?
    {
        Ok(())
    } else {
        Err(AppError::TooMany)
    }
}

#[derive(Debug, Deserialize, Default)]
struct JoinedQuery {
    joined: Option<String>,
}

#[derive(Template)]
#[template(path = "site/waitlist_status.html")]
struct StatusTemplate {
    l: SiteLayout,
    place: WaitlistPlace,
    /// Right after joining: the page is the confirmation, and shows its own full address to keep.
    joined: bool,
    link: String,
    leave_href: String,
    language: String,
    referrals_href: String,
}

impl StatusTemplate {
    fn waiting(&self) -> bool {
        self.place.status == WaitlistStatus::Waiting
    }
    fn moved(&self) -> bool {
        self.place.status == WaitlistStatus::Moved
    }
    fn joined(&self) -> i64 {
        self.place.joined_at
    }
    fn ended(&self) -> i64 {
        self.place.ended_at.unwrap_or(self.place.joined_at)
    }
}

async fn status(
    State(state): State<AppState>,
    ctx: Ctx,
    lang: Lang,
    Path(token): Path<String>,
    Query(q): Query<JoinedQuery>,
) -> Result<Response, AppError> {
    allowance(&state, &ctx).await?;
    if !plausible(&token) {
        return Err(AppError::NotFound);
    }
    let place = match state
        .store()
        .waitlist_place(&status_token_hash(&token), &ctx.request_id)
        .await
    {
        Ok(p) => p,
        Err(StoreError::NotFound { .. }) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    let p = practice(&state).await?;
    let name = practice_name(&p);
    let tr = Tr::new(state.0.i18n.clone(), lang, ctx.tr.time_zone().clone());
    let title = tr.t("waitlist-status-title");
    let path = status_path(lang, &token);
    let slug = path
        .trim_start_matches(&format!("/{}/", lang.tag()))
        .to_string();
    let l = layout(&state, &ctx, lang, &name, &slug, title.clone(), title);
    html(&StatusTemplate {
        joined: q.joined.as_deref() == Some("1"),
        link: format!("{}{path}", ctx.origin),
        leave_href: format!("{path}/leave"),
        language: language_name(&place.language),
        referrals_href: referrals_path(lang),
        place,
        l,
    })
}

/// The person leaves the list: their details are erased at once and the link stops working.
async fn leave(
    State(state): State<AppState>,
    ctx: Ctx,
    lang: Lang,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    allowance(&state, &ctx).await?;
    if !plausible(&token) {
        return Err(AppError::NotFound);
    }
    match state
        .store()
        .leave_waitlist(&status_token_hash(&token), &ctx.request_id)
        .await
    {
        Ok(()) => Ok(see_other(&format!("/{}/waitlist/left", lang.tag()))),
        Err(StoreError::NotFound { .. }) => Err(AppError::NotFound),
        // Taken into intake or removed meanwhile: the status page says which.
        Err(StoreError::Invalid {
            field: "status", ..
        }) => Ok(see_other(&status_path(lang, &token))),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "site/waitlist_left.html")]
struct LeftTemplate {
    l: SiteLayout,
}

async fn left(State(state): State<AppState>, ctx: Ctx, lang: Lang) -> Result<Response, AppError> {
    let p = practice(&state).await?;
    let name = practice_name(&p);
    let tr = Tr::new(state.0.i18n.clone(), lang, ctx.tr.time_zone().clone());
    let title = tr.t("waitlist-left-title");
    let l = layout(
        &state,
        &ctx,
        lang,
        &name,
        "waitlist/left",
        title.clone(),
        title,
    );
    html(&LeftTemplate { l })
}

/// A problem with one action on the staff page, shown beside the place it concerns.
#[derive(Debug, Clone)]
struct ActionError {
    /// The place (empty: the page as a whole).
    entry: String,
    /// `take` or `remove`.
    action: &'static str,
    message: String,
    /// What was typed, kept.
    reason: String,
}

#[derive(Template)]
#[template(path = "waitlist.html")]
struct WaitlistPage {
    l: Layout,
    waiting: Vec<WaitlistEntry>,
    ended: Vec<WaitlistEntry>,
    capacity: Capacity,
    now: i64,
    error: Option<ActionError>,
}

impl WaitlistPage {
    fn error_for(&self, entry: &str, action: &str) -> Option<&ActionError> {
        self.error
            .as_ref()
            .filter(|e| e.entry == entry && e.action == action)
    }
    fn page_error(&self) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|e| e.entry.is_empty())
            .map(|e| e.message.as_str())
    }
    fn waited(&self, e: &WaitlistEntry) -> i64 {
        e.days_waited(self.now)
    }
    fn long_wait(&self, e: &WaitlistEntry) -> bool {
        e.long_wait(self.now)
    }
    fn language(&self, tag: &str) -> String {
        language_name(tag)
    }
    fn status_key(&self, e: &WaitlistEntry) -> String {
        format!("waitlist-ended-{}", e.status.as_str())
    }
}

async fn render(
    state: &AppState,
    ctx: &Ctx,
    actor: &ferd_store::Actor,
    notice: Option<String>,
    error: Option<ActionError>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let all = state.store().waitlist(actor).await?;
    let capacity = state.store().capacity(actor).await?;
    let (waiting, ended) = all
        .into_iter()
        .partition(|e| e.status == WaitlistStatus::Waiting);
    html_status(
        status,
        &WaitlistPage {
            l: Layout::new(ctx, "waitlist-title", "waitlist").with_notice(notice),
            waiting,
            ended,
            capacity,
            now: ferd_store::now_ms(),
            error,
        },
    )
}

async fn waitlist_page(
    State(state): State<AppState>,
    Staff(ctx, actor): Staff,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    render(&state, &ctx, &actor, q.text(&ctx), None, StatusCode::OK).await
}

/// Where to go after a move: a therapist to the new client's page; an admin (who has no client pages) back to the
/// list.
fn after_move(ctx: &Ctx, client_id: &str) -> Response {
    if ctx.is_therapist() {
        see_other(&format!(
            "/clients/{client_id}?notice=notice-waitlist-taken"
        ))
    } else {
        see_other("/waitlist?notice=notice-waitlist-taken")
    }
}

async fn take_next(
    State(state): State<AppState>,
    Staff(ctx, actor): Staff,
) -> Result<Response, AppError> {
    match state
        .store()
        .take_next_from_waitlist(&actor, PROTOCOL)
        .await
    {
        Ok(t) => Ok(after_move(&ctx, &t.client.id)),
        Err(StoreError::Invalid {
            field: "waitlist", ..
        }) => {
            let error = ActionError {
                entry: String::new(),
                action: "next",
                message: ctx.tr.t("waitlist-error-nobody"),
                reason: String::new(),
            };
            render(
                &state,
                &ctx,
                &actor,
                None,
                Some(error),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
struct ReasonForm {
    #[serde(default)]
    reason: String,
}

/// A refusal the staff page explains: a missing or too long reason (422), or a place someone else ended first
/// (409). Anything else is an error page.
fn explain(
    ctx: &Ctx,
    e: StoreError,
    entry: &str,
    action: &'static str,
    reason: &str,
) -> Result<(ActionError, StatusCode), AppError> {
    let (key, status, on_entry) = match e {
        StoreError::Invalid {
            field: "reason", ..
        } if reason.trim().is_empty() => (
            if action == "take" {
                "waitlist-error-reason-order"
            } else {
                "waitlist-error-reason-remove"
            },
            StatusCode::UNPROCESSABLE_ENTITY,
            true,
        ),
        StoreError::Invalid {
            field: "reason", ..
        } => (
            "waitlist-error-reason-long",
            StatusCode::UNPROCESSABLE_ENTITY,
            true,
        ),
        StoreError::Invalid {
            field: "status", ..
        } => ("waitlist-error-gone", StatusCode::CONFLICT, false),
        other => return Err(other.into()),
    };
    Ok((
        ActionError {
            entry: if on_entry {
                entry.to_string()
            } else {
                String::new()
            },
            action,
            message: if key == "waitlist-error-reason-long" {
                ctx.tr
                    .tn(key, "max", ferd_store::waitlist::MAX_REASON_CHARS as i64)
            } else {
                ctx.tr.t(key)
            },
            reason: reason.to_string(),
        },
        status,
    ))
}

async fn take(
    State(state): State<AppState>,
    Staff(ctx, actor): Staff,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Result<Response, AppError> {
    let reason = Some(form.reason.as_str()).filter(|r| !r.trim().is_empty());
    match state
        .store()
        .take_from_waitlist(&actor, &id, reason, PROTOCOL)
        .await
    {
        Ok(t) => Ok(after_move(&ctx, &t.client.id)),
        Err(e) => {
            let (error, status) = explain(&ctx, e, &id, "take", &form.reason)?;
            render(&state, &ctx, &actor, None, Some(error), status).await
        }
    }
}

async fn remove(
    State(state): State<AppState>,
    Staff(ctx, actor): Staff,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Result<Response, AppError> {
    match state
        .store()
        .remove_from_waitlist(&actor, &id, &form.reason)
        .await
    {
        Ok(()) => Ok(see_other("/waitlist?notice=notice-waitlist-removed")),
        Err(e) => {
            let (error, status) = explain(&ctx, e, &id, "remove", &form.reason)?;
            render(&state, &ctx, &actor, None, Some(error), status).await
        }
    }
}

/// The dashboard's waitlist card.
#[derive(Debug, Clone)]
pub struct DashboardWaitlist {
    pub summary: WaitlistSummary,
    /// Whole days the longest-waiting person has waited.
    pub oldest_days: Option<i64>,
    /// The longest wait has reached [`LONG_WAIT_DAYS`]: the card is marked.
    pub long_wait: bool,
    /// The practice is full (new inquiries go to the waitlist).
    pub full: bool,
    /// [`LONG_WAIT_DAYS`], for the card's words.
    pub threshold: i64,
}

/// What the dashboard shows of the waitlist.
pub(super) async fn dashboard_card(
    state: &AppState,
    actor: &ferd_store::Actor,
) -> Result<DashboardWaitlist, AppError> {
    let now = ferd_store::now_ms();
    let summary = state.store().waitlist_summary(actor).await?;
    let full = state.store().capacity(actor).await?.full;
    Ok(DashboardWaitlist {
        oldest_days: summary.oldest_days(now),
        long_wait: summary.long_wait(now),
        summary,
        full,
        threshold: LONG_WAIT_DAYS,
    })
}

/// The account page's "new clients" section, for therapists.
#[derive(Debug, Clone)]
pub struct CapacityPanel {
    /// This therapist takes new clients.
    pub accepting: bool,
    /// The practice as a whole is full.
    pub full: bool,
}

/// The account page's capacity section: therapists only (admins set the practice's on the administration page).
pub(super) async fn account_panel(
    state: &AppState,
    ctx: &Ctx,
) -> Result<Option<CapacityPanel>, AppError> {
    if !ctx.is_therapist() {
        return Ok(None);
    }
    let actor = ctx.actor()?;
    let c = state.store().capacity(&actor).await?;
    // A disabled therapist cannot be signed in, so they are among the active ones.
    let accepting = c
        .therapists
        .iter()
        .find(|t| t.user_id == actor.user_id)
        .is_some_and(|t| t.accepting);
    Ok(Some(CapacityPanel {
        accepting,
        full: c.full,
    }))
}

#[derive(Debug, Deserialize)]
struct AcceptingForm {
    /// `1`: takes new clients; `0`: does not.
    accepting: String,
}

fn accepting(form: &AcceptingForm) -> Result<bool, AppError> {
    match form.accepting.as_str() {
        "1" => Ok(true),
        "0" => Ok(false),
        _ => Err(AppError::BadRequest("accepting".into())),
    }
}

async fn own_capacity(
    State(state): State<AppState>,
    Therapist(_, actor): Therapist,
    Form(form): Form<AcceptingForm>,
) -> Result<Response, AppError> {
    let on = accepting(&form)?;
    state
        .store()
        .set_therapist_accepting(&actor, &actor.user_id.clone(), on)
        .await?;
    Ok(see_other(if on {
        "/account?notice=notice-capacity-open#capacity"
    } else {
        "/account?notice=notice-capacity-closed#capacity"
    }))
}

async fn practice_capacity(
    State(state): State<AppState>,
    Admin(_, actor): Admin,
    Form(form): Form<AcceptingForm>,
) -> Result<Response, AppError> {
    let on = accepting(&form)?;
    state.store().set_practice_accepting(&actor, on).await?;
    Ok(see_other(if on {
        "/admin?notice=notice-practice-open#capacity"
    } else {
        "/admin?notice=notice-practice-closed#capacity"
    }))
}

async fn therapist_capacity(
    State(state): State<AppState>,
    Admin(_, actor): Admin,
    Path(id): Path<String>,
    Form(form): Form<AcceptingForm>,
) -> Result<Response, AppError> {
    let on = accepting(&form)?;
    state
        .store()
        .set_therapist_accepting(&actor, &id, on)
        .await?;
    Ok(see_other("/admin?notice=notice-capacity-saved#capacity"))
}

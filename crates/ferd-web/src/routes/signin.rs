//! Signing in and out: password, throttling and lock-out, the TOTP second factor and its set-up, invitations for
//! clients, and the user's own account page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use base64::Engine;
use ferd_store::{Role, Stage};
use serde::Deserialize;

use super::{see_other, NoticeQuery};
use crate::auth;
use crate::context::{make_cookie, session_cookie_name, Ctx};
use crate::error::AppError;
use crate::views::{html, html_status, Layout};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route(
            "/login/two-factor",
            get(second_factor_page).post(second_factor),
        )
        .route("/account/two-factor", get(enrol_page).post(enrol))
        .route("/logout", axum::routing::post(logout))
        .route("/logout/everywhere", axum::routing::post(logout_everywhere))
        .route(
            "/invite/{token}",
            get(invitation_page).post(accept_invitation),
        )
        .route("/account", get(account_page))
        .route("/account/password", axum::routing::post(change_password))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    l: Layout,
    email: String,
    error: Option<String>,
}

async fn login_page(ctx: Ctx) -> Result<Response, AppError> {
    if ctx.account().is_some() {
        return Ok(see_other("/"));
    }
    html(&LoginPage {
        l: Layout::new(&ctx, "login-title", "login"),
        email: String::new(),
        error: None,
    })
}

#[derive(Debug, Deserialize)]
struct LoginForm {
    email: String,
    password: String,
}

/// Sets the session cookie on a response (an empty token clears it).
fn with_session_cookie(mut r: Response, state: &AppState, token: String) -> Response {
    let secure = state.config().behind_tls();
    let max_age = token.is_empty().then_some(0);
    r.headers_mut().append(
        SET_COOKIE,
        make_cookie(session_cookie_name(secure), token, secure, max_age),
    );
    r
}

fn throttle_keys(ctx: &Ctx, email: &str) -> (String, String) {
    // The e-mail address is kept only as a hash in the throttle table.
    (
        format!("email:{}", auth::token_hash(&email.trim().to_lowercase())),
        format!("ip:{}", ctx.peer),
    )
}

async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let store = state.store();
    let now = ferd_store::now_ms();
    let (email_key, ip_key) = throttle_keys(&ctx, &form.email);
    let refuse = |ctx: &Ctx, key: &str, status: StatusCode| {
        html_status(
            status,
            &LoginPage {
                l: Layout::new(ctx, "login-title", "login"),
                email: form.email.clone(),
                error: Some(ctx.tr.t(key)),
            },
        )
    };
    if store
        .sign_in_locked_until(&[email_key.clone(), ip_key.clone()], now)
        .await?
        .is_some()
    {
        store
            .audit_sign_in(None, "sign-in-locked", &ctx.request_id)
            .await?;
        return refuse(&ctx, "login-locked", StatusCode::TOO_MANY_REQUESTS);
    }
    let account = store.account_by_email(&form.email).await?;
    let hash = account
        .as_ref()
        .and_then(|a| a.password_hash.clone())
        .unwrap_or_else(|| auth::dummy_hash().to_string());
    let password = form.password.clone();
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    let account = match account {
        Some(a) if ok && !a.disabled => a,
        other => {
            let policy = state.config().throttle;
            let ip_policy = ferd_store::ThrottlePolicy {
                max_failures: policy.max_failures * 4,
                ..policy
            };
            let locked = store
                .note_sign_in_failure(std::slice::from_ref(&email_key), now, policy)
                .await?;
            store
                .note_sign_in_failure(std::slice::from_ref(&ip_key), now, ip_policy)
                .await?;
            store
                .audit_sign_in(
                    other.as_ref().map(|a| a.id.as_str()),
                    "sign-in-failed",
                    &ctx.request_id,
                )
                .await?;
            let key = if locked.is_some() {
                "login-locked"
            } else {
                "login-failed"
            };
            return refuse(&ctx, key, StatusCode::UNAUTHORIZED);
        }
    };
    store.clear_sign_in_failures(&[email_key]).await?;
    let stage = if account.totp_enabled {
        Stage::SecondFactor
    } else if account.needs_two_factor() {
        Stage::Enrol
    } else {
        Stage::Full
    };
    // A new token on every sign-in, so a token planted before sign-in is worthless (no session fixation).
    let token = auth::random_token();
    let hash = auth::token_hash(&token);
    let expires = now + state.config().session_idle_minutes * 60_000;
    store
        .create_web_session(&account.id, &hash, &auth::random_token(), stage, expires)
        .await?;
    store
        .audit_sign_in(
            Some(&account.id),
            if stage == Stage::Full {
                "sign-in"
            } else {
                "sign-in-password"
            },
            &ctx.request_id,
        )
        .await?;
    let to = match stage {
        Stage::SecondFactor => "/login/two-factor",
        Stage::Enrol => "/account/two-factor",
        Stage::Full => match account.role {
            Role::Client => "/portal",
            Role::Therapist => "/dashboard",
            _ => "/admin",
        },
    };
    Ok(with_session_cookie(see_other(to), &state, token))
}

#[derive(Template)]
#[template(path = "two_factor.html")]
struct SecondFactorPage {
    l: Layout,
    error: Option<String>,
}

fn pending(ctx: &Ctx, stage: Stage) -> Result<(String, String), AppError> {
    match (&ctx.session, &ctx.token_hash) {
        (Some(s), Some(h)) if s.stage == stage => Ok((s.account.id.clone(), h.clone())),
        _ => Err(AppError::SignIn),
    }
}

async fn second_factor_page(ctx: Ctx) -> Result<Response, AppError> {
    pending(&ctx, Stage::SecondFactor)?;
    html(&SecondFactorPage {
        l: Layout::new(&ctx, "two-factor-title", "login"),
        error: None,
    })
}

#[derive(Debug, Deserialize)]
struct CodeForm {
    code: String,
}

/// Checks a TOTP code for the pending session; on success the session is fully signed in.
async fn check_code(
    state: &AppState,
    ctx: &Ctx,
    user_id: &str,
    hash: &str,
    code: &str,
) -> Result<bool, AppError> {
    let store = state.store();
    let now = ferd_store::now_ms();
    let key = format!("totp:{user_id}");
    if store
        .sign_in_locked_until(std::slice::from_ref(&key), now)
        .await?
        .is_some()
    {
        return Err(AppError::TooMany);
    }
    let Some(secret) = store.totp_secret(user_id).await? else {
        return Ok(false);
    };
    let step = auth::totp_step(&secret, code, (now / 1000) as u64);
    let accepted = match step {
        Some(step) => {
            store
                .accept_totp_step(user_id, step, hash, &ctx.request_id)
                .await?
        }
        None => false,
    };
    if accepted {
        store.clear_sign_in_failures(&[key]).await?;
    } else {
        store
            .note_sign_in_failure(&[key], now, state.config().throttle)
            .await?;
        store
            .audit_sign_in(Some(user_id), "second-factor-failed", &ctx.request_id)
            .await?;
    }
    Ok(accepted)
}

async fn second_factor(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let (user_id, hash) = pending(&ctx, Stage::SecondFactor)?;
    if check_code(&state, &ctx, &user_id, &hash, &form.code).await? {
        return Ok(see_other("/"));
    }
    html_status(
        StatusCode::UNAUTHORIZED,
        &SecondFactorPage {
            l: Layout::new(&ctx, "two-factor-title", "login"),
            error: Some(ctx.tr.t("two-factor-wrong")),
        },
    )
}

#[derive(Template)]
#[template(path = "enrol.html")]
struct EnrolPage {
    l: Layout,
    secret: String,
    secret_grouped: String,
    qr_data_uri: String,
    uri: String,
    error: Option<String>,
}

/// The user who may set up a second factor now: one whose sign-in is waiting for it, or a signed-in user without
/// one.
fn enrolling(ctx: &Ctx) -> Result<(ferd_store::Account, String), AppError> {
    match (&ctx.session, &ctx.token_hash) {
        (Some(s), Some(h))
            if s.stage == Stage::Enrol || (s.stage == Stage::Full && !s.account.totp_enabled) =>
        {
            Ok((s.account.clone(), h.clone()))
        }
        (Some(s), _) if s.stage == Stage::Full => {
            Err(AppError::BadRequest("two-factor already set up".into()))
        }
        _ => Err(AppError::SignIn),
    }
}

async fn render_enrol(
    state: &AppState,
    ctx: &Ctx,
    account: &ferd_store::Account,
    fresh: bool,
    error: Option<String>,
) -> Result<Response, AppError> {
    let store = state.store();
    let actor = account.actor(&ctx.request_id);
    let secret = match store.totp_secret(&account.id).await? {
        Some(s) if !fresh => s,
        _ => {
            let s = auth::new_totp_secret();
            store.begin_totp_enrolment(&actor, &s).await?;
            s
        }
    };
    let uri = auth::totp_uri(&secret, &account.email, "ferd")
        .ok_or_else(|| AppError::Internal("totp uri".into()))?;
    let svg = auth::qr_svg(&uri).ok_or_else(|| AppError::Internal("qr".into()))?;
    let qr_data_uri = format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    );
    let secret_grouped = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let status = if error.is_some() {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::OK
    };
    html_status(
        status,
        &EnrolPage {
            l: Layout::new(ctx, "enrol-title", "account"),
            secret,
            secret_grouped,
            qr_data_uri,
            uri,
            error,
        },
    )
}

async fn enrol_page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let (account, _) = enrolling(&ctx)?;
    render_enrol(&state, &ctx, &account, true, None).await
}

async fn enrol(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let (account, hash) = enrolling(&ctx)?;
    if check_code(&state, &ctx, &account.id, &hash, &form.code).await? {
        return Ok(see_other("/account?notice=notice-two-factor-on"));
    }
    render_enrol(
        &state,
        &ctx,
        &account,
        false,
        Some(ctx.tr.t("two-factor-wrong")),
    )
    .await
}

async fn logout(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    if let Some(h) = &ctx.token_hash {
        state.store().delete_web_session(h).await?;
        if let Some(s) = &ctx.session {
            state
                .store()
                .audit_sign_in(Some(&s.account.id), "sign-out", &ctx.request_id)
                .await?;
        }
    }
    Ok(with_session_cookie(
        see_other("/login"),
        &state,
        String::new(),
    ))
}

async fn logout_everywhere(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    state.store().sign_out_everywhere(&actor).await?;
    Ok(with_session_cookie(
        see_other("/login"),
        &state,
        String::new(),
    ))
}

#[derive(Template)]
#[template(path = "invite.html")]
struct InvitePage {
    l: Layout,
    /// The client has a login already: the link sets a new password.
    reset: bool,
    /// `open`, `used` or `expired`.
    state: &'static str,
    name: String,
    email: String,
    practice: String,
    error: Option<String>,
}

impl InvitePage {
    fn is(&self, state: &str) -> bool {
        self.state == state
    }
}

async fn invitation_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let inv = state
        .store()
        .invitation(&auth::token_hash(&token))
        .await?
        .ok_or(AppError::NotFound)?;
    let st = if inv.used_at.is_some() {
        "used"
    } else if inv.expires_at <= ferd_store::now_ms() {
        "expired"
    } else {
        "open"
    };
    html(&InvitePage {
        l: Layout::new(&ctx, "invite-title", "login"),
        reset: inv.client_has_login,
        state: st,
        name: inv.client_name,
        email: inv.email.unwrap_or_default(),
        practice: inv.practice_name,
        error: None,
    })
}

#[derive(Debug, Deserialize)]
struct PasswordChoice {
    password: String,
    confirm: String,
}

async fn accept_invitation(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    Form(form): Form<PasswordChoice>,
) -> Result<Response, AppError> {
    let store = state.store();
    let hash = auth::token_hash(&token);
    let inv = store.invitation(&hash).await?.ok_or(AppError::NotFound)?;
    let email = inv.email.clone().unwrap_or_default();
    let problem = if form.password != form.confirm {
        Some("password-mismatch")
    } else {
        auth::password_problem(&form.password, &email)
    };
    if let Some(key) = problem {
        return html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &InvitePage {
                l: Layout::new(&ctx, "invite-title", "login"),
                reset: inv.client_has_login,
                state: "open",
                name: inv.client_name,
                email,
                practice: inv.practice_name,
                error: Some(ctx.tr.t(key)),
            },
        );
    }
    let password = form.password.clone();
    let phc = tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)?;
    let now = ferd_store::now_ms();
    let user_id = match store
        .accept_invitation(&hash, &phc, now, &ctx.request_id)
        .await
    {
        Ok(id) => id,
        Err(ferd_store::StoreError::Invalid { .. }) => {
            return Ok(see_other(&format!("/invite/{token}")))
        }
        Err(e) => return Err(e.into()),
    };
    // Signed in at once: the link was the proof of identity, and clients need no second factor.
    let session = auth::random_token();
    store
        .create_web_session(
            &user_id,
            &auth::token_hash(&session),
            &auth::random_token(),
            Stage::Full,
            now + state.config().session_idle_minutes * 60_000,
        )
        .await?;
    Ok(with_session_cookie(
        see_other("/portal?notice=notice-welcome"),
        &state,
        session,
    ))
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    l: Layout,
    email: String,
    role: String,
    totp_enabled: bool,
    needs_two_factor: bool,
    error: Option<String>,
    /// The calendar subscription (routes/calendar.rs); `None` for users without sessions of their own.
    calendar: Option<super::calendar::CalendarPanel>,
    /// A client's e-mail reminders (routes/mail.rs); `None` for staff.
    reminders: Option<super::mail::RemindersPanel>,
    /// Whether a therapist takes new clients (routes/waitlist.rs); `None` for others.
    capacity: Option<super::waitlist::CapacityPanel>,
}

async fn account_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    render_account(&state, &ctx, q.text(&ctx), None).await
}

/// The account page with a confirmation line and, right after a calendar feed was made, its address (shown once).
pub(super) async fn render_account(
    state: &AppState,
    ctx: &Ctx,
    notice: Option<String>,
    calendar_url: Option<String>,
) -> Result<Response, AppError> {
    let account = ctx.account().ok_or(AppError::SignIn)?.clone();
    html(&AccountPage {
        l: Layout::new(ctx, "account-title", "account").with_notice(notice),
        email: account.email.clone(),
        role: ctx.tr.t(&format!("role-{}", account.role.as_str())),
        totp_enabled: account.totp_enabled,
        needs_two_factor: account.needs_two_factor(),
        error: None,
        calendar: super::calendar::panel(state, ctx, calendar_url).await?,
        reminders: super::mail::panel(state, ctx).await?,
        capacity: super::waitlist::account_panel(state, ctx).await?,
    })
}

#[derive(Debug, Deserialize)]
struct ChangePassword {
    current: String,
    password: String,
    confirm: String,
}

async fn change_password(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<ChangePassword>,
) -> Result<Response, AppError> {
    let account = ctx.account().ok_or(AppError::SignIn)?.clone();
    let actor = ctx.actor()?;
    let current_hash = state
        .store()
        .account(&account.id)
        .await?
        .and_then(|a| a.password_hash)
        .unwrap_or_else(|| auth::dummy_hash().to_string());
    let current = form.current.clone();
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&current, &current_hash))
        .await
        .unwrap_or(false);
    let problem = if !ok {
        Some("password-current-wrong")
    } else if form.password != form.confirm {
        Some("password-mismatch")
    } else {
        auth::password_problem(&form.password, &account.email)
    };
    if let Some(key) = problem {
        return html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &AccountPage {
                l: Layout::new(&ctx, "account-title", "account"),
                email: account.email.clone(),
                role: ctx.tr.t(&format!("role-{}", account.role.as_str())),
                totp_enabled: account.totp_enabled,
                needs_two_factor: account.needs_two_factor(),
                error: Some(ctx.tr.t(key)),
                calendar: super::calendar::panel(&state, &ctx, None).await?,
                reminders: super::mail::panel(&state, &ctx).await?,
                capacity: super::waitlist::account_panel(&state, &ctx).await?,
            },
        );
    }
    let password = form.password.clone();
    let phc = tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)?;
    let keep = ctx.token_hash.clone().unwrap_or_default();
    state
        .store()
        .change_own_password(&actor, &phc, &keep)
        .await?;
    Ok(see_other("/account?notice=notice-password-changed"))
}

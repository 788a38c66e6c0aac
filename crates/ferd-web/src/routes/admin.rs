//! Administration of a practice: its users (create, reset a password, reset the second factor, disable) and the
//! two-factor requirement.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use ferd_store::{NewUser, Role, User};
use serde::Deserialize;

use super::{see_other, NoticeQuery};
use crate::auth;
use crate::context::Admin;
use crate::error::AppError;
use crate::views::{html, html_status, Layout};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(admin_page))
        .route("/admin/users", post(create_user))
        .route("/admin/users/{id}/password", post(reset_password))
        .route("/admin/users/{id}/two-factor", post(reset_two_factor))
        .route("/admin/users/{id}/disabled", post(set_disabled))
        .route("/admin/practice", post(practice_settings))
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    l: Layout,
    practice: String,
    two_factor_required: bool,
    /// The medicine-session log is on (off by default).
    clinic_mode: bool,
    /// Within how many working days an inquiry is answered (the public form's confirmation says so).
    reply_days: i64,
    /// Whether the practice and each therapist take new clients (routes/waitlist.rs).
    capacity: ferd_store::Capacity,
    users: Vec<User>,
    me: String,
    /// A password shown once: (whose, the password).
    temporary: Option<(String, String)>,
    error: Option<String>,
}

async fn render(
    state: &AppState,
    ctx: &crate::Ctx,
    actor: &ferd_store::Actor,
    notice: Option<String>,
    temporary: Option<(String, String)>,
    error: Option<String>,
) -> Result<Response, AppError> {
    let (practice, two_factor_required, _) = state.store().practice_settings(actor).await?;
    let clinic_mode = state.store().clinic_mode(actor).await?;
    let reply_days = state.store().inquiry_reply_days(actor).await?;
    let users = state.store().users(actor).await?;
    let capacity = state.store().capacity(actor).await?;
    let t = AdminPage {
        l: Layout::new(ctx, "admin-title", "admin").with_notice(notice),
        practice,
        two_factor_required,
        clinic_mode,
        reply_days,
        capacity,
        users,
        me: actor.user_id.clone(),
        temporary,
        error: error.clone(),
    };
    if error.is_some() {
        html_status(StatusCode::UNPROCESSABLE_ENTITY, &t)
    } else {
        html(&t)
    }
}

async fn admin_page(
    State(state): State<AppState>,
    Admin(ctx, actor): Admin,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    render(&state, &ctx, &actor, q.text(&ctx), None, None).await
}

/// A temporary password: 20 characters from an alphabet without look-alikes, about 110 bits.
fn temporary_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 20];
    getrandom::getrandom(&mut bytes)
        .expect("the operating system's random number generator failed");
    bytes
        .iter()
        .map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char)
        .collect()
}

async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)
}

#[derive(Debug, Deserialize)]
struct NewUserForm {
    email: String,
    display_name: String,
    role: String,
    practice_admin: Option<String>,
}

async fn create_user(
    State(state): State<AppState>,
    Admin(ctx, actor): Admin,
    Form(form): Form<NewUserForm>,
) -> Result<Response, AppError> {
    let role = match form.role.as_str() {
        "therapist" => Role::Therapist,
        "admin" => Role::Admin,
        _ => return Err(AppError::BadRequest("role".into())),
    };
    let password = temporary_password();
    let result = state
        .store()
        .create_user(
            &actor,
            NewUser {
                practice_id: actor.practice_id.clone(),
                email: form.email.clone(),
                display_name: form.display_name.clone(),
                role,
                practice_admin: role == Role::Therapist && form.practice_admin.is_some(),
                password_hash: Some(hash(password.clone()).await?),
            },
        )
        .await;
    match result {
        Ok(u) => {
            render(
                &state,
                &ctx,
                &actor,
                Some(ctx.tr.t("notice-user-created")),
                Some((u.email, password)),
                None,
            )
            .await
        }
        Err(ferd_store::StoreError::Duplicate { .. }) => {
            render(
                &state,
                &ctx,
                &actor,
                None,
                None,
                Some(ctx.tr.t("error-email-taken")),
            )
            .await
        }
        Err(ferd_store::StoreError::Invalid { field, .. }) => {
            let key = if field == "email" {
                "error-email"
            } else {
                "error-name-required"
            };
            render(&state, &ctx, &actor, None, None, Some(ctx.tr.t(key))).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn reset_password(
    State(state): State<AppState>,
    Admin(ctx, actor): Admin,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let password = temporary_password();
    state
        .store()
        .reset_password(&actor, &id, &hash(password.clone()).await?)
        .await?;
    let email = state
        .store()
        .users(&actor)
        .await?
        .into_iter()
        .find(|u| u.id == id)
        .map(|u| u.email)
        .unwrap_or_default();
    render(
        &state,
        &ctx,
        &actor,
        Some(ctx.tr.t("notice-password-reset")),
        Some((email, password)),
        None,
    )
    .await
}

async fn reset_two_factor(
    State(state): State<AppState>,
    Admin(_, actor): Admin,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    state.store().reset_second_factor(&actor, &id).await?;
    Ok(see_other("/admin?notice=notice-two-factor-reset"))
}

#[derive(Debug, Deserialize)]
struct DisabledForm {
    disabled: String,
}

async fn set_disabled(
    State(state): State<AppState>,
    Admin(ctx, actor): Admin,
    Path(id): Path<String>,
    Form(form): Form<DisabledForm>,
) -> Result<Response, AppError> {
    let disabled = form.disabled == "1";
    match state.store().set_user_disabled(&actor, &id, disabled).await {
        Ok(()) => Ok(see_other(if disabled {
            "/admin?notice=notice-user-disabled"
        } else {
            "/admin?notice=notice-user-enabled"
        })),
        Err(ferd_store::StoreError::Invalid { .. }) => {
            render(
                &state,
                &ctx,
                &actor,
                None,
                None,
                Some(ctx.tr.t("error-disable-self")),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
struct PracticeForm {
    require_two_factor: Option<String>,
    clinic_mode: Option<String>,
    reply_days: Option<String>,
}

async fn practice_settings(
    State(state): State<AppState>,
    Admin(ctx, actor): Admin,
    Form(form): Form<PracticeForm>,
) -> Result<Response, AppError> {
    // Checked before anything is saved, so a bad number changes nothing.
    let reply_days = match form.reply_days.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(v) => match v.parse::<i64>() {
            Ok(d) if (1..=30).contains(&d) => Some(d),
            _ => {
                let error = ctx.tr.t("error-reply-days");
                return render(&state, &ctx, &actor, None, None, Some(error)).await;
            }
        },
    };
    state
        .store()
        .set_practice_two_factor(&actor, form.require_two_factor.is_some())
        .await?;
    if let Some(days) = reply_days {
        if state.store().inquiry_reply_days(&actor).await? != days {
            state.store().set_inquiry_reply_days(&actor, days).await?;
        }
    }
    // Only a change is written, so the audit trail shows when clinic mode was turned on or off, not every save.
    let clinic_mode = form.clinic_mode.is_some();
    if state.store().clinic_mode(&actor).await? != clinic_mode {
        state
            .store()
            .set_practice_clinic_mode(&actor, clinic_mode)
            .await?;
    }
    Ok(see_other("/admin?notice=notice-settings-saved"))
}

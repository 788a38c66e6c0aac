//! The admin's mail page (`/admin/mail`): where mail goes, the practice's reminder timing, the jobs with their
//! status, attempts and last error, the outbox's files when there is no SMTP server, and "send again" for a mail
//! that was interrupted or failed. And a client's choice on their account page to receive no reminders.
//!
//! Every read goes through the store, which scopes it to the admin's practice and audits it.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use ferd_store::{JobCounts, JobRow, JobStatus, ReminderSettings};
use serde::Deserialize;

use super::{see_other, NoticeQuery};
use crate::context::{Admin, ClientUser, Ctx};
use crate::error::AppError;
use crate::mail::is_outbox_name;
use crate::views::{html, html_status, Layout};
use crate::AppState;

/// How many jobs the page lists, newest first.
const LIST: i64 = 200;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/mail", get(mail_page))
        .route("/admin/mail/settings", post(save_settings))
        .route("/admin/mail/jobs/{id}/resend", post(resend))
        .route("/admin/mail/outbox/{id}", get(outbox_file))
        .route("/account/reminders", post(set_reminders))
}

/// Where this instance's mail goes, as the page says it.
enum Route {
    Smtp { server: String, from: String },
    Outbox { dir: String },
    Nowhere,
}

#[derive(Template)]
#[template(path = "admin_mail.html")]
struct MailPage {
    l: Layout,
    route: Route,
    settings: ReminderSettings,
    counts: JobCounts,
    jobs: Vec<JobRow>,
    /// Show the outbox section (no SMTP server, or files from a time without one).
    show_outbox: bool,
    error: Option<String>,
}

impl MailPage {
    fn interrupted(&self) -> Vec<&JobRow> {
        self.jobs
            .iter()
            .filter(|j| j.job.status == JobStatus::Interrupted)
            .collect()
    }

    fn outbox(&self) -> Vec<&JobRow> {
        self.jobs
            .iter()
            .filter(|j| j.job.outbox_file.is_some())
            .collect()
    }

    fn kind(&self, j: &JobRow) -> String {
        self.l.t(&format!("job-kind-{}", j.job.kind))
    }

    fn status(&self, j: &JobRow) -> String {
        self.l.t(&format!("job-status-{}", j.job.status.as_str()))
    }

    fn who(&self, j: &JobRow) -> String {
        j.recipient_email.clone().unwrap_or_else(|| "–".into())
    }

    fn resendable(&self, j: &JobRow) -> bool {
        matches!(j.job.status, JobStatus::Interrupted | JobStatus::Failed)
    }

    /// The note beside a job: what went wrong, when it was sent, or when it is tried next.
    fn note(&self, j: &JobRow) -> String {
        let tr = &self.l.tr;
        let mut parts = Vec::new();
        match j.job.status {
            JobStatus::Sent => {
                if let Some(at) = j.job.finished_at {
                    parts.push(tr.t1("admin-mail-sent-at", "when", &tr.datetime(at)));
                }
            }
            JobStatus::Queued if j.job.attempts > 0 => {
                parts.push(tr.t1("admin-mail-next-at", "when", &tr.datetime(j.job.run_at)));
            }
            _ => {}
        }
        if let Some(e) = &j.job.last_error {
            parts.push(e.clone());
        }
        if let Some(at) = j.job.resent_at {
            parts.push(tr.t1("admin-mail-resent-at", "when", &tr.datetime(at)));
        }
        parts.join(" · ")
    }
}

async fn render(
    state: &AppState,
    ctx: &Ctx,
    actor: &ferd_store::Actor,
    notice: Option<String>,
    error: Option<String>,
    settings: Option<ReminderSettings>,
) -> Result<Response, AppError> {
    let config = &state.config().mail;
    let route = match (&config.smtp, &config.outbox_dir) {
        (Some(relay), _) => Route::Smtp {
            server: relay.describe(),
            from: config.from.to_string(),
        },
        (None, Some(dir)) => Route::Outbox {
            dir: dir.display().to_string(),
        },
        (None, None) => Route::Nowhere,
    };
    let settings = match settings {
        Some(s) => s,
        None => state.store().reminder_settings(actor).await?,
    };
    let (jobs, counts) = state.store().practice_jobs(actor, LIST).await?;
    let show_outbox = config.smtp.is_none() || jobs.iter().any(|j| j.job.outbox_file.is_some());
    let page = MailPage {
        l: Layout::new(ctx, "admin-mail-title", "admin").with_notice(notice),
        route,
        settings,
        counts,
        jobs,
        show_outbox,
        error: error.clone(),
    };
    if error.is_some() {
        html_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
    } else {
        html(&page)
    }
}

async fn mail_page(
    State(state): State<AppState>,
    Admin(ctx, actor): Admin,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    render(&state, &ctx, &actor, q.text(&ctx), None, None).await
}

#[derive(Debug, Deserialize)]
struct SettingsForm {
    session_hours: String,
    questionnaire: Option<String>,
    hour: String,
    overdue_days: String,
    alert_mail: Option<String>,
}

async fn save_settings(
    State(state): State<AppState>,
    Admin(ctx, actor): Admin,
    Form(form): Form<SettingsForm>,
) -> Result<Response, AppError> {
    let number = |v: &str| v.trim().parse::<i64>().ok();
    let parsed = match (
        number(&form.session_hours),
        number(&form.hour),
        number(&form.overdue_days),
    ) {
        (Some(session_hours), Some(hour), Some(overdue_days)) => Some(ReminderSettings {
            session_hours,
            questionnaire: form.questionnaire.is_some(),
            hour,
            overdue_days,
            alert_mail: form.alert_mail.is_some(),
        }),
        _ => None,
    };
    // Checked before anything is saved; the form comes back with what was typed where it parsed.
    let Some(settings) = parsed.filter(|s| s.check().is_ok()) else {
        let current = state.store().reminder_settings(&actor).await?;
        let error = ctx.tr.t("error-reminder-settings");
        return render(&state, &ctx, &actor, None, Some(error), Some(current)).await;
    };
    state
        .store()
        .set_reminder_settings(&actor, settings)
        .await?;
    Ok(see_other("/admin/mail?notice=notice-settings-saved"))
}

async fn resend(
    State(state): State<AppState>,
    Admin(_, actor): Admin,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    state.store().resend_job(&actor, &id).await?;
    Ok(see_other("/admin/mail?notice=notice-mail-resent"))
}

/// One outbox mail as plain text (the `.eml` file as written), for the admin of the practice it belongs to.
async fn outbox_file(
    State(state): State<AppState>,
    Admin(_, actor): Admin,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let name = state
        .store()
        .job_outbox_file(&actor, &id)
        .await?
        .filter(|n| is_outbox_name(n))
        .ok_or(AppError::NotFound)?;
    let dir = state
        .config()
        .mail
        .outbox_dir
        .clone()
        .ok_or(AppError::NotFound)?;
    let path = dir.join(&name);
    let bytes = tokio::task::spawn_blocking(move || std::fs::read(path))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        // Deleted after 30 days (or by hand): gone, like a record that does not exist.
        .map_err(|_| AppError::NotFound)?;
    let mut r = bytes.into_response();
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

/// The reminders section of a client's account page.
#[derive(Debug, Clone)]
pub struct RemindersPanel {
    /// The client has turned e-mail reminders off.
    pub off: bool,
}

/// The account page's reminders section, for clients only (staff get no reminders of their own).
pub(super) async fn panel(state: &AppState, ctx: &Ctx) -> Result<Option<RemindersPanel>, AppError> {
    if !ctx.is_client() {
        return Ok(None);
    }
    let off = state.store().reminders_off(&ctx.actor()?).await?;
    Ok(Some(RemindersPanel { off }))
}

#[derive(Debug, Deserialize)]
struct RemindersForm {
    /// `1`: turn reminders off; `0`: on again.
    off: String,
}

async fn set_reminders(
    State(state): State<AppState>,
    ClientUser(_, actor, _): ClientUser,
    Form(form): Form<RemindersForm>,
) -> Result<Response, AppError> {
    let off = match form.off.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(AppError::BadRequest("off".into())),
    };
    state.store().set_reminders_off(&actor, off).await?;
    Ok(see_other(if off {
        "/account?notice=notice-reminders-off#reminders"
    } else {
        "/account?notice=notice-reminders-on#reminders"
    }))
}

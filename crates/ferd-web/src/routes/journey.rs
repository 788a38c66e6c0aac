//! The journey on a client's page: starting it from a protocol template, moving it through ferd-core's state
//! machine, booking a medicine session when the guard allows, and a clinician's clearance of the screening.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::{Form, Router};
use ferd_core::journey::{
    check_schedule, Dated, Day, Deviation, ExternalSession, JourneyEvent, JourneyState, Phase,
    Protocols, ScheduleOptions, SessionKind, TransitionError,
};
use ferd_store::{PlannedAssessmentRow, PlannedSessionRow};
use serde::Deserialize;

use super::see_other;
use super::workspace::client_page_refused;
use crate::context::{Ctx, Therapist};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/clients/{id}/journey/start", post(start))
        .route("/clients/{id}/journey/event", post(event))
        .route("/clients/{id}/medicine", post(book_medicine))
        .route("/clients/{id}/clearance", post(clearance))
        .route("/clients/{id}/risk", post(risk_assessment))
        .route(
            "/clients/{id}/intake",
            axum::routing::get(staff_intake_page).post(staff_intake),
        )
}

/// A refusal of the state machine, in the user's language.
pub fn refusal_text(tr: &Tr, e: &TransitionError) -> String {
    match e {
        TransitionError::ClearanceNotSigned => tr.t("refusal-clearance-not-signed"),
        TransitionError::ClearanceRefused => tr.t("refusal-clearance-refused"),
        TransitionError::PreparationIncomplete { held, required } => tr.t2(
            "refusal-preparation-incomplete",
            "held",
            held,
            "required",
            required,
        ),
        TransitionError::NoMedicineInProtocol => tr.t("refusal-no-medicine-in-protocol"),
        TransitionError::NoMedicineSessionsLeft { held } => {
            tr.t1("refusal-no-medicine-left", "held", held)
        }
        TransitionError::IntegrationBlockIncomplete { held, required } => tr.t2(
            "refusal-integration-incomplete",
            "held",
            held,
            "required",
            required,
        ),
        TransitionError::MedicineSessionNotHeld => tr.t("refusal-medicine-not-held"),
        TransitionError::NotAllowed { from, to } => tr.t2(
            "refusal-not-allowed",
            "from",
            &state_text(tr, *from),
            "to",
            &tr.t(&format!("phase-{}", to.as_str())),
        ),
        TransitionError::WrongState { state, .. } => {
            tr.t1("refusal-wrong-state", "state", &state_text(tr, *state))
        }
        TransitionError::Ended { state } => {
            tr.t1("refusal-ended", "state", &state_text(tr, *state))
        }
    }
}

/// A journey state in words: the phase, and the status when it is not active.
pub fn state_text(tr: &Tr, state: JourneyState) -> String {
    let phase = tr.t(&format!("phase-{}", state.phase().as_str()));
    match state {
        JourneyState::Active(_) => phase,
        JourneyState::Completed => tr.t("journey-status-completed"),
        other => format!(
            "{phase} ({})",
            tr.t(&format!("journey-status-{}", other.status()))
        ),
    }
}

/// The plan's deviations for the sessions a client has, in words.
pub fn deviations(tr: &Tr, protocol: &str, sessions: &[ferd_store::Session]) -> Vec<String> {
    let Some(p) = Protocols::builtin().get(protocol) else {
        return vec![];
    };
    let dated: Vec<Dated> = sessions
        .iter()
        .filter(|s| s.status != "cancelled")
        .filter_map(|s| {
            let key = s.plan_key.clone()?;
            let (y, m, d) = civil_date(tr, s.scheduled_at)?;
            Some(Dated {
                key,
                day: Day::from_ymd(y, m, d)?,
            })
        })
        .collect();
    check_schedule(p, &dated)
        .iter()
        .filter_map(|d| match d {
            Deviation::OutsideWindow {
                label,
                anchor_label,
                days_after_anchor,
                allowed,
                ..
            } => Some(tr.t2(
                "deviation-outside",
                "item",
                &label.get(tr.tag()),
                "detail",
                &tr.t2(
                    "deviation-detail",
                    "days",
                    &format!("{days_after_anchor}"),
                    "window",
                    &format!(
                        "{}–{} ({})",
                        allowed.min,
                        allowed.max,
                        anchor_label.get(tr.tag())
                    ),
                ),
            )),
            Deviation::NotInProtocol { .. } => None,
        })
        .collect()
}

fn civil_date(tr: &Tr, ms: i64) -> Option<(i32, u32, u32)> {
    let z = jiff::Timestamp::from_millisecond(ms)
        .ok()?
        .to_zoned_datetime(tr.time_zone().clone());
    Some((i32::from(z.year()), z.month() as u32, z.day() as u32))
}

#[derive(Debug, Deserialize)]
struct StartForm {
    protocol: String,
    start_date: String,
    weekdays_only: Option<String>,
}

async fn start(
    State(state): State<AppState>,
    Therapist(ctx, actor): Therapist,
    Path(id): Path<String>,
    Form(form): Form<StartForm>,
) -> Result<Response, AppError> {
    let protocol = Protocols::builtin()
        .get(&form.protocol)
        .ok_or_else(|| AppError::BadRequest("protocol".into()))?;
    let start: Day = form
        .start_date
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("start_date".into()))?;
    let options = ScheduleOptions {
        weekdays_only: form.weekdays_only.is_some(),
        ..ScheduleOptions::default()
    };
    let schedule = protocol.schedule(start, &options);
    let tz = ctx.tr.time_zone();
    let to_ms = |day: Day, minutes: u16| {
        super::local_ms(
            tz,
            &day.to_string(),
            &format!("{:02}:{:02}", minutes / 60, minutes % 60),
        )
        .ok_or_else(|| AppError::BadRequest("start_date".into()))
    };
    let mut sessions = vec![];
    for s in schedule
        .sessions
        .iter()
        .filter(|s| s.kind != SessionKind::Medicine)
    {
        sessions.push(PlannedSessionRow {
            plan_key: s.key.clone(),
            kind: s.kind.as_str().to_string(),
            contact: match s.contact {
                ferd_core::journey::Contact::InPerson => "in-person",
                ferd_core::journey::Contact::Video => "video",
                ferd_core::journey::Contact::Phone => "phone",
            }
            .to_string(),
            scheduled_at: to_ms(s.day, s.time.minutes())?,
            duration_minutes: i64::from(s.duration_minutes),
        });
    }
    let mut assessments = vec![];
    for a in &schedule.assessments {
        assessments.push(PlannedAssessmentRow {
            plan_key: a.key.clone(),
            instrument: a.instrument.clone(),
            point: a.label.get(ctx.tr.tag()).to_string(),
            due_at: to_ms(a.due, 8 * 60)?,
        });
    }
    state
        .store()
        .start_protocol(&actor, &id, &protocol.id, &sessions, &assessments)
        .await?;
    Ok(see_other(&format!(
        "/clients/{id}?notice=notice-journey-started#journey"
    )))
}

#[derive(Debug, Deserialize)]
struct EventForm {
    /// `move`, `pause`, `resume`, `withdraw`, `refer` or `complete`.
    event: String,
    phase: Option<String>,
}

async fn event(
    State(state): State<AppState>,
    Therapist(ctx, actor): Therapist,
    Path(id): Path<String>,
    Form(form): Form<EventForm>,
) -> Result<Response, AppError> {
    let event = match form.event.as_str() {
        "move" => {
            let phase: Phase = form
                .phase
                .as_deref()
                .unwrap_or("")
                .parse()
                .map_err(|_| AppError::BadRequest("phase".into()))?;
            JourneyEvent::MoveTo(phase)
        }
        "pause" => JourneyEvent::Pause,
        "resume" => JourneyEvent::Resume,
        "withdraw" => JourneyEvent::Withdraw,
        "refer" => JourneyEvent::ReferElsewhere,
        "complete" => JourneyEvent::Complete,
        _ => return Err(AppError::BadRequest("event".into())),
    };
    match state.store().journey_event(&actor, &id, event).await? {
        Ok(_) => Ok(see_other(&format!(
            "/clients/{id}?notice=notice-journey-moved#journey"
        ))),
        Err(reason) => refused(&state, &ctx, &actor, &id, &reason).await,
    }
}

/// The client page again, with the refusal said plainly (422: nothing changed).
async fn refused(
    state: &AppState,
    ctx: &Ctx,
    actor: &ferd_store::Actor,
    id: &str,
    reason: &TransitionError,
) -> Result<Response, AppError> {
    client_page_refused(state, ctx, actor, id, refusal_text(&ctx.tr, reason)).await
}

#[derive(Debug, Deserialize)]
struct MedicineForm {
    date: String,
    time: String,
    duration_minutes: String,
    clinic: String,
    responsible: String,
    referral_note: String,
}

async fn book_medicine(
    State(state): State<AppState>,
    Therapist(ctx, actor): Therapist,
    Path(id): Path<String>,
    Form(form): Form<MedicineForm>,
) -> Result<Response, AppError> {
    let at = super::local_ms(ctx.tr.time_zone(), &form.date, &form.time)
        .ok_or_else(|| AppError::BadRequest("date".into()))?;
    let duration: i64 = form
        .duration_minutes
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("duration_minutes".into()))?;
    // A guide never holds the medicine session: it is external, at a licensed clinic or a trial, and the clinic
    // and the clinician responsible are required.
    let note = Some(form.referral_note.trim()).filter(|n| !n.is_empty());
    let external = match ExternalSession::new(&form.clinic, &form.responsible, note) {
        Ok(e) => e,
        Err(_) => {
            let msg = ctx.tr.t("medicine-external-required");
            return client_page_refused(&state, &ctx, &actor, &id, msg).await;
        }
    };
    let json = serde_json::to_string(&external).map_err(|e| AppError::Internal(e.to_string()))?;
    match state
        .store()
        .book_medicine_session(&actor, &id, at, duration, None, Some(&json))
        .await?
    {
        Ok(_) => Ok(see_other(&format!(
            "/clients/{id}?notice=notice-medicine-booked#sessions"
        ))),
        Err(reason) => refused(&state, &ctx, &actor, &id, &reason).await,
    }
}

#[derive(Debug, Deserialize)]
struct ClearanceForm {
    screening_id: String,
    decision: String,
    comment: String,
}

async fn clearance(
    State(state): State<AppState>,
    Therapist(ctx, actor): Therapist,
    Path(id): Path<String>,
    Form(form): Form<ClearanceForm>,
) -> Result<Response, AppError> {
    match state
        .store()
        .record_clearance(
            &actor,
            &id,
            &form.screening_id,
            &form.decision,
            Some(&form.comment),
        )
        .await
    {
        Ok(_) => Ok(see_other(&format!(
            "/clients/{id}?notice=notice-clearance-recorded#screening"
        ))),
        Err(ferd_store::StoreError::Invalid {
            field: "comment", ..
        }) => {
            let msg = ctx.tr.t("clearance-refusal-needs-reason");
            client_page_refused(&state, &ctx, &actor, &id, msg).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
struct RiskForm {
    ideation_level: String,
    recent_behaviour: Option<String>,
    date: String,
    note: String,
}

/// A clinician records a C-SSRS screener result; ferd-core decides whether it raises an alert.
async fn risk_assessment(
    State(state): State<AppState>,
    Therapist(ctx, actor): Therapist,
    Path(id): Path<String>,
    Form(form): Form<RiskForm>,
) -> Result<Response, AppError> {
    let level: i64 = form
        .ideation_level
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("ideation_level".into()))?;
    let at = super::local_ms(ctx.tr.time_zone(), &form.date, "12:00")
        .ok_or_else(|| AppError::BadRequest("date".into()))?;
    state
        .store()
        .record_risk_assessment(
            &actor,
            &id,
            level,
            form.recent_behaviour.is_some(),
            at,
            Some(&form.note),
        )
        .await?;
    Ok(see_other(&format!(
        "/clients/{id}?notice=notice-risk-recorded#risk"
    )))
}

/// Staff enter a client's paper health form: the same form and rules as the portal's.
async fn staff_intake_page(
    State(state): State<AppState>,
    Therapist(ctx, actor): Therapist,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    // The client must be in the therapist's scope (not found otherwise).
    state.store().client(&actor, &id).await?;
    super::portal::intake_form(&ctx, format!("/clients/{id}/intake"), true, None, &[])
}

async fn staff_intake(
    State(state): State<AppState>,
    Therapist(ctx, actor): Therapist,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    match super::portal::record_intake(&state, &ctx, &actor, &id, &form).await? {
        Ok(()) => Ok(see_other(&format!(
            "/clients/{id}?notice=notice-intake-entered#screening"
        ))),
        Err(problem) => super::portal::intake_form(
            &ctx,
            format!("/clients/{id}/intake"),
            true,
            Some(problem),
            &form,
        ),
    }
}

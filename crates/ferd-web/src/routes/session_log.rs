//! The medicine-session log, for practices in clinic mode: a therapist records doses given with their times, blood
//! pressure, pulse, temperature, fluid, SUDS and notes over a medicine session, and sees them in time order with the
//! readings over a threshold highlighted.
//!
//! The thresholds are ferd-core's defaults ([`Thresholds::builtin`]), shown with their sources and said plainly to
//! be placeholders for the clinic's own procedure. ferd records doses; nothing here suggests one.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use ferd_core::monitoring::{
    check_note, Baseline, InputError, Level, Problem, Reading, ReadingKind, Thresholds, Timed,
};
use ferd_store::{NewReading, SessionLog, StoreError};
use serde::Deserialize;

use super::{see_other, NoticeQuery};
use crate::context::{Ctx, Therapist};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::views::{html_status, Layout};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/clients/{id}/sessions/{sid}/log", get(page).post(record))
}

/// The form: one time, and any of the readings taken then (empty fields are skipped).
#[derive(Debug, Default, Deserialize)]
pub struct LogForm {
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub time: String,
    #[serde(default)]
    pub dose_mg: String,
    #[serde(default)]
    pub blood_pressure: String,
    #[serde(default)]
    pub pulse: String,
    #[serde(default)]
    pub temperature: String,
    #[serde(default)]
    pub fluid_ml: String,
    #[serde(default)]
    pub suds: String,
    #[serde(default)]
    pub note: String,
}

/// A refused field: the input's id (for the link and `aria-invalid`) and what is wrong, in words.
#[derive(Debug)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

/// One row of the log as the page shows it.
#[derive(Debug)]
pub struct RowView {
    /// The time taken (the date too when it is not the session's day).
    pub when: String,
    pub kind: String,
    pub value: String,
    /// `alert` or `escalate`, for the highlight.
    pub level: Option<&'static str>,
    /// The level in words.
    pub level_text: Option<String>,
    /// The thresholds crossed, in words.
    pub crossed: Vec<String>,
    pub note: Option<String>,
    pub recorded_by: String,
}

/// A threshold in use, with its source and status.
#[derive(Debug)]
pub struct ThresholdView {
    pub label: String,
    pub level: String,
    pub verified: bool,
    pub citation: String,
    pub url: String,
    pub note: Option<String>,
}

#[derive(Template)]
#[template(path = "session_log.html")]
struct SessionLogPage {
    l: Layout,
    client_id: String,
    session_id: String,
    intro: String,
    rows: Vec<RowView>,
    /// Facts over the session: (term, description).
    facts: Vec<(String, String)>,
    thresholds: Vec<ThresholdView>,
    form: LogForm,
    errors: Vec<FieldError>,
}

impl SessionLogPage {
    /// Whether `field` was refused (for `aria-invalid` and the inline message).
    fn error_of(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

/// The form field (input id) of a kind of reading.
fn field_of(kind: ReadingKind) -> &'static str {
    match kind {
        ReadingKind::Dose => "dose_mg",
        ReadingKind::BloodPressure => "blood_pressure",
        ReadingKind::Pulse => "pulse",
        ReadingKind::Temperature => "temperature",
        ReadingKind::Fluid => "fluid_ml",
        ReadingKind::Suds => "suds",
        ReadingKind::Note => "note",
    }
}

/// A kind of reading in words.
fn kind_text(tr: &Tr, kind: ReadingKind) -> String {
    match kind {
        ReadingKind::Dose => tr.t("session-log-kind-dose"),
        ReadingKind::BloodPressure => tr.t("session-log-kind-blood-pressure"),
        ReadingKind::Pulse => tr.t("session-log-kind-pulse"),
        ReadingKind::Temperature => tr.t("session-log-kind-temperature"),
        ReadingKind::Fluid => tr.t("session-log-kind-fluid"),
        ReadingKind::Suds => tr.t("session-log-kind-suds"),
        ReadingKind::Note => tr.t("session-log-kind-note"),
    }
}

fn level_text(tr: &Tr, level: Level) -> String {
    match level {
        Level::Alert => tr.t("session-log-level-alert"),
        Level::Escalate => tr.t("session-log-level-escalate"),
    }
}

/// A number as the user's language writes it, with no decimals when it is whole.
fn num(tr: &Tr, v: f64) -> String {
    tr.num(v, if v.fract() == 0.0 { 0 } else { 1 })
}

/// A reading's value with its unit.
fn value_text(tr: &Tr, reading: &Reading) -> String {
    match *reading {
        Reading::Dose { mg } => format!("{} mg", num(tr, mg)),
        Reading::BloodPressure {
            systolic,
            diastolic,
        } => format!("{}/{} mmHg", num(tr, systolic), num(tr, diastolic)),
        Reading::Pulse { bpm } => tr.t1("session-log-value-bpm", "n", &num(tr, bpm)),
        Reading::Temperature { celsius } => format!("{} °C", tr.num(celsius, 1)),
        Reading::Fluid { ml } => format!("{} ml", num(tr, ml)),
        Reading::Suds { units } => units.to_string(),
        Reading::Note => String::new(),
    }
}

/// A refused value in words, naming the field.
fn problem_text(tr: &Tr, e: &InputError) -> String {
    let field = kind_text(tr, e.kind);
    match e.problem {
        Problem::Empty => tr.t1("session-log-problem-empty", "field", &field),
        Problem::NotANumber => tr.t1("session-log-problem-not-a-number", "field", &field),
        Problem::NotWhole => tr.t1("session-log-problem-not-whole", "field", &field),
        Problem::TooManyDecimals => tr.t1("session-log-problem-decimals", "field", &field),
        Problem::NotSystolicOverDiastolic => {
            tr.t1("session-log-problem-blood-pressure", "field", &field)
        }
        Problem::DiastolicNotBelowSystolic => {
            tr.t1("session-log-problem-diastolic", "field", &field)
        }
        Problem::OutOfRange { min, max } => tr.t2(
            "session-log-problem-range",
            "field",
            &field,
            "range",
            &format!("{}–{}", num(tr, min), num(tr, max)),
        ),
        Problem::TooLong { max } => {
            tr.t2("session-log-problem-too-long", "field", &field, "max", &max)
        }
    }
}

fn local_hh_mm(tr: &Tr, ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| {
            t.to_zoned_datetime(tr.time_zone().clone())
                .strftime("%H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// Renders the log page with `form` (what was typed, or the defaults) and `errors`.
fn render(
    ctx: &Ctx,
    log: SessionLog,
    notice: Option<String>,
    mut form: LogForm,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let tr = &ctx.tr;
    let thresholds = Thresholds::builtin();
    let timed: Vec<Timed> = log
        .readings
        .iter()
        .map(|r| Timed {
            at: r.at,
            reading: r.reading,
        })
        .collect();
    let judged = thresholds.judge_session(&timed);
    let session_day = tr.date(log.scheduled_at);
    let rows = log
        .readings
        .iter()
        .zip(&judged)
        .map(|(r, j)| RowView {
            when: if tr.date(r.at) == session_day {
                tr.time(r.at)
            } else {
                tr.datetime(r.at)
            },
            kind: kind_text(tr, r.reading.kind()),
            value: value_text(tr, &r.reading),
            level: j.level.map(Level::as_str),
            level_text: j.level.map(|l| level_text(tr, l)),
            crossed: j
                .crossed
                .iter()
                .map(|t| t.label.get(tr.tag()).to_string())
                .collect(),
            note: r.note.clone(),
            recorded_by: r.recorded_by.clone(),
        })
        .collect();
    let base = Baseline::of(&timed);
    let mut facts = vec![];
    let doses: Vec<_> = log
        .readings
        .iter()
        .filter_map(|r| match r.reading {
            Reading::Dose { mg } => Some((r.at, mg)),
            _ => None,
        })
        .collect();
    if let Some(first) = base.first_dose_at {
        facts.push((tr.t("session-log-first-dose"), tr.time(first)));
        let total: f64 = doses.iter().map(|(_, mg)| mg).sum();
        let list: Vec<String> = doses
            .iter()
            .map(|(at, mg)| format!("{} {} mg", tr.time(*at), num(tr, *mg)))
            .collect();
        facts.push((
            tr.t("session-log-doses-given"),
            format!(
                "{} ({})",
                list.join(" · "),
                tr.t1(
                    "session-log-doses-total",
                    "total",
                    &format!("{} mg", num(tr, total))
                )
            ),
        ));
        facts.push((
            tr.t("session-log-baseline-temperature"),
            base.celsius
                .map(|c| format!("{} °C", tr.num(c, 1)))
                .unwrap_or_else(|| tr.t("session-log-not-recorded")),
        ));
        facts.push((
            tr.t("session-log-baseline-suds"),
            base.suds
                .map(|s| s.to_string())
                .unwrap_or_else(|| tr.t("session-log-not-recorded")),
        ));
    }
    if let Some(last) = log.readings.iter().rev().find_map(|r| match r.reading {
        Reading::Suds { units } => Some((r.at, units)),
        _ => None,
    }) {
        facts.push((
            tr.t("session-log-latest-suds"),
            format!("{} ({})", last.1, tr.time(last.0)),
        ));
    }
    let threshold_views = thresholds
        .iter()
        .map(|t| ThresholdView {
            label: t.label.get(tr.tag()).to_string(),
            level: level_text(tr, t.level),
            verified: t.verified,
            citation: t.source.citation.clone(),
            url: t.source.url.clone(),
            note: t.note.as_ref().map(|n| n.get(tr.tag()).to_string()),
        })
        .collect();
    // A fresh form starts on the session's day, at the current time when that is today.
    if form.date.is_empty() {
        form.date = tr.iso_date(log.scheduled_at);
        let now = ferd_store::now_ms();
        if tr.iso_date(now) == form.date {
            form.time = local_hh_mm(tr, now);
        }
    }
    let page = SessionLogPage {
        l: Layout::new(ctx, "session-log-title", "clients").with_notice(notice),
        intro: tr.t2(
            "session-log-intro",
            "client",
            &log.client_name,
            "when",
            &tr.datetime(log.scheduled_at),
        ),
        client_id: log.client_id,
        session_id: log.session_id,
        rows,
        facts,
        thresholds: threshold_views,
        form,
        errors,
    };
    html_status(status, &page)
}

async fn page(
    State(state): State<AppState>,
    Therapist(ctx, actor): Therapist,
    Path((id, sid)): Path<(String, String)>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let log = state.store().session_log(&actor, &id, &sid).await?;
    render(
        &ctx,
        log,
        q.text(&ctx),
        LogForm::default(),
        vec![],
        StatusCode::OK,
    )
}

/// Parses the form into readings, or says what is wrong with each field. Nothing is stored unless all is right.
fn parse(ctx: &Ctx, form: &LogForm) -> Result<Vec<NewReading>, Vec<FieldError>> {
    let tr = &ctx.tr;
    let mut errors = vec![];
    // An empty time would be midnight to `local_ms`: a reading needs the time it was taken.
    let at = if form.time.trim().is_empty() {
        None
    } else {
        super::local_ms(tr.time_zone(), &form.date, &form.time)
    };
    if at.is_none() {
        errors.push(FieldError {
            field: "time",
            message: tr.t("session-log-problem-time"),
        });
    }
    let at = at.unwrap_or_default();
    let mut readings = vec![];
    for (kind, text) in [
        (ReadingKind::Dose, &form.dose_mg),
        (ReadingKind::BloodPressure, &form.blood_pressure),
        (ReadingKind::Pulse, &form.pulse),
        (ReadingKind::Temperature, &form.temperature),
        (ReadingKind::Fluid, &form.fluid_ml),
        (ReadingKind::Suds, &form.suds),
    ] {
        if text.trim().is_empty() {
            continue;
        }
        match Reading::parse(kind, text) {
            Ok(reading) => readings.push(NewReading {
                at,
                reading,
                note: None,
            }),
            Err(e) => errors.push(FieldError {
                field: field_of(kind),
                message: problem_text(tr, &e),
            }),
        }
    }
    if !form.note.trim().is_empty() {
        match check_note(&form.note) {
            Ok(()) => readings.push(NewReading {
                at,
                reading: Reading::Note,
                note: Some(form.note.trim().to_string()),
            }),
            Err(e) => errors.push(FieldError {
                field: "note",
                message: problem_text(tr, &e),
            }),
        }
    }
    if readings.is_empty() && errors.is_empty() {
        errors.push(FieldError {
            field: "dose_mg",
            message: tr.t("session-log-problem-nothing"),
        });
    }
    if errors.is_empty() {
        Ok(readings)
    } else {
        Err(errors)
    }
}

async fn record(
    State(state): State<AppState>,
    Therapist(ctx, actor): Therapist,
    Path((id, sid)): Path<(String, String)>,
    Form(form): Form<LogForm>,
) -> Result<Response, AppError> {
    let errors = match parse(&ctx, &form) {
        Ok(readings) => match state
            .store()
            .record_readings(&actor, &id, &sid, &readings)
            .await
        {
            Ok(_) => {
                return Ok(see_other(&format!(
                    "/clients/{id}/sessions/{sid}/log?notice=notice-readings-recorded#readings"
                )))
            }
            // The store checks again; what it refuses is named like the form's own checks.
            Err(StoreError::Invalid { field, .. }) => {
                let field = match field.parse::<ReadingKind>() {
                    Ok(kind) => field_of(kind),
                    Err(()) => "time",
                };
                vec![FieldError {
                    field,
                    message: if field == "time" {
                        ctx.tr.t("session-log-problem-time-range")
                    } else {
                        ctx.tr.t("error-bad-request")
                    },
                }]
            }
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    // The page again with what was typed; reading the log also refuses a session out of scope (404).
    let log = state.store().session_log(&actor, &id, &sid).await?;
    render(
        &ctx,
        log,
        None,
        form,
        errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}

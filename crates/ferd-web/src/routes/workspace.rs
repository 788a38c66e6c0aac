//! The therapist's workspace: the dashboard, the client list, a client's page with everything that can be done
//! there, and the inquiries inbox.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use ferd_core::instruments::ChangeClass;
use ferd_core::journey::PHASES;
use ferd_core::Catalogue;
use ferd_store::{
    Alert, ClientRow, Dashboard, Inquiry, JournalEntry, NewClient, NewSession, Session, SessionRow,
};
use serde::Deserialize;

use super::{local_ms, see_other, today_and_week, NoticeQuery};
use crate::auth;
use crate::chart;
use crate::context::{Ctx, Therapist};
use crate::error::AppError;
use crate::views::{html, html_status, Layout};
use crate::AppState;

/// The protocol new journeys follow (the published MDMA-AT protocol; protocol templates come with the journey
/// engine).
const PROTOCOL: &str = "mdma-at";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/dashboard", get(dashboard))
        .route("/clients", get(clients))
        .route("/clients/new", get(new_client_page).post(create_client))
        .route("/clients/{id}", get(client_page))
        .route("/clients/{id}/sessions", post(schedule_session))
        .route("/clients/{id}/assessments", post(assign_assessment))
        .route("/clients/{id}/invitation", post(invite))
        .route("/sessions/{id}", post(update_session))
        .route("/sessions/{id}/reschedule", post(reschedule_session))
        .route("/alerts/{id}/acknowledge", post(acknowledge))
        .route("/inquiries", get(inquiries))
        .route("/inquiries/{id}/client", post(inquiry_to_client))
        .route("/inquiries/{id}/status", post(inquiry_status))
        .route("/inquiries/{id}/delete", post(inquiry_delete))
}

/// An instrument's short name, for lists.
pub fn short_name(id: &str) -> String {
    Catalogue::builtin()
        .get(id)
        .map(|i| i.short_name.clone())
        .unwrap_or_else(|| id.to_string())
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    l: Layout,
    d: Dashboard,
    today_end: i64,
    /// How many wait and how long the longest has (routes/waitlist.rs).
    waitlist: super::waitlist::DashboardWaitlist,
}

impl DashboardPage {
    fn today(&self) -> Vec<&SessionRow> {
        self.d
            .sessions
            .iter()
            .filter(|s| s.scheduled_at < self.today_end)
            .collect()
    }
    fn later(&self) -> Vec<&SessionRow> {
        self.d
            .sessions
            .iter()
            .filter(|s| s.scheduled_at >= self.today_end)
            .collect()
    }
    fn name(&self, instrument: &str) -> String {
        short_name(instrument)
    }
}

async fn dashboard(
    State(state): State<AppState>,
    Therapist(ctx, actor): Therapist,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let now = ferd_store::now_ms();
    let (day_start, week_end) = today_and_week(ctx.tr.time_zone(), now);
    let today_end = super::next_day_start(ctx.tr.time_zone(), now);
    let d = state
        .store()
        .dashboard(&actor, day_start, week_end, now)
        .await?;
    let waitlist = super::waitlist::dashboard_card(&state, &actor).await?;
    html(&DashboardPage {
        l: Layout::new(&ctx, "dashboard-title", "dashboard").with_notice(q.text(&ctx)),
        d,
        today_end,
        waitlist,
    })
}

#[derive(Debug, Deserialize)]
struct ClientQuery {
    q: Option<String>,
    phase: Option<String>,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "clients.html")]
struct ClientsPage {
    l: Layout,
    rows: Vec<ClientRow>,
    q: String,
    phase: String,
    phases: Vec<&'static str>,
}

impl ClientsPage {
    fn selected(&self, phase: &str) -> bool {
        self.phase == phase
    }
}

async fn clients(
    State(state): State<AppState>,
    Therapist(ctx, actor): Therapist,
    Query(q): Query<ClientQuery>,
) -> Result<Response, AppError> {
    let phase = q
        .phase
        .clone()
        .filter(|p| p == "none" || PHASES.contains(&p.as_str()));
    let rows = state
        .store()
        .client_list(
            &actor,
            q.q.as_deref(),
            phase.as_deref(),
            ferd_store::now_ms(),
        )
        .await?;
    let notice = NoticeQuery {
        notice: q.notice.clone(),
    }
    .text(&ctx);
    html(&ClientsPage {
        l: Layout::new(&ctx, "clients-title", "clients").with_notice(notice),
        rows,
        q: q.q.unwrap_or_default(),
        phase: phase.unwrap_or_default(),
        phases: PHASES.to_vec(),
    })
}

#[derive(Template)]
#[template(path = "client_new.html")]
struct NewClientPage {
    l: Layout,
    form: ClientForm,
    errors: Vec<(String, String)>,
}

#[derive(Debug, Deserialize, Default, Clone)]
struct ClientForm {
    name: String,
    email: String,
    phone: String,
    birth_year: String,
    emergency_contact: String,
    preferred_language: String,
}

async fn new_client_page(Therapist(ctx, _): Therapist) -> Result<Response, AppError> {
    html(&NewClientPage {
        l: Layout::new(&ctx, "client-new-title", "clients"),
        form: ClientForm {
            preferred_language: ctx.tr.tag().to_string(),
            ..ClientForm::default()
        },
        errors: vec![],
    })
}

async fn create_client(
    State(state): State<AppState>,
    Therapist(ctx, actor): Therapist,
    Form(form): Form<ClientForm>,
) -> Result<Response, AppError> {
    let mut errors = vec![];
    if form.name.trim().is_empty() {
        errors.push(("name".to_string(), ctx.tr.t("error-name-required")));
    }
    let birth_year = match form.birth_year.trim() {
        "" => None,
        y => match y.parse::<i64>() {
            Ok(y) if (1900..=2100).contains(&y) => Some(y),
            _ => {
                errors.push(("birth_year".to_string(), ctx.tr.t("error-birth-year")));
                None
            }
        },
    };
    if errors.is_empty() {
        let new = NewClient {
            therapist_id: Some(actor.user_id.clone()),
            name: form.name.clone(),
            email: Some(form.email.clone()),
            phone: Some(form.phone.clone()),
            birth_year,
            emergency_contact: Some(form.emergency_contact.clone()),
            preferred_language: form.preferred_language.clone(),
        };
        match state.store().create_client(&actor, new).await {
            Ok(c) => {
                // A new client's journey opens at intake on the default protocol (no sessions planned yet).
                state
                    .store()
                    .start_protocol(&actor, &c.id, PROTOCOL, &[], &[])
                    .await?;
                return Ok(see_other(&format!(
                    "/clients/{}?notice=notice-client-created",
                    c.id
                )));
            }
            Err(ferd_store::StoreError::Invalid { field, .. }) => {
                let key = match field {
                    "email" => "error-email",
                    "preferred_language" => "error-language",
                    "name" => "error-name-required",
                    _ => "error-bad-request",
                };
                errors.push((field.to_string(), ctx.tr.t(key)));
            }
            Err(e) => return Err(e.into()),
        }
    }
    html_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &NewClientPage {
            l: Layout::new(&ctx, "client-new-title", "clients"),
            form,
            errors,
        },
    )
}

/// One response as the client page lists it.
#[derive(Debug)]
pub struct ScoreRow {
    pub at: i64,
    pub total: i64,
    pub severity: Option<String>,
    pub cutoff_met: Option<bool>,
    pub flags: Vec<String>,
    /// The change from the first response, in words, and whether it is reliable.
    pub change: Option<String>,
    pub change_class: Option<ChangeClass>,
}

/// Everything shown about one instrument: the chart and the table.
#[derive(Debug)]
pub struct InstrumentView {
    pub id: String,
    pub name: String,
    pub title: String,
    pub svg: String,
    pub rows: Vec<ScoreRow>,
    /// A plain-language reading of the latest change (for the client's own page).
    pub summary: String,
    pub change_rule: Option<String>,
}

/// Builds the chart and the table for each instrument the client has answered, judging each later response against
/// the first with ferd-core's reliable-change rules.
pub fn instrument_views(
    ctx: &Ctx,
    responses: &[ferd_store::StoredResponse],
    for_client: bool,
) -> Vec<InstrumentView> {
    let tr = &ctx.tr;
    let lang = tr.tag();
    let mut ids: Vec<&str> = vec![];
    for r in responses {
        if !ids.contains(&r.instrument.as_str()) {
            ids.push(&r.instrument);
        }
    }
    let mut out = vec![];
    for id in ids {
        let Some(ins) = Catalogue::builtin().get(id) else {
            continue;
        };
        let mine: Vec<&ferd_store::StoredResponse> =
            responses.iter().filter(|r| r.instrument == id).collect();
        let first = mine.first().and_then(|r| ins.response(&r.answers).ok());
        let mut rows = vec![];
        let mut points = vec![];
        let mut last_change = None;
        for (i, r) in mine.iter().enumerate() {
            let summary = &r.summary;
            let scored = ins.response(&r.answers).ok();
            let change = match (&first, &scored, i) {
                (Some(f), Some(s), i) if i > 0 => ins.change(&f.score(), &s.score()).ok(),
                _ => None,
            };
            let mark = change.as_ref().and_then(|c| match c.classification {
                ChangeClass::Recovered => Some(chart::Mark::Recovered),
                ChangeClass::Improved => Some(chart::Mark::ReliableImprovement),
                ChangeClass::Deteriorated => Some(chart::Mark::ReliableDeterioration),
                ChangeClass::Unchanged => None,
            });
            points.push(chart::Point {
                at_ms: r.authored_at,
                value: r.total as f64,
                date_label: tr.date(r.authored_at),
                mark,
            });
            let severity = summary
                .get("severity")
                .and_then(|v| v.as_str())
                .and_then(|sev| ins.bands.iter().find(|b| b.id == sev))
                .map(|b| b.label.get(lang).to_string());
            rows.push(ScoreRow {
                at: r.authored_at,
                total: r.total,
                severity,
                cutoff_met: summary.get("cutoff_met").and_then(|v| v.as_bool()),
                flags: summary
                    .get("flags")
                    .and_then(|v| v.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|f| f.as_str())
                            .filter_map(|f| ins.flags.iter().find(|x| x.id == f))
                            .map(|f| f.label.get(lang).to_string())
                            .collect()
                    })
                    .unwrap_or_default(),
                change: change.as_ref().map(|c| {
                    tr.t2(
                        &format!("change-{}", class_key(c.classification)),
                        "difference",
                        &tr.int(i64::from(c.difference)),
                        "rci",
                        &tr.num(c.reliable_change_index, 2),
                    )
                }),
                change_class: change.as_ref().map(|c| c.classification),
            });
            if change.is_some() {
                last_change = change;
            }
        }
        let (min, max) = chart::total_range_of(ins);
        let cutoff = chart::primary_cutoff_of(ins);
        let cutoff_label = ins
            .cutoffs
            .iter()
            .find(|c| c.primary)
            .map(|c| c.label.get(lang).to_string());
        let first_total = rows.first().map(|r| r.total).unwrap_or(0);
        let last_total = rows.last().map(|r| r.total).unwrap_or(0);
        let description = tr.t2("chart-description", "from", &first_total, "to", &last_total)
            + " "
            + &tr.tn("chart-responses", "count", rows.len() as i64);
        let title = ins.title.get(lang).to_string();
        let svg = chart::trajectory_svg(&chart::Trajectory {
            min,
            max,
            bands: chart::bands_of(ins, lang),
            cutoff,
            points,
            labels: chart::Labels {
                title: title.clone(),
                description,
                y_axis: tr.t1("chart-y-axis", "instrument", &ins.short_name),
                cutoff: cutoff_label,
                improvement: tr.t("chart-improvement"),
                deterioration: tr.t("chart-deterioration"),
                recovered: tr.t("chart-recovered"),
                no_data: tr.t("chart-no-data"),
            },
            id: format!("chart-{}", ins.id),
        })
        .unwrap_or_default();
        let direction = if ins.higher_is_worse {
            "summary-higher-worse"
        } else {
            "summary-higher-better"
        };
        let mut summary = tr.t1(direction, "instrument", &ins.short_name);
        if let Some(c) = &last_change {
            summary.push(' ');
            summary.push_str(&tr.t2(
                &format!("summary-{}", class_key(c.classification)),
                "from",
                &c.from,
                "to",
                &c.to,
            ));
        } else if rows.len() == 1 {
            summary.push(' ');
            summary.push_str(&tr.t1("summary-first", "total", &first_total));
        }
        if for_client {
            summary.push(' ');
            summary.push_str(&tr.t("summary-not-diagnosis"));
        }
        let change_rule = ins
            .change
            .as_ref()
            .map(|_| tr.t1("change-rule", "instrument", &ins.short_name));
        out.push(InstrumentView {
            id: ins.id.clone(),
            name: ins.short_name.clone(),
            title,
            svg,
            rows,
            summary,
            change_rule,
        });
    }
    out
}

fn class_key(c: ChangeClass) -> &'static str {
    match c {
        ChangeClass::Recovered => "recovered",
        ChangeClass::Improved => "improved",
        ChangeClass::Unchanged => "unchanged",
        ChangeClass::Deteriorated => "deteriorated",
    }
}

/// A phase of the journey timeline with what happened in it.
#[derive(Debug)]
struct PhaseView {
    id: &'static str,
    /// `done`, `current` or `ahead`.
    state: &'static str,
    sessions: Vec<Session>,
}

#[derive(Template)]
#[template(path = "client.html")]
struct ClientPage {
    l: Layout,
    client: ferd_store::Client,
    phase: Option<String>,
    phases: Vec<&'static str>,
    timeline: Vec<PhaseView>,
    sessions: Vec<Session>,
    assessments: Vec<ferd_store::Assessment>,
    alerts: Vec<Alert>,
    instruments: Vec<InstrumentView>,
    journal: Vec<JournalEntry>,
    catalogue: Vec<(String, String)>,
    invitation_link: Option<String>,
    today: String,
    now: i64,
    session_kinds: Vec<&'static str>,
    statuses: Vec<&'static str>,
    /// A refusal to show (a journey guard, say).
    error: Option<String>,
    risk: Vec<ferd_store::RiskRecord>,
    journey: Option<JourneyPanel>,
    protocols: Vec<(String, String)>,
    screenings: Vec<ScreeningView>,
    /// The practice runs medicine sessions itself: medicine sessions link to their log.
    clinic_mode: bool,
    /// Where the client was referred on, oldest first.
    referrals: Vec<ferd_store::Referral>,
}

/// The journey as the client page shows it.
#[derive(Debug)]
pub struct JourneyPanel {
    pub protocol: String,
    pub state: String,
    pub active: bool,
    pub paused: bool,
    pub clearance: &'static str,
    pub preparation: String,
    pub medicine: String,
    pub integration: String,
    pub deviations: Vec<String>,
    pub can_book_medicine: Option<String>,
}

/// A screening with its findings, as the client page shows it.
#[derive(Debug)]
pub struct ScreeningView {
    pub id: String,
    pub submitted_at: i64,
    pub findings: Vec<FindingView>,
    pub decision: Option<ferd_store::Clearance>,
}

/// One finding of the screening rules.
#[derive(Debug)]
pub struct FindingView {
    pub severity: String,
    pub rule: String,
    pub matched: String,
    /// Dates, readings or the relative behind the finding, in the reader's language.
    pub detail: Option<String>,
    pub explanation: String,
    pub source: String,
    pub verified: bool,
}

impl ClientPage {
    fn name(&self, instrument: &str) -> String {
        short_name(instrument)
    }
    /// Where and by whom an external medicine session is held.
    fn external_of(&self, s: &Session) -> Option<ferd_core::journey::ExternalSession> {
        s.external
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok())
    }

    /// `HH:MM` for an `<input type="time">` (the same in every language).
    fn time_value(&self, ms: &i64) -> String {
        self.l.tr.time(ms).replace('.', ":")
    }

    fn class_of(&self, r: &ScoreRow) -> &'static str {
        r.change_class.map(class_key).unwrap_or("baseline")
    }
    /// A referral's date in the reader's style.
    fn referral_date(&self, d: &ferd_core::calendar::Day) -> String {
        self.l.tr.civil_date(&d.to_string())
    }
    fn open_alerts(&self) -> usize {
        self.alerts
            .iter()
            .filter(|a| a.acknowledged_at.is_none())
            .count()
    }
}

#[derive(Debug, Deserialize, Default)]
struct ClientPageQuery {
    notice: Option<String>,
    invitation: Option<String>,
}

async fn client_page(
    State(state): State<AppState>,
    Therapist(ctx, actor): Therapist,
    Path(id): Path<String>,
    Query(q): Query<ClientPageQuery>,
) -> Result<Response, AppError> {
    render_client(
        &state,
        &ctx,
        &actor,
        &id,
        NoticeQuery {
            notice: q.notice.clone(),
        }
        .text(&ctx),
        q.invitation.clone(),
        None,
    )
    .await
}

/// The client page again with `message` at the top, as 422: the request was refused and nothing changed.
pub(super) async fn client_page_refused(
    state: &AppState,
    ctx: &Ctx,
    actor: &ferd_store::Actor,
    id: &str,
    message: String,
) -> Result<Response, AppError> {
    let mut page = render_client(state, ctx, actor, id, None, None, Some(message)).await?;
    *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(page)
}

/// Where a form about one client returns: the client's page with a confirmation, or the dashboard when the client
/// id sent back is not an id (it only chooses the page; the store checked the record itself).
fn back_to_client(client_id: &str, notice: &str, anchor: &str) -> String {
    if client_id
        .bytes()
        .all(|b| b.is_ascii_hexdigit() || b == b'-')
    {
        format!("/clients/{client_id}?notice={notice}#{anchor}")
    } else {
        "/dashboard".into()
    }
}

/// Renders the client page; `error` is a refusal to show at the top (a guard of the journey, say).
pub(super) async fn render_client(
    state: &AppState,
    ctx: &Ctx,
    actor: &ferd_store::Actor,
    id: &str,
    notice: Option<String>,
    invitation_token: Option<String>,
    error: Option<String>,
) -> Result<Response, AppError> {
    let record = state.store().client_record(actor, id).await?;
    let risk = state.store().risk_assessments(actor, id).await?;
    let clinic_mode = state.store().clinic_mode(actor).await?;
    let referrals = state.store().client_referrals(actor, id).await?;
    let ferd_store::ClientRecord {
        client,
        sessions: all_sessions,
        responses,
        journeys,
        assessments,
        alerts,
        shared_journal: journal,
        journey,
        screenings,
    } = record;
    let phase = journeys
        .iter()
        .rev()
        .find(|j| j.status == "active")
        .map(|j| j.phase.clone());
    let current = phase.as_deref().and_then(ferd_core::journey::phase_index);
    let timeline = PHASES
        .iter()
        .enumerate()
        .map(|(i, p)| PhaseView {
            id: p,
            state: match current {
                Some(c) if i < c => "done",
                Some(c) if i == c => "current",
                _ => "ahead",
            },
            sessions: all_sessions
                .iter()
                .filter(|s| ferd_core::journey::phase_of_session_kind(&s.kind) == Some(*p))
                .cloned()
                .collect(),
        })
        .collect();
    let instruments = instrument_views(ctx, &responses, false);
    let invitation_link = invitation_token
        .filter(|t| t.len() == 43)
        .map(|t| format!("{}/invite/{t}", ctx.origin.trim_end_matches('/')));
    let now = ferd_store::now_ms();
    let mut sessions = all_sessions.clone();
    sessions.sort_by_key(|s| std::cmp::Reverse(s.scheduled_at));
    let journey = journey.map(|j| {
        let protocol = ferd_core::journey::Protocols::builtin().get(&j.protocol);
        let f = j.facts;
        JourneyPanel {
            protocol: protocol
                .map(|p| p.title.get(ctx.tr.tag()).to_string())
                .unwrap_or_else(|| j.protocol.clone()),
            state: super::journey::state_text(&ctx.tr, j.state),
            active: matches!(j.state, ferd_core::journey::JourneyState::Active(_)),
            paused: matches!(j.state, ferd_core::journey::JourneyState::Paused { .. }),
            clearance: match f.clearance {
                ferd_core::journey::ClearanceStatus::Signed => "clearance-signed",
                ferd_core::journey::ClearanceStatus::Refused => "clearance-refused",
                ferd_core::journey::ClearanceStatus::NotRecorded => "clearance-not-recorded",
            },
            preparation: format!("{} / {}", f.preparation_held, f.preparation_required),
            medicine: format!("{} / {}", f.medicine_held, f.medicine_in_protocol),
            integration: format!(
                "{} / {}",
                f.integration_held_since_medicine, f.integration_per_block
            ),
            deviations: super::journey::deviations(&ctx.tr, &j.protocol, &all_sessions),
            can_book_medicine: ferd_core::journey::can_schedule_medicine(&f)
                .err()
                .map(|e| super::journey::refusal_text(&ctx.tr, &e)),
        }
    });
    let screenings = screenings
        .into_iter()
        .map(|s| ScreeningView {
            findings: s
                .findings
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|f| {
                            let text = |k: &str| {
                                f.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string()
                            };
                            // A text kept in every language: the reader's, else English.
                            let localized = |k: &str| {
                                f.get(k)
                                    .and_then(|e| e.get(ctx.tr.tag()).or_else(|| e.get("en")))
                                    .and_then(|v| v.as_str())
                                    .map(str::to_string)
                            };
                            FindingView {
                                severity: text("severity"),
                                rule: text("rule"),
                                matched: text("matched"),
                                detail: localized("detail"),
                                explanation: localized("explanation").unwrap_or_default(),
                                source: text("source"),
                                verified: f
                                    .get("verified")
                                    .and_then(|v| v.as_bool())
                                    .unwrap_or(false),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default(),
            id: s.id,
            submitted_at: s.submitted_at,
            decision: s.decision,
        })
        .collect();
    html(&ClientPage {
        l: Layout::new(ctx, "client-title", "clients").with_notice(notice),
        error,
        risk,
        journey,
        protocols: ferd_core::journey::Protocols::builtin()
            .iter()
            .map(|p| (p.id.clone(), p.title.get(ctx.tr.tag()).to_string()))
            .collect(),
        screenings,
        clinic_mode,
        referrals,
        client,
        phase,
        phases: PHASES.to_vec(),
        timeline,
        sessions,
        assessments,
        alerts,
        instruments,
        journal,
        catalogue: Catalogue::builtin()
            .iter()
            .map(|i| (i.id.clone(), i.title.get(ctx.tr.tag()).to_string()))
            .collect(),
        invitation_link,
        today: ctx.tr.iso_date(now),
        now,
        session_kinds: vec![
            "intake",
            "preparation",
            "medicine",
            "integration",
            "follow-up",
        ],
        statuses: vec!["planned", "held", "cancelled", "missed"],
    })
}

#[derive(Debug, Deserialize)]
struct SessionForm {
    kind: String,
    date: String,
    time: String,
    duration_minutes: String,
    place: String,
    video_link: String,
}

async fn schedule_session(
    State(state): State<AppState>,
    Therapist(ctx, actor): Therapist,
    Path(id): Path<String>,
    Form(form): Form<SessionForm>,
) -> Result<Response, AppError> {
    let at = local_ms(ctx.tr.time_zone(), &form.date, &form.time)
        .ok_or_else(|| AppError::BadRequest("date".into()))?;
    let duration = form
        .duration_minutes
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest("duration_minutes".into()))?;
    let video = form.video_link.trim();
    if !video.is_empty() && !video.starts_with("https://") {
        return Err(AppError::BadRequest("video_link".into()));
    }
    state
        .store()
        .add_session(
            &actor,
            NewSession {
                client_id: id.clone(),
                journey_id: None,
                kind: form.kind,
                scheduled_at: at,
                duration_minutes: duration,
                place: Some(form.place),
                video_link: Some(form.video_link),
                note: None,
            },
        )
        .await?;
    Ok(see_other(&format!(
        "/clients/{id}?notice=notice-session-scheduled#sessions"
    )))
}

#[derive(Debug, Deserialize)]
struct AssessmentForm {
    instrument: String,
    point: String,
    /// `now` or `schedule`.
    when: String,
    first_date: String,
    every_days: String,
    count: String,
}

async fn assign_assessment(
    State(state): State<AppState>,
    Therapist(ctx, actor): Therapist,
    Path(id): Path<String>,
    Form(form): Form<AssessmentForm>,
) -> Result<Response, AppError> {
    let now = ferd_store::now_ms();
    let dates: Vec<i64> = if form.when == "schedule" {
        let first = local_ms(ctx.tr.time_zone(), &form.first_date, "09:00")
            .ok_or_else(|| AppError::BadRequest("first_date".into()))?;
        let every: i64 = form
            .every_days
            .trim()
            .parse()
            .map_err(|_| AppError::BadRequest("every_days".into()))?;
        let count: i64 = form
            .count
            .trim()
            .parse()
            .map_err(|_| AppError::BadRequest("count".into()))?;
        if !(1..=365).contains(&every) || !(1..=52).contains(&count) {
            return Err(AppError::BadRequest("count".into()));
        }
        (0..count).map(|i| first + i * every * 86_400_000).collect()
    } else {
        vec![now]
    };
    let point = if form.point.trim().is_empty() {
        "check-in".to_string()
    } else {
        form.point.clone()
    };
    state
        .store()
        .schedule_assessments(&actor, &id, &form.instrument, &point, &dates)
        .await?;
    Ok(see_other(&format!(
        "/clients/{id}?notice=notice-assessment-assigned#assessments"
    )))
}

async fn invite(
    State(state): State<AppState>,
    Therapist(ctx, actor): Therapist,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let token = auth::random_token();
    let expires = ferd_store::now_ms() + state.config().invitation_days * 86_400_000;
    match state
        .store()
        .create_invitation(&actor, &id, &auth::token_hash(&token), expires)
        .await
    {
        Ok(_) => {}
        Err(ferd_store::StoreError::Invalid { field: "email", .. }) => {
            return render_client(
                &state,
                &ctx,
                &actor,
                &id,
                None,
                None,
                Some(ctx.tr.t("invite-needs-email")),
            )
            .await
        }
        Err(e) => return Err(e.into()),
    }
    // The link is shown once, on this page, for the therapist to send; ferd keeps only its hash.
    render_client(
        &state,
        &ctx,
        &actor,
        &id,
        Some(ctx.tr.t("notice-invitation-created")),
        Some(token),
        None,
    )
    .await
}

#[derive(Debug, Deserialize)]
struct SessionUpdate {
    status: String,
    note: Option<String>,
    client_id: String,
}

async fn update_session(
    State(state): State<AppState>,
    Therapist(_, actor): Therapist,
    Path(id): Path<String>,
    Form(form): Form<SessionUpdate>,
) -> Result<Response, AppError> {
    state
        .store()
        .update_session(&actor, &id, &form.status, form.note.as_deref())
        .await?;
    // The client id only chooses where to go back to; the store checked the session's own client.
    let back = back_to_client(&form.client_id, "notice-session-updated", "sessions");
    Ok(see_other(&back))
}

#[derive(Debug, Deserialize)]
struct RescheduleForm {
    date: String,
    time: String,
    client_id: String,
}

async fn reschedule_session(
    State(state): State<AppState>,
    Therapist(ctx, actor): Therapist,
    Path(id): Path<String>,
    Form(form): Form<RescheduleForm>,
) -> Result<Response, AppError> {
    let at = local_ms(ctx.tr.time_zone(), &form.date, &form.time)
        .ok_or_else(|| AppError::BadRequest("date".into()))?;
    state.store().reschedule_session(&actor, &id, at).await?;
    let back = back_to_client(&form.client_id, "notice-session-moved", "journey");
    Ok(see_other(&back))
}

#[derive(Debug, Deserialize)]
struct AcknowledgeForm {
    back: Option<String>,
    /// What was done (required for a suicidal-ideation alert).
    action: Option<String>,
    /// The client whose page to show again when something is missing.
    client_id: Option<String>,
}

async fn acknowledge(
    State(state): State<AppState>,
    Therapist(ctx, actor): Therapist,
    Path(id): Path<String>,
    Form(form): Form<AcknowledgeForm>,
) -> Result<Response, AppError> {
    match state
        .store()
        .acknowledge_alert(&actor, &id, form.action.as_deref())
        .await
    {
        Ok(()) | Err(ferd_store::StoreError::Invalid { field: "alert", .. }) => {}
        Err(ferd_store::StoreError::Invalid {
            field: "action", ..
        }) => {
            let msg = ctx.tr.t("alert-action-required");
            return match form.client_id.as_deref() {
                Some(client) => client_page_refused(&state, &ctx, &actor, client, msg).await,
                None => Err(AppError::BadRequest("action".into())),
            };
        }
        Err(e) => return Err(e.into()),
    }
    let back = form
        .back
        .filter(|b| b.starts_with('/') && !b.starts_with("//"))
        .unwrap_or_else(|| "/dashboard".into());
    let sep = if back.contains('?') { '&' } else { '?' };
    Ok(see_other(&format!(
        "{back}{sep}notice=notice-alert-acknowledged"
    )))
}

#[derive(Template)]
#[template(path = "inquiries.html")]
struct InquiriesPage {
    l: Layout,
    inquiries: Vec<Inquiry>,
    /// How many wait on the waitlist (their inquiries are there, not here).
    waiting: i64,
    /// The inquiries' referrals (each listed under its inquiry).
    referrals: Vec<ferd_store::Referral>,
}

impl InquiriesPage {
    /// The referrals of one inquiry.
    fn referrals_of(&self, inquiry_id: &str) -> Vec<&ferd_store::Referral> {
        self.referrals
            .iter()
            .filter(|r| r.inquiry_id.as_deref() == Some(inquiry_id))
            .collect()
    }
    fn referral_date(&self, d: &ferd_core::calendar::Day) -> String {
        self.l.tr.civil_date(&d.to_string())
    }
}

async fn inquiries(
    State(state): State<AppState>,
    Therapist(ctx, actor): Therapist,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let inquiries = state.store().inquiries(&actor).await?;
    let waiting = state.store().waitlist_summary(&actor).await?.waiting;
    let referrals = state.store().inquiries_referrals(&actor).await?;
    html(&InquiriesPage {
        l: Layout::new(&ctx, "inquiries-title", "inquiries").with_notice(q.text(&ctx)),
        inquiries,
        waiting,
        referrals,
    })
}

async fn inquiry_to_client(
    State(state): State<AppState>,
    Therapist(_, actor): Therapist,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let client = state
        .store()
        .client_from_inquiry(&actor, &id, PROTOCOL)
        .await?;
    Ok(see_other(&format!(
        "/clients/{}?notice=notice-client-created",
        client.id
    )))
}

#[derive(Debug, Deserialize)]
struct StatusForm {
    status: String,
}

async fn inquiry_status(
    State(state): State<AppState>,
    Therapist(_, actor): Therapist,
    Path(id): Path<String>,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    state
        .store()
        .set_inquiry_status(&actor, &id, &form.status)
        .await?;
    Ok(see_other("/inquiries?notice=notice-inquiry-updated"))
}

/// Deletes an inquiry for good: the sender asked, or it is spam.
async fn inquiry_delete(
    State(state): State<AppState>,
    Therapist(_, actor): Therapist,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    state.store().delete_inquiry(&actor, &id).await?;
    Ok(see_other("/inquiries?notice=notice-inquiry-deleted"))
}

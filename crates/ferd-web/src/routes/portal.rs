//! The client's portal: upcoming sessions, questionnaires to fill in, their own progress explained in plain words,
//! and the integration journal.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use ferd_core::instruments::ResponseError;
use ferd_core::{Catalogue, Instrument};
use ferd_store::{Assessment, JournalEntry, Session};
use serde::Deserialize;

use super::workspace::{instrument_views, short_name, InstrumentView};
use super::{see_other, NoticeQuery};
use crate::context::{ClientUser, Ctx};
use crate::error::AppError;
use crate::views::{html, html_status, Layout};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal", get(portal))
        .route(
            "/portal/questionnaires/{id}",
            get(questionnaire).post(submit),
        )
        .route("/portal/journal", get(journal).post(write_journal))
        .route("/portal/intake", get(intake_page).post(submit_intake))
}

#[derive(Template)]
#[template(path = "portal.html")]
struct PortalPage {
    l: Layout,
    upcoming: Vec<Session>,
    due: Vec<Assessment>,
    instruments: Vec<InstrumentView>,
}

impl PortalPage {
    fn title(&self, id: &str) -> String {
        Catalogue::builtin()
            .get(id)
            .map(|i| i.title.get(self.l.tr.tag()).to_string())
            .unwrap_or_else(|| short_name(id))
    }
}

async fn portal(
    State(state): State<AppState>,
    ClientUser(ctx, actor, client_id): ClientUser,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let store = state.store();
    let now = ferd_store::now_ms();
    let upcoming = store
        .sessions(&actor, &client_id)
        .await?
        .into_iter()
        .filter(|s| s.status == "planned" && s.scheduled_at + s.duration_minutes * 60_000 >= now)
        .collect();
    let due = store.open_assessments(&actor, &client_id).await?;
    let responses = store.responses(&actor, &client_id).await?;
    html(&PortalPage {
        l: Layout::new(&ctx, "portal-title", "portal").with_notice(q.text(&ctx)),
        upcoming,
        due,
        instruments: instrument_views(&ctx, &responses, true),
    })
}

/// One item of the form as the template shows it.
#[derive(Debug)]
struct ItemView {
    key: String,
    number: usize,
    text: String,
    options: Vec<(i64, String)>,
    chosen: Option<i64>,
    missing: bool,
}

#[derive(Template)]
#[template(path = "questionnaire.html")]
struct QuestionnairePage {
    l: Layout,
    assessment_id: String,
    instrument: String,
    title: String,
    instructions: Option<String>,
    stem: String,
    recall: String,
    items: Vec<ItemView>,
    answered: usize,
    error: Option<String>,
    missing: Vec<(String, String)>,
    english_only: bool,
    licence: String,
}

fn form_page(
    ctx: &Ctx,
    a: &Assessment,
    ins: &Instrument,
    answers: &[Option<i64>],
    missing_keys: &[String],
    error: Option<String>,
) -> QuestionnairePage {
    let lang = ctx.tr.tag();
    let text = ins.text.get(lang).or_else(|| ins.text.get("en"));
    let items: Vec<ItemView> = ins
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| ItemView {
            key: item.key.clone(),
            number: i + 1,
            text: item.text.get(lang).to_string(),
            options: ins
                .answers_of(item)
                .options
                .iter()
                .map(|o| (i64::from(o.value), o.label.get(lang).to_string()))
                .collect(),
            chosen: answers.get(i).copied().flatten(),
            missing: missing_keys.contains(&item.key),
        })
        .collect();
    let missing = items
        .iter()
        .filter(|i| i.missing)
        .map(|i| (i.key.clone(), format!("{}. {}", i.number, i.text)))
        .collect();
    QuestionnairePage {
        l: Layout::new(ctx, "questionnaire-title", "portal"),
        assessment_id: a.id.clone(),
        instrument: ins.id.clone(),
        title: ins.title.get(lang).to_string(),
        instructions: text.and_then(|t| t.instructions.clone()),
        stem: text.map(|t| t.stem.clone()).unwrap_or_default(),
        recall: ins.recall.text.get(lang).to_string(),
        answered: answers.iter().filter(|a| a.is_some()).count(),
        items,
        error,
        missing,
        english_only: lang != "en" && !ins.translations.get(lang).is_some_and(|t| t.bundled),
        licence: ins.licence.statement.clone(),
    }
}

async fn open_assessment(
    state: &AppState,
    actor: &ferd_store::Actor,
    client_id: &str,
    id: &str,
) -> Result<Option<(Assessment, &'static Instrument)>, AppError> {
    let open = state.store().open_assessments(actor, client_id).await?;
    let Some(a) = open.into_iter().find(|a| a.id == id) else {
        return Ok(None);
    };
    let ins = Catalogue::builtin()
        .get(&a.instrument)
        .ok_or(AppError::NotFound)?;
    Ok(Some((a, ins)))
}

async fn questionnaire(
    State(state): State<AppState>,
    ClientUser(ctx, actor, client_id): ClientUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    match open_assessment(&state, &actor, &client_id, &id).await? {
        Some((a, ins)) => html(&form_page(&ctx, &a, ins, &[], &[], None)),
        None => Ok(see_other("/portal?notice=notice-already-answered")),
    }
}

#[derive(Template)]
#[template(path = "questionnaire_done.html")]
struct DonePage {
    l: Layout,
    title: String,
    crisis: bool,
}

async fn submit(
    State(state): State<AppState>,
    ClientUser(ctx, actor, client_id): ClientUser,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    // The form names its instrument; the store checks, in the transaction that stores the answers, that the
    // assessment is this client's, is still due, and is for this instrument. So a submission is one write, with no
    // read before it.
    let ins = form
        .get("instrument")
        .and_then(|i| Catalogue::builtin().get(i))
        .ok_or_else(|| AppError::BadRequest("instrument".into()))?;
    let a = Assessment {
        id: id.clone(),
        client_id: client_id.clone(),
        journey_id: None,
        instrument: ins.id.clone(),
        point: String::new(),
        due_at: 0,
        status: "due".into(),
    };
    // Answers by position; an answer that is not a number is treated as an answer out of range, which the core
    // refuses by name.
    let mut bad = vec![];
    let answers: Vec<Option<i64>> = ins
        .items
        .iter()
        .map(
            |item| match form.get(&format!("item-{}", item.key)).map(|v| v.trim()) {
                None | Some("") => None,
                Some(v) => match v.parse::<i64>() {
                    Ok(n) => Some(n),
                    Err(_) => {
                        bad.push(item.key.clone());
                        None
                    }
                },
            },
        )
        .collect();
    if !bad.is_empty() {
        let page = form_page(
            &ctx,
            &a,
            ins,
            &answers,
            &bad,
            Some(ctx.tr.t("questionnaire-invalid")),
        );
        return html_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    // The core judges completeness and range; the form only shows its verdict.
    if let Err(e) = ins.response(&answers) {
        let (keys, message) = match &e {
            ResponseError::Incomplete { missing, .. } => (
                missing.clone(),
                ctx.tr
                    .tn("questionnaire-missing", "count", missing.len() as i64),
            ),
            ResponseError::OutOfRange { item, .. } => {
                (vec![item.clone()], ctx.tr.t("questionnaire-invalid"))
            }
            ResponseError::NotAsked { items, .. } => {
                (items.clone(), ctx.tr.t("questionnaire-not-asked"))
            }
            _ => (vec![], ctx.tr.t("questionnaire-invalid")),
        };
        let page = form_page(&ctx, &a, ins, &answers, &keys, Some(message));
        return html_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let stored = match state
        .store()
        .record_response(
            &actor,
            &client_id,
            Some(&a.id),
            &ins.id,
            &answers,
            ferd_store::now_ms(),
        )
        .await
    {
        Ok(stored) => stored,
        // Sent twice (a double click, a second tab): the first one counts.
        Err(ferd_store::StoreError::Invalid {
            field: "assessment",
            ..
        }) => return Ok(see_other("/portal?notice=notice-already-answered")),
        Err(e) => return Err(e.into()),
    };
    let crisis = stored
        .summary
        .get("flags")
        .and_then(|f| f.as_array())
        .is_some_and(|f| f.iter().any(|x| x.as_str() == Some("suicidal-ideation")));
    html(&DonePage {
        l: Layout::new(&ctx, "questionnaire-done-title", "portal"),
        title: ins.title.get(ctx.tr.tag()).to_string(),
        crisis,
    })
}

#[derive(Template)]
#[template(path = "journal.html")]
struct JournalPage {
    l: Layout,
    entries: Vec<JournalEntry>,
    draft: String,
    error: Option<String>,
}

async fn journal(
    State(state): State<AppState>,
    ClientUser(ctx, actor, client_id): ClientUser,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let mut entries = state.store().journal(&actor, &client_id).await?;
    entries.reverse();
    html(&JournalPage {
        l: Layout::new(&ctx, "journal-title", "journal").with_notice(q.text(&ctx)),
        entries,
        draft: String::new(),
        error: None,
    })
}

#[derive(Debug, Deserialize)]
struct JournalForm {
    body: String,
    shared: Option<String>,
}

async fn write_journal(
    State(state): State<AppState>,
    ClientUser(ctx, actor, client_id): ClientUser,
    Form(form): Form<JournalForm>,
) -> Result<Response, AppError> {
    if form.body.trim().is_empty() || form.body.chars().count() > 100_000 {
        let mut entries = state.store().journal(&actor, &client_id).await?;
        entries.reverse();
        return html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &JournalPage {
                l: Layout::new(&ctx, "journal-title", "journal"),
                entries,
                draft: form.body,
                error: Some(ctx.tr.t("journal-empty")),
            },
        );
    }
    state
        .store()
        .add_journal_entry(&actor, &form.body, form.shared.as_deref() == Some("1"))
        .await?;
    Ok(see_other("/portal/journal?notice=notice-journal-saved"))
}

/// The conditions the intake form offers as checkboxes: the screening rule each one names (the rules also match
/// free text in Norwegian and English, for the "other" field). Family history and the person's own psychotic and
/// manic episodes are asked as questions of their own (see [`read_history`]).
const INTAKE_CONDITIONS: [&str; 17] = [
    "psychotic-disorder",
    "bipolar-1",
    "bipolar-2",
    "dissociative-identity-disorder",
    "eating-disorder-purging",
    "personality-disorder",
    "substance-use-disorder",
    "heart-disease",
    "arrhythmia",
    "qt-prolongation",
    "hypertension",
    "liver-disease-symptomatic",
    "hepatitis-c",
    "hyponatremia-history",
    "hyperthermia-history",
    "diabetes",
    "hyperthyroidism",
];

/// Rows for medicines on the form.
const MEDICINE_ROWS: usize = 8;

#[derive(Template)]
#[template(path = "intake.html")]
pub(super) struct IntakePage {
    l: Layout,
    conditions: Vec<&'static str>,
    rows: Vec<usize>,
    /// The family-history grid: one row per relative, one checkbox per illness (`parent:psychosis` …).
    relatives: Vec<&'static str>,
    family_conditions: Vec<&'static str>,
    error: Option<String>,
    /// What was sent, so that a form sent back for a correction keeps every answer.
    sent: Vec<(String, String)>,
    /// Where the form is sent: the client's own portal, or a client's page when staff enter a paper form.
    action: String,
    /// Staff entering a client's paper form (the texts address the therapist, not the client).
    for_staff: bool,
}

impl IntakePage {
    /// The value sent for a field ("" when none).
    fn value(&self, name: &str) -> &str {
        self.sent
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Whether a checkbox or radio button with this name and value was sent.
    fn sent_with(&self, name: &str, value: &str) -> bool {
        self.sent.iter().any(|(n, v)| n == name && v == value)
    }
}

/// The health form, for the client (`for_staff` false) or for staff entering a paper form; `sent` is what came with
/// a form that needs correcting (empty for a new form).
pub(super) fn intake_form(
    ctx: &Ctx,
    action: String,
    for_staff: bool,
    error: Option<String>,
    sent: &[(String, String)],
) -> Result<Response, AppError> {
    use ferd_core::screening::{FamilyCondition, Relative};
    let page = IntakePage {
        l: Layout::new(
            ctx,
            "intake-title",
            if for_staff { "clients" } else { "portal" },
        ),
        conditions: INTAKE_CONDITIONS.to_vec(),
        rows: (0..MEDICINE_ROWS).collect(),
        relatives: Relative::ALL.iter().map(|r| r.id()).collect(),
        family_conditions: FamilyCondition::ALL.iter().map(|c| c.id()).collect(),
        error: error.clone(),
        sent: sent.to_vec(),
        action,
        for_staff,
    };
    if error.is_some() {
        html_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
    } else {
        html(&page)
    }
}

async fn intake_page(ClientUser(ctx, _, _): ClientUser) -> Result<Response, AppError> {
    intake_form(&ctx, "/portal/intake".into(), false, None, &[])
}

async fn submit_intake(
    State(state): State<AppState>,
    ClientUser(ctx, actor, client_id): ClientUser,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    match record_intake(&state, &ctx, &actor, &client_id, &form).await? {
        Ok(()) => Ok(see_other("/portal?notice=notice-intake-sent")),
        Err(problem) => intake_form(&ctx, "/portal/intake".into(), false, Some(problem), &form),
    }
}

/// Reads the psychiatric-history questions of the health form into `facts`: psychosis or bipolar disorder in
/// parents, siblings or children (`family` = no / yes / unknown, with `family_entry` boxes such as
/// `parent:bipolar`), and the person's own psychotic (`psychosis` = no / yes / unknown) and manic episodes (`mania`
/// = no / mania / hypomania / unknown), each with a box for "only with a substance". Every question must be
/// answered, and an answer must agree with its boxes; what does not is added to `problems`, naming the question.
fn read_history(
    ctx: &Ctx,
    form: &[(String, String)],
    facts: &mut ferd_core::screening::IntakeFacts,
    problems: &mut Vec<String>,
) {
    use ferd_core::screening::{EpisodeKind, FamilyHistory, HistoryQuestion, PastEpisode};
    let one = |k: &str| -> Option<&str> {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    let entries: Vec<FamilyHistory> = form
        .iter()
        .filter(|(n, _)| n == "family_entry")
        .filter_map(|(_, v)| FamilyHistory::parse(v).ok())
        .collect();
    match one("family") {
        Some("yes") if entries.is_empty() => problems.push(ctx.tr.t("intake-family-which")),
        Some("yes") => {
            for e in entries {
                if !facts.family_history.contains(&e) {
                    facts.family_history.push(e);
                }
            }
        }
        Some(answer @ ("no" | "unknown")) => {
            if !entries.is_empty() {
                problems.push(ctx.tr.t("intake-family-contradiction"));
            } else if answer == "unknown" {
                facts.unknown_history.push(HistoryQuestion::Family);
            }
        }
        _ => problems.push(ctx.tr.t("intake-family-unanswered")),
    }
    let questions = [
        ("psychosis", HistoryQuestion::Psychosis),
        ("mania", HistoryQuestion::Mania),
    ];
    for (name, question) in questions {
        let substance = one(&format!("{name}_substance")) == Some("1");
        let kind = match (name, one(name)) {
            ("psychosis", Some("yes")) => Some(EpisodeKind::Psychosis),
            ("mania", Some("mania")) => Some(EpisodeKind::Mania),
            ("mania", Some("hypomania")) => Some(EpisodeKind::Hypomania),
            (_, Some(answer @ ("no" | "unknown"))) => {
                if substance {
                    problems.push(ctx.tr.t(&format!("intake-{name}-substance-without-yes")));
                } else if answer == "unknown" {
                    facts.unknown_history.push(question);
                }
                None
            }
            _ => {
                problems.push(ctx.tr.t(&format!("intake-{name}-unanswered")));
                None
            }
        };
        if let Some(kind) = kind {
            facts.episodes.push(PastEpisode {
                kind,
                substance_induced: substance,
            });
        }
    }
}

/// Reads the health form, runs the screening rules and stores both; `Ok(Err(problem))` names what to correct, with
/// nothing stored.
pub(super) async fn record_intake(
    state: &AppState,
    ctx: &Ctx,
    actor: &ferd_store::Actor,
    client_id: &str,
    form: &[(String, String)],
) -> Result<Result<(), String>, AppError> {
    use ferd_core::screening::{screen, BloodPressure, Day, IntakeFacts, Medication, SubstanceUse};
    let get = |k: &str| {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let today_ms = ferd_store::now_ms();
    let iso = ctx.tr.iso_date(today_ms);
    let today = Day::parse(&iso).map_err(|_| AppError::Internal("today".into()))?;
    let mut facts = IntakeFacts::new(today);
    let mut problems = vec![];
    for i in 0..MEDICINE_ROWS {
        let name = get(&format!("med-{i}"));
        if name.is_empty() {
            continue;
        }
        let stop = get(&format!("med-{i}-stopped"));
        let stopped = if stop.is_empty() {
            None
        } else {
            match Day::parse(&stop) {
                Ok(d) => Some(d),
                Err(_) => {
                    problems.push(ctx.tr.t1("intake-bad-date", "name", &name));
                    None
                }
            }
        };
        facts.medications.push(Medication { name, stopped });
    }
    for (k, v) in form {
        if k == "condition" && INTAKE_CONDITIONS.contains(&v.as_str()) {
            facts.conditions.push(v.clone());
        }
    }
    for line in get("other_conditions")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        facts.conditions.push(line.to_string());
    }
    for line in get("substances")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        facts.substances.push(SubstanceUse {
            substance: line.to_string(),
            last_used: None,
            disorder: None,
        });
    }
    read_history(ctx, form, &mut facts, &mut problems);
    facts.pregnant = get("pregnant") == "1";
    facts.breastfeeding = get("breastfeeding") == "1";
    let age = get("age");
    if !age.is_empty() {
        match age.parse::<u32>() {
            Ok(a) if (1..=120).contains(&a) => facts.age = Some(a),
            _ => problems.push(ctx.tr.t("intake-bad-age")),
        }
    }
    let bp = get("blood_pressure");
    if !bp.is_empty() {
        match BloodPressure::parse(&bp) {
            Ok(b) => facts.blood_pressure = Some(b),
            Err(_) => problems.push(ctx.tr.t("intake-bad-blood-pressure")),
        }
    }
    if !problems.is_empty() {
        return Ok(Err(problems.join(" ")));
    }
    // The answers as given, and the findings the rules gave; the clinician sees both.
    let answers = serde_json::json!({
        "medications": facts.medications.iter().map(|m| serde_json::json!({"name": m.name, "stopped": m.stopped.map(|d| d.to_string())})).collect::<Vec<_>>(),
        "conditions": facts.conditions,
        "substances": facts.substances.iter().map(|s| s.substance.clone()).collect::<Vec<_>>(),
        "pregnant": facts.pregnant,
        "breastfeeding": facts.breastfeeding,
        "age": facts.age,
        "blood_pressure": bp,
        "family_history": facts.family_history.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "episodes": facts.episodes.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "unknown_history": facts.unknown_history.iter().map(|q| q.id()).collect::<Vec<_>>(),
    });
    let findings = screen(&facts);
    let (record, worst) = crate::screening::findings_record(&findings);
    state
        .store()
        .record_screening(
            actor,
            client_id,
            &answers.to_string(),
            &record.to_string(),
            worst.as_deref(),
        )
        .await?;
    Ok(Ok(()))
}

//! The practice's outcome report (`/report`, with `/report.csv` and `/report.json`) for therapists and admins, and
//! the public evidence page that draws the comparison of MDMA-assisted therapy with prolonged exposure
//! (`/<lang>/evidence/prolonged-exposure`). The numbers come from ferd-core; this file only lays them out.

use askama::Template;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use ferd_core::evidence::{phase3_effects, prolonged_exposure_comparison, EffectRow, Evidence};
use ferd_core::outcomes::report::{benchmark_trials, OutcomeReport};
use ferd_core::outcomes::OutcomeSummary;
use ferd_core::stats::effect::mean_ci;

use super::site::SiteLayout;
use crate::context::{Ctx, Staff};
use crate::error::AppError;
use crate::forest::{forest, histogram, ForestLabels, ForestRow, HistogramLabels};
use crate::i18n::{Lang, Tr};
use crate::views::{html, Layout};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    let mut r = Router::new()
        .route("/report", get(report))
        .route("/report.csv", get(report_csv))
        .route("/report.json", get(report_json));
    for lang in Lang::ALL {
        r = r.route(
            &format!("/{}/evidence/prolonged-exposure", lang.tag()),
            get(move |state: State<AppState>, ctx: Ctx| evidence(state, ctx, lang)),
        );
    }
    r
}

/// A number in the reader's style: `1,17` in Norwegian and Swedish, `1.17` in English; a minus sign, not a hyphen.
pub fn num(tr: &Tr, x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let s = format!("{x:.decimals$}").replace('-', "−");
    if tr.decimal_comma() {
        s.replace('.', ",")
    } else {
        s
    }
}

fn opt(tr: &Tr, x: Option<f64>, decimals: usize) -> String {
    x.map_or_else(|| "–".into(), |v| num(tr, v, decimals))
}

/// A share as a whole percentage, half rounded up (1 of 8 is 13 %, as a reader would round it; `format!` alone
/// would round half to even and print 12).
fn pct(tr: &Tr, x: Option<f64>) -> String {
    x.map_or_else(
        || "–".into(),
        |v| format!("{} %", num(tr, (v * 100.0).round(), 0)),
    )
}

/// An estimate with its interval as text: `1.17 (0.40 to 1.94)`.
fn with_ci(tr: &Tr, est: f64, lo: f64, hi: f64, decimals: usize) -> String {
    tr.t2(
        "report-ci",
        "estimate",
        &num(tr, est, decimals),
        "interval",
        &format!("{} – {}", num(tr, lo, decimals), num(tr, hi, decimals)),
    )
}

/// One instrument's summary, as the page's table shows it.
struct InstrumentView {
    id: String,
    name: String,
    clients: usize,
    rows: Vec<(String, String)>,
    histogram: String,
}

struct TrialArmView {
    study: String,
    arm: String,
    n: String,
    change: String,
    no_longer: String,
    remission: String,
    dropout: String,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    l: Layout,
    whole_practice: bool,
    instruments: Vec<InstrumentView>,
    dropout: String,
    forest: String,
    trials: Vec<TrialArmView>,
    any: bool,
}

fn instrument_view(tr: &Tr, s: &OutcomeSummary) -> InstrumentView {
    let name = ferd_core::Catalogue::builtin()
        .require(&s.instrument)
        .map_or_else(|_| s.instrument.clone(), |i| i.short_name.clone());
    let c = s.change.as_ref();
    let mut rows = vec![
        (tr.t("report-clients"), s.clients.to_string()),
        (
            tr.t("report-baseline"),
            tr.t2(
                "report-mean-sd",
                "mean",
                &opt(tr, s.baseline.mean, 1),
                "sd",
                &opt(tr, s.baseline.sd, 1),
            ),
        ),
        (
            tr.t("report-latest"),
            tr.t2(
                "report-mean-sd",
                "mean",
                &opt(tr, s.latest.mean, 1),
                "sd",
                &opt(tr, s.latest.sd, 1),
            ),
        ),
        (tr.t("report-pairs"), s.latest.n.to_string()),
    ];
    match c {
        Some(c) => {
            rows.push((tr.t("report-mean-change"), num(tr, c.mean_change, 1)));
            rows.push((
                tr.t("report-d-z"),
                with_ci(tr, c.d_z.estimate, c.d_z.ci_low, c.d_z.ci_high, 2),
            ));
            rows.push((
                tr.t("report-d-av"),
                with_ci(tr, c.d_av.estimate, c.d_av.ci_low, c.d_av.ci_high, 2),
            ));
        }
        None => rows.push((tr.t("report-change"), tr.t("report-too-few"))),
    }
    rows.push((
        tr.t("report-reliable-improvement"),
        pct(tr, s.reliable_improvement.proportion),
    ));
    rows.push((
        tr.t("report-reliable-deterioration"),
        pct(tr, s.reliable_deterioration.proportion),
    ));
    rows.push((tr.t("report-recovered"), pct(tr, s.recovered.proportion)));
    if let Some(p) = s.no_longer_meets_pattern {
        rows.push((
            tr.t("report-no-longer-pattern"),
            format!(
                "{} ({})",
                pct(tr, p.proportion),
                tr.t2("report-of", "count", &p.count, "of", &p.of)
            ),
        ));
    }
    let hist = if s.changes.is_empty() {
        String::new()
    } else {
        let width = if s.instrument == "pcl-5" { 5.0 } else { 2.0 };
        histogram(
            &format!("hist-{}", s.instrument),
            &s.changes,
            width,
            &HistogramLabels {
                title: tr.t1("report-hist-title", "instrument", &name),
                description: tr.t2(
                    "report-hist-desc",
                    "instrument",
                    &name,
                    "count",
                    &s.changes.len(),
                ),
                x_axis: tr.t1("report-hist-x", "instrument", &name),
                y_axis: tr.t("report-hist-y"),
            },
        )
    };
    InstrumentView {
        id: s.instrument.clone(),
        name,
        clients: s.clients,
        rows,
        histogram: hist,
    }
}

/// The forest-style comparison: the practice's mean PCL-5 change beside each trial arm's CAPS-5 change.
fn change_forest(tr: &Tr, report: &OutcomeReport) -> String {
    let mut rows = Vec::new();
    if let Some(c) = report.outcome("pcl-5").and_then(|s| s.change) {
        if let Some((lo, hi)) = mean_ci(c.mean_change, c.sd_change, c.n) {
            rows.push(ForestRow {
                label: tr.t1("report-forest-practice", "n", &c.n),
                value_text: with_ci(tr, c.mean_change, lo, hi, 1),
                estimate: c.mean_change,
                ci_low: lo,
                ci_high: hi,
                own: true,
                heading: false,
            });
        }
    }
    for study in benchmark_trials() {
        for arm in &study.arms {
            let Some(m) = arm.change_mean else { continue };
            let n = arm.n_analysed.or(arm.n_completed).or(arm.n_randomised);
            let ci = match (arm.change_ci, arm.change_sd, n) {
                (Some([lo, hi]), _, _) => Some((lo, hi)),
                (None, Some(sd), Some(n)) => mean_ci(m, sd, n as usize),
                _ => None,
            };
            let Some((lo, hi)) = ci else { continue };
            let arm_name = if arm.id == "mdma" {
                tr.t("report-arm-mdma")
            } else {
                tr.t("report-arm-placebo")
            };
            rows.push(ForestRow {
                label: format!("{} · {arm_name} (n = {})", study.short_name, n.unwrap_or(0)),
                value_text: with_ci(tr, m, lo, hi, 1),
                estimate: m,
                ci_low: lo,
                ci_high: hi,
                own: false,
                heading: false,
            });
        }
    }
    forest(
        "forest-change",
        &rows,
        &ForestLabels {
            title: tr.t("report-forest-title"),
            description: tr.t("report-forest-desc"),
            axis: tr.t("report-forest-axis"),
        },
        tr.decimal_comma(),
    )
}

async fn report(
    State(state): State<AppState>,
    Staff(ctx, actor): Staff,
) -> Result<Response, AppError> {
    let r = state.store().outcome_report(&actor).await?;
    let tr = &ctx.tr;
    let instruments: Vec<InstrumentView> =
        r.outcomes.iter().map(|s| instrument_view(tr, s)).collect();
    let any = r.outcomes.iter().any(|s| s.clients > 0);
    let trials = benchmark_trials()
        .iter()
        .flat_map(|s| {
            s.arms.iter().map(move |a| TrialArmView {
                study: s.short_name.clone(),
                arm: if a.id == "mdma" {
                    tr.t("report-arm-mdma")
                } else {
                    tr.t("report-arm-placebo")
                },
                n: a.n_analysed
                    .or(a.n_completed)
                    .or(a.n_randomised)
                    .map_or_else(|| "–".into(), |n| n.to_string()),
                change: match (a.change_mean, a.change_sd, a.change_ci) {
                    (Some(m), _, Some([lo, hi])) => with_ci(tr, m, lo, hi, 1),
                    (Some(m), Some(sd), None) => tr.t2(
                        "report-mean-sd",
                        "mean",
                        &num(tr, m, 1),
                        "sd",
                        &num(tr, sd, 1),
                    ),
                    (Some(m), None, None) => num(tr, m, 1),
                    _ => "–".into(),
                },
                no_longer: pct(tr, a.no_longer_meets_diagnosis),
                remission: pct(tr, a.remission),
                dropout: pct(tr, a.dropout),
            })
        })
        .collect();
    let dropout = if r.dropout.of == 0 {
        tr.t("report-dropout-none")
    } else {
        tr.t2(
            "report-dropout",
            "count",
            &r.dropout.count,
            "of",
            &format!("{} ({})", r.dropout.of, pct(tr, r.dropout.proportion)),
        )
    };
    html(&ReportPage {
        whole_practice: actor.role == ferd_store::Role::Admin || actor.practice_admin,
        forest: change_forest(tr, &r),
        instruments,
        dropout,
        trials,
        any,
        l: Layout::new(&ctx, "report-title", "report"),
    })
}

fn download(body: String, mime: &'static str, file: &'static str) -> Response {
    let mut r = body.into_response();
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(mime));
    r.headers_mut().insert(
        CONTENT_DISPOSITION,
        HeaderValue::from_static(match file {
            "csv" => "attachment; filename=\"ferd-outcomes.csv\"",
            _ => "attachment; filename=\"ferd-outcomes.json\"",
        }),
    );
    r
}

async fn report_csv(
    State(state): State<AppState>,
    Staff(_, actor): Staff,
) -> Result<Response, AppError> {
    let r = state.store().outcome_report(&actor).await?;
    Ok(download(r.to_csv(), "text/csv; charset=utf-8", "csv"))
}

async fn report_json(
    State(state): State<AppState>,
    Staff(_, actor): Staff,
) -> Result<Response, AppError> {
    let r = state.store().outcome_report(&actor).await?;
    let body = serde_json::to_string_pretty(&r.to_json())
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(body, "application/json", "json"))
}

/// A source of the evidence page.
struct SourceView {
    id: String,
    text: String,
    url: String,
}

#[derive(Template)]
#[template(path = "site/evidence_pe.html")]
struct EvidencePage {
    l: SiteLayout,
    reviewed: String,
    pe_forest: String,
    phase3_forest: String,
    sources: Vec<SourceView>,
}

fn effect_rows(tr: &Tr, rows: &[EffectRow], grouped: bool) -> Vec<ForestRow> {
    let mut out = Vec::new();
    let mut last = "";
    for r in rows {
        if grouped && r.rating != last {
            out.push(ForestRow {
                label: tr.t(if r.rating == "clinician" {
                    "evidence-pe-clinician"
                } else {
                    "evidence-pe-self-report"
                }),
                value_text: String::new(),
                estimate: f64::NAN,
                ci_low: f64::NAN,
                ci_high: f64::NAN,
                own: false,
                heading: true,
            });
            last = r.rating;
        }
        let label = match r.label.as_str() {
            l if l.starts_with("MDMA") => tr.t1("evidence-pe-mdma", "n", &r.n),
            l if l.starts_with("Prolonged") => tr.t1("evidence-pe-pe", "n", &r.n),
            other => format!("{other} (n = {})", r.n),
        };
        out.push(ForestRow {
            label,
            value_text: with_ci(tr, r.estimate, r.ci_low, r.ci_high, 2),
            estimate: r.estimate,
            ci_low: r.ci_low,
            ci_high: r.ci_high,
            own: false,
            heading: false,
        });
    }
    out
}

async fn evidence(
    State(state): State<AppState>,
    ctx: Ctx,
    lang: Lang,
) -> Result<Response, AppError> {
    let tr = Tr::new(state.0.i18n.clone(), lang, ctx.tr.time_zone().clone());
    let name = super::site::practice_name(&super::site::practice(&state).await?);
    let reviewed = state
        .site()
        .page(lang, "evidence")
        .map(|s| s.page.reviewed.clone())
        .unwrap_or_default();
    let l = super::site::layout(
        &state,
        &ctx,
        lang,
        &name,
        "evidence/prolonged-exposure",
        tr.t("evidence-pe-title"),
        tr.t("evidence-pe-description"),
    );
    let pe_forest = forest(
        "forest-pe",
        &effect_rows(&tr, &prolonged_exposure_comparison(), true),
        &ForestLabels {
            title: tr.t("evidence-pe-forest-title"),
            description: tr.t("evidence-pe-forest-desc"),
            axis: tr.t("evidence-pe-axis"),
        },
        tr.decimal_comma(),
    );
    let phase3_forest = forest(
        "forest-phase3",
        &effect_rows(&tr, &phase3_effects(), false),
        &ForestLabels {
            title: tr.t("evidence-phase3-forest-title"),
            description: tr.t("evidence-phase3-forest-desc"),
            axis: tr.t("evidence-phase3-axis"),
        },
        tr.decimal_comma(),
    );
    let mut sources = Vec::new();
    for id in ["amoroso-2016-vs-pe", "mapp1", "mapp2"] {
        if let Some(s) = Evidence::builtin().get(id) {
            for src in &s.sources {
                sources.push(SourceView {
                    id: format!("{id}-{}", src.id.to_lowercase()),
                    text: src.citation.clone(),
                    url: src.url.clone(),
                });
            }
        }
    }
    html(&EvidencePage {
        l,
        reviewed,
        pe_forest,
        phase3_forest,
        sources,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::i18n::I18n;

    fn tr(lang: Lang) -> Tr {
        Tr::new(
            Arc::new(I18n::load().unwrap()),
            lang,
            jiff::tz::TimeZone::UTC,
        )
    }

    #[test]
    fn shares_round_half_up_and_numbers_follow_the_reader_s_language() {
        // 1 of 8 = 12.5 % → 13 %, as a reader rounds; 0.5 % → 1 %.
        assert_eq!(pct(&tr(Lang::En), Some(0.125)), "13 %");
        assert_eq!(pct(&tr(Lang::En), Some(0.005)), "1 %");
        assert_eq!(pct(&tr(Lang::En), None), "–");
        assert_eq!(num(&tr(Lang::Nb), -1.25, 2), "−1,25");
        assert_eq!(num(&tr(Lang::En), -1.25, 2), "−1.25");
        assert_eq!(num(&tr(Lang::Sv), -1.25, 2), "−1,25");
        assert_eq!(pct(&tr(Lang::Sv), Some(0.125)), "13 %");
    }
}

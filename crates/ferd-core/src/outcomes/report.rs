//! The practice's outcome report: PCL-5, PHQ-9 and GAD-7 summaries from every client's first and latest response,
//! the dropout among journeys that reached treatment, and the published trial arms beside them — as data, CSV and
//! JSON, so the command line and the web page show the same numbers from one computation.

use serde::Serialize;
use serde_json::json;

use super::{summarize, OutcomeSummary, Series, Share};
use crate::evidence::{Evidence, Study};
use crate::journey::Phase;
use crate::Catalogue;

/// The instruments the report covers, in the order it shows them.
pub const INSTRUMENTS: [&str; 3] = ["pcl-5", "phq-9", "gad-7"];

/// The caveat that goes with every comparison (the web page says it in the reader's language).
pub const CAVEAT: &str = "The trials measured PTSD with the clinician-rated CAPS-5 and selected their participants \
(severity, no psychosis or bipolar disorder, medication tapered, and more); this practice's clients fill in the \
self-reported PCL-5. The numbers show the practice beside the trials, not a like-for-like comparison.";

/// A stored response that no longer validates against its instrument (the report refuses to guess).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a stored {instrument} response no longer validates: {reason}")]
pub struct ReportError {
    pub instrument: String,
    pub reason: String,
}

/// Builds the report from responses that arrive ordered by client, instrument and time. Only each client's first
/// and latest response per instrument are kept, so memory stays flat however many responses there are.
#[derive(Debug, Default)]
pub struct ReportBuilder {
    series: [Vec<Series<'static>>; 3],
    last: Option<(String, usize)>,
    journeys: Vec<(JourneyEnd, Phase)>,
}

/// How a journey stands, for the dropout count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JourneyEnd {
    /// Under way or paused.
    Ongoing,
    Completed,
    /// The client left.
    Withdrawn,
    /// Referred to someone else (not counted as dropout: they did not start here, or were sent on).
    Referred,
}

impl ReportBuilder {
    pub fn new() -> ReportBuilder {
        ReportBuilder::default()
    }

    /// Adds one response. Rows of other instruments are skipped.
    pub fn push(
        &mut self,
        client_id: &str,
        instrument: &str,
        answers: &[Option<i64>],
    ) -> Result<(), ReportError> {
        let Some(k) = INSTRUMENTS.iter().position(|i| *i == instrument) else {
            return Ok(());
        };
        let ins = Catalogue::builtin()
            .require(INSTRUMENTS[k])
            .map_err(|e| ReportError {
                instrument: instrument.to_string(),
                reason: e.to_string(),
            })?;
        let scored = ins
            .response(answers)
            .map_err(|e| ReportError {
                instrument: instrument.to_string(),
                reason: e.to_string(),
            })?
            .score();
        let same = self
            .last
            .as_ref()
            .is_some_and(|(c, i)| *i == k && c == client_id);
        let list = &mut self.series[k];
        match list.last_mut() {
            Some(s) if same => {
                s.truncate(1);
                s.push(scored);
            }
            _ => {
                list.push(vec![scored]);
                self.last = Some((client_id.to_string(), k));
            }
        }
        Ok(())
    }

    /// Adds one client's first and latest response to an instrument (`latest` is `None` when there is only one),
    /// for a reader that keeps just those two per client. Clients may come in any order.
    pub fn push_ends(
        &mut self,
        instrument: &str,
        first: &[Option<i64>],
        latest: Option<&[Option<i64>]>,
    ) -> Result<(), ReportError> {
        let Some(k) = INSTRUMENTS.iter().position(|i| *i == instrument) else {
            return Ok(());
        };
        let ins = Catalogue::builtin()
            .require(INSTRUMENTS[k])
            .map_err(|e| ReportError {
                instrument: instrument.to_string(),
                reason: e.to_string(),
            })?;
        let score = |answers: &[Option<i64>]| {
            ins.response(answers)
                .map(|r| r.score())
                .map_err(|e| ReportError {
                    instrument: instrument.to_string(),
                    reason: e.to_string(),
                })
        };
        let mut series = vec![score(first)?];
        if let Some(l) = latest {
            series.push(score(l)?);
        }
        self.series[k].push(series);
        // A later `push` starts a new client.
        self.last = None;
        Ok(())
    }

    /// Adds one journey: how it stands and the phase it is in (or left from).
    pub fn journey(&mut self, end: JourneyEnd, phase: Phase) {
        self.journeys.push((end, phase));
    }

    /// The report.
    pub fn finish(self) -> OutcomeReport {
        let outcomes = INSTRUMENTS
            .iter()
            .zip(&self.series)
            .map(|(id, series)| {
                let ins = Catalogue::builtin()
                    .require(id)
                    .expect("the report's instruments are built in");
                summarize(ins, series)
            })
            .collect();
        // Dropout as the trials count it: among those who started treatment (reached preparation), the share who
        // left. Journeys still before preparation, and referrals elsewhere, are not counted.
        let started: Vec<&(JourneyEnd, Phase)> = self
            .journeys
            .iter()
            .filter(|(end, phase)| {
                *end != JourneyEnd::Referred
                    && (*end == JourneyEnd::Completed || *phase >= Phase::Preparation)
            })
            .collect();
        let left = started
            .iter()
            .filter(|(end, _)| *end == JourneyEnd::Withdrawn)
            .count();
        OutcomeReport {
            outcomes,
            dropout: Share::new(left, started.len()),
        }
    }
}

/// The practice's outcomes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeReport {
    /// One summary per instrument of [`INSTRUMENTS`].
    pub outcomes: Vec<OutcomeSummary>,
    /// Among journeys that reached preparation (or completed): the share withdrawn.
    pub dropout: Share,
}

/// The trials with arms to compare against (valid ones only: retracted results are never benchmarks).
pub fn benchmark_trials() -> Vec<&'static Study> {
    Evidence::builtin()
        .benchmarks()
        .filter(|s| s.arms.iter().any(|a| a.change_mean.is_some()))
        .collect()
}

fn opt(v: Option<f64>) -> String {
    v.map_or_else(String::new, |x| format!("{x:.4}"))
}

impl OutcomeReport {
    /// The summary of one instrument.
    pub fn outcome(&self, instrument: &str) -> Option<&OutcomeSummary> {
        self.outcomes.iter().find(|o| o.instrument == instrument)
    }

    /// The report as JSON: the outcomes, the dropout, the trial arms and the caveat.
    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "outcomes": self.outcomes,
            "dropout": self.dropout,
            "trials": benchmark_trials().iter().map(|s| json!({
                "study": s.short_name,
                "citation": s.citation,
                "outcome": s.outcome,
                "arms": s.arms.iter().map(|a| json!({
                    "arm": a.label,
                    "n": a.n_analysed.or(a.n_completed).or(a.n_randomised),
                    "change_mean": a.change_mean,
                    "change_sd": a.change_sd,
                    "change_ci": a.change_ci,
                    "no_longer_meets_diagnosis": a.no_longer_meets_diagnosis,
                    "remission": a.remission,
                    "dropout": a.dropout,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "caveat": CAVEAT,
        })
    }

    /// The report as CSV: one row per instrument (the dropout, which is the practice's, on every row).
    pub fn to_csv(&self) -> String {
        let mut o = String::from(
            "instrument,clients,baseline_n,baseline_mean,baseline_sd,latest_n,latest_mean,latest_sd,mean_change,d_z,d_z_ci_low,d_z_ci_high,d_av,reliable_improvement,reliable_deterioration,recovered,no_longer_meets_pattern,dropout,dropout_of\n",
        );
        for s in &self.outcomes {
            let c = s.change.as_ref();
            o.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                s.instrument,
                s.clients,
                s.baseline.n,
                opt(s.baseline.mean),
                opt(s.baseline.sd),
                s.latest.n,
                opt(s.latest.mean),
                opt(s.latest.sd),
                opt(c.map(|c| c.mean_change)),
                opt(c.map(|c| c.d_z.estimate)),
                opt(c.map(|c| c.d_z.ci_low)),
                opt(c.map(|c| c.d_z.ci_high)),
                opt(c.map(|c| c.d_av.estimate)),
                opt(s.reliable_improvement.proportion),
                opt(s.reliable_deterioration.proportion),
                opt(s.recovered.proportion),
                opt(s.no_longer_meets_pattern.and_then(|p| p.proportion)),
                opt(self.dropout.proportion),
                self.dropout.of,
            ));
        }
        o.trim_end().to_string()
    }
}

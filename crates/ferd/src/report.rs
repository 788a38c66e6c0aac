//! `ferd report outcomes`: the practice's outcomes on the PCL-5, PHQ-9 and GAD-7 beside the published trial arms.
//! The store reads, ferd-core scores and summarises; this file only groups rows and renders.

use ferd_core::evidence::Evidence;
use ferd_core::outcomes::{summarize, OutcomeSummary, Series};
use ferd_core::Catalogue;
use ferd_store::{Actor, ReportRow};
use serde_json::json;

use crate::admin::Settings;
use crate::Failure;

const INSTRUMENTS: [&str; 3] = ["pcl-5", "phq-9", "gad-7"];

/// The caveat printed with every comparison.
pub const CAVEAT: &str = "The trials measured PTSD with the clinician-rated CAPS-5 and selected their participants \
(severity, no psychosis or bipolar disorder, medication tapered, and more); this practice's clients fill in the \
self-reported PCL-5. The numbers show the practice beside the trials, not a like-for-like comparison.";

/// Folds ordered rows into each client's first and latest response per instrument, scored by ferd-core; only
/// those two are kept, so memory stays flat.
pub struct Accumulator {
    series: Vec<Vec<Series<'static>>>,
    last: Option<(String, usize)>,
}

impl Accumulator {
    pub fn new() -> Accumulator {
        Accumulator {
            series: INSTRUMENTS.iter().map(|_| Vec::new()).collect(),
            last: None,
        }
    }

    /// Adds one row (rows arrive ordered by client, instrument and time).
    pub fn push(&mut self, row: &ReportRow) -> Result<(), Failure> {
        let Some(k) = INSTRUMENTS.iter().position(|i| *i == row.instrument) else {
            return Ok(()); // instruments the report does not cover
        };
        let ins = Catalogue::builtin()
            .require(INSTRUMENTS[k])
            .map_err(|e| Failure::input(e.to_string()))?;
        let scored = ins
            .response(&row.answers)
            .map_err(|e| Failure {
                message: format!("a stored {} response no longer validates: {e}", ins.id),
                code: 1,
            })?
            .score();
        let same = self
            .last
            .as_ref()
            .is_some_and(|(c, i)| *i == k && *c == row.client_id);
        let list = &mut self.series[k];
        match list.last_mut() {
            Some(s) if same => {
                s.truncate(1);
                s.push(scored);
            }
            _ => {
                list.push(vec![scored]);
                self.last = Some((row.client_id.clone(), k));
            }
        }
        Ok(())
    }

    /// The summaries, one per instrument.
    pub fn finish(self) -> Result<Vec<OutcomeSummary>, Failure> {
        INSTRUMENTS
            .iter()
            .zip(&self.series)
            .map(|(id, series)| {
                let ins = Catalogue::builtin()
                    .require(id)
                    .map_err(|e| Failure::input(e.to_string()))?;
                Ok(summarize(ins, series))
            })
            .collect()
    }
}

fn trials() -> serde_json::Value {
    json!(Evidence::builtin()
        .benchmarks()
        .filter(|s| s.arms.iter().any(|a| a.change_mean.is_some()))
        .map(|s| json!({
            "study": s.short_name,
            "citation": s.citation,
            "outcome": s.outcome,
            "arms": s.arms.iter().map(|a| json!({
                "arm": a.label,
                "n": a.n_analysed.or(a.n_completed).or(a.n_randomised),
                "change_mean": a.change_mean,
                "change_sd": a.change_sd,
                "no_longer_meets_diagnosis": a.no_longer_meets_diagnosis,
                "remission": a.remission,
                "dropout": a.dropout,
            })).collect::<Vec<_>>(),
        }))
        .collect::<Vec<_>>())
}

fn opt(v: Option<f64>) -> String {
    v.map_or_else(String::new, |x| format!("{x:.4}"))
}

/// Renders the report as JSON or CSV.
pub fn render(summaries: &[OutcomeSummary], csv: bool) -> Result<String, Failure> {
    if !csv {
        return serde_json::to_string_pretty(&json!({
            "outcomes": summaries,
            "trials": trials(),
            "caveat": CAVEAT,
        }))
        .map_err(|e| Failure::input(e.to_string()));
    }
    let mut o = String::from(
        "instrument,clients,baseline_n,baseline_mean,baseline_sd,latest_n,latest_mean,latest_sd,mean_change,d_z,d_z_ci_low,d_z_ci_high,d_av,reliable_improvement,reliable_deterioration,recovered,no_longer_meets_pattern\n",
    );
    for s in summaries {
        let c = s.change.as_ref();
        o.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
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
        ));
    }
    Ok(o.trim_end().to_string())
}

/// `ferd report outcomes`.
pub async fn outcomes(settings: &Settings, csv: bool) -> Result<String, Failure> {
    let store = settings.open().await?;
    let actor = Actor::system(format!("cli-{}", uuid::Uuid::new_v4()));
    let mut acc = Accumulator::new();
    let mut failure = None;
    let read = store
        .each_response_for_report(&actor, |row| {
            acc.push(&row).map_err(|f| {
                let message = f.message.clone();
                failure = Some(f);
                ferd_store::StoreError::Database(message)
            })
        })
        .await;
    store.close().await;
    if let Some(f) = failure {
        return Err(f);
    }
    read.map_err(Failure::from_store)?;
    render(&acc.finish()?, csv)
}

//! The practice's outcomes on one instrument: for every client with a response, the first (baseline) and the latest
//! response; within-group change with effect sizes; the shares with reliable improvement, recovery and loss of the
//! provisional-diagnosis pattern — all through the instrument's own rules ([`Instrument::change`]), never
//! re-implemented here.

use serde::Serialize;

pub mod report;

use crate::instruments::{ChangeClass, Instrument, Scored};
use crate::stats::effect::{mean, paired_change, sd, PairedChange};

/// Mean and SD of a set of scores.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MeanSd {
    pub n: usize,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
}

impl MeanSd {
    fn of(xs: &[f64]) -> MeanSd {
        MeanSd {
            n: xs.len(),
            mean: mean(xs),
            sd: sd(xs),
        }
    }
}

/// A share with its count.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Share {
    pub count: usize,
    pub of: usize,
    pub proportion: Option<f64>,
}

impl Share {
    fn new(count: usize, of: usize) -> Share {
        Share {
            count,
            of,
            proportion: (of > 0).then(|| count as f64 / of as f64),
        }
    }
}

/// The outcome summary for one instrument.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeSummary {
    pub instrument: String,
    /// Clients with at least one response.
    pub clients: usize,
    /// Every client's first response.
    pub baseline: MeanSd,
    /// The latest response of clients with two or more.
    pub latest: MeanSd,
    /// Baseline → latest for clients with two or more responses (the score the instrument's change rules read).
    pub change: Option<PairedChange>,
    pub reliable_improvement: Share,
    pub reliable_deterioration: Share,
    pub recovered: Share,
    /// Among clients whose baseline met the provisional-diagnosis pattern: those whose latest response does not.
    pub no_longer_meets_pattern: Option<Share>,
    /// Each client's change (latest − baseline) on the instrument's change score, for the distribution chart; not
    /// in the JSON report (one number per client).
    #[serde(skip)]
    pub changes: Vec<f64>,
}

/// One client's responses to the instrument in time order (only the first and the last are used).
pub type Series<'i> = Vec<Scored<'i>>;

/// Summarises the outcomes of `series` (one entry per client) on `instrument`.
pub fn summarize(instrument: &Instrument, series: &[Series<'_>]) -> OutcomeSummary {
    let score_index = instrument.change.as_ref().map_or(0, |c| c.score);
    let first: Vec<&Scored> = series.iter().filter_map(|s| s.first()).collect();
    let pairs: Vec<(&Scored, &Scored)> = series
        .iter()
        .filter(|s| s.len() >= 2)
        .map(|s| (&s[0], &s[s.len() - 1]))
        .collect();
    let value = |s: &Scored| f64::from(s.score_at(score_index));
    let pre: Vec<f64> = pairs.iter().map(|(a, _)| value(a)).collect();
    let post: Vec<f64> = pairs.iter().map(|(_, b)| value(b)).collect();
    let (mut improved, mut deteriorated, mut recovered) = (0, 0, 0);
    for (a, b) in &pairs {
        if let Ok(c) = instrument.change(a, b) {
            match c.classification {
                ChangeClass::Recovered => {
                    recovered += 1;
                    improved += 1;
                }
                ChangeClass::Improved => improved += 1,
                ChangeClass::Deteriorated => deteriorated += 1,
                ChangeClass::Unchanged => {}
            }
        }
    }
    let no_longer = instrument.diagnosis_pattern().map(|_| {
        let met: Vec<&(&Scored, &Scored)> = pairs
            .iter()
            .filter(|(a, _)| a.provisional_diagnosis() == Some(true))
            .collect();
        let lost = met
            .iter()
            .filter(|(_, b)| b.provisional_diagnosis() == Some(false))
            .count();
        Share::new(lost, met.len())
    });
    OutcomeSummary {
        instrument: instrument.id.clone(),
        clients: first.len(),
        baseline: MeanSd::of(&first.iter().map(|s| value(s)).collect::<Vec<_>>()),
        latest: MeanSd::of(&post),
        change: paired_change(&pre, &post),
        reliable_improvement: Share::new(improved, pairs.len()),
        reliable_deterioration: Share::new(deteriorated, pairs.len()),
        recovered: Share::new(recovered, pairs.len()),
        no_longer_meets_pattern: no_longer,
        changes: post.iter().zip(&pre).map(|(b, a)| b - a).collect(),
    }
}

//! Change between two responses to the same instrument: the difference, the Jacobson–Truax reliable change index,
//! the instrument's clinically meaningful threshold, and a classification with the rule that produced it.

use serde::Serialize;

use super::{Instrument, Scored, SdiffBasis, Threshold};
use crate::stats::reliable_change::{reliable_change_index, reliable_change_threshold, RELIABLE_Z};

/// Which way a score moved, in clinical terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    Improved,
    Worsened,
    NoChange,
}

/// The Jacobson–Truax classification of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeClass {
    /// Reliable improvement that ends in the functional range, having started outside it.
    Recovered,
    /// Reliable improvement that does not end a move into the functional range.
    Improved,
    /// No reliable change either way.
    Unchanged,
    /// Reliable worsening.
    Deteriorated,
}

/// The interpretation of change from one response to a later one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub instrument: String,
    /// The score whose change is read (`total`, or the WHO-5 `percentage`).
    pub score: String,
    pub from: i32,
    pub to: i32,
    /// `to − from`.
    pub difference: i32,
    pub direction: Direction,
    /// Jacobson–Truax standard error of the difference used for the index.
    pub s_diff: f64,
    /// `(to − from) / S_diff`.
    pub reliable_change_index: f64,
    /// The smallest change in points that counts as reliable for this instrument.
    pub reliable_threshold: f64,
    pub reliable: bool,
    pub clinically_meaningful_threshold: f64,
    /// The change reaches the instrument's clinically meaningful threshold (either way; `direction` tells which).
    pub clinically_meaningful: bool,
    pub classification: ChangeClass,
    /// The rule that produced the classification, in words, with its sources.
    pub rule: String,
    /// Source ids behind the numbers used.
    pub sources: Vec<String>,
}

/// Why change cannot be interpreted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    #[error("{instrument} defines no change thresholds (it is not meant for measuring change)")]
    NoRules { instrument: String },
    #[error("change must compare two responses to one instrument, not {from} and {to}")]
    DifferentInstruments { from: String, to: String },
}

impl Instrument {
    /// Whether two instruments are forms of one scale (the PCL-5 and its past-week form).
    fn same_scale(&self, other: &Instrument) -> bool {
        let family = |i: &Instrument| i.variant_of.clone().unwrap_or_else(|| i.id.clone());
        family(self) == family(other)
    }

    /// Interprets the change from `before` to `after`. Both must be responses to this instrument or to another form
    /// of the same scale.
    pub fn change(&self, before: &Scored<'_>, after: &Scored<'_>) -> Result<Change, ChangeError> {
        for s in [before, after] {
            if !self.same_scale(s.instrument()) {
                return Err(ChangeError::DifferentInstruments {
                    from: before.instrument().id.clone(),
                    to: after.instrument().id.clone(),
                });
            }
        }
        let rules = self.change.as_ref().ok_or_else(|| ChangeError::NoRules {
            instrument: self.id.clone(),
        })?;
        let score = &self.scores[rules.score];
        let (from, to) = (before.score_at(rules.score), after.score_at(rules.score));
        let difference = to - from;
        let magnitude = f64::from(difference.abs());
        let improving = if self.higher_is_worse {
            difference < 0
        } else {
            difference > 0
        };
        let direction = match difference {
            0 => Direction::NoChange,
            _ if improving => Direction::Improved,
            _ => Direction::Worsened,
        };

        let mut sources = Vec::new();
        let index = reliable_change_index(f64::from(from), f64::from(to), rules.s_diff);
        let s_diff_words = match &rules.s_diff_basis {
            SdiffBasis::SdAndReliability {
                sd,
                sd_source,
                reliability,
                reliability_source,
            } => {
                sources.extend([sd_source.clone(), reliability_source.clone()]);
                format!("S_diff {:.2} from SD {sd} [{sd_source}] and r {reliability} [{reliability_source}]", rules.s_diff)
            }
            SdiffBasis::Sem { sem, source } => {
                sources.push(source.clone());
                format!("S_diff {:.2} from SEM {sem} [{source}]", rules.s_diff)
            }
            SdiffBasis::PublishedThreshold { points, source } => {
                sources.push(source.clone());
                format!(
                    "S_diff {:.2} implied by the published threshold of {points} points [{source}]",
                    rules.s_diff
                )
            }
        };
        let (reliable_threshold, reliable_words) = match &rules.reliable_points {
            Some((points, source)) => {
                if !sources.contains(source) {
                    sources.push(source.clone());
                }
                (
                    *points,
                    format!(
                        "the reliable change criterion of {} points [{source}]",
                        fmt_points(*points)
                    ),
                )
            }
            None => {
                let t = reliable_change_threshold(rules.s_diff);
                (t, format!("the Jacobson–Truax threshold of {:.1} points (|RCI| ≥ {RELIABLE_Z}; {s_diff_words})", t))
            }
        };
        // Compared in points, so that a change exactly at a published threshold counts as reliable.
        let reliable = magnitude > 0.0 && magnitude >= reliable_threshold - 1e-9;
        let clinically_meaningful =
            magnitude > 0.0 && magnitude >= rules.clinically_meaningful_points - 1e-9;
        sources.push(rules.clinically_meaningful_source.clone());

        let change_words = match direction {
            Direction::NoChange => "no change".to_string(),
            Direction::Improved => format!("an improvement of {} points", difference.abs()),
            Direction::Worsened => format!("a worsening of {} points", difference.abs()),
        };
        let (classification, rule) = if !reliable {
            (
                ChangeClass::Unchanged,
                format!("{change_words} ({from} → {to}) is below {reliable_words}"),
            )
        } else if direction == Direction::Worsened {
            (
                ChangeClass::Deteriorated,
                format!("{change_words} ({from} → {to}) reaches {reliable_words}"),
            )
        } else {
            match &rules.functional {
                Some((functional, source)) => {
                    sources.push(source.clone());
                    let range = range_words(*functional);
                    if functional.met(to) && !functional.met(from) {
                        (
                            ChangeClass::Recovered,
                            format!(
                                "{change_words} ({from} → {to}) reaches {reliable_words}, and {to} is in the functional range ({range}) [{source}]"
                            ),
                        )
                    } else if functional.met(from) {
                        (
                            ChangeClass::Improved,
                            format!(
                                "{change_words} ({from} → {to}) reaches {reliable_words}; the first score was already in the functional range ({range}) [{source}]"
                            ),
                        )
                    } else {
                        (
                            ChangeClass::Improved,
                            format!(
                                "{change_words} ({from} → {to}) reaches {reliable_words}, but {to} is not in the functional range ({range}) [{source}]"
                            ),
                        )
                    }
                }
                None => (
                    ChangeClass::Improved,
                    format!("{change_words} ({from} → {to}) reaches {reliable_words}; no functional range is defined for recovery"),
                ),
            }
        };
        sources.dedup();
        Ok(Change {
            instrument: self.id.clone(),
            score: score.id.clone(),
            from,
            to,
            difference,
            direction,
            s_diff: rules.s_diff,
            reliable_change_index: index,
            reliable_threshold,
            reliable,
            clinically_meaningful_threshold: rules.clinically_meaningful_points,
            clinically_meaningful,
            classification,
            rule,
            sources,
        })
    }
}

fn fmt_points(p: f64) -> String {
    if p.fract() == 0.0 {
        format!("{p:.0}")
    } else {
        format!("{p}")
    }
}

fn range_words(t: Threshold) -> String {
    match t {
        Threshold::AtMost(v) => format!("{v} or lower"),
        Threshold::AtLeast(v) => format!("{v} or higher"),
    }
}

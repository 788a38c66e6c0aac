//! Scoring and interpretation of a valid response: scores, severity band, cut-offs, symptom patterns and safety
//! flags. Scoring lives here and nowhere else in ferd.

use serde::Serialize;

use super::{Band, Cutoff, Flag, Instrument, Pattern, Response, ScoreDef, ScoreKind, MAX_SCORES};

/// The scores and interpretation of one response. Cheap to copy; borrows the instrument.
#[derive(Debug, Clone, Copy)]
pub struct Scored<'i> {
    instrument: &'i Instrument,
    values: [i32; MAX_SCORES],
    cutoffs_met: u16,
    patterns_met: u16,
    flags_raised: u16,
    gate_closed: bool,
}

impl<'i> Response<'i> {
    /// Scores the response. Every score is a sum of answered item values times the score's multiplier; a closed gate
    /// gives every score 0. No allocation: this is the hot path of bulk scoring.
    pub fn score(&self) -> Scored<'i> {
        let ins = self.instrument;
        let mut values = [0i32; MAX_SCORES];
        if !self.gate_closed {
            for (s, def) in ins.scores.iter().enumerate() {
                let mut sum = 0i32;
                let mut mask = def.items & self.answered;
                while mask != 0 {
                    let i = mask.trailing_zeros() as usize;
                    sum += i32::from(self.values[i]);
                    mask &= mask - 1;
                }
                values[s] = sum * def.multiplier;
            }
        }
        let mut cutoffs_met = 0u16;
        for (c, cutoff) in ins.cutoffs.iter().enumerate() {
            if cutoff.threshold.met(values[cutoff.score]) {
                cutoffs_met |= 1 << c;
            }
        }
        let mut patterns_met = 0u16;
        let mut flags_raised = 0u16;
        if !self.gate_closed {
            for (p, pattern) in ins.patterns.iter().enumerate() {
                let endorsed = self.endorsed(pattern.endorsed_at);
                let holds = pattern.criteria.iter().all(|c| {
                    let n = (endorsed & c.items).count_ones();
                    n >= c.at_least && c.at_most.is_none_or(|m| n <= m)
                });
                if holds {
                    patterns_met |= 1 << p;
                }
            }
            for (f, flag) in ins.flags.iter().enumerate() {
                if self.answered & (1 << flag.item) != 0 && self.values[flag.item] >= flag.at_least
                {
                    flags_raised |= 1 << f;
                }
            }
        }
        Scored {
            instrument: ins,
            values,
            cutoffs_met,
            patterns_met,
            flags_raised,
            gate_closed: self.gate_closed,
        }
    }

    /// The items answered at or above `at`, as a bit set.
    fn endorsed(&self, at: u8) -> u64 {
        let mut endorsed = 0u64;
        let mut mask = self.answered;
        while mask != 0 {
            let i = mask.trailing_zeros() as usize;
            if self.values[i] >= at {
                endorsed |= 1 << i;
            }
            mask &= mask - 1;
        }
        endorsed
    }
}

impl<'i> Scored<'i> {
    /// The instrument scored.
    pub fn instrument(&self) -> &'i Instrument {
        self.instrument
    }

    /// The total score.
    pub fn total(&self) -> i32 {
        self.values[0]
    }

    /// The value of the score with this id.
    pub fn score(&self, id: &str) -> Option<i32> {
        self.instrument.score_index(id).map(|i| self.values[i])
    }

    /// The value of score `index` of [`Instrument::scores`].
    pub fn score_at(&self, index: usize) -> i32 {
        self.values[index]
    }

    /// Every score with its definition, total first.
    pub fn scores(&self) -> impl Iterator<Item = (&'i ScoreDef, i32)> + '_ {
        self.instrument.scores.iter().zip(self.values)
    }

    /// The subscales with their values.
    pub fn subscales(&self) -> impl Iterator<Item = (&'i ScoreDef, i32)> + '_ {
        self.scores().filter(|(d, _)| d.kind == ScoreKind::Subscale)
    }

    /// The derived scores (PHQ-2, WHO-5 percentage) with their values.
    pub fn derived(&self) -> impl Iterator<Item = (&'i ScoreDef, i32)> + '_ {
        self.scores().filter(|(d, _)| d.kind == ScoreKind::Derived)
    }

    /// The severity band of the total, where the authors define bands.
    pub fn band(&self) -> Option<&'i Band> {
        self.instrument.band_for_total(self.total())
    }

    /// Every cut-off with whether it is met.
    pub fn cutoffs(&self) -> impl Iterator<Item = (&'i Cutoff, bool)> + '_ {
        self.instrument
            .cutoffs
            .iter()
            .enumerate()
            .map(|(i, c)| (c, self.cutoffs_met & (1 << i) != 0))
    }

    /// Whether the instrument's primary cut-off is met, where one is defined.
    pub fn cutoff_met(&self) -> Option<bool> {
        self.cutoffs().find(|(c, _)| c.primary).map(|(_, met)| met)
    }

    /// Every symptom pattern with whether it holds.
    pub fn patterns(&self) -> impl Iterator<Item = (&'i Pattern, bool)> + '_ {
        self.instrument
            .patterns
            .iter()
            .enumerate()
            .map(|(i, p)| (p, self.patterns_met & (1 << i) != 0))
    }

    /// Whether the symptom pattern of a provisional diagnosis holds, where the instrument defines one (PCL-5: the
    /// DSM-5 rule). Reported separately from the cut-off.
    pub fn provisional_diagnosis(&self) -> Option<bool> {
        self.patterns()
            .find(|(p, _)| p.provisional_diagnosis)
            .map(|(_, met)| met)
    }

    /// The safety flags raised.
    pub fn flags(&self) -> impl Iterator<Item = &'i Flag> + '_ {
        self.instrument
            .flags
            .iter()
            .enumerate()
            .filter(|(i, _)| self.flags_raised & (1 << i) != 0)
            .map(|(_, f)| f)
    }

    /// True when the gate question ended the instrument.
    pub fn gate_closed(&self) -> bool {
        self.gate_closed
    }

    /// A plain summary for JSON output (the CLI's `--format json`, the API).
    pub fn summary(&self) -> ScoreSummary {
        let ins = self.instrument;
        let map = |it: &mut dyn Iterator<Item = (&ScoreDef, i32)>| -> Option<serde_json::Map<String, serde_json::Value>> {
            let m: serde_json::Map<_, _> = it.map(|(d, v)| (d.id.clone(), v.into())).collect();
            (!m.is_empty()).then_some(m)
        };
        let band = self.band();
        ScoreSummary {
            instrument: ins.id.clone(),
            version: ins.version.clone(),
            total: self.total(),
            range: [ins.total().min, ins.total().max],
            subscales: map(&mut self.subscales()),
            derived_scores: map(&mut self.derived()),
            severity: band.map(|b| b.id.clone()),
            severity_label: band.map(|b| b.label.en().to_string()),
            cutoff_met: self.cutoff_met(),
            cutoffs: {
                let m: serde_json::Map<_, _> = self
                    .cutoffs()
                    .map(|(c, met)| (c.id.clone(), met.into()))
                    .collect();
                (!m.is_empty()).then_some(m)
            },
            provisional_diagnosis: self.provisional_diagnosis(),
            patterns: {
                let m: serde_json::Map<_, _> = self
                    .patterns()
                    .map(|(p, met)| (p.id.clone(), met.into()))
                    .collect();
                (!m.is_empty()).then_some(m)
            },
            flags: self.flags().map(|f| f.id.clone()).collect(),
            gate_closed: ins.gate.as_ref().map(|_| self.gate_closed),
        }
    }
}

/// The scores and interpretation of a response as plain data. Keys that an instrument does not define are left out
/// (the PCL-5 has no `severity`; the PHQ-9 has no `subscales`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreSummary {
    pub instrument: String,
    pub version: String,
    pub total: i32,
    /// Lowest and highest possible total.
    pub range: [i32; 2],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subscales: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub derived_scores: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity_label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cutoff_met: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cutoffs: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisional_diagnosis: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patterns: Option<serde_json::Map<String, serde_json::Value>>,
    pub flags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gate_closed: Option<bool>,
}

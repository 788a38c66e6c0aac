//! Published trial results as data (`data/evidence/`), each with its citation and a status. Retracted results are
//! kept so that they can be shown as retracted, and are never offered as benchmarks.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// Whether a result may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Valid,
    Retracted,
}

/// One trial arm (or one pooled group), with whatever the publication reports for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Arm {
    pub id: String,
    pub label: String,
    pub n_randomised: Option<u32>,
    pub n_analysed: Option<u32>,
    pub n_completed: Option<u32>,
    /// Mean change from baseline on the trial's outcome (negative is improvement on CAPS).
    pub change_mean: Option<f64>,
    pub change_sd: Option<f64>,
    /// 95 % CI of the mean change, where the publication gives a CI instead of an SD.
    pub change_ci: Option<[f64; 2]>,
    pub within_group_d: Option<f64>,
    /// Proportions (0–1).
    pub no_longer_meets_diagnosis: Option<f64>,
    pub remission: Option<f64>,
    pub dropout: Option<f64>,
    /// Hedges' g against control, for pooled comparisons.
    pub g_clinician: Option<f64>,
    pub g_self_report: Option<f64>,
    /// For a pooled comparison: how many had the treatment and how many the control condition, where known (for
    /// an approximate interval of a g published without one).
    pub n_treatment: Option<f64>,
    pub n_control: Option<f64>,
    /// A source of its own, where the arm comes from another publication.
    pub source: Option<String>,
}

/// A reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub citation: String,
    pub url: String,
}

/// One published study or comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Study {
    pub id: String,
    pub short_name: String,
    pub title: String,
    pub citation: String,
    pub registration: Option<String>,
    pub year: u16,
    pub status: Status,
    pub retracted_on: Option<String>,
    pub retraction_reason: Option<String>,
    pub design: String,
    pub outcome: String,
    /// True when the outcome is clinician-rated (CAPS), unlike the self-reported PCL-5 ferd's clients fill in.
    pub clinician_rated: bool,
    pub between_group_d: Option<f64>,
    pub source: String,
    pub note: Option<String>,
    pub arms: Vec<Arm>,
    pub sources: Vec<Source>,
}

/// What is wrong with an evidence file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("evidence {file}: {message}")]
pub struct EvidenceError {
    pub file: String,
    pub message: String,
}

/// The evidence files embedded in the binary.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    (
        "mapp1.toml",
        include_str!("../../../../data/evidence/mapp1.toml"),
    ),
    (
        "mapp2.toml",
        include_str!("../../../../data/evidence/mapp2.toml"),
    ),
    (
        "amoroso-2016-vs-prolonged-exposure.toml",
        include_str!("../../../../data/evidence/amoroso-2016-vs-prolonged-exposure.toml"),
    ),
    (
        "mithoefer-2019-pooled.toml",
        include_str!("../../../../data/evidence/mithoefer-2019-pooled.toml"),
    ),
    (
        "jerome-2020-followup.toml",
        include_str!("../../../../data/evidence/jerome-2020-followup.toml"),
    ),
];

/// All bundled studies.
#[derive(Debug)]
pub struct Evidence {
    studies: Vec<Study>,
}

impl Evidence {
    /// The bundled evidence; its files are checked by the test suite.
    pub fn builtin() -> &'static Evidence {
        static BUILTIN: OnceLock<Evidence> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Evidence::load(BUILTIN_FILES)
                .unwrap_or_else(|e| panic!("bundled evidence is invalid: {e}"))
        })
    }

    /// Parses and checks evidence files.
    pub fn load(files: &[(&str, &str)]) -> Result<Evidence, EvidenceError> {
        let mut studies: Vec<Study> = Vec::new();
        for (name, text) in files {
            let err = |message: String| EvidenceError {
                file: (*name).to_string(),
                message,
            };
            let study: Study = toml::from_str(text).map_err(|e| err(e.message().to_string()))?;
            if studies.iter().any(|s| s.id == study.id) {
                return Err(err(format!("id '{}' is used twice", study.id)));
            }
            let cited = |id: &str| study.sources.iter().any(|s| s.id == id);
            if !cited(&study.source)
                || study
                    .arms
                    .iter()
                    .any(|a| a.source.as_deref().is_some_and(|s| !cited(s)))
            {
                return Err(err("a source is cited that is not in [[sources]]".into()));
            }
            match study.status {
                Status::Retracted
                    if study.retracted_on.is_none() || study.retraction_reason.is_none() =>
                {
                    return Err(err(
                        "a retracted study needs retracted_on and retraction_reason".into(),
                    ))
                }
                Status::Valid if study.retracted_on.is_some() => {
                    return Err(err("a valid study has no retraction date".into()))
                }
                _ => {}
            }
            if study.arms.is_empty() {
                return Err(err("needs at least one arm".into()));
            }
            for a in &study.arms {
                for (field, p) in [
                    ("no_longer_meets_diagnosis", a.no_longer_meets_diagnosis),
                    ("remission", a.remission),
                    ("dropout", a.dropout),
                ] {
                    if p.is_some_and(|p| !(0.0..=1.0).contains(&p)) {
                        return Err(err(format!(
                            "arm {}: {field} is a proportion between 0 and 1",
                            a.id
                        )));
                    }
                }
                if a.change_sd.is_some_and(|sd| sd <= 0.0) || a.n_randomised == Some(0) {
                    return Err(err(format!(
                        "arm {}: SDs and group sizes must be positive",
                        a.id
                    )));
                }
            }
            studies.push(study);
        }
        Ok(Evidence { studies })
    }

    /// Every study, retracted ones included (to be shown as retracted).
    pub fn studies(&self) -> &[Study] {
        &self.studies
    }

    /// The study with this id.
    pub fn get(&self, id: &str) -> Option<&Study> {
        self.studies.iter().find(|s| s.id == id)
    }

    /// The studies that may serve as benchmarks: valid ones only, never a retracted result.
    pub fn benchmarks(&self) -> impl Iterator<Item = &Study> {
        self.studies.iter().filter(|s| s.status == Status::Valid)
    }
}

/// One row of the evidence page's forest plot: a standardised effect against control with a 95 % interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EffectRow {
    pub study: String,
    pub label: String,
    /// `clinician` or `self-report`.
    pub rating: &'static str,
    pub n: f64,
    pub estimate: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// The interval is ferd's approximation from the group sizes, not the publication's own.
    pub approximate: bool,
}

/// The comparison of MDMA-assisted psychotherapy with prolonged exposure (Amoroso & Workman 2016) as forest-plot
/// rows: each pooled g with an approximate 95 % interval from V = (n₁+n₂)/(n₁n₂) + g²/(2(n₁+n₂)) (Borenstein 2009,
/// eq. 4.20), the papers' own intervals not being available. A group split that is not published is taken as equal.
pub fn prolonged_exposure_comparison() -> Vec<EffectRow> {
    use crate::stats::effect::{smd_variance, Estimate};
    let Some(study) = Evidence::builtin().get("amoroso-2016-vs-pe") else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for (rating, pick) in [
        (
            "clinician",
            (|a: &Arm| a.g_clinician) as fn(&Arm) -> Option<f64>,
        ),
        ("self-report", |a: &Arm| a.g_self_report),
    ] {
        for arm in &study.arms {
            let (Some(g), Some(n)) = (pick(arm), arm.n_randomised.map(f64::from)) else {
                continue;
            };
            let (n1, n2) = match (arm.n_treatment, arm.n_control) {
                (Some(t), Some(c)) => (t, c),
                _ => (n / 2.0, n / 2.0),
            };
            let Some(v) = smd_variance(g, n1, n2) else {
                continue;
            };
            let e = Estimate::new(g, v);
            rows.push(EffectRow {
                study: study.id.clone(),
                label: arm.label.clone(),
                rating,
                n,
                estimate: g,
                ci_low: e.ci_low,
                ci_high: e.ci_high,
                approximate: true,
            });
        }
    }
    rows
}

/// The phase 3 trials' between-group effect (MDMA against placebo, both with therapy) on the CAPS-5: Cohen's d from
/// the arms' change and SD where published (MAPP1), else the published d with an interval from the group sizes.
pub fn phase3_effects() -> Vec<EffectRow> {
    use crate::stats::effect::{cohens_d, smd_variance, Estimate, Group};
    let mut rows = Vec::new();
    for study in Evidence::builtin().benchmarks() {
        let (Some(t), Some(c)) = (
            study.arms.iter().find(|a| a.id == "mdma"),
            study.arms.iter().find(|a| a.id == "placebo"),
        ) else {
            continue;
        };
        let n = |a: &Arm| a.n_analysed.or(a.n_completed).map(f64::from);
        let (Some(n1), Some(n2)) = (n(t), n(c)) else {
            continue;
        };
        let from_groups = match (t.change_mean, t.change_sd, c.change_mean, c.change_sd) {
            (Some(m1), Some(s1), Some(m2), Some(s2)) => cohens_d(
                // Improvement is a fall on the CAPS-5: placebo minus MDMA, so a benefit is positive.
                Group {
                    mean: m2,
                    sd: s2,
                    n: n2,
                },
                Group {
                    mean: m1,
                    sd: s1,
                    n: n1,
                },
            ),
            _ => None,
        };
        let (e, approximate) = match (from_groups, study.between_group_d) {
            (Some(e), _) => (e, false),
            (None, Some(d)) => match smd_variance(d, n1, n2) {
                Some(v) => (Estimate::new(d, v), true),
                None => continue,
            },
            _ => continue,
        };
        rows.push(EffectRow {
            study: study.id.clone(),
            label: study.short_name.clone(),
            rating: "clinician",
            n: n1 + n2,
            estimate: e.estimate,
            ci_low: e.ci_low,
            ci_high: e.ci_high,
            approximate,
        });
    }
    rows
}

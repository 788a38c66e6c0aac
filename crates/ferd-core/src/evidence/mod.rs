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

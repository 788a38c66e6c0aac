//! The shape of a screening file in `data/screening/`, as people write it. [`super::RuleSet::load`] checks it and
//! builds the rule set; these types only mirror the TOML.

use serde::Deserialize;

use super::{EpisodeKind, FamilyCondition, Remission, Setting, Severity, UseSeverity};
use crate::instruments::Localized;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScreeningFile {
    /// The source of the names, brand names and ATC codes of the medicines in this file.
    #[serde(default)]
    pub identification_source: Option<String>,
    #[serde(default)]
    pub classes: Vec<ClassFile>,
    #[serde(default)]
    pub medicines: Vec<MedicineFile>,
    #[serde(default)]
    pub rules: Vec<RuleFile>,
    pub sources: Vec<SourceFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClassFile {
    pub id: String,
    pub name: Localized,
    /// ATC groups whose every member belongs to the class (`N06AB`).
    #[serde(default)]
    pub atc: Vec<String>,
    pub recent_days: u32,
    pub recent_source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MedicineFile {
    pub id: String,
    pub names: Vec<String>,
    #[serde(default)]
    pub brands: Vec<String>,
    #[serde(default)]
    pub atc: Vec<String>,
    pub classes: Vec<String>,
    #[serde(default)]
    pub unverified_classes: Vec<String>,
    pub verified: bool,
    pub source: String,
    #[serde(default)]
    pub recent_days: Option<u32>,
    #[serde(default)]
    pub recent_source: Option<String>,
    #[serde(default)]
    pub note: Option<Localized>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum TriggerFile {
    Taking,
    StoppedRecently,
    AfterSession,
    Condition,
    Pregnant,
    Breastfeeding,
    AgeBelow,
    BloodPressure,
    UseDisorderExcluded,
    UseDisorderAllowed,
    UnrecognisedMedicine,
    UnrecognisedCondition,
    FamilyHistory,
    Episode,
    HistoryUnknown,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleFile {
    pub id: String,
    pub severity: Severity,
    pub class: String,
    pub trigger: TriggerFile,
    #[serde(default)]
    pub terms: Vec<String>,
    #[serde(default)]
    pub within_days: Option<u32>,
    #[serde(default)]
    pub age: Option<u32>,
    #[serde(default)]
    pub systolic: Option<u16>,
    #[serde(default)]
    pub diastolic: Option<u16>,
    /// For `family-history`: the illness in the family.
    #[serde(default)]
    pub family_condition: Option<FamilyCondition>,
    /// For `episode`: the kind of episode.
    #[serde(default)]
    pub episode: Option<EpisodeKind>,
    /// For `episode`: whether the rule is about episodes that came only with a substance.
    #[serde(default)]
    pub substance_induced: Option<bool>,
    pub explanation: Localized,
    pub source: String,
    pub verified: bool,
    pub effective_for: Vec<Setting>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub examples: Vec<ExampleFile>,
    #[serde(default)]
    pub counter_examples: Vec<ExampleFile>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExampleFile {
    #[serde(default)]
    pub medications: Vec<String>,
    #[serde(default)]
    pub stopped_days_ago: Option<i64>,
    #[serde(default)]
    pub conditions: Vec<String>,
    #[serde(default)]
    pub substances: Vec<String>,
    #[serde(default)]
    pub use_disorder: Option<UseSeverity>,
    #[serde(default)]
    pub remission: Option<Remission>,
    #[serde(default)]
    pub pregnant: bool,
    #[serde(default)]
    pub breastfeeding: bool,
    #[serde(default)]
    pub age: Option<u32>,
    #[serde(default)]
    pub blood_pressure: Option<String>,
    #[serde(default)]
    pub days_since_session: Option<u32>,
    /// Family history entries as `relative:illness` (`parent:bipolar`).
    #[serde(default)]
    pub family: Vec<String>,
    /// Own episodes as `kind` or `kind:substance` (`mania:substance`).
    #[serde(default)]
    pub episodes: Vec<String>,
    /// History questions answered "I don't know" (`family`, `psychosis`, `mania`).
    #[serde(default)]
    pub unknown: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourceFile {
    pub id: String,
    pub citation: String,
    #[serde(default)]
    pub url: Option<String>,
}

//! The shape of an instrument file in `data/instruments/`, as written by people, and its checked form.
//!
//! A file is parsed into [`InstrumentFile`] (plain serde types that mirror the TOML) and then compiled into an
//! [`Instrument`](super::Instrument): every reference resolved, every range checked, every number tied to a source.
//! A file that fails any check is rejected with a [`DefinitionError`] naming the file's field and the rule.

use std::collections::BTreeMap;

use serde::Deserialize;

/// Text in several languages, keyed by BCP 47 tag (`en`, `nb`, later `sv`). English is always present.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Localized(pub BTreeMap<String, String>);

impl Localized {
    /// The text in `lang`, or the English text when there is none in that language.
    pub fn get(&self, lang: &str) -> &str {
        self.0
            .get(lang)
            .or_else(|| self.0.get("en"))
            .map(String::as_str)
            .unwrap_or("")
    }

    /// The English text.
    pub fn en(&self) -> &str {
        self.get("en")
    }

    /// Whether a text in `lang` itself (not a fallback) is present.
    pub fn has(&self, lang: &str) -> bool {
        self.0.contains_key(lang)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct InstrumentFile {
    pub id: String,
    #[serde(default)]
    pub variant_of: Option<String>,
    pub version: String,
    pub name: String,
    pub short_name: String,
    pub url: String,
    pub purpose: String,
    pub higher_is_worse: bool,
    pub citation: String,
    pub title: Localized,
    pub recall: RecallFile,
    pub licence: LicenceFile,
    pub text: BTreeMap<String, TextFile>,
    #[serde(default)]
    pub translations: BTreeMap<String, TranslationFile>,
    #[serde(default)]
    pub fhir: FhirFile,
    pub answer_sets: Vec<AnswerSetFile>,
    pub items: Vec<ItemFile>,
    #[serde(default)]
    pub gate: Option<GateFile>,
    pub scores: Vec<ScoreFile>,
    #[serde(default)]
    pub bands: Vec<BandFile>,
    #[serde(default)]
    pub cutoffs: Vec<CutoffFile>,
    #[serde(default)]
    pub patterns: Vec<PatternFile>,
    #[serde(default)]
    pub flags: Vec<FlagFile>,
    #[serde(default)]
    pub change: Option<ChangeFile>,
    pub sources: Vec<SourceFile>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct RecallFile {
    pub days: u16,
    #[serde(flatten)]
    pub text: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LicenceFile {
    pub kind: String,
    pub item_text_may_be_shipped: bool,
    pub statement: String,
    #[serde(default)]
    pub copyright: Option<String>,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TextFile {
    pub source: String,
    #[serde(default)]
    pub instructions: Option<String>,
    pub stem: String,
    #[serde(default = "yes")]
    pub verified: bool,
    #[serde(default)]
    pub note: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TranslationFile {
    pub bundled: bool,
    pub note: String,
    pub source: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FhirFile {
    #[serde(default)]
    pub loinc_panel: Option<String>,
    #[serde(default)]
    pub loinc_panel_display: Option<String>,
    #[serde(default)]
    pub loinc_total: Option<String>,
    #[serde(default)]
    pub loinc_total_display: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AnswerSetFile {
    pub id: String,
    #[serde(default)]
    pub system: Option<String>,
    pub options: Vec<AnswerOptionFile>,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AnswerOptionFile {
    pub value: i64,
    pub code: String,
    pub label: Localized,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ItemFile {
    pub key: String,
    pub answers: String,
    pub text: Localized,
    #[serde(default)]
    pub loinc: Option<String>,
    #[serde(default = "yes")]
    pub required: bool,
    #[serde(default = "yes")]
    pub scored: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GateFile {
    pub item: String,
    pub closes_when: i64,
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ScoreKindFile {
    Total,
    Subscale,
    Derived,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScoreFile {
    pub id: String,
    pub kind: ScoreKindFile,
    pub name: Localized,
    pub items: String,
    #[serde(default)]
    pub multiplier: Option<i64>,
    #[serde(default)]
    pub loinc: Option<String>,
    #[serde(default)]
    pub loinc_display: Option<String>,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BandFile {
    pub id: String,
    pub score: String,
    pub min: i64,
    pub max: i64,
    pub label: Localized,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CutoffFile {
    pub id: String,
    #[serde(default)]
    pub primary: bool,
    pub score: String,
    #[serde(default)]
    pub at_least: Option<i64>,
    #[serde(default)]
    pub at_most: Option<i64>,
    pub label: Localized,
    pub source: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PatternFile {
    pub id: String,
    #[serde(default)]
    pub provisional_diagnosis: bool,
    pub endorsed_at: i64,
    pub label: Localized,
    pub criteria: Vec<CriterionFile>,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CriterionFile {
    pub items: String,
    pub at_least: u32,
    #[serde(default)]
    pub at_most: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FlagFile {
    pub id: String,
    pub item: String,
    pub at_least: i64,
    pub severity: String,
    pub label: Localized,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChangeFile {
    pub score: String,
    #[serde(default)]
    pub sd: Option<f64>,
    #[serde(default)]
    pub sd_source: Option<String>,
    #[serde(default)]
    pub reliability: Option<f64>,
    #[serde(default)]
    pub reliability_source: Option<String>,
    #[serde(default)]
    pub sem: Option<f64>,
    #[serde(default)]
    pub sem_source: Option<String>,
    #[serde(default)]
    pub reliable_points: Option<f64>,
    #[serde(default)]
    pub reliable_points_source: Option<String>,
    pub clinically_meaningful_points: f64,
    pub clinically_meaningful_source: String,
    #[serde(default)]
    pub functional_at_most: Option<i64>,
    #[serde(default)]
    pub functional_at_least: Option<i64>,
    #[serde(default)]
    pub functional_source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourceFile {
    pub id: String,
    pub citation: String,
    pub url: String,
}

/// What is wrong with an instrument file. Each names the file (instrument id) and the field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DefinitionError {
    /// The file is not valid TOML or does not have the expected fields.
    #[error("instrument file {file}: {message}")]
    Syntax { file: String, message: String },
    /// The file parses but breaks a rule (an unknown reference, an overlap, a number without a source …).
    #[error("instrument {id}: {field}: {message}")]
    Rule {
        id: String,
        field: String,
        message: String,
    },
}

/// Merges a variant file over its base: top-level keys of the variant replace the base's, except `sources`, which are
/// joined (a variant's source replaces the base's source of the same id). Shallow on purpose, so that a variant that
/// writes `[fhir]` or `cutoffs = []` says exactly what it means.
pub(crate) fn merge_variant(base: &toml::Table, variant: &toml::Table) -> toml::Table {
    let mut merged = base.clone();
    for (key, value) in variant {
        if key == "sources" {
            let mut sources: Vec<toml::Value> = base
                .get("sources")
                .and_then(|v| v.as_array())
                .cloned()
                .unwrap_or_default();
            for source in value.as_array().into_iter().flatten() {
                let id = source.get("id");
                sources.retain(|s| s.get("id") != id);
                sources.push(source.clone());
            }
            merged.insert(key.clone(), toml::Value::Array(sources));
        } else {
            merged.insert(key.clone(), value.clone());
        }
    }
    merged
}

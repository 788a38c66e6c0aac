//! Validated questionnaires: definitions loaded from `data/instruments/`, response validation, scoring,
//! interpretation and change between two responses.
//!
//! An [`Instrument`] is built only from a definition that passed every check in [`compile`], so code that holds one
//! can rely on it: item keys are unique, every score's items exist and are scored, bands tile each banded score's
//! range exactly, and every threshold names its source.

mod change;
pub mod definition;
mod response;
mod score;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

pub use change::{Change, ChangeClass, ChangeError, Direction};
pub use definition::{DefinitionError, Localized};
pub use response::{parse_positional, Response, ResponseError};
pub use score::Scored;

use definition::{InstrumentFile, ScoreKindFile};

/// The most items an instrument may have (responses are held in a fixed array and item sets as 64-bit masks).
pub const MAX_ITEMS: usize = 64;
/// The most scores (total, subscales, derived) an instrument may define.
pub const MAX_SCORES: usize = 8;
/// The most cut-offs, patterns or flags an instrument may define (each kind reported as a bit set).
pub const MAX_RULES: usize = 16;

/// A questionnaire definition, checked and ready to score.
#[derive(Debug, Clone)]
pub struct Instrument {
    /// Stable id used in the CLI, the API and stored responses (`pcl-5`, `phq-9` …).
    pub id: String,
    /// The id of the instrument this one is a form of (the past-week PCL-5 is a variant of `pcl-5`).
    pub variant_of: Option<String>,
    /// Version of the form (a version date where the authors give one).
    pub version: String,
    pub name: String,
    pub short_name: String,
    /// Canonical URL of the FHIR Questionnaire: an identifier, not a resolvable address.
    pub url: String,
    pub purpose: String,
    /// True when a higher score means more symptoms; false for well-being scales such as the WHO-5.
    pub higher_is_worse: bool,
    pub citation: String,
    pub title: Localized,
    pub recall: Recall,
    pub licence: Licence,
    /// Instructions and stem per language; English is always present.
    pub text: BTreeMap<String, FormText>,
    /// Per language: whether a translation of the item text is bundled, and why not.
    pub translations: BTreeMap<String, Translation>,
    pub fhir: FhirCodes,
    pub answer_sets: Vec<AnswerSet>,
    pub items: Vec<Item>,
    pub gate: Option<Gate>,
    /// The scores; index 0 is always the total.
    pub scores: Vec<ScoreDef>,
    pub bands: Vec<Band>,
    pub cutoffs: Vec<Cutoff>,
    pub patterns: Vec<Pattern>,
    pub flags: Vec<Flag>,
    pub change: Option<ChangeRules>,
    pub sources: Vec<Source>,
    /// The FHIR `linkId` of the read-only total item (`<id>-total`).
    pub total_link_id: String,
    /// Items that must be answered (unless the gate closes).
    required: u64,
    /// How many answers a positional list needs: up to and including the last required item.
    positional_required: usize,
}

/// The period the questions ask about.
#[derive(Debug, Clone)]
pub struct Recall {
    pub days: u16,
    pub text: Localized,
}

/// Who holds the instrument and whether its item text may be reproduced.
#[derive(Debug, Clone)]
pub struct Licence {
    pub kind: String,
    pub item_text_may_be_shipped: bool,
    pub statement: String,
    /// The exact copyright notice to carry in exported Questionnaires, where the holder asks for one.
    pub copyright: Option<String>,
    pub source: String,
}

/// The instructions and stem of one language's form.
#[derive(Debug, Clone)]
pub struct FormText {
    pub source: String,
    pub instructions: Option<String>,
    pub stem: String,
    /// False when the wording comes from a secondary reproduction not yet diffed against the official form.
    pub verified: bool,
    pub note: Option<String>,
}

/// Whether a language's item text is bundled.
#[derive(Debug, Clone)]
pub struct Translation {
    pub bundled: bool,
    pub note: String,
    pub source: String,
}

/// LOINC codes of the panel and the total, where verified.
#[derive(Debug, Clone, Default)]
pub struct FhirCodes {
    pub loinc_panel: Option<String>,
    pub loinc_panel_display: Option<String>,
    pub loinc_total: Option<String>,
    pub loinc_total_display: Option<String>,
    pub source: Option<String>,
    pub note: Option<String>,
}

/// A set of answer options shared by items.
#[derive(Debug, Clone)]
pub struct AnswerSet {
    pub id: String,
    /// The code system of the option codes as the file gives it (LOINC answer codes); `None` means ferd's own.
    pub system: Option<String>,
    /// The code system the options are exchanged in: `system`, or ferd's own code system for this set.
    pub code_system: String,
    /// The options in the order the form shows them.
    pub options: Vec<AnswerOption>,
    pub min: u8,
    pub max: u8,
    pub source: String,
}

impl AnswerSet {
    /// The option with this value.
    pub fn option(&self, value: u8) -> Option<&AnswerOption> {
        self.options.iter().find(|o| o.value == value)
    }

    /// `0–4`, the allowed values as a range, for messages.
    pub fn range_text(&self) -> String {
        format!("{}–{}", self.min, self.max)
    }
}

/// One answer option: its scored value, its code and its label.
#[derive(Debug, Clone)]
pub struct AnswerOption {
    pub value: u8,
    pub code: String,
    pub label: Localized,
}

/// One question.
#[derive(Debug, Clone)]
pub struct Item {
    /// The item's number on the form (`"1"` … `"20"`), or a name for an unnumbered question (`"exposure"`).
    pub key: String,
    /// The FHIR `linkId`: `<instrument id>-<key>`.
    pub link_id: String,
    pub text: Localized,
    /// Index into [`Instrument::answer_sets`].
    pub answer_set: usize,
    pub loinc: Option<String>,
    pub required: bool,
    /// False for items that no score counts (PHQ-9 item 10, the PC-PTSD-5 exposure question).
    pub scored: bool,
}

/// A gate question: when answered with `closes_when`, the other items are not asked and every score is 0.
#[derive(Debug, Clone)]
pub struct Gate {
    /// Index into [`Instrument::items`].
    pub item: usize,
    pub closes_when: u8,
    pub source: String,
}

/// The role of a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoreKind {
    /// The instrument's total.
    Total,
    /// A part of the total; the subscales of an instrument partition the total's items.
    Subscale,
    /// Another score computed from the items (PHQ-2, WHO-5 percentage).
    Derived,
}

/// A sum of items, optionally multiplied (the WHO-5 percentage is the raw score × 4).
#[derive(Debug, Clone)]
pub struct ScoreDef {
    pub id: String,
    pub kind: ScoreKind,
    pub name: Localized,
    /// The items counted, as a bit set over [`Instrument::items`].
    pub items: u64,
    pub multiplier: i32,
    pub min: i32,
    pub max: i32,
    pub loinc: Option<String>,
    pub loinc_display: Option<String>,
    pub source: String,
}

/// A severity band on a score, inclusive at both ends.
#[derive(Debug, Clone)]
pub struct Band {
    pub id: String,
    /// Index into [`Instrument::scores`].
    pub score: usize,
    pub min: i32,
    pub max: i32,
    pub label: Localized,
    pub source: String,
}

/// Which side of a threshold counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threshold {
    /// Met when the score is at least this value.
    AtLeast(i32),
    /// Met when the score is at most this value.
    AtMost(i32),
}

impl Threshold {
    /// Whether `value` is on the counted side.
    pub fn met(self, value: i32) -> bool {
        match self {
            Threshold::AtLeast(t) => value >= t,
            Threshold::AtMost(t) => value <= t,
        }
    }
}

impl std::fmt::Display for Threshold {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Threshold::AtLeast(t) => write!(f, "≥ {t}"),
            Threshold::AtMost(t) => write!(f, "≤ {t}"),
        }
    }
}

/// A cut-off on a score.
#[derive(Debug, Clone)]
pub struct Cutoff {
    pub id: String,
    /// The instrument's main cut-off, reported as `cutoff_met`.
    pub primary: bool,
    /// Index into [`Instrument::scores`].
    pub score: usize,
    pub threshold: Threshold,
    pub label: Localized,
    pub source: String,
    pub note: Option<String>,
}

/// A symptom-pattern rule: items rated at least `endorsed_at` count as endorsed, and every criterion must hold.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub id: String,
    /// The pattern reported as `provisional_diagnosis`.
    pub provisional_diagnosis: bool,
    pub endorsed_at: u8,
    pub label: Localized,
    pub criteria: Vec<Criterion>,
    pub source: String,
}

/// A count of endorsed items within a set of items, with bounds.
#[derive(Debug, Clone)]
pub struct Criterion {
    /// The items, as a bit set over [`Instrument::items`].
    pub items: u64,
    /// The same items as the file wrote them (`"8-14"`), for explanations.
    pub items_text: String,
    pub at_least: u32,
    pub at_most: Option<u32>,
}

/// A safety flag raised by one item's answer.
#[derive(Debug, Clone)]
pub struct Flag {
    pub id: String,
    /// Index into [`Instrument::items`].
    pub item: usize,
    pub at_least: u8,
    pub severity: String,
    pub label: Localized,
    pub source: String,
}

/// How the standard error of the difference was obtained.
#[derive(Debug, Clone, PartialEq)]
pub enum SdiffBasis {
    /// From the SD of a clinical sample and the test–retest reliability: `SD · √2 · √(1 − r)`.
    SdAndReliability {
        sd: f64,
        sd_source: String,
        reliability: f64,
        reliability_source: String,
    },
    /// From a published standard error of measurement: `√2 · SEM`.
    Sem { sem: f64, source: String },
    /// Implied by a published reliable-change threshold in points: `threshold / 1.96`.
    PublishedThreshold { points: f64, source: String },
}

/// The data needed to interpret change between two responses.
#[derive(Debug, Clone)]
pub struct ChangeRules {
    /// Index into [`Instrument::scores`] of the score whose change is read.
    pub score: usize,
    pub s_diff: f64,
    pub s_diff_basis: SdiffBasis,
    /// A reliable-change criterion in points, when the instrument prefers a published one to the index.
    pub reliable_points: Option<(f64, String)>,
    pub clinically_meaningful_points: f64,
    pub clinically_meaningful_source: String,
    /// The functional (non-clinical) range of the change score, for "recovered".
    pub functional: Option<(Threshold, String)>,
}

/// A reference for the numbers in a definition.
#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    pub citation: String,
    pub url: String,
}

impl Instrument {
    /// The item with this key.
    pub fn item_index(&self, key: &str) -> Option<usize> {
        self.items.iter().position(|i| i.key == key)
    }

    /// The score with this id.
    pub fn score_index(&self, id: &str) -> Option<usize> {
        self.scores.iter().position(|s| s.id == id)
    }

    /// The answer options of an item.
    pub fn answers_of(&self, item: &Item) -> &AnswerSet {
        &self.answer_sets[item.answer_set]
    }

    /// The total score's definition.
    pub fn total(&self) -> &ScoreDef {
        &self.scores[0]
    }

    /// The subscales, in file order.
    pub fn subscales(&self) -> impl Iterator<Item = &ScoreDef> {
        self.scores.iter().filter(|s| s.kind == ScoreKind::Subscale)
    }

    /// The source with this id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// The pattern reported as the provisional diagnosis, if the instrument defines one.
    pub fn diagnosis_pattern(&self) -> Option<&Pattern> {
        self.patterns.iter().find(|p| p.provisional_diagnosis)
    }

    /// Whether the total has severity bands.
    pub fn has_bands(&self) -> bool {
        self.bands.iter().any(|b| b.score == 0)
    }

    /// The band of the total that contains `total`.
    pub fn band_for_total(&self, total: i32) -> Option<&Band> {
        self.bands
            .iter()
            .find(|b| b.score == 0 && b.min <= total && total <= b.max)
    }

    /// The number of items counted by the total.
    pub fn scored_item_count(&self) -> usize {
        self.total().items.count_ones() as usize
    }

    /// `20`, or `9–10` when trailing items are optional: how many positional answers are accepted.
    pub fn answer_count_text(&self) -> String {
        if self.positional_required == self.items.len() {
            self.items.len().to_string()
        } else {
            format!("{}–{}", self.positional_required, self.items.len())
        }
    }

    /// The item keys of a bit set, joined for messages (`1, 4, 9`).
    pub fn keys_of(&self, mask: u64) -> Vec<&str> {
        self.items
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, item)| item.key.as_str())
            .collect()
    }
}

/// All instruments, in a stable order.
#[derive(Debug)]
pub struct Catalogue {
    instruments: Vec<Instrument>,
}

/// The instrument files embedded in the binary, as (file name, contents).
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    (
        "pcl-5.toml",
        include_str!("../../../../data/instruments/pcl-5.toml"),
    ),
    (
        "pcl-5-week.toml",
        include_str!("../../../../data/instruments/pcl-5-week.toml"),
    ),
    (
        "pc-ptsd-5.toml",
        include_str!("../../../../data/instruments/pc-ptsd-5.toml"),
    ),
    (
        "phq-9.toml",
        include_str!("../../../../data/instruments/phq-9.toml"),
    ),
    (
        "gad-7.toml",
        include_str!("../../../../data/instruments/gad-7.toml"),
    ),
    (
        "who-5.toml",
        include_str!("../../../../data/instruments/who-5.toml"),
    ),
];

impl Catalogue {
    /// The instruments bundled with ferd. Their files are checked by the test suite, so this cannot fail in a
    /// tested build.
    pub fn builtin() -> &'static Catalogue {
        static BUILTIN: OnceLock<Catalogue> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Catalogue::load(BUILTIN_FILES)
                .unwrap_or_else(|e| panic!("bundled instrument definition is invalid: {e}"))
        })
    }

    /// Loads and checks a set of instrument files. A variant (`variant_of`) is merged over its base first.
    pub fn load(files: &[(&str, &str)]) -> Result<Catalogue, DefinitionError> {
        let mut tables = Vec::with_capacity(files.len());
        for (name, text) in files {
            let table: toml::Table =
                text.parse()
                    .map_err(|e: toml::de::Error| DefinitionError::Syntax {
                        file: (*name).to_string(),
                        message: e.message().to_string(),
                    })?;
            tables.push((*name, table));
        }
        let mut instruments = Vec::with_capacity(tables.len());
        for (name, table) in &tables {
            let merged = match table.get("variant_of").and_then(|v| v.as_str()) {
                Some(base_id) => {
                    let base = tables
                        .iter()
                        .find(|(_, t)| t.get("id").and_then(|v| v.as_str()) == Some(base_id))
                        .ok_or_else(|| DefinitionError::Syntax {
                            file: (*name).to_string(),
                            message: format!("variant_of names '{base_id}', which is not loaded"),
                        })?;
                    if base.1.contains_key("variant_of") {
                        return Err(DefinitionError::Syntax {
                            file: (*name).to_string(),
                            message: format!(
                                "variant_of names '{base_id}', which is itself a variant"
                            ),
                        });
                    }
                    definition::merge_variant(&base.1, table)
                }
                None => table.clone(),
            };
            let file: InstrumentFile =
                merged
                    .try_into()
                    .map_err(|e: toml::de::Error| DefinitionError::Syntax {
                        file: (*name).to_string(),
                        message: e.message().to_string(),
                    })?;
            instruments.push(compile(file)?);
        }
        let mut seen = BTreeSet::new();
        for i in &instruments {
            if !seen.insert(i.id.as_str()) {
                return Err(rule(&i.id, "id", "two instrument files use this id"));
            }
        }
        Ok(Catalogue { instruments })
    }

    /// The instrument with this id.
    pub fn get(&self, id: &str) -> Option<&Instrument> {
        self.instruments.iter().find(|i| i.id == id)
    }

    /// The instrument with this id, or an error listing the known ids.
    pub fn require(&self, id: &str) -> Result<&Instrument, UnknownInstrument> {
        self.get(id).ok_or_else(|| UnknownInstrument {
            id: id.to_string(),
            known: self.ids().join(", "),
        })
    }

    /// The instrument a FHIR Questionnaire canonical reference points to: ferd's URL (with or without `|version`),
    /// or LOINC's `http://loinc.org/q/<panel>`.
    pub fn by_canonical(&self, canonical: &str) -> Option<&Instrument> {
        let url = canonical.split('|').next().unwrap_or(canonical);
        self.instruments.iter().find(|i| {
            i.url == url
                || i.fhir
                    .loinc_panel
                    .as_deref()
                    .is_some_and(|panel| url.strip_prefix("http://loinc.org/q/") == Some(panel))
        })
    }

    /// All instruments.
    pub fn iter(&self) -> impl Iterator<Item = &Instrument> {
        self.instruments.iter()
    }

    /// All ids, in order.
    pub fn ids(&self) -> Vec<&str> {
        self.instruments.iter().map(|i| i.id.as_str()).collect()
    }
}

/// An instrument id that names no instrument.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown instrument '{id}' (known: {known})")]
pub struct UnknownInstrument {
    pub id: String,
    pub known: String,
}

fn rule(id: &str, field: &str, message: impl Into<String>) -> DefinitionError {
    DefinitionError::Rule {
        id: id.to_string(),
        field: field.to_string(),
        message: message.into(),
    }
}

/// Parses an item list such as `1-5`, `1,2` or `1-2,9` into a bit set over the items, by item key.
fn parse_items(id: &str, field: &str, spec: &str, items: &[Item]) -> Result<u64, DefinitionError> {
    let mut mask = 0u64;
    let find = |key: &str| -> Result<usize, DefinitionError> {
        items.iter().position(|i| i.key == key).ok_or_else(|| {
            rule(
                id,
                field,
                format!("'{spec}' names item '{key}', which does not exist"),
            )
        })
    };
    for part in spec.split(',').map(str::trim) {
        if part.is_empty() {
            return Err(rule(id, field, format!("'{spec}' has an empty part")));
        }
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (u32, u32) = match (a.trim().parse(), b.trim().parse()) {
                    (Ok(a), Ok(b)) if a <= b => (a, b),
                    _ => {
                        return Err(rule(
                            id,
                            field,
                            format!("'{part}' is not a range of item numbers"),
                        ))
                    }
                };
                for n in a..=b {
                    mask |= 1 << find(&n.to_string())?;
                }
            }
            None => mask |= 1 << find(part)?,
        }
    }
    Ok(mask)
}

/// Checks a parsed file and builds the instrument. Every rule broken is reported with its field.
fn compile(f: InstrumentFile) -> Result<Instrument, DefinitionError> {
    let id = f.id.clone();
    let id = id.as_str();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(rule(id, "id", "must be lowercase letters, digits and '-'"));
    }
    if !f.url.starts_with("https://") && !f.url.starts_with("http://") {
        return Err(rule(id, "url", "must be an absolute http(s) URL"));
    }
    if !f.title.has("en") {
        return Err(rule(id, "title", "needs an English title"));
    }

    // Sources: unique ids, and every reference below must name one.
    let mut source_ids = BTreeSet::new();
    for s in &f.sources {
        if !source_ids.insert(s.id.as_str()) {
            return Err(rule(
                id,
                "sources",
                format!("source '{}' is listed twice", s.id),
            ));
        }
        if s.citation.trim().is_empty() || s.url.trim().is_empty() {
            return Err(rule(
                id,
                "sources",
                format!("source '{}' needs a citation and a url", s.id),
            ));
        }
    }
    let cite = |field: &str, source: &str| -> Result<String, DefinitionError> {
        if source_ids.contains(source) {
            Ok(source.to_string())
        } else {
            Err(rule(
                id,
                field,
                format!("cites source '{source}', which is not in [[sources]]"),
            ))
        }
    };

    let licence = Licence {
        kind: f.licence.kind,
        item_text_may_be_shipped: f.licence.item_text_may_be_shipped,
        statement: f.licence.statement,
        copyright: f.licence.copyright,
        source: cite("licence.source", &f.licence.source)?,
    };
    if !licence.item_text_may_be_shipped {
        return Err(rule(
            id,
            "licence",
            "the licence does not allow shipping item text; such instruments are not bundled",
        ));
    }

    let mut text = BTreeMap::new();
    for (lang, t) in f.text {
        text.insert(
            lang.clone(),
            FormText {
                source: cite(&format!("text.{lang}.source"), &t.source)?,
                instructions: t.instructions,
                stem: t.stem,
                verified: t.verified,
                note: t.note,
            },
        );
    }
    if !text.contains_key("en") {
        return Err(rule(id, "text", "needs [text.en]"));
    }
    let mut translations = BTreeMap::new();
    for (lang, t) in f.translations {
        translations.insert(
            lang.clone(),
            Translation {
                bundled: t.bundled,
                note: t.note,
                source: cite(&format!("translations.{lang}.source"), &t.source)?,
            },
        );
    }

    let fhir = FhirCodes {
        source: match &f.fhir.source {
            Some(s) => Some(cite("fhir.source", s)?),
            None => None,
        },
        loinc_panel: f.fhir.loinc_panel,
        loinc_panel_display: f.fhir.loinc_panel_display,
        loinc_total: f.fhir.loinc_total,
        loinc_total_display: f.fhir.loinc_total_display,
        note: f.fhir.note,
    };
    if (fhir.loinc_panel.is_some() || fhir.loinc_total.is_some()) && fhir.source.is_none() {
        return Err(rule(id, "fhir", "LOINC codes need a source"));
    }

    // Answer sets: values 0..=100, unique values and codes, labels in English.
    let mut answer_sets = Vec::with_capacity(f.answer_sets.len());
    for set in f.answer_sets {
        let field = format!("answer_sets.{}", set.id);
        if answer_sets.iter().any(|s: &AnswerSet| s.id == set.id) {
            return Err(rule(id, &field, "answer set id used twice"));
        }
        if set.options.len() < 2 {
            return Err(rule(id, &field, "needs at least two options"));
        }
        let mut options = Vec::with_capacity(set.options.len());
        for o in set.options {
            let value = u8::try_from(o.value)
                .ok()
                .filter(|v| *v <= 100)
                .ok_or_else(|| rule(id, &field, format!("value {} is outside 0–100", o.value)))?;
            if options
                .iter()
                .any(|x: &AnswerOption| x.value == value || x.code == o.code)
            {
                return Err(rule(
                    id,
                    &field,
                    format!("value {value} or code '{}' used twice", o.code),
                ));
            }
            if !o.label.has("en") || o.code.trim().is_empty() {
                return Err(rule(
                    id,
                    &field,
                    format!("option {value} needs a code and an English label"),
                ));
            }
            options.push(AnswerOption {
                value,
                code: o.code,
                label: o.label,
            });
        }
        let min = options.iter().map(|o| o.value).min().unwrap_or(0);
        let max = options.iter().map(|o| o.value).max().unwrap_or(0);
        if (max - min) as usize + 1 != options.len() {
            return Err(rule(
                id,
                &field,
                "option values must be consecutive integers",
            ));
        }
        answer_sets.push(AnswerSet {
            code_system: set
                .system
                .clone()
                .unwrap_or_else(|| crate::fhir::answer_system(&set.id)),
            id: set.id,
            system: set.system,
            options,
            min,
            max,
            source: cite(&format!("{field}.source"), &set.source)?,
        });
    }

    // Items.
    if f.items.is_empty() || f.items.len() > MAX_ITEMS {
        return Err(rule(id, "items", format!("needs 1–{MAX_ITEMS} items")));
    }
    let mut items: Vec<Item> = Vec::with_capacity(f.items.len());
    for it in f.items {
        let field = format!("items.{}", it.key);
        if it.key.is_empty() || items.iter().any(|x| x.key == it.key) {
            return Err(rule(id, &field, "item keys must be non-empty and unique"));
        }
        let answer_set = answer_sets
            .iter()
            .position(|s| s.id == it.answers)
            .ok_or_else(|| {
                rule(
                    id,
                    &field,
                    format!("answer set '{}' does not exist", it.answers),
                )
            })?;
        if !it.text.has("en") {
            return Err(rule(id, &field, "needs English text"));
        }
        items.push(Item {
            link_id: format!("{id}-{}", it.key),
            key: it.key,
            text: it.text,
            answer_set,
            loinc: it.loinc,
            required: it.required,
            scored: it.scored,
        });
    }
    let mask_where = |pred: &dyn Fn(&Item) -> bool| -> u64 {
        items
            .iter()
            .enumerate()
            .filter(|(_, item)| pred(item))
            .fold(0u64, |m, (i, _)| m | (1 << i))
    };
    let required = mask_where(&|i| i.required);
    let scored = mask_where(&|i| i.scored);
    let positional_required = items.iter().rposition(|i| i.required).map_or(0, |p| p + 1);

    let gate = match f.gate {
        Some(g) => {
            let item = items.iter().position(|i| i.key == g.item).ok_or_else(|| {
                rule(id, "gate.item", format!("item '{}' does not exist", g.item))
            })?;
            if item != 0 || items[item].scored || !items[item].required {
                return Err(rule(
                    id,
                    "gate.item",
                    "the gate must be the first item, required and not scored",
                ));
            }
            let set = &answer_sets[items[item].answer_set];
            let closes_when = u8::try_from(g.closes_when)
                .ok()
                .filter(|v| set.option(*v).is_some())
                .ok_or_else(|| {
                    rule(
                        id,
                        "gate.closes_when",
                        "must be one of the gate item's answer values",
                    )
                })?;
            Some(Gate {
                item,
                closes_when,
                source: cite("gate.source", &g.source)?,
            })
        }
        None => None,
    };

    // Scores: the total first, covering exactly the scored items; subscales partition the total.
    if f.scores.len() > MAX_SCORES {
        return Err(rule(id, "scores", format!("at most {MAX_SCORES} scores")));
    }
    let mut scores: Vec<ScoreDef> = Vec::with_capacity(f.scores.len());
    for s in f.scores {
        let field = format!("scores.{}", s.id);
        if scores.iter().any(|x| x.id == s.id) {
            return Err(rule(id, &field, "score id used twice"));
        }
        let kind = match s.kind {
            ScoreKindFile::Total => ScoreKind::Total,
            ScoreKindFile::Subscale => ScoreKind::Subscale,
            ScoreKindFile::Derived => ScoreKind::Derived,
        };
        if (kind == ScoreKind::Total) != scores.is_empty() {
            return Err(rule(
                id,
                &field,
                "the first score, and only the first, must be of kind \"total\"",
            ));
        }
        let mask = parse_items(id, &field, &s.items, &items)?;
        if mask & !scored != 0 {
            return Err(rule(id, &field, "counts an item that is marked not scored"));
        }
        let multiplier = i32::try_from(s.multiplier.unwrap_or(1))
            .ok()
            .filter(|m| (1..=100).contains(m))
            .ok_or_else(|| rule(id, &field, "multiplier must be 1–100"))?;
        let (mut min, mut max) = (0i32, 0i32);
        for (i, item) in items.iter().enumerate() {
            if mask & (1 << i) != 0 {
                min += i32::from(answer_sets[item.answer_set].min);
                max += i32::from(answer_sets[item.answer_set].max);
            }
        }
        scores.push(ScoreDef {
            id: s.id,
            kind,
            name: s.name,
            items: mask,
            multiplier,
            min: min * multiplier,
            max: max * multiplier,
            loinc: s.loinc,
            loinc_display: s.loinc_display,
            source: cite(&format!("{field}.source"), &s.source)?,
        });
    }
    let total = scores
        .first()
        .ok_or_else(|| rule(id, "scores", "needs a total"))?;
    if total.items != scored || total.multiplier != 1 {
        return Err(rule(
            id,
            "scores.total",
            "the total must be the plain sum of exactly the scored items",
        ));
    }
    let subscale_masks: Vec<u64> = scores
        .iter()
        .filter(|s| s.kind == ScoreKind::Subscale)
        .map(|s| s.items)
        .collect();
    if !subscale_masks.is_empty() {
        let union = subscale_masks.iter().fold(0, |a, m| a | m);
        let sum: u32 = subscale_masks.iter().map(|m| m.count_ones()).sum();
        if union != total.items || sum != total.items.count_ones() {
            return Err(rule(
                id,
                "scores",
                "subscales must partition the total's items",
            ));
        }
    }
    let score_ref = |field: &str, score: &str| -> Result<usize, DefinitionError> {
        scores
            .iter()
            .position(|s| s.id == score)
            .ok_or_else(|| rule(id, field, format!("score '{score}' does not exist")))
    };

    // Bands: for each banded score, contiguous, non-overlapping and covering its whole range.
    let mut bands: Vec<Band> = Vec::with_capacity(f.bands.len());
    for b in f.bands {
        let field = format!("bands.{}", b.id);
        let score = score_ref(&field, &b.score)?;
        if bands.iter().any(|x| x.score == score && x.id == b.id) {
            return Err(rule(id, &field, "band id used twice"));
        }
        let (min, max) = match (i32::try_from(b.min), i32::try_from(b.max)) {
            (Ok(a), Ok(z)) if a <= z => (a, z),
            _ => return Err(rule(id, &field, "min must not exceed max")),
        };
        bands.push(Band {
            id: b.id,
            score,
            min,
            max,
            label: b.label,
            source: cite(&format!("{field}.source"), &b.source)?,
        });
    }
    for (si, s) in scores.iter().enumerate() {
        let mut own: Vec<&Band> = bands.iter().filter(|b| b.score == si).collect();
        if own.is_empty() {
            continue;
        }
        own.sort_by_key(|b| b.min);
        let mut next = s.min;
        for b in &own {
            if b.min != next {
                return Err(rule(
                    id,
                    &format!("bands.{}", b.id),
                    format!(
                        "starts at {} but the previous band ends at {}",
                        b.min,
                        next - 1
                    ),
                ));
            }
            next = b.max + 1;
        }
        if next - 1 != s.max {
            return Err(rule(
                id,
                "bands",
                format!(
                    "bands of '{}' end at {} but the score reaches {}",
                    s.id,
                    next - 1,
                    s.max
                ),
            ));
        }
    }

    let threshold = |field: &str,
                     at_least: Option<i64>,
                     at_most: Option<i64>,
                     score: &ScoreDef|
     -> Result<Threshold, DefinitionError> {
        let t = match (at_least, at_most) {
            (Some(v), None) => {
                Threshold::AtLeast(i32::try_from(v).map_err(|_| rule(id, field, "out of range"))?)
            }
            (None, Some(v)) => {
                Threshold::AtMost(i32::try_from(v).map_err(|_| rule(id, field, "out of range"))?)
            }
            _ => return Err(rule(id, field, "give exactly one of at_least and at_most")),
        };
        let inside = match t {
            Threshold::AtLeast(v) => v > score.min && v <= score.max,
            Threshold::AtMost(v) => v >= score.min && v < score.max,
        };
        if !inside {
            return Err(rule(
                id,
                field,
                format!(
                    "threshold {t} does not split the range {}–{} of '{}'",
                    score.min, score.max, score.id
                ),
            ));
        }
        Ok(t)
    };

    let mut cutoffs: Vec<Cutoff> = Vec::with_capacity(f.cutoffs.len());
    for c in f.cutoffs {
        let field = format!("cutoffs.{}", c.id);
        if cutoffs.iter().any(|x| x.id == c.id) {
            return Err(rule(id, &field, "cut-off id used twice"));
        }
        let score = score_ref(&field, &c.score)?;
        cutoffs.push(Cutoff {
            threshold: threshold(&field, c.at_least, c.at_most, &scores[score])?,
            id: c.id,
            primary: c.primary,
            score,
            label: c.label,
            source: cite(&format!("{field}.source"), &c.source)?,
            note: c.note,
        });
    }
    if cutoffs.iter().filter(|c| c.primary).count() > 1 {
        return Err(rule(id, "cutoffs", "at most one cut-off may be primary"));
    }

    let mut patterns: Vec<Pattern> = Vec::with_capacity(f.patterns.len());
    for p in f.patterns {
        let field = format!("patterns.{}", p.id);
        if patterns.iter().any(|x| x.id == p.id) {
            return Err(rule(id, &field, "pattern id used twice"));
        }
        if p.criteria.is_empty() {
            return Err(rule(id, &field, "needs at least one criterion"));
        }
        let endorsed_at = u8::try_from(p.endorsed_at)
            .map_err(|_| rule(id, &field, "endorsed_at out of range"))?;
        let mut criteria = Vec::with_capacity(p.criteria.len());
        for c in p.criteria {
            let mask = parse_items(id, &field, &c.items, &items)?;
            if mask & !scored != 0 {
                return Err(rule(
                    id,
                    &field,
                    "a criterion counts an item that is not scored",
                ));
            }
            let n = mask.count_ones();
            if c.at_least == 0
                || c.at_least > n
                || c.at_most.is_some_and(|m| m < c.at_least || m > n)
            {
                return Err(rule(
                    id,
                    &field,
                    format!("criterion on items {} has impossible bounds", c.items),
                ));
            }
            criteria.push(Criterion {
                items: mask,
                items_text: c.items,
                at_least: c.at_least,
                at_most: c.at_most,
            });
        }
        patterns.push(Pattern {
            id: p.id,
            provisional_diagnosis: p.provisional_diagnosis,
            endorsed_at,
            label: p.label,
            criteria,
            source: cite(&format!("{field}.source"), &p.source)?,
        });
    }
    if patterns.iter().filter(|p| p.provisional_diagnosis).count() > 1 {
        return Err(rule(
            id,
            "patterns",
            "at most one pattern may be the provisional diagnosis",
        ));
    }

    let mut flags: Vec<Flag> = Vec::with_capacity(f.flags.len());
    for fl in f.flags {
        let field = format!("flags.{}", fl.id);
        let item = items
            .iter()
            .position(|i| i.key == fl.item)
            .ok_or_else(|| rule(id, &field, format!("item '{}' does not exist", fl.item)))?;
        let set = &answer_sets[items[item].answer_set];
        let at_least = u8::try_from(fl.at_least)
            .ok()
            .filter(|v| *v > set.min && *v <= set.max)
            .ok_or_else(|| {
                rule(
                    id,
                    &field,
                    "at_least must lie within the item's answer values, above the lowest",
                )
            })?;
        if flags.iter().any(|x| x.id == fl.id) {
            return Err(rule(id, &field, "flag id used twice"));
        }
        flags.push(Flag {
            id: fl.id,
            item,
            at_least,
            severity: fl.severity,
            label: fl.label,
            source: cite(&format!("{field}.source"), &fl.source)?,
        });
    }
    if cutoffs.len() > MAX_RULES || patterns.len() > MAX_RULES || flags.len() > MAX_RULES {
        return Err(rule(
            id,
            "cutoffs/patterns/flags",
            format!("at most {MAX_RULES} of each"),
        ));
    }

    let change = match f.change {
        Some(c) => Some(compile_change(id, c, &scores, &cite)?),
        None => None,
    };
    if let Some((t, _)) = change.as_ref().and_then(|c| c.functional.as_ref()) {
        if matches!(t, Threshold::AtLeast(_)) == f.higher_is_worse {
            return Err(rule(
                id,
                "change.functional",
                "the functional range must lie at the healthy end of the scale (at_most when higher is worse)",
            ));
        }
    }

    Ok(Instrument {
        id: f.id,
        variant_of: f.variant_of,
        version: f.version,
        name: f.name,
        short_name: f.short_name,
        url: f.url,
        purpose: f.purpose,
        higher_is_worse: f.higher_is_worse,
        citation: f.citation,
        title: f.title,
        recall: Recall {
            days: f.recall.days,
            text: Localized(f.recall.text),
        },
        licence,
        text,
        translations,
        fhir,
        answer_sets,
        items,
        gate,
        scores,
        bands,
        cutoffs,
        patterns,
        flags,
        change,
        sources: f
            .sources
            .into_iter()
            .map(|s| Source {
                id: s.id,
                citation: s.citation,
                url: s.url,
            })
            .collect(),
        total_link_id: format!("{id}-total"),
        required,
        positional_required,
    })
}

fn compile_change(
    id: &str,
    c: definition::ChangeFile,
    scores: &[ScoreDef],
    cite: &dyn Fn(&str, &str) -> Result<String, DefinitionError>,
) -> Result<ChangeRules, DefinitionError> {
    let score = scores.iter().position(|s| s.id == c.score).ok_or_else(|| {
        rule(
            id,
            "change.score",
            format!("score '{}' does not exist", c.score),
        )
    })?;
    let need = |field: &str, source: &Option<String>| -> Result<String, DefinitionError> {
        match source {
            Some(s) => cite(field, s),
            None => Err(rule(id, field, "a number without its source")),
        }
    };
    let positive = |field: &str, v: f64| -> Result<f64, DefinitionError> {
        if v.is_finite() && v > 0.0 {
            Ok(v)
        } else {
            Err(rule(id, field, "must be a positive number"))
        }
    };
    let reliable_points = match c.reliable_points {
        Some(p) => Some((
            positive("change.reliable_points", p)?,
            need("change.reliable_points_source", &c.reliable_points_source)?,
        )),
        None => None,
    };
    let basis = match (c.sd, c.reliability, c.sem) {
        (Some(sd), Some(r), None) => {
            if !(r > 0.0 && r < 1.0) {
                return Err(rule(id, "change.reliability", "must lie strictly between 0 and 1"));
            }
            SdiffBasis::SdAndReliability {
                sd: positive("change.sd", sd)?,
                sd_source: need("change.sd_source", &c.sd_source)?,
                reliability: r,
                reliability_source: need("change.reliability_source", &c.reliability_source)?,
            }
        }
        (None, None, Some(sem)) => SdiffBasis::Sem {
            sem: positive("change.sem", sem)?,
            source: need("change.sem_source", &c.sem_source)?,
        },
        (None, None, None) => match &reliable_points {
            Some((points, source)) => SdiffBasis::PublishedThreshold {
                points: *points,
                source: source.clone(),
            },
            None => {
                return Err(rule(
                    id,
                    "change",
                    "needs sd and reliability, or sem, or reliable_points to compute the reliable change index",
                ))
            }
        },
        _ => {
            return Err(rule(
                id,
                "change",
                "give either sd with reliability, or sem, not a mixture",
            ))
        }
    };
    let s_diff = match &basis {
        SdiffBasis::SdAndReliability {
            sd, reliability, ..
        } => crate::stats::reliable_change::standard_error_of_difference(*sd, *reliability),
        SdiffBasis::Sem { sem, .. } => {
            crate::stats::reliable_change::standard_error_of_difference_from_sem(*sem)
        }
        SdiffBasis::PublishedThreshold { points, .. } => {
            points / crate::stats::reliable_change::RELIABLE_Z
        }
    };
    let functional = match (c.functional_at_least, c.functional_at_most) {
        (None, None) => None,
        (at_least, at_most) => {
            let field = "change.functional";
            let t = match (at_least, at_most) {
                (Some(v), None) => Threshold::AtLeast(
                    i32::try_from(v).map_err(|_| rule(id, field, "out of range"))?,
                ),
                (None, Some(v)) => Threshold::AtMost(
                    i32::try_from(v).map_err(|_| rule(id, field, "out of range"))?,
                ),
                _ => {
                    return Err(rule(
                        id,
                        field,
                        "give one of functional_at_least and functional_at_most",
                    ))
                }
            };
            Some((t, need("change.functional_source", &c.functional_source)?))
        }
    };
    Ok(ChangeRules {
        score,
        s_diff,
        s_diff_basis: basis,
        reliable_points,
        clinically_meaningful_points: positive(
            "change.clinically_meaningful_points",
            c.clinically_meaningful_points,
        )?,
        clinically_meaningful_source: cite(
            "change.clinically_meaningful_source",
            &c.clinically_meaningful_source,
        )?,
        functional,
    })
}

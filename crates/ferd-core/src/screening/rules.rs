//! The checked rule set: interaction classes, medicines, rules and their sources, built from the screening files.
//!
//! Loading refuses a file, naming the file and the field, when anything a clinician would rely on is missing or
//! ambiguous: a rule or membership without a source listed in the same file, an explanation without Norwegian, a name
//! that two medicines share, a term that two conditions share, an interaction class without a rule, a rule without
//! an example that shows it firing.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::file::{ExampleFile, RuleFile, ScreeningFile, SourceFile, TriggerFile};
use super::matching::{self, Lexicon};
use super::{
    BloodPressure, Day, EpisodeKind, FamilyCondition, FamilyHistory, HistoryQuestion, IntakeFacts,
    Medication, PastEpisode, Remission, SubstanceUse, UseDisorder, UseSeverity,
};
use crate::instruments::Localized;

/// How much a finding stands in the way, most serious first (the order findings are sorted in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// The published protocol excluded people with this; no medicine session while it holds.
    Exclusion,
    /// A named clinician must review it and record a clearance or refusal before going on.
    ClearanceRequired,
    /// Allowed with care: a plan, a taper, a note for the medicine team.
    Caution,
    /// Something to know or to check by hand.
    Info,
}

impl Severity {
    /// All severities, most serious first.
    pub const ALL: [Severity; 4] = [
        Severity::Exclusion,
        Severity::ClearanceRequired,
        Severity::Caution,
        Severity::Info,
    ];

    /// The id used in JSON and files: `exclusion`, `clearance-required`, `caution`, `info`.
    pub fn id(self) -> &'static str {
        match self {
            Severity::Exclusion => "exclusion",
            Severity::ClearanceRequired => "clearance-required",
            Severity::Caution => "caution",
            Severity::Info => "info",
        }
    }

    /// A label for people, in `en` or `nb` (English for any other language).
    pub fn label(self, lang: &str) -> &'static str {
        let nb = lang == "nb";
        match self {
            Severity::Exclusion if nb => "Eksklusjon",
            Severity::Exclusion => "Exclusion",
            Severity::ClearanceRequired if nb => "Krever medisinsk klarering",
            Severity::ClearanceRequired => "Needs medical clearance",
            Severity::Caution if nb => "Forsiktighet",
            Severity::Caution => "Caution",
            Severity::Info if nb => "Informasjon",
            Severity::Info => "Information",
        }
    }
}

/// Where a rule comes from: the criteria of the MAPP1 or MAPP2 trial, or a clinic's own safety practice (pharmacology
/// that holds in any setting, or what practices do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Setting {
    /// The MAPP1 trial's criteria (Mitchell et al. 2021).
    #[serde(rename = "MAPP1")]
    Mapp1,
    /// The MAPP2 trial's criteria (Mitchell et al. 2023).
    #[serde(rename = "MAPP2")]
    Mapp2,
    /// A clinic's or practice's own safety rule.
    #[serde(rename = "clinic")]
    Clinic,
}

/// A reference, as listed in a file's `[[sources]]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    /// The key rules use to cite it, unique within its file.
    pub id: String,
    /// Authors, year, journal and what it shows.
    pub citation: String,
    /// A DOI or web address, where there is one.
    pub url: Option<String>,
}

/// A group of medicines and substances that interact with MDMA in the same way (MAOIs, SSRIs and SNRIs …).
#[derive(Debug, Clone)]
pub struct InteractionClass {
    /// `maoi`, `ssri-snri` …: the `class` of its rules and findings.
    pub id: String,
    /// The class's name in English and Norwegian.
    pub name: Localized,
    /// ATC groups (upper case, `N06AB`) whose members all belong here, for codes no medicine entry names.
    pub atc: Vec<String>,
    /// A medicine stopped fewer than this many days ago still counts (0: only while taken).
    pub recent_days: u32,
    /// Where the window comes from.
    pub recent_source: Source,
}

/// A medicine or substance ferd recognises, with the classes it belongs to.
#[derive(Debug, Clone)]
pub struct Medicine {
    /// A stable id (`moclobemide`).
    pub id: String,
    /// Generic names, English and Norwegian spellings; the first is shown as what an entry was recognised as.
    pub names: Vec<String>,
    /// Brand names sold in Norway (and a few common elsewhere).
    pub brands: Vec<String>,
    /// ATC codes (upper case).
    pub atc: Vec<String>,
    /// Indexes into [`RuleSet::classes`].
    pub classes: Vec<usize>,
    /// Class ids whose membership is recalled or inferred rather than taken from a checked source.
    pub unverified_classes: Vec<String>,
    /// False when the names, brands or codes are recalled rather than checked.
    pub verified: bool,
    /// Where the class memberships come from.
    pub source: Source,
    /// A window after stopping that replaces the class's (fluoxetine lingers for weeks).
    pub recent_days: Option<u32>,
    /// Something a clinician should know about this medicine (a combination product, a second use).
    pub note: Option<Localized>,
}

impl Medicine {
    /// The generic name shown for it.
    pub fn display_name(&self) -> &str {
        &self.names[0]
    }
}

/// What makes a rule fire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// A medicine of the rule's class is taken (or its taper has not ended).
    Taking,
    /// A medicine of the rule's class was stopped within the class's window. Without such a rule for a class, its
    /// `Taking` rules fire instead: a recently stopped medicine is treated as still taken.
    StoppedRecently,
    /// A medicine of the rule's class is taken and the last medicine session was at most this many days ago.
    AfterSession {
        /// The last day after a session on which the rule still applies.
        within_days: u32,
    },
    /// A condition entry contains one of the rule's terms.
    Condition,
    /// The pregnancy flag is set (or a condition entry names a term of the rule).
    Pregnant,
    /// The breastfeeding flag is set (or a condition entry names a term of the rule).
    Breastfeeding,
    /// The age is below this.
    AgeBelow(u32),
    /// A reading at or above either limit. Of several blood-pressure rules, only the one with the highest limits that
    /// fires is reported.
    BloodPressure {
        /// Systolic limit, mmHg.
        systolic: u16,
        /// Diastolic limit, mmHg.
        diastolic: u16,
    },
    /// A substance use disorder at the level MAPP2 excluded.
    UseDisorderExcluded,
    /// A substance use disorder below that level.
    UseDisorderAllowed,
    /// A medicine or substance entry that matches nothing.
    UnrecognisedMedicine,
    /// A condition entry that matches nothing.
    UnrecognisedCondition,
    /// A first-degree relative has had this illness (the health form's family questions).
    FamilyHistory(FamilyCondition),
    /// The person has had an episode of this kind, with or without a substance behind it.
    Episode {
        /// The kind of episode.
        kind: EpisodeKind,
        /// Whether the rule is about episodes that came only with a substance.
        substance_induced: bool,
    },
    /// A question of the psychiatric history answered "I don't know".
    HistoryUnknown,
}

/// One screening rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// A stable id (`maoi`, `bipolar-1`), also the code word for a condition rule.
    pub id: String,
    /// How much a finding of this rule stands in the way.
    pub severity: Severity,
    /// The interaction class for medicine rules; a category (`psychiatric`, `cardiovascular` …) for the others.
    pub class: String,
    /// What makes it fire.
    pub trigger: Trigger,
    /// Condition words in English, Norwegian and Swedish that fire the rule.
    pub terms: Vec<String>,
    /// Why it matters, in plain words, in English and Norwegian.
    pub explanation: Localized,
    /// The source the rule rests on.
    pub source: Source,
    /// False when the fact behind the rule is marked UNVERIFIED or INFERRED in the domain notes, or comes only from a
    /// secondary source; such findings are shown as unverified.
    pub verified: bool,
    /// The settings whose criteria the rule reflects.
    pub effective_for: Vec<Setting>,
    /// Why the rule is unverified, or what a maintainer should know.
    pub note: Option<String>,
    /// Intakes on which the rule must fire (checked by the test suite).
    pub examples: Vec<Example>,
    /// Intakes on which it must not.
    pub counter_examples: Vec<Example>,
}

/// A small intake written in a rule's data, to show and test when the rule fires.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Example {
    /// Medicine entries as a person would write them.
    pub medications: Vec<String>,
    /// Applies to every medication and substance: days since it was stopped (negative: a taper ending later).
    pub stopped_days_ago: Option<i64>,
    /// Condition entries.
    pub conditions: Vec<String>,
    /// Substance entries.
    pub substances: Vec<String>,
    /// A use disorder of this severity for every substance.
    pub use_disorder: Option<UseSeverity>,
    /// The remission of that use disorder.
    pub remission: Remission,
    /// The pregnancy flag.
    pub pregnant: bool,
    /// The breastfeeding flag.
    pub breastfeeding: bool,
    /// Age in years.
    pub age: Option<u32>,
    /// A blood-pressure reading.
    pub blood_pressure: Option<BloodPressure>,
    /// Days since the last medicine session.
    pub days_since_session: Option<u32>,
    /// Psychosis or bipolar disorder in first-degree relatives.
    pub family_history: Vec<FamilyHistory>,
    /// Own episodes.
    pub episodes: Vec<PastEpisode>,
    /// History questions answered "I don't know".
    pub unknown_history: Vec<HistoryQuestion>,
}

impl Example {
    /// The intake this example describes, on `today`.
    pub fn facts(&self, today: Day) -> IntakeFacts {
        let stopped = self.stopped_days_ago.map(|d| today.plus(-d));
        let mut facts = IntakeFacts::new(today);
        facts.medications = self
            .medications
            .iter()
            .map(|name| Medication {
                name: name.clone(),
                stopped,
            })
            .collect();
        facts.substances = self
            .substances
            .iter()
            .map(|s| SubstanceUse {
                substance: s.clone(),
                last_used: stopped,
                disorder: self.use_disorder.map(|severity| UseDisorder {
                    severity,
                    remission: self.remission,
                }),
            })
            .collect();
        facts.conditions = self.conditions.clone();
        facts.pregnant = self.pregnant;
        facts.breastfeeding = self.breastfeeding;
        facts.age = self.age;
        facts.blood_pressure = self.blood_pressure;
        facts.days_since_last_medicine_session = self.days_since_session;
        facts.family_history = self.family_history.clone();
        facts.episodes = self.episodes.clone();
        facts.unknown_history = self.unknown_history.clone();
        facts
    }
}

/// What a name in an entry was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    Medicine(usize),
    /// An ATC group code that no medicine names, read through the class that claims the group.
    Group(usize),
}

/// Whether a trigger answers one of the health form's psychiatric-history questions (one rule per answer).
fn is_history(t: Trigger) -> bool {
    matches!(
        t,
        Trigger::FamilyHistory(_) | Trigger::Episode { .. } | Trigger::HistoryUnknown
    )
}

/// What is wrong with a screening file: the file, the field and the rule broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("screening file {file}: {field}: {message}")]
pub struct ScreeningError {
    /// The file name.
    pub file: String,
    /// The field, as `rules.<id>.source` or `medicines.<id>.names`.
    pub field: String,
    /// The rule the field breaks.
    pub message: String,
}

/// The substances whose use disorders MAPP2 graded by severity (severe, or moderate not in remission, excluded);
/// any other substance's disorder was excluded unless in sustained remission. The classes must exist when a file has
/// use-disorder rules.
pub(crate) const GRADED_USE_CLASSES: [&str; 2] = ["alcohol", "cannabis"];

/// The screening files embedded in the binary, as (file name, contents).
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    (
        "medicines.toml",
        include_str!("../../../../data/screening/medicines.toml"),
    ),
    (
        "conditions.toml",
        include_str!("../../../../data/screening/conditions.toml"),
    ),
];

/// Every screening rule with what it needs to recognise medicines and conditions.
#[derive(Debug)]
pub struct RuleSet {
    pub(crate) classes: Vec<InteractionClass>,
    pub(crate) medicines: Vec<Medicine>,
    pub(crate) rules: Vec<Rule>,
    pub(crate) sources: Vec<Source>,
    /// Names and brands → medicine.
    pub(crate) names: Lexicon<Target>,
    /// ATC code (lower case) → medicine.
    pub(crate) atc: BTreeMap<String, usize>,
    /// ATC group (lower case) → class.
    pub(crate) groups: Vec<(String, usize)>,
    /// Condition terms → rule.
    pub(crate) terms: Lexicon<usize>,
}

impl RuleSet {
    /// The bundled rules. Their files are checked by the test suite, so this cannot fail in a tested build.
    pub fn builtin() -> &'static RuleSet {
        static BUILTIN: OnceLock<RuleSet> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            RuleSet::load(BUILTIN_FILES)
                .unwrap_or_else(|e| panic!("bundled screening rules are invalid: {e}"))
        })
    }

    /// Loads and checks screening files (each source reference resolves within its own file).
    pub fn load(files: &[(&str, &str)]) -> Result<RuleSet, ScreeningError> {
        let mut parsed = Vec::with_capacity(files.len());
        for (name, text) in files {
            let f: ScreeningFile = toml::from_str(text).map_err(|e| ScreeningError {
                file: (*name).to_string(),
                field: e
                    .span()
                    .map(|s| format!("at byte {}", s.start))
                    .unwrap_or_else(|| "file".into()),
                message: e.message().to_string(),
            })?;
            parsed.push((*name, f));
        }
        let mut b = Builder::default();
        for (name, f) in &parsed {
            b.sources(name, &f.sources)?;
        }
        for (name, f) in &parsed {
            b.classes(name, f)?;
        }
        for (name, f) in &parsed {
            b.medicines(name, f)?;
        }
        for (name, f) in parsed {
            for r in f.rules {
                b.rule(name, r)?;
            }
        }
        b.finish(files.first().map(|f| f.0).unwrap_or("(none)"))
    }

    /// Every rule, in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule with this id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The interaction classes.
    pub fn classes(&self) -> &[InteractionClass] {
        &self.classes
    }

    /// The interaction class with this id.
    pub fn class(&self, id: &str) -> Option<&InteractionClass> {
        self.classes.iter().find(|c| c.id == id)
    }

    /// The medicines and substances ferd recognises.
    pub fn medicines(&self) -> &[Medicine] {
        &self.medicines
    }

    /// Every source of every file.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// What ferd recognises in a medicine entry: the medicines it names (by generic name, brand or ATC code). An
    /// ATC group code with no medicine of its own ("N06AB") is not a medicine and is not returned here.
    pub fn recognise(&self, entry: &str) -> Vec<&Medicine> {
        self.find_medicines(entry)
            .into_iter()
            .filter_map(|t| match t {
                Target::Medicine(i) => Some(&self.medicines[i]),
                Target::Group(_) => None,
            })
            .collect()
    }

    pub(crate) fn find_medicines(&self, entry: &str) -> Vec<Target> {
        let words = matching::words(entry);
        self.names
            .find(&words, |run| {
                if !matching::looks_like_atc(run) {
                    return None;
                }
                if let Some(&m) = self.atc.get(run) {
                    return Some(Target::Medicine(m));
                }
                // The most specific group wins: N06AB (SSRI) over N06A (other psychiatric medicines).
                self.groups
                    .iter()
                    .filter(|(g, _)| run.starts_with(g.as_str()))
                    .max_by_key(|(g, _)| g.len())
                    .map(|&(_, c)| Target::Group(c))
            })
            .into_iter()
            .map(|h| h.target)
            .collect()
    }
}

/// Collects the checked parts of the files.
#[derive(Default)]
struct Builder {
    sources: BTreeMap<(String, String), Source>,
    all_sources: Vec<Source>,
    classes: Vec<InteractionClass>,
    /// The file each class was defined in, for errors found only at the end.
    class_files: Vec<String>,
    medicines: Vec<Medicine>,
    rules: Vec<Rule>,
    names: Lexicon<Target>,
    atc: BTreeMap<String, usize>,
    groups: Vec<(String, usize)>,
    terms: Lexicon<usize>,
}

fn err(file: &str, field: impl Into<String>, message: impl Into<String>) -> ScreeningError {
    ScreeningError {
        file: file.to_string(),
        field: field.into(),
        message: message.into(),
    }
}

use crate::ids::is_kebab;

fn check_id(file: &str, field: &str, id: &str) -> Result<(), ScreeningError> {
    if is_kebab(id) {
        Ok(())
    } else {
        Err(err(
            file,
            field,
            format!("'{id}' is not an id: lower-case letters, digits and hyphens"),
        ))
    }
}

/// Both `en` and `nb`, neither empty: the interface shows every rule in both languages.
fn check_localized(file: &str, field: &str, text: &Localized) -> Result<(), ScreeningError> {
    for lang in ["en", "nb"] {
        if text.0.get(lang).is_none_or(|t| t.trim().is_empty()) {
            return Err(err(file, field, format!("needs a text in '{lang}'")));
        }
    }
    Ok(())
}

impl Builder {
    fn sources(&mut self, file: &str, sources: &[SourceFile]) -> Result<(), ScreeningError> {
        for s in sources {
            let field = format!("sources.{}", s.id);
            check_id(file, &field, &s.id)?;
            if s.citation.trim().is_empty() {
                return Err(err(file, &field, "a source needs its citation"));
            }
            let source = Source {
                id: s.id.clone(),
                citation: s.citation.clone(),
                url: s.url.clone(),
            };
            if self
                .sources
                .insert((file.to_string(), s.id.clone()), source.clone())
                .is_some()
            {
                return Err(err(file, &field, "source id listed twice"));
            }
            self.all_sources.push(source);
        }
        Ok(())
    }

    fn cite(&self, file: &str, field: &str, id: &str) -> Result<Source, ScreeningError> {
        self.sources
            .get(&(file.to_string(), id.to_string()))
            .cloned()
            .ok_or_else(|| {
                err(
                    file,
                    field,
                    format!("source '{id}' is not listed in this file's [[sources]]"),
                )
            })
    }

    fn class_index(&self, id: &str) -> Option<usize> {
        self.classes.iter().position(|c| c.id == id)
    }

    fn classes(&mut self, file: &str, f: &ScreeningFile) -> Result<(), ScreeningError> {
        for c in &f.classes {
            let field = format!("classes.{}", c.id);
            check_id(file, &field, &c.id)?;
            if self.class_index(&c.id).is_some() {
                return Err(err(file, &field, "class id used twice"));
            }
            check_localized(file, &format!("{field}.name"), &c.name)?;
            let index = self.classes.len();
            let mut atc = Vec::with_capacity(c.atc.len());
            for code in &c.atc {
                let k = matching::key(code);
                if !matching::looks_like_atc(&k) || k.len() == 7 {
                    return Err(err(
                        file,
                        format!("{field}.atc"),
                        format!(
                            "'{code}' is not an ATC group (a whole code belongs to a medicine)"
                        ),
                    ));
                }
                if self.groups.iter().any(|(g, _)| *g == k) {
                    return Err(err(
                        file,
                        format!("{field}.atc"),
                        format!("ATC group '{code}' is claimed by two classes"),
                    ));
                }
                self.groups.push((k, index));
                atc.push(code.to_uppercase());
            }
            self.class_files.push(file.to_string());
            self.classes.push(InteractionClass {
                id: c.id.clone(),
                name: c.name.clone(),
                atc,
                recent_days: c.recent_days,
                recent_source: self.cite(
                    file,
                    &format!("{field}.recent_source"),
                    &c.recent_source,
                )?,
            });
        }
        Ok(())
    }

    fn medicines(&mut self, file: &str, f: &ScreeningFile) -> Result<(), ScreeningError> {
        if !f.medicines.is_empty() {
            let id = f.identification_source.as_deref().ok_or_else(|| {
                err(
                    file,
                    "identification_source",
                    "a file with medicines must cite where their names, brands and ATC codes come from",
                )
            })?;
            self.cite(file, "identification_source", id)?;
        }
        for m in &f.medicines {
            let field = format!("medicines.{}", m.id);
            check_id(file, &field, &m.id)?;
            if self.medicines.iter().any(|x| x.id == m.id) {
                return Err(err(file, &field, "medicine id used twice"));
            }
            if m.names.is_empty() {
                return Err(err(
                    file,
                    format!("{field}.names"),
                    "needs at least one name",
                ));
            }
            if m.classes.is_empty() {
                return Err(err(
                    file,
                    format!("{field}.classes"),
                    "needs at least one class",
                ));
            }
            let index = self.medicines.len();
            for name in m.names.iter().chain(&m.brands) {
                let k = matching::key(name);
                if k.is_empty() || matching::looks_like_atc(&k) {
                    return Err(err(
                        file,
                        format!("{field}.names"),
                        format!("'{name}' cannot be told apart from a dose or an ATC code"),
                    ));
                }
                if let Some(Target::Medicine(other)) =
                    self.names.insert(name, Target::Medicine(index))
                {
                    return Err(err(
                        file,
                        format!("{field}.names"),
                        format!("'{name}' already names {}", self.medicines[other].id),
                    ));
                }
            }
            let mut atc = Vec::with_capacity(m.atc.len());
            for code in &m.atc {
                let k = matching::key(code);
                if k.len() != 7 || !matching::looks_like_atc(&k) {
                    return Err(err(
                        file,
                        format!("{field}.atc"),
                        format!("'{code}' is not a whole ATC code such as N06AB06"),
                    ));
                }
                if let Some(other) = self.atc.insert(k, index) {
                    return Err(err(
                        file,
                        format!("{field}.atc"),
                        format!(
                            "'{code}' is already the code of {}",
                            self.medicines[other].id
                        ),
                    ));
                }
                atc.push(code.to_uppercase());
            }
            let mut classes = Vec::with_capacity(m.classes.len());
            for c in &m.classes {
                let ci = self.class_index(c).ok_or_else(|| {
                    err(
                        file,
                        format!("{field}.classes"),
                        format!("class '{c}' does not exist"),
                    )
                })?;
                if classes.contains(&ci) {
                    return Err(err(
                        file,
                        format!("{field}.classes"),
                        format!("'{c}' listed twice"),
                    ));
                }
                classes.push(ci);
            }
            if let Some(c) = m.unverified_classes.iter().find(|c| !m.classes.contains(c)) {
                return Err(err(
                    file,
                    format!("{field}.unverified_classes"),
                    format!("'{c}' is not one of the medicine's classes"),
                ));
            }
            let recent_days = match (m.recent_days, &m.recent_source) {
                (Some(days), Some(source)) => {
                    self.cite(file, &format!("{field}.recent_source"), source)?;
                    Some(days)
                }
                (None, None) => None,
                _ => {
                    return Err(err(
                        file,
                        format!("{field}.recent_days"),
                        "recent_days and recent_source go together",
                    ))
                }
            };
            if let Some(note) = &m.note {
                check_localized(file, &format!("{field}.note"), note)?;
            }
            self.medicines.push(Medicine {
                id: m.id.clone(),
                names: m.names.clone(),
                brands: m.brands.clone(),
                atc,
                classes,
                unverified_classes: m.unverified_classes.clone(),
                verified: m.verified,
                source: self.cite(file, &format!("{field}.source"), &m.source)?,
                recent_days,
                note: m.note.clone(),
            });
        }
        Ok(())
    }

    fn rule(&mut self, file: &str, r: RuleFile) -> Result<(), ScreeningError> {
        let field = format!("rules.{}", r.id);
        check_id(file, &field, &r.id)?;
        if self.rules.iter().any(|x| x.id == r.id) {
            return Err(err(file, &field, "rule id used twice"));
        }
        check_id(file, &format!("{field}.class"), &r.class)?;
        check_localized(file, &format!("{field}.explanation"), &r.explanation)?;
        if r.effective_for.is_empty() {
            return Err(err(
                file,
                format!("{field}.effective_for"),
                "name at least one of MAPP1, MAPP2, clinic",
            ));
        }
        let medicine_rule = matches!(
            r.trigger,
            TriggerFile::Taking | TriggerFile::StoppedRecently | TriggerFile::AfterSession
        );
        if medicine_rule && self.class_index(&r.class).is_none() {
            return Err(err(
                file,
                format!("{field}.class"),
                format!("'{}' is not an interaction class", r.class),
            ));
        }
        let takes_terms = matches!(
            r.trigger,
            TriggerFile::Condition | TriggerFile::Pregnant | TriggerFile::Breastfeeding
        );
        if r.trigger == TriggerFile::Condition && r.terms.is_empty() {
            return Err(err(
                file,
                format!("{field}.terms"),
                "a condition rule needs its terms",
            ));
        }
        if !takes_terms && !r.terms.is_empty() {
            return Err(err(
                file,
                format!("{field}.terms"),
                "only condition rules have terms",
            ));
        }
        let unexpected = |name: &str, given: bool, wanted: bool| -> Result<(), ScreeningError> {
            match (given, wanted) {
                (true, false) => Err(err(
                    file,
                    format!("{field}.{name}"),
                    "does not belong to this trigger",
                )),
                (false, true) => Err(err(
                    file,
                    format!("{field}.{name}"),
                    "this trigger needs it",
                )),
                _ => Ok(()),
            }
        };
        unexpected(
            "within_days",
            r.within_days.is_some(),
            r.trigger == TriggerFile::AfterSession,
        )?;
        unexpected("age", r.age.is_some(), r.trigger == TriggerFile::AgeBelow)?;
        let bp = r.trigger == TriggerFile::BloodPressure;
        unexpected("systolic", r.systolic.is_some(), bp)?;
        unexpected("diastolic", r.diastolic.is_some(), bp)?;
        unexpected(
            "family_condition",
            r.family_condition.is_some(),
            r.trigger == TriggerFile::FamilyHistory,
        )?;
        let episode = r.trigger == TriggerFile::Episode;
        unexpected("episode", r.episode.is_some(), episode)?;
        unexpected("substance_induced", r.substance_induced.is_some(), episode)?;
        let trigger = match r.trigger {
            TriggerFile::Taking => Trigger::Taking,
            TriggerFile::StoppedRecently => Trigger::StoppedRecently,
            TriggerFile::AfterSession => Trigger::AfterSession {
                within_days: r.within_days.filter(|d| *d > 0).ok_or_else(|| {
                    err(file, format!("{field}.within_days"), "must be at least 1")
                })?,
            },
            TriggerFile::Condition => Trigger::Condition,
            TriggerFile::Pregnant => Trigger::Pregnant,
            TriggerFile::Breastfeeding => Trigger::Breastfeeding,
            TriggerFile::AgeBelow => Trigger::AgeBelow(r.age.unwrap_or_default()),
            TriggerFile::BloodPressure => {
                let (s, d) = (
                    r.systolic.unwrap_or_default(),
                    r.diastolic.unwrap_or_default(),
                );
                if d == 0 || d >= s {
                    return Err(err(
                        file,
                        format!("{field}.diastolic"),
                        "limits must be positive with the diastolic below the systolic",
                    ));
                }
                Trigger::BloodPressure {
                    systolic: s,
                    diastolic: d,
                }
            }
            TriggerFile::UseDisorderExcluded => Trigger::UseDisorderExcluded,
            TriggerFile::UseDisorderAllowed => Trigger::UseDisorderAllowed,
            TriggerFile::UnrecognisedMedicine => Trigger::UnrecognisedMedicine,
            TriggerFile::UnrecognisedCondition => Trigger::UnrecognisedCondition,
            TriggerFile::FamilyHistory => {
                Trigger::FamilyHistory(r.family_condition.unwrap_or(FamilyCondition::Psychosis))
            }
            TriggerFile::Episode => Trigger::Episode {
                kind: r.episode.unwrap_or(EpisodeKind::Psychosis),
                substance_induced: r.substance_induced.unwrap_or_default(),
            },
            TriggerFile::HistoryUnknown => Trigger::HistoryUnknown,
        };
        if self
            .rules
            .iter()
            .any(|x| x.trigger == trigger && is_history(trigger))
        {
            return Err(err(
                file,
                format!("{field}.trigger"),
                "another rule already answers this history question: one finding per answer",
            ));
        }
        let index = self.rules.len();
        // The rule's id works as a code word too ("bipolar-1", "psychotic-disorder").
        let code_word = takes_terms.then_some(&r.id);
        for term in r.terms.iter().chain(code_word) {
            if matching::key(term).is_empty() {
                return Err(err(file, format!("{field}.terms"), "an empty term"));
            }
            if let Some(other) = self.terms.insert(term, index) {
                return Err(err(
                    file,
                    format!("{field}.terms"),
                    format!("'{term}' is already a term of {}", self.rules[other].id),
                ));
            }
        }
        if r.examples.is_empty() {
            return Err(err(
                file,
                format!("{field}.examples"),
                "every rule needs at least one example intake on which it fires",
            ));
        }
        let example = |which: &str, e: ExampleFile| -> Result<Example, ScreeningError> {
            Ok(Example {
                blood_pressure: e
                    .blood_pressure
                    .as_deref()
                    .map(BloodPressure::parse)
                    .transpose()
                    .map_err(|x| err(file, format!("{field}.{which}"), x.to_string()))?,
                medications: e.medications,
                stopped_days_ago: e.stopped_days_ago,
                conditions: e.conditions,
                substances: e.substances,
                use_disorder: e.use_disorder,
                remission: e.remission.unwrap_or_default(),
                pregnant: e.pregnant,
                breastfeeding: e.breastfeeding,
                age: e.age,
                days_since_session: e.days_since_session,
                family_history: e
                    .family
                    .iter()
                    .map(|t| FamilyHistory::parse(t))
                    .collect::<Result<_, _>>()
                    .map_err(|x| err(file, format!("{field}.{which}.family"), x.to_string()))?,
                episodes: e
                    .episodes
                    .iter()
                    .map(|t| PastEpisode::parse(t))
                    .collect::<Result<_, _>>()
                    .map_err(|x| err(file, format!("{field}.{which}.episodes"), x.to_string()))?,
                unknown_history: e
                    .unknown
                    .iter()
                    .map(|t| HistoryQuestion::parse(t))
                    .collect::<Result<_, _>>()
                    .map_err(|x| err(file, format!("{field}.{which}.unknown"), x.to_string()))?,
            })
        };
        let examples = r
            .examples
            .into_iter()
            .map(|e| example("examples", e))
            .collect::<Result<Vec<_>, _>>()?;
        let counter_examples = r
            .counter_examples
            .into_iter()
            .map(|e| example("counter_examples", e))
            .collect::<Result<Vec<_>, _>>()?;
        let mut effective_for = r.effective_for;
        effective_for.sort();
        effective_for.dedup();
        self.rules.push(Rule {
            source: self.cite(file, &format!("{field}.source"), &r.source)?,
            id: r.id,
            severity: r.severity,
            class: r.class,
            trigger,
            terms: r.terms,
            explanation: r.explanation,
            verified: r.verified,
            effective_for,
            note: r.note,
            examples,
            counter_examples,
        });
        Ok(())
    }

    fn finish(self, file: &str) -> Result<RuleSet, ScreeningError> {
        for (c, class_file) in self.classes.iter().zip(&self.class_files) {
            if !self
                .rules
                .iter()
                .any(|r| r.trigger == Trigger::Taking && r.class == c.id)
            {
                return Err(err(
                    class_file,
                    format!("classes.{}", c.id),
                    "an interaction class needs a rule with trigger = \"taking\"",
                ));
            }
        }
        for (trigger, name) in [
            (Trigger::UnrecognisedMedicine, "unrecognised-medicine"),
            (Trigger::UnrecognisedCondition, "unrecognised-condition"),
        ] {
            if self.rules.iter().filter(|r| r.trigger == trigger).count() != 1 {
                return Err(err(
                    file,
                    "rules",
                    format!("exactly one rule must have trigger = \"{name}\", so that no entry is silently ignored"),
                ));
            }
        }
        // Every answer the health form's psychiatric-history questions can give must reach a rule, so that no "yes"
        // (and no "I don't know") is silently dropped.
        let history_rules = self.rules.iter().any(|r| is_history(r.trigger));
        if history_rules {
            let mut wanted: Vec<(Trigger, String)> = FamilyCondition::ALL
                .iter()
                .map(|c| {
                    (
                        Trigger::FamilyHistory(*c),
                        format!(
                            "trigger = \"family-history\" with family_condition = \"{}\"",
                            c.id()
                        ),
                    )
                })
                .collect();
            for kind in [
                EpisodeKind::Psychosis,
                EpisodeKind::Mania,
                EpisodeKind::Hypomania,
            ] {
                for substance_induced in [false, true] {
                    wanted.push((
                        Trigger::Episode {
                            kind,
                            substance_induced,
                        },
                        format!(
                            "trigger = \"episode\" with episode = \"{}\" and substance_induced = {substance_induced}",
                            kind.id()
                        ),
                    ));
                }
            }
            wanted.push((
                Trigger::HistoryUnknown,
                "trigger = \"history-unknown\"".to_string(),
            ));
            if let Some((_, missing)) = wanted
                .iter()
                .find(|(t, _)| !self.rules.iter().any(|r| r.trigger == *t))
            {
                return Err(err(
                    file,
                    "rules",
                    format!("the psychiatric-history questions need a rule with {missing}"),
                ));
            }
        }
        let use_rules = self.rules.iter().any(|r| {
            matches!(
                r.trigger,
                Trigger::UseDisorderExcluded | Trigger::UseDisorderAllowed
            )
        });
        if use_rules {
            if let Some(missing) = GRADED_USE_CLASSES
                .iter()
                .find(|id| self.class_index(id).is_none())
            {
                return Err(err(
                    file,
                    "rules",
                    format!("use-disorder rules need the class '{missing}'"),
                ));
            }
        }
        Ok(RuleSet {
            classes: self.classes,
            medicines: self.medicines,
            rules: self.rules,
            sources: self.all_sources,
            names: self.names,
            atc: self.atc,
            groups: self.groups,
            terms: self.terms,
        })
    }
}

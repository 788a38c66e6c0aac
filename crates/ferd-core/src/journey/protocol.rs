//! Protocol templates: the sessions and assessments of a journey, loaded from `data/protocols/`.
//!
//! # The file format
//!
//! A protocol file names the protocol (`id`, `version`, `name`, `short_name`, `title`, `indication`, `medicine`,
//! `summary`, `citation`, `source`, optional `note`) and lists:
//!
//! - `[[sessions]]`: groups of sessions, in the order they build on each other. Each group has an `id`, a `kind`
//!   (`intake`, `preparation`, `medicine`, `integration`, `follow-up`), an optional `contact` (`in-person`,
//!   `video`, `phone`), a `label` per language (`{n}` is the session's number, `{block}` its block), a
//!   `duration_minutes`, a local `time` (`HH:MM`), and `steps`: one per session, each placed `days` after an
//!   anchor and allowed to move within `window = [min, max]` days of it. `after` names the anchor: the `previous`
//!   session of the same group, or an earlier group (its last session). A group with `per = "<group>"` repeats
//!   once for every session of that group (integration after each medicine session), and `after = "<that group>"`
//!   then means that block's session. The first step of the first group has no anchor: it is the journey's start.
//! - `[[assessments]]`: which `instruments` are due `days` from a session (`at` a group; `which` of its sessions:
//!   `first`, `last`, `each` — optionally only `steps = [..]` — or `end-of-each-block`), within `window`.
//! - `[[sources]]`: every number cites one. A session group's `source` covers its count, kind and length and its
//!   `timing_source` the days and windows of its steps (a step may cite its own); `verified = false`
//!   (`timing_verified`, or on a step) marks numbers not confirmed against the primary publication.
//!
//! Loading checks every rule and names the field that breaks it, as instrument files do.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::session::{Contact, SessionKind};
use crate::calendar::{CalendarParseError, TimeOfDay};
use crate::instruments::{Catalogue, Localized};

/// The most sessions in one group or block: keeps labels and windows readable, and numbers small.
const MAX_STEPS: usize = 32;

/// A checked protocol template.
#[derive(Debug, Clone)]
pub struct Protocol {
    /// Stable id stored with each journey (`mdma-at`, `integration-only` …).
    pub id: String,
    pub version: String,
    pub name: String,
    pub short_name: String,
    pub title: Localized,
    /// What the protocol treats (`PTSD`).
    pub indication: String,
    /// The medicine of the medicine sessions, if the protocol has any.
    pub medicine: Option<String>,
    pub summary: String,
    pub citation: String,
    /// The source of the protocol as a whole.
    pub source: String,
    pub note: Option<String>,
    /// Session groups in file order; anchors always point to earlier groups.
    pub sessions: Vec<SessionGroup>,
    pub assessments: Vec<AssessmentPoint>,
    pub sources: Vec<Source>,
    /// Every session and assessment the protocol plans, anchors before the items measured from them.
    plan: Vec<PlanItem>,
    by_key: BTreeMap<String, usize>,
}

/// A group of sessions of one kind: the preparation sessions, the medicine sessions, the integration sessions after
/// each medicine session …
#[derive(Debug, Clone)]
pub struct SessionGroup {
    pub id: String,
    pub kind: SessionKind,
    pub contact: Contact,
    /// The group this one repeats for: one block of these sessions after each of its sessions.
    pub per: Option<usize>,
    /// With `{n}` for the session's number and `{block}` for its block.
    pub label: Localized,
    pub duration_minutes: u16,
    pub time: TimeOfDay,
    /// Source of the count, kind and length.
    pub source: String,
    pub verified: bool,
    pub note: Option<String>,
    /// One per session (per block, when the group repeats).
    pub steps: Vec<Step>,
}

/// Where one session falls: `days` after its anchor, movable within `window`.
#[derive(Debug, Clone)]
pub struct Step {
    pub anchor: StepAnchor,
    pub days: i64,
    pub window: Window,
    /// Source of `days` and `window`.
    pub source: String,
    pub verified: bool,
}

/// What a step is measured from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepAnchor {
    /// Nothing: the journey's first session.
    Start,
    /// The previous session of the same group (and block).
    Previous,
    /// A session of an earlier group (index into [`Protocol::sessions`]): the block's own session when this group
    /// repeats per that group, otherwise its last session.
    Group(usize),
}

/// Allowed offsets in days from an anchor, inclusive at both ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub min: i64,
    pub max: i64,
}

impl Window {
    /// Whether an offset of `days` is allowed.
    pub fn contains(self, days: i64) -> bool {
        self.min <= days && days <= self.max
    }
}

/// Which sessions of a group an assessment point follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occurrence {
    First,
    Last,
    /// Every session (or only the listed steps).
    Each,
    /// The last session of every block (after each integration block).
    EndOfEachBlock,
}

/// Instruments due at a point of the journey (baseline, before each medicine session …).
#[derive(Debug, Clone)]
pub struct AssessmentPoint {
    pub id: String,
    /// With `{session}` for the label of the session it follows.
    pub label: Localized,
    /// Instrument ids, each in the instrument catalogue.
    pub instruments: Vec<String>,
    /// Index into [`Protocol::sessions`].
    pub at: usize,
    pub which: Occurrence,
    /// With [`Occurrence::Each`]: only these step numbers (1-based); empty means all.
    pub steps: Vec<u32>,
    pub days: i64,
    pub window: Window,
    pub source: String,
    pub verified: bool,
    pub note: Option<String>,
}

/// A reference for numbers in a protocol.
#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    pub citation: String,
    pub url: Option<String>,
}

/// One session or assessment the protocol plans, with the rule that places it.
#[derive(Debug, Clone)]
pub struct PlanItem {
    /// Stable key: `preparation.2`, `integration.1.3`, `before-medicine@medicine.2/pcl-5`.
    pub key: String,
    pub what: Planned,
    /// The item it is measured from (index into [`Protocol::plan`]); `None` for the journey's start.
    pub anchor: Option<usize>,
    pub days: i64,
    pub window: Window,
    pub label: Localized,
}

/// Whether a plan item is a session or an assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Planned {
    Session {
        /// Index into [`Protocol::sessions`].
        group: usize,
        /// The block (1-based) when the group repeats per another group.
        block: Option<u32>,
        /// The session's number (1-based) within its group or block.
        number: u32,
    },
    Assessment {
        /// Index into [`Protocol::assessments`].
        point: usize,
        /// Index into the point's instruments.
        instrument: usize,
    },
}

impl Protocol {
    /// Every planned session and assessment, anchors before the items measured from them.
    pub fn plan(&self) -> &[PlanItem] {
        &self.plan
    }

    /// The plan item with this key.
    pub fn plan_item(&self, key: &str) -> Option<&PlanItem> {
        self.by_key.get(key).map(|&i| &self.plan[i])
    }

    /// The session group with this id.
    pub fn group(&self, id: &str) -> Option<&SessionGroup> {
        self.sessions.iter().find(|g| g.id == id)
    }

    /// The source with this id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    fn count(&self, kind: SessionKind) -> u32 {
        self.plan
            .iter()
            .filter(|p| matches!(p.what, Planned::Session { group, .. } if self.sessions[group].kind == kind))
            .count() as u32
    }

    /// How many preparation sessions must be held before the first medicine session.
    pub fn preparation_sessions(&self) -> u32 {
        self.count(SessionKind::Preparation)
    }

    /// How many medicine sessions the protocol has (0 for integration only).
    pub fn medicine_sessions(&self) -> u32 {
        self.count(SessionKind::Medicine)
    }

    /// How many integration sessions make one block: the block after each medicine session, or the whole of
    /// integration when there is no medicine session.
    pub fn integration_sessions_per_block(&self) -> u32 {
        self.sessions
            .iter()
            .find(|g| g.kind == SessionKind::Integration)
            .map_or(0, |g| g.steps.len() as u32)
    }
}

/// What is wrong with a protocol file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    /// The file is not valid TOML or does not have the expected fields.
    #[error("protocol file {file}: {message}")]
    Syntax { file: String, message: String },
    /// The file parses but breaks a rule; `field` names where (`sessions.medicine.steps[2].window`).
    #[error("protocol {id}: {field}: {message}")]
    Rule {
        id: String,
        field: String,
        message: String,
    },
}

fn rule(id: &str, field: &str, message: impl Into<String>) -> ProtocolError {
    ProtocolError::Rule {
        id: id.to_string(),
        field: field.to_string(),
        message: message.into(),
    }
}

/// All protocol templates, in a stable order.
#[derive(Debug)]
pub struct Protocols {
    protocols: Vec<Protocol>,
}

/// The protocol files embedded in the binary, as (file name, contents).
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    (
        "mdma-at.toml",
        include_str!("../../../../data/protocols/mdma-at.toml"),
    ),
    (
        "mdma-at-mp18.toml",
        include_str!("../../../../data/protocols/mdma-at-mp18.toml"),
    ),
    (
        "integration-only.toml",
        include_str!("../../../../data/protocols/integration-only.toml"),
    ),
    (
        "psilocybin-trd-comp360.toml",
        include_str!("../../../../data/protocols/psilocybin-trd-comp360.toml"),
    ),
];

impl Protocols {
    /// The protocols bundled with ferd, checked against the bundled instruments. Their files are checked by the
    /// test suite, so this cannot fail in a tested build.
    pub fn builtin() -> &'static Protocols {
        static BUILTIN: OnceLock<Protocols> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Protocols::load(BUILTIN_FILES, Catalogue::builtin())
                .unwrap_or_else(|e| panic!("bundled protocol is invalid: {e}"))
        })
    }

    /// Loads and checks protocol files; every instrument they name must be in `instruments`.
    pub fn load(
        files: &[(&str, &str)],
        instruments: &Catalogue,
    ) -> Result<Protocols, ProtocolError> {
        let mut protocols: Vec<Protocol> = Vec::with_capacity(files.len());
        for (name, text) in files {
            let file: ProtocolFile = toml::from_str(text).map_err(|e| ProtocolError::Syntax {
                file: (*name).to_string(),
                message: e.message().to_string(),
            })?;
            let p = compile(file, instruments)?;
            if protocols.iter().any(|q| q.id == p.id) {
                return Err(rule(&p.id, "id", "two protocol files use this id"));
            }
            protocols.push(p);
        }
        Ok(Protocols { protocols })
    }

    /// The protocol with this id.
    pub fn get(&self, id: &str) -> Option<&Protocol> {
        self.protocols.iter().find(|p| p.id == id)
    }

    /// All protocols.
    pub fn iter(&self) -> impl Iterator<Item = &Protocol> {
        self.protocols.iter()
    }

    /// All ids, in order.
    pub fn ids(&self) -> Vec<&str> {
        self.protocols.iter().map(|p| p.id.as_str()).collect()
    }
}

// ----- the file as written -----

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProtocolFile {
    id: String,
    version: String,
    name: String,
    short_name: String,
    title: Localized,
    indication: String,
    #[serde(default)]
    medicine: Option<String>,
    summary: String,
    citation: String,
    source: String,
    #[serde(default)]
    note: Option<String>,
    sessions: Vec<GroupFile>,
    #[serde(default)]
    assessments: Vec<AssessmentFile>,
    sources: Vec<SourceFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupFile {
    id: String,
    kind: String,
    #[serde(default)]
    contact: Option<String>,
    #[serde(default)]
    per: Option<String>,
    label: Localized,
    duration_minutes: i64,
    time: String,
    source: String,
    #[serde(default = "yes")]
    verified: bool,
    #[serde(default)]
    timing_source: Option<String>,
    #[serde(default)]
    timing_verified: Option<bool>,
    #[serde(default)]
    note: Option<String>,
    steps: Vec<StepFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StepFile {
    #[serde(default)]
    after: Option<String>,
    days: i64,
    #[serde(default)]
    window: Option<[i64; 2]>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    verified: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AssessmentFile {
    id: String,
    label: Localized,
    instruments: Vec<String>,
    at: String,
    which: String,
    #[serde(default)]
    steps: Vec<u32>,
    days: i64,
    window: [i64; 2],
    source: String,
    #[serde(default = "yes")]
    verified: bool,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceFile {
    id: String,
    citation: String,
    #[serde(default)]
    url: Option<String>,
}

fn yes() -> bool {
    true
}

// ----- compiling -----

fn compile(f: ProtocolFile, instruments: &Catalogue) -> Result<Protocol, ProtocolError> {
    let id = f.id.clone();
    let id = id.as_str();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(rule(id, "id", "use lower-case letters, digits and hyphens"));
    }
    let mut sources: Vec<Source> = Vec::with_capacity(f.sources.len());
    for s in f.sources {
        if sources.iter().any(|x| x.id == s.id) {
            return Err(rule(
                id,
                &format!("sources.{}", s.id),
                "source id used twice",
            ));
        }
        if s.citation.trim().is_empty() {
            return Err(rule(id, &format!("sources.{}.citation", s.id), "is empty"));
        }
        sources.push(Source {
            id: s.id,
            citation: s.citation,
            url: s.url,
        });
    }
    let cite = |field: &str, source: &str| -> Result<String, ProtocolError> {
        if sources.iter().any(|s| s.id == source) {
            Ok(source.to_string())
        } else {
            Err(rule(
                id,
                field,
                format!("cites '{source}', which is not in [[sources]]"),
            ))
        }
    };
    let english = |field: &str, text: &Localized| -> Result<(), ProtocolError> {
        if text.has("en") && !text.en().trim().is_empty() {
            Ok(())
        } else {
            Err(rule(id, field, "needs an English text (en)"))
        }
    };
    english("title", &f.title)?;
    let source = cite("source", &f.source)?;

    let mut groups: Vec<SessionGroup> = Vec::with_capacity(f.sessions.len());
    for (gi, g) in f.sessions.into_iter().enumerate() {
        let field = format!("sessions.{}", g.id);
        if groups.iter().any(|x| x.id == g.id) {
            return Err(rule(id, &field, "session group id used twice"));
        }
        if g.id.contains(['.', '@', '/']) || g.id.is_empty() {
            return Err(rule(
                id,
                &field,
                "a group id may not be empty or contain '.', '@' or '/'",
            ));
        }
        let kind: SessionKind = g.kind.parse().map_err(|e: super::session::UnknownName| {
            rule(id, &format!("{field}.kind"), e.to_string())
        })?;
        let contact: Contact = match &g.contact {
            Some(c) => c.parse().map_err(|e: super::session::UnknownName| {
                rule(id, &format!("{field}.contact"), e.to_string())
            })?,
            None => Contact::InPerson,
        };
        let per = match &g.per {
            None => None,
            Some(p) => {
                let pi = groups.iter().position(|x| &x.id == p).ok_or_else(|| {
                    rule(
                        id,
                        &format!("{field}.per"),
                        format!("'{p}' is not an earlier session group"),
                    )
                })?;
                if groups[pi].per.is_some() {
                    return Err(rule(
                        id,
                        &format!("{field}.per"),
                        format!("'{p}' itself repeats per another group; blocks do not nest"),
                    ));
                }
                Some(pi)
            }
        };
        english(&format!("{field}.label"), &g.label)?;
        if per.is_none() && g.label.0.values().any(|t| t.contains("{block}")) {
            return Err(rule(
                id,
                &format!("{field}.label"),
                "{block} is only known in a group that repeats (per)",
            ));
        }
        let duration_minutes = u16::try_from(g.duration_minutes)
            .ok()
            .filter(|d| (1..=24 * 60).contains(d))
            .ok_or_else(|| {
                rule(
                    id,
                    &format!("{field}.duration_minutes"),
                    "must be between 1 and 1440",
                )
            })?;
        let time: TimeOfDay = g
            .time
            .parse()
            .map_err(|e: CalendarParseError| rule(id, &format!("{field}.time"), e.to_string()))?;
        let group_source = cite(&format!("{field}.source"), &g.source)?;
        if g.steps.is_empty() || g.steps.len() > MAX_STEPS {
            return Err(rule(
                id,
                &format!("{field}.steps"),
                format!("needs between 1 and {MAX_STEPS} steps"),
            ));
        }
        let timing_source = match &g.timing_source {
            Some(s) => Some(cite(&format!("{field}.timing_source"), s)?),
            None => None,
        };
        let mut steps = Vec::with_capacity(g.steps.len());
        for (si, s) in g.steps.iter().enumerate() {
            let sf = format!("{field}.steps[{}]", si + 1);
            let anchor = match s.after.as_deref() {
                None if gi == 0 && si == 0 => StepAnchor::Start,
                None => {
                    return Err(rule(
                        id,
                        &format!("{sf}.after"),
                        "only the first session of the first group may have no anchor",
                    ))
                }
                Some(_) if gi == 0 && si == 0 => {
                    return Err(rule(
                        id,
                        &format!("{sf}.after"),
                        "the journey's first session is its start and has no anchor",
                    ))
                }
                Some("previous") if si == 0 => {
                    return Err(rule(
                        id,
                        &format!("{sf}.after"),
                        "the first session of a group has no previous session",
                    ))
                }
                Some("previous") => StepAnchor::Previous,
                Some(a) => {
                    StepAnchor::Group(groups.iter().position(|x| x.id == a).ok_or_else(|| {
                        rule(
                            id,
                            &format!("{sf}.after"),
                            format!("'{a}' is not 'previous' or an earlier session group"),
                        )
                    })?)
                }
            };
            let window = match (anchor, s.window) {
                (StepAnchor::Start, None) if s.days == 0 => Window { min: 0, max: 0 },
                (StepAnchor::Start, _) => {
                    return Err(rule(
                        id,
                        &sf,
                        "the journey's start is day 0 and has no window",
                    ))
                }
                (_, None) => Window {
                    min: s.days,
                    max: s.days,
                },
                (_, Some([min, max])) => Window { min, max },
            };
            if !window.contains(s.days) {
                return Err(rule(
                    id,
                    &format!("{sf}.window"),
                    format!(
                        "[{}, {}] does not contain the planned {} days",
                        window.min, window.max, s.days
                    ),
                ));
            }
            if window.min < 0 {
                return Err(rule(
                    id,
                    &format!("{sf}.window"),
                    "a session comes on or after the session it is measured from",
                ));
            }
            if window.max > 3 * 366 {
                return Err(rule(
                    id,
                    &format!("{sf}.window"),
                    "reaches more than three years ahead",
                ));
            }
            let (source, verified) = match &s.source {
                Some(src) => (cite(&format!("{sf}.source"), src)?, s.verified.unwrap_or(true)),
                None => match &timing_source {
                    Some(src) if anchor != StepAnchor::Start => (
                        src.clone(),
                        s.verified.or(g.timing_verified).unwrap_or(true),
                    ),
                    _ if anchor == StepAnchor::Start => (group_source.clone(), true),
                    _ => {
                        return Err(rule(
                            id,
                            &format!("{sf}.source"),
                            "a number without its source: give the group a timing_source or the step a source",
                        ))
                    }
                },
            };
            steps.push(Step {
                anchor,
                days: s.days,
                window,
                source,
                verified,
            });
        }
        groups.push(SessionGroup {
            id: g.id,
            kind,
            contact,
            per,
            label: g.label,
            duration_minutes,
            time,
            source: group_source,
            verified: g.verified,
            note: g.note,
            steps,
        });
    }
    check_group_kinds(id, &groups)?;

    let mut points: Vec<AssessmentPoint> = Vec::with_capacity(f.assessments.len());
    for a in f.assessments {
        let field = format!("assessments.{}", a.id);
        if points.iter().any(|x| x.id == a.id) {
            return Err(rule(id, &field, "assessment point id used twice"));
        }
        if a.id.contains(['.', '@', '/']) || a.id.is_empty() {
            return Err(rule(
                id,
                &field,
                "a point id may not be empty or contain '.', '@' or '/'",
            ));
        }
        english(&format!("{field}.label"), &a.label)?;
        if a.label
            .0
            .values()
            .any(|t| t.contains("{n}") || t.contains("{block}"))
        {
            return Err(rule(
                id,
                &format!("{field}.label"),
                "an assessment label knows only {session}",
            ));
        }
        if a.instruments.is_empty() {
            return Err(rule(
                id,
                &format!("{field}.instruments"),
                "names no instrument",
            ));
        }
        for (i, ins) in a.instruments.iter().enumerate() {
            if instruments.get(ins).is_none() {
                return Err(rule(
                    id,
                    &format!("{field}.instruments"),
                    format!(
                        "'{ins}' is not in the instrument catalogue ({})",
                        instruments.ids().join(", ")
                    ),
                ));
            }
            if a.instruments[..i].contains(ins) {
                return Err(rule(
                    id,
                    &format!("{field}.instruments"),
                    format!("'{ins}' is named twice"),
                ));
            }
        }
        let at = groups.iter().position(|g| g.id == a.at).ok_or_else(|| {
            rule(
                id,
                &format!("{field}.at"),
                format!("'{}' is not a session group", a.at),
            )
        })?;
        let which = match a.which.as_str() {
            "first" => Occurrence::First,
            "last" => Occurrence::Last,
            "each" => Occurrence::Each,
            "end-of-each-block" => Occurrence::EndOfEachBlock,
            other => {
                return Err(rule(
                    id,
                    &format!("{field}.which"),
                    format!("'{other}' is not first, last, each or end-of-each-block"),
                ))
            }
        };
        if !a.steps.is_empty() {
            if which != Occurrence::Each {
                return Err(rule(
                    id,
                    &format!("{field}.steps"),
                    "steps go with which = \"each\"",
                ));
            }
            let n = groups[at].steps.len() as u32;
            if let Some(bad) = a.steps.iter().find(|s| **s == 0 || **s > n) {
                return Err(rule(
                    id,
                    &format!("{field}.steps"),
                    format!("step {bad} does not exist; '{}' has steps 1–{n}", a.at),
                ));
            }
        }
        let window = Window {
            min: a.window[0],
            max: a.window[1],
        };
        if !window.contains(a.days) {
            return Err(rule(
                id,
                &format!("{field}.window"),
                format!(
                    "[{}, {}] does not contain the planned {} days",
                    window.min, window.max, a.days
                ),
            ));
        }
        points.push(AssessmentPoint {
            source: cite(&format!("{field}.source"), &a.source)?,
            id: a.id,
            label: a.label,
            instruments: a.instruments,
            at,
            which,
            steps: a.steps,
            days: a.days,
            window,
            verified: a.verified,
            note: a.note,
        });
    }

    let plan = build_plan(&groups, &points);
    let mut by_key = BTreeMap::new();
    for (i, item) in plan.iter().enumerate() {
        if by_key.insert(item.key.clone(), i).is_some() {
            return Err(rule(
                id,
                "sessions",
                format!("two planned items share the key '{}'", item.key),
            ));
        }
    }
    Ok(Protocol {
        id: f.id,
        version: f.version,
        name: f.name,
        short_name: f.short_name,
        title: f.title,
        indication: f.indication,
        medicine: f.medicine,
        summary: f.summary,
        citation: f.citation,
        source,
        note: f.note,
        sessions: groups,
        assessments: points,
        sources,
        plan,
        by_key,
    })
}

/// The journey's guards count sessions by kind, so the kinds must be unambiguous: one intake (the start), at most
/// one group each of preparation, medicine and integration, and integration after every medicine session.
fn check_group_kinds(id: &str, groups: &[SessionGroup]) -> Result<(), ProtocolError> {
    let of = |kind: SessionKind| -> Vec<usize> {
        groups
            .iter()
            .enumerate()
            .filter(|(_, g)| g.kind == kind)
            .map(|(i, _)| i)
            .collect()
    };
    if groups.first().map(|g| g.kind) != Some(SessionKind::Intake)
        || of(SessionKind::Intake).len() != 1
    {
        return Err(rule(
            id,
            "sessions",
            "the first group is the intake, and the only one",
        ));
    }
    if groups[0].steps.len() != 1 {
        return Err(rule(
            id,
            &format!("sessions.{}.steps", groups[0].id),
            "the intake is one session",
        ));
    }
    for kind in [
        SessionKind::Preparation,
        SessionKind::Medicine,
        SessionKind::Integration,
    ] {
        if of(kind).len() > 1 {
            return Err(rule(
                id,
                "sessions",
                format!("at most one group of kind {kind}"),
            ));
        }
    }
    if let Some(&m) = of(SessionKind::Medicine).first() {
        if of(SessionKind::Preparation).is_empty() {
            return Err(rule(
                id,
                "sessions",
                "medicine sessions need preparation sessions before them",
            ));
        }
        match of(SessionKind::Integration).first() {
            Some(&i) if groups[i].per == Some(m) => {}
            _ => {
                return Err(rule(
                    id,
                    "sessions",
                    "medicine sessions need an integration group that repeats per medicine session",
                ))
            }
        }
    } else if of(SessionKind::Integration).is_empty() {
        return Err(rule(
            id,
            "sessions",
            "a protocol without medicine sessions needs integration sessions",
        ));
    }
    Ok(())
}

fn fill(label: &Localized, n: u32, block: Option<u32>, session: Option<&Localized>) -> Localized {
    Localized(
        label
            .0
            .iter()
            .map(|(lang, text)| {
                let mut t = text.replace("{n}", &n.to_string());
                if let Some(b) = block {
                    t = t.replace("{block}", &b.to_string());
                }
                if let Some(s) = session {
                    t = t.replace("{session}", s.get(lang));
                }
                (lang.clone(), t)
            })
            .collect(),
    )
}

/// Expands the groups and points into one item per session and per (assessment, instrument), each with its anchor
/// and window. Groups only anchor on earlier groups, so every anchor is built before its dependents.
fn build_plan(groups: &[SessionGroup], points: &[AssessmentPoint]) -> Vec<PlanItem> {
    let mut plan: Vec<PlanItem> = Vec::new();
    // Plan indices of each group's sessions, in order (blocks one after another).
    let mut of_group: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
    for (gi, g) in groups.iter().enumerate() {
        let blocks: Vec<Option<u32>> = match g.per {
            Some(p) => (1..=of_group[p].len() as u32).map(Some).collect(),
            None => vec![None],
        };
        for block in blocks {
            for (si, step) in g.steps.iter().enumerate() {
                let number = si as u32 + 1;
                let anchor = match step.anchor {
                    StepAnchor::Start => None,
                    StepAnchor::Previous => of_group[gi].last().copied(),
                    StepAnchor::Group(h) => match block {
                        Some(b) if g.per == Some(h) => Some(of_group[h][b as usize - 1]),
                        _ => of_group[h].last().copied(),
                    },
                };
                let key = match block {
                    Some(b) => format!("{}.{b}.{number}", g.id),
                    None => format!("{}.{number}", g.id),
                };
                of_group[gi].push(plan.len());
                plan.push(PlanItem {
                    key,
                    what: Planned::Session {
                        group: gi,
                        block,
                        number,
                    },
                    anchor,
                    days: step.days,
                    window: step.window,
                    label: fill(&g.label, number, block, None),
                });
            }
        }
    }
    for (pi, p) in points.iter().enumerate() {
        let sessions = &of_group[p.at];
        let last_step = groups[p.at].steps.len() as u32;
        let number = |i: usize| match plan[i].what {
            Planned::Session { number, .. } => number,
            Planned::Assessment { .. } => 0,
        };
        let anchors: Vec<usize> = match p.which {
            Occurrence::First => sessions.first().copied().into_iter().collect(),
            Occurrence::Last => sessions.last().copied().into_iter().collect(),
            Occurrence::Each => sessions
                .iter()
                .copied()
                .filter(|&i| p.steps.is_empty() || p.steps.contains(&number(i)))
                .collect(),
            Occurrence::EndOfEachBlock => sessions
                .iter()
                .copied()
                .filter(|&i| number(i) == last_step)
                .collect(),
        };
        for a in anchors {
            let label = fill(&p.label, 0, None, Some(&plan[a].label));
            for (ii, ins) in p.instruments.iter().enumerate() {
                plan.push(PlanItem {
                    key: format!("{}@{}/{ins}", p.id, plan[a].key),
                    what: Planned::Assessment {
                        point: pi,
                        instrument: ii,
                    },
                    anchor: Some(a),
                    days: p.days,
                    window: p.window,
                    label: label.clone(),
                });
            }
        }
    }
    plan
}

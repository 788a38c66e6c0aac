//! Running the rules over an intake: findings, most serious first.

use serde_json::{json, Value};

use super::rules::{
    InteractionClass, Medicine, Rule, RuleSet, Severity, Source, Target, Trigger,
    GRADED_USE_CLASSES,
};
use super::{
    matching, BloodPressure, Day, EpisodeKind, FamilyCondition, FamilyHistory, HistoryQuestion,
    IntakeFacts, PastEpisode, Relative, Remission, UseDisorder, UseSeverity,
};

/// One rule that fired on one entry of the intake. Borrowed from the rule set, so it costs nothing to keep the
/// rule's explanation and source beside the finding.
#[derive(Debug, Clone)]
pub struct Finding<'r> {
    rule: &'r Rule,
    class: Option<&'r InteractionClass>,
    medicine: Option<&'r Medicine>,
    /// The entry as given ("Zoloft 50 mg", "schizofreni"), or the fact for flags and readings ("age 17").
    pub matched: String,
    /// What ferd read the entry as ("sertraline", "ATC group N06AB"), when it is a medicine.
    pub recognised_as: Option<String>,
    /// Dates, days and readings behind the finding.
    pub detail: Option<Detail>,
    /// False when the rule, the medicine's names and codes, or its membership in the class is not verified.
    pub verified: bool,
}

/// The numbers behind a finding, rendered in the reader's language by [`Detail::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Still taken; the taper is planned to end on this day.
    TaperEnds {
        /// The planned last day.
        on: Day,
    },
    /// Stopped `days_ago` days ago, inside the window of `window_days`.
    Stopped {
        /// The last day it was taken.
        on: Day,
        /// Days from then to the screening day.
        days_ago: i64,
        /// The window it still counts in.
        window_days: u32,
    },
    /// The last medicine session was `days_since` days ago.
    AfterSession {
        /// Days since the last medicine session.
        days_since: u32,
        /// How many days after a session the rule applies.
        within_days: u32,
    },
    /// Younger than the minimum age.
    Age {
        /// The age given.
        years: u32,
        /// The minimum age.
        minimum: u32,
    },
    /// A reading at or above the limits.
    BloodPressure {
        /// The reading given.
        reading: BloodPressure,
        /// The rule's systolic limit.
        systolic_limit: u16,
        /// The rule's diastolic limit.
        diastolic_limit: u16,
    },
    /// The use disorder as recorded.
    UseDisorder(UseDisorder),
    /// A first-degree relative's illness, from the health form.
    Family(FamilyHistory),
    /// An episode of the person's own, from the health form.
    Episode(PastEpisode),
    /// A history question answered "I don't know".
    Unknown(HistoryQuestion),
}

impl Detail {
    /// The detail as a short phrase in `en` or `nb`.
    pub fn text(&self, lang: &str) -> String {
        let nb = lang == "nb";
        match *self {
            Detail::TaperEnds { on } if nb => format!("trappes ned til {on}"),
            Detail::TaperEnds { on } => format!("taper ends {on}"),
            Detail::Stopped {
                on,
                days_ago,
                window_days,
            } if nb => format!(
                "stoppet {on}, for {days_ago} dager siden (ferd regner med {window_days} dager)"
            ),
            Detail::Stopped {
                on,
                days_ago,
                window_days,
            } => format!("stopped {on}, {days_ago} days ago (ferd counts {window_days} days)"),
            Detail::AfterSession {
                days_since,
                within_days,
            } if nb => format!(
                "siste medisinsesjon for {days_since} dager siden (gjelder i {within_days} dager)"
            ),
            Detail::AfterSession {
                days_since,
                within_days,
            } => format!(
                "last medicine session {days_since} days ago (applies for {within_days} days)"
            ),
            Detail::Age { years, minimum } if nb => format!("{years} år (minst {minimum})"),
            Detail::Age { years, minimum } => format!("{years} years (at least {minimum})"),
            Detail::BloodPressure {
                reading,
                systolic_limit,
                diastolic_limit,
            } if nb => format!("{reading} (grense {systolic_limit}/{diastolic_limit})"),
            Detail::BloodPressure {
                reading,
                systolic_limit,
                diastolic_limit,
            } => format!("{reading} (limit {systolic_limit}/{diastolic_limit})"),
            Detail::UseDisorder(d) => {
                let severity = match (d.severity, nb) {
                    (UseSeverity::Mild, false) => "mild",
                    (UseSeverity::Moderate, false) => "moderate",
                    (UseSeverity::Severe, false) => "severe",
                    (UseSeverity::Mild, true) => "mild",
                    (UseSeverity::Moderate, true) => "moderat",
                    (UseSeverity::Severe, true) => "alvorlig",
                };
                let remission = match (d.remission, nb) {
                    (Remission::None, false) => "not in remission",
                    (Remission::Early, false) => "in early remission",
                    (Remission::Sustained, false) => "in sustained remission",
                    (Remission::None, true) => "ikke i remisjon",
                    (Remission::Early, true) => "i tidlig remisjon",
                    (Remission::Sustained, true) => "i vedvarende remisjon",
                };
                if nb {
                    format!("ruslidelse: {severity}, {remission}")
                } else {
                    format!("use disorder: {severity}, {remission}")
                }
            }
            Detail::Family(h) => {
                let who = match (h.relative, nb) {
                    (Relative::Parent, false) => "a parent",
                    (Relative::Sibling, false) => "a brother or sister",
                    (Relative::Child, false) => "a child",
                    (Relative::Parent, true) => "en forelder",
                    (Relative::Sibling, true) => "et søsken",
                    (Relative::Child, true) => "et barn",
                };
                let what = match (h.condition, nb) {
                    (FamilyCondition::Psychosis, false) => {
                        "psychosis or another psychotic disorder"
                    }
                    (FamilyCondition::Bipolar, false) => "bipolar disorder",
                    (FamilyCondition::Psychosis, true) => {
                        "psykose eller en annen psykotisk lidelse"
                    }
                    (FamilyCondition::Bipolar, true) => "bipolar lidelse",
                };
                if nb {
                    format!("{who} har hatt {what}")
                } else {
                    format!("{who} has had {what}")
                }
            }
            Detail::Episode(e) => {
                let what = match (e.kind, nb) {
                    (EpisodeKind::Psychosis, false) => "a psychotic episode of their own",
                    (EpisodeKind::Mania, false) => "a manic episode of their own",
                    (EpisodeKind::Hypomania, false) => "a hypomanic episode of their own",
                    (EpisodeKind::Psychosis, true) => "egen psykotisk episode",
                    (EpisodeKind::Mania, true) => "egen manisk episode",
                    (EpisodeKind::Hypomania, true) => "egen hypoman episode",
                };
                match (e.substance_induced, nb) {
                    (false, _) => what.to_string(),
                    (true, false) => {
                        format!("{what}, only with alcohol, drugs or a medicine, or coming off one")
                    }
                    (true, true) => format!(
                        "{what}, bare i forbindelse med alkohol, rusmidler eller et legemiddel, eller ved avslutning"
                    ),
                }
            }
            Detail::Unknown(q) => {
                let what = match (q, nb) {
                    (HistoryQuestion::Family, false) => {
                        "psychosis or bipolar disorder in parents, siblings or children"
                    }
                    (HistoryQuestion::Psychosis, false) => "psychotic episodes of their own",
                    (HistoryQuestion::Mania, false) => "manic or hypomanic episodes of their own",
                    (HistoryQuestion::Family, true) => {
                        "psykose eller bipolar lidelse hos foreldre, søsken eller barn"
                    }
                    (HistoryQuestion::Psychosis, true) => "egne psykotiske episoder",
                    (HistoryQuestion::Mania, true) => "egne maniske eller hypomane episoder",
                };
                if nb {
                    format!("vet ikke: {what}")
                } else {
                    format!("does not know: {what}")
                }
            }
        }
    }
}

impl<'r> Finding<'r> {
    fn new(rule: &'r Rule, matched: impl Into<String>) -> Finding<'r> {
        Finding {
            rule,
            class: None,
            medicine: None,
            matched: matched.into(),
            recognised_as: None,
            detail: None,
            verified: rule.verified,
        }
    }

    /// The rule that fired.
    pub fn rule(&self) -> &'r Rule {
        self.rule
    }

    /// The rule's id.
    pub fn rule_id(&self) -> &'r str {
        &self.rule.id
    }

    /// The rule's severity.
    pub fn severity(&self) -> Severity {
        self.rule.severity
    }

    /// The interaction class (for medicines) or category.
    pub fn class(&self) -> &'r str {
        &self.rule.class
    }

    /// The interaction class's name in `lang`, for medicine findings.
    pub fn class_name(&self, lang: &str) -> Option<&'r str> {
        self.class.map(|c| c.name.get(lang))
    }

    /// The medicine the entry was recognised as, if any.
    pub fn medicine(&self) -> Option<&'r Medicine> {
        self.medicine
    }

    /// Why this matters, in `lang` (`en` or `nb`; English for others).
    pub fn explanation(&self, lang: &str) -> &'r str {
        self.rule.explanation.get(lang)
    }

    /// A note about the recognised medicine ("only the tablets matter"), in `lang`.
    pub fn note(&self, lang: &str) -> Option<&'r str> {
        self.medicine
            .and_then(|m| m.note.as_ref())
            .map(|n| n.get(lang))
    }

    /// The rule's source.
    pub fn source(&self) -> &'r Source {
        &self.rule.source
    }

    /// The finding as a JSON object, texts in `lang`: `rule`, `severity`, `class`, `matched`, `explanation`,
    /// `source` (the rule's citation), `verified` and `effective_for` always; `class_name`, `recognised_as`,
    /// `detail`, `note`, `source_url` and `membership_source` (why the medicine is in the class) when there is
    /// one, `null` otherwise.
    pub fn to_json(&self, lang: &str) -> Value {
        json!({
            "rule": self.rule.id,
            "severity": self.rule.severity,
            "class": self.rule.class,
            "class_name": self.class_name(lang),
            "matched": self.matched,
            "recognised_as": self.recognised_as,
            "explanation": self.explanation(lang),
            "detail": self.detail.map(|d| d.text(lang)),
            "note": self.note(lang),
            "source": self.rule.source.citation,
            "source_id": self.rule.source.id,
            "source_url": self.rule.source.url,
            "membership_source": self.medicine.map(|m| &m.source.citation),
            "verified": self.verified,
            "effective_for": self.rule.effective_for,
        })
    }
}

/// The state of one medicine entry on the screening day.
#[derive(Clone, Copy)]
enum Use {
    Taking { ends: Option<Day> },
    Stopped { on: Day, days_ago: i64 },
}

impl RuleSet {
    /// Runs every rule over the intake. Findings are sorted by severity, most serious first; within one severity
    /// they keep the order of the intake (medicines, substances, conditions, then flags and readings). An entry
    /// that is blank is skipped; an entry that matches nothing gives an `info` finding asking for a check by hand.
    ///
    /// No finding at all does not mean a person is cleared: ferd never clears anyone.
    pub fn screen(&self, facts: &IntakeFacts) -> Vec<Finding<'_>> {
        let mut out = Vec::new();
        for m in &facts.medications {
            self.screen_medicine(&m.name, m.stopped, None, facts, &mut out);
        }
        for s in &facts.substances {
            self.screen_medicine(&s.substance, s.last_used, s.disorder, facts, &mut out);
        }
        for c in &facts.conditions {
            self.screen_condition(c, &mut out);
        }
        for (set, trigger, matched) in [
            (facts.pregnant, Trigger::Pregnant, "pregnant"),
            (facts.breastfeeding, Trigger::Breastfeeding, "breastfeeding"),
        ] {
            if set {
                for r in self.with_trigger(trigger) {
                    // Written as a condition too ("gravid"): one finding is enough.
                    if !out.iter().any(|f| std::ptr::eq(f.rule, r)) {
                        out.push(Finding::new(r, matched));
                    }
                }
            }
        }
        // The health form's psychiatric history: one finding per answer, whatever order it was ticked in.
        for h in &facts.family_history {
            for r in self.with_trigger(Trigger::FamilyHistory(h.condition)) {
                push_once(&mut out, r, h.to_string(), Detail::Family(*h));
            }
        }
        for e in &facts.episodes {
            let trigger = Trigger::Episode {
                kind: e.kind,
                substance_induced: e.substance_induced,
            };
            for r in self.with_trigger(trigger) {
                push_once(&mut out, r, e.to_string(), Detail::Episode(*e));
            }
        }
        for q in &facts.unknown_history {
            for r in self.with_trigger(Trigger::HistoryUnknown) {
                push_once(
                    &mut out,
                    r,
                    format!("unknown:{}", q.id()),
                    Detail::Unknown(*q),
                );
            }
        }
        if let Some(years) = facts.age {
            for r in &self.rules {
                if let Trigger::AgeBelow(minimum) = r.trigger {
                    if years < minimum {
                        let mut f = Finding::new(r, format!("age {years}"));
                        f.detail = Some(Detail::Age { years, minimum });
                        out.push(f);
                    }
                }
            }
        }
        if let Some(reading) = facts.blood_pressure {
            // Only the highest limit reached: one reading is one finding.
            let highest = self
                .rules
                .iter()
                .filter_map(|r| match r.trigger {
                    Trigger::BloodPressure {
                        systolic,
                        diastolic,
                    } if reading.systolic >= systolic || reading.diastolic >= diastolic => {
                        Some((r, systolic, diastolic))
                    }
                    _ => None,
                })
                .max_by_key(|&(_, s, d)| (s, d));
            if let Some((r, systolic_limit, diastolic_limit)) = highest {
                let mut f = Finding::new(r, reading.to_string());
                f.detail = Some(Detail::BloodPressure {
                    reading,
                    systolic_limit,
                    diastolic_limit,
                });
                out.push(f);
            }
        }
        out.sort_by_key(Finding::severity);
        out
    }

    fn with_trigger(&self, trigger: Trigger) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(move |r| r.trigger == trigger)
    }

    fn screen_medicine<'r>(
        &'r self,
        entry: &str,
        stopped: Option<Day>,
        disorder: Option<UseDisorder>,
        facts: &IntakeFacts,
        out: &mut Vec<Finding<'r>>,
    ) {
        let matched = entry.trim();
        if matched.is_empty() {
            return;
        }
        let state = match stopped {
            Some(on) if on <= facts.today => Use::Stopped {
                on,
                days_ago: facts.today.days_after(on),
            },
            ends => Use::Taking { ends },
        };
        let targets = self.find_medicines(matched);
        if targets.is_empty() {
            for r in self.with_trigger(Trigger::UnrecognisedMedicine) {
                out.push(Finding::new(r, matched));
            }
        }
        let mut graded = false;
        for target in targets {
            let (medicine, classes): (Option<&Medicine>, Vec<usize>) = match target {
                Target::Medicine(i) => {
                    (Some(&self.medicines[i]), self.medicines[i].classes.clone())
                }
                Target::Group(c) => (None, vec![c]),
            };
            let recognised_as = match (medicine, target) {
                (Some(m), _) => m.display_name().to_string(),
                (None, _) => {
                    let words = matching::words(matched);
                    let code = words
                        .iter()
                        .find(|w| matching::looks_like_atc(w))
                        .map(|w| w.to_uppercase())
                        .unwrap_or_default();
                    format!("ATC group {code}")
                }
            };
            for ci in classes {
                let class = &self.classes[ci];
                graded |= GRADED_USE_CLASSES.contains(&class.id.as_str());
                let verified_member = medicine
                    .is_none_or(|m| m.verified && !m.unverified_classes.contains(&class.id));
                let mut push = |r: &'r Rule, detail: Option<Detail>| {
                    out.push(Finding {
                        rule: r,
                        class: Some(class),
                        medicine,
                        matched: matched.to_string(),
                        recognised_as: Some(recognised_as.clone()),
                        detail,
                        verified: r.verified && verified_member,
                    })
                };
                let of_class = |t: fn(&Trigger) -> bool| {
                    self.rules
                        .iter()
                        .filter(move |r| r.class == class.id && t(&r.trigger))
                };
                match state {
                    Use::Taking { ends } => {
                        for r in of_class(|t| *t == Trigger::Taking) {
                            push(r, ends.map(|on| Detail::TaperEnds { on }));
                        }
                        if let Some(days_since) = facts.days_since_last_medicine_session {
                            for r in of_class(|t| matches!(t, Trigger::AfterSession { .. })) {
                                if let Trigger::AfterSession { within_days } = r.trigger {
                                    if days_since <= within_days {
                                        push(
                                            r,
                                            Some(Detail::AfterSession {
                                                days_since,
                                                within_days,
                                            }),
                                        );
                                    }
                                }
                            }
                        }
                    }
                    Use::Stopped { on, days_ago } => {
                        // A class without a window (CYP2D6 substrates) no longer matters once stopped.
                        let window = match class.recent_days {
                            0 => 0,
                            days => medicine.and_then(|m| m.recent_days).unwrap_or(days),
                        };
                        if days_ago >= i64::from(window) {
                            continue;
                        }
                        let detail = Some(Detail::Stopped {
                            on,
                            days_ago,
                            window_days: window,
                        });
                        let recent: Vec<&Rule> =
                            of_class(|t| *t == Trigger::StoppedRecently).collect();
                        if recent.is_empty() {
                            for r in of_class(|t| *t == Trigger::Taking) {
                                push(r, detail);
                            }
                        } else {
                            for r in recent {
                                push(r, detail);
                            }
                        }
                    }
                }
            }
        }
        if let Some(d) = disorder {
            // MAPP2 (SI p. 5, as quoted in Open MDMA): alcohol or cannabis use disorder excluded when severe, or
            // moderate and not in remission; any other substance use disorder within 12 months excluded. Severe and
            // still within 12 months (no sustained remission) counts as severe.
            let excluded = if graded {
                match d.severity {
                    UseSeverity::Severe => d.remission != Remission::Sustained,
                    UseSeverity::Moderate => d.remission == Remission::None,
                    UseSeverity::Mild => false,
                }
            } else {
                d.remission != Remission::Sustained
            };
            let trigger = if excluded {
                Trigger::UseDisorderExcluded
            } else {
                Trigger::UseDisorderAllowed
            };
            for r in self.with_trigger(trigger) {
                let mut f = Finding::new(r, matched);
                f.detail = Some(Detail::UseDisorder(d));
                out.push(f);
            }
        }
    }

    fn screen_condition<'r>(&'r self, entry: &str, out: &mut Vec<Finding<'r>>) {
        let matched = entry.trim();
        if matched.is_empty() {
            return;
        }
        let hits = self.terms.find(&matching::words(matched), |_| None);
        if hits.is_empty() {
            for r in self.with_trigger(Trigger::UnrecognisedCondition) {
                out.push(Finding::new(r, matched));
            }
        }
        for h in hits {
            let r = &self.rules[h.target];
            if !out
                .iter()
                .any(|f| std::ptr::eq(f.rule, r) && f.matched == matched)
            {
                out.push(Finding::new(r, matched));
            }
        }
    }
}

/// Adds a finding of `r` for `matched` unless the same answer already gave one.
fn push_once<'r>(out: &mut Vec<Finding<'r>>, r: &'r Rule, matched: String, detail: Detail) {
    if !out
        .iter()
        .any(|f| std::ptr::eq(f.rule, r) && f.matched == matched)
    {
        let mut f = Finding::new(r, matched);
        f.detail = Some(detail);
        out.push(f);
    }
}

/// Screens with the bundled rules.
pub fn screen(facts: &IntakeFacts) -> Vec<Finding<'static>> {
    RuleSet::builtin().screen(facts)
}

//! Safety screening before MDMA-assisted therapy: facts from the intake in, findings out.
//!
//! The rules are data (`data/screening/*.toml`, embedded at build time): interaction classes with the medicines
//! that belong to them (matched by generic name in English or Norwegian, Norwegian brand name, or ATC code),
//! and rules on medicines, conditions, pregnancy, age, blood pressure and substance use. Each rule has a severity
//! ([`Severity`]), an explanation in English and Norwegian, the source it rests on, whether that fact is verified,
//! and the settings it comes from (the MAPP1 and MAPP2 trial criteria, or clinic practice). The facts and their
//! sources are those of the shared domain notes (`mdma-at.md` §2, §3 and §9.2).
//!
//! ferd never clears anyone. A finding is decision support: the therapist reviews the findings, and a named
//! clinician records a clearance or refusal. An empty list of findings means only that no rule fired.
//!
//! ```
//! use ferd_core::screening::{screen, Day, IntakeFacts, Medication, Severity};
//!
//! let mut facts = IntakeFacts::new(Day::from_ymd(2026, 5, 1).unwrap());
//! facts.medications.push(Medication::current("Aurorix 150 mg"));
//! let findings = screen(&facts);
//! assert_eq!(findings[0].severity(), Severity::Exclusion);
//! assert_eq!(findings[0].class(), "maoi");
//! ```

mod engine;
mod file;
mod intake;
mod matching;
mod rules;

pub use crate::calendar::{CalendarParseError, Day};
pub use engine::{screen, Detail, Finding};
pub use intake::{
    BloodPressure, BloodPressureError, EpisodeKind, FamilyCondition, FamilyHistory,
    HistoryParseError, HistoryQuestion, IntakeFacts, Medication, PastEpisode, Relative, Remission,
    SubstanceUse, UseDisorder, UseSeverity,
};
pub use rules::{
    Example, InteractionClass, Medicine, Rule, RuleSet, ScreeningError, Setting, Severity, Source,
    Trigger, BUILTIN_FILES,
};

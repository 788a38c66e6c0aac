//! Which codes an instrument's Observations carry, known from its definition alone: what a search by
//! `Observation.code` is matched against before any response is read.

use super::types::Coding;
use super::{LOINC, SCORE_SYSTEM};
use crate::instruments::{Instrument, ScoreKind};

/// The `code.coding` of each Observation that [`observations`](super::observations) makes for a response to `ins`,
/// in the same order: the total's (LOINC where verified, then ferd's score code), then each derived score that has
/// a LOINC code of its own. The tests check that the two agree for every instrument.
pub fn observation_codes(ins: &Instrument) -> Vec<Vec<Coding>> {
    ins.scores
        .iter()
        .filter(|d| {
            d.kind == ScoreKind::Total || (d.kind == ScoreKind::Derived && d.loinc.is_some())
        })
        .map(|d| {
            let mut codes = Vec::with_capacity(2);
            let loinc = if d.kind == ScoreKind::Total {
                ins.fhir
                    .loinc_total
                    .as_ref()
                    .map(|c| (c, ins.fhir.loinc_total_display.clone()))
            } else {
                d.loinc.as_ref().map(|c| (c, d.loinc_display.clone()))
            };
            if let Some((c, display)) = loinc {
                codes.push(Coding::new(LOINC, c, display.unwrap_or_default()));
            }
            codes.push(Coding::new(
                SCORE_SYSTEM,
                &format!("{}.{}", ins.id, d.id),
                d.name.en(),
            ));
            codes
        })
        .collect()
}

/// A token search value (`system|code`, `code`, `|code` or `system|`) as FHIR matches it against a coding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenParam {
    /// `None`: any system; `Some("")`: no system.
    pub system: Option<String>,
    /// `None`: any code in the system.
    pub code: Option<String>,
}

impl TokenParam {
    /// Reads one token value; `None` when it names neither a system nor a code.
    pub fn parse(value: &str) -> Option<TokenParam> {
        let t = match value.split_once('|') {
            Some((system, code)) => TokenParam {
                system: Some(system.to_string()),
                code: (!code.is_empty()).then(|| code.to_string()),
            },
            None => TokenParam {
                system: None,
                code: (!value.is_empty()).then(|| value.to_string()),
            },
        };
        let empty = t.code.is_none() && t.system.as_deref().is_none_or(str::is_empty);
        (!empty).then_some(t)
    }

    /// Whether the coding matches.
    pub fn matches(&self, c: &Coding) -> bool {
        let system_ok = match self.system.as_deref() {
            None => true,
            Some("") => c.system.is_none(),
            Some(s) => c.system.as_deref() == Some(s),
        };
        system_ok
            && self
                .code
                .as_deref()
                .is_none_or(|code| c.code.as_deref() == Some(code))
    }

    /// Whether any of the codings matches.
    pub fn matches_any(&self, codings: &[Coding]) -> bool {
        codings.iter().any(|c| self.matches(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fhir::{observations, ObservationContext, Reference};
    use crate::Catalogue;

    #[test]
    fn the_codes_known_from_a_definition_are_those_its_observations_carry() {
        for ins in Catalogue::builtin().iter() {
            for pick_max in [true, false] {
                let answers: Vec<Option<i64>> = ins
                    .items
                    .iter()
                    .map(|i| {
                        let set = ins.answers_of(i);
                        Some(i64::from(if pick_max { set.max } else { set.min }))
                    })
                    .collect();
                let Ok(response) = ins.response(&answers) else {
                    continue; // a closed gate with the other items answered
                };
                let ctx = ObservationContext {
                    derived_from: Reference::to("QuestionnaireResponse/x"),
                    subject: None,
                    effective: None,
                    issued: None,
                };
                let made: Vec<Vec<Coding>> = observations(&response.score(), &ctx)
                    .into_iter()
                    .map(|o| o.code.coding)
                    .collect();
                assert_eq!(made, observation_codes(ins), "{}", ins.id);
            }
        }
    }

    #[test]
    fn token_values_match_as_fhir_says() {
        let loinc = Coding::new(LOINC, "44249-1", "PHQ-9 total");
        let t = |v: &str| TokenParam::parse(v).unwrap();
        assert!(t("http://loinc.org|44249-1").matches(&loinc));
        assert!(t("44249-1").matches(&loinc));
        assert!(t("http://loinc.org|").matches(&loinc));
        assert!(!t("|44249-1").matches(&loinc), "|code means no system");
        assert!(!t("http://snomed.info/sct|44249-1").matches(&loinc));
        assert!(!t("44249-2").matches(&loinc));
        assert_eq!(TokenParam::parse("|"), None);
        assert_eq!(TokenParam::parse(""), None);
    }
}

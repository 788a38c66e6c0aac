//! Scores as R4 `Observation`s.

use super::types::*;
use super::{LOINC, OBSERVATION_CATEGORY, SCORE_SYSTEM, SEVERITY_SYSTEM};
use crate::instruments::{ScoreDef, ScoreKind, Scored};

/// Where an Observation comes from: the response it is derived from, whom it is about and when.
#[derive(Debug, Clone)]
pub struct ObservationContext {
    /// The QuestionnaireResponse the scores were computed from.
    pub derived_from: Reference,
    pub subject: Option<Reference>,
    /// `effectiveDateTime`: when the response was authored.
    pub effective: Option<String>,
    /// `issued`: when ferd computed the scores (a FHIR instant), if the caller knows the time.
    pub issued: Option<String>,
}

/// The Observations for one scored response:
/// - one for the total (LOINC code where verified, ferd's code otherwise), with the severity band as
///   `interpretation`, and as `component`s the subscales, derived scores that have no LOINC code of their own, every
///   cut-off and symptom pattern (met or not), every safety flag (raised or not), and a closed gate;
/// - one for each derived score that has its own LOINC code (the PHQ-2), with its own cut-offs as components.
///
/// Each is `final`, in category `survey`, and `derivedFrom` the response.
pub fn observations(scored: &Scored<'_>, ctx: &ObservationContext) -> Vec<Observation> {
    let ins = scored.instrument();
    let own_observation = |d: &ScoreDef| {
        d.kind == ScoreKind::Total || (d.kind == ScoreKind::Derived && d.loinc.is_some())
    };
    let mut out = Vec::new();
    for (index, (def, value)) in scored.scores().enumerate() {
        if !own_observation(def) {
            continue;
        }
        let mut code = Vec::new();
        let loinc = if def.kind == ScoreKind::Total {
            ins.fhir
                .loinc_total
                .as_ref()
                .map(|c| (c, ins.fhir.loinc_total_display.clone()))
        } else {
            def.loinc.as_ref().map(|c| (c, def.loinc_display.clone()))
        };
        if let Some((c, display)) = loinc {
            code.push(Coding::new(LOINC, c, display.unwrap_or_default()));
        }
        code.push(score_coding(&ins.id, def));
        let mut component = Vec::new();
        if def.kind == ScoreKind::Total {
            for (d, v) in scored.scores().filter(|(d, _)| !own_observation(d)) {
                component.push(ObservationComponent {
                    code: concept(score_coding(&ins.id, d)),
                    value_integer: Some(v),
                    value_boolean: None,
                });
            }
        }
        for (cutoff, met) in scored.cutoffs() {
            let belongs = cutoff.score == index
                || (def.kind == ScoreKind::Total && !own_observation(&ins.scores[cutoff.score]));
            if belongs {
                component.push(boolean(
                    format!("{}.cutoff.{}", ins.id, cutoff.id),
                    cutoff.label.en(),
                    met,
                ));
            }
        }
        if def.kind == ScoreKind::Total {
            for (pattern, met) in scored.patterns() {
                component.push(boolean(
                    format!("{}.pattern.{}", ins.id, pattern.id),
                    pattern.label.en(),
                    met,
                ));
            }
            for flag in &ins.flags {
                let raised = scored.flags().any(|f| f.id == flag.id);
                component.push(boolean(
                    format!("flag.{}", flag.id),
                    flag.label.en(),
                    raised,
                ));
            }
            if ins.gate.is_some() {
                component.push(boolean(
                    format!("{}.gate-closed", ins.id),
                    "Screen ended at the first question",
                    scored.gate_closed(),
                ));
            }
        }
        let interpretation = match (def.kind, scored.band()) {
            (ScoreKind::Total, Some(band)) => vec![CodeableConcept {
                coding: vec![Coding::new(SEVERITY_SYSTEM, &band.id, band.label.en())],
                text: Some(band.label.en().to_string()),
            }],
            _ => Vec::new(),
        };
        out.push(Observation {
            resource_type: "Observation",
            id: None,
            status: "final",
            category: vec![concept(Coding::new(
                OBSERVATION_CATEGORY,
                "survey",
                "Survey",
            ))],
            code: CodeableConcept {
                coding: code,
                text: Some(format!("{} {}", ins.short_name, def.name.en())),
            },
            subject: ctx.subject.clone(),
            effective_date_time: ctx.effective.clone(),
            issued: ctx.issued.clone(),
            value_integer: value,
            interpretation,
            derived_from: vec![ctx.derived_from.clone()],
            component,
        });
    }
    out
}

fn score_coding(instrument: &str, def: &ScoreDef) -> Coding {
    Coding::new(
        SCORE_SYSTEM,
        &format!("{instrument}.{}", def.id),
        def.name.en(),
    )
}

fn concept(coding: Coding) -> CodeableConcept {
    CodeableConcept {
        coding: vec![coding],
        text: None,
    }
}

fn boolean(code: String, display: &str, value: bool) -> ObservationComponent {
    ObservationComponent {
        code: concept(Coding::new(SCORE_SYSTEM, &code, display)),
        value_integer: None,
        value_boolean: Some(value),
    }
}

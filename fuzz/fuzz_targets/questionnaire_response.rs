//! Fuzzes `fhir::score_questionnaire_response` with arbitrary text: it must never panic, and whatever it accepts must
//! score within the instrument's ranges, serialise (summary and Observations), and survive a round trip through the
//! QuestionnaireResponse ferd writes for it with the same scores.

#![no_main]

use ferd_core::fhir::{
    observations, questionnaire_response, score_questionnaire_response, ObservationContext,
    Reference,
};
use ferd_core::Catalogue;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let catalogue = Catalogue::builtin();
    let Ok(parsed) = score_questionnaire_response(catalogue, text, None) else {
        return;
    };
    let scored = &parsed.scored;
    let ins = scored.instrument();
    let total = scored.total();

    // Scores: the total and every other score within its range; a closed gate scores 0.
    let range = ins.total().min..=ins.total().max;
    assert!(
        range.contains(&total),
        "{}: total {total} outside {range:?}",
        ins.id
    );
    for (def, value) in scored.scores() {
        assert!(
            (def.min..=def.max).contains(&value),
            "{}: score {} = {value} outside {}..={}",
            ins.id,
            def.id,
            def.min,
            def.max
        );
    }
    for (def, value) in scored.subscales() {
        assert!(
            (def.min..=def.max).contains(&value),
            "{}: subscale {} = {value}",
            ins.id,
            def.id
        );
    }
    if scored.gate_closed() {
        assert!(
            scored.scores().all(|(_, v)| v == 0),
            "{}: closed gate but a score is not 0",
            ins.id
        );
        assert_eq!(
            scored.flags().count(),
            0,
            "{}: closed gate raised a flag",
            ins.id
        );
    }

    // Severity: where the total is banded, exactly the band that contains it.
    match scored.band() {
        Some(band) => assert!(
            band.score == 0 && band.min <= total && total <= band.max,
            "{}: band {} ({}..={}) does not contain total {total}",
            ins.id,
            band.id,
            band.min,
            band.max
        ),
        None => assert!(
            !ins.has_bands(),
            "{}: total {total} falls in no band",
            ins.id
        ),
    }

    // Cut-offs agree with their thresholds.
    for (cutoff, met) in scored.cutoffs() {
        assert_eq!(
            cutoff.threshold.met(scored.score_at(cutoff.score)),
            met,
            "{}: cut-off {}",
            ins.id,
            cutoff.id
        );
    }

    // Every answer kept is one of its item's options.
    for (i, item) in ins.items.iter().enumerate() {
        if let Some(v) = parsed.response.value(i) {
            assert!(
                ins.answers_of(item).option(v).is_some(),
                "{}: item {} = {v}",
                ins.id,
                item.key
            );
        }
    }

    // The summary and the Observations serialise and agree with the scores.
    let summary = scored.summary();
    assert_eq!(summary.total, total);
    assert_eq!(summary.range, [ins.total().min, ins.total().max]);
    let summary_json = serde_json::to_string(&summary).expect("summary serialises");
    assert!(serde_json::from_str::<serde_json::Value>(&summary_json).is_ok());

    let ctx = ObservationContext {
        derived_from: Reference::to(format!(
            "QuestionnaireResponse/{}",
            parsed.id.as_deref().unwrap_or("fuzz")
        )),
        subject: parsed.subject.clone(),
        effective: parsed.authored.clone(),
        issued: None,
    };
    let obs = observations(scored, &ctx);
    assert!(!obs.is_empty(), "{}: no Observation", ins.id);
    assert_eq!(
        obs[0].value_integer, total,
        "{}: the first Observation is not the total",
        ins.id
    );
    let obs_json = serde_json::to_string(&obs).expect("Observations serialise");
    assert!(serde_json::from_str::<serde_json::Value>(&obs_json).is_ok());

    // Round trip: the QuestionnaireResponse ferd writes for these answers scores the same.
    let qr = questionnaire_response(
        &parsed.response,
        parsed.subject.clone(),
        parsed.authored.clone(),
    );
    let qr_json = serde_json::to_string(&qr).expect("QuestionnaireResponse serialises");
    let again = score_questionnaire_response(catalogue, &qr_json, Some(ins)).unwrap_or_else(|e| {
        panic!(
            "{}: ferd's own QuestionnaireResponse is rejected: {e}\n{qr_json}",
            ins.id
        )
    });
    assert_eq!(
        again.scored.summary(),
        summary,
        "{}: round trip changed the scores",
        ins.id
    );
});

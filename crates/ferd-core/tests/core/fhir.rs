//! FHIR R4: Questionnaire export, QuestionnaireResponse parsing and scoring, Observations. Structural checks that
//! the independent validators do not make (status codes, empty arrays) are here; their checks are in
//! fhir_validators.rs.

use ferd_core::fhir::{
    self, is_fhir_date_time, observations, score_questionnaire_response, FhirError,
    ObservationContext, Reference,
};
use ferd_core::Catalogue;
use serde_json::{json, Value};

use crate::common::{ins, score};

/// Fails on anything FHIR JSON forbids that a schema-driven validator lets through: empty arrays, empty objects,
/// empty strings, nulls.
pub fn assert_no_empty(v: &Value, path: &str) {
    match v {
        Value::Null => panic!("{path}: null"),
        Value::String(s) => assert!(!s.trim().is_empty(), "{path}: empty string"),
        Value::Array(a) => {
            assert!(!a.is_empty(), "{path}: empty array");
            for (i, x) in a.iter().enumerate() {
                assert_no_empty(x, &format!("{path}[{i}]"));
            }
        }
        Value::Object(o) => {
            assert!(!o.is_empty(), "{path}: empty object");
            for (k, x) in o {
                assert_no_empty(x, &format!("{path}.{k}"));
            }
        }
        _ => {}
    }
}

pub fn questionnaire_json(id: &str) -> Value {
    serde_json::to_value(fhir::questionnaire(ins(id))).unwrap()
}

/// Fills a QuestionnaireResponse from an exported Questionnaire's own JSON, choosing for each question the answer
/// option whose ordinalValue is the given value (for unscored items, which carry no weight, the option with the
/// instrument's code for that value). Independent of ferd's own QuestionnaireResponse writer.
pub fn fill(questionnaire: &Value, answers: &[(&str, i64)]) -> Value {
    let ins = Catalogue::builtin()
        .by_canonical(questionnaire["url"].as_str().unwrap())
        .unwrap();
    let items: Vec<Value> = answers
        .iter()
        .map(|(link, value)| {
            let q = questionnaire["item"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["linkId"] == *link)
                .unwrap_or_else(|| panic!("no item {link}"));
            let options = q["answerOption"].as_array().unwrap();
            let option = options
                .iter()
                .find(|o| {
                    o["extension"]
                        .as_array()
                        .and_then(|e| e.iter().find(|x| x["url"] == fhir::ORDINAL_VALUE))
                        .map(|x| x["valueDecimal"].as_i64() == Some(*value))
                        .unwrap_or_else(|| {
                            let item = &ins.items
                                [ins.items.iter().position(|i| i.link_id == *link).unwrap()];
                            let code = ins
                                .answers_of(item)
                                .option(*value as u8)
                                .map(|o| o.code.as_str());
                            o["valueCoding"]["code"].as_str() == code
                        })
                })
                .unwrap_or_else(|| panic!("{link} has no option {value}"));
            json!({ "linkId": link, "answer": [{ "valueCoding": option["valueCoding"] }] })
        })
        .collect();
    json!({
        "resourceType": "QuestionnaireResponse",
        "id": "qr-1",
        "questionnaire": questionnaire["url"],
        "status": "completed",
        "subject": { "reference": "Patient/p1" },
        "authored": "2026-01-15T10:00:00+01:00",
        "item": items,
    })
}

pub fn positional(id: &str, values: &[i64]) -> Vec<(String, i64)> {
    ins(id)
        .items
        .iter()
        .zip(values)
        .map(|(i, v)| (i.link_id.clone(), *v))
        .collect()
}

fn parse(json: &Value) -> Result<ferd_core::fhir::ParsedResponse<'static>, FhirError> {
    score_questionnaire_response(Catalogue::builtin(), &json.to_string(), None)
}

#[test]
fn every_questionnaire_is_active_has_no_empty_elements_and_weights_every_scored_option() {
    for i in Catalogue::builtin().iter() {
        let q = questionnaire_json(&i.id);
        assert_no_empty(&q, &i.id);
        assert_eq!(q["resourceType"], "Questionnaire");
        assert_eq!(q["status"], "active");
        assert_eq!(q["url"], i.url.as_str());
        let items = q["item"].as_array().unwrap();
        let choices: Vec<_> = items.iter().filter(|x| x["type"] == "choice").collect();
        assert_eq!(choices.len(), i.items.len(), "{}", i.id);
        for (item, q_item) in i.items.iter().zip(&choices) {
            assert_eq!(q_item["text"], item.text.en());
            for option in q_item["answerOption"].as_array().unwrap() {
                let ext = option["extension"].as_array();
                if item.scored {
                    let ext = ext.unwrap();
                    let urls: Vec<_> = ext.iter().map(|e| e["url"].as_str().unwrap()).collect();
                    assert_eq!(urls, [fhir::ORDINAL_VALUE, fhir::ITEM_WEIGHT]);
                    assert_eq!(ext[0]["valueDecimal"], ext[1]["valueDecimal"]);
                } else {
                    assert!(ext.is_none(), "{} item {} is not scored", i.id, item.key);
                }
            }
        }
        // Unique linkIds (que-2) and ids within FHIR's 64 characters: neither validator checks them.
        let mut links: Vec<&str> = items
            .iter()
            .map(|x| x["linkId"].as_str().unwrap())
            .collect();
        links.sort_unstable();
        links.dedup();
        assert_eq!(links.len(), items.len(), "{}: duplicate linkId", i.id);
        assert!(q["id"].as_str().unwrap().len() <= 64);
        // Code lists neither independent validator checks (R4 item-type and enableWhen operator value sets).
        for item in items {
            assert!(["display", "choice", "integer"].contains(&item["type"].as_str().unwrap()));
            if let Some(conditions) = item.get("enableWhen") {
                assert!(conditions
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|c| c["operator"] == "="));
            }
        }
        let total = items.last().unwrap();
        assert_eq!(
            (total["type"].as_str(), total["readOnly"].as_bool()),
            (Some("integer"), Some(true))
        );
    }
}

#[test]
fn questionnaires_carry_the_verified_loinc_codes_and_the_pfizer_notice() {
    let phq = questionnaire_json("phq-9");
    assert_eq!(phq["code"][0]["code"], "44249-1");
    assert_eq!(phq["code"][0]["system"], "http://loinc.org");
    assert!(phq["copyright"]
        .as_str()
        .unwrap()
        .starts_with("Copyright © Pfizer Inc."));
    let item9 = phq["item"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["linkId"] == "phq-9-9")
        .unwrap();
    assert_eq!(item9["code"][0]["code"], "44260-8");
    assert_eq!(item9["answerOption"][0]["valueCoding"]["code"], "LA6568-5");
    let total = phq["item"].as_array().unwrap().last().unwrap();
    assert_eq!(total["code"][0]["code"], "44261-6");
    assert!(
        questionnaire_json("who-5").get("code").is_none(),
        "no verified LOINC code for the WHO-5"
    );
}

#[test]
fn pc_ptsd5_items_are_enabled_only_by_a_yes_to_the_exposure_question() {
    let q = questionnaire_json("pc-ptsd-5");
    let items = q["item"].as_array().unwrap();
    let item1 = items.iter().find(|x| x["linkId"] == "pc-ptsd-5-1").unwrap();
    assert_eq!(item1["enableWhen"][0]["question"], "pc-ptsd-5-exposure");
    assert_eq!(item1["enableWhen"][0]["operator"], "=");
    assert_eq!(item1["enableWhen"][0]["answerCoding"]["code"], "yes");
    let gate = items
        .iter()
        .find(|x| x["linkId"] == "pc-ptsd-5-exposure")
        .unwrap();
    assert!(gate.get("enableWhen").is_none());
}

#[test]
fn round_trip_questionnaire_to_filled_response_to_score_to_observations_for_every_instrument() {
    let cases: [(&str, &[i64]); 6] = [
        (
            "pcl-5",
            &[3, 3, 4, 2, 3, 4, 3, 1, 3, 4, 3, 2, 3, 2, 2, 1, 4, 3, 2, 4],
        ),
        (
            "pcl-5-week",
            &[2, 0, 0, 0, 0, 2, 0, 0, 2, 2, 0, 0, 0, 0, 0, 0, 2, 2, 0, 0],
        ),
        ("pc-ptsd-5", &[1, 1, 0, 1, 1, 1]),
        ("phq-9", &[3, 3, 3, 3, 2, 3, 2, 1, 1, 2]),
        ("gad-7", &[3, 3, 3, 2, 2, 3, 2]),
        ("who-5", &[3, 3, 2, 2, 2]),
    ];
    for (id, values) in cases {
        let q = questionnaire_json(id);
        let pairs = positional(id, values);
        let refs: Vec<(&str, i64)> = pairs.iter().map(|(l, v)| (l.as_str(), *v)).collect();
        let qr = fill(&q, &refs);
        let parsed = parse(&qr).unwrap_or_else(|e| panic!("{id}: {e}"));
        let direct = score(id, values);
        assert_eq!(parsed.scored.summary(), direct.summary(), "{id}");
        assert_eq!(parsed.id.as_deref(), Some("qr-1"));

        let ctx = ObservationContext {
            derived_from: Reference::to("QuestionnaireResponse/qr-1"),
            subject: parsed.subject.clone(),
            effective: parsed.authored.clone(),
            issued: None,
        };
        let obs = observations(&parsed.scored, &ctx);
        let main = serde_json::to_value(&obs[0]).unwrap();
        assert_no_empty(&main, id);
        assert_eq!(main["status"], "final");
        assert_eq!(main["category"][0]["coding"][0]["code"], "survey");
        assert_eq!(main["valueInteger"], direct.total());
        assert_eq!(
            main["derivedFrom"][0]["reference"],
            "QuestionnaireResponse/qr-1"
        );
        assert_eq!(main["subject"]["reference"], "Patient/p1");
        assert_eq!(main["effectiveDateTime"], "2026-01-15T10:00:00+01:00");
        match ins(id).fhir.loinc_total.as_deref() {
            Some(code) => assert_eq!(main["code"]["coding"][0]["code"], code),
            None => assert_eq!(main["code"]["coding"][0]["system"], fhir::SCORE_SYSTEM),
        }
    }
}

#[test]
fn pcl5_observation_has_clusters_cutoffs_and_the_pattern_as_components() {
    let s = score(
        "pcl-5",
        &[3, 3, 4, 2, 3, 4, 3, 1, 3, 4, 3, 2, 3, 2, 2, 1, 4, 3, 2, 4],
    );
    let ctx = ObservationContext {
        derived_from: Reference::to("QuestionnaireResponse/x"),
        subject: None,
        effective: None,
        issued: None,
    };
    let obs = observations(&s, &ctx);
    assert_eq!(obs.len(), 1);
    let o = serde_json::to_value(&obs[0]).unwrap();
    assert_eq!(o["code"]["coding"][0]["code"], "101698-9");
    assert!(o.get("interpretation").is_none(), "the PCL-5 has no bands");
    let comp = |code: &str| {
        o["component"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"]["coding"][0]["code"] == code)
            .cloned()
            .unwrap_or_else(|| panic!("no component {code}"))
    };
    assert_eq!(comp("pcl-5.B")["valueInteger"], 15);
    assert_eq!(comp("pcl-5.C")["valueInteger"], 7);
    assert_eq!(comp("pcl-5.D")["valueInteger"], 18);
    assert_eq!(comp("pcl-5.E")["valueInteger"], 16);
    assert_eq!(comp("pcl-5.cutoff.probable-ptsd")["valueBoolean"], true);
    assert_eq!(
        comp("pcl-5.pattern.dsm5-ptsd-pattern")["valueBoolean"],
        true
    );
}

#[test]
fn phq9_observations_carry_the_band_the_item_9_flag_and_a_separate_phq2() {
    let s = score("phq-9", &[3, 3, 3, 3, 2, 3, 2, 1, 1]);
    let ctx = ObservationContext {
        derived_from: Reference::to("QuestionnaireResponse/x"),
        subject: None,
        effective: None,
        issued: None,
    };
    let obs: Vec<Value> = observations(&s, &ctx)
        .iter()
        .map(|o| serde_json::to_value(o).unwrap())
        .collect();
    assert_eq!(obs.len(), 2);
    assert_eq!(obs[0]["interpretation"][0]["coding"][0]["code"], "severe");
    assert_eq!(
        obs[0]["interpretation"][0]["coding"][0]["system"],
        fhir::SEVERITY_SYSTEM
    );
    let flag = obs[0]["component"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"]["coding"][0]["code"] == "flag.suicidal-ideation")
        .unwrap();
    assert_eq!(flag["valueBoolean"], true);
    assert_eq!(obs[1]["code"]["coding"][0]["code"], "55758-7");
    assert_eq!(obs[1]["valueInteger"], 6);
    assert_eq!(
        obs[1]["component"][0]["code"]["coding"][0]["code"],
        "phq-9.cutoff.phq-2-positive"
    );
    assert_eq!(obs[1]["component"][0]["valueBoolean"], true);
}

#[test]
fn a_total_sent_by_the_client_is_ignored_and_recomputed() {
    let q = questionnaire_json("gad-7");
    let mut qr = fill(
        &q,
        &positional("gad-7", &[3, 3, 3, 2, 2, 3, 2])
            .iter()
            .map(|(l, v)| (l.as_str(), *v))
            .collect::<Vec<_>>(),
    );
    qr["item"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "linkId": "gad-7-total", "answer": [{ "valueInteger": 2 }] }));
    assert_eq!(parse(&qr).unwrap().scored.total(), 18);
}

#[test]
fn a_loinc_keyed_phq9_response_is_recognised_by_panel_and_item_codes() {
    let codes = [
        "44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3",
        "44260-8",
    ];
    let mut items: Vec<Value> = codes
        .iter()
        .zip([2, 2, 1, 2, 1, 1, 1, 0, 0])
        .map(|(c, v): (&&str, usize)| {
            let answer = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"][v];
            json!({ "linkId": format!("/{c}"), "answer": [{ "valueCoding": { "system": "http://loinc.org", "code": answer } }] })
        })
        .collect();
    items.push(json!({ "linkId": "/44261-6", "answer": [{ "valueDecimal": 27 }] }));
    let qr = json!({
        "resourceType": "QuestionnaireResponse",
        "questionnaire": "http://loinc.org/q/44249-1",
        "status": "completed",
        "item": [{ "linkId": "/44249-1", "item": items }],
    });
    let parsed = parse(&qr).unwrap();
    assert_eq!(parsed.scored.instrument().id, "phq-9");
    assert_eq!(parsed.scored.total(), 10);
}

#[test]
fn bad_responses_are_rejected_with_the_element_and_what_is_allowed() {
    let q = questionnaire_json("phq-9");
    let good = fill(
        &q,
        &positional("phq-9", &[1; 9])
            .iter()
            .map(|(l, v)| (l.as_str(), *v))
            .collect::<Vec<_>>(),
    );
    assert!(parse(&good).is_ok());
    let with = |f: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        f(&mut v);
        parse(&v).unwrap_err().to_string()
    };
    let cases: Vec<(String, &str)> = vec![
        (with(&|v| v["status"] = json!("done")), "QuestionnaireResponse.status: 'done' is not a status code (allowed: in-progress, completed, amended, entered-in-error, stopped)"),
        (with(&|v| v["status"] = json!("in-progress")), "QuestionnaireResponse.status: is 'in-progress'; only completed or amended responses are scored"),
        (with(&|v| v["score"] = json!(10)), "unknown field `score`"),
        (with(&|v| v["item"] = json!([])), "QuestionnaireResponse.item: an empty array is not allowed in FHIR JSON"),
        (with(&|v| v["item"][0]["answer"] = json!([])), "QuestionnaireResponse.item[0]: an empty array is not allowed"),
        (with(&|v| v["item"][0]["answer"][0] = json!({ "valueInteger": "3" })), "invalid type: string \"3\", expected i64"),
        (with(&|v| v["item"][0]["answer"][0] = json!({ "valueInteger": 7 })), "phq-9 item 1: 7 is not an allowed answer (allowed: 0–3)"),
        (with(&|v| v["item"][0]["answer"][0] = json!({ "valueString": "often" })), "QuestionnaireResponse.item[0].answer[0]: this value type cannot answer item 1"),
        (with(&|v| v["item"][0]["answer"][0] = json!({ "valueInteger": 1, "valueBoolean": true })), "needs exactly one value[x]"),
        (with(&|v| v["item"][0]["answer"][0]["valueCoding"]["code"] = json!("LA9999-9")), "QuestionnaireResponse.item[0].answer[0].valueCoding.code: 'LA9999-9' is not an answer option of phq-9 item 1 (allowed codes: LA6568-5, LA6569-3, LA6570-1, LA6571-9)"),
        (with(&|v| v["item"][0]["answer"][0]["valueCoding"]["system"] = json!("http://snomed.info/sct")), "valueCoding.system: 'http://snomed.info/sct' is not the system of item 1's options (http://loinc.org)"),
        (with(&|v| { let a = v["item"][0]["answer"][0].clone(); v["item"][0]["answer"].as_array_mut().unwrap().push(a); }), "2 answers given; item 1 takes exactly one"),
        (with(&|v| { let i = v["item"][0].clone(); v["item"].as_array_mut().unwrap().push(i); }), "'phq-9-1' is answered twice"),
        (with(&|v| v["item"][0]["linkId"] = json!("pcl-5-1")), "QuestionnaireResponse.item[0].linkId: 'pcl-5-1' is not an item of phq-9"),
        (with(&|v| { v["item"].as_array_mut().unwrap().remove(8); }), "phq-9 response is incomplete: item 9 not answered"),
        (with(&|v| v["questionnaire"] = json!("https://example.org/Questionnaire/other")), "QuestionnaireResponse.questionnaire 'https://example.org/Questionnaire/other' is not a questionnaire ferd knows"),
        (with(&|v| { v.as_object_mut().unwrap().remove("questionnaire"); }), "QuestionnaireResponse.questionnaire: is missing"),
        (with(&|v| v["authored"] = json!("2026-13-45T10:00:00Z")), "QuestionnaireResponse.authored: '2026-13-45T10:00:00Z' is not a FHIR dateTime"),
        (with(&|v| v["modifierExtension"] = json!([{ "url": "http://example.org/x", "valueBoolean": true }])), "QuestionnaireResponse.modifierExtension: modifier extensions change the meaning"),
        (with(&|v| v["resourceType"] = json!("Observation")), "resourceType is 'Observation', expected 'QuestionnaireResponse'"),
        (with(&|v| v["id"] = json!("has spaces")), "QuestionnaireResponse.id: must be 1–64 characters"),
    ];
    for (got, want) in cases {
        assert!(got.contains(want), "\n got: {got}\nwant: {want}");
        assert!(!got.contains('\n'), "one line: {got}");
    }
    assert!(
        score_questionnaire_response(Catalogue::builtin(), "{\"resourceType\": ", None)
            .unwrap_err()
            .to_string()
            .starts_with("QuestionnaireResponse is not valid FHIR JSON")
    );
    let patient = json!({ "resourceType": "Patient", "name": [{ "family": "X" }] });
    assert_eq!(
        parse(&patient).unwrap_err().to_string(),
        "resourceType is 'Patient', expected 'QuestionnaireResponse'"
    );
}

#[test]
fn a_response_for_another_questionnaire_than_the_one_asked_for_is_rejected() {
    let q = questionnaire_json("gad-7");
    let qr = fill(
        &q,
        &positional("gad-7", &[1; 7])
            .iter()
            .map(|(l, v)| (l.as_str(), *v))
            .collect::<Vec<_>>(),
    );
    let err =
        score_questionnaire_response(Catalogue::builtin(), &qr.to_string(), Some(ins("phq-9")))
            .unwrap_err();
    assert_eq!(
        err.to_string(),
        "QuestionnaireResponse.questionnaire is gad-7, not phq-9"
    );
}

#[test]
fn a_versioned_canonical_and_valueinteger_and_valueboolean_answers_are_accepted() {
    let mut items =
        vec![json!({ "linkId": "pc-ptsd-5-exposure", "answer": [{ "valueBoolean": true }] })];
    for k in 1..=5 {
        items.push(json!({ "linkId": format!("pc-ptsd-5-{k}"), "answer": [{ "valueInteger": i64::from(k <= 3) }] }));
    }
    let qr = json!({
        "resourceType": "QuestionnaireResponse",
        "questionnaire": format!("{}|2015", ins("pc-ptsd-5").url),
        "status": "amended",
        "item": items,
    });
    let parsed = parse(&qr).unwrap();
    assert_eq!(parsed.scored.total(), 3);
    assert_eq!(parsed.scored.cutoff_met(), Some(false));
}

#[test]
fn ferds_own_questionnaire_response_writer_round_trips() {
    for (id, values) in [
        ("phq-9", vec![2i64, 2, 1, 2, 1, 1, 1, 0, 0]),
        ("pc-ptsd-5", vec![0]),
    ] {
        let r = crate::common::response(id, &values);
        let qr = serde_json::to_value(fhir::questionnaire_response(
            &r,
            Some(Reference::to("Patient/p1")),
            None,
        ))
        .unwrap();
        assert_no_empty(&qr, id);
        assert_eq!(parse(&qr).unwrap().scored.summary(), r.score().summary());
    }
}

#[test]
fn fhir_date_times_are_checked_against_the_calendar_and_need_a_zone_with_a_time() {
    for ok in [
        "2026",
        "2026-02",
        "2024-02-29",
        "2026-01-15T10:00:00+01:00",
        "2026-01-15T10:00:00.123Z",
    ] {
        assert!(is_fhir_date_time(ok), "{ok}");
    }
    for bad in [
        "26",
        "2026-2",
        "2026-13",
        "2025-02-29",
        "2026-01-15T10:00:00",
        "2026-01-15T25:00:00Z",
        "2026-01-15 10:00:00Z",
        "2026-01-15T10:00:00+1:00",
        "0000",
    ] {
        assert!(!is_fhir_date_time(bad), "{bad}");
    }
}

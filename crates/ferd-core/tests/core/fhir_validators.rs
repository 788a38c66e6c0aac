//! Every kind of resource ferd emits, checked by two independent FHIR implementations: Python's fhir.resources
//! (R4B models) and Medplum's validateResource (R4 StructureDefinitions), run by tests/fhir-validators/validate.sh.
//!
//! They are installed by `tests/fhir-validators/setup.sh` (CI does so). When they are not installed this test says
//! so and skips, unless FERD_REQUIRE_FHIR_VALIDATORS=1 (set by .ci/run), which makes their absence a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use ferd_core::fhir::{self, observations, ObservationContext, Reference};
use ferd_core::Catalogue;

use crate::common::response;
use crate::fhir::assert_no_empty;

fn harness() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fhir-validators")
}

fn validators_available() -> bool {
    let required = std::env::var("FERD_REQUIRE_FHIR_VALIDATORS").is_ok_and(|v| v == "1");
    let installed = Command::new("bash")
        .arg(harness().join("setup.sh"))
        .arg("--check")
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed && required {
        panic!("FERD_REQUIRE_FHIR_VALIDATORS=1 but the validators are not installed: run tests/fhir-validators/setup.sh");
    }
    if !installed {
        eprintln!("SKIPPED: FHIR validators not installed (run tests/fhir-validators/setup.sh to include this check)");
    }
    installed
}

#[test]
fn every_resource_ferd_emits_validates_with_fhir_resources_and_medplum() {
    if !validators_available() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("ferd-fhir-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut n = 0;
    let mut write = |name: String, value: serde_json::Value| {
        assert_no_empty(&value, &name);
        std::fs::write(
            dir.join(format!("{name}.json")),
            serde_json::to_string_pretty(&value).unwrap(),
        )
        .unwrap();
        n += 1;
    };
    let cases: [(&str, &[i64]); 8] = [
        (
            "pcl-5",
            &[3, 3, 4, 2, 3, 4, 3, 1, 3, 4, 3, 2, 3, 2, 2, 1, 4, 3, 2, 4],
        ),
        ("pcl-5-week", &[1; 20]),
        ("pc-ptsd-5", &[1, 1, 1, 1, 1, 0]),
        ("pc-ptsd-5", &[0]),
        ("phq-9", &[3, 3, 3, 3, 2, 3, 2, 1, 1, 2]),
        ("phq-9", &[0; 9]),
        ("gad-7", &[3, 3, 3, 2, 2, 3, 2]),
        ("who-5", &[5, 4, 3, 2, 1]),
    ];
    for i in Catalogue::builtin().iter() {
        write(
            format!("questionnaire-{}", i.id),
            serde_json::to_value(fhir::questionnaire(i)).unwrap(),
        );
    }
    for (k, (id, values)) in cases.iter().enumerate() {
        let r = response(id, values);
        let mut qr = fhir::questionnaire_response(
            &r,
            Some(Reference::to("Patient/p1")),
            Some("2026-01-15T10:00:00+01:00".into()),
        );
        qr.id = Some(format!("qr-{k}"));
        write(
            format!("response-{k}-{id}"),
            serde_json::to_value(&qr).unwrap(),
        );
        let ctx = ObservationContext {
            derived_from: Reference::to(format!("QuestionnaireResponse/qr-{k}")),
            subject: Some(Reference::to("Patient/p1")),
            effective: Some("2026-01-15T10:00:00+01:00".into()),
            issued: Some("2026-01-15T10:05:00.000+01:00".into()),
        };
        for (j, o) in observations(&r.score(), &ctx).iter().enumerate() {
            write(
                format!("observation-{k}-{j}-{id}"),
                serde_json::to_value(o).unwrap(),
            );
        }
    }
    // The round trip: each exported Questionnaire, a response filled from it alone, and the Observations ferd
    // derives after scoring that response.
    for (k, (id, values)) in cases.iter().enumerate() {
        let pairs = crate::fhir::positional(id, values);
        let refs: Vec<(&str, i64)> = pairs.iter().map(|(l, v)| (l.as_str(), *v)).collect();
        let mut qr = crate::fhir::fill(&crate::fhir::questionnaire_json(id), &refs);
        qr["id"] = format!("filled-{k}").into();
        let parsed =
            fhir::score_questionnaire_response(Catalogue::builtin(), &qr.to_string(), None)
                .unwrap_or_else(|e| panic!("{id}: {e}"));
        write(format!("filled-{k}-{id}"), qr);
        let ctx = ObservationContext {
            derived_from: Reference::to(format!("QuestionnaireResponse/filled-{k}")),
            subject: parsed.subject.clone(),
            effective: parsed.authored.clone(),
            issued: None,
        };
        for (j, o) in observations(&parsed.scored, &ctx).iter().enumerate() {
            write(
                format!("filled-observation-{k}-{j}-{id}"),
                serde_json::to_value(o).unwrap(),
            );
        }
    }
    let out = Command::new("bash")
        .arg(harness().join("validate.sh"))
        .arg(&dir)
        .output()
        .expect("run validate.sh");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "validators rejected ferd's output:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains(&format!(
            "fhir validators: {n} files, fhir.resources ok, medplum ok"
        )),
        "{stdout}"
    );
}

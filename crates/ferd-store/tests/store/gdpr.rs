//! GDPR: export everything held about a client as a FHIR Bundle; erase a client and leave only the fact of it.

use std::path::Path;
use std::process::Command;

use ferd_store::{NewSession, StoreError};

use crate::common::{client_id, stores, World};

/// Runs both independent FHIR validators on one resource, when they are installed (see tests/fhir-validators).
pub(crate) fn validate_with_independent_validators(name: &str, resource: &serde_json::Value) {
    let harness = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fhir-validators");
    let installed = Command::new("bash")
        .arg(harness.join("setup.sh"))
        .arg("--check")
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        assert!(
            std::env::var("FERD_REQUIRE_FHIR_VALIDATORS").map_or(true, |v| v != "1"),
            "FERD_REQUIRE_FHIR_VALIDATORS=1 but the validators are not installed"
        );
        eprintln!("SKIPPED: FHIR validators not installed");
        return;
    }
    let dir = std::env::temp_dir().join(format!("ferd-gdpr-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.json")), resource.to_string()).unwrap();
    let out = Command::new("bash")
        .arg(harness.join("validate.sh"))
        .arg(&dir)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn a_client_export_holds_everything_as_a_valid_fhir_bundle() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let c = client_id(&w.a_c1);
        let journey = s
            .start_journey(&w.a_t1, c, "mdma-at-mapp", "preparation", 1_800_000_000_000)
            .await
            .unwrap();
        s.schedule_assessment(
            &w.a_t1,
            c,
            Some(&journey.id),
            "pcl-5",
            "baseline",
            1_800_000_000_000,
        )
        .await
        .unwrap();
        s.record_response(
            &w.a_c1,
            c,
            None,
            "pcl-5",
            &[3, 3, 4, 2, 3, 4, 3, 1, 3, 4, 3, 2, 3, 2, 2, 1, 4, 3, 2, 4].map(Some),
            1_800_000_100_000,
        )
        .await
        .unwrap();
        s.record_response(
            &w.a_c1,
            c,
            None,
            "phq-9",
            &[3, 3, 3, 3, 2, 3, 2, 1, 1].map(Some),
            1_800_000_200_000,
        )
        .await
        .unwrap();
        s.add_session(
            &w.a_t1,
            NewSession {
                client_id: c.into(),
                journey_id: Some(journey.id.clone()),
                kind: "preparation".into(),
                scheduled_at: 1_800_000_000_000,
                duration_minutes: 90,
                place: Some("Moss".into()),
                note: Some("talked about safety".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        s.add_journal_entry(&w.a_c1, "a calm morning", false)
            .await
            .unwrap();
        s.record_consent(&w.a_c1, c, "treatment", "2026-01", 1_800_000_000_000)
            .await
            .unwrap();

        // The safety records: a screening with its decision, and a risk assessment.
        let screening = s
            .record_screening(
                &w.a_t1,
                c,
                r#"{"medications":["Zoloft 50 mg"]}"#,
                r#"[{"rule":"ssri-snri","severity":"caution"}]"#,
                Some("caution"),
            )
            .await
            .unwrap();
        s.record_clearance(&w.a_t1, c, &screening, "cleared", Some("taper planned"))
            .await
            .unwrap();
        s.record_risk_assessment(
            &w.a_t1,
            c,
            1,
            false,
            1_800_000_300_000,
            Some("passive wish, no plan"),
        )
        .await
        .unwrap();

        let bundle = s.export_client(&w.a_t1, c).await.unwrap();
        let types: Vec<&str> = bundle["entry"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["resource"]["resourceType"].as_str().unwrap())
            .collect();
        let count = |rt: &str| types.iter().filter(|t| **t == rt).count();
        assert_eq!(count("Patient"), 1, "{}", t.name);
        assert_eq!(count("QuestionnaireResponse"), 2);
        assert_eq!(
            count("Observation"),
            3,
            "PCL-5 total, PHQ-9 total and PHQ-2"
        );
        assert_eq!(count("Encounter"), 1);
        assert_eq!(
            count("Communication"),
            1,
            "the session note; the private journal entry is the client's alone"
        );
        assert_eq!(count("CarePlan"), 1);
        assert_eq!(count("Consent"), 1);
        assert_eq!(
            count("DocumentReference"),
            1,
            "the screening with its findings and decision"
        );
        assert_eq!(count("RiskAssessment"), 1);
        assert!(bundle.to_string().contains("passive wish, no plan"));
        // The client's own export holds their private journal but not the therapist's note.
        let own = s.export_client(&w.a_c1, c).await.unwrap();
        let text = own.to_string();
        assert!(text.contains("a calm morning") && !text.contains("talked about safety"));
        // Out of scope: not found.
        assert!(matches!(
            s.export_client(&w.a_t2, c).await,
            Err(StoreError::NotFound { .. })
        ));
        validate_with_independent_validators(&format!("export-{}", t.name), &bundle);
        validate_with_independent_validators(&format!("own-export-{}", t.name), &own);
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn erasure_removes_the_client_and_leaves_one_event_saying_so() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let c = client_id(&w.a_c1).to_string();
        s.record_response(&w.a_c1, &c, None, "gad-7", &[Some(1); 7], 1)
            .await
            .unwrap();
        s.add_journal_entry(&w.a_c1, "private words", false)
            .await
            .unwrap();
        s.start_journey(&w.a_t1, &c, "integration-only", "integration", 1)
            .await
            .unwrap();
        assert!(matches!(
            s.erase_client(&w.a_c1, &c).await,
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            s.erase_client(&w.a_t2, &c).await,
            Err(StoreError::NotFound { .. })
        ));
        s.erase_client(&w.a_t1, &c).await.unwrap();
        assert!(matches!(
            s.client(&w.a_admin, &c).await,
            Err(StoreError::NotFound { .. })
        ));
        for table in [
            "clients",
            "responses",
            "journal_entries",
            "journeys",
            "sessions",
            "consents",
            "assessments",
        ] {
            let column = if table == "clients" {
                "id"
            } else {
                "client_id"
            };
            let n: i64 =
                sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE {column} = $1"))
                    .bind(&c)
                    .fetch_one(s.pool())
                    .await
                    .unwrap();
            assert_eq!(n, 0, "{} {table}", t.name);
        }
        let login: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE id = $1")
            .bind(&w.a_c1.user_id)
            .fetch_one(s.pool())
            .await
            .unwrap();
        assert_eq!(login, 0, "the client's login is gone too");
        let last = s.audit_events().await.unwrap().pop().unwrap();
        assert_eq!(
            (
                last.action.as_str(),
                last.entity.as_str(),
                last.entity_id.as_str()
            ),
            ("erase", "client", c.as_str())
        );
        assert_eq!(last.actor_id, w.a_t1.user_id);
        assert!(s.verify_audit().await.unwrap().is_ok());
        // The other client is untouched.
        assert!(s.client(&w.a_admin, client_id(&w.a_c2)).await.is_ok());
        t.drop_schema().await;
    }
}

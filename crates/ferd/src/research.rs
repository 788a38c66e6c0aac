//! `ferd research export DIR`: the research export as CSV files and a FHIR R4 Bundle. The store selects and
//! pseudonymises; ferd-core scores; this file writes.

use std::path::Path;

use ferd_core::fhir::{self, ObservationContext, Reference};
use ferd_core::Catalogue;
use ferd_store::Actor;
use serde_json::json;

use crate::admin::Settings;
use crate::Failure;

fn date(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .map(|t| t.date().to_string())
        .unwrap_or_default()
}

fn date_time(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

fn write(dir: &Path, name: &str, text: &str) -> Result<(), Failure> {
    let path = dir.join(name);
    std::fs::write(&path, text)
        .map_err(|e| Failure::input(format!("cannot write {}: {e}", path.display())))
}

/// Writes clients.csv, responses.csv, sessions.csv and bundle.json into `dir`.
pub async fn export(settings: &Settings, dir: &Path) -> Result<String, Failure> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::input(format!("cannot create {}: {e}", dir.display())))?;
    let store = settings.open().await?;
    let data = store
        .research_export(&Actor::system(format!("cli-{}", uuid::Uuid::new_v4())))
        .await
        .map_err(Failure::from_store)?;
    store.close().await;

    let mut clients = String::from("research_id,age_band,preferred_language\n");
    for c in &data.clients {
        clients.push_str(&format!(
            "{},{},{}\n",
            c.research_id,
            c.age_band.as_deref().unwrap_or(""),
            c.preferred_language
        ));
    }
    let mut responses =
        String::from("research_id,instrument,instrument_version,date,total,severity,answers\n");
    let mut entries = Vec::new();
    for c in &data.clients {
        entries.push(json!({
            "fullUrl": format!("urn:uuid:{}", uuid::Uuid::new_v4()),
            "resource": {
                "resourceType": "Patient",
                "id": c.research_id,
                "identifier": [{ "system": "https://ferd.health/fhir/research-id", "value": c.research_id }],
            }
        }));
    }
    let catalogue = Catalogue::builtin();
    for (n, r) in data.responses.iter().enumerate() {
        let ins = catalogue
            .require(&r.instrument)
            .map_err(|e| Failure::input(e.to_string()))?;
        let response = ins.response(&r.answers).map_err(|e| Failure {
            message: format!("a stored response no longer validates: {e}"),
            code: 1,
        })?;
        let scored = response.score();
        let answers: Vec<String> = r
            .answers
            .iter()
            .map(|a| a.map_or_else(String::new, |v| v.to_string()))
            .collect();
        responses.push_str(&format!(
            "{},{},{},{},{},{},{}\n",
            r.research_id,
            r.instrument,
            r.instrument_version,
            date(r.authored_at),
            scored.total(),
            scored.band().map_or("", |b| b.id.as_str()),
            answers.join(";")
        ));
        let patient = Reference::to(format!("Patient/{}", r.research_id));
        let mut qr = fhir::questionnaire_response(
            &response,
            Some(patient.clone()),
            Some(date_time(r.authored_at)),
        );
        let qr_id = format!("qr-{n}");
        qr.id = Some(qr_id.clone());
        entries.push(
            json!({ "fullUrl": format!("urn:uuid:{}", uuid::Uuid::new_v4()), "resource": qr }),
        );
        let ctx = ObservationContext {
            derived_from: Reference::to(format!("QuestionnaireResponse/{qr_id}")),
            subject: Some(patient),
            effective: Some(date_time(r.authored_at)),
            issued: None,
        };
        for o in fhir::observations(&scored, &ctx) {
            entries.push(
                json!({ "fullUrl": format!("urn:uuid:{}", uuid::Uuid::new_v4()), "resource": o }),
            );
        }
    }
    let mut sessions = String::from("research_id,kind,date,duration_minutes,status\n");
    for s in &data.sessions {
        sessions.push_str(&format!(
            "{},{},{},{},{}\n",
            s.research_id,
            s.kind,
            date(s.scheduled_at),
            s.duration_minutes,
            s.status
        ));
    }
    write(dir, "clients.csv", &clients)?;
    write(dir, "responses.csv", &responses)?;
    write(dir, "sessions.csv", &sessions)?;
    let bundle = json!({ "resourceType": "Bundle", "type": "collection", "entry": entries });
    write(
        dir,
        "bundle.json",
        &serde_json::to_string_pretty(&bundle).map_err(|e| Failure::input(e.to_string()))?,
    )?;
    Ok(format!(
        "Wrote {} clients, {} responses and {} sessions to {} (clients.csv, responses.csv, sessions.csv, bundle.json).\n  Pseudonymous: research ids, no names, contact details or free text; dates shifted per client; ages in bands.",
        data.clients.len(),
        data.responses.len(),
        data.sessions.len(),
        dir.display()
    ))
}

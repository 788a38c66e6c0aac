//! GDPR access (art. 15, 20): everything held about a client as one FHIR R4 `Bundle`.

use ferd_core::fhir::{self, ObservationContext, Reference};
use ferd_core::Catalogue;
use serde_json::{json, Value};

use crate::{Actor, Store, StoreError};

/// Unix milliseconds as a FHIR `dateTime` in UTC (whole seconds).
fn iso(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_string())
}

impl Store {
    /// Everything held about a client, as a FHIR R4 Bundle of type `collection`: the Patient, each
    /// QuestionnaireResponse with its Observations, an Encounter per session (its note as a Communication), a
    /// CarePlan per journey, a Communication per journal entry, a Consent per consent, and a ServiceRequest per
    /// referral to another place; for staff also the safety records (screenings with their decisions, risk
    /// assessments, medicine-session readings). Staff in scope, or the client themself (who then sees what a client
    /// sees: no session notes, all of their own journal, their referrals without the therapist's reasons).
    pub async fn export_client(&self, actor: &Actor, client_id: &str) -> Result<Value, StoreError> {
        let client = self.client(actor, client_id).await?;
        let patient_ref = format!("Patient/{}", client.id);
        let mut entries: Vec<Value> = Vec::new();
        let mut telecom = Vec::new();
        if let Some(e) = &client.email {
            telecom.push(json!({ "system": "email", "value": e }));
        }
        if let Some(p) = &client.phone {
            telecom.push(json!({ "system": "phone", "value": p }));
        }
        let mut patient = json!({
            "resourceType": "Patient",
            "id": client.id,
            "identifier": [{ "system": "https://ferd.health/fhir/research-id", "value": client.research_id }],
            "name": [{ "text": client.name }],
            "communication": [{ "language": { "coding": [{ "system": "urn:ietf:bcp:47", "code": client.preferred_language }] }, "preferred": true }],
        });
        if !telecom.is_empty() {
            patient["telecom"] = Value::Array(telecom);
        }
        if let Some(y) = client.birth_year {
            patient["birthDate"] = json!(format!("{y:04}"));
        }
        if let Some(c) = &client.emergency_contact {
            patient["contact"] = json!([{ "relationship": [{ "text": "emergency contact" }], "name": { "text": c } }]);
        }
        entries.push(json!({ "fullUrl": format!("https://ferd.health/fhir/{patient_ref}"), "resource": patient }));

        for r in self.responses(actor, client_id).await? {
            let ins = Catalogue::builtin()
                .require(&r.instrument)
                .map_err(|e| StoreError::Database(e.to_string()))?;
            let response = ins.response(&r.answers).map_err(|e| {
                StoreError::Database(format!("stored response {} no longer validates: {e}", r.id))
            })?;
            let mut qr = fhir::questionnaire_response(
                &response,
                Some(Reference::to(&patient_ref)),
                Some(iso(r.authored_at)),
            );
            qr.id = Some(r.id.clone());
            entries.push(json!({ "fullUrl": format!("https://ferd.health/fhir/QuestionnaireResponse/{}", r.id), "resource": qr }));
            let ctx = ObservationContext {
                derived_from: Reference::to(format!("QuestionnaireResponse/{}", r.id)),
                subject: Some(Reference::to(&patient_ref)),
                effective: Some(iso(r.authored_at)),
                issued: None,
            };
            for (n, mut o) in fhir::observations(&response.score(), &ctx)
                .into_iter()
                .enumerate()
            {
                let id = format!("{}-{n}", r.id);
                o.id = Some(id.clone());
                entries.push(json!({ "fullUrl": format!("https://ferd.health/fhir/Observation/{id}"), "resource": o }));
            }
        }
        for s in self.sessions(actor, client_id).await? {
            let status = match s.status.as_str() {
                "held" => "finished",
                "cancelled" | "missed" => "cancelled",
                _ => "planned",
            };
            let mut encounter = json!({
                "resourceType": "Encounter",
                "id": s.id,
                "status": status,
                "class": { "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": if s.video_link.is_some() { "VR" } else { "AMB" } },
                "type": [{ "coding": [{ "system": "https://ferd.health/fhir/CodeSystem/session-kind", "code": s.kind }] }],
                "subject": { "reference": patient_ref },
                "period": { "start": iso(s.scheduled_at), "end": iso(s.scheduled_at + s.duration_minutes * 60_000) },
                "length": { "value": s.duration_minutes, "unit": "min", "system": "http://unitsofmeasure.org", "code": "min" },
            });
            if let Some(place) = &s.place {
                encounter["location"] = json!([{ "location": { "display": place } }]);
            }
            entries.push(json!({ "fullUrl": format!("https://ferd.health/fhir/Encounter/{}", s.id), "resource": encounter }));
            if let Some(note) = &s.note {
                entries.push(json!({
                    "fullUrl": format!("https://ferd.health/fhir/Communication/note-{}", s.id),
                    "resource": {
                        "resourceType": "Communication",
                        "id": format!("note-{}", s.id),
                        "status": "completed",
                        "category": [{ "text": "session note" }],
                        "subject": { "reference": patient_ref },
                        "encounter": { "reference": format!("Encounter/{}", s.id) },
                        "payload": [{ "contentString": note }],
                    }
                }));
            }
        }
        for j in self.journeys(actor, client_id).await? {
            entries.push(json!({
                "fullUrl": format!("https://ferd.health/fhir/CarePlan/{}", j.id),
                "resource": {
                    "resourceType": "CarePlan",
                    "id": j.id,
                    "status": if j.status == "active" { "active" } else { "completed" },
                    "intent": "plan",
                    "title": format!("{} ({})", j.protocol, j.phase),
                    "subject": { "reference": patient_ref },
                    "period": { "start": iso(j.started_at) },
                }
            }));
        }
        for e in self.journal(actor, client_id).await? {
            entries.push(json!({
                "fullUrl": format!("https://ferd.health/fhir/Communication/journal-{}", e.id),
                "resource": {
                    "resourceType": "Communication",
                    "id": format!("journal-{}", e.id),
                    "status": "completed",
                    "category": [{ "text": if e.shared { "journal entry (shared with the therapist)" } else { "journal entry (private)" } }],
                    "subject": { "reference": patient_ref },
                    "sender": { "reference": patient_ref },
                    "sent": iso(e.written_at),
                    "payload": [{ "contentString": e.body }],
                }
            }));
        }
        for c in self.consents(actor, client_id).await? {
            entries.push(json!({
                "fullUrl": format!("https://ferd.health/fhir/Consent/{}", c.id),
                "resource": {
                    "resourceType": "Consent",
                    "id": c.id,
                    "status": if c.withdrawn_at.is_some() { "inactive" } else { "active" },
                    "scope": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "treatment" }] },
                    "category": [{ "text": c.kind }],
                    "patient": { "reference": patient_ref },
                    "dateTime": iso(c.agreed_at),
                    "policyRule": { "text": format!("{} (text version {})", c.kind, c.text_version) },
                }
            }));
        }
        let staff = matches!(
            actor.role,
            crate::Role::Therapist | crate::Role::Admin | crate::Role::System
        );
        self.export_referrals(actor, client_id, &patient_ref, staff, &mut entries)
            .await?;
        if staff {
            self.export_safety_records(actor, client_id, &patient_ref, &mut entries)
                .await?;
        }
        Ok(json!({
            "resourceType": "Bundle",
            "type": "collection",
            "timestamp": iso(crate::now_ms()),
            "entry": entries,
        }))
    }
}

impl Store {
    /// A client's referrals as FHIR ServiceRequests (category: SNOMED CT 3457005, patient referral): where, when
    /// and by whom; with the reason (the therapist's clinical text, like a session note) only in a staff export.
    async fn export_referrals(
        &self,
        actor: &Actor,
        client_id: &str,
        patient_ref: &str,
        with_reasons: bool,
        entries: &mut Vec<Value>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_read().await?;
        Self::load_client(&mut tx, actor, client_id).await?;
        let referrals = crate::referrals::load_client_referrals(self, &mut tx, client_id).await?;
        tx.commit().await?;
        self.audit_read(actor, "export", "referral", &format!("client:{client_id}"))
            .await?;
        for r in referrals {
            let mut request = json!({
                "resourceType": "ServiceRequest",
                "id": r.id,
                "status": "active",
                "intent": "proposal",
                "category": [{ "coding": [{ "system": "http://snomed.info/sct", "code": "3457005", "display": "Patient referral" }] }],
                "subject": { "reference": patient_ref },
                "authoredOn": r.referred_on.to_string(),
                "requester": { "display": r.referred_by },
                "performer": [{ "display": r.place_name }],
            });
            if with_reasons {
                request["reasonCode"] = json!([{ "text": r.reason }]);
            }
            entries.push(json!({
                "fullUrl": format!("https://ferd.health/fhir/ServiceRequest/{}", r.id),
                "resource": request,
            }));
        }
        Ok(())
    }
}

/// Tenths of a unit as a decimal text.
fn tenths(v: Option<i64>) -> String {
    match v {
        Some(t) if t % 10 == 0 => (t / 10).to_string(),
        Some(t) => format!("{}.{}", t / 10, (t % 10).abs()),
        None => String::new(),
    }
}

impl Store {
    /// The safety records of a client, for a staff export: each screening (the answers, the findings and the
    /// clinician's decision, as a JSON document), each suicide-risk assessment (a RiskAssessment), and each reading of
    /// a medicine-session log (an Observation).
    async fn export_safety_records(
        &self,
        actor: &Actor,
        client_id: &str,
        patient_ref: &str,
        entries: &mut Vec<Value>,
    ) -> Result<(), StoreError> {
        use base64::Engine;
        use sqlx::Row;
        for s in self.screenings(actor, client_id).await? {
            let document = json!({
                "answers": s.answers,
                "findings": s.findings,
                "decision": s.decision,
            });
            entries.push(json!({
                "fullUrl": format!("https://ferd.health/fhir/DocumentReference/screening-{}", s.id),
                "resource": {
                    "resourceType": "DocumentReference",
                    "id": format!("screening-{}", s.id),
                    "status": "current",
                    "description": "Health form for the safety screening, the findings of ferd's rules, and the clinician's decision",
                    "subject": { "reference": patient_ref },
                    "date": iso(s.submitted_at),
                    "content": [{ "attachment": {
                        "contentType": "application/json",
                        "data": base64::engine::general_purpose::STANDARD.encode(document.to_string()),
                        "title": "screening.json",
                    } }],
                }
            }));
        }
        for r in self.risk_assessments(actor, client_id).await? {
            let mut text = format!(
                "C-SSRS screener (clinician-recorded result): highest ideation level {} of 5; suicidal behaviour in the last three months: {}. Recorded by {}.",
                r.ideation_level,
                if r.recent_behaviour { "yes" } else { "no" },
                r.assessed_by
            );
            if let Some(n) = &r.note {
                text.push(' ');
                text.push_str(n);
            }
            entries.push(json!({
                "fullUrl": format!("https://ferd.health/fhir/RiskAssessment/{}", r.id),
                "resource": {
                    "resourceType": "RiskAssessment",
                    "id": r.id,
                    "status": "final",
                    "subject": { "reference": patient_ref },
                    "occurrenceDateTime": iso(r.assessed_at),
                    "method": { "text": "C-SSRS screener" },
                    "note": [{ "text": text }],
                }
            }));
        }
        // Medicine-session log readings (clinic mode); values are kept in tenths.
        let mut tx = self.begin_read().await?;
        let rows = sqlx::query(
            "SELECT id, session_id, at, kind, value_a, value_b, text_enc FROM session_readings WHERE client_id = $1 ORDER BY at, id",
        )
        .bind(client_id)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        self.audit_read(
            actor,
            "export",
            "session_reading",
            &format!("client:{client_id}"),
        )
        .await?;
        for r in &rows {
            let id: String = r.try_get("id")?;
            let kind: String = r.try_get("kind")?;
            let (a, b): (Option<i64>, Option<i64>) = (r.try_get("value_a")?, r.try_get("value_b")?);
            let enc: Option<Vec<u8>> = r.try_get("text_enc")?;
            let value = match kind.as_str() {
                "blood-pressure" => format!("{}/{} mmHg", tenths(a), tenths(b)),
                "pulse" => format!("{} /min", tenths(a)),
                "temperature" => format!("{} °C", tenths(a)),
                "dose" => format!("{} mg", tenths(a)),
                "fluid" => format!("{} ml", tenths(a)),
                "suds" => tenths(a),
                _ => match enc {
                    Some(e) => self
                        .keys()
                        .open(&format!("session_readings.text_enc.{id}"), &e)?,
                    None => String::new(),
                },
            };
            let session: String = r.try_get("session_id")?;
            entries.push(json!({
                "fullUrl": format!("https://ferd.health/fhir/Observation/reading-{id}"),
                "resource": {
                    "resourceType": "Observation",
                    "id": format!("reading-{id}"),
                    "status": "final",
                    "code": { "text": kind },
                    "subject": { "reference": patient_ref },
                    "encounter": { "reference": format!("Encounter/{session}") },
                    "effectiveDateTime": iso(r.try_get("at")?),
                    "valueString": value,
                }
            }));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn unix_milliseconds_become_utc_date_times() {
        assert_eq!(super::iso(0), "1970-01-01T00:00:00Z");
        // 2024-02-29T12:34:56Z = 1709210096 s (leap day).
        assert_eq!(super::iso(1_709_210_096_000), "2024-02-29T12:34:56Z");
        assert_eq!(super::iso(1_800_000_000_000), "2027-01-15T08:00:00Z");
    }
}

//! A client as an R4 `Patient`.

use serde::Serialize;

use super::types::{CodeableConcept, Coding};

/// HL7 v2 table 0131 (contact role): `C` is "Emergency Contact".
pub const CONTACT_ROLE: &str = "http://terminology.hl7.org/CodeSystem/v2-0131";
/// BCP 47 language tags.
pub const BCP47: &str = "urn:ietf:bcp:47";

/// What the Patient is made from: a client record, as the store holds it.
#[derive(Debug, Clone, Copy)]
pub struct PatientRecord<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub birth_year: Option<i64>,
    /// Free text: who to call, and how.
    pub emergency_contact: Option<&'a str>,
    /// BCP 47 (`nb`, `en`, `sv`).
    pub language: &'a str,
}

/// An R4 `Patient`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Patient {
    pub resource_type: &'static str,
    pub id: String,
    pub name: Vec<HumanName>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub telecom: Vec<ContactPoint>,
    /// Only the year is kept (a FHIR `date` may be just `YYYY`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contact: Vec<PatientContact>,
    pub communication: Vec<PatientCommunication>,
}

/// A name, as one text (ferd does not split names into parts).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HumanName {
    pub text: String,
}

/// An e-mail address or telephone number.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContactPoint {
    pub system: &'static str,
    pub value: String,
}

/// A person to contact about the patient.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatientContact {
    pub relationship: Vec<CodeableConcept>,
    pub name: HumanName,
}

/// A language the patient speaks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatientCommunication {
    pub language: CodeableConcept,
    pub preferred: bool,
}

/// The client as a Patient: name, e-mail and phone, birth year, emergency contact (role `C`, as free text) and
/// preferred language. The research id is left out on purpose: it would link a named person to the pseudonymous
/// research export.
pub fn patient(r: &PatientRecord<'_>) -> Patient {
    let mut telecom = Vec::new();
    if let Some(e) = r.email.filter(|e| !e.trim().is_empty()) {
        telecom.push(ContactPoint {
            system: "email",
            value: e.to_string(),
        });
    }
    if let Some(p) = r.phone.filter(|p| !p.trim().is_empty()) {
        telecom.push(ContactPoint {
            system: "phone",
            value: p.to_string(),
        });
    }
    let contact = r
        .emergency_contact
        .filter(|c| !c.trim().is_empty())
        .map(|c| PatientContact {
            relationship: vec![CodeableConcept {
                coding: vec![Coding::new(CONTACT_ROLE, "C", "Emergency Contact")],
                text: None,
            }],
            name: HumanName {
                text: c.to_string(),
            },
        })
        .into_iter()
        .collect();
    Patient {
        resource_type: "Patient",
        id: r.id.to_string(),
        name: vec![HumanName {
            text: r.name.to_string(),
        }],
        telecom,
        birth_date: r.birth_year.map(|y| format!("{y:04}")),
        contact,
        communication: vec![PatientCommunication {
            language: CodeableConcept {
                coding: vec![Coding::new(BCP47, r.language, "")],
                text: None,
            },
            preferred: true,
        }],
    }
}

//! A session as an R4 `Encounter`.

use serde::Serialize;

use super::types::{CodeableConcept, Coding, Reference};

/// HL7 v3 ActCode: the encounter classes (`AMB` ambulatory, `VR` virtual).
pub const ACT_CODE: &str = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
/// UCUM, for the length of a session in minutes.
pub const UCUM: &str = "http://unitsofmeasure.org";
/// ferd's code system for kinds of session (`intake`, `preparation`, `medicine`, `integration`, `follow-up`).
pub const SESSION_KIND_SYSTEM: &str = "https://ferd.health/fhir/CodeSystem/session-kind";

/// What an Encounter is made from: a session, as the store holds it. Times are FHIR `dateTime`s, made by the caller
/// (the core has no clock and no time zones).
#[derive(Debug, Clone)]
pub struct SessionRecord<'a> {
    pub id: &'a str,
    /// `intake`, `preparation`, `medicine`, `integration` or `follow-up`.
    pub kind: &'a str,
    /// `planned`, `held`, `cancelled` or `missed`.
    pub status: &'a str,
    /// `in-person`, `video` or `phone`.
    pub contact: &'a str,
    pub start: String,
    pub end: String,
    pub minutes: i64,
    /// Where it takes place, as the therapist wrote it.
    pub place: Option<&'a str>,
}

/// An R4 `Encounter`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Encounter {
    pub resource_type: &'static str,
    pub id: String,
    pub status: &'static str,
    pub class: Coding,
    #[serde(rename = "type")]
    pub type_: Vec<CodeableConcept>,
    pub subject: Reference,
    pub period: Period,
    pub length: Duration,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub location: Vec<EncounterLocation>,
}

/// A span of time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    pub start: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
}

/// A length of time in UCUM units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Duration {
    pub value: i64,
    pub unit: &'static str,
    pub system: &'static str,
    pub code: &'static str,
}

/// Where an encounter took place (ferd keeps only a text).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EncounterLocation {
    pub location: Reference,
}

/// The Encounter status of a session (R4 `encounter-status`): planned → `planned`, held → `finished`, cancelled or
/// missed → `cancelled` (R4's Encounter has no no-show status; that is an Appointment's).
pub fn encounter_status(session_status: &str) -> &'static str {
    match session_status {
        "held" => "finished",
        "cancelled" | "missed" => "cancelled",
        "planned" => "planned",
        _ => "unknown",
    }
}

/// The Encounter class of a session (v3 ActCode): `VR` (virtual) for a video or phone session, `AMB` (ambulatory)
/// for one in person.
pub fn encounter_class(contact: &str) -> Coding {
    match contact {
        "video" | "phone" => Coding::new(ACT_CODE, "VR", "virtual"),
        _ => Coding::new(ACT_CODE, "AMB", "ambulatory"),
    }
}

/// How a kind of session is shown.
pub fn session_kind_display(kind: &str) -> &'static str {
    match kind {
        "intake" => "Intake",
        "preparation" => "Preparation session",
        "medicine" => "Medicine session",
        "integration" => "Integration session",
        "follow-up" => "Follow-up",
        _ => "Session",
    }
}

/// The session's kind as a concept in ferd's session-kind code system.
pub fn session_kind(kind: &str) -> CodeableConcept {
    CodeableConcept {
        coding: vec![Coding::new(
            SESSION_KIND_SYSTEM,
            kind,
            session_kind_display(kind),
        )],
        text: Some(session_kind_display(kind).to_string()),
    }
}

/// The session as an Encounter about `patient` (`Patient/<id>`). Notes, video links and who holds the session are
/// left out.
pub fn encounter(s: &SessionRecord<'_>, patient: &str) -> Encounter {
    Encounter {
        resource_type: "Encounter",
        id: s.id.to_string(),
        status: encounter_status(s.status),
        class: encounter_class(s.contact),
        type_: vec![session_kind(s.kind)],
        subject: Reference::to(patient),
        period: Period {
            start: s.start.clone(),
            end: Some(s.end.clone()),
        },
        length: Duration {
            value: s.minutes,
            unit: "min",
            system: UCUM,
            code: "min",
        },
        location: s
            .place
            .filter(|p| !p.trim().is_empty())
            .map(|p| EncounterLocation {
                location: Reference {
                    reference: None,
                    display: Some(p.to_string()),
                    ..Reference::to("")
                },
            })
            .into_iter()
            .collect(),
    }
}

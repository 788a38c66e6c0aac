//! A client's journey as an R4 `CarePlan`, its sessions as the plan's activities.

use serde::Serialize;

use super::encounter::{session_kind, Period, SessionRecord};
use super::types::{CodeableConcept, Reference};
use crate::journey::{JourneyState, Protocols};

/// What a CarePlan is made from: a journey as the store holds it, with the sessions that belong to it. Times are
/// FHIR `dateTime`s made by the caller.
#[derive(Debug, Clone)]
pub struct JourneyRecord<'a> {
    pub id: &'a str,
    /// The protocol template's id (`mdma-at`, …).
    pub protocol: &'a str,
    /// The stored phase and status (see [`JourneyState::from_stored`]).
    pub phase: &'a str,
    pub status: &'a str,
    pub start: String,
    pub end: Option<String>,
    pub sessions: Vec<SessionRecord<'a>>,
}

/// An R4 `CarePlan`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CarePlan {
    pub resource_type: &'static str,
    pub id: String,
    pub status: &'static str,
    pub intent: &'static str,
    pub title: String,
    pub description: String,
    pub subject: Reference,
    pub period: Period,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub activity: Vec<CarePlanActivity>,
}

/// One planned or past session of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CarePlanActivity {
    /// The session's Encounter.
    pub outcome_reference: Vec<Reference>,
    pub detail: CarePlanDetail,
}

/// What the activity is and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CarePlanDetail {
    pub code: CodeableConcept,
    pub status: &'static str,
    pub scheduled_period: Period,
}

/// The CarePlan status of a journey (R4 `request-status`): under way → `active`, paused → `on-hold`, finished →
/// `completed`, left or referred elsewhere before the end → `revoked`; a state ferd cannot read → `unknown`.
pub fn care_plan_status(phase: &str, status: &str) -> &'static str {
    match JourneyState::from_stored(phase, status) {
        Ok(JourneyState::Active(_)) => "active",
        Ok(JourneyState::Paused { .. }) => "on-hold",
        Ok(JourneyState::Completed) => "completed",
        Ok(JourneyState::Withdrawn { .. } | JourneyState::ReferredElsewhere { .. }) => "revoked",
        Err(_) => "unknown",
    }
}

/// The status of a session as a CarePlan activity (R4 `care-plan-activity-status`): planned → `scheduled`, held →
/// `completed`, cancelled or missed → `cancelled`.
pub fn activity_status(session_status: &str) -> &'static str {
    match session_status {
        "planned" => "scheduled",
        "held" => "completed",
        "cancelled" | "missed" => "cancelled",
        _ => "unknown",
    }
}

/// The journey as a CarePlan about `patient` (`Patient/<id>`), intent `plan`: titled by its protocol, the phase it
/// is in as the description, and each of its sessions as an activity pointing to the session's Encounter.
pub fn care_plan(j: &JourneyRecord<'_>, patient: &str) -> CarePlan {
    let protocol = Protocols::builtin().get(j.protocol);
    let title = protocol
        .map(|p| p.title.en().to_string())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| j.protocol.to_string());
    let state = match JourneyState::from_stored(j.phase, j.status) {
        Ok(JourneyState::Completed) => "completed".to_string(),
        Ok(JourneyState::Active(p)) => format!("in phase {}", p.as_str()),
        Ok(JourneyState::Paused { from }) => format!("paused in phase {}", from.as_str()),
        Ok(JourneyState::Withdrawn { from }) => {
            format!("the client withdrew in phase {}", from.as_str())
        }
        Ok(JourneyState::ReferredElsewhere { from }) => {
            format!("referred elsewhere in phase {}", from.as_str())
        }
        Err(_) => format!("{} ({})", j.status, j.phase),
    };
    CarePlan {
        resource_type: "CarePlan",
        id: j.id.to_string(),
        status: care_plan_status(j.phase, j.status),
        intent: "plan",
        title,
        description: format!("Protocol {}: {state}.", j.protocol),
        subject: Reference::to(patient),
        period: Period {
            start: j.start.clone(),
            end: j.end.clone(),
        },
        activity: j
            .sessions
            .iter()
            .map(|s| CarePlanActivity {
                outcome_reference: vec![Reference::to(format!("Encounter/{}", s.id))],
                detail: CarePlanDetail {
                    code: session_kind(s.kind),
                    status: activity_status(s.status),
                    scheduled_period: Period {
                        start: s.start.clone(),
                        end: Some(s.end.clone()),
                    },
                },
            })
            .collect(),
    }
}

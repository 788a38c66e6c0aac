//! The FHIR R4 resources ferd exchanges about questionnaires, as plain serde types, and their mapping to the domain:
//! an instrument as a `Questionnaire`, a `QuestionnaireResponse` parsed and scored, and the result as `Observation`s.
//!
//! Only what ferd needs is modelled. Everything ferd emits must validate with two independent FHIR implementations
//! (see `tests/fhir-validators/`); what they do not check (status codes, empty arrays) is tested here.

pub mod bundle;
pub mod capability;
pub mod careplan;
pub mod codes;
pub mod encounter;
mod observation;
pub mod patient;
mod questionnaire;
mod response;
mod types;

pub use observation::{observations, ObservationContext};
pub use questionnaire::{questionnaire, questionnaire_response};
pub use response::{is_fhir_date_time, score_questionnaire_response, FhirError, ParsedResponse};
pub use types::*;

pub use bundle::{Bundle, BundleEntry, BundleLink, Resource};
pub use careplan::{care_plan, CarePlan, JourneyRecord};
pub use codes::{observation_codes, TokenParam};
pub use encounter::{encounter, Encounter, SessionRecord};
pub use patient::{patient, Patient, PatientRecord};

/// The base of ferd's own code systems and canonical URLs: an identifier, not a resolvable address.
pub const FERD_BASE: &str = "https://ferd.health/fhir";
/// ferd's code system for scores, subscales, cut-offs, patterns and flags (`pcl-5.total`, `pcl-5.B`, …).
pub const SCORE_SYSTEM: &str = "https://ferd.health/fhir/CodeSystem/score";
/// ferd's code system for severity bands (`moderate`, `moderately-severe`, …).
pub const SEVERITY_SYSTEM: &str = "https://ferd.health/fhir/CodeSystem/severity";
/// LOINC.
pub const LOINC: &str = "http://loinc.org";
/// HL7's observation category code system (`survey`).
pub const OBSERVATION_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";
/// The R4 extension holding an answer option's score (R4 name).
pub const ORDINAL_VALUE: &str = "http://hl7.org/fhir/StructureDefinition/ordinalValue";
/// The extension holding an answer option's score (current name).
pub const ITEM_WEIGHT: &str = "http://hl7.org/fhir/StructureDefinition/itemWeight";
/// SDC's calculated expression, for renderers that compute the total as the form is filled in.
pub const CALCULATED_EXPRESSION: &str =
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression";

/// The code system of an answer set that has no external one.
pub fn answer_system(set_id: &str) -> String {
    format!("{FERD_BASE}/CodeSystem/{set_id}")
}

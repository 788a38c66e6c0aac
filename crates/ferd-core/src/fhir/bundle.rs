//! R4 `Bundle`s: a search's results (`searchset`) and a response with the Observations ferd derived from it
//! (`collection`).

use serde::Serialize;

use super::capability::CapabilityStatement;
use super::careplan::CarePlan;
use super::encounter::Encounter;
use super::patient::Patient;
use super::types::{Observation, Questionnaire, QuestionnaireResponse};

/// Any resource ferd serves, serialised as itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Resource {
    Questionnaire(Box<Questionnaire>),
    QuestionnaireResponse(Box<QuestionnaireResponse>),
    Observation(Box<Observation>),
    Patient(Box<Patient>),
    Encounter(Box<Encounter>),
    CarePlan(Box<CarePlan>),
    CapabilityStatement(Box<CapabilityStatement>),
}

/// An R4 `Bundle`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Bundle {
    pub resource_type: &'static str,
    #[serde(rename = "type")]
    pub type_: &'static str,
    /// When the Bundle was assembled (a FHIR `instant`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// A search's number of matches, over every page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub link: Vec<BundleLink>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub entry: Vec<BundleEntry>,
}

/// A link of a search Bundle (`self`, `next`, `previous`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BundleLink {
    pub relation: &'static str,
    pub url: String,
}

/// One resource of a Bundle with its absolute address.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BundleEntry {
    pub full_url: String,
    pub resource: Resource,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<BundleSearch>,
}

/// Why an entry is in a search Bundle.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BundleSearch {
    /// `match`: it matched the search.
    pub mode: &'static str,
}

impl Bundle {
    /// An empty Bundle of `type_` (`searchset`, `collection`).
    pub fn new(type_: &'static str) -> Bundle {
        Bundle {
            resource_type: "Bundle",
            type_,
            timestamp: None,
            total: None,
            link: Vec::new(),
            entry: Vec::new(),
        }
    }

    /// Adds a resource at `full_url`; in a searchset as a match.
    pub fn push(&mut self, full_url: String, resource: Resource) {
        let search = (self.type_ == "searchset").then_some(BundleSearch { mode: "match" });
        self.entry.push(BundleEntry {
            full_url,
            resource,
            search,
        });
    }
}

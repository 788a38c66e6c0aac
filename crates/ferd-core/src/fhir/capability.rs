//! The R4 `CapabilityStatement` a FHIR server publishes at `metadata`, as serde types. What goes in it is the
//! server's business: the web layer builds it from the same table it routes by, so that it tells the truth.

use serde::Serialize;

use super::types::CodeableConcept;

/// An R4 `CapabilityStatement` of kind `instance`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CapabilityStatement {
    pub resource_type: &'static str,
    pub status: &'static str,
    /// When this statement was made (the server's start).
    pub date: String,
    pub publisher: &'static str,
    pub kind: &'static str,
    pub software: Software,
    pub implementation: Implementation,
    pub fhir_version: &'static str,
    pub format: Vec<&'static str>,
    pub rest: Vec<Rest>,
}

/// The software behind the server.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Software {
    pub name: &'static str,
    pub version: &'static str,
}

/// This installation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Implementation {
    pub description: String,
    /// The base address of the FHIR endpoints.
    pub url: String,
}

/// The RESTful endpoints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rest {
    pub mode: &'static str,
    pub documentation: String,
    pub security: Security,
    pub resource: Vec<RestResource>,
}

/// How a client proves who it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Security {
    pub cors: bool,
    pub service: Vec<CodeableConcept>,
    pub description: String,
}

/// What the server does with one resource type.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestResource {
    #[serde(rename = "type")]
    pub type_: &'static str,
    pub documentation: String,
    pub interaction: Vec<Interaction>,
    pub versioning: &'static str,
    pub read_history: bool,
    pub update_create: bool,
    pub conditional_create: bool,
    pub conditional_read: &'static str,
    pub conditional_update: bool,
    pub conditional_delete: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub search_param: Vec<SearchParam>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub operation: Vec<Operation>,
}

/// An interaction (`read`, `search-type`, `create`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interaction {
    pub code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documentation: Option<&'static str>,
}

/// A search parameter the server understands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchParam {
    pub name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<&'static str>,
    #[serde(rename = "type")]
    pub type_: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documentation: Option<&'static str>,
}

/// An operation on the resource type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operation {
    pub name: &'static str,
    pub definition: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documentation: Option<&'static str>,
}

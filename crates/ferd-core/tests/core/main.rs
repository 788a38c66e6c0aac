//! Integration tests of ferd-core, one binary with a module per concern.

mod calendar;
mod common;
mod definitions;
mod evidence;
mod fhir;
mod fhir_validators;
mod gad7;
mod journey;
mod meta;
mod outcomes;
mod pc_ptsd5;
mod pcl5;
mod phq9;
mod properties;
mod responses;
mod screening;
mod who5;

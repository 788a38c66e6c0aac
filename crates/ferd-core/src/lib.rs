//! # ferd-core
//!
//! The clinical domain of ferd, with no I/O, no async, no SQL and no HTTP: validated questionnaires and their
//! scoring and interpretation ([`instruments`]), the statistics behind them ([`stats`]), the client's journey and its
//! guards ([`journey`]), the safety screening rules ([`screening`]), the civil days both plan in ([`calendar`]), the
//! referral directory's rules and suggested places ([`referrals`]), and
//! the FHIR R4 resources ferd exchanges ([`fhir`]).
//!
//! Scoring lives here and only here: every other crate parses input into these types and calls them.

#![forbid(unsafe_code)]
#![warn(missing_debug_implementations)]

pub mod calendar;
pub mod evidence;
pub mod fhir;
pub mod ids;
pub mod instruments;
pub mod journey;
pub mod monitoring;
pub mod outcomes;
pub mod referrals;
pub mod risk;
pub mod screening;
pub mod stats;

pub use instruments::{Catalogue, Instrument};

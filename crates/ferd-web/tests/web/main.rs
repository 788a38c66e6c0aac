//! Integration tests: the real server on port 0, against SQLite (and PostgreSQL when FERD_TEST_POSTGRES_URL is set),
//! walked over HTTP.

mod api_v1;
mod articles;
mod calendar;
mod common;
mod fhir_api;
mod flows;
mod journey;
mod mail;
mod matrix;
mod proxy;
mod referrals;
mod report;
mod security;
mod session_log;
mod site;
mod swedish;
mod tokens;
mod waitlist;

//! The store test suite. Every test runs against in-memory SQLite, and also against PostgreSQL when
//! FERD_TEST_POSTGRES_URL is set (each run in a schema of its own, dropped afterwards).

mod articles;
mod audit;
mod common;
mod concurrency;
mod crash;
mod encryption;
mod gdpr;
mod group_commit;
mod jobs;
mod moving;
mod records;
mod referrals;
mod research;
mod scope;
mod waitlist;

//! A portable archive of a whole practice: JSON Lines, one header line and then one line per row, table by table
//! in dependency order. It moves a practice between SQLite and PostgreSQL with nothing lost, and is ferd's backup
//! format: it is read in one snapshot (a read transaction), so it is consistent while the server runs.
//!
//! Encrypted columns travel as the ciphertext (hex): an archive is no more readable than the database, and restoring
//! it needs the same key file.

use std::io::{BufRead, Write};

use serde_json::{json, Map, Value};
use sqlx::Row;

use crate::{Backend, Store, StoreError};

/// The archive format's name and version, in its header line.
pub const FORMAT: &str = "ferd-archive";
pub const VERSION: i64 = 1;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Int,
    Blob,
}
use Kind::{Blob, Int, Text};

/// Every table, parents before children, with its columns (the first is the key that orders the rows).
const TABLES: &[(&str, &[(&str, Kind)])] = &[
    (
        "practices",
        &[
            ("id", Text),
            ("name", Text),
            ("created_at", Int),
            ("updated_at", Int),
            ("require_two_factor", Int),
            ("time_zone", Text),
            ("clinic_mode", Int),
            ("inquiry_reply_days", Int),
            ("reminder_session_hours", Int),
            ("reminder_questionnaire", Int),
            ("reminder_hour", Int),
            ("reminder_overdue_days", Int),
            ("alert_mail", Int),
            ("accepting_new_clients", Int),
        ],
    ),
    (
        "users",
        &[
            ("id", Text),
            ("practice_id", Text),
            ("email", Text),
            ("display_name", Text),
            ("role", Text),
            ("practice_admin", Int),
            ("password_hash", Text),
            ("disabled", Int),
            ("created_at", Int),
            ("updated_at", Int),
            ("language", Text),
            ("totp_secret_enc", Blob),
            ("totp_enabled", Int),
            ("totp_last_step", Int),
            ("accepting_new_clients", Int),
        ],
    ),
    (
        "clients",
        &[
            ("id", Text),
            ("practice_id", Text),
            ("therapist_id", Text),
            ("user_id", Text),
            ("name", Text),
            ("email", Text),
            ("phone", Text),
            ("birth_year", Int),
            ("emergency_contact", Text),
            ("preferred_language", Text),
            ("research_id", Text),
            ("created_at", Int),
            ("updated_at", Int),
            ("research_offset_days", Int),
            ("reminders_off_at", Int),
        ],
    ),
    (
        "journeys",
        &[
            ("id", Text),
            ("client_id", Text),
            ("protocol", Text),
            ("phase", Text),
            ("status", Text),
            ("started_at", Int),
            ("ended_at", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    ),
    (
        "sessions",
        &[
            ("id", Text),
            ("client_id", Text),
            ("journey_id", Text),
            ("therapist_id", Text),
            ("kind", Text),
            ("scheduled_at", Int),
            ("duration_minutes", Int),
            ("place", Text),
            ("video_link", Text),
            ("status", Text),
            ("note_enc", Blob),
            ("created_at", Int),
            ("updated_at", Int),
            ("plan_key", Text),
            ("contact", Text),
            ("external_enc", Blob),
        ],
    ),
    (
        "assessments",
        &[
            ("id", Text),
            ("client_id", Text),
            ("journey_id", Text),
            ("instrument", Text),
            ("point", Text),
            ("due_at", Int),
            ("status", Text),
            ("created_at", Int),
            ("updated_at", Int),
            ("plan_key", Text),
        ],
    ),
    (
        "responses",
        &[
            ("id", Text),
            ("client_id", Text),
            ("assessment_id", Text),
            ("instrument", Text),
            ("instrument_version", Text),
            ("answers", Text),
            ("total", Int),
            ("summary", Text),
            ("authored_at", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    ),
    (
        "api_tokens",
        &[
            ("id", Text),
            ("practice_id", Text),
            ("name", Text),
            ("token_hash", Text),
            ("prefix", Text),
            ("scope", Text),
            ("created_by", Text),
            ("last_used_at", Int),
            ("revoked_at", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    ),
    (
        "articles",
        &[
            ("id", Text),
            ("practice_id", Text),
            ("lang", Text),
            ("slug", Text),
            ("title", Text),
            ("summary", Text),
            ("body", Text),
            ("tags", Text),
            ("sources", Text),
            ("author_name", Text),
            ("published_on", Text),
            ("reviewed_on", Text),
            ("first_published_on", Text),
            ("status", Text),
            ("created_by", Text),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    ),
    (
        "inquiries",
        &[
            ("id", Text),
            ("practice_id", Text),
            ("name", Text),
            ("email", Text),
            ("phone", Text),
            ("language", Text),
            ("message_enc", Blob),
            ("status", Text),
            ("created_at", Int),
            ("updated_at", Int),
            ("consent_at", Int),
            ("consent_version", Text),
        ],
    ),
    (
        "waitlist_entries",
        &[
            ("id", Text),
            ("practice_id", Text),
            ("inquiry_id", Text),
            ("status", Text),
            ("joined_at", Int),
            ("preferred_therapist_id", Text),
            ("status_token_hash", Text),
            ("status_link_enc", Blob),
            ("ended_at", Int),
            ("ended_by", Text),
            ("end_reason_enc", Blob),
            ("position_at_end", Int),
            ("client_id", Text),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    ),
    (
        "referral_places",
        &[
            ("id", Text),
            ("practice_id", Text),
            ("name", Text),
            ("kind", Text),
            ("offers_nb", Text),
            ("offers_en", Text),
            ("eligibility_nb", Text),
            ("eligibility_en", Text),
            ("languages", Text),
            ("region", Text),
            ("phone", Text),
            ("email", Text),
            ("web", Text),
            ("is_public", Int),
            ("checked_on", Text),
            ("checked_by", Text),
            ("staff_note", Text),
            ("suggestion", Text),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    ),
    (
        "referrals",
        &[
            ("id", Text),
            ("practice_id", Text),
            ("client_id", Text),
            ("inquiry_id", Text),
            ("place_id", Text),
            ("place_name", Text),
            ("reason_enc", Blob),
            ("referred_on", Text),
            ("referred_by", Text),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    ),
    (
        "consents",
        &[
            ("id", Text),
            ("client_id", Text),
            ("kind", Text),
            ("text_version", Text),
            ("agreed_at", Int),
            ("withdrawn_at", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    ),
    (
        "journal_entries",
        &[
            ("id", Text),
            ("client_id", Text),
            ("shared", Int),
            ("body_enc", Blob),
            ("written_at", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    ),
    (
        "invitations",
        &[
            ("id", Text),
            ("token_hash", Text),
            ("client_id", Text),
            ("created_by", Text),
            ("expires_at", Int),
            ("used_at", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    ),
    (
        "alerts",
        &[
            ("id", Text),
            ("client_id", Text),
            ("kind", Text),
            ("source_id", Text),
            ("instrument", Text),
            ("raised_at", Int),
            ("acknowledged_by", Text),
            ("acknowledged_at", Int),
            ("created_at", Int),
            ("updated_at", Int),
            ("action_enc", Blob),
        ],
    ),
    (
        "screenings",
        &[
            ("id", Text),
            ("client_id", Text),
            ("answers_enc", Blob),
            ("findings_enc", Blob),
            ("worst_severity", Text),
            ("submitted_by", Text),
            ("submitted_at", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    ),
    (
        "clearances",
        &[
            ("id", Text),
            ("client_id", Text),
            ("screening_id", Text),
            ("decision", Text),
            ("clinician_id", Text),
            ("decided_at", Int),
            ("comment_enc", Blob),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    ),
    (
        "risk_assessments",
        &[
            ("id", Text),
            ("client_id", Text),
            ("instrument", Text),
            ("ideation_level", Int),
            ("recent_behaviour", Int),
            ("assessed_at", Int),
            ("assessed_by", Text),
            ("note_enc", Blob),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    ),
    (
        "session_readings",
        &[
            ("id", Text),
            ("session_id", Text),
            ("client_id", Text),
            ("at", Int),
            ("kind", Text),
            ("value_a", Int),
            ("value_b", Int),
            ("text_enc", Blob),
            ("recorded_by", Text),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    ),
    (
        "calendar_feeds",
        &[
            ("id", Text),
            ("user_id", Text),
            ("token_hash", Text),
            ("revoked_at", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    ),
    (
        // The job queue travels too: its dedupe keys are what keep a restored practice from reminding twice.
        "jobs",
        &[
            ("id", Text),
            ("practice_id", Text),
            ("client_id", Text),
            ("recipient_id", Text),
            ("kind", Text),
            ("payload", Text),
            ("dedupe_key", Text),
            ("status", Text),
            ("run_at", Int),
            ("attempts", Int),
            ("max_attempts", Int),
            ("locked_by", Text),
            ("locked_until", Int),
            ("last_error", Text),
            ("outbox_file", Text),
            ("finished_at", Int),
            ("resent_at", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    ),
    (
        "audit_events",
        &[
            ("seq", Int),
            ("at", Int),
            ("actor_id", Text),
            ("actor_role", Text),
            ("action", Text),
            ("entity", Text),
            ("entity_id", Text),
            ("request_id", Text),
            ("prev_hash", Text),
            ("hash", Text),
        ],
    ),
    ("audit_head", &[("id", Int), ("seq", Int), ("hash", Text)]),
];

fn bad(line: usize, message: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        field: "archive",
        message: format!("line {line}: {}", message.into()),
    }
}

impl Store {
    /// Writes the whole practice to `out` as an archive, from one consistent snapshot. Returns the number of rows.
    pub async fn export_archive(&self, out: &mut impl Write) -> Result<u64, StoreError> {
        let io = |e: std::io::Error| StoreError::Database(format!("writing the archive: {e}"));
        let mut tx = self.pool().begin().await?;
        if self.backend() == Backend::Postgres {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(&mut *tx)
                .await?;
        }
        let tables: Vec<&str> = TABLES.iter().map(|(t, _)| *t).collect();
        writeln!(
            out,
            "{}",
            json!({ "format": FORMAT, "version": VERSION, "tables": tables })
        )
        .map_err(io)?;
        let mut rows = 0u64;
        for (table, columns) in TABLES {
            let names: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
            let sql = format!(
                "SELECT {} FROM {table} ORDER BY {}",
                names.join(", "),
                names[0]
            );
            for row in sqlx::query(&sql).fetch_all(&mut *tx).await? {
                let mut obj = Map::new();
                for (i, (name, kind)) in columns.iter().enumerate() {
                    let v = match kind {
                        Text => row.try_get::<Option<String>, _>(i)?.map(Value::from),
                        Int => row.try_get::<Option<i64>, _>(i)?.map(Value::from),
                        Blob => row
                            .try_get::<Option<Vec<u8>>, _>(i)?
                            .map(|b| Value::from(hex::encode(b))),
                    };
                    obj.insert((*name).to_string(), v.unwrap_or(Value::Null));
                }
                writeln!(out, "{}", json!({ "table": table, "row": obj })).map_err(io)?;
                rows += 1;
            }
        }
        tx.commit().await?;
        out.flush().map_err(io)?;
        Ok(rows)
    }

    /// Reads an archive into this store, which must hold no practice yet, in one transaction: on any error nothing
    /// is written. Returns the number of rows.
    pub async fn import_archive(&self, input: impl BufRead) -> Result<u64, StoreError> {
        let mut lines = input.lines().enumerate();
        let header: Value = match lines.next() {
            Some((_, Ok(l))) => serde_json::from_str(&l)
                .map_err(|e| bad(1, format!("not an archive header: {e}")))?,
            Some((_, Err(e))) => return Err(bad(1, e.to_string())),
            None => return Err(bad(1, "the archive is empty")),
        };
        if header["format"] != FORMAT || header["version"] != VERSION {
            return Err(bad(1, format!("not a {FORMAT} version {VERSION} file")));
        }
        let mut tx = self.pool().begin().await?;
        let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM practices")
            .fetch_one(&mut *tx)
            .await?;
        let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events")
            .fetch_one(&mut *tx)
            .await?;
        if existing > 0 || events > 0 {
            return Err(StoreError::Invalid {
                field: "database",
                message: "is not empty: an archive is restored into a new database".into(),
            });
        }
        // The head row exists from the migration; the archive's head replaces it.
        sqlx::query("DELETE FROM audit_head")
            .execute(&mut *tx)
            .await?;
        let mut rows = 0u64;
        let mut last_table = 0usize;
        for (n, line) in lines {
            let n = n + 1;
            let line = line.map_err(|e| bad(n, e.to_string()))?;
            if line.trim().is_empty() {
                continue;
            }
            let v: Value = serde_json::from_str(&line).map_err(|e| bad(n, e.to_string()))?;
            let table = v["table"].as_str().ok_or_else(|| bad(n, "no table"))?;
            let (index, (table, columns)) = TABLES
                .iter()
                .enumerate()
                .find(|(_, (t, _))| *t == table)
                .ok_or_else(|| bad(n, format!("unknown table '{table}'")))?;
            if index < last_table {
                return Err(bad(n, format!("table '{table}' out of order")));
            }
            last_table = index;
            let row = v["row"].as_object().ok_or_else(|| bad(n, "no row"))?;
            if row.len() != columns.len() {
                return Err(bad(
                    n,
                    format!("{table} rows have {} columns", columns.len()),
                ));
            }
            let names: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
            let params: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                names.join(", "),
                params.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for (name, kind) in columns.iter() {
                let value = row
                    .get(*name)
                    .ok_or_else(|| bad(n, format!("{table}.{name} is missing")))?;
                let wrong = || bad(n, format!("{table}.{name} has the wrong type"));
                q = match kind {
                    Text if value.is_null() => q.bind(None::<String>),
                    Text => q.bind(Some(value.as_str().ok_or_else(wrong)?.to_string())),
                    Int if value.is_null() => q.bind(None::<i64>),
                    Int => q.bind(Some(value.as_i64().ok_or_else(wrong)?)),
                    Blob if value.is_null() => q.bind(None::<Vec<u8>>),
                    Blob => q.bind(Some(
                        hex::decode(value.as_str().ok_or_else(wrong)?).map_err(|_| wrong())?,
                    )),
                };
            }
            q.execute(&mut *tx).await?;
            rows += 1;
        }
        let head: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_head")
            .fetch_one(&mut *tx)
            .await?;
        if head != 1 {
            return Err(bad(0, "the archive has no audit chain head"));
        }
        // Derived from the responses, so not in the archive: built again here.
        crate::records::rebuild_outcome_ends(&mut tx).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// Re-encrypts every encrypted column still sealed with an older key under the keyring's current key, in one
    /// transaction. Returns the number of values re-encrypted. Afterwards the old keys can be retired.
    pub async fn reencrypt_all(&self, actor: &crate::Actor) -> Result<u64, StoreError> {
        let (_turn, mut tx) = self.begin_write().await?;
        crate::audit::append(
            &mut tx,
            actor,
            "rotate-keys",
            "keyring",
            self.keys().current_key_id(),
        )
        .await?;
        let mut count = 0u64;
        for (table, column) in [
            ("sessions", "note_enc"),
            ("journal_entries", "body_enc"),
            ("inquiries", "message_enc"),
            ("users", "totp_secret_enc"),
            ("sessions", "external_enc"),
            ("screenings", "answers_enc"),
            ("screenings", "findings_enc"),
            ("clearances", "comment_enc"),
            ("alerts", "action_enc"),
            ("session_readings", "text_enc"),
            ("risk_assessments", "note_enc"),
            ("waitlist_entries", "status_link_enc"),
            ("waitlist_entries", "end_reason_enc"),
            ("referrals", "reason_enc"),
        ] {
            let rows = sqlx::query(&format!(
                "SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL"
            ))
            .fetch_all(&mut *tx)
            .await?;
            for row in rows {
                let id: String = row.try_get(0)?;
                let enc: Vec<u8> = row.try_get(1)?;
                if crate::Keyring::key_id_of(&enc)? == self.keys().current_key_id() {
                    continue;
                }
                let place = format!("{table}.{column}.{id}");
                let plain = self.keys().open(&place, &enc)?;
                let sealed = self.keys().seal(&place, &plain)?;
                sqlx::query(&format!("UPDATE {table} SET {column} = $1 WHERE id = $2"))
                    .bind(sealed)
                    .bind(&id)
                    .execute(&mut *tx)
                    .await?;
                count += 1;
            }
        }
        tx.commit().await?;
        Ok(count)
    }
}

//! The practice's records, in the names a clinician uses, each operation scoped by the acting user and audited.

use ferd_core::Catalogue;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, FromRow, Row, Transaction};

use crate::audit::append;
use crate::{new_id, now_ms, Actor, Backend, Role, Store, StoreError};

/// A practice: one guide, or a clinic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Practice {
    pub id: String,
    pub name: String,
}

/// A login identity (separate from any client record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: String,
    pub practice_id: Option<String>,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub practice_admin: bool,
    pub disabled: bool,
}

/// A new user.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub practice_id: Option<String>,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub practice_admin: bool,
    /// An argon2id hash (the web layer hashes; the store never sees a password).
    pub password_hash: Option<String>,
}

/// A client of the practice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Client {
    pub id: String,
    pub practice_id: String,
    pub therapist_id: Option<String>,
    /// The client's own login, once invited.
    pub user_id: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub birth_year: Option<i64>,
    pub emergency_contact: Option<String>,
    pub preferred_language: String,
    /// A pseudonymous id for research exports, never derived from personal data.
    pub research_id: String,
    pub created_at: i64,
}

/// A new client.
#[derive(Debug, Clone, Default)]
pub struct NewClient {
    /// The therapist responsible; a therapist who is not a practice admin is always assigned themselves.
    pub therapist_id: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub birth_year: Option<i64>,
    pub emergency_contact: Option<String>,
    pub preferred_language: String,
}

/// A session with a client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub id: String,
    pub client_id: String,
    pub journey_id: Option<String>,
    pub therapist_id: Option<String>,
    pub kind: String,
    pub scheduled_at: i64,
    pub duration_minutes: i64,
    pub place: Option<String>,
    pub video_link: Option<String>,
    pub status: String,
    /// The session note, decrypted.
    pub note: Option<String>,
    /// Its place in the protocol template, for sessions made from one (`preparation.2`, `medicine.1` …).
    pub plan_key: Option<String>,
    /// `in-person`, `video` or `phone`.
    pub contact: String,
    /// For a medicine session held by an external clinic: where and by whom, as JSON (sealed at rest; decrypted
    /// for staff only).
    pub external: Option<String>,
}

/// A new session.
#[derive(Debug, Clone, Default)]
pub struct NewSession {
    pub client_id: String,
    pub journey_id: Option<String>,
    pub kind: String,
    pub scheduled_at: i64,
    pub duration_minutes: i64,
    pub place: Option<String>,
    pub video_link: Option<String>,
    pub note: Option<String>,
}

/// A stored questionnaire response with the scores ferd-core computed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredResponse {
    pub id: String,
    pub client_id: String,
    pub assessment_id: Option<String>,
    pub instrument: String,
    pub instrument_version: String,
    pub answers: Vec<Option<i64>>,
    pub total: i64,
    /// ferd-core's `ScoreSummary` as JSON.
    pub summary: serde_json::Value,
    pub authored_at: i64,
}

/// A client's journal entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JournalEntry {
    pub id: String,
    pub client_id: String,
    /// Shared entries are visible to the therapist; private ones only to the client.
    pub shared: bool,
    pub body: String,
    pub written_at: i64,
}

/// A message sent through the public site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inquiry {
    pub id: String,
    pub practice_id: String,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub language: String,
    pub message: String,
    pub status: String,
    pub created_at: i64,
    /// When the sender agreed to be contacted and to the message being stored (the public form asks).
    pub consent_at: Option<i64>,
    /// Which privacy notice they agreed to: the last-reviewed date of the privacy page they were shown.
    pub consent_version: Option<String>,
}

/// A message to send through the public site's form.
#[derive(Debug, Clone, Default)]
pub struct NewInquiry {
    pub practice_id: String,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub language: String,
    pub message: String,
    /// The privacy notice the sender agreed to (the public form requires agreement); `None` for an inquiry staff
    /// write down themselves.
    pub consent_version: Option<String>,
}

/// A client's course through a protocol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Journey {
    pub id: String,
    pub client_id: String,
    pub protocol: String,
    pub phase: String,
    pub status: String,
    pub started_at: i64,
}

/// An instrument due for a client at a point of the journey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Assessment {
    pub id: String,
    pub client_id: String,
    pub journey_id: Option<String>,
    pub instrument: String,
    pub point: String,
    pub due_at: i64,
    pub status: String,
}

/// What a client agreed to, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Consent {
    pub id: String,
    pub client_id: String,
    pub kind: String,
    pub text_version: String,
    pub agreed_at: i64,
    pub withdrawn_at: Option<i64>,
}

/// A client with their sessions and responses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct History {
    pub client: Client,
    pub sessions: Vec<Session>,
    pub responses: Vec<StoredResponse>,
}

const RESPONSES_SQL: &str = "SELECT * FROM responses WHERE client_id = $1 ORDER BY authored_at, id";

pub(crate) async fn load_responses(
    tx: &mut Transaction<'static, Any>,
    client_id: &str,
) -> Result<Vec<StoredResponse>, StoreError> {
    let rows = sqlx::query(RESPONSES_SQL)
        .bind(client_id)
        .fetch_all(&mut **tx)
        .await?;
    rows.iter().map(response_from).collect()
}

fn response_from(r: &AnyRow) -> Result<StoredResponse, StoreError> {
    let answers: String = r.try_get("answers")?;
    let summary: String = r.try_get("summary")?;
    Ok(StoredResponse {
        id: r.try_get("id")?,
        client_id: r.try_get("client_id")?,
        assessment_id: r.try_get("assessment_id")?,
        instrument: r.try_get("instrument")?,
        instrument_version: r.try_get("instrument_version")?,
        answers: serde_json::from_str(&answers).map_err(|e| StoreError::Database(e.to_string()))?,
        total: r.try_get("total")?,
        summary: serde_json::from_str(&summary).map_err(|e| StoreError::Database(e.to_string()))?,
        authored_at: r.try_get("authored_at")?,
    })
}

const LANGUAGES: [&str; 3] = ["nb", "en", "sv"];
const SESSION_KINDS: [&str; 5] = [
    "intake",
    "preparation",
    "medicine",
    "integration",
    "follow-up",
];

pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        field,
        message: message.into(),
    }
}

pub(crate) fn not_found(entity: &'static str) -> StoreError {
    StoreError::NotFound { entity }
}

fn bool_of(row: &AnyRow, col: &str) -> Result<bool, StoreError> {
    Ok(row.try_get::<i64, _>(col)? != 0)
}

/// The SQL condition that limits `clients c` to the actor's scope, with its parameters numbered from `first`.
pub(crate) fn client_scope(actor: &Actor, first: usize) -> (String, Vec<String>) {
    match actor.role {
        Role::System => ("1 = 1".into(), vec![]),
        Role::Admin => match &actor.practice_id {
            Some(p) => (format!("c.practice_id = ${first}"), vec![p.clone()]),
            None => ("1 = 0".into(), vec![]),
        },
        Role::Therapist => match &actor.practice_id {
            Some(p) if actor.practice_admin => {
                (format!("c.practice_id = ${first}"), vec![p.clone()])
            }
            Some(p) => (
                format!(
                    "c.practice_id = ${first} AND c.therapist_id = ${}",
                    first + 1
                ),
                vec![p.clone(), actor.user_id.clone()],
            ),
            None => ("1 = 0".into(), vec![]),
        },
        Role::Client => match &actor.client_id {
            Some(id) => (format!("c.id = ${first}"), vec![id.clone()]),
            None => ("1 = 0".into(), vec![]),
        },
    }
}

/// Binds the parameters of a scope condition (from [`client_scope`]) after those already bound.
pub(crate) fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    args: Vec<String>,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    for a in args {
        q = q.bind(a);
    }
    q
}

/// A failed insert of a user: a duplicate can only be the e-mail address, the one unique column a caller chooses.
pub(crate) fn email_taken(e: sqlx::Error) -> StoreError {
    match StoreError::from(e) {
        StoreError::Duplicate { .. } => StoreError::Duplicate {
            entity: "user",
            field: "email",
        },
        other => other,
    }
}

fn clean_optional(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

pub use ferd_core::referrals::is_email_address;

fn check_email(field: &'static str, email: &str) -> Result<(), StoreError> {
    if is_email_address(email) {
        Ok(())
    } else {
        Err(invalid(field, "is not an e-mail address"))
    }
}

/// A public inquiry that passed the form's rules, ready to be written.
#[derive(Debug, Clone)]
pub(crate) struct CheckedInquiry {
    pub practice_id: String,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub language: String,
    pub message: String,
    pub consent_version: Option<String>,
}

/// Checks a message from the public site against the form's rules, each broken one named by its field.
pub(crate) fn check_public_inquiry(new: NewInquiry) -> Result<CheckedInquiry, StoreError> {
    let NewInquiry {
        practice_id,
        name,
        email,
        phone,
        language,
        message,
        consent_version,
    } = new;
    let name = name.trim();
    if name.is_empty() || name.len() > 200 {
        return Err(invalid("name", "must be 1–200 characters"));
    }
    let email = email.trim().to_lowercase();
    check_email("email", &email)?;
    if !LANGUAGES.contains(&language.as_str()) {
        return Err(invalid(
            "language",
            format!("must be one of {}", LANGUAGES.join(", ")),
        ));
    }
    if message.trim().is_empty() || message.len() > 20_000 {
        return Err(invalid("message", "must be 1–20,000 characters"));
    }
    let phone = clean_optional(phone);
    if phone.as_ref().is_some_and(|p| p.chars().count() > 40) {
        return Err(invalid("phone", "must be at most 40 characters"));
    }
    let consent_version = clean_optional(consent_version);
    if consent_version.as_ref().is_some_and(|v| v.len() > 40) {
        return Err(invalid("consent_version", "must be at most 40 characters"));
    }
    Ok(CheckedInquiry {
        practice_id,
        name: name.to_string(),
        email,
        phone,
        language,
        message,
        consent_version,
    })
}

/// Who sends through the public site: nobody signed in, audited as `public` of the site's practice.
pub(crate) fn public_actor(practice_id: &str, request_id: &str) -> Actor {
    Actor {
        user_id: "public".into(),
        role: Role::System,
        practice_id: Some(practice_id.to_string()),
        practice_admin: false,
        client_id: None,
        request_id: request_id.to_string(),
    }
}

/// An inquiry from its row, the message decrypted (the inbox and the JSON API read it the same way).
pub(crate) fn inquiry_from(store: &Store, r: &AnyRow) -> Result<Inquiry, StoreError> {
    let id: String = r.try_get("id")?;
    let enc: Vec<u8> = r.try_get("message_enc")?;
    Ok(Inquiry {
        message: store
            .keys
            .open(&format!("inquiries.message_enc.{id}"), &enc)?,
        id,
        practice_id: r.try_get("practice_id")?,
        name: r.try_get("name")?,
        email: r.try_get("email")?,
        phone: r.try_get("phone")?,
        language: r.try_get("language")?,
        status: r.try_get("status")?,
        created_at: r.try_get("created_at")?,
        consent_at: r.try_get("consent_at")?,
        consent_version: r.try_get("consent_version")?,
    })
}

/// Keeps a client's first and latest response to an instrument in `outcome_ends` (for the outcome report).
/// Ordered as the report orders responses: by `authored_at`, then id. Parameters: client, instrument, response id,
/// authored at, answers (JSON), now.
pub(crate) const NOTE_OUTCOME_END: &str = "INSERT INTO outcome_ends (client_id, instrument, responses, first_id, first_at, first_answers, latest_id, latest_at, latest_answers, created_at, updated_at) \
         VALUES ($1, $2, 1, $3, $4, $5, $3, $4, $5, $6, $6) \
         ON CONFLICT (client_id, instrument) DO UPDATE SET \
           responses = outcome_ends.responses + 1, \
           first_id = CASE WHEN $4 < outcome_ends.first_at OR ($4 = outcome_ends.first_at AND $3 < outcome_ends.first_id) THEN $3 ELSE outcome_ends.first_id END, \
           first_answers = CASE WHEN $4 < outcome_ends.first_at OR ($4 = outcome_ends.first_at AND $3 < outcome_ends.first_id) THEN $5 ELSE outcome_ends.first_answers END, \
           first_at = CASE WHEN $4 < outcome_ends.first_at THEN $4 ELSE outcome_ends.first_at END, \
           latest_id = CASE WHEN $4 > outcome_ends.latest_at OR ($4 = outcome_ends.latest_at AND $3 > outcome_ends.latest_id) THEN $3 ELSE outcome_ends.latest_id END, \
           latest_answers = CASE WHEN $4 > outcome_ends.latest_at OR ($4 = outcome_ends.latest_at AND $3 > outcome_ends.latest_id) THEN $5 ELSE outcome_ends.latest_answers END, \
           latest_at = CASE WHEN $4 > outcome_ends.latest_at THEN $4 ELSE outcome_ends.latest_at END, \
           updated_at = $6";

/// Rebuilds `outcome_ends` from the responses (after an archive is imported).
pub(crate) async fn rebuild_outcome_ends(
    tx: &mut Transaction<'static, Any>,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM outcome_ends")
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO outcome_ends (client_id, instrument, responses, first_id, first_at, first_answers, latest_id, latest_at, latest_answers, created_at, updated_at) \
         SELECT f.client_id, f.instrument, f.n, f.id, f.authored_at, f.answers, l.id, l.authored_at, l.answers, f.authored_at, l.authored_at \
         FROM (SELECT client_id, instrument, id, authored_at, answers, COUNT(*) OVER (PARTITION BY client_id, instrument) AS n, \
                      ROW_NUMBER() OVER (PARTITION BY client_id, instrument ORDER BY authored_at, id) AS k FROM responses) f \
         JOIN (SELECT client_id, instrument, id, authored_at, answers, \
                      ROW_NUMBER() OVER (PARTITION BY client_id, instrument ORDER BY authored_at DESC, id DESC) AS k FROM responses) l \
           ON l.client_id = f.client_id AND l.instrument = f.instrument AND l.k = 1 \
         WHERE f.k = 1",
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Ensures the client exists within the actor's scope, inside `tx`. Returns the client's practice id.
    async fn client_in_scope(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        client_id: &str,
    ) -> Result<String, StoreError> {
        Ok(Self::load_client(tx, actor, client_id).await?.practice_id)
    }

    /// Creates a practice (ferd itself only, from `ferd init`).
    pub async fn create_practice(&self, actor: &Actor, name: &str) -> Result<Practice, StoreError> {
        if actor.role != Role::System {
            return Err(StoreError::Forbidden(
                "only ferd's own administration creates practices",
            ));
        }
        let name = name.trim();
        if name.is_empty() || name.len() > 200 {
            return Err(invalid("name", "must be 1–200 characters"));
        }
        let id = new_id();
        let now = now_ms();
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "create", "practice", &id).await?;
        sqlx::query(
            "INSERT INTO practices (id, name, created_at, updated_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(&id)
        .bind(name)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Practice {
            id,
            name: name.to_string(),
        })
    }

    /// Creates a user. ferd itself may create anyone; an admin creates users of their own practice.
    pub async fn create_user(&self, actor: &Actor, new: NewUser) -> Result<User, StoreError> {
        match actor.role {
            Role::System => {}
            Role::Admin if new.practice_id == actor.practice_id => {}
            Role::Therapist if actor.practice_admin && new.practice_id == actor.practice_id => {}
            _ => {
                return Err(StoreError::Forbidden(
                    "only an admin of the practice creates users",
                ))
            }
        }
        let email = new.email.trim().to_lowercase();
        check_email("email", &email)?;
        let display_name = new.display_name.trim().to_string();
        if display_name.is_empty() || display_name.len() > 200 {
            return Err(invalid("display_name", "must be 1–200 characters"));
        }
        if new.role == Role::System {
            return Err(invalid("role", "must be admin, therapist or client"));
        }
        if new.role != Role::Client && new.practice_id.is_none() {
            return Err(invalid(
                "practice_id",
                "admins and therapists belong to a practice",
            ));
        }
        let id = new_id();
        let now = now_ms();
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "create", "user", &id).await?;
        let inserted = sqlx::query(
            "INSERT INTO users (id, practice_id, email, display_name, role, practice_admin, password_hash, disabled, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9)",
        )
        .bind(&id)
        .bind(new.practice_id.clone())
        .bind(&email)
        .bind(&display_name)
        .bind(new.role.as_str())
        .bind(i64::from(new.practice_admin))
        .bind(new.password_hash.clone())
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await;
        if let Err(e) = inserted {
            return Err(email_taken(e));
        }
        tx.commit().await?;
        Ok(User {
            id,
            practice_id: new.practice_id,
            email,
            display_name,
            role: new.role.as_str().to_string(),
            practice_admin: new.practice_admin,
            disabled: false,
        })
    }

    /// Creates a client in the actor's practice.
    pub async fn create_client(&self, actor: &Actor, new: NewClient) -> Result<Client, StoreError> {
        let (_turn, mut tx) = self.begin_write().await?;
        // The audit append comes first in every transaction: it takes the write lock at once, so a transaction
        // never has to upgrade a read to a write (which SQLite refuses while another writer is active).
        let id = new_id();
        append(&mut tx, actor, "create", "client", &id).await?;
        let client = self.insert_client(&mut tx, actor, id, new).await?;
        tx.commit().await?;
        Ok(client)
    }

    /// Checks and inserts a client inside `tx` (which has its audit event already).
    pub(crate) async fn insert_client(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        id: String,
        new: NewClient,
    ) -> Result<Client, StoreError> {
        let practice_id = actor.staff_practice("only the practice's staff create clients")?;
        let name = new.name.trim().to_string();
        if name.is_empty() || name.len() > 200 {
            return Err(invalid("name", "must be 1–200 characters"));
        }
        let email = clean_optional(new.email).map(|e| e.to_lowercase());
        if let Some(e) = &email {
            check_email("email", e)?;
        }
        if let Some(y) = new.birth_year {
            if !(1900..=2100).contains(&y) {
                return Err(invalid(
                    "birth_year",
                    "must be a year between 1900 and 2100",
                ));
            }
        }
        if !LANGUAGES.contains(&new.preferred_language.as_str()) {
            return Err(invalid(
                "preferred_language",
                format!("must be one of {}", LANGUAGES.join(", ")),
            ));
        }
        let therapist_id = if actor.role == Role::Therapist && !actor.practice_admin {
            Some(actor.user_id.clone())
        } else {
            new.therapist_id.clone()
        };
        let research_id = format!("R-{}", &new_id().replace('-', "")[..12].to_uppercase());
        let now = now_ms();
        if let Some(t) = &therapist_id {
            let ok = sqlx::query("SELECT 1 FROM users WHERE id = $1 AND practice_id = $2 AND role IN ('therapist', 'admin')")
                .bind(t)
                .bind(&practice_id)
                .fetch_optional(&mut **tx)
                .await?;
            if ok.is_none() {
                return Err(invalid(
                    "therapist_id",
                    "is not a therapist of this practice",
                ));
            }
        }
        sqlx::query(
            "INSERT INTO clients (id, practice_id, therapist_id, user_id, name, email, phone, birth_year, emergency_contact, preferred_language, research_id, created_at, updated_at, research_offset_days) \
             VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(&id)
        .bind(&practice_id)
        .bind(therapist_id.clone())
        .bind(&name)
        .bind(email.clone())
        .bind(clean_optional(new.phone.clone()))
        .bind(new.birth_year)
        .bind(clean_optional(new.emergency_contact.clone()))
        .bind(&new.preferred_language)
        .bind(&research_id)
        .bind(now)
        .bind(now)
        .bind(crate::research::random_offset_days()?)
        .execute(&mut **tx)
        .await?;
        Ok(Client {
            id,
            practice_id,
            therapist_id,
            user_id: None,
            name,
            email,
            phone: clean_optional(new.phone),
            birth_year: new.birth_year,
            emergency_contact: clean_optional(new.emergency_contact),
            preferred_language: new.preferred_language,
            research_id,
            created_at: now,
        })
    }

    /// Links a client record to a login (when the client accepts an invitation).
    pub async fn link_client_user(
        &self,
        actor: &Actor,
        client_id: &str,
        user_id: &str,
    ) -> Result<(), StoreError> {
        if actor.role == Role::Client {
            return Err(StoreError::Forbidden("clients cannot link logins"));
        }
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "update", "client", client_id).await?;
        self.client_in_scope(&mut tx, actor, client_id).await?;
        sqlx::query("UPDATE clients SET user_id = $1, updated_at = $2 WHERE id = $3")
            .bind(user_id)
            .bind(now_ms())
            .bind(client_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The client, if within the actor's scope, inside `tx`.
    pub(crate) async fn load_client(
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        client_id: &str,
    ) -> Result<Client, StoreError> {
        let (cond, args) = client_scope(actor, 2);
        let sql = format!("SELECT c.* FROM clients c WHERE c.id = $1 AND {cond}");
        let row = bind_all(sqlx::query(&sql).bind(client_id.to_string()), args)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(not_found("client"))?;
        Self::client_from(&row)
    }

    fn client_from(row: &AnyRow) -> Result<Client, StoreError> {
        Ok(Client::from_row(row)?)
    }

    /// One client, if within the actor's scope.
    pub async fn client(&self, actor: &Actor, client_id: &str) -> Result<Client, StoreError> {
        let mut tx = self.begin_read().await?;
        let client = Self::load_client(&mut tx, actor, client_id).await?;
        tx.commit().await?;
        self.audit_read(actor, "read", "client", client_id).await?;
        Ok(client)
    }

    /// The clients within the actor's scope, by name.
    pub async fn clients(&self, actor: &Actor) -> Result<Vec<Client>, StoreError> {
        let mut tx = self.begin_read().await?;
        let (cond, args) = client_scope(actor, 1);
        let sql = format!("SELECT c.* FROM clients c WHERE {cond} ORDER BY c.name, c.id");
        let q = bind_all(sqlx::query(&sql), args);
        let rows = q.fetch_all(&mut *tx).await?;
        let clients = rows
            .iter()
            .map(Self::client_from)
            .collect::<Result<Vec<_>, _>>()?;
        tx.commit().await?;
        self.audit_read(actor, "list", "client", "*").await?;
        Ok(clients)
    }

    /// Schedules a session (staff only); the note, if any, is encrypted.
    pub async fn add_session(&self, actor: &Actor, new: NewSession) -> Result<Session, StoreError> {
        if !matches!(actor.role, Role::Admin | Role::Therapist) {
            return Err(StoreError::Forbidden("only staff schedule sessions"));
        }
        if !SESSION_KINDS.contains(&new.kind.as_str()) {
            return Err(invalid(
                "kind",
                format!("must be one of {}", SESSION_KINDS.join(", ")),
            ));
        }
        if !(1..=24 * 60).contains(&new.duration_minutes) {
            return Err(invalid("duration_minutes", "must be 1–1440"));
        }
        let id = new_id();
        let note_enc = match &new.note {
            Some(n) if !n.trim().is_empty() => {
                Some(self.keys.seal(&format!("sessions.note_enc.{id}"), n)?)
            }
            _ => None,
        };
        let now = now_ms();
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "create", "session", &id).await?;
        self.client_in_scope(&mut tx, actor, &new.client_id).await?;
        // No medicine session is booked unless ferd-core's guard allows it: a clinician's signed clearance, the
        // preparation done, a session left in the protocol.
        if new.kind == "medicine" {
            if let Err(reason) = crate::journey::medicine_allowed(&mut tx, &new.client_id).await? {
                return Err(invalid("kind", reason.to_string()));
            }
        }
        sqlx::query(
            "INSERT INTO sessions (id, client_id, journey_id, therapist_id, kind, scheduled_at, duration_minutes, place, video_link, status, note_enc, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'planned', $10, $11, $12)",
        )
        .bind(&id)
        .bind(&new.client_id)
        .bind(new.journey_id.clone())
        .bind(actor.user_id.clone())
        .bind(&new.kind)
        .bind(new.scheduled_at)
        .bind(new.duration_minutes)
        .bind(clean_optional(new.place.clone()))
        .bind(clean_optional(new.video_link.clone()))
        .bind(note_enc)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Session {
            id,
            client_id: new.client_id,
            journey_id: new.journey_id,
            therapist_id: Some(actor.user_id.clone()),
            kind: new.kind,
            scheduled_at: new.scheduled_at,
            duration_minutes: new.duration_minutes,
            place: clean_optional(new.place),
            video_link: clean_optional(new.video_link),
            status: "planned".into(),
            note: new.note.filter(|n| !n.trim().is_empty()),
            plan_key: None,
            contact: "in-person".into(),
            external: None,
        })
    }

    /// A client's sessions, oldest first, notes decrypted. A client sees their sessions without the notes.
    pub async fn sessions(
        &self,
        actor: &Actor,
        client_id: &str,
    ) -> Result<Vec<Session>, StoreError> {
        let mut tx = self.begin_read().await?;
        self.client_in_scope(&mut tx, actor, client_id).await?;
        let sessions = self.load_sessions(&mut tx, actor, client_id).await?;
        tx.commit().await?;
        self.audit_read(actor, "read", "session", &format!("client:{client_id}"))
            .await?;
        Ok(sessions)
    }

    pub(crate) async fn load_sessions(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        client_id: &str,
    ) -> Result<Vec<Session>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM sessions WHERE client_id = $1 ORDER BY scheduled_at, id")
                .bind(client_id)
                .fetch_all(&mut **tx)
                .await?;
        rows.iter()
            .map(|r| {
                let id: String = r.try_get("id")?;
                let note_enc: Option<Vec<u8>> = r.try_get("note_enc")?;
                let note = match (note_enc, actor.role) {
                    (Some(_), Role::Client) | (None, _) => None,
                    (Some(enc), _) => {
                        Some(self.keys.open(&format!("sessions.note_enc.{id}"), &enc)?)
                    }
                };
                let external = match (r.try_get::<Option<Vec<u8>>, _>("external_enc")?, actor.role)
                {
                    (Some(enc), Role::Therapist | Role::Admin | Role::System) => Some(
                        self.keys
                            .open(&format!("sessions.external_enc.{id}"), &enc)?,
                    ),
                    _ => None,
                };
                Ok(Session {
                    id,
                    client_id: r.try_get("client_id")?,
                    journey_id: r.try_get("journey_id")?,
                    therapist_id: r.try_get("therapist_id")?,
                    kind: r.try_get("kind")?,
                    scheduled_at: r.try_get("scheduled_at")?,
                    duration_minutes: r.try_get("duration_minutes")?,
                    place: r.try_get("place")?,
                    video_link: r.try_get("video_link")?,
                    status: r.try_get("status")?,
                    note,
                    plan_key: r.try_get("plan_key")?,
                    contact: r.try_get("contact")?,
                    external,
                })
            })
            .collect()
    }

    /// Stores a questionnaire response: the answers are checked and scored by ferd-core here, and nowhere else. A
    /// client records their own; staff record for clients in their scope. Responses that arrive together are
    /// committed together (see [`crate::response_writer`]); this returns once the response is durable.
    pub async fn record_response(
        &self,
        actor: &Actor,
        client_id: &str,
        assessment_id: Option<&str>,
        instrument: &str,
        answers: &[Option<i64>],
        authored_at: i64,
    ) -> Result<StoredResponse, StoreError> {
        let ins = Catalogue::builtin()
            .require(instrument)
            .map_err(|e| invalid("instrument", e.to_string()))?;
        let response = ins
            .response(answers)
            .map_err(|e| invalid("answers", e.to_string()))?;
        let summary = serde_json::to_value(response.score().summary())
            .map_err(|e| invalid("answers", e.to_string()))?;
        let total = i64::from(response.score().total());
        let answers_json =
            serde_json::to_string(answers).map_err(|e| invalid("answers", e.to_string()))?;
        self.response_writer
            .store(crate::response_writer::NewResponse {
                actor: actor.clone(),
                client_id: client_id.to_string(),
                assessment_id: assessment_id.map(str::to_string),
                instrument: ins,
                answers: answers.to_vec(),
                answers_json,
                total,
                summary,
                authored_at,
                id: new_id(),
            })
            .await
    }

    /// A client's responses, oldest first.
    pub async fn responses(
        &self,
        actor: &Actor,
        client_id: &str,
    ) -> Result<Vec<StoredResponse>, StoreError> {
        let rows = self
            .client_rows(actor, "response", client_id, RESPONSES_SQL)
            .await?;
        rows.iter().map(response_from).collect()
    }

    /// A client's record with all their sessions and responses, read in one transaction under one audit event: what
    /// a client page shows.
    pub async fn history(&self, actor: &Actor, client_id: &str) -> Result<History, StoreError> {
        let mut tx = self.begin_read().await?;
        let client = Self::load_client(&mut tx, actor, client_id).await?;
        let sessions = self.load_sessions(&mut tx, actor, client_id).await?;
        let responses = load_responses(&mut tx, client_id).await?;
        tx.commit().await?;
        self.audit_read(actor, "read", "history", client_id).await?;
        Ok(History {
            client,
            sessions,
            responses,
        })
    }

    /// A client writes a journal entry (encrypted); only the client themself may.
    pub async fn add_journal_entry(
        &self,
        actor: &Actor,
        body: &str,
        shared: bool,
    ) -> Result<JournalEntry, StoreError> {
        let client_id = match (actor.role, &actor.client_id) {
            (Role::Client, Some(c)) => c.clone(),
            _ => {
                return Err(StoreError::Forbidden(
                    "only the client writes in their journal",
                ))
            }
        };
        if body.trim().is_empty() || body.len() > 100_000 {
            return Err(invalid("body", "must be 1–100,000 characters"));
        }
        let id = new_id();
        let enc = self
            .keys
            .seal(&format!("journal_entries.body_enc.{id}"), body)?;
        let now = now_ms();
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "create", "journal_entry", &id).await?;
        self.client_in_scope(&mut tx, actor, &client_id).await?;
        sqlx::query(
            "INSERT INTO journal_entries (id, client_id, shared, body_enc, written_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&id)
        .bind(&client_id)
        .bind(i64::from(shared))
        .bind(enc)
        .bind(now)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(JournalEntry {
            id,
            client_id,
            shared,
            body: body.to_string(),
            written_at: now,
        })
    }

    /// A client's journal: the client sees every entry; staff in scope see only the entries shared with them.
    pub async fn journal(
        &self,
        actor: &Actor,
        client_id: &str,
    ) -> Result<Vec<JournalEntry>, StoreError> {
        let sql = if actor.role == Role::Client {
            "SELECT id, client_id, shared, body_enc, written_at FROM journal_entries WHERE client_id = $1 ORDER BY written_at, id"
        } else {
            "SELECT id, client_id, shared, body_enc, written_at FROM journal_entries WHERE client_id = $1 AND shared = 1 ORDER BY written_at, id"
        };
        let rows = self
            .client_rows(actor, "journal_entry", client_id, sql)
            .await?;
        rows.iter()
            .map(|r| {
                let id: String = r.try_get("id")?;
                let enc: Vec<u8> = r.try_get("body_enc")?;
                Ok(JournalEntry {
                    body: self
                        .keys
                        .open(&format!("journal_entries.body_enc.{id}"), &enc)?,
                    id,
                    client_id: r.try_get("client_id")?,
                    shared: bool_of(r, "shared")?,
                    written_at: r.try_get("written_at")?,
                })
            })
            .collect()
    }

    /// Stores a message from the public site (no signed-in actor; audited as `public`). The message is encrypted.
    pub async fn submit_inquiry(
        &self,
        new: NewInquiry,
        request_id: &str,
    ) -> Result<Inquiry, StoreError> {
        let checked = check_public_inquiry(new)?;
        let public = public_actor(&checked.practice_id, request_id);
        let (_turn, mut tx) = self.begin_write().await?;
        let inquiry = self
            .insert_public_inquiry(&mut tx, &public, checked)
            .await?;
        tx.commit().await?;
        Ok(inquiry)
    }

    /// Writes a checked public inquiry inside the caller's transaction: the message encrypted, the consent with the
    /// notice agreed to, audited as `create inquiry` by `public`. The inbox and the waitlist share it, so an inquiry
    /// is stored the same way wherever it lands.
    pub(crate) async fn insert_public_inquiry(
        &self,
        tx: &mut Transaction<'static, Any>,
        public: &Actor,
        checked: CheckedInquiry,
    ) -> Result<Inquiry, StoreError> {
        let CheckedInquiry {
            practice_id,
            name,
            email,
            phone,
            language,
            message,
            consent_version,
        } = checked;
        let id = new_id();
        let enc = self
            .keys
            .seal(&format!("inquiries.message_enc.{id}"), &message)?;
        let now = now_ms();
        append(tx, public, "create", "inquiry", &id).await?;
        let exists = sqlx::query("SELECT 1 FROM practices WHERE id = $1")
            .bind(&practice_id)
            .fetch_optional(&mut **tx)
            .await?;
        if exists.is_none() {
            return Err(not_found("practice"));
        }
        let consent_at = consent_version.as_ref().map(|_| now);
        sqlx::query(
            "INSERT INTO inquiries (id, practice_id, name, email, phone, language, message_enc, status, created_at, updated_at, consent_at, consent_version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'new', $8, $9, $10, $11)",
        )
        .bind(&id)
        .bind(&practice_id)
        .bind(&name)
        .bind(&email)
        .bind(phone.clone())
        .bind(&language)
        .bind(enc)
        .bind(now)
        .bind(now)
        .bind(consent_at)
        .bind(consent_version.clone())
        .execute(&mut **tx)
        .await?;
        Ok(Inquiry {
            id,
            practice_id,
            name,
            email,
            phone,
            language,
            message,
            status: "new".into(),
            created_at: now,
            consent_at,
            consent_version,
        })
    }

    /// The practice's inquiries, newest first: for its admins and therapists. This is the inbox: an inquiry on the
    /// waitlist is on the waitlist's page instead ([`Store::waitlist`]), so each inquiry is in exactly one place.
    pub async fn inquiries(&self, actor: &Actor) -> Result<Vec<Inquiry>, StoreError> {
        let practice = actor.staff_practice("only the practice's staff read inquiries")?;
        let mut tx = self.begin_read().await?;
        let rows = sqlx::query(
            "SELECT * FROM inquiries WHERE practice_id = $1 \
             AND NOT EXISTS (SELECT 1 FROM waitlist_entries w WHERE w.inquiry_id = inquiries.id) \
             ORDER BY created_at DESC, id",
        )
        .bind(&practice)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        self.audit_read(actor, "list", "inquiry", "*").await?;
        rows.iter().map(|r| inquiry_from(self, r)).collect()
    }

    /// Starts a journey for a client (staff only).
    pub async fn start_journey(
        &self,
        actor: &Actor,
        client_id: &str,
        protocol: &str,
        phase: &str,
        started_at: i64,
    ) -> Result<Journey, StoreError> {
        if !matches!(actor.role, Role::Admin | Role::Therapist) {
            return Err(StoreError::Forbidden("only staff start journeys"));
        }
        for (field, v) in [("protocol", protocol), ("phase", phase)] {
            if v.trim().is_empty() || v.len() > 100 {
                return Err(invalid(field, "must be 1–100 characters"));
            }
        }
        let id = new_id();
        let now = now_ms();
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "create", "journey", &id).await?;
        self.client_in_scope(&mut tx, actor, client_id).await?;
        sqlx::query(
            "INSERT INTO journeys (id, client_id, protocol, phase, status, started_at, ended_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'active', $5, NULL, $6, $7)",
        )
        .bind(&id)
        .bind(client_id)
        .bind(protocol)
        .bind(phase)
        .bind(started_at)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Journey {
            id,
            client_id: client_id.into(),
            protocol: protocol.into(),
            phase: phase.into(),
            status: "active".into(),
            started_at,
        })
    }

    /// A client's journeys, oldest first.
    pub async fn journeys(
        &self,
        actor: &Actor,
        client_id: &str,
    ) -> Result<Vec<Journey>, StoreError> {
        let sql = "SELECT * FROM journeys WHERE client_id = $1 ORDER BY started_at, id";
        let rows = self.client_rows(actor, "journey", client_id, sql).await?;
        rows.iter().map(|r| Ok(Journey::from_row(r)?)).collect()
    }

    /// Makes an instrument due for a client (staff only).
    pub async fn schedule_assessment(
        &self,
        actor: &Actor,
        client_id: &str,
        journey_id: Option<&str>,
        instrument: &str,
        point: &str,
        due_at: i64,
    ) -> Result<Assessment, StoreError> {
        if !matches!(actor.role, Role::Admin | Role::Therapist) {
            return Err(StoreError::Forbidden("only staff schedule assessments"));
        }
        let ins = Catalogue::builtin()
            .require(instrument)
            .map_err(|e| invalid("instrument", e.to_string()))?;
        if point.trim().is_empty() || point.len() > 100 {
            return Err(invalid("point", "must be 1–100 characters"));
        }
        let id = new_id();
        let now = now_ms();
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "create", "assessment", &id).await?;
        self.client_in_scope(&mut tx, actor, client_id).await?;
        sqlx::query(
            "INSERT INTO assessments (id, client_id, journey_id, instrument, point, due_at, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'due', $7, $8)",
        )
        .bind(&id)
        .bind(client_id)
        .bind(journey_id.map(str::to_string))
        .bind(&ins.id)
        .bind(point)
        .bind(due_at)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Assessment {
            id,
            client_id: client_id.into(),
            journey_id: journey_id.map(str::to_string),
            instrument: ins.id.clone(),
            point: point.into(),
            due_at,
            status: "due".into(),
        })
    }

    /// A client's assessments, by due date.
    pub async fn assessments(
        &self,
        actor: &Actor,
        client_id: &str,
    ) -> Result<Vec<Assessment>, StoreError> {
        let sql = "SELECT * FROM assessments WHERE client_id = $1 ORDER BY due_at, id";
        let rows = self
            .client_rows(actor, "assessment", client_id, sql)
            .await?;
        rows.iter().map(|r| Ok(Assessment::from_row(r)?)).collect()
    }

    /// Records a consent. The client gives their own; staff may record one given on paper.
    pub async fn record_consent(
        &self,
        actor: &Actor,
        client_id: &str,
        kind: &str,
        text_version: &str,
        agreed_at: i64,
    ) -> Result<Consent, StoreError> {
        for (field, v) in [("kind", kind), ("text_version", text_version)] {
            if v.trim().is_empty() || v.len() > 100 {
                return Err(invalid(field, "must be 1–100 characters"));
            }
        }
        let id = new_id();
        let now = now_ms();
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "create", "consent", &id).await?;
        self.client_in_scope(&mut tx, actor, client_id).await?;
        sqlx::query(
            "INSERT INTO consents (id, client_id, kind, text_version, agreed_at, withdrawn_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, NULL, $6, $7)",
        )
        .bind(&id)
        .bind(client_id)
        .bind(kind)
        .bind(text_version)
        .bind(agreed_at)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Consent {
            id,
            client_id: client_id.into(),
            kind: kind.into(),
            text_version: text_version.into(),
            agreed_at,
            withdrawn_at: None,
        })
    }

    /// A client's consents.
    pub async fn consents(
        &self,
        actor: &Actor,
        client_id: &str,
    ) -> Result<Vec<Consent>, StoreError> {
        let sql = "SELECT * FROM consents WHERE client_id = $1 ORDER BY agreed_at, id";
        let rows = self.client_rows(actor, "consent", client_id, sql).await?;
        rows.iter().map(|r| Ok(Consent::from_row(r)?)).collect()
    }

    /// Reads one client's records of one kind: appends the read event, checks the client is in the actor's scope,
    /// and runs `sql` with the client id as `$1`, in one transaction.
    async fn client_rows(
        &self,
        actor: &Actor,
        entity: &str,
        client_id: &str,
        sql: &str,
    ) -> Result<Vec<AnyRow>, StoreError> {
        let mut tx = self.begin_read().await?;
        self.client_in_scope(&mut tx, actor, client_id).await?;
        let rows = sqlx::query(sql).bind(client_id).fetch_all(&mut *tx).await?;
        tx.commit().await?;
        self.audit_read(actor, "read", entity, &format!("client:{client_id}"))
            .await?;
        Ok(rows)
    }

    /// Erases a client's personal and clinical data (GDPR art. 17): the client record and everything hanging from
    /// it, and the client's login. What remains is one audit event saying that an erasure happened, by whom. Staff
    /// with the client in scope only.
    pub async fn erase_client(&self, actor: &Actor, client_id: &str) -> Result<(), StoreError> {
        if !matches!(actor.role, Role::Admin | Role::Therapist | Role::System) {
            return Err(StoreError::Forbidden("only staff erase clients"));
        }
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "erase", "client", client_id).await?;
        self.client_in_scope(&mut tx, actor, client_id).await?;
        let user: Option<String> = sqlx::query("SELECT user_id FROM clients WHERE id = $1")
            .bind(client_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        // Children first, explicitly (foreign keys cascade too, but erasure must not depend on a pragma).
        for table in [
            "referrals",
            "risk_assessments",
            "clearances",
            "screenings",
            "alerts",
            "invitations",
            "journal_entries",
            "consents",
            "outcome_ends",
            "responses",
            "assessments",
            "session_readings",
            "sessions",
            "journeys",
        ] {
            sqlx::query(&format!("DELETE FROM {table} WHERE client_id = $1"))
                .bind(client_id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM clients WHERE id = $1")
            .bind(client_id)
            .execute(&mut *tx)
            .await?;
        if let Some(user) = user {
            for table in ["web_sessions", "calendar_feeds"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1"))
                    .bind(&user)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("DELETE FROM users WHERE id = $1 AND role = 'client'")
                .bind(user)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The users of the actor's practice (ferd itself: every user), by e-mail.
    pub async fn users(&self, actor: &Actor) -> Result<Vec<User>, StoreError> {
        let (sql, practice) = match (actor.role, &actor.practice_id) {
            (Role::System, _) => ("SELECT * FROM users ORDER BY email", None),
            (Role::Admin, Some(p)) | (Role::Therapist, Some(p))
                if actor.practice_admin || actor.role == Role::Admin =>
            {
                (
                    "SELECT * FROM users WHERE practice_id = $1 ORDER BY email",
                    Some(p.clone()),
                )
            }
            _ => return Err(StoreError::Forbidden("only admins list users")),
        };
        let mut tx = self.begin_read().await?;
        let mut q = sqlx::query(sql);
        if let Some(p) = practice {
            q = q.bind(p);
        }
        let rows = q.fetch_all(&mut *tx).await?;
        tx.commit().await?;
        self.audit_read(actor, "list", "user", "*").await?;
        rows.iter()
            .map(|r| {
                Ok(User {
                    id: r.try_get("id")?,
                    practice_id: r.try_get("practice_id")?,
                    email: r.try_get("email")?,
                    display_name: r.try_get("display_name")?,
                    role: r.try_get("role")?,
                    practice_admin: bool_of(r, "practice_admin")?,
                    disabled: bool_of(r, "disabled")?,
                })
            })
            .collect()
    }

    /// Changes a user's account: disables or enables it, or sets a new password hash. Admins of the user's practice
    /// and ferd itself only. The user is named by e-mail.
    pub async fn update_user(
        &self,
        actor: &Actor,
        email: &str,
        disabled: Option<bool>,
        password_hash: Option<&str>,
    ) -> Result<User, StoreError> {
        if !matches!(actor.role, Role::System | Role::Admin) {
            return Err(StoreError::Forbidden("only admins change users"));
        }
        let email = email.trim().to_lowercase();
        let (_turn, mut tx) = self.begin_write().await?;
        let row = sqlx::query("SELECT * FROM users WHERE email = $1")
            .bind(&email)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(not_found("user"))?;
        let practice: Option<String> = row.try_get("practice_id")?;
        if actor.role == Role::Admin && practice != actor.practice_id {
            return Err(not_found("user"));
        }
        let id: String = row.try_get("id")?;
        append(&mut tx, actor, "update", "user", &id).await?;
        let now = now_ms();
        if let Some(d) = disabled {
            sqlx::query("UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3")
                .bind(i64::from(d))
                .bind(now)
                .bind(&id)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(h) = password_hash {
            sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
                .bind(h)
                .bind(now)
                .bind(&id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(User {
            id,
            practice_id: practice,
            email,
            display_name: row.try_get("display_name")?,
            role: row.try_get("role")?,
            practice_admin: bool_of(&row, "practice_admin")?,
            disabled: disabled.unwrap_or(bool_of(&row, "disabled")?),
        })
    }

    /// The practices (ferd itself only; for the command line).
    pub async fn practices(&self, actor: &Actor) -> Result<Vec<Practice>, StoreError> {
        if actor.role != Role::System {
            return Err(StoreError::Forbidden(
                "only ferd's own administration lists practices",
            ));
        }
        let rows = sqlx::query("SELECT id, name FROM practices ORDER BY created_at, id")
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Practice {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                })
            })
            .collect()
    }

    /// Builds each client's first and latest response per instrument again from the stored responses (after
    /// responses were written outside the store, as the synthetic registry for the benchmark does). Idempotent.
    pub async fn rebuild_outcome_ends(&self) -> Result<(), StoreError> {
        let (_turn, mut tx) = self.begin_write().await?;
        rebuild_outcome_ends(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The practice's outcome report for the actor's scope (ferd-core summarises; see
    /// [`ferd_core::outcomes::report`]): the command line and the web page both read it here.
    pub async fn outcome_report(
        &self,
        actor: &Actor,
    ) -> Result<ferd_core::outcomes::report::OutcomeReport, StoreError> {
        use ferd_core::journey::JourneyState;
        use ferd_core::outcomes::report::{JourneyEnd, ReportBuilder, INSTRUMENTS};
        if !matches!(actor.role, Role::Admin | Role::Therapist | Role::System) {
            return Err(StoreError::Forbidden("only staff read the outcome report"));
        }
        // One row per instrument: every client's first and latest answers joined into one text
        // (`first|latest|count;…`), so the database hands over one value instead of a row per client.
        let (cond, args) = client_scope(actor, 1);
        let concat = match self.backend {
            Backend::Sqlite => "group_concat",
            Backend::Postgres => "string_agg",
        };
        let instruments = INSTRUMENTS
            .iter()
            .map(|i| format!("'{i}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT e.instrument, {concat}(e.first_answers || '|' || e.latest_answers || '|' || CAST(e.responses AS TEXT), ';') \
             FROM outcome_ends e JOIN clients c ON c.id = e.client_id \
             WHERE {cond} AND e.instrument IN ({instruments}) GROUP BY e.instrument"
        );
        let mut tx = self.begin_read().await?;
        let rows = bind_all(sqlx::query(&sql), args)
            .fetch_all(&mut *tx)
            .await?;
        let journeys = {
            let (cond, args) = client_scope(actor, 1);
            let sql = format!(
                "SELECT j.status, j.phase FROM journeys j JOIN clients c ON c.id = j.client_id WHERE {cond}"
            );
            bind_all(sqlx::query(&sql), args)
                .fetch_all(&mut *tx)
                .await?
        };
        tx.commit().await?;
        self.audit_read(actor, "report", "response", "*").await?;
        let mut builder = ReportBuilder::new();
        let damaged = |what: &str| StoreError::Database(format!("outcome_ends: {what}"));
        for r in &rows {
            let instrument: String = r.try_get(0)?;
            let joined: Option<String> = r.try_get(1)?;
            for client in joined
                .as_deref()
                .unwrap_or("")
                .split(';')
                .filter(|c| !c.is_empty())
            {
                let mut parts = client.split('|');
                let (Some(first), Some(latest), Some(n)) =
                    (parts.next(), parts.next(), parts.next())
                else {
                    return Err(damaged("a malformed entry"));
                };
                let first: Vec<Option<i64>> =
                    serde_json::from_str(first).map_err(|e| damaged(&e.to_string()))?;
                let n: i64 = n.parse().map_err(|_| damaged("a malformed count"))?;
                let latest: Option<Vec<Option<i64>>> = if n >= 2 {
                    Some(serde_json::from_str(latest).map_err(|e| damaged(&e.to_string()))?)
                } else {
                    None
                };
                builder
                    .push_ends(&instrument, &first, latest.as_deref())
                    .map_err(|e| StoreError::Database(e.to_string()))?;
            }
        }
        for r in &journeys {
            let (status, phase): (String, String) = (r.try_get(0)?, r.try_get(1)?);
            let state = JourneyState::from_stored(&phase, &status)
                .map_err(|e| StoreError::Database(format!("a stored journey: {e}")))?;
            let end = match state {
                JourneyState::Active(_) | JourneyState::Paused { .. } => JourneyEnd::Ongoing,
                JourneyState::Completed => JourneyEnd::Completed,
                JourneyState::Withdrawn { .. } => JourneyEnd::Withdrawn,
                JourneyState::ReferredElsewhere { .. } => JourneyEnd::Referred,
            };
            builder.journey(end, state.phase());
        }
        Ok(builder.finish())
    }
}

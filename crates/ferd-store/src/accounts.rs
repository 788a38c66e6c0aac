//! Sign-in state for the web application: who may sign in, their browser sessions, two-factor secrets, throttling
//! of failed attempts, and the one-time invitations by which clients choose a password.
//!
//! The web layer hashes passwords and tokens; this module never sees a password or a raw session token. Sign-in
//! outcomes, second-factor changes and invitation use are audited; looking a session up on each request is not (it
//! reads no practice record).

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::append;
use crate::{new_id, now_ms, Actor, Role, Store, StoreError};

/// Where a browser session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Stage {
    /// The password was right; a TOTP code is awaited.
    SecondFactor,
    /// The password was right, but the user must set up two-factor sign-in before anything else.
    Enrol,
    /// Signed in.
    Full,
}

impl Stage {
    fn as_str(self) -> &'static str {
        match self {
            Stage::SecondFactor => "second-factor",
            Stage::Enrol => "enrol",
            Stage::Full => "full",
        }
    }

    fn parse(s: &str) -> Result<Stage, StoreError> {
        match s {
            "second-factor" => Ok(Stage::SecondFactor),
            "enrol" => Ok(Stage::Enrol),
            "full" => Ok(Stage::Full),
            other => Err(StoreError::Database(format!(
                "unknown session stage {other}"
            ))),
        }
    }
}

/// A user as sign-in sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub practice_id: Option<String>,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub practice_admin: bool,
    /// The argon2id hash, if a password has been chosen.
    pub password_hash: Option<String>,
    pub disabled: bool,
    pub language: Option<String>,
    pub totp_enabled: bool,
    /// For a client: their client record.
    pub client_id: Option<String>,
    /// Whether the user's practice requires two-factor sign-in of its staff.
    pub practice_requires_two_factor: bool,
    /// The practice's time zone (IANA name).
    pub time_zone: String,
}

impl Account {
    /// The actor this account acts as, for one request.
    pub fn actor(&self, request_id: &str) -> Actor {
        Actor {
            user_id: self.id.clone(),
            role: self.role,
            practice_id: self.practice_id.clone(),
            practice_admin: self.practice_admin,
            client_id: self.client_id.clone(),
            request_id: request_id.to_string(),
        }
    }

    /// Whether this user must use a second factor: staff of a practice that requires it.
    pub fn needs_two_factor(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Therapist) && self.practice_requires_two_factor
    }
}

/// A browser session with its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSession {
    /// The SHA-256 of the cookie token.
    pub id: String,
    pub csrf_token: String,
    pub stage: Stage,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    pub account: Account,
}

/// An invitation as its link shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvitationView {
    pub id: String,
    pub client_id: String,
    pub client_name: String,
    pub email: Option<String>,
    pub practice_name: String,
    pub language: String,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    /// Whether the client already has a login.
    pub client_has_login: bool,
}

/// How many failures lock a key out, within what window, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub max_failures: i64,
    pub window_ms: i64,
    pub lockout_ms: i64,
}

const ACCOUNT_SQL: &str = "SELECT u.id, u.practice_id, u.email, u.display_name, u.role, u.practice_admin, \
     u.password_hash, u.disabled, u.language, u.totp_enabled, c.id AS client_id, \
     COALESCE(p.require_two_factor, 1) AS require_two_factor, COALESCE(p.time_zone, 'Europe/Oslo') AS time_zone \
     FROM users u LEFT JOIN clients c ON c.user_id = u.id LEFT JOIN practices p ON p.id = u.practice_id";

fn account_from(r: &AnyRow) -> Result<Account, StoreError> {
    let role: String = r.try_get("role")?;
    Ok(Account {
        id: r.try_get("id")?,
        practice_id: r.try_get("practice_id")?,
        email: r.try_get("email")?,
        display_name: r.try_get("display_name")?,
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Database(format!("unknown role {role}")))?,
        practice_admin: r.try_get::<i64, _>("practice_admin")? != 0,
        password_hash: r.try_get("password_hash")?,
        disabled: r.try_get::<i64, _>("disabled")? != 0,
        language: r.try_get("language")?,
        totp_enabled: r.try_get::<i64, _>("totp_enabled")? != 0,
        client_id: r.try_get("client_id")?,
        practice_requires_two_factor: r.try_get::<i64, _>("require_two_factor")? != 0,
        time_zone: r.try_get("time_zone")?,
    })
}

fn invalid(field: &'static str, message: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        field,
        message: message.into(),
    }
}

/// The actor used to audit what happens before anyone is signed in.
fn public(request_id: &str, practice_id: Option<String>) -> Actor {
    Actor {
        user_id: "public".into(),
        role: Role::System,
        practice_id,
        practice_admin: false,
        client_id: None,
        request_id: request_id.to_string(),
    }
}

const LANGUAGES: [&str; 3] = ["nb", "en", "sv"];

/// Ends every browser session of a user, inside `tx` (a password, second factor or account change).
async fn end_sessions(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM web_sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    /// The account with this e-mail address, for checking a password. Not audited: the sign-in outcome is.
    pub async fn account_by_email(&self, email: &str) -> Result<Option<Account>, StoreError> {
        let email = email.trim().to_lowercase();
        let row = sqlx::query(&format!("{ACCOUNT_SQL} WHERE u.email = $1"))
            .bind(email)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(account_from).transpose()
    }

    /// The account with this id.
    pub async fn account(&self, user_id: &str) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query(&format!("{ACCOUNT_SQL} WHERE u.id = $1"))
            .bind(user_id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(account_from).transpose()
    }

    /// Records a sign-in attempt's outcome in the audit trail (`sign-in`, `sign-in-failed`, `sign-out`, …). The
    /// user is named by id when known, else `unknown`: the e-mail address typed is never logged.
    pub async fn audit_sign_in(
        &self,
        user_id: Option<&str>,
        action: &str,
        request_id: &str,
    ) -> Result<(), StoreError> {
        let actor = match user_id {
            Some(id) => Actor {
                user_id: id.to_string(),
                ..public(request_id, None)
            },
            None => public(request_id, None),
        };
        let (_turn, mut tx) = self.begin_write().await?;
        append(
            &mut tx,
            &actor,
            action,
            "user",
            user_id.unwrap_or("unknown"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The time until which any of `keys` is locked out, if one is.
    pub async fn sign_in_locked_until(
        &self,
        keys: &[String],
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        let mut until: Option<i64> = None;
        for key in keys {
            let row = sqlx::query("SELECT locked_until FROM sign_in_failures WHERE key = $1")
                .bind(key)
                .fetch_optional(self.pool())
                .await?;
            if let Some(row) = row {
                let locked: Option<i64> = row.try_get(0)?;
                if let Some(t) = locked.filter(|t| *t > now) {
                    until = Some(until.map_or(t, |u| u.max(t)));
                }
            }
        }
        Ok(until)
    }

    /// Counts a failed sign-in against each key; returns the lock-out end if this failure caused one.
    pub async fn note_sign_in_failure(
        &self,
        keys: &[String],
        now: i64,
        policy: ThrottlePolicy,
    ) -> Result<Option<i64>, StoreError> {
        let (_turn, mut tx) = self.begin_write().await?;
        let mut locked = None;
        for key in keys {
            let row = sqlx::query("SELECT failures, first_at FROM sign_in_failures WHERE key = $1")
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?;
            let (failures, first_at) = match row {
                Some(r) => {
                    let (f, first): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
                    if now - first > policy.window_ms {
                        (1, now)
                    } else {
                        (f + 1, first)
                    }
                }
                None => (1, now),
            };
            let locked_until = (failures >= policy.max_failures).then_some(now + policy.lockout_ms);
            if locked_until.is_some() {
                locked = locked_until;
            }
            // After a lock-out the count starts again, so each further run of failures locks again.
            let stored_failures = if locked_until.is_some() { 0 } else { failures };
            sqlx::query(
                "INSERT INTO sign_in_failures (key, failures, first_at, locked_until, updated_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (key) DO UPDATE SET failures = $2, first_at = $3, \
                 locked_until = COALESCE($4, sign_in_failures.locked_until), updated_at = $5",
            )
            .bind(key)
            .bind(stored_failures)
            .bind(first_at)
            .bind(locked_until)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(locked)
    }

    /// Forgets the failures counted against `keys` (after a successful sign-in).
    pub async fn clear_sign_in_failures(&self, keys: &[String]) -> Result<(), StoreError> {
        // A write outside a transaction still takes its turn (see `Store::write_turn`).
        let _turn = self.write_turn().await;
        for key in keys {
            sqlx::query("DELETE FROM sign_in_failures WHERE key = $1 AND (locked_until IS NULL OR locked_until < $2)")
                .bind(key)
                .bind(now_ms())
                .execute(self.pool())
                .await?;
        }
        Ok(())
    }

    /// Starts a browser session for a user whose password was right.
    pub async fn create_web_session(
        &self,
        user_id: &str,
        token_hash: &str,
        csrf_token: &str,
        stage: Stage,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        // A write outside a transaction still takes its turn (see `Store::write_turn`).
        let _turn = self.write_turn().await;
        let now = now_ms();
        sqlx::query(
            "INSERT INTO web_sessions (id, user_id, csrf_token, stage, last_seen_at, expires_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(stage.as_str())
        .bind(now)
        .bind(expires_at)
        .bind(now)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The unexpired session with this token hash, with its user. A disabled user has no session.
    pub async fn web_session(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<WebSession>, StoreError> {
        let sql = format!(
            "SELECT s.id AS session_id, s.csrf_token, s.stage, s.created_at AS session_created_at, s.last_seen_at, s.expires_at, a.* \
             FROM web_sessions s JOIN ({ACCOUNT_SQL}) a ON a.id = s.user_id \
             WHERE s.id = $1 AND s.expires_at > $2 AND a.disabled = 0"
        );
        let row = sqlx::query(&sql)
            .bind(token_hash)
            .bind(now)
            .fetch_optional(self.pool())
            .await?;
        let Some(r) = row else { return Ok(None) };
        let stage: String = r.try_get("stage")?;
        Ok(Some(WebSession {
            id: r.try_get("session_id")?,
            csrf_token: r.try_get("csrf_token")?,
            stage: Stage::parse(&stage)?,
            created_at: r.try_get("session_created_at")?,
            last_seen_at: r.try_get("last_seen_at")?,
            expires_at: r.try_get("expires_at")?,
            account: account_from(&r)?,
        }))
    }

    /// Notes activity on a session and extends its idle expiry.
    pub async fn touch_web_session(
        &self,
        token_hash: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        // A write outside a transaction still takes its turn (see `Store::write_turn`).
        let _turn = self.write_turn().await;
        sqlx::query(
            "UPDATE web_sessions SET last_seen_at = $1, expires_at = $2, updated_at = $1 WHERE id = $3",
        )
        .bind(now)
        .bind(expires_at)
        .bind(token_hash)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Ends one browser session.
    pub async fn delete_web_session(&self, token_hash: &str) -> Result<(), StoreError> {
        // A write outside a transaction still takes its turn (see `Store::write_turn`).
        let _turn = self.write_turn().await;
        sqlx::query("DELETE FROM web_sessions WHERE id = $1")
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Ends every browser session of the acting user ("sign out everywhere"). Returns how many ended.
    pub async fn sign_out_everywhere(&self, actor: &Actor) -> Result<u64, StoreError> {
        let (_turn, mut tx) = self.begin_write().await?;
        append(
            &mut tx,
            actor,
            "sign-out-everywhere",
            "user",
            &actor.user_id,
        )
        .await?;
        let n = sqlx::query("DELETE FROM web_sessions WHERE user_id = $1")
            .bind(&actor.user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(n)
    }

    /// Stores a new, not yet confirmed TOTP secret for the acting user (encrypted like clinical text).
    pub async fn begin_totp_enrolment(
        &self,
        actor: &Actor,
        secret: &str,
    ) -> Result<(), StoreError> {
        let sealed = self
            .keys()
            .seal(&format!("users.totp_secret_enc.{}", actor.user_id), secret)?;
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "begin-two-factor", "user", &actor.user_id).await?;
        sqlx::query(
            "UPDATE users SET totp_secret_enc = $1, totp_enabled = 0, totp_last_step = NULL, updated_at = $2 WHERE id = $3",
        )
        .bind(sealed)
        .bind(now_ms())
        .bind(&actor.user_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user's TOTP secret, decrypted, if one is stored.
    pub async fn totp_secret(&self, user_id: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT totp_secret_enc FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(self.pool())
            .await?;
        let enc: Option<Vec<u8>> = match row {
            Some(r) => r.try_get(0)?,
            None => None,
        };
        enc.map(|e| {
            self.keys()
                .open(&format!("users.totp_secret_enc.{user_id}"), &e)
        })
        .transpose()
        .map_err(StoreError::from)
    }

    /// Accepts a TOTP time step for the user once: returns false if this step (or a later one) was already used, so
    /// a code seen over someone's shoulder cannot be replayed. On success the second factor is enabled (if it was
    /// being set up) and the session `token_hash` becomes fully signed in.
    pub async fn accept_totp_step(
        &self,
        user_id: &str,
        step: i64,
        token_hash: &str,
        request_id: &str,
    ) -> Result<bool, StoreError> {
        let actor = Actor {
            user_id: user_id.to_string(),
            ..public(request_id, None)
        };
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, &actor, "second-factor", "user", user_id).await?;
        let updated = sqlx::query(
            "UPDATE users SET totp_last_step = $1, totp_enabled = 1, updated_at = $2 \
             WHERE id = $3 AND totp_secret_enc IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(now_ms())
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 0 {
            // Nothing is changed; the audit event is dropped with the transaction and the failure is audited
            // separately by the caller.
            return Ok(false);
        }
        sqlx::query("UPDATE web_sessions SET stage = 'full', updated_at = $1 WHERE id = $2 AND user_id = $3")
            .bind(now_ms())
            .bind(token_hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Marks a session fully signed in (when no second factor is needed).
    pub async fn complete_web_session(&self, token_hash: &str) -> Result<(), StoreError> {
        // A write outside a transaction still takes its turn (see `Store::write_turn`).
        let _turn = self.write_turn().await;
        sqlx::query("UPDATE web_sessions SET stage = 'full', updated_at = $1 WHERE id = $2")
            .bind(now_ms())
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// An admin removes a user's second factor (a lost phone): the user sets it up again at the next sign-in. Every
    /// session of the user ends.
    pub async fn reset_second_factor(
        &self,
        actor: &Actor,
        user_id: &str,
    ) -> Result<(), StoreError> {
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "reset-two-factor", "user", user_id).await?;
        self.user_in_admin_scope(&mut tx, actor, user_id).await?;
        sqlx::query(
            "UPDATE users SET totp_secret_enc = NULL, totp_enabled = 0, totp_last_step = NULL, updated_at = $1 WHERE id = $2",
        )
        .bind(now_ms())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        end_sessions(&mut tx, user_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// An admin sets a new password hash for a user of their practice; every session of the user ends.
    pub async fn reset_password(
        &self,
        actor: &Actor,
        user_id: &str,
        password_hash: &str,
    ) -> Result<(), StoreError> {
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "reset-password", "user", user_id).await?;
        self.user_in_admin_scope(&mut tx, actor, user_id).await?;
        sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(password_hash)
            .bind(now_ms())
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        end_sessions(&mut tx, user_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// An admin disables or enables a user of their practice; disabling ends every session of the user.
    pub async fn set_user_disabled(
        &self,
        actor: &Actor,
        user_id: &str,
        disabled: bool,
    ) -> Result<(), StoreError> {
        if actor.user_id == user_id && disabled {
            return Err(invalid("user", "an admin cannot disable their own account"));
        }
        let (_turn, mut tx) = self.begin_write().await?;
        append(
            &mut tx,
            actor,
            if disabled { "disable" } else { "enable" },
            "user",
            user_id,
        )
        .await?;
        self.user_in_admin_scope(&mut tx, actor, user_id).await?;
        sqlx::query("UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3")
            .bind(i64::from(disabled))
            .bind(now_ms())
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if disabled {
            end_sessions(&mut tx, user_id).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The acting user changes their own password, given the new hash; their other sessions end.
    pub async fn change_own_password(
        &self,
        actor: &Actor,
        password_hash: &str,
        keep_session: &str,
    ) -> Result<(), StoreError> {
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "change-password", "user", &actor.user_id).await?;
        sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(password_hash)
            .bind(now_ms())
            .bind(&actor.user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM web_sessions WHERE user_id = $1 AND id <> $2")
            .bind(&actor.user_id)
            .bind(keep_session)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The acting user's interface language (`None`: follow the browser).
    pub async fn set_language(
        &self,
        actor: &Actor,
        language: Option<&str>,
    ) -> Result<(), StoreError> {
        // A write outside a transaction still takes its turn (see `Store::write_turn`).
        let _turn = self.write_turn().await;
        if let Some(l) = language {
            if !LANGUAGES.contains(&l) {
                return Err(invalid(
                    "language",
                    format!("must be one of {}", LANGUAGES.join(", ")),
                ));
            }
        }
        sqlx::query("UPDATE users SET language = $1, updated_at = $2 WHERE id = $3")
            .bind(language.map(str::to_string))
            .bind(now_ms())
            .bind(&actor.user_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// An admin turns the practice's two-factor requirement for staff on or off.
    pub async fn set_practice_two_factor(
        &self,
        actor: &Actor,
        required: bool,
    ) -> Result<(), StoreError> {
        let practice = actor.admin_practice("only an admin changes practice settings")?;
        let (_turn, mut tx) = self.begin_write().await?;
        append(
            &mut tx,
            actor,
            if required {
                "require-two-factor"
            } else {
                "waive-two-factor"
            },
            "practice",
            &practice,
        )
        .await?;
        sqlx::query("UPDATE practices SET require_two_factor = $1, updated_at = $2 WHERE id = $3")
            .bind(i64::from(required))
            .bind(now_ms())
            .bind(&practice)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The practice's settings as its staff see them: (name, two-factor required, time zone).
    pub async fn practice_settings(
        &self,
        actor: &Actor,
    ) -> Result<(String, bool, String), StoreError> {
        let practice = actor
            .practice_id
            .clone()
            .ok_or(StoreError::NotFound { entity: "practice" })?;
        let row =
            sqlx::query("SELECT name, require_two_factor, time_zone FROM practices WHERE id = $1")
                .bind(practice)
                .fetch_optional(self.pool())
                .await?
                .ok_or(StoreError::NotFound { entity: "practice" })?;
        Ok((
            row.try_get(0)?,
            row.try_get::<i64, _>(1)? != 0,
            row.try_get(2)?,
        ))
    }

    /// Checks, inside `tx`, that `user_id` belongs to the admin's practice (not found otherwise).
    async fn user_in_admin_scope(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        actor: &Actor,
        user_id: &str,
    ) -> Result<(), StoreError> {
        let admin =
            actor.role == Role::Admin || (actor.role == Role::Therapist && actor.practice_admin);
        if !admin {
            return Err(StoreError::Forbidden("only an admin changes users"));
        }
        let ok = sqlx::query("SELECT 1 FROM users WHERE id = $1 AND practice_id = $2")
            .bind(user_id)
            .bind(actor.practice_id.clone())
            .fetch_optional(&mut **tx)
            .await?;
        if ok.is_none() {
            // A client's login has no practice of its own: it is in scope through the client record.
            let client =
                sqlx::query("SELECT 1 FROM clients WHERE user_id = $1 AND practice_id = $2")
                    .bind(user_id)
                    .bind(actor.practice_id.clone())
                    .fetch_optional(&mut **tx)
                    .await?;
            if client.is_none() {
                return Err(StoreError::NotFound { entity: "user" });
            }
        }
        Ok(())
    }

    /// Creates a one-time invitation for a client in the actor's scope to choose a password. For a client who has
    /// a login already, the link sets a new password (a client who forgot theirs asks their therapist). Any earlier
    /// unused invitation of the client stops working.
    pub async fn create_invitation(
        &self,
        actor: &Actor,
        client_id: &str,
        token_hash: &str,
        expires_at: i64,
    ) -> Result<String, StoreError> {
        if !matches!(actor.role, Role::Admin | Role::Therapist) {
            return Err(StoreError::Forbidden("only staff invite clients"));
        }
        let id = new_id();
        let now = now_ms();
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "create", "invitation", &id).await?;
        let client = Self::load_client(&mut tx, actor, client_id).await?;
        if client.email.is_none() {
            return Err(invalid(
                "email",
                "the client needs an e-mail address to sign in with",
            ));
        }
        sqlx::query("UPDATE invitations SET expires_at = $1, updated_at = $1 WHERE client_id = $2 AND used_at IS NULL AND expires_at > $1")
            .bind(now)
            .bind(client_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO invitations (id, token_hash, client_id, created_by, expires_at, used_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, NULL, $6, $7)",
        )
        .bind(&id)
        .bind(token_hash)
        .bind(client_id)
        .bind(&actor.user_id)
        .bind(expires_at)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The invitation with this token hash, whatever its state (the caller tells expired and used apart).
    pub async fn invitation(&self, token_hash: &str) -> Result<Option<InvitationView>, StoreError> {
        let row = sqlx::query(
            "SELECT i.id, i.client_id, c.name AS client_name, c.email, p.name AS practice_name, c.preferred_language, \
             i.expires_at, i.used_at, c.user_id FROM invitations i JOIN clients c ON c.id = i.client_id \
             JOIN practices p ON p.id = c.practice_id WHERE i.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await?;
        let Some(r) = row else { return Ok(None) };
        let user: Option<String> = r.try_get("user_id")?;
        Ok(Some(InvitationView {
            id: r.try_get("id")?,
            client_id: r.try_get("client_id")?,
            client_name: r.try_get("client_name")?,
            email: r.try_get("email")?,
            practice_name: r.try_get("practice_name")?,
            language: r.try_get("preferred_language")?,
            expires_at: r.try_get("expires_at")?,
            used_at: r.try_get("used_at")?,
            client_has_login: user.is_some(),
        }))
    }

    /// Uses an invitation: creates the client's login with the chosen password hash and links it to the client
    /// record (or, for a client who has a login, sets its new password), in one transaction. Fails without changing anything if the invitation is unknown, used or expired.
    /// Returns the new user's id.
    pub async fn accept_invitation(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: i64,
        request_id: &str,
    ) -> Result<String, StoreError> {
        let user_id = new_id();
        let actor = Actor {
            user_id: user_id.clone(),
            role: Role::Client,
            ..public(request_id, None)
        };
        let (_turn, mut tx) = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT i.id, i.client_id, i.expires_at, i.used_at, c.email, c.user_id, c.name, c.preferred_language \
             FROM invitations i JOIN clients c ON c.id = i.client_id WHERE i.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "invitation" })?;
        let invitation_id: String = row.try_get("id")?;
        append(&mut tx, &actor, "accept", "invitation", &invitation_id).await?;
        let used: Option<i64> = row.try_get("used_at")?;
        let expires: i64 = row.try_get("expires_at")?;
        let linked: Option<String> = row.try_get("user_id")?;
        if used.is_some() {
            return Err(invalid("invitation", "has already been used"));
        }
        if expires <= now {
            return Err(invalid("invitation", "has expired"));
        }
        if let Some(existing) = linked {
            // A new password for an existing login: every session of it ends.
            sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3 AND role = 'client'")
                .bind(password_hash)
                .bind(now)
                .bind(&existing)
                .execute(&mut *tx)
                .await?;
            end_sessions(&mut tx, &existing).await?;
            sqlx::query("UPDATE invitations SET used_at = $1, updated_at = $1 WHERE id = $2")
                .bind(now)
                .bind(&invitation_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            return Ok(existing);
        }
        let email: Option<String> = row.try_get("email")?;
        let email = email.ok_or_else(|| invalid("email", "the client has no e-mail address"))?;
        let client_id: String = row.try_get("client_id")?;
        let name: String = row.try_get("name")?;
        let language: String = row.try_get("preferred_language")?;
        let inserted = sqlx::query(
            "INSERT INTO users (id, practice_id, email, display_name, role, practice_admin, password_hash, disabled, language, created_at, updated_at) \
             VALUES ($1, NULL, $2, $3, 'client', 0, $4, 0, $5, $6, $7)",
        )
        .bind(&user_id)
        .bind(&email)
        .bind(&name)
        .bind(password_hash)
        .bind(&language)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await;
        if let Err(e) = inserted {
            return Err(crate::records::email_taken(e));
        }
        sqlx::query("UPDATE clients SET user_id = $1, updated_at = $2 WHERE id = $3")
            .bind(&user_id)
            .bind(now)
            .bind(&client_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE invitations SET used_at = $1, updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(&invitation_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(user_id)
    }
}

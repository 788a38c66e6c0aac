//! API tokens: how another system (an EHR, a trial's data capture, a statistician's script) reaches a practice's
//! data through the FHIR and JSON APIs. A practice admin creates a token, sees it once, and can revoke it; ferd keeps
//! only its SHA-256. A token speaks for one practice, with the reach of a practice-admin therapist (every client of
//! the practice), either read-only or read-write; every use is audited under the token's own name
//! (`api-token:<id>`), never as a person.

use rusqlite::OptionalExtension;
use serde::Serialize;
use sqlx::Row;

use crate::audit::append;
use crate::{new_id, now_ms, Actor, Role, Store, StoreError};

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenScope {
    /// Read only.
    Read,
    /// Read, create and change.
    Write,
}

impl TokenScope {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::Write => "write",
        }
    }

    pub fn parse(s: &str) -> Option<TokenScope> {
        match s {
            "read" => Some(TokenScope::Read),
            "write" => Some(TokenScope::Write),
            _ => None,
        }
    }
}

/// A token as the admin sees it (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub scope: TokenScope,
    pub created_by: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// A live token presented with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenHolder {
    pub token_id: String,
    pub name: String,
    pub practice_id: String,
    pub scope: TokenScope,
    pub last_used_at: Option<i64>,
}

impl TokenHolder {
    /// The actor the store sees: the token, with a practice-admin therapist's reach in its practice.
    pub fn actor(&self, request_id: &str) -> Actor {
        Actor {
            user_id: format!("{TOKEN_ACTOR_PREFIX}{}", self.token_id),
            role: Role::Therapist,
            practice_id: Some(self.practice_id.clone()),
            practice_admin: true,
            client_id: None,
            request_id: request_id.to_string(),
        }
    }
}

/// How a token's actor id begins (`api-token:<id>`), in the audit trail and wherever a person is told apart.
pub(crate) const TOKEN_ACTOR_PREFIX: &str = "api-token:";

fn token_of(r: &sqlx::any::AnyRow) -> Result<ApiToken, StoreError> {
    let scope: String = r.try_get("scope")?;
    Ok(ApiToken {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        prefix: r.try_get("prefix")?,
        scope: TokenScope::parse(&scope)
            .ok_or_else(|| StoreError::Database(format!("unknown token scope {scope}")))?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        last_used_at: r.try_get("last_used_at")?,
        revoked_at: r.try_get("revoked_at")?,
    })
}

impl Store {
    /// A practice admin creates a token; the caller made the token and passes its SHA-256 and its first
    /// characters. The name says what uses it (e.g. "DIPS integration").
    pub async fn create_api_token(
        &self,
        actor: &Actor,
        name: &str,
        scope: TokenScope,
        token_hash: &str,
        prefix: &str,
    ) -> Result<ApiToken, StoreError> {
        let practice = actor.person_admin_practice("only a practice admin manages API tokens")?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(StoreError::Invalid {
                field: "name",
                message: "must be 1–100 characters".into(),
            });
        }
        let id = new_id();
        let now = now_ms();
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "create", "api_token", &id).await?;
        sqlx::query(
            "INSERT INTO api_tokens (id, practice_id, name, token_hash, prefix, scope, created_by, last_used_at, revoked_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL, $8, $8)",
        )
        .bind(&id)
        .bind(&practice)
        .bind(name)
        .bind(token_hash)
        .bind(prefix)
        .bind(scope.as_str())
        .bind(&actor.user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(ApiToken {
            id,
            name: name.to_string(),
            prefix: prefix.to_string(),
            scope,
            created_by: actor.user_id.clone(),
            created_at: now,
            last_used_at: None,
            revoked_at: None,
        })
    }

    /// The practice's tokens, newest first, revoked ones included (marked).
    pub async fn api_tokens(&self, actor: &Actor) -> Result<Vec<ApiToken>, StoreError> {
        let practice = actor.person_admin_practice("only a practice admin manages API tokens")?;
        let mut tx = self.begin_read().await?;
        let rows = sqlx::query(
            "SELECT id, name, prefix, scope, created_by, created_at, last_used_at, revoked_at FROM api_tokens \
             WHERE practice_id = $1 ORDER BY created_at DESC, id",
        )
        .bind(&practice)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        self.audit_read(actor, "list", "api_token", "*").await?;
        rows.iter().map(token_of).collect()
    }

    /// Revokes a token of the admin's practice: it stops working at once.
    pub async fn revoke_api_token(&self, actor: &Actor, token_id: &str) -> Result<(), StoreError> {
        let practice = actor.person_admin_practice("only a practice admin manages API tokens")?;
        let now = now_ms();
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "revoke", "api_token", token_id).await?;
        let n = sqlx::query(
            "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $1), updated_at = $1 WHERE id = $2 AND practice_id = $3",
        )
        .bind(now)
        .bind(token_id)
        .bind(&practice)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound {
                entity: "api token",
            });
        }
        tx.commit().await?;
        Ok(())
    }

    /// The live token with this SHA-256, if any (a revoked one is not live). Notes its use at most once a minute.
    pub async fn api_token_holder(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<TokenHolder>, StoreError> {
        const LIVE: &str = "SELECT id, name, practice_id, scope, last_used_at FROM api_tokens \
                            WHERE token_hash = $1 AND revoked_at IS NULL";
        let found: Option<(String, String, String, String, Option<i64>)> = match &self.sqlite_reads
        {
            Some(reads) => reads.read(|conn| {
                conn.prepare_cached(LIVE)?
                    .query_row([token_hash], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                    })
                    .optional()
            })?,
            None => sqlx::query(LIVE)
                .bind(token_hash)
                .fetch_optional(self.pool())
                .await?
                .map(|r| {
                    Ok::<_, sqlx::Error>((
                        r.try_get(0)?,
                        r.try_get(1)?,
                        r.try_get(2)?,
                        r.try_get(3)?,
                        r.try_get(4)?,
                    ))
                })
                .transpose()?,
        };
        let Some((token_id, name, practice_id, scope, last_used_at)) = found else {
            return Ok(None);
        };
        let holder = TokenHolder {
            token_id,
            name,
            practice_id,
            scope: TokenScope::parse(&scope)
                .ok_or_else(|| StoreError::Database(format!("unknown token scope {scope}")))?,
            last_used_at,
        };
        if holder.last_used_at.is_none_or(|t| now - t > 60_000) {
            let _turn = self.write_turn().await;
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(now)
                .bind(&holder.token_id)
                .execute(self.pool())
                .await?;
        }
        Ok(Some(holder))
    }
}

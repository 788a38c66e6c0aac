//! `ferd token create|list|revoke`: API tokens from the command line, for an operator setting up an integration
//! and for CI. The same store operations as the administration page: the token is shown once (printed alone on
//! standard output, so a script can capture it), only its SHA-256 is kept, and every step is audited.
//!
//! A token belongs to a practice and is recorded as created by one of its admins: the one named with `--admin`,
//! or the practice's only admin when there is exactly one. The audit events name that admin, with a request id
//! that starts `cli-`, so the command line is told apart from the administration page.

use ferd_store::{Actor, Role, Store, TokenScope, User};

use crate::admin::Settings;
use crate::Failure;

/// The admin to act as: the one with `email`, or the only one.
async fn acting_admin(store: &Store, email: Option<&str>) -> Result<Actor, Failure> {
    let users = store
        .users(&Actor::system(format!("cli-{}", uuid::Uuid::new_v4())))
        .await
        .map_err(Failure::from_store)?;
    let is_admin = |u: &&User| {
        !u.disabled && u.practice_id.is_some() && (u.role == "admin" || u.practice_admin)
    };
    let admin = match email {
        Some(e) => {
            let e = e.trim().to_lowercase();
            let user = users.iter().find(|u| u.email == e).ok_or_else(|| {
                Failure::input(format!("--admin: no user with the e-mail address {e}"))
            })?;
            if !is_admin(&user) {
                return Err(Failure::input(format!(
                    "--admin: {e} is not an active admin of a practice (`ferd user list` shows who is)"
                )));
            }
            user
        }
        None => {
            let admins: Vec<&User> = users.iter().filter(is_admin).collect();
            match admins.as_slice() {
                [one] => *one,
                [] => {
                    return Err(Failure::input(
                        "no active practice admin to create the token for: create a practice with `ferd init`",
                    ))
                }
                several => {
                    return Err(Failure::input(format!(
                        "several admins ({}): name the one the token is made for with --admin EMAIL",
                        several
                            .iter()
                            .map(|u| u.email.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )))
                }
            }
        }
    };
    Ok(Actor {
        user_id: admin.id.clone(),
        role: if admin.role == "admin" {
            Role::Admin
        } else {
            Role::Therapist
        },
        practice_id: admin.practice_id.clone(),
        practice_admin: admin.practice_admin,
        client_id: None,
        request_id: format!("cli-{}", uuid::Uuid::new_v4()),
    })
}

/// `ferd token create`: prints the token alone (once); what it is goes to standard error.
pub async fn create(
    settings: &Settings,
    name: &str,
    scope: &str,
    admin: Option<&str>,
) -> Result<String, Failure> {
    let scope = TokenScope::parse(scope)
        .ok_or_else(|| Failure::input(format!("--scope: '{scope}' is not read or write")))?;
    let store = settings.open().await?;
    let result = async {
        let actor = acting_admin(&store, admin).await?;
        let token = format!("ferd_{}", ferd_web::auth::random_token());
        let prefix: String = token.chars().take(10).collect();
        let created = store
            .create_api_token(
                &actor,
                name,
                scope,
                &ferd_web::auth::token_hash(&token),
                &prefix,
            )
            .await
            .map_err(Failure::from_store)?;
        eprintln!(
            "API token {} \"{}\" ({}), shown this once: ferd keeps only its SHA-256. Send it as Authorization: Bearer <token>.",
            created.id,
            created.name,
            created.scope.as_str()
        );
        Ok(token)
    }
    .await;
    store.close().await;
    result
}

fn when(ms: Option<i64>) -> String {
    ms.and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
        .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|| "-".into())
}

/// `ferd token list`: the practice's tokens (never the tokens themselves).
pub async fn list(settings: &Settings, admin: Option<&str>) -> Result<String, Failure> {
    let store = settings.open().await?;
    let result = async {
        let actor = acting_admin(&store, admin).await?;
        let tokens = store
            .api_tokens(&actor)
            .await
            .map_err(Failure::from_store)?;
        let mut out = format!(
            "{:<36}  {:<11}  {:<5}  {:<20}  {:<20}  {:<8}  {}\n",
            "ID", "STARTS", "SCOPE", "CREATED", "LAST USED", "STATUS", "NAME"
        );
        for t in &tokens {
            out.push_str(&format!(
                "{:<36}  {:<11}  {:<5}  {:<20}  {:<20}  {:<8}  {}\n",
                t.id,
                format!("{}…", t.prefix),
                t.scope.as_str(),
                when(Some(t.created_at)),
                when(t.last_used_at),
                if t.revoked_at.is_some() {
                    "revoked"
                } else {
                    "live"
                },
                t.name
            ));
        }
        if tokens.is_empty() {
            out.push_str("(no tokens)\n");
        }
        Ok(out.trim_end().to_string())
    }
    .await;
    store.close().await;
    result
}

/// `ferd token revoke`: the token stops working at once.
pub async fn revoke(settings: &Settings, id: &str, admin: Option<&str>) -> Result<String, Failure> {
    let store = settings.open().await?;
    let result = async {
        let actor = acting_admin(&store, admin).await?;
        store
            .revoke_api_token(&actor, id.trim())
            .await
            .map_err(Failure::from_store)?;
        Ok(format!("API token {} revoked", id.trim()))
    }
    .await;
    store.close().await;
    result
}

//! Who acts. Every store function takes an [`Actor`] and reaches only what that actor may see.

use crate::StoreError;

/// A user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    Therapist,
    Client,
    /// ferd itself, for command-line administration (`ferd init`, `ferd user add`): audited as `system`.
    System,
}

impl Role {
    /// The role's name as stored and audited.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Therapist => "therapist",
            Role::Client => "client",
            Role::System => "system",
        }
    }

    /// Parses a stored role name.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "therapist" => Some(Role::Therapist),
            "client" => Some(Role::Client),
            _ => None,
        }
    }
}

/// The acting user, as the web layer or the CLI established it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: String,
    pub role: Role,
    /// The practice the user belongs to (none for `System`).
    pub practice_id: Option<String>,
    /// A therapist who administers their practice sees all its clients.
    pub practice_admin: bool,
    /// For a client: their client record.
    pub client_id: Option<String>,
    /// Correlates the audit events of one request.
    pub request_id: String,
}

impl Actor {
    /// ferd itself, acting from the command line.
    pub fn system(request_id: impl Into<String>) -> Actor {
        Actor {
            user_id: "system".into(),
            role: Role::System,
            practice_id: None,
            practice_admin: true,
            client_id: None,
            request_id: request_id.into(),
        }
    }

    /// The actor's practice, for its staff (admins and therapists); `refused` says what others may not do.
    pub(crate) fn staff_practice(&self, refused: &'static str) -> Result<String, StoreError> {
        match (self.role, &self.practice_id) {
            (Role::Admin | Role::Therapist, Some(p)) => Ok(p.clone()),
            _ => Err(StoreError::Forbidden(refused)),
        }
    }

    /// The practice the actor administers: an admin's, or a practice-admin therapist's; `refused` says what others
    /// may not do.
    pub(crate) fn admin_practice(&self, refused: &'static str) -> Result<String, StoreError> {
        match (self.role, &self.practice_id) {
            (Role::Admin, Some(p)) => Ok(p.clone()),
            (Role::Therapist, Some(p)) if self.practice_admin => Ok(p.clone()),
            _ => Err(StoreError::Forbidden(refused)),
        }
    }

    /// The practice a person administers: as [`Actor::admin_practice`], but never through an API token (which acts
    /// as a practice-admin therapist and is an integration, not a person).
    pub(crate) fn person_admin_practice(
        &self,
        refused: &'static str,
    ) -> Result<String, StoreError> {
        if self.user_id.starts_with(crate::tokens::TOKEN_ACTOR_PREFIX) {
            return Err(StoreError::Forbidden(refused));
        }
        self.admin_practice(refused)
    }
}

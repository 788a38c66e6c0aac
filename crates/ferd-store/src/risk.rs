//! Suicide-risk assessments recorded by a clinician (the C-SSRS screener's result). A result that calls for it
//! raises a suicidal-ideation alert in the same transaction; the rule is ferd-core's.

use ferd_core::risk::RiskAssessment;
use serde::Serialize;
use sqlx::Row;

use crate::audit::append;
use crate::{new_id, now_ms, Actor, Role, Store, StoreError};

/// A recorded risk assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskRecord {
    pub id: String,
    pub ideation_level: i64,
    pub recent_behaviour: bool,
    pub assessed_at: i64,
    pub assessed_by: String,
    pub note: Option<String>,
}

impl Store {
    /// A clinician records a C-SSRS screener result for a client in their scope. Ideation at level 4 or 5, or
    /// recent behaviour, raises a suicidal-ideation alert that stays until someone records what was done.
    pub async fn record_risk_assessment(
        &self,
        actor: &Actor,
        client_id: &str,
        ideation_level: i64,
        recent_behaviour: bool,
        assessed_at: i64,
        note: Option<&str>,
    ) -> Result<String, StoreError> {
        if actor.role != Role::Therapist {
            return Err(StoreError::Forbidden(
                "only a clinician records a risk assessment",
            ));
        }
        let result = RiskAssessment::new(ideation_level, recent_behaviour).map_err(|e| {
            StoreError::Invalid {
                field: "ideation_level",
                message: e.to_string(),
            }
        })?;
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        if note.is_some_and(|n| n.len() > 20_000) {
            return Err(StoreError::Invalid {
                field: "note",
                message: "must be at most 20,000 characters".into(),
            });
        }
        let id = new_id();
        let sealed = note
            .map(|n| {
                self.keys()
                    .seal(&format!("risk_assessments.note_enc.{id}"), n)
            })
            .transpose()?;
        let now = now_ms();
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "create", "risk_assessment", &id).await?;
        Self::load_client(&mut tx, actor, client_id).await?;
        sqlx::query(
            "INSERT INTO risk_assessments (id, client_id, instrument, ideation_level, recent_behaviour, assessed_at, assessed_by, note_enc, created_at, updated_at) \
             VALUES ($1, $2, 'c-ssrs-screener', $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&id)
        .bind(client_id)
        .bind(i64::from(result.ideation_level()))
        .bind(i64::from(result.recent_behaviour()))
        .bind(assessed_at)
        .bind(&actor.user_id)
        .bind(sealed)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if result.needs_alert() {
            crate::workspace::insert_alert(
                &mut tx,
                client_id,
                "suicidal-ideation",
                &id,
                Some("c-ssrs"),
                assessed_at,
                now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// A client's risk assessments, newest first (staff in scope).
    pub async fn risk_assessments(
        &self,
        actor: &Actor,
        client_id: &str,
    ) -> Result<Vec<RiskRecord>, StoreError> {
        if !matches!(actor.role, Role::Therapist | Role::Admin | Role::System) {
            return Err(StoreError::Forbidden("only staff read risk assessments"));
        }
        let mut tx = self.begin_read().await?;
        Self::load_client(&mut tx, actor, client_id).await?;
        let rows = sqlx::query(
            "SELECT r.id, r.ideation_level, r.recent_behaviour, r.assessed_at, u.display_name, r.note_enc \
             FROM risk_assessments r JOIN users u ON u.id = r.assessed_by WHERE r.client_id = $1 ORDER BY r.assessed_at DESC, r.id",
        )
        .bind(client_id)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        self.audit_read(
            actor,
            "read",
            "risk_assessment",
            &format!("client:{client_id}"),
        )
        .await?;
        rows.iter()
            .map(|r| {
                let id: String = r.try_get(0)?;
                let note: Option<Vec<u8>> = r.try_get(5)?;
                Ok(RiskRecord {
                    note: note
                        .map(|n| {
                            self.keys()
                                .open(&format!("risk_assessments.note_enc.{id}"), &n)
                        })
                        .transpose()?,
                    id,
                    ideation_level: r.try_get(1)?,
                    recent_behaviour: r.try_get::<i64, _>(2)? != 0,
                    assessed_at: r.try_get(3)?,
                    assessed_by: r.try_get(4)?,
                })
            })
            .collect()
    }
}

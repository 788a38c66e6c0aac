//! The journey as the store keeps it: moves through ferd-core's state machine with the facts counted from the
//! records in the same transaction, sessions and assessments made from a protocol template, medicine sessions
//! booked only when the core's guard allows, screenings with their findings, and a named clinician's clearance.

use ferd_core::journey::{
    can_schedule_medicine, transition, ClearanceStatus, JourneyEvent, JourneyFacts, JourneyState,
    Protocols, TransitionError,
};
use serde::Serialize;
use sqlx::{Any, Row, Transaction};

use crate::audit::append;
use crate::{new_id, now_ms, Actor, Role, Store, StoreError};

/// A session made from a protocol template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedSessionRow {
    pub plan_key: String,
    pub kind: String,
    /// `in-person`, `video` or `phone`.
    pub contact: String,
    pub scheduled_at: i64,
    pub duration_minutes: i64,
}

/// An assessment made from a protocol template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedAssessmentRow {
    pub plan_key: String,
    pub instrument: String,
    pub point: String,
    pub due_at: i64,
}

/// A client's current journey with the facts its guards are judged on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JourneyView {
    pub id: String,
    pub protocol: String,
    pub state: JourneyState,
    pub facts: JourneyFacts,
    pub started_at: i64,
}

/// A screening with its findings and the clinician's decision, if any.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Screening {
    pub id: String,
    pub client_id: String,
    /// The intake answers as the web sent them (JSON), decrypted.
    pub answers: serde_json::Value,
    /// The findings ferd-core's rules gave (JSON), decrypted.
    pub findings: serde_json::Value,
    pub worst_severity: Option<String>,
    pub submitted_at: i64,
    pub decision: Option<Clearance>,
}

/// A named clinician's decision on a screening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clearance {
    pub id: String,
    /// `cleared` or `refused`.
    pub decision: String,
    pub clinician: String,
    pub decided_at: i64,
    pub comment: Option<String>,
}

fn invalid(field: &'static str, message: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        field,
        message: message.into(),
    }
}

/// The client's latest journey that has not ended (active or paused), inside `tx`.
pub(crate) async fn open_journey(
    tx: &mut Transaction<'static, Any>,
    client_id: &str,
) -> Result<Option<(String, String, String, String, i64)>, StoreError> {
    let row = sqlx::query(
        "SELECT id, protocol, phase, status, started_at FROM journeys WHERE client_id = $1 \
         AND status IN ('active', 'paused') ORDER BY started_at DESC, id DESC LIMIT 1",
    )
    .bind(client_id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| {
        Ok((
            r.try_get(0)?,
            r.try_get(1)?,
            r.try_get(2)?,
            r.try_get(3)?,
            r.try_get(4)?,
        ))
    })
    .transpose()
}

/// Counts, inside `tx`, what the guards need: the latest clearance decision, sessions held by kind, and the
/// integration sessions held since the latest medicine session.
pub(crate) async fn facts(
    tx: &mut Transaction<'static, Any>,
    client_id: &str,
    protocol: &str,
) -> Result<JourneyFacts, StoreError> {
    let mut facts = match Protocols::builtin().get(protocol) {
        Some(p) => JourneyFacts::for_protocol(p),
        None => JourneyFacts::default(),
    };
    let decision: Option<String> = sqlx::query(
        "SELECT decision FROM clearances WHERE client_id = $1 ORDER BY decided_at DESC, id DESC LIMIT 1",
    )
    .bind(client_id)
    .fetch_optional(&mut **tx)
    .await?
    .map(|r| r.try_get(0))
    .transpose()?;
    facts.clearance = match decision.as_deref() {
        Some("cleared") => ClearanceStatus::Signed,
        Some("refused") => ClearanceStatus::Refused,
        _ => ClearanceStatus::NotRecorded,
    };
    let held = |kind: &'static str| {
        sqlx::query("SELECT COUNT(*) FROM sessions WHERE client_id = $1 AND kind = $2 AND status = 'held' AND contact <> 'phone'")
            .bind(client_id.to_string())
            .bind(kind)
    };
    facts.preparation_held = held("preparation")
        .fetch_one(&mut **tx)
        .await?
        .try_get::<i64, _>(0)? as u32;
    facts.medicine_held = held("medicine")
        .fetch_one(&mut **tx)
        .await?
        .try_get::<i64, _>(0)? as u32;
    let last_medicine: Option<i64> = sqlx::query(
        "SELECT MAX(scheduled_at) FROM sessions WHERE client_id = $1 AND kind = 'medicine' AND status = 'held'",
    )
    .bind(client_id)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    // Since the latest medicine session; since the start when none has been held (an integration-only journey).
    facts.integration_held_since_medicine = sqlx::query(
        "SELECT COUNT(*) FROM sessions WHERE client_id = $1 AND kind = 'integration' AND status = 'held' \
         AND contact <> 'phone' AND scheduled_at > $2",
    )
    .bind(client_id)
    .bind(last_medicine.unwrap_or(i64::MIN))
    .fetch_one(&mut **tx)
    .await?
    .try_get::<i64, _>(0)? as u32;
    Ok(facts)
}

impl Store {
    /// Moves the client's journey by `event` through ferd-core's state machine, judged on the facts counted in the
    /// same transaction. A refused move changes nothing and comes back as `Ok(Err(reason))`.
    pub async fn journey_event(
        &self,
        actor: &Actor,
        client_id: &str,
        event: JourneyEvent,
    ) -> Result<Result<JourneyState, TransitionError>, StoreError> {
        if !matches!(actor.role, Role::Therapist | Role::Admin) {
            return Err(StoreError::Forbidden("only staff move journeys"));
        }
        let (_turn, mut tx) = self.begin_write().await?;
        append(
            &mut tx,
            actor,
            "journey-event",
            "journey",
            &format!("client:{client_id}"),
        )
        .await?;
        Self::load_client(&mut tx, actor, client_id).await?;
        let Some((id, protocol, phase, status, _)) = open_journey(&mut tx, client_id).await? else {
            return Err(StoreError::NotFound { entity: "journey" });
        };
        let state = JourneyState::from_stored(&phase, &status)
            .map_err(|e| StoreError::Database(e.to_string()))?;
        let facts = facts(&mut tx, client_id, &protocol).await?;
        let next = match transition(&state, event, &facts) {
            Ok(next) => next,
            Err(reason) => return Ok(Err(reason)),
        };
        let now = now_ms();
        let ended = match next {
            JourneyState::Active(_) | JourneyState::Paused { .. } => None,
            _ => Some(now),
        };
        sqlx::query("UPDATE journeys SET phase = $1, status = $2, ended_at = $3, updated_at = $4 WHERE id = $5")
            .bind(next.phase().as_str())
            .bind(next.status())
            .bind(ended)
            .bind(now)
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Ok(next))
    }

    /// Starts a journey on a protocol template: the journey (at intake, unless the client already has one open,
    /// which keeps its state and takes the protocol) and the template's sessions and assessments, in one
    /// transaction. Medicine sessions are not among them: they are booked with [`Store::book_medicine_session`]
    /// once the guard allows.
    pub async fn start_protocol(
        &self,
        actor: &Actor,
        client_id: &str,
        protocol: &str,
        sessions: &[PlannedSessionRow],
        assessments: &[PlannedAssessmentRow],
    ) -> Result<String, StoreError> {
        if !matches!(actor.role, Role::Therapist | Role::Admin) {
            return Err(StoreError::Forbidden("only staff start journeys"));
        }
        if Protocols::builtin().get(protocol).is_none() {
            return Err(invalid("protocol", "is not a known protocol template"));
        }
        if let Some(s) = sessions.iter().find(|s| s.kind == "medicine") {
            return Err(invalid(
                "sessions",
                format!(
                    "{} is a medicine session: book it once the guard allows",
                    s.plan_key
                ),
            ));
        }
        let (_turn, mut tx) = self.begin_write().await?;
        append(
            &mut tx,
            actor,
            "start-protocol",
            "journey",
            &format!("client:{client_id}"),
        )
        .await?;
        Self::load_client(&mut tx, actor, client_id).await?;
        let now = now_ms();
        let journey_id = match open_journey(&mut tx, client_id).await? {
            Some((id, ..)) => {
                sqlx::query("UPDATE journeys SET protocol = $1, updated_at = $2 WHERE id = $3")
                    .bind(protocol)
                    .bind(now)
                    .bind(&id)
                    .execute(&mut *tx)
                    .await?;
                id
            }
            None => {
                let id = new_id();
                sqlx::query(
                    "INSERT INTO journeys (id, client_id, protocol, phase, status, started_at, ended_at, created_at, updated_at) \
                     VALUES ($1, $2, $3, 'intake', 'active', $4, NULL, $5, $6)",
                )
                .bind(&id)
                .bind(client_id)
                .bind(protocol)
                .bind(now)
                .bind(now)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                id
            }
        };
        for s in sessions {
            if !["in-person", "video", "phone"].contains(&s.contact.as_str()) {
                return Err(invalid("contact", "must be in-person, video or phone"));
            }
            sqlx::query(
                "INSERT INTO sessions (id, client_id, journey_id, therapist_id, kind, scheduled_at, duration_minutes, place, video_link, status, note_enc, created_at, updated_at, plan_key, contact) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL, 'planned', NULL, $8, $9, $10, $11)",
            )
            .bind(new_id())
            .bind(client_id)
            .bind(&journey_id)
            .bind(&actor.user_id)
            .bind(&s.kind)
            .bind(s.scheduled_at)
            .bind(s.duration_minutes)
            .bind(now)
            .bind(now)
            .bind(&s.plan_key)
            .bind(&s.contact)
            .execute(&mut *tx)
            .await?;
        }
        for a in assessments {
            sqlx::query(
                "INSERT INTO assessments (id, client_id, journey_id, instrument, point, due_at, status, created_at, updated_at, plan_key) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'due', $7, $8, $9)",
            )
            .bind(new_id())
            .bind(client_id)
            .bind(&journey_id)
            .bind(&a.instrument)
            .bind(&a.point)
            .bind(a.due_at)
            .bind(now)
            .bind(now)
            .bind(&a.plan_key)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(journey_id)
    }

    /// Books a medicine session, if ferd-core's guard allows it on the facts counted in the same transaction (a
    /// signed clearance, the preparation done, a session left in the protocol). `external` (clinic, responsible
    /// clinician, referral note, as JSON) is sealed. A refusal changes nothing and comes back as `Ok(Err(reason))`.
    pub async fn book_medicine_session(
        &self,
        actor: &Actor,
        client_id: &str,
        scheduled_at: i64,
        duration_minutes: i64,
        plan_key: Option<&str>,
        external: Option<&str>,
    ) -> Result<Result<String, TransitionError>, StoreError> {
        if !matches!(actor.role, Role::Therapist | Role::Admin) {
            return Err(StoreError::Forbidden("only staff book medicine sessions"));
        }
        if !(1..=24 * 60).contains(&duration_minutes) {
            return Err(invalid("duration_minutes", "must be 1–1440"));
        }
        let id = new_id();
        let sealed = external
            .map(|e| self.keys().seal(&format!("sessions.external_enc.{id}"), e))
            .transpose()?;
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "book-medicine", "session", &id).await?;
        Self::load_client(&mut tx, actor, client_id).await?;
        let journey_id = open_journey(&mut tx, client_id).await?.map(|(jid, ..)| jid);
        if let Err(reason) = medicine_allowed(&mut tx, client_id).await? {
            return Ok(Err(reason));
        }
        let now = now_ms();
        sqlx::query(
            "INSERT INTO sessions (id, client_id, journey_id, therapist_id, kind, scheduled_at, duration_minutes, place, video_link, status, note_enc, created_at, updated_at, plan_key, contact, external_enc) \
             VALUES ($1, $2, $3, $4, 'medicine', $5, $6, NULL, NULL, 'planned', NULL, $7, $8, $9, 'in-person', $10)",
        )
        .bind(&id)
        .bind(client_id)
        .bind(journey_id)
        .bind(&actor.user_id)
        .bind(scheduled_at)
        .bind(duration_minutes)
        .bind(now)
        .bind(now)
        .bind(plan_key.map(str::to_string))
        .bind(sealed)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// The external details of a medicine session (JSON as stored), decrypted.
    pub async fn medicine_session_external(
        &self,
        actor: &Actor,
        session_id: &str,
    ) -> Result<Option<String>, StoreError> {
        let mut tx = self.begin_read().await?;
        let row = sqlx::query("SELECT client_id, external_enc FROM sessions WHERE id = $1")
            .bind(session_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound { entity: "session" })?;
        let client_id: String = row.try_get(0)?;
        let enc: Option<Vec<u8>> = row.try_get(1)?;
        Self::load_client(&mut tx, actor, &client_id)
            .await
            .map_err(|_| StoreError::NotFound { entity: "session" })?;
        tx.commit().await?;
        self.audit_read(actor, "read", "session", session_id)
            .await?;
        enc.map(|e| {
            self.keys()
                .open(&format!("sessions.external_enc.{session_id}"), &e)
        })
        .transpose()
        .map_err(StoreError::from)
    }

    /// Stores a screening: the intake answers and the findings ferd-core gave (both JSON, both sealed). The client
    /// submits their own; staff may enter one from a paper form.
    pub async fn record_screening(
        &self,
        actor: &Actor,
        client_id: &str,
        answers_json: &str,
        findings_json: &str,
        worst_severity: Option<&str>,
    ) -> Result<String, StoreError> {
        if answers_json.len() > 200_000 || findings_json.len() > 2_000_000 {
            return Err(invalid("answers", "are too long"));
        }
        let id = new_id();
        let answers = self
            .keys()
            .seal(&format!("screenings.answers_enc.{id}"), answers_json)?;
        let findings = self
            .keys()
            .seal(&format!("screenings.findings_enc.{id}"), findings_json)?;
        let now = now_ms();
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "create", "screening", &id).await?;
        Self::load_client(&mut tx, actor, client_id).await?;
        sqlx::query(
            "INSERT INTO screenings (id, client_id, answers_enc, findings_enc, worst_severity, submitted_by, submitted_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&id)
        .bind(client_id)
        .bind(answers)
        .bind(findings)
        .bind(worst_severity.map(str::to_string))
        .bind(&actor.user_id)
        .bind(now)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A client's screenings, newest first, each with its clearance decision (staff only).
    pub async fn screenings(
        &self,
        actor: &Actor,
        client_id: &str,
    ) -> Result<Vec<Screening>, StoreError> {
        if !matches!(actor.role, Role::Therapist | Role::Admin | Role::System) {
            return Err(StoreError::Forbidden("only staff read screenings"));
        }
        let mut tx = self.begin_read().await?;
        Self::load_client(&mut tx, actor, client_id).await?;
        let screenings = self.load_screenings(&mut tx, client_id).await?;
        tx.commit().await?;
        self.audit_read(actor, "read", "screening", &format!("client:{client_id}"))
            .await?;
        Ok(screenings)
    }

    /// A client's screenings with their decisions, decrypted, inside `tx`.
    pub(crate) async fn load_screenings(
        &self,
        tx: &mut Transaction<'static, Any>,
        client_id: &str,
    ) -> Result<Vec<Screening>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, answers_enc, findings_enc, worst_severity, submitted_at FROM screenings WHERE client_id = $1 \
             ORDER BY submitted_at DESC, id",
        )
        .bind(client_id)
        .fetch_all(&mut **tx)
        .await?;
        let decisions = sqlx::query(
            "SELECT cl.id, cl.screening_id, cl.decision, u.display_name, cl.decided_at, cl.comment_enc \
             FROM clearances cl JOIN users u ON u.id = cl.clinician_id WHERE cl.client_id = $1 ORDER BY cl.decided_at, cl.id",
        )
        .bind(client_id)
        .fetch_all(&mut **tx)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: String = r.try_get(0)?;
            let answers = self.keys().open(
                &format!("screenings.answers_enc.{id}"),
                &r.try_get::<Vec<u8>, _>(1)?,
            )?;
            let findings = self.keys().open(
                &format!("screenings.findings_enc.{id}"),
                &r.try_get::<Vec<u8>, _>(2)?,
            )?;
            let mut decision = None;
            for d in &decisions {
                let sid: String = d.try_get(1)?;
                if sid == id {
                    let did: String = d.try_get(0)?;
                    let comment: Option<Vec<u8>> = d.try_get(5)?;
                    decision = Some(Clearance {
                        comment: comment
                            .map(|c| {
                                self.keys()
                                    .open(&format!("clearances.comment_enc.{did}"), &c)
                            })
                            .transpose()?,
                        id: did,
                        decision: d.try_get(2)?,
                        clinician: d.try_get(3)?,
                        decided_at: d.try_get(4)?,
                    });
                }
            }
            out.push(Screening {
                answers: serde_json::from_str(&answers)
                    .map_err(|e| StoreError::Database(e.to_string()))?,
                findings: serde_json::from_str(&findings)
                    .map_err(|e| StoreError::Database(e.to_string()))?,
                id,
                client_id: client_id.to_string(),
                worst_severity: r.try_get(3)?,
                submitted_at: r.try_get(4)?,
                decision,
            });
        }
        Ok(out)
    }

    /// A named clinician (a therapist of the practice, signed in) records clearance or refusal of a screening, with
    /// a comment (sealed). ferd never clears anyone by itself: this is the only way a clearance comes to exist.
    pub async fn record_clearance(
        &self,
        actor: &Actor,
        client_id: &str,
        screening_id: &str,
        decision: &str,
        comment: Option<&str>,
    ) -> Result<String, StoreError> {
        if actor.role != Role::Therapist {
            return Err(StoreError::Forbidden("only a clinician records clearance"));
        }
        if !["cleared", "refused"].contains(&decision) {
            return Err(invalid("decision", "must be cleared or refused"));
        }
        let comment = comment.map(str::trim).filter(|c| !c.is_empty());
        if comment.is_some_and(|c| c.len() > 20_000) {
            return Err(invalid("comment", "must be at most 20,000 characters"));
        }
        if decision == "refused" && comment.is_none() {
            return Err(invalid("comment", "a refusal needs a reason"));
        }
        let id = new_id();
        let sealed = comment
            .map(|c| self.keys().seal(&format!("clearances.comment_enc.{id}"), c))
            .transpose()?;
        let now = now_ms();
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, decision, "clearance", &id).await?;
        Self::load_client(&mut tx, actor, client_id).await?;
        let ok =
            sqlx::query("SELECT worst_severity FROM screenings WHERE id = $1 AND client_id = $2")
                .bind(screening_id)
                .bind(client_id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(found) = ok else {
            return Err(StoreError::NotFound {
                entity: "screening",
            });
        };
        // Clearing someone despite an exclusion, or a finding that needs medical clearance, needs the clinician's
        // reasons in writing.
        let worst: Option<String> = found.try_get(0)?;
        if decision == "cleared"
            && comment.is_none()
            && matches!(worst.as_deref(), Some("exclusion" | "clearance-required"))
        {
            return Err(invalid(
                "comment",
                "clearing despite such findings needs the reasons",
            ));
        }
        sqlx::query(
            "INSERT INTO clearances (id, client_id, screening_id, decision, clinician_id, decided_at, comment_enc, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&id)
        .bind(client_id)
        .bind(screening_id)
        .bind(decision)
        .bind(&actor.user_id)
        .bind(now)
        .bind(sealed)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}

/// The client's current journey with its facts, inside `tx`.
pub(crate) async fn load_journey_view(
    tx: &mut Transaction<'static, Any>,
    client_id: &str,
) -> Result<Option<JourneyView>, StoreError> {
    let Some((id, protocol, phase, status, started_at)) = open_journey(tx, client_id).await? else {
        return Ok(None);
    };
    let state = JourneyState::from_stored(&phase, &status)
        .map_err(|e| StoreError::Database(e.to_string()))?;
    let facts = facts(tx, client_id, &protocol).await?;
    Ok(Some(JourneyView {
        id,
        protocol,
        state,
        facts,
        started_at,
    }))
}

/// Checks, inside `tx`, that ferd-core's guard allows booking a medicine session for the client.
pub(crate) async fn medicine_allowed(
    tx: &mut Transaction<'static, Any>,
    client_id: &str,
) -> Result<Result<(), TransitionError>, StoreError> {
    let protocol = open_journey(tx, client_id)
        .await?
        .map(|(_, protocol, ..)| protocol)
        .unwrap_or_default();
    let facts = facts(tx, client_id, &protocol).await?;
    Ok(can_schedule_medicine(&facts))
}

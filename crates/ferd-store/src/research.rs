//! The research export: pseudonymous, minimal data for a statistician. Research ids instead of identities; no
//! names, contact details or free text; every date shifted by a secret per-client offset (±182 days, kept in the
//! database and never exported), so intervals within a client survive but calendar dates do not; ages in bands.
//! Every export is audited.

use sqlx::Row;

use crate::records::{bind_all, client_scope};
use crate::{Actor, Role, Store, StoreError};

const DAY_MS: i64 = 86_400_000;

/// A random offset in whole days in −182..=182, never 0.
pub(crate) fn random_offset_days() -> Result<i64, StoreError> {
    let mut b = [0u8; 2];
    getrandom::getrandom(&mut b).map_err(|_| StoreError::Crypto(crate::CryptoError::Random))?;
    let n = i64::from(u16::from_le_bytes(b) % 364); // 0..=363
    Ok(if n < 182 { n - 182 } else { n - 181 }) // −182..=−1 and 1..=182
}

/// The age band of an age in years.
pub fn age_band(age: i64) -> &'static str {
    match age {
        i64::MIN..=17 => "under 18",
        18..=24 => "18-24",
        25..=34 => "25-34",
        35..=44 => "35-44",
        45..=54 => "45-54",
        55..=64 => "55-64",
        _ => "65+",
    }
}

/// One client in the export.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ResearchClient {
    pub research_id: String,
    /// Age at the first response (or at export, without responses), in a band; `None` without a birth year.
    pub age_band: Option<String>,
    pub preferred_language: String,
}

/// One response in the export, its date shifted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ResearchResponse {
    pub research_id: String,
    pub instrument: String,
    pub instrument_version: String,
    /// Shifted time, Unix milliseconds.
    pub authored_at: i64,
    pub answers: Vec<Option<i64>>,
}

/// One session in the export (no place, link or note), its date shifted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ResearchSession {
    pub research_id: String,
    pub kind: String,
    pub scheduled_at: i64,
    pub duration_minutes: i64,
    pub status: String,
}

/// Everything the research export holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ResearchData {
    pub clients: Vec<ResearchClient>,
    pub responses: Vec<ResearchResponse>,
    pub sessions: Vec<ResearchSession>,
}

fn year_of(ms: i64) -> i64 {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .map_or(1970, |t| i64::from(t.year()))
}

impl Store {
    /// The research data of every client in the actor's scope (admins and practice-admin therapists; ferd itself).
    pub async fn research_export(&self, actor: &Actor) -> Result<ResearchData, StoreError> {
        let allowed = matches!(actor.role, Role::System | Role::Admin)
            || (actor.role == Role::Therapist && actor.practice_admin);
        if !allowed {
            return Err(StoreError::Forbidden(
                "only a practice's admins export research data",
            ));
        }
        // A write transaction: clients created before research offsets existed get one here.
        let (_turn, mut tx) = self.begin_write().await?;
        crate::audit::append(
            &mut tx,
            actor,
            "research-export",
            "practice",
            actor.practice_id.as_deref().unwrap_or("*"),
        )
        .await?;
        // The roles allowed above see their whole practice (ferd itself: every practice).
        let (scope, binds) = client_scope(actor, 1);
        let clients_sql = format!(
            "SELECT c.id, c.research_id, c.birth_year, c.preferred_language, c.research_offset_days, \
             (SELECT MIN(r.authored_at) FROM responses r WHERE r.client_id = c.id) \
             FROM clients c WHERE {scope} ORDER BY c.research_id"
        );
        let query = bind_all(sqlx::query(&clients_sql), binds.clone());
        let rows = query.fetch_all(&mut *tx).await?;
        let mut offsets = std::collections::HashMap::new();
        let mut clients = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: String = r.try_get(0)?;
            let research_id: String = r.try_get(1)?;
            let birth_year: Option<i64> = r.try_get(2)?;
            let offset = match r.try_get::<Option<i64>, _>(4)? {
                Some(o) => o,
                None => {
                    // Clients created before offsets existed get one now, kept for every later export.
                    let o = random_offset_days()?;
                    sqlx::query("UPDATE clients SET research_offset_days = $1 WHERE id = $2")
                        .bind(o)
                        .bind(&id)
                        .execute(&mut *tx)
                        .await?;
                    o
                }
            };
            let first: Option<i64> = r.try_get(5)?;
            let at = first.unwrap_or_else(crate::now_ms);
            clients.push(ResearchClient {
                age_band: birth_year.map(|y| age_band(year_of(at) - y).to_string()),
                research_id: research_id.clone(),
                preferred_language: r.try_get(3)?,
            });
            offsets.insert(id, (research_id, offset * DAY_MS));
        }
        let mut responses = Vec::new();
        let mut sessions = Vec::new();
        let responses_sql = format!(
            "SELECT r.client_id, r.instrument, r.instrument_version, r.authored_at, r.answers FROM responses r \
             JOIN clients c ON c.id = r.client_id WHERE {scope} ORDER BY r.client_id, r.authored_at, r.id"
        );
        let query = bind_all(sqlx::query(&responses_sql), binds.clone());
        for r in query.fetch_all(&mut *tx).await? {
            let client: String = r.try_get(0)?;
            let Some((research_id, shift)) = offsets.get(&client) else {
                continue;
            };
            let answers: String = r.try_get(4)?;
            responses.push(ResearchResponse {
                research_id: research_id.clone(),
                instrument: r.try_get(1)?,
                instrument_version: r.try_get(2)?,
                authored_at: r.try_get::<i64, _>(3)? + shift,
                answers: serde_json::from_str(&answers)
                    .map_err(|e| StoreError::Database(e.to_string()))?,
            });
        }
        let sessions_sql = format!(
            "SELECT s.client_id, s.kind, s.scheduled_at, s.duration_minutes, s.status FROM sessions s \
             JOIN clients c ON c.id = s.client_id WHERE {scope} ORDER BY s.client_id, s.scheduled_at, s.id"
        );
        let query = bind_all(sqlx::query(&sessions_sql), binds.clone());
        for r in query.fetch_all(&mut *tx).await? {
            let client: String = r.try_get(0)?;
            let Some((research_id, shift)) = offsets.get(&client) else {
                continue;
            };
            sessions.push(ResearchSession {
                research_id: research_id.clone(),
                kind: r.try_get(1)?,
                scheduled_at: r.try_get::<i64, _>(2)? + shift,
                duration_minutes: r.try_get(3)?,
                status: r.try_get(4)?,
            });
        }
        tx.commit().await?;
        Ok(ResearchData {
            clients,
            responses,
            sessions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_within_half_a_year_and_never_zero() {
        for _ in 0..2000 {
            let o = random_offset_days().unwrap();
            assert!((-182..=182).contains(&o) && o != 0, "{o}");
        }
        assert_eq!(age_band(17), "under 18");
        assert_eq!(age_band(18), "18-24");
        assert_eq!(age_band(34), "25-34");
        assert_eq!(age_band(65), "65+");
    }
}

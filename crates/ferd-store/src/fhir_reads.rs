//! The reads behind ferd's FHIR API: stored responses, sessions and journeys found by id, client and time, a page
//! at a time, within the actor's scope. Each search or read is one read transaction and one audit event (`search`
//! or `read`), like every other read of client data. The mapping to FHIR resources is ferd-core's.

use serde::Serialize;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{Any, Row, Transaction};

use crate::records::client_scope;
use crate::{Actor, Store, StoreError, StoredResponse};

/// A condition on a time column (Unix milliseconds), as a FHIR date search makes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeFilter {
    /// At or after.
    From(i64),
    /// Strictly before.
    Before(i64),
    /// Before `from` or at or after `to` (FHIR's `ne`).
    Outside { from: i64, to: i64 },
}

/// Which responses to find. Every condition given must hold.
#[derive(Debug, Clone, Default)]
pub struct ResponseSearch {
    pub id: Option<String>,
    pub client_id: Option<String>,
    /// Only these instruments, each with its weight: how many results one response counts for (an Observation
    /// search counts Observations, and a PHQ-9 response makes two). `None`: every instrument, weight 1.
    pub instruments: Option<Vec<(String, i64)>>,
    pub authored: Vec<TimeFilter>,
    /// Results (weighted) to skip, and responses to return at most.
    pub offset: i64,
    pub count: i64,
}

/// A page of matches, and how many there are in all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page<T> {
    pub total: i64,
    pub items: Vec<T>,
}

/// A response found by [`Store::fhir_responses`], with the weighted number of matches before it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseMatch {
    pub response: StoredResponse,
    pub before: i64,
}

/// Which sessions to find.
#[derive(Debug, Clone, Default)]
pub struct SessionSearch {
    pub id: Option<String>,
    pub client_id: Option<String>,
    /// Conditions on the session's start.
    pub start: Vec<TimeFilter>,
    pub offset: i64,
    pub count: i64,
}

/// A session as the FHIR API shows it: no note, no video link, nothing sealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionSummary {
    pub id: String,
    pub client_id: String,
    pub journey_id: Option<String>,
    pub kind: String,
    pub status: String,
    pub contact: String,
    pub scheduled_at: i64,
    pub duration_minutes: i64,
    pub place: Option<String>,
}

/// Which journeys to find.
#[derive(Debug, Clone, Default)]
pub struct JourneySearch {
    pub id: Option<String>,
    pub client_id: Option<String>,
    pub offset: i64,
    pub count: i64,
}

/// A journey with its sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JourneyPlan {
    pub id: String,
    pub client_id: String,
    pub protocol: String,
    pub phase: String,
    pub status: String,
    pub started_at: i64,
    pub ended_at: Option<i64>,
    pub sessions: Vec<SessionSummary>,
}

/// A value to bind.
enum Arg {
    Text(String),
    Int(i64),
}

/// A `WHERE` clause with its arguments, numbered as they are added.
struct Filter {
    sql: String,
    args: Vec<Arg>,
}

impl Filter {
    /// Starts with the actor's scope on `clients c`.
    fn scoped(actor: &Actor) -> Filter {
        let (cond, args) = client_scope(actor, 1);
        Filter {
            sql: cond,
            args: args.into_iter().map(Arg::Text).collect(),
        }
    }

    /// The placeholder of a new argument.
    fn arg(&mut self, a: Arg) -> String {
        self.args.push(a);
        format!("${}", self.args.len())
    }

    fn and(&mut self, cond: String) {
        self.sql.push_str(" AND ");
        self.sql.push_str(&cond);
    }

    fn eq_text(&mut self, column: &str, value: &Option<String>) {
        if let Some(v) = value {
            let p = self.arg(Arg::Text(v.clone()));
            self.and(format!("{column} = {p}"));
        }
    }

    fn times(&mut self, column: &str, filters: &[TimeFilter]) {
        for f in filters {
            let cond = match *f {
                TimeFilter::From(t) => format!("{column} >= {}", self.arg(Arg::Int(t))),
                TimeFilter::Before(t) => format!("{column} < {}", self.arg(Arg::Int(t))),
                TimeFilter::Outside { from, to } => {
                    let a = self.arg(Arg::Int(from));
                    let b = self.arg(Arg::Int(to));
                    format!("({column} < {a} OR {column} >= {b})")
                }
            };
            self.and(cond);
        }
    }

    fn bind<'q>(
        &self,
        mut q: sqlx::query::Query<'q, Any, AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, Any, AnyArguments<'q>> {
        for a in &self.args {
            q = match a {
                Arg::Text(s) => q.bind(s.clone()),
                Arg::Int(i) => q.bind(*i),
            };
        }
        q
    }
}

/// What the audit event says was reached: one record, one client's records, or the practice's.
fn audit_target(id: &Option<String>, client_id: &Option<String>) -> (&'static str, String) {
    match (id, client_id) {
        (Some(id), _) => ("read", id.clone()),
        (None, Some(c)) => ("search", format!("client:{c}")),
        (None, None) => ("search", "*".to_string()),
    }
}

fn response_of(r: &AnyRow) -> Result<StoredResponse, StoreError> {
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

const SESSION_COLUMNS: &str = "s.id, s.client_id, s.journey_id, s.kind, s.status, s.contact, s.scheduled_at, s.duration_minutes, s.place";

fn session_of(r: &AnyRow) -> Result<SessionSummary, StoreError> {
    Ok(SessionSummary {
        id: r.try_get("id")?,
        client_id: r.try_get("client_id")?,
        journey_id: r.try_get("journey_id")?,
        kind: r.try_get("kind")?,
        status: r.try_get("status")?,
        contact: r.try_get("contact")?,
        scheduled_at: r.try_get("scheduled_at")?,
        duration_minutes: r.try_get("duration_minutes")?,
        place: r.try_get("place")?,
    })
}

async fn count(
    tx: &mut Transaction<'static, Any>,
    sql: &str,
    f: &Filter,
) -> Result<i64, StoreError> {
    let row = f.bind(sqlx::query(sql)).fetch_one(&mut **tx).await?;
    Ok(row.try_get::<Option<i64>, _>(0)?.unwrap_or(0))
}

impl Store {
    /// Stored responses in the actor's scope, oldest first (by authored time, then id): a page of at most `count`
    /// responses after the first `offset` weighted matches, and the weighted total. A response that straddles the
    /// offset (weight 2, offset in its middle) is on the page; its `before` tells the caller how much of it to skip.
    pub async fn fhir_responses(
        &self,
        actor: &Actor,
        search: &ResponseSearch,
    ) -> Result<Page<ResponseMatch>, StoreError> {
        let mut f = Filter::scoped(actor);
        f.eq_text("r.id", &search.id);
        f.eq_text("r.client_id", &search.client_id);
        let mut weight = String::from("1");
        let mut weights = std::collections::HashMap::new();
        let mut matches_nothing = false;
        if let Some(instruments) = &search.instruments {
            matches_nothing = instruments.iter().all(|(_, w)| *w <= 0);
            let mut placeholders = Vec::new();
            let mut case = String::from("CASE r.instrument");
            for (ins, w) in instruments.iter().filter(|(_, w)| *w > 0) {
                let p = f.arg(Arg::Text(ins.clone()));
                case.push_str(&format!(" WHEN {p} THEN {w}"));
                placeholders.push(p);
                weights.insert(ins.clone(), *w);
            }
            if !matches_nothing {
                case.push_str(" ELSE 0 END");
                weight = case;
                f.and(format!("r.instrument IN ({})", placeholders.join(", ")));
            }
        }
        f.times("r.authored_at", &search.authored);
        let (action, target) = audit_target(&search.id, &search.client_id);
        let page = if matches_nothing {
            Page {
                total: 0,
                items: Vec::new(),
            }
        } else {
            let from = format!(
                "FROM responses r JOIN clients c ON c.id = r.client_id WHERE {}",
                f.sql
            );
            let mut tx = self.begin_read().await?;
            let total = count(&mut tx, &format!("SELECT SUM({weight}) {from}"), &f).await?;
            let mut items = Vec::new();
            if search.count > 0 && search.offset < total {
                let off = f.arg(Arg::Int(search.offset));
                let lim = f.arg(Arg::Int(search.count));
                let sql = format!(
                    "SELECT t.* FROM (SELECT r.id, r.client_id, r.assessment_id, r.instrument, r.instrument_version, \
                     r.answers, r.total, r.summary, r.authored_at, \
                     SUM({weight}) OVER (ORDER BY r.authored_at, r.id) AS upto {from}) t \
                     WHERE t.upto > {off} ORDER BY t.authored_at, t.id LIMIT {lim}"
                );
                let rows = f.bind(sqlx::query(&sql)).fetch_all(&mut *tx).await?;
                for r in &rows {
                    let response = response_of(r)?;
                    let upto: i64 = r.try_get("upto")?;
                    let w = if search.instruments.is_some() {
                        weights.get(&response.instrument).copied().unwrap_or(1)
                    } else {
                        1
                    };
                    items.push(ResponseMatch {
                        response,
                        before: upto - w,
                    });
                }
            }
            tx.commit().await?;
            Page { total, items }
        };
        self.audit_read(actor, action, "response", &target).await?;
        if search.id.is_some() && page.items.is_empty() {
            return Err(StoreError::NotFound { entity: "response" });
        }
        Ok(page)
    }

    /// Sessions in the actor's scope, by start time, then id.
    pub async fn fhir_sessions(
        &self,
        actor: &Actor,
        search: &SessionSearch,
    ) -> Result<Page<SessionSummary>, StoreError> {
        let mut f = Filter::scoped(actor);
        f.eq_text("s.id", &search.id);
        f.eq_text("s.client_id", &search.client_id);
        f.times("s.scheduled_at", &search.start);
        let from = format!(
            "FROM sessions s JOIN clients c ON c.id = s.client_id WHERE {}",
            f.sql
        );
        let mut tx = self.begin_read().await?;
        let total = count(&mut tx, &format!("SELECT COUNT(*) {from}"), &f).await?;
        let mut items = Vec::new();
        if search.count > 0 && search.offset < total {
            let lim = f.arg(Arg::Int(search.count));
            let off = f.arg(Arg::Int(search.offset));
            let sql = format!(
                "SELECT {SESSION_COLUMNS} {from} ORDER BY s.scheduled_at, s.id LIMIT {lim} OFFSET {off}"
            );
            for r in f.bind(sqlx::query(&sql)).fetch_all(&mut *tx).await? {
                items.push(session_of(&r)?);
            }
        }
        tx.commit().await?;
        let (action, target) = audit_target(&search.id, &search.client_id);
        self.audit_read(actor, action, "session", &target).await?;
        if search.id.is_some() && items.is_empty() {
            return Err(StoreError::NotFound { entity: "session" });
        }
        Ok(Page { total, items })
    }

    /// Journeys in the actor's scope, by start, then id, each with its sessions.
    pub async fn fhir_journeys(
        &self,
        actor: &Actor,
        search: &JourneySearch,
    ) -> Result<Page<JourneyPlan>, StoreError> {
        let mut f = Filter::scoped(actor);
        f.eq_text("j.id", &search.id);
        f.eq_text("j.client_id", &search.client_id);
        let from = format!(
            "FROM journeys j JOIN clients c ON c.id = j.client_id WHERE {}",
            f.sql
        );
        let mut tx = self.begin_read().await?;
        let total = count(&mut tx, &format!("SELECT COUNT(*) {from}"), &f).await?;
        let mut items = Vec::new();
        if search.count > 0 && search.offset < total {
            let lim = f.arg(Arg::Int(search.count));
            let off = f.arg(Arg::Int(search.offset));
            let sql = format!(
                "SELECT j.id, j.client_id, j.protocol, j.phase, j.status, j.started_at, j.ended_at {from} \
                 ORDER BY j.started_at, j.id LIMIT {lim} OFFSET {off}"
            );
            for r in f.bind(sqlx::query(&sql)).fetch_all(&mut *tx).await? {
                items.push(JourneyPlan {
                    id: r.try_get("id")?,
                    client_id: r.try_get("client_id")?,
                    protocol: r.try_get("protocol")?,
                    phase: r.try_get("phase")?,
                    status: r.try_get("status")?,
                    started_at: r.try_get("started_at")?,
                    ended_at: r.try_get("ended_at")?,
                    sessions: Vec::new(),
                });
            }
            if !items.is_empty() {
                let placeholders: Vec<String> =
                    (1..=items.len()).map(|n| format!("${n}")).collect();
                let sql = format!(
                    "SELECT {SESSION_COLUMNS} FROM sessions s WHERE s.journey_id IN ({}) ORDER BY s.scheduled_at, s.id",
                    placeholders.join(", ")
                );
                let mut q = sqlx::query(&sql);
                for j in &items {
                    q = q.bind(j.id.clone());
                }
                for r in q.fetch_all(&mut *tx).await? {
                    let s = session_of(&r)?;
                    if let Some(j) = items
                        .iter_mut()
                        .find(|j| s.journey_id.as_deref() == Some(j.id.as_str()))
                    {
                        j.sessions.push(s);
                    }
                }
            }
        }
        tx.commit().await?;
        let (action, target) = audit_target(&search.id, &search.client_id);
        self.audit_read(actor, action, "journey", &target).await?;
        if search.id.is_some() && items.is_empty() {
            return Err(StoreError::NotFound { entity: "journey" });
        }
        Ok(Page { total, items })
    }
}

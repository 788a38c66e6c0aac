//! E-mail reminders: the practice's timing, a client's choice to receive none, what the scheduler may remind about,
//! and what one reminder needs when it is sent.
//!
//! The scheduler (ferd-web's `mail` module) reads [`Store::reminder_candidates`] every minute: ids and times only,
//! no names, addresses or clinical content, for the practices' planned sessions, open questionnaires and new
//! alerts. It decides, in each practice's time zone, what is due for a reminder and enqueues jobs with dedupe keys
//! ([`Store::enqueue_jobs`]). When a job runs, [`Store::mail_context`] reads its recipient's address and language
//! and checks that the reminder still makes sense (the questionnaire is still open, the session has not moved, the
//! alert is not yet acknowledged, the client has not turned reminders off).
//!
//! What reaches a mail is never clinical: how many questionnaires wait (not which), when a session is (not what
//! kind), that an alert waits (not about whom or why).

use serde::Serialize;
use sqlx::Row;

use crate::audit::append;
use crate::jobs::Job;
use crate::{now_ms, Actor, Role, Store, StoreError};

/// A questionnaire reminder to a client: payload `{"assessments": [ids], "day": "YYYY-MM-DD"}`.
pub const KIND_QUESTIONNAIRE: &str = "questionnaire-reminder";
/// A session reminder to a client: payload `{"session": id, "scheduled_at": ms}`.
pub const KIND_SESSION: &str = "session-reminder";
/// An alert notice to a therapist: payload `{"alert": id}`.
pub const KIND_ALERT: &str = "alert-notice";

/// How far ahead the scheduler looks for sessions (the longest reminder lead a practice can choose).
pub const SESSION_HORIZON_MS: i64 = 168 * 3_600_000;
/// How far back it looks for alerts: one raised longer ago is old news by mail.
pub const ALERT_WINDOW_MS: i64 = 24 * 3_600_000;
/// How far back it looks for open questionnaires (the latest second reminder, plus a day's margin).
pub const QUESTIONNAIRE_WINDOW_MS: i64 = 32 * 86_400_000;

/// A practice's reminder timing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReminderSettings {
    /// Hours before a planned session that its client is reminded (0: no session reminders). At most a week.
    pub session_hours: i64,
    /// Whether clients are reminded on the day a questionnaire falls due.
    pub questionnaire: bool,
    /// The hour of the day (the practice's local time, 0–23) questionnaire reminders go at.
    pub hour: i64,
    /// Days after the due day that a still-open questionnaire is reminded of once more (0: never).
    pub overdue_days: i64,
    /// Whether therapists are told by e-mail that a new alert waits.
    pub alert_mail: bool,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        ReminderSettings {
            session_hours: 24,
            questionnaire: true,
            hour: 9,
            overdue_days: 3,
            alert_mail: true,
        }
    }
}

impl ReminderSettings {
    /// Checks every field against its range, naming the first that is out of it.
    pub fn check(&self) -> Result<(), StoreError> {
        let bad = |field: &'static str, message: &str| {
            Err(StoreError::Invalid {
                field,
                message: message.into(),
            })
        };
        if !(0..=168).contains(&self.session_hours) {
            return bad("session_hours", "must be 0–168");
        }
        if !(0..=23).contains(&self.hour) {
            return bad("hour", "must be 0–23");
        }
        if !(0..=30).contains(&self.overdue_days) {
            return bad("overdue_days", "must be 0–30");
        }
        Ok(())
    }
}

/// A practice as the scheduler sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PracticeReminders {
    pub practice_id: String,
    /// IANA name.
    pub time_zone: String,
    pub settings: ReminderSettings,
}

/// A planned session of a client who receives reminders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionCandidate {
    pub session_id: String,
    pub client_id: String,
    pub practice_id: String,
    /// The client's login.
    pub recipient_id: String,
    pub scheduled_at: i64,
}

/// An open questionnaire of a client who receives reminders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentCandidate {
    pub assessment_id: String,
    pub client_id: String,
    pub practice_id: String,
    pub recipient_id: String,
    pub due_at: i64,
}

/// A new, unacknowledged alert and who should hear of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertCandidate {
    pub alert_id: String,
    pub client_id: String,
    pub practice_id: String,
    /// The client's therapist; without one (or if they cannot sign in), the practice's administering therapists.
    pub recipients: Vec<String>,
    pub created_at: i64,
}

/// What the scheduler may remind about, read in one snapshot.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReminderCandidates {
    pub practices: Vec<PracticeReminders>,
    pub sessions: Vec<SessionCandidate>,
    pub assessments: Vec<AssessmentCandidate>,
    pub alerts: Vec<AlertCandidate>,
}

/// What a reminder says, beyond who it is for: nothing clinical.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reminder {
    /// `count` questionnaires wait to be filled in.
    Questionnaires { count: i64 },
    /// A session starts at `starts_at` (Unix ms).
    Session { starts_at: i64 },
    /// A new alert waits in ferd.
    Alert,
    /// A person who joined the waitlist gets the link to their place (`token` is the link's secret part; the mail
    /// says nothing else about them).
    WaitlistPlace { token: String },
}

/// Everything a reminder mail needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailContext {
    /// The recipient's address, read now.
    pub to: String,
    /// The recipient's interface language, else (a client) the language their therapist recorded.
    pub language: Option<String>,
    pub practice_name: String,
    /// The practice's time zone (IANA name), for the times in the mail.
    pub time_zone: String,
    /// Whether the mail goes to a client (it then says how to turn reminders off).
    pub to_client: bool,
    pub reminder: Reminder,
}

/// Whether a job's mail is to be sent, and if not, why (ferd's words, no personal data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailPlan {
    Send(MailContext),
    Skip(&'static str),
}

fn settings_from(r: &sqlx::any::AnyRow) -> Result<ReminderSettings, StoreError> {
    Ok(ReminderSettings {
        session_hours: r.try_get("reminder_session_hours")?,
        questionnaire: r.try_get::<i64, _>("reminder_questionnaire")? != 0,
        hour: r.try_get("reminder_hour")?,
        overdue_days: r.try_get("reminder_overdue_days")?,
        alert_mail: r.try_get::<i64, _>("alert_mail")? != 0,
    })
}

const SETTINGS_COLUMNS: &str =
    "reminder_session_hours, reminder_questionnaire, reminder_hour, reminder_overdue_days, alert_mail";

fn own_client(actor: &Actor) -> Result<String, StoreError> {
    match (actor.role, &actor.client_id) {
        (Role::Client, Some(c)) => Ok(c.clone()),
        _ => Err(StoreError::Forbidden(
            "only a client chooses their own reminders",
        )),
    }
}

fn payload_str(payload: &serde_json::Value, key: &str) -> Option<String> {
    payload
        .get(key)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

impl Store {
    /// The practice's reminder timing, for its admin.
    pub async fn reminder_settings(&self, actor: &Actor) -> Result<ReminderSettings, StoreError> {
        let practice = actor.admin_practice("only an admin changes practice settings")?;
        let row = sqlx::query(&format!(
            "SELECT {SETTINGS_COLUMNS} FROM practices WHERE id = $1"
        ))
        .bind(practice)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound { entity: "practice" })?;
        settings_from(&row)
    }

    /// An admin sets the practice's reminder timing. Audited as `set-reminders practice <id>`.
    pub async fn set_reminder_settings(
        &self,
        actor: &Actor,
        settings: ReminderSettings,
    ) -> Result<(), StoreError> {
        let practice = actor.admin_practice("only an admin changes practice settings")?;
        settings.check()?;
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "set-reminders", "practice", &practice).await?;
        sqlx::query(
            "UPDATE practices SET reminder_session_hours = $1, reminder_questionnaire = $2, reminder_hour = $3, \
             reminder_overdue_days = $4, alert_mail = $5, updated_at = $6 WHERE id = $7",
        )
        .bind(settings.session_hours)
        .bind(i64::from(settings.questionnaire))
        .bind(settings.hour)
        .bind(settings.overdue_days)
        .bind(i64::from(settings.alert_mail))
        .bind(now_ms())
        .bind(&practice)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether the signed-in client has turned e-mail reminders off. Audited as `read reminders <client>`.
    pub async fn reminders_off(&self, actor: &Actor) -> Result<bool, StoreError> {
        let client = own_client(actor)?;
        let row = sqlx::query("SELECT reminders_off_at FROM clients WHERE id = $1")
            .bind(&client)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound { entity: "client" })?;
        self.audit_read(actor, "read", "reminders", &client).await?;
        Ok(row.try_get::<Option<i64>, _>(0)?.is_some())
    }

    /// The signed-in client turns e-mail reminders off or on again. Audited as `reminders-off` or `reminders-on`
    /// of the client. Reminders already queued are not sent after this (checked when each is sent).
    pub async fn set_reminders_off(&self, actor: &Actor, off: bool) -> Result<(), StoreError> {
        let client = own_client(actor)?;
        let now = now_ms();
        let (_turn, mut tx) = self.begin_write().await?;
        let action = if off { "reminders-off" } else { "reminders-on" };
        append(&mut tx, actor, action, "client", &client).await?;
        sqlx::query("UPDATE clients SET reminders_off_at = $1, updated_at = $2 WHERE id = $3")
            .bind(off.then_some(now))
            .bind(now)
            .bind(&client)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// What the scheduler may remind about at `now`: every practice's timing, the planned sessions of the next
    /// week, the questionnaires open from the last month to tomorrow (of clients who can sign in and have not
    /// turned reminders off), and the alerts raised in the last day and not yet acknowledged. Ids and times only;
    /// not audited, since it reads no name, address or clinical content (each mail sent is).
    pub async fn reminder_candidates(
        &self,
        actor: &Actor,
        now: i64,
    ) -> Result<ReminderCandidates, StoreError> {
        if actor.role != Role::System {
            return Err(StoreError::Forbidden(
                "only ferd itself schedules reminders",
            ));
        }
        let mut tx = self.begin_read().await?;
        let practices = sqlx::query(&format!(
            "SELECT id, time_zone, {SETTINGS_COLUMNS} FROM practices ORDER BY id"
        ))
        .fetch_all(&mut *tx)
        .await?;
        // Clients who receive reminders: a login that works, and reminders not turned off.
        let reachable = "c.reminders_off_at IS NULL AND u.disabled = 0";
        let sessions = sqlx::query(&format!(
            "SELECT s.id, s.client_id, c.practice_id, c.user_id, s.scheduled_at FROM sessions s \
             JOIN clients c ON c.id = s.client_id JOIN users u ON u.id = c.user_id \
             WHERE s.status = 'planned' AND s.scheduled_at > $1 AND s.scheduled_at <= $2 AND {reachable} \
             ORDER BY s.scheduled_at, s.id"
        ))
        .bind(now)
        .bind(now + SESSION_HORIZON_MS)
        .fetch_all(&mut *tx)
        .await?;
        let assessments = sqlx::query(&format!(
            "SELECT a.id, a.client_id, c.practice_id, c.user_id, a.due_at FROM assessments a \
             JOIN clients c ON c.id = a.client_id JOIN users u ON u.id = c.user_id \
             WHERE a.status = 'due' AND a.due_at >= $1 AND a.due_at <= $2 AND {reachable} \
             ORDER BY a.client_id, a.due_at, a.id"
        ))
        .bind(now - QUESTIONNAIRE_WINDOW_MS)
        .bind(now + 86_400_000)
        .fetch_all(&mut *tx)
        .await?;
        let alerts = sqlx::query(
            "SELECT al.id, al.client_id, c.practice_id, al.created_at, \
             (SELECT t.id FROM users t WHERE t.id = c.therapist_id AND t.disabled = 0) AS therapist \
             FROM alerts al JOIN clients c ON c.id = al.client_id \
             WHERE al.acknowledged_at IS NULL AND al.created_at >= $1 ORDER BY al.created_at, al.id",
        )
        .bind(now - ALERT_WINDOW_MS)
        .fetch_all(&mut *tx)
        .await?;
        let leads = sqlx::query(
            "SELECT id, practice_id FROM users WHERE role = 'therapist' AND practice_admin = 1 AND disabled = 0 \
             ORDER BY id",
        )
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let mut out = ReminderCandidates::default();
        for r in &practices {
            out.practices.push(PracticeReminders {
                practice_id: r.try_get("id")?,
                time_zone: r.try_get("time_zone")?,
                settings: settings_from(r)?,
            });
        }
        for r in &sessions {
            out.sessions.push(SessionCandidate {
                session_id: r.try_get(0)?,
                client_id: r.try_get(1)?,
                practice_id: r.try_get(2)?,
                recipient_id: r.try_get(3)?,
                scheduled_at: r.try_get(4)?,
            });
        }
        for r in &assessments {
            out.assessments.push(AssessmentCandidate {
                assessment_id: r.try_get(0)?,
                client_id: r.try_get(1)?,
                practice_id: r.try_get(2)?,
                recipient_id: r.try_get(3)?,
                due_at: r.try_get(4)?,
            });
        }
        let mut lead_ids: Vec<(String, String)> = Vec::new();
        for r in &leads {
            let practice: Option<String> = r.try_get(1)?;
            if let Some(p) = practice {
                lead_ids.push((p, r.try_get(0)?));
            }
        }
        for r in &alerts {
            let practice_id: String = r.try_get(2)?;
            let therapist: Option<String> = r.try_get(4)?;
            let recipients = match therapist {
                Some(t) => vec![t],
                None => lead_ids
                    .iter()
                    .filter(|(p, _)| *p == practice_id)
                    .map(|(_, u)| u.clone())
                    .collect(),
            };
            out.alerts.push(AlertCandidate {
                alert_id: r.try_get(0)?,
                client_id: r.try_get(1)?,
                practice_id,
                recipients,
                created_at: r.try_get(3)?,
            });
        }
        Ok(out)
    }

    /// What a reminder job's mail needs, read when it is sent, or why it is no longer to be sent. Audited as
    /// `read job <id>` (it reads the recipient's address).
    pub async fn mail_context(&self, actor: &Actor, job: &Job) -> Result<MailPlan, StoreError> {
        if actor.role != Role::System {
            return Err(StoreError::Forbidden("only ferd itself sends reminders"));
        }
        if job.kind == crate::waitlist::KIND_WAITLIST_STATUS {
            return self.waitlist_mail_context(actor, job).await;
        }
        let payload: serde_json::Value = serde_json::from_str(&job.payload)
            .map_err(|e| StoreError::Database(format!("job payload: {e}")))?;
        let Some(recipient) = job.recipient_id.clone() else {
            return Ok(MailPlan::Skip("the job names no recipient"));
        };
        let mut tx = self.begin_read().await?;
        let user = sqlx::query(
            "SELECT u.email, u.language, u.disabled, u.role, p.name, p.time_zone, {SETTINGS} \
             FROM users u JOIN practices p ON p.id = $2 WHERE u.id = $1"
                .replace("{SETTINGS}", SETTINGS_COLUMNS)
                .as_str(),
        )
        .bind(&recipient)
        .bind(job.practice_id.clone())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(user) = user else {
            return Ok(MailPlan::Skip("the recipient no longer exists"));
        };
        if user.try_get::<i64, _>("disabled")? != 0 {
            return Ok(MailPlan::Skip("the recipient cannot sign in"));
        }
        let settings = settings_from(&user)?;
        let mut language: Option<String> = user.try_get("language")?;
        let to_client = job.kind != KIND_ALERT;
        if to_client {
            let client = sqlx::query(
                "SELECT preferred_language, reminders_off_at FROM clients WHERE id = $1 AND user_id = $2",
            )
            .bind(job.client_id.clone())
            .bind(&recipient)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(client) = client else {
                return Ok(MailPlan::Skip("the client no longer has this sign-in"));
            };
            if client.try_get::<Option<i64>, _>(1)?.is_some() {
                return Ok(MailPlan::Skip("the client turned reminders off"));
            }
            language = language.or(Some(client.try_get(0)?));
        }
        let now = now_ms();
        let reminder = match job.kind.as_str() {
            KIND_QUESTIONNAIRE => {
                if !settings.questionnaire {
                    return Ok(MailPlan::Skip(
                        "the practice turned questionnaire reminders off",
                    ));
                }
                let ids: Vec<String> = payload
                    .get("assessments")
                    .and_then(|v| v.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                // Every questionnaire the client has open counts, not only those that made this reminder due.
                let open: i64 = sqlx::query(
                    "SELECT COUNT(*) FROM assessments WHERE client_id = $1 AND status = 'due' AND due_at <= $2",
                )
                .bind(job.client_id.clone())
                .bind(now + 86_400_000)
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?;
                let mut still = 0;
                for id in &ids {
                    let due = sqlx::query(
                        "SELECT 1 FROM assessments WHERE id = $1 AND client_id = $2 AND status = 'due'",
                    )
                    .bind(id)
                    .bind(job.client_id.clone())
                    .fetch_optional(&mut *tx)
                    .await?;
                    still += i64::from(due.is_some());
                }
                if still == 0 {
                    return Ok(MailPlan::Skip(
                        "the questionnaires were filled in or withdrawn",
                    ));
                }
                Reminder::Questionnaires {
                    count: open.max(still),
                }
            }
            KIND_SESSION => {
                if settings.session_hours == 0 {
                    return Ok(MailPlan::Skip("the practice turned session reminders off"));
                }
                let session = payload_str(&payload, "session").unwrap_or_default();
                let planned_for = payload.get("scheduled_at").and_then(|v| v.as_i64());
                let row = sqlx::query(
                    "SELECT scheduled_at, status FROM sessions WHERE id = $1 AND client_id = $2",
                )
                .bind(&session)
                .bind(job.client_id.clone())
                .fetch_optional(&mut *tx)
                .await?;
                let Some(row) = row else {
                    return Ok(MailPlan::Skip("the session no longer exists"));
                };
                let at: i64 = row.try_get(0)?;
                let status: String = row.try_get(1)?;
                if status != "planned" || Some(at) != planned_for {
                    return Ok(MailPlan::Skip("the session was moved or cancelled"));
                }
                if at <= now {
                    return Ok(MailPlan::Skip("the session has started"));
                }
                Reminder::Session { starts_at: at }
            }
            KIND_ALERT => {
                if !settings.alert_mail {
                    return Ok(MailPlan::Skip("the practice turned alert e-mails off"));
                }
                let alert = payload_str(&payload, "alert").unwrap_or_default();
                let row = sqlx::query("SELECT acknowledged_at FROM alerts WHERE id = $1")
                    .bind(&alert)
                    .fetch_optional(&mut *tx)
                    .await?;
                match row {
                    None => return Ok(MailPlan::Skip("the alert no longer exists")),
                    Some(r) if r.try_get::<Option<i64>, _>(0)?.is_some() => {
                        return Ok(MailPlan::Skip("the alert was acknowledged"))
                    }
                    Some(_) => {}
                }
                Reminder::Alert
            }
            _ => return Ok(MailPlan::Skip("ferd does not know this kind of job")),
        };
        tx.commit().await?;
        self.audit_read(actor, "read", "job", &job.id).await?;
        Ok(MailPlan::Send(MailContext {
            to: user.try_get("email")?,
            language,
            practice_name: user.try_get("name")?,
            time_zone: user.try_get("time_zone")?,
            to_client,
            reminder,
        }))
    }
}

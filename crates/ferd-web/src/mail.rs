//! Reminder e-mail: where mail goes (an SMTP server, or the outbox folder when none is configured), what the
//! scheduler enqueues, and how one job's mail is composed and handed over at most once.
//!
//! **Where.** With `smtp_url` set, mail goes to that server: `smtp://user:password@host:587` upgrades with STARTTLS
//! and refuses a server that does not offer it, `smtps://user:password@host:465` speaks TLS from the start, and
//! `smtp://host:25?tls=none` sends in clear text (for a relay on the same machine or a test server; a password is
//! never sent in clear text to another host). Without it, each mail is written as an `.eml` file to the outbox
//! folder, which the admin's mail page lists, so a demo works.
//!
//! **What.** [`plan`] turns what the store says may be reminded about into jobs with dedupe keys: a client's
//! session `session_hours` before it starts, a client's open questionnaires at the practice's hour on the due day
//! and again `overdue_days` later (one mail per client and day, however many are open), and each new alert to the
//! client's therapist. A mail says no more than that: no instrument, score, note, kind of session or client name;
//! it has a link to sign in. The recipient's language, plain text and HTML from the templates in `templates/mail/`.
//!
//! **Once.** [`Postman::deliver_due`] claims a job (committed as running, with a lease) before anything is handed
//! over, and records the outcome right after. A failure before the message was handed to the server is retried
//! with backoff; a connection that breaks while the server holds the message leaves the job interrupted, as does a
//! worker killed mid-send (its lease runs out): never retried by itself, shown to the admin to send again.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use askama::Template;
use ferd_store::jobs::{JobOutcome, LEASE_MS};
use ferd_store::reminders::{ReminderCandidates, KIND_ALERT, KIND_QUESTIONNAIRE, KIND_SESSION};
use ferd_store::{Actor, Job, MailContext, MailPlan, NewJob, Reminder, Role, Store, StoreError};
use jiff::tz::TimeZone;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use lettre::{Address, Message};

use crate::i18n::{I18n, Lang, Tr};

/// How long connecting, greeting, signing in and naming sender and recipient may take together.
const BEFORE_HAND_OVER: Duration = Duration::from_secs(60);
/// How long the server may take to confirm a message it has received (RFC 5321 suggests waiting 10 minutes; ferd
/// waits 5, well inside the job's lease).
const CONFIRMATION: Duration = Duration::from_secs(300);
/// A session reminder is not sent when the session starts sooner than this: it would come too late to help.
const MIN_SESSION_LEAD_MS: i64 = 3_600_000;
const DAY_MS: i64 = 86_400_000;
/// How long a mail stays in the outbox folder.
pub const OUTBOX_KEEP_MS: i64 = 30 * DAY_MS;

/// A configuration that cannot work, said so that whoever set it can fix it.
#[derive(Debug, thiserror::Error)]
pub enum MailConfigError {
    #[error("smtp_url: {0}")]
    SmtpUrl(String),
    #[error("mail_from: {0}")]
    From(String),
    #[error("the mail's messages: {0}")]
    Messages(String),
}

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain connection upgraded with STARTTLS, which the server must offer (`smtp://`, port 587 by default).
    StartTls,
    /// TLS from the first byte (`smtps://`, port 465 by default).
    Tls,
    /// No encryption (`smtp://…?tls=none`): for a relay on this machine or a test server.
    None,
}

/// An SMTP server to hand mail to, parsed from `smtp_url`.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpRelay {
    pub host: String,
    pub port: u16,
    pub security: Security,
    user: Option<String>,
    password: Option<String>,
}

impl std::fmt::Debug for SmtpRelay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the password, and not the user name either: logs are not the place for either.
        f.debug_struct("SmtpRelay")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("credentials", &self.user.is_some())
            .finish()
    }
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl SmtpRelay {
    /// Parses `smtp://[user:password@]host[:port][?tls=none]` or `smtps://[user:password@]host[:port]`. User name
    /// and password are percent-decoded (write `@` as `%40`).
    pub fn parse(text: &str) -> Result<SmtpRelay, MailConfigError> {
        let bad = |m: String| MailConfigError::SmtpUrl(m);
        let url = url::Url::parse(text.trim()).map_err(|e| bad(format!("not an address: {e}")))?;
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| bad("names no host".into()))?
            .to_string();
        let mut tls_param = None;
        for (k, v) in url.query_pairs() {
            match k.as_ref() {
                "tls" => tls_param = Some(v.to_string()),
                other => {
                    return Err(bad(format!(
                        "unknown parameter '{other}' (only tls=none is known)"
                    )))
                }
            }
        }
        let security = match (url.scheme(), tls_param.as_deref()) {
            ("smtp", None | Some("starttls") | Some("required")) => Security::StartTls,
            ("smtp", Some("none")) => Security::None,
            ("smtps", None | Some("tls")) => Security::Tls,
            ("smtp" | "smtps", Some(other)) => {
                return Err(bad(format!(
                    "tls={other} is not known: leave it out (STARTTLS for smtp://, TLS for smtps://) or write tls=none"
                )))
            }
            (scheme, _) => {
                return Err(bad(format!(
                    "must start with smtp:// or smtps://, not {scheme}://"
                )))
            }
        };
        let port = url.port().unwrap_or(match security {
            Security::Tls => 465,
            Security::StartTls => 587,
            Security::None => 25,
        });
        let decode = |s: &str| {
            url::form_urlencoded::parse(format!("x={s}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        };
        let user = Some(url.username())
            .filter(|u| !u.is_empty())
            .map(|u| decode(&u.replace('+', "%2B")));
        let password = url.password().map(|p| decode(&p.replace('+', "%2B")));
        if password.is_some() && user.is_none() {
            return Err(bad("has a password but no user name".into()));
        }
        if security == Security::None && user.is_some() && !is_loopback(&host) {
            return Err(bad(format!(
                "tls=none would send the password in clear text to {host}: use STARTTLS (leave tls out) or smtps://"
            )));
        }
        if url.path().len() > 1 {
            return Err(bad(
                "has a path; only scheme, user, password, host, port and ?tls=none are read".into(),
            ));
        }
        Ok(SmtpRelay {
            host,
            port,
            security,
            user,
            password,
        })
    }

    /// `host:port (STARTTLS)`, for the admin page and the log: no user name or password.
    pub fn describe(&self) -> String {
        let how = match self.security {
            Security::StartTls => "STARTTLS",
            Security::Tls => "TLS",
            Security::None => "unencrypted",
        };
        format!("{}:{} ({how})", self.host, self.port)
    }
}

/// Where reminder mail goes and who it is from.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// The SMTP server, if one is configured; otherwise mail goes to the outbox folder.
    pub smtp: Option<SmtpRelay>,
    /// The sender, e.g. `Fjordlys <post@fjordlys.no>`.
    pub from: Mailbox,
    /// The folder for `.eml` files when there is no SMTP server (ferd serve: `outbox/` in the data folder).
    pub outbox_dir: Option<PathBuf>,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            smtp: None,
            from: Mailbox::new(
                Some("ferd".into()),
                Address::new("ferd", "localhost").expect("a valid address"),
            ),
            outbox_dir: None,
        }
    }
}

impl MailConfig {
    /// The configuration from `smtp_url` and `mail_from`. With an SMTP server the sender must be given (mail from
    /// `ferd@localhost` would be refused or thrown away); without one, the outbox's files say `ferd@localhost`.
    pub fn new(
        smtp_url: Option<&str>,
        mail_from: Option<&str>,
        outbox_dir: Option<PathBuf>,
    ) -> Result<MailConfig, MailConfigError> {
        let smtp = smtp_url
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(SmtpRelay::parse)
            .transpose()?;
        let from = match mail_from.map(str::trim).filter(|f| !f.is_empty()) {
            Some(f) => f.parse::<Mailbox>().map_err(|e| {
                MailConfigError::From(format!(
                    "'{f}' is not an address ({e}); write e.g. \"Fjordlys <post@fjordlys.no>\""
                ))
            })?,
            None if smtp.is_some() => {
                return Err(MailConfigError::From(
                    "is required with smtp_url: the address reminders come from, e.g. \"Fjordlys <post@fjordlys.no>\" (FERD_MAIL_FROM)".into(),
                ))
            }
            None => MailConfig::default().from,
        };
        Ok(MailConfig {
            smtp,
            from,
            outbox_dir,
        })
    }

    /// Whether mail can go anywhere: an SMTP server or an outbox folder.
    pub fn can_send(&self) -> bool {
        self.smtp.is_some() || self.outbox_dir.is_some()
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834): no vacation replies to a reminder.
#[derive(Debug, Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".into())
    }
}

/// `Content-Language`, the language the mail is written in.
#[derive(Debug, Clone)]
struct ContentLanguage(&'static str);

impl Header for ContentLanguage {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Content-Language")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ContentLanguage(Lang::parse(s).unwrap_or(Lang::Nb).tag()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.into())
    }
}

/// A mail's words, in one language, as both templates show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposedMail {
    pub lang: Lang,
    pub subject: String,
    pub greeting: String,
    /// The message itself, a paragraph each.
    pub body: Vec<String>,
    /// The words before the sign-in link, the link's text, and the address.
    pub action: String,
    pub button: String,
    pub link: String,
    /// Why the recipient gets this, and (a client) how to turn it off.
    pub footer: Vec<String>,
}

#[derive(Template)]
#[template(path = "mail/reminder.txt")]
struct TextMail<'a> {
    m: &'a ComposedMail,
}

#[derive(Template)]
#[template(path = "mail/reminder.html")]
struct HtmlMail<'a> {
    m: &'a ComposedMail,
}

impl ComposedMail {
    /// The plain-text body.
    pub fn text(&self) -> Result<String, askama::Error> {
        TextMail { m: self }.render()
    }

    /// The HTML body (escaped by the template).
    pub fn html(&self) -> Result<String, askama::Error> {
        HtmlMail { m: self }.render()
    }
}

/// Writes a reminder in the recipient's language: nothing clinical, a link to sign in on `link_base`.
pub fn compose(i18n: &Arc<I18n>, ctx: &MailContext, link_base: &str) -> ComposedMail {
    let lang = ctx
        .language
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or(Lang::Nb);
    let tz = TimeZone::get(&ctx.time_zone).unwrap_or(TimeZone::UTC);
    let tr = Tr::new(i18n.clone(), lang, tz);
    let (subject, body) = match ctx.reminder {
        Reminder::Questionnaires { count } => (
            tr.tn("mail-questionnaire-subject", "n", count),
            tr.tn("mail-questionnaire-body", "n", count),
        ),
        Reminder::Session { starts_at } => (
            tr.t1("mail-session-subject", "day", &tr.day(starts_at)),
            tr.t2(
                "mail-session-body",
                "day",
                &tr.day(starts_at),
                "time",
                &tr.time(starts_at),
            ),
        ),
        Reminder::Alert => (tr.t("mail-alert-subject"), tr.t("mail-alert-body")),
        Reminder::WaitlistPlace { ref token } => {
            // Not a reminder to sign in: the person has no account, only their place on the waitlist.
            return ComposedMail {
                lang,
                subject: tr.t1("mail-waitlist-subject", "practice", &ctx.practice_name),
                greeting: tr.t("mail-greeting"),
                body: vec![
                    tr.t1("mail-waitlist-body", "practice", &ctx.practice_name),
                    tr.t("mail-waitlist-keep"),
                ],
                action: tr.t("mail-waitlist-action"),
                button: tr.t("mail-waitlist-button"),
                link: format!(
                    "{}/{}/waitlist/status/{token}",
                    link_base.trim_end_matches('/'),
                    lang.tag()
                ),
                footer: vec![
                    tr.t1("mail-footer-waitlist", "practice", &ctx.practice_name),
                    tr.t("mail-automatic"),
                ],
            };
        }
    };
    let mut footer = vec![if ctx.to_client {
        tr.t1("mail-footer-client", "practice", &ctx.practice_name)
    } else {
        tr.t1("mail-footer-staff", "practice", &ctx.practice_name)
    }];
    footer.push(tr.t("mail-automatic"));
    ComposedMail {
        lang,
        subject,
        greeting: tr.t("mail-greeting"),
        body: vec![body, tr.t("mail-no-details")],
        action: tr.t("mail-sign-in"),
        button: tr.t("mail-sign-in-button"),
        link: format!("{}/login", link_base.trim_end_matches('/')),
        footer,
    }
}

/// The whole message: multipart/alternative with the plain text first, a Message-ID made from the job's id (so
/// that a job sent again by an admin carries the same id, which lets mail programs recognise a duplicate), and
/// `Auto-Submitted`.
pub fn message(
    from: &Mailbox,
    to: &str,
    job_id: &str,
    mail: &ComposedMail,
) -> Result<Message, String> {
    let to: Mailbox = to
        .parse::<Address>()
        .map(|a| Mailbox::new(None, a))
        .map_err(|_| "the recipient's address is not usable".to_string())?;
    let text = mail
        .text()
        .map_err(|e| format!("composing the mail: {e}"))?;
    let html = mail
        .html()
        .map_err(|e| format!("composing the mail: {e}"))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .message_id(Some(format!("<{job_id}@{}>", from.email.domain())))
        .date_now()
        .header(AutoSubmitted)
        .header(ContentLanguage(mail.lang.tag()))
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(text),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(html),
                ),
        )
        .map_err(|e| format!("composing the mail: {e}"))
}

/// What went wrong before hand-over, in ferd's words (with the stage and the SMTP code, never the server's text,
/// which may quote an address), and whether trying again could help.
fn before_hand_over(stage: &str, e: &lettre::transport::smtp::Error) -> JobOutcome {
    let code = e
        .status()
        .map(|c| format!(" (SMTP {c})"))
        .unwrap_or_default();
    let what = if e.is_tls() {
        "the TLS connection to the mail server failed".to_string()
    } else if e.is_timeout() {
        format!("the mail server did not answer in time ({stage})")
    } else if e.is_permanent() {
        format!("the mail server refused {stage}{code}")
    } else if e.is_transient() {
        format!("the mail server turned {stage} away for now{code}")
    } else if e.is_client() {
        format!("the mail server cannot be used ({stage}): it lacks a feature ferd needs")
    } else {
        format!("could not reach the mail server ({stage})")
    };
    JobOutcome::NotHandedOver {
        error: what,
        // A 5xx is final; so is a server that lacks what ferd needs. Everything else may pass on a later try.
        permanent: e.is_permanent() || e.is_client(),
    }
}

/// Hands one message to the SMTP server, stage by stage, so that a failure is known to be before or after the
/// hand-over: connecting, STARTTLS, signing in, MAIL, RCPT and DATA come before it (retried with backoff); the
/// message's end and the server's confirmation are the hand-over itself.
pub async fn send_smtp(
    relay: &SmtpRelay,
    envelope: &lettre::address::Envelope,
    bytes: &[u8],
) -> JobOutcome {
    let hello = ClientId::default();
    let prepare = async {
        let stage = "the connection";
        let wrapper = match relay.security {
            Security::Tls => Some(
                TlsParameters::new(relay.host.clone()).map_err(|e| before_hand_over(stage, &e))?,
            ),
            _ => None,
        };
        let mut conn = AsyncSmtpConnection::connect_tokio1(
            (relay.host.as_str(), relay.port),
            Some(BEFORE_HAND_OVER),
            &hello,
            wrapper,
            None,
        )
        .await
        .map_err(|e| before_hand_over(stage, &e))?;
        if relay.security == Security::StartTls {
            if !conn.can_starttls() {
                conn.abort().await;
                return Err(JobOutcome::NotHandedOver {
                    error: "the mail server does not offer STARTTLS (use smtps:// or, for a server on this machine, tls=none)".into(),
                    permanent: true,
                });
            }
            let params = TlsParameters::new(relay.host.clone())
                .map_err(|e| before_hand_over("STARTTLS", &e))?;
            conn.starttls(params, &hello)
                .await
                .map_err(|e| before_hand_over("STARTTLS", &e))?;
        }
        if let (Some(user), Some(password)) = (&relay.user, &relay.password) {
            conn.auth(
                &[Mechanism::Plain, Mechanism::Login],
                &Credentials::new(user.clone(), password.clone()),
            )
            .await
            .map_err(|e| before_hand_over("the sign-in", &e))?;
        }
        let mut options = vec![];
        if !bytes.is_ascii() && conn.server_info().supports_feature(Extension::EightBitMime) {
            options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        conn.command(Mail::new(envelope.from().cloned(), options))
            .await
            .map_err(|e| before_hand_over("the sender", &e))?;
        for to in envelope.to() {
            conn.command(Rcpt::new(to.clone(), vec![]))
                .await
                .map_err(|e| before_hand_over("the recipient", &e))?;
        }
        conn.command(Data)
            .await
            .map_err(|e| before_hand_over("the message", &e))?;
        Ok::<_, JobOutcome>(conn)
    };
    let mut conn = match tokio::time::timeout(BEFORE_HAND_OVER, prepare).await {
        Ok(Ok(conn)) => conn,
        Ok(Err(outcome)) => return outcome,
        Err(_) => {
            return JobOutcome::NotHandedOver {
                error: "the mail server did not answer in time (before the message)".into(),
                permanent: false,
            }
        }
    };
    // From here on the server may hold the message.
    match tokio::time::timeout(CONFIRMATION, conn.message(bytes)).await {
        Ok(Ok(_)) => {
            let _ = tokio::time::timeout(Duration::from_secs(5), conn.quit()).await;
            JobOutcome::Sent { outbox_file: None }
        }
        // The server answered, and its answer was no: nothing was accepted.
        Ok(Err(e)) if e.is_transient() || e.is_permanent() => before_hand_over("the message", &e),
        Ok(Err(_)) => JobOutcome::Uncertain {
            error: "the connection broke after the message was handed over: it may or may not have been delivered".into(),
        },
        Err(_) => {
            conn.abort().await;
            JobOutcome::Uncertain {
                error: "the mail server did not confirm the message within 5 minutes: it may or may not have been delivered".into(),
            }
        }
    }
}

/// Writes a mail to the outbox folder as `<time>-<job id>.eml`, whole or not at all (a temporary file renamed).
fn write_outbox(dir: &Path, job_id: &str, now: i64, bytes: &[u8]) -> JobOutcome {
    use std::io::Write;
    let stamp = jiff::Timestamp::from_millisecond(now)
        .map(|t| t.strftime("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_else(|_| now.to_string());
    let safe_id: String = job_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let name = format!("{stamp}-{safe_id}.eml");
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join(format!(".{name}.tmp"));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // The files hold an address: readable by ferd's user only.
            options.mode(0o600);
        }
        let mut f = options.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, dir.join(&name))
    };
    match write() {
        Ok(()) => JobOutcome::Sent {
            outbox_file: Some(name),
        },
        Err(e) => JobOutcome::NotHandedOver {
            error: format!("could not write to the outbox folder ({})", e.kind()),
            permanent: false,
        },
    }
}

/// Whether `name` is one of the outbox's file names as [`write_outbox`] makes them (so a name read from the
/// database can never point elsewhere).
pub fn is_outbox_name(name: &str) -> bool {
    name.ends_with(".eml")
        && !name.starts_with('.')
        && name.len() < 120
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

/// The jobs due at `now` from what may be reminded about, each with its dedupe key. Pure: the times are the
/// practices' own, in their time zones.
pub fn plan(c: &ReminderCandidates, now: i64) -> Vec<NewJob> {
    let practices: HashMap<&str, (&ferd_store::ReminderSettings, TimeZone)> = c
        .practices
        .iter()
        .map(|p| {
            let tz = TimeZone::get(&p.time_zone).unwrap_or(TimeZone::UTC);
            (p.practice_id.as_str(), (&p.settings, tz))
        })
        .collect();
    let mut jobs = Vec::new();
    let job = |kind: &str,
               practice: &str,
               client: &str,
               recipient: &str,
               payload: serde_json::Value,
               key: String| NewJob {
        kind: kind.into(),
        practice_id: Some(practice.to_string()),
        client_id: Some(client.to_string()),
        recipient_id: Some(recipient.to_string()),
        payload,
        dedupe_key: key,
        run_at: now,
        max_attempts: ferd_store::jobs::DEFAULT_MAX_ATTEMPTS,
    };
    for s in &c.sessions {
        let Some((settings, _)) = practices.get(s.practice_id.as_str()) else {
            continue;
        };
        if settings.session_hours == 0 {
            continue;
        }
        let lead = settings.session_hours * 3_600_000;
        if now >= s.scheduled_at - lead && s.scheduled_at - now >= MIN_SESSION_LEAD_MS {
            jobs.push(job(
                KIND_SESSION,
                &s.practice_id,
                &s.client_id,
                &s.recipient_id,
                serde_json::json!({ "session": s.session_id, "scheduled_at": s.scheduled_at }),
                // A moved session is a new appointment, reminded of again.
                format!("{KIND_SESSION}:{}:{}", s.session_id, s.scheduled_at),
            ));
        }
    }
    // One questionnaire reminder per client and day, however many are due or overdue that day.
    let mut questionnaires: BTreeMap<(String, String), (String, String, Vec<String>)> =
        BTreeMap::new();
    for a in &c.assessments {
        let Some((settings, tz)) = practices.get(a.practice_id.as_str()) else {
            continue;
        };
        if !settings.questionnaire {
            continue;
        }
        let Ok(due) = jiff::Timestamp::from_millisecond(a.due_at) else {
            continue;
        };
        let due_day = due.to_zoned_datetime(tz.clone()).date();
        let mut days = vec![due_day];
        if settings.overdue_days > 0 {
            if let Ok(later) = due_day.checked_add(jiff::Span::new().days(settings.overdue_days)) {
                days.push(later);
            }
        }
        for day in days {
            let Ok(moment) = day
                .at(settings.hour as i8, 0, 0, 0)
                .to_zoned_datetime(tz.clone())
                .map(|z| z.timestamp().as_millisecond())
            else {
                continue;
            };
            if moment <= now && now < moment + DAY_MS {
                questionnaires
                    .entry((a.client_id.clone(), day.to_string()))
                    .or_insert_with(|| (a.practice_id.clone(), a.recipient_id.clone(), vec![]))
                    .2
                    .push(a.assessment_id.clone());
            }
        }
    }
    for ((client, day), (practice, recipient, mut ids)) in questionnaires {
        ids.sort();
        ids.dedup();
        jobs.push(job(
            KIND_QUESTIONNAIRE,
            &practice,
            &client,
            &recipient,
            serde_json::json!({ "assessments": ids, "day": day }),
            format!("{KIND_QUESTIONNAIRE}:{client}:{day}"),
        ));
    }
    for al in &c.alerts {
        let Some((settings, _)) = practices.get(al.practice_id.as_str()) else {
            continue;
        };
        if !settings.alert_mail {
            continue;
        }
        for r in &al.recipients {
            jobs.push(job(
                KIND_ALERT,
                &al.practice_id,
                &al.client_id,
                r,
                serde_json::json!({ "alert": al.alert_id }),
                format!("{KIND_ALERT}:{}:{r}", al.alert_id),
            ));
        }
    }
    jobs
}

/// The scheduler and the sender: what `ferd serve` runs every minute, and the admin's page reads through the store.
#[derive(Clone)]
pub struct Postman {
    store: Store,
    i18n: Arc<I18n>,
    mail: MailConfig,
    link_base: String,
    worker: String,
    actor: Actor,
}

impl std::fmt::Debug for Postman {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Postman")
            .field("mail", &self.mail)
            .field("worker", &self.worker)
            .finish_non_exhaustive()
    }
}

impl Postman {
    /// A postman for this instance: `worker` names it in the jobs it claims (unique per process), `link_base` is
    /// the address the mails' sign-in links point at (the public address).
    pub fn new(
        store: Store,
        mail: MailConfig,
        link_base: &str,
        worker: &str,
    ) -> Result<Postman, MailConfigError> {
        let i18n = I18n::load().map_err(|e| MailConfigError::Messages(e.to_string()))?;
        Ok(Postman {
            store,
            i18n: Arc::new(i18n),
            mail,
            link_base: link_base.trim_end_matches('/').to_string(),
            worker: worker.to_string(),
            actor: Actor {
                user_id: "mailer".into(),
                role: Role::System,
                practice_id: None,
                practice_admin: false,
                client_id: None,
                request_id: format!("mailer-{worker}"),
            },
        })
    }

    /// The name this instance's worker claims jobs under.
    pub fn worker(&self) -> &str {
        &self.worker
    }

    /// Where mail goes.
    pub fn config(&self) -> &MailConfig {
        &self.mail
    }

    /// Enqueues the reminders due at `now` (once each, however many instances do this). Returns how many were new.
    pub async fn schedule(&self, now: i64) -> Result<usize, StoreError> {
        let candidates = self.store.reminder_candidates(&self.actor, now).await?;
        let jobs = plan(&candidates, now);
        if jobs.is_empty() {
            return Ok(0);
        }
        Ok(self
            .store
            .enqueue_jobs(&self.actor, &jobs, now)
            .await?
            .len())
    }

    /// Marks jobs whose worker died mid-send interrupted (see [`Store::mark_interrupted_jobs`]).
    pub async fn recover(&self, now: i64) -> Result<u64, StoreError> {
        let n = self.store.mark_interrupted_jobs(&self.actor, now).await?;
        if n > 0 {
            tracing::warn!(jobs = n, "jobs interrupted mid-send: not retried; an admin can send them again on /admin/mail");
        }
        Ok(n)
    }

    /// Claims and delivers due jobs, one at a time, until none is due or `max` are done. Returns how many ran.
    pub async fn deliver_due(&self, max: usize) -> Result<usize, StoreError> {
        let mut done = 0;
        while done < max {
            let Some(job) = self
                .store
                .claim_job(&self.actor, &self.worker, ferd_store::now_ms(), LEASE_MS)
                .await?
            else {
                break;
            };
            let outcome = match self.deliver(&job).await {
                Ok(o) => o,
                Err(e) => {
                    tracing::warn!(error = %e, job = %job.id, "could not prepare a mail");
                    JobOutcome::NotHandedOver {
                        error: "could not read what the mail needs from the database".into(),
                        permanent: false,
                    }
                }
            };
            self.record(&job, &outcome).await;
            done += 1;
        }
        Ok(done)
    }

    /// Records an outcome, trying again for a while if the database is away: the record is what keeps a sent mail
    /// from being sent again. If it never succeeds, the job's lease runs out and it shows as interrupted.
    async fn record(&self, job: &Job, outcome: &JobOutcome) {
        let mut wait = Duration::from_millis(200);
        for _ in 0..10 {
            match self
                .store
                .finish_job(
                    &self.actor,
                    &job.id,
                    &self.worker,
                    outcome,
                    ferd_store::now_ms(),
                )
                .await
            {
                Ok(true) => {
                    match outcome {
                        JobOutcome::Sent { .. } => {
                            tracing::info!(job = %job.id, kind = %job.kind, "mail sent")
                        }
                        JobOutcome::Skipped { reason } => {
                            tracing::info!(job = %job.id, %reason, "reminder no longer needed")
                        }
                        JobOutcome::NotHandedOver { error, .. } => {
                            tracing::warn!(job = %job.id, %error, "mail not sent")
                        }
                        JobOutcome::Uncertain { error } => {
                            tracing::error!(job = %job.id, %error, "mail may or may not have been sent")
                        }
                    }
                    return;
                }
                Ok(false) => {
                    tracing::warn!(job = %job.id, "the job was changed while it ran; its outcome is not recorded");
                    return;
                }
                Err(e) => {
                    tracing::warn!(error = %e, job = %job.id, "could not record a job's outcome; trying again");
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(Duration::from_secs(30));
                }
            }
        }
        tracing::error!(job = %job.id, "gave up recording a job's outcome: it will show as interrupted");
    }

    /// Prepares and hands over one claimed job's mail; the outcome is for [`Store::finish_job`].
    pub async fn deliver(&self, job: &Job) -> Result<JobOutcome, StoreError> {
        let ctx = match self.store.mail_context(&self.actor, job).await? {
            MailPlan::Skip(reason) => {
                return Ok(JobOutcome::Skipped {
                    reason: reason.to_string(),
                })
            }
            MailPlan::Send(ctx) => ctx,
        };
        let composed = compose(&self.i18n, &ctx, &self.link_base);
        let message = match message(&self.mail.from, &ctx.to, &job.id, &composed) {
            Ok(m) => m,
            Err(error) => {
                return Ok(JobOutcome::NotHandedOver {
                    error,
                    permanent: true,
                })
            }
        };
        let bytes = message.formatted();
        Ok(match (&self.mail.smtp, &self.mail.outbox_dir) {
            (Some(relay), _) => send_smtp(relay, message.envelope(), &bytes).await,
            (None, Some(dir)) => {
                let (dir, id) = (dir.clone(), job.id.clone());
                let now = ferd_store::now_ms();
                tokio::task::spawn_blocking(move || write_outbox(&dir, &id, now, &bytes))
                    .await
                    .unwrap_or_else(|_| JobOutcome::NotHandedOver {
                        error: "the outbox writer stopped".into(),
                        permanent: false,
                    })
            }
            (None, None) => JobOutcome::NotHandedOver {
                error: "no SMTP server and no outbox folder is configured".into(),
                permanent: false,
            },
        })
    }

    /// Deletes outbox files older than [`OUTBOX_KEEP_MS`] (they hold addresses). Returns how many.
    pub fn prune_outbox(&self, now: i64) -> usize {
        let Some(dir) = &self.mail.outbox_dir else {
            return 0;
        };
        let Ok(entries) = std::fs::read_dir(dir) else {
            return 0;
        };
        let mut n = 0;
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if !is_outbox_name(&name) {
                continue;
            }
            let old = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .is_some_and(|d| (d.as_millis() as i64) < now - OUTBOX_KEEP_MS);
            if old && std::fs::remove_file(e.path()).is_ok() {
                n += 1;
            }
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferd_store::reminders::{
        AlertCandidate, AssessmentCandidate, PracticeReminders, SessionCandidate,
    };
    use ferd_store::ReminderSettings;

    #[test]
    fn an_smtp_address_says_how_the_connection_is_protected() {
        let r = SmtpRelay::parse("smtp://user:p%40ss@mail.example.org").unwrap();
        assert_eq!(
            (r.host.as_str(), r.port, r.security),
            ("mail.example.org", 587, Security::StartTls)
        );
        assert_eq!(
            (r.user.as_deref(), r.password.as_deref()),
            (Some("user"), Some("p@ss"))
        );
        let r = SmtpRelay::parse("smtps://u:pw@mail.example.org").unwrap();
        assert_eq!((r.port, r.security), (465, Security::Tls));
        let r = SmtpRelay::parse("smtp://127.0.0.1:2525?tls=none").unwrap();
        assert_eq!((r.port, r.security), (2525, Security::None));
        assert_eq!(r.describe(), "127.0.0.1:2525 (unencrypted)");
        // A password in clear text to another host is refused; to this machine it is allowed.
        assert!(SmtpRelay::parse("smtp://u:pw@mail.example.org?tls=none").is_err());
        assert!(SmtpRelay::parse("smtp://u:pw@localhost:25?tls=none").is_ok());
        for bad in [
            "http://x",
            "smtp://",
            "smtp://h?tls=maybe",
            "smtp://h?x=1",
            "smtp://:pw@h",
            "smtp://h/path",
        ] {
            assert!(SmtpRelay::parse(bad).is_err(), "{bad}");
        }
        // The password never shows in the debug output.
        assert!(
            !format!("{:?}", SmtpRelay::parse("smtps://u:secret@h").unwrap()).contains("secret")
        );
    }

    #[test]
    fn a_sender_is_required_with_an_smtp_server_and_must_be_an_address() {
        assert!(MailConfig::new(Some("smtp://h"), None, None).is_err());
        assert!(MailConfig::new(Some("smtp://h"), Some("not an address"), None).is_err());
        let c = MailConfig::new(
            Some("smtp://h"),
            Some("Fjordlys <post@fjordlys.example>"),
            None,
        )
        .unwrap();
        assert_eq!(c.from.email.to_string(), "post@fjordlys.example");
        let c = MailConfig::new(None, None, Some("/tmp/x".into())).unwrap();
        assert!(c.smtp.is_none() && c.can_send());
        assert!(!MailConfig::default().can_send());
    }

    #[test]
    fn outbox_names_are_only_those_ferd_writes() {
        assert!(is_outbox_name("20260101T090000Z-0b5e-41.eml"));
        for bad in ["../x.eml", ".x.eml.tmp", "a/b.eml", "x.txt", ".hidden.eml"] {
            assert!(!is_outbox_name(bad), "{bad}");
        }
    }

    fn oslo_ms(y: i16, m: i8, d: i8, h: i8, min: i8) -> i64 {
        jiff::civil::date(y, m, d)
            .at(h, min, 0, 0)
            .to_zoned_datetime(TimeZone::get("Europe/Oslo").unwrap())
            .unwrap()
            .timestamp()
            .as_millisecond()
    }

    fn candidates(settings: ReminderSettings) -> ReminderCandidates {
        ReminderCandidates {
            practices: vec![PracticeReminders {
                practice_id: "p".into(),
                time_zone: "Europe/Oslo".into(),
                settings,
            }],
            sessions: vec![SessionCandidate {
                session_id: "s1".into(),
                client_id: "c1".into(),
                practice_id: "p".into(),
                recipient_id: "u1".into(),
                scheduled_at: oslo_ms(2026, 3, 30, 14, 0),
            }],
            assessments: vec![
                AssessmentCandidate {
                    assessment_id: "a1".into(),
                    client_id: "c1".into(),
                    practice_id: "p".into(),
                    recipient_id: "u1".into(),
                    due_at: oslo_ms(2026, 3, 30, 0, 0),
                },
                AssessmentCandidate {
                    assessment_id: "a2".into(),
                    client_id: "c1".into(),
                    practice_id: "p".into(),
                    recipient_id: "u1".into(),
                    due_at: oslo_ms(2026, 3, 27, 12, 0),
                },
            ],
            alerts: vec![AlertCandidate {
                alert_id: "al".into(),
                client_id: "c1".into(),
                practice_id: "p".into(),
                recipients: vec!["t1".into(), "t2".into()],
                created_at: oslo_ms(2026, 3, 30, 8, 0),
            }],
        }
    }

    #[test]
    fn the_plan_follows_the_practice_clock_and_makes_one_questionnaire_mail_per_client_and_day() {
        let c = candidates(ReminderSettings::default());
        // 08:59 the day after DST began, Oslo: the session (14:00 tomorrow? no: today) is within 24 h; the
        // questionnaires wait for 09:00.
        let before = plan(&c, oslo_ms(2026, 3, 30, 8, 59));
        let keys: Vec<_> = before.iter().map(|j| j.dedupe_key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "session-reminder:s1:".to_string() + &oslo_ms(2026, 3, 30, 14, 0).to_string(),
                "alert-notice:al:t1".into(),
                "alert-notice:al:t2".into()
            ]
        );
        // 09:00: a1 is due today and a2 (due 27 March) is three days overdue: one mail for both.
        let at_nine = plan(&c, oslo_ms(2026, 3, 30, 9, 0));
        let q: Vec<_> = at_nine
            .iter()
            .filter(|j| j.kind == KIND_QUESTIONNAIRE)
            .collect();
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].dedupe_key, "questionnaire-reminder:c1:2026-03-30");
        assert_eq!(q[0].payload["assessments"], serde_json::json!(["a1", "a2"]));
        assert_eq!(q[0].recipient_id.as_deref(), Some("u1"));
        // The session is too close to be worth a mail an hour before it; a day later the questionnaire mail is over.
        let late = plan(&c, oslo_ms(2026, 3, 30, 13, 30));
        assert!(late.iter().all(|j| j.kind != KIND_SESSION));
        assert!(plan(&c, oslo_ms(2026, 3, 31, 9, 0))
            .iter()
            .all(|j| j.kind != KIND_QUESTIONNAIRE));
        // A practice that turned things off gets none of them.
        let off = candidates(ReminderSettings {
            session_hours: 0,
            questionnaire: false,
            alert_mail: false,
            ..ReminderSettings::default()
        });
        assert!(plan(&off, oslo_ms(2026, 3, 30, 9, 0)).is_empty());
        // Forty-eight hours' notice reaches further back.
        let early = candidates(ReminderSettings {
            session_hours: 48,
            ..ReminderSettings::default()
        });
        assert!(plan(&early, oslo_ms(2026, 3, 28, 15, 0))
            .iter()
            .any(|j| j.kind == KIND_SESSION));
    }

    fn ctx(reminder: Reminder, lang: &str, to_client: bool) -> MailContext {
        MailContext {
            to: "kari@example.org".into(),
            language: Some(lang.into()),
            practice_name: "Fjordlys".into(),
            time_zone: "Europe/Oslo".into(),
            to_client,
            reminder,
        }
    }

    #[test]
    fn a_reminder_speaks_the_recipients_language_and_says_nothing_clinical() {
        let i18n = Arc::new(I18n::load().unwrap());
        let at = oslo_ms(2026, 11, 26, 14, 0);
        let nb = compose(
            &i18n,
            &ctx(Reminder::Session { starts_at: at }, "nb", true),
            "https://ferd.example.no/",
        );
        assert_eq!(nb.lang, Lang::Nb);
        assert!(
            nb.body[0].contains("torsdag 26. november") && nb.body[0].contains("14.00"),
            "{:?}",
            nb.body
        );
        assert_eq!(nb.link, "https://ferd.example.no/login");
        let en = compose(
            &i18n,
            &ctx(Reminder::Session { starts_at: at }, "en", true),
            "https://ferd.example.no",
        );
        assert!(en.body[0].contains("Thursday 26 November") && en.body[0].contains("14:00"));
        let q = compose(
            &i18n,
            &ctx(Reminder::Questionnaires { count: 2 }, "en-GB", true),
            "http://x",
        );
        assert!(q.body[0].contains('2'), "{:?}", q.body);
        let alert = compose(&i18n, &ctx(Reminder::Alert, "de", false), "http://x");
        assert_eq!(
            alert.lang,
            Lang::Nb,
            "a language ferd does not speak falls back to bokmål"
        );
        let sv = compose(
            &i18n,
            &ctx(Reminder::Session { starts_at: at }, "sv-SE", true),
            "https://ferd.example.no",
        );
        assert_eq!(sv.lang, Lang::Sv);
        for m in [&nb, &en, &q, &alert, &sv] {
            let text = m.text().unwrap();
            let html = m.html().unwrap();
            for word in [
                "PCL",
                "PHQ",
                "score",
                "poeng",
                "poäng",
                "medicine",
                "medicin",
                "MDMA",
                "suicid",
                "självmord",
                "Kari",
            ] {
                assert!(
                    !text.contains(word) && !html.contains(word),
                    "{word} in {text}"
                );
            }
            assert!(text.contains(&m.link) && html.contains(&m.link));
            assert!(html.contains(&format!("lang=\"{}\"", m.lang.tag())));
        }
        let msg = message(
            &MailConfig::default().from,
            "kari@example.org",
            "job-1",
            &nb,
        )
        .unwrap();
        let raw = String::from_utf8(msg.formatted()).unwrap();
        assert!(raw.contains("Message-ID: <job-1@localhost>"), "{raw}");
        assert!(raw.contains("Auto-Submitted: auto-generated"));
        assert!(raw.contains("Content-Language: nb"));
        assert!(raw.contains("multipart/alternative"));
        assert!(message(&MailConfig::default().from, "not an address", "j", &nb).is_err());
    }

    #[test]
    fn a_swedish_recipient_gets_the_reminder_in_swedish_plain_text_and_html() {
        let i18n = Arc::new(I18n::load().unwrap());
        let at = oslo_ms(2026, 11, 26, 14, 0);
        let m = compose(
            &i18n,
            &ctx(Reminder::Session { starts_at: at }, "sv", true),
            "https://ferd.example.no",
        );
        assert_eq!(m.lang, Lang::Sv);
        assert_eq!(m.subject, "Påminnelse: ditt besök torsdag 26 november");
        assert_eq!(
            m.body[0],
            "Det här är en påminnelse om ditt besök torsdag 26 november kl. 14.00."
        );
        assert_eq!(m.greeting, "Hej,");
        assert_eq!(m.button, "Logga in");
        let text = m.text().unwrap();
        let html = m.html().unwrap();
        for part in [&text, &html] {
            assert!(part.contains("torsdag 26 november kl. 14.00"), "{part}");
            assert!(
                part.contains("Du får den här påminnelsen från Fjordlys."),
                "{part}"
            );
            assert!(part.contains("https://ferd.example.no/login"), "{part}");
        }
        assert!(html.contains("<html lang=\"sv\">"));
        let two = compose(
            &i18n,
            &ctx(Reminder::Questionnaires { count: 2 }, "sv-FI", true),
            "http://x",
        );
        assert_eq!(two.subject, "2 frågeformulär väntar på dig");
        let one = compose(
            &i18n,
            &ctx(Reminder::Questionnaires { count: 1 }, "sv", true),
            "http://x",
        );
        assert_eq!(one.subject, "Ett frågeformulär väntar på dig");
        let staff = compose(&i18n, &ctx(Reminder::Alert, "sv", false), "http://x");
        assert_eq!(staff.subject, "En ny varning väntar i ferd");
        assert!(staff.footer[0].contains("skickar varningar med e-post till terapeuterna"));
        let raw = String::from_utf8(
            message(&MailConfig::default().from, "kari@example.org", "job-2", &m)
                .unwrap()
                .formatted(),
        )
        .unwrap();
        assert!(raw.contains("Content-Language: sv"), "{raw}");
    }
}

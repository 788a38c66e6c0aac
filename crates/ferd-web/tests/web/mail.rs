//! Reminder e-mail end to end: the scheduler and the sender against a real SMTP server (Python's `aiosmtpd`, started
//! by `tests/smtp/server.py` on a free port), the messages read back by an independent parser (Python's `email`),
//! retries, refusals and sign-in at the server; the admin's mail page with the outbox, an interrupted mail and
//! "send again"; and a client turning reminders off on their account page.
//!
//! Without aiosmtpd the SMTP tests are skipped with a note, unless FERD_REQUIRE_SMTP is set (CI sets it).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use ferd_store::jobs::LEASE_MS;
use ferd_store::{Actor, JobStatus, NewSession, ReminderSettings};
use ferd_web::mail::{MailConfig, Postman};
use serde_json::Value;

use crate::common::*;

const HOUR: i64 = 3_600_000;

/// A real SMTP server for one test, stopped (by its own process id) and its folder removed when dropped.
pub struct Smtp {
    child: Child,
    pub port: u16,
    pub dir: PathBuf,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Starts `tests/smtp/server.py` with `args`; `None` (with a note) when aiosmtpd is not installed and
/// FERD_REQUIRE_SMTP is not set.
pub fn smtp(args: &[&str]) -> Option<Smtp> {
    let installed = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !installed {
        assert!(
            std::env::var_os("FERD_REQUIRE_SMTP").is_none(),
            "FERD_REQUIRE_SMTP is set but Python's aiosmtpd is not installed (pip install aiosmtpd)"
        );
        eprintln!("note: Python's aiosmtpd is not installed; the SMTP delivery test is skipped");
        return None;
    }
    let dir = std::env::temp_dir().join(format!("ferd-smtp-{}", uuid::Uuid::new_v4().simple()));
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/smtp/server.py");
    let mut child = Command::new("python3")
        .arg(script)
        .arg(&dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the SMTP server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .strip_prefix("READY ")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("the SMTP server did not start: {line:?}"));
    Some(Smtp { child, port, dir })
}

impl Smtp {
    /// The server's address for `smtp_url`, optionally with a user and password.
    pub fn url(&self, credentials: Option<&str>) -> String {
        let who = credentials.map(|c| format!("{c}@")).unwrap_or_default();
        format!("smtp://{who}127.0.0.1:{}?tls=none", self.port)
    }

    /// The messages the server has received, parsed by Python's `email`, in the order they came.
    pub fn messages(&self) -> Vec<Value> {
        let mut n = 1;
        let mut out = vec![];
        while self.dir.join(format!("{n}.eml")).exists() {
            let mut v = parse_eml(&self.dir.join(format!("{n}.eml")));
            let envelope: Value = serde_json::from_str(
                &std::fs::read_to_string(self.dir.join(format!("{n}.json"))).unwrap(),
            )
            .unwrap();
            v["envelope"] = envelope;
            out.push(v);
            n += 1;
        }
        out
    }
}

/// A message's headers and bodies as Python's `email` package reads them (an independent MIME parser).
pub fn parse_eml(path: &std::path::Path) -> Value {
    const SCRIPT: &str = r#"
import json, sys
from email import policy
from email.parser import BytesParser
m = BytesParser(policy=policy.default).parse(open(sys.argv[1], "rb"))
text = m.get_body(("plain",))
html = m.get_body(("html",))
print(json.dumps({
    "subject": str(m["subject"]),
    "from": str(m["from"]),
    "to": str(m["to"]),
    "message_id": str(m["message-id"]),
    "language": str(m["content-language"]),
    "auto_submitted": str(m["auto-submitted"]),
    "type": m.get_content_type(),
    "text": text.get_content() if text else None,
    "html": html.get_content() if html else None,
}))
"#;
    let out = Command::new("python3")
        .args(["-c", SCRIPT])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Client Kari's session tomorrow, a questionnaire due today, and a missed session's alert for her therapist Tor.
/// Questionnaire reminders go at midnight, so the one due today is due for a reminder whenever the test runs.
async fn reminders_due(app: &TestApp) -> String {
    let now = ferd_store::now_ms();
    app.store
        .set_reminder_settings(
            &app.admin.actor,
            ReminderSettings {
                hour: 0,
                ..ReminderSettings::default()
            },
        )
        .await
        .unwrap();
    let t = &app.therapist.actor;
    let session = app
        .store
        .add_session(
            t,
            NewSession {
                client_id: app.client_id.clone(),
                kind: "preparation".into(),
                scheduled_at: now + 20 * HOUR,
                duration_minutes: 90,
                place: Some("Room 7".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    app.store
        .schedule_assessments(t, &app.client_id, "pcl-5", "baseline", &[now])
        .await
        .unwrap();
    let missed = app
        .store
        .add_session(
            t,
            NewSession {
                client_id: app.client_id.clone(),
                kind: "integration".into(),
                scheduled_at: now - 3 * HOUR,
                duration_minutes: 60,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    app.store
        .update_session(t, &missed.id, "missed", Some("never tell a mail"))
        .await
        .unwrap();
    session.id
}

fn system() -> Actor {
    Actor::system("test")
}

/// Words that must never reach a mail: instruments, the kind of session, a place, a note, the client's name.
const NEVER: [&str; 12] = [
    "PCL",
    "pcl-5",
    "baseline",
    "preparation",
    "forberedelse",
    "integration",
    "Room 7",
    "never tell",
    "Kari",
    "Klient",
    "missed",
    "uteblitt",
];

#[tokio::test]
async fn reminders_reach_a_real_smtp_server_once_each_in_the_recipients_language_and_nothing_clinical(
) {
    for backend in backends() {
        let Some(server) = smtp(&[]) else { return };
        let app = spawn(backend).await;
        reminders_due(&app).await;
        // The therapist reads ferd in English; Kari has no setting, so the language her therapist recorded (nb).
        app.store
            .set_language(&app.therapist.actor, Some("en"))
            .await
            .unwrap();
        let mail = MailConfig::new(
            Some(&server.url(None)),
            Some("Practice A <post@a.example.org>"),
            None,
        )
        .unwrap();
        let postman = Postman::new(
            app.store.clone(),
            mail,
            "https://ferd.example.no/",
            "test-a",
        )
        .unwrap();
        let now = ferd_store::now_ms();
        assert_eq!(postman.schedule(now).await.unwrap(), 3, "{backend}");
        // A second instance (or the next minute) enqueues nothing new.
        let other = Postman::new(
            app.store.clone(),
            MailConfig::default(),
            "https://x",
            "test-b",
        )
        .unwrap();
        assert_eq!(other.schedule(now + 60_000).await.unwrap(), 0);
        assert_eq!(postman.deliver_due(10).await.unwrap(), 3);
        let messages = server.messages();
        assert_eq!(messages.len(), 3, "{backend}: {messages:#?}");
        for m in &messages {
            assert_eq!(m["type"], "multipart/alternative");
            assert_eq!(m["from"], "Practice A <post@a.example.org>");
            assert_eq!(m["auto_submitted"], "auto-generated");
            assert_eq!(m["envelope"]["from"], "post@a.example.org");
            let (text, html) = (m["text"].as_str().unwrap(), m["html"].as_str().unwrap());
            assert!(text.contains("https://ferd.example.no/login"), "{text}");
            assert!(html.contains("href=\"https://ferd.example.no/login\""));
            for word in NEVER {
                let all = format!("{}{text}{html}", m["subject"]);
                assert!(!all.contains(word), "{word:?} in a mail: {all}");
            }
        }
        let to = |who: &str| -> Vec<&Value> {
            messages
                .iter()
                .filter(|m| m["envelope"]["to"][0] == who)
                .collect()
        };
        let kari = to("kari@example.org");
        assert_eq!(kari.len(), 2);
        assert!(kari.iter().all(|m| m["language"] == "nb"));
        let subjects: Vec<&str> = kari
            .iter()
            .map(|m| m["subject"].as_str().unwrap())
            .collect();
        assert!(
            subjects.contains(&"Et spørreskjema venter på deg"),
            "{subjects:?}"
        );
        assert!(
            subjects.iter().any(|s| s.starts_with("Påminnelse: time ")),
            "{subjects:?}"
        );
        let session = kari
            .iter()
            .find(|m| m["subject"].as_str().unwrap().starts_with("Påminnelse"))
            .unwrap();
        assert!(session["text"].as_str().unwrap().contains(" kl. "));
        assert!(session["text"]
            .as_str()
            .unwrap()
            .contains("slå av påminnelser"));
        let tor = to("tor@a.example.org");
        assert_eq!(tor.len(), 1);
        assert_eq!(tor[0]["subject"], "A new alert is waiting in ferd");
        assert_eq!(tor[0]["language"], "en");
        // Sent, each once, and each send audited.
        let jobs = app.store.all_jobs(&system()).await.unwrap();
        assert!(jobs
            .iter()
            .all(|j| j.status == JobStatus::Sent && j.attempts == 1));
        for j in &jobs {
            assert!(messages
                .iter()
                .any(|m| m["message_id"] == format!("<{}@a.example.org>", j.id)));
        }
        let sends = app
            .store
            .audit_events()
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "send" && e.entity == "job")
            .count();
        assert_eq!(sends, 3);
        // The next minute, and the one after: nothing is sent twice.
        assert_eq!(postman.schedule(ferd_store::now_ms()).await.unwrap(), 0);
        assert_eq!(postman.deliver_due(10).await.unwrap(), 0);
        assert_eq!(server.messages().len(), 3);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_refusal_before_hand_over_is_retried_later_and_delivered_once() {
    let Some(server) = smtp(&["--refuse", "1"]) else {
        return;
    };
    let app = spawn("sqlite").await;
    reminders_due(&app).await;
    let mail = MailConfig::new(Some(&server.url(None)), Some("post@a.example.org"), None).unwrap();
    let postman = Postman::new(app.store.clone(), mail, "http://x", "retry").unwrap();
    assert_eq!(postman.schedule(ferd_store::now_ms()).await.unwrap(), 3);
    // The first attempt meets a 451 at RCPT: nothing was handed over, so it waits and is tried again.
    assert_eq!(postman.deliver_due(10).await.unwrap(), 3);
    let jobs = app.store.all_jobs(&system()).await.unwrap();
    let waiting: Vec<_> = jobs
        .iter()
        .filter(|j| j.status == JobStatus::Queued)
        .collect();
    assert_eq!(waiting.len(), 1, "{jobs:#?}");
    let w = waiting[0];
    assert_eq!(w.attempts, 1);
    assert_eq!(
        w.last_error.as_deref(),
        Some("the mail server turned the recipient away for now (SMTP 451)")
    );
    assert!(
        w.run_at >= ferd_store::now_ms() + 50_000,
        "backoff of a minute"
    );
    assert_eq!(server.messages().len(), 2);
    // Not before its time…
    assert_eq!(postman.deliver_due(10).await.unwrap(), 0);
    // …and once its time has come (the test moves it instead of waiting a minute), delivered once.
    sqlx::query("UPDATE jobs SET run_at = 0 WHERE id = $1")
        .bind(&w.id)
        .execute(app.store.pool())
        .await
        .unwrap();
    assert_eq!(postman.deliver_due(10).await.unwrap(), 1);
    let j = app.store.job(&system(), &w.id).await.unwrap();
    assert_eq!((j.status, j.attempts), (JobStatus::Sent, 2));
    assert_eq!(server.messages().len(), 3);
    app.cleanup().await;
}

#[tokio::test]
async fn the_mail_server_is_signed_in_to_and_a_wrong_password_or_no_starttls_fails_without_sending()
{
    let Some(server) = smtp(&["--auth", "ferd:s3cret pass"]) else {
        return;
    };
    let app = spawn("sqlite").await;
    reminders_due(&app).await;
    let postman = |url: String, worker: &str| {
        Postman::new(
            app.store.clone(),
            MailConfig::new(Some(&url), Some("post@a.example.org"), None).unwrap(),
            "http://x",
            worker,
        )
        .unwrap()
    };
    let wrong = postman(server.url(Some("ferd:wrong")), "wrong");
    wrong.schedule(ferd_store::now_ms()).await.unwrap();
    assert_eq!(wrong.deliver_due(1).await.unwrap(), 1);
    let failed = app
        .store
        .all_jobs(&system())
        .await
        .unwrap()
        .into_iter()
        .find(|j| j.attempts == 1)
        .unwrap();
    // A 535 is final: failed at once, never retried, and the password is in no error.
    assert_eq!(failed.status, JobStatus::Failed);
    assert_eq!(
        failed.last_error.as_deref(),
        Some("the mail server refused the sign-in (SMTP 535)")
    );
    // A server without STARTTLS is refused when the address asks for it (smtp:// without tls=none).
    let plain = postman(
        format!("smtp://ferd:x@127.0.0.1:{}", server.port),
        "starttls",
    );
    assert_eq!(plain.deliver_due(1).await.unwrap(), 1);
    let refused = app
        .store
        .all_jobs(&system())
        .await
        .unwrap()
        .into_iter()
        .find(|j| j.locked_by.as_deref() == Some("starttls"))
        .unwrap();
    assert_eq!(refused.status, JobStatus::Failed);
    assert!(refused
        .last_error
        .unwrap()
        .starts_with("the mail server does not offer STARTTLS"));
    assert!(server.messages().is_empty());
    // The right password (percent-encoded space) delivers the last one.
    let right = postman(server.url(Some("ferd:s3cret%20pass")), "right");
    assert_eq!(right.deliver_due(5).await.unwrap(), 1);
    assert_eq!(server.messages().len(), 1);
    app.cleanup().await;
}

/// The outbox folder of a test app.
fn outbox() -> PathBuf {
    std::env::temp_dir().join(format!("ferd-outbox-{}", uuid::Uuid::new_v4().simple()))
}

#[tokio::test]
async fn the_admin_sees_the_jobs_and_the_outbox_and_sends_an_interrupted_mail_again() {
    for backend in backends() {
        let dir = outbox();
        let mail = MailConfig::new(None, None, Some(dir.clone())).unwrap();
        let app = spawn_with(backend, |c| c.mail = mail.clone()).await;
        reminders_due(&app).await;
        let postman = Postman::new(app.store.clone(), mail.clone(), &app.base, "web-test").unwrap();
        let now = ferd_store::now_ms();
        assert_eq!(postman.schedule(now).await.unwrap(), 3);
        // One job is claimed by an instance that then dies mid-send; its lease runs out.
        let dead = app
            .store
            .claim_job(&system(), "dead-instance", now, LEASE_MS)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(postman.deliver_due(10).await.unwrap(), 2);
        assert_eq!(
            app.store
                .mark_interrupted_jobs(&system(), now + LEASE_MS + 1)
                .await
                .unwrap(),
            1
        );
        let files: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
        assert_eq!(files.len(), 2, "{backend}");

        let mut admin = app.signed_in(&app.admin).await;
        let p = admin.get("/admin").await;
        assert!(p.body.contains("href=\"/admin/mail\""));
        let p = admin.get("/admin/mail").await;
        assert_eq!(p.status, 200, "{}", p.body);
        assert!(
            p.body.contains(&dir.display().to_string()),
            "the outbox folder is named"
        );
        assert!(p.body.contains("id=\"interrupted\""));
        assert!(p
            .body
            .contains(&format!("/admin/mail/jobs/{}/resend", dead.id)));
        assert!(p.body.contains("kari@example.org") && p.body.contains("tor@a.example.org"));
        assert!(p.body.contains("Avbrutt") && p.body.contains("Sendt"));
        // The outbox lists the files, and one opens as the message itself.
        let sent = app
            .store
            .all_jobs(&system())
            .await
            .unwrap()
            .into_iter()
            .find(|j| j.status == JobStatus::Sent)
            .unwrap();
        let file = sent.outbox_file.clone().unwrap();
        assert!(p.body.contains(&file));
        let eml = admin.get(&format!("/admin/mail/outbox/{}", sent.id)).await;
        assert_eq!(eml.status, 200);
        assert_eq!(eml.headers["content-type"], "text/plain; charset=utf-8");
        assert!(eml.body.contains("Auto-Submitted: auto-generated"));
        // The file, read by the independent parser: the mail as it would have gone out.
        let parsed = parse_eml(&dir.join(&file));
        assert_eq!(parsed["type"], "multipart/alternative");
        let text = parsed["text"].as_str().unwrap();
        assert!(text.contains(&format!("{}/login", app.base)), "{text}");
        for word in NEVER {
            assert!(!text.contains(word), "{word}");
        }
        // An interrupted job is only sent again by the admin's decision.
        assert_eq!(postman.deliver_due(10).await.unwrap(), 0);
        let r = admin
            .post(&format!("/admin/mail/jobs/{}/resend", dead.id), &[])
            .await;
        assert_eq!(r.status, 303);
        assert_eq!(r.location(), "/admin/mail?notice=notice-mail-resent");
        assert_eq!(postman.deliver_due(10).await.unwrap(), 1);
        let again = app.store.job(&system(), &dead.id).await.unwrap();
        assert_eq!((again.status, again.attempts), (JobStatus::Sent, 2));
        let p = admin.get("/admin/mail").await;
        assert!(!p.body.contains("id=\"interrupted\""));
        assert!(p.body.contains("sendt på nytt av en administrator"));
        // A sent job cannot be sent again.
        let r = admin
            .post(&format!("/admin/mail/jobs/{}/resend", sent.id), &[])
            .await;
        assert_eq!(r.status, 400);
        // Every look was audited as the admin.
        let events = app.store.audit_events().await.unwrap();
        let mine = |action: &str| {
            events
                .iter()
                .filter(|e| e.actor_id == app.admin.id && e.action == action && e.entity == "job")
                .count()
        };
        assert!(mine("list") >= 2 && mine("read") >= 1 && mine("resend") >= 1);

        // The reminder timing: saved when every number is in range, refused whole otherwise.
        let r = admin
            .post(
                "/admin/mail/settings",
                &[
                    ("session_hours", "48"),
                    ("hour", "17"),
                    ("overdue_days", "0"),
                    ("alert_mail", "1"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        let saved = app.store.reminder_settings(&app.admin.actor).await.unwrap();
        assert_eq!(
            saved,
            ReminderSettings {
                session_hours: 48,
                questionnaire: false,
                hour: 17,
                overdue_days: 0,
                alert_mail: true
            }
        );
        admin.get("/admin/mail").await;
        let r = admin
            .post(
                "/admin/mail/settings",
                &[
                    ("session_hours", "24"),
                    ("hour", "25"),
                    ("overdue_days", "x"),
                ],
            )
            .await;
        assert_eq!(r.status, 422);
        assert!(r.body.contains("id=\"settings-error\""));
        assert_eq!(
            app.store.reminder_settings(&app.admin.actor).await.unwrap(),
            saved
        );

        // Nobody else sees the page or the files; another practice's admin sees none of this one's mail.
        let mut anonymous = app.browser();
        let p = anonymous.get("/admin/mail").await;
        assert_eq!((p.status, p.location().as_str()), (303, "/login"));
        for who in [&app.therapist, &app.client] {
            let mut b = app.signed_in(who).await;
            assert_eq!(b.get("/admin/mail").await.status, 403);
            assert_eq!(
                b.get(&format!("/admin/mail/outbox/{}", sent.id))
                    .await
                    .status,
                403
            );
            assert_eq!(
                b.post(&format!("/admin/mail/jobs/{}/resend", dead.id), &[])
                    .await
                    .status,
                403
            );
        }
        let mut foreign = app.signed_in(&app.foreign_therapist).await;
        let p = foreign.get("/admin/mail").await;
        assert_eq!(p.status, 200);
        assert!(!p.body.contains("kari@example.org") && !p.body.contains(&sent.id));
        assert_eq!(
            foreign
                .get(&format!("/admin/mail/outbox/{}", sent.id))
                .await
                .status,
            404
        );
        assert_eq!(
            foreign
                .post(&format!("/admin/mail/jobs/{}/resend", sent.id), &[])
                .await
                .status,
            404
        );
        app.cleanup().await;
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[tokio::test]
async fn a_client_turns_reminders_off_and_on_from_the_account_page() {
    for backend in backends() {
        let app = spawn(backend).await;
        reminders_due(&app).await;
        let mut kari = app.signed_in(&app.client).await;
        let p = kari.get("/account").await;
        assert!(p.body.contains("id=\"reminders\""));
        assert!(p.body.contains("Slå av påminnelser på e-post"));
        let r = kari.post("/account/reminders", &[("off", "1")]).await;
        assert_eq!(r.status, 303);
        assert_eq!(
            r.location(),
            "/account?notice=notice-reminders-off#reminders"
        );
        let p = kari.get("/account").await;
        assert!(p.body.contains("Påminnelser på e-post er slått av."));
        assert!(p.body.contains("Slå på påminnelser på e-post"));
        let off_event = app
            .store
            .audit_events()
            .await
            .unwrap()
            .into_iter()
            .any(|e| e.action == "reminders-off" && e.entity_id == app.client_id);
        assert!(off_event, "the choice is audited");
        // With reminders off only the therapist's alert is enqueued.
        let postman = Postman::new(
            app.store.clone(),
            MailConfig::new(None, None, Some(outbox())).unwrap(),
            &app.base,
            "w",
        )
        .unwrap();
        assert_eq!(postman.schedule(ferd_store::now_ms()).await.unwrap(), 1);
        let jobs = app.store.all_jobs(&system()).await.unwrap();
        assert_eq!(jobs[0].kind, "alert-notice");
        // A malformed choice changes nothing; staff have no reminders to turn off here.
        assert_eq!(
            kari.post("/account/reminders", &[("off", "maybe")])
                .await
                .status,
            400
        );
        let mut tor = app.signed_in(&app.therapist).await;
        let p = tor.get("/account").await;
        assert!(!p.body.contains("id=\"reminders\""));
        assert_eq!(
            tor.post("/account/reminders", &[("off", "1")]).await.status,
            403
        );
        let r = kari.post("/account/reminders", &[("off", "0")]).await;
        assert_eq!(r.status, 303);
        assert!(!app.store.reminders_off(&app.client.actor).await.unwrap());
        // Now Kari's reminders are enqueued too.
        assert_eq!(postman.schedule(ferd_store::now_ms()).await.unwrap(), 2);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_client_without_a_sign_in_and_a_disabled_login_get_no_reminders() {
    let app = spawn("sqlite").await;
    reminders_due(&app).await;
    // Ola (no login) has a session tomorrow: no reminder can reach a client who cannot sign in.
    app.store
        .add_session(
            &app.therapist2.actor,
            NewSession {
                client_id: app.other_client_id.clone(),
                kind: "preparation".into(),
                scheduled_at: ferd_store::now_ms() + 5 * HOUR,
                duration_minutes: 60,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    app.store
        .set_user_disabled(&app.admin.actor, &app.client.id, true)
        .await
        .unwrap();
    let postman = Postman::new(
        app.store.clone(),
        MailConfig::new(None, None, Some(outbox())).unwrap(),
        &app.base,
        "w",
    )
    .unwrap();
    postman.schedule(ferd_store::now_ms()).await.unwrap();
    let kinds: Vec<String> = app
        .store
        .all_jobs(&system())
        .await
        .unwrap()
        .into_iter()
        .map(|j| j.kind)
        .collect();
    assert_eq!(kinds, vec!["alert-notice".to_string()]);
    app.cleanup().await;
}

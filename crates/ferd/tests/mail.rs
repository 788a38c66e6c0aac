//! At most once, with real processes: `ferd serve` hands a reminder to a real SMTP server (Python's aiosmtpd, from
//! `tests/smtp/server.py`) that holds the message without confirming it, and is killed (SIGKILL) right then. The
//! job stays running until its lease runs out and is then interrupted; a new `ferd serve` neither sends it again
//! nor enqueues the reminder anew; an admin's "send again" delivers it once; and an orderly stop (SIGTERM) ends the
//! process cleanly.
//!
//! Skipped with a note when aiosmtpd is not installed, unless FERD_REQUIRE_SMTP is set (CI sets it).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ferd_store::jobs::LEASE_MS;
use ferd_store::{
    Actor, JobStatus, Keyring, NewClient, NewSession, NewUser, Role, Store, StoreOptions,
};

/// A child process, killed (by its own id) if the test ends before it does.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A real SMTP server and the folder it writes each message to.
struct Smtp {
    _child: Running,
    port: u16,
    dir: PathBuf,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn smtp(args: &[&str]) -> Option<Smtp> {
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
        eprintln!("note: Python's aiosmtpd is not installed; the interrupted-send test is skipped");
        return None;
    }
    let dir = std::env::temp_dir().join(format!("ferd-smtp-{}", uuid::Uuid::new_v4().simple()));
    let mut child = Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/smtp/server.py"
        ))
        .arg(&dir)
        .args(args)
        .stdout(Stdio::piped())
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
    Some(Smtp {
        _child: Running(child),
        port,
        dir,
    })
}

impl Smtp {
    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}?tls=none", self.port)
    }

    /// How many messages reached the server (confirmed or held).
    fn received(&self) -> usize {
        (1..)
            .take_while(|n| self.dir.join(format!("{n}.eml")).exists())
            .count()
    }
}

/// `ferd serve` on a free port for the practice in `dir`, sending mail to `smtp`.
fn serve(dir: &Path, smtp: &Smtp) -> Running {
    let log = std::fs::File::create(dir.join(format!("serve-{}.log", smtp.port))).unwrap();
    Running(
        Command::new(env!("CARGO_BIN_EXE_ferd"))
            .arg("--data-dir")
            .arg(dir)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env_remove("FERD_DATABASE_URL")
            .env_remove("FERD_DATA_DIR")
            .env_remove("FERD_PUBLIC_URL")
            .env_remove("FERD_SMTP_URL_FILE")
            .env("FERD_SMTP_URL", smtp.url())
            .env("FERD_MAIL_FROM", "Praksis <post@praksis.example.org>")
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start ferd serve"),
    )
}

fn wait_for(what: &str, secs: u64, mut done: impl FnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(secs);
    while !done() {
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

async fn open(dir: &Path) -> Store {
    let keys =
        Keyring::from_json(&std::fs::read_to_string(dir.join("keys.json")).unwrap()).unwrap();
    let url = format!("sqlite://{}", dir.join("ferd.db").display());
    Store::open(&url, keys, StoreOptions::default())
        .await
        .unwrap()
}

/// A practice made by `ferd init`, with a therapist and a client who can sign in and has a session tomorrow.
/// Returns the admin.
async fn practice(dir: &Path) -> Actor {
    let out = Command::new(env!("CARGO_BIN_EXE_ferd"))
        .arg("--data-dir")
        .arg(dir)
        .args([
            "init",
            "--practice",
            "Praksis",
            "--admin-email",
            "admin@praksis.example.org",
        ])
        .env_remove("FERD_DATABASE_URL")
        .env_remove("FERD_DATA_DIR")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = open(dir).await;
    let admin = store
        .account_by_email("admin@praksis.example.org")
        .await
        .unwrap()
        .unwrap()
        .actor("test");
    let sys = Actor::system("test");
    let practice = admin.practice_id.clone().unwrap();
    let therapist = store
        .create_user(
            &sys,
            NewUser {
                practice_id: Some(practice.clone()),
                email: "terapeut@praksis.example.org".into(),
                display_name: "Terapeut".into(),
                role: Role::Therapist,
                practice_admin: false,
                password_hash: None,
            },
        )
        .await
        .unwrap();
    let t = Actor {
        user_id: therapist.id.clone(),
        role: Role::Therapist,
        practice_id: Some(practice.clone()),
        practice_admin: false,
        client_id: None,
        request_id: "test".into(),
    };
    let client = store
        .create_client(
            &t,
            NewClient {
                therapist_id: Some(therapist.id.clone()),
                name: "Kari Klient".into(),
                preferred_language: "nb".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let login = store
        .create_user(
            &sys,
            NewUser {
                practice_id: Some(practice),
                email: "kari@example.org".into(),
                display_name: "Kari".into(),
                role: Role::Client,
                practice_admin: false,
                password_hash: None,
            },
        )
        .await
        .unwrap();
    store
        .link_client_user(&t, &client.id, &login.id)
        .await
        .unwrap();
    store
        .add_session(
            &t,
            NewSession {
                client_id: client.id,
                kind: "preparation".into(),
                scheduled_at: ferd_store::now_ms() + 20 * 3_600_000,
                duration_minutes: 90,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    store.close().await;
    admin
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_killed_mid_way_is_never_delivered_twice_and_waits_for_an_admin() {
    let Some(holding) = smtp(&["--hold"]) else {
        return;
    };
    let dir =
        std::env::temp_dir().join(format!("ferd-mail-kill-{}", uuid::Uuid::new_v4().simple()));
    let admin = practice(&dir).await;

    // ferd hands the session reminder over; the server holds it, unconfirmed, and ferd is killed right then.
    let mut first = serve(&dir, &holding);
    let pid = first.0.id();
    wait_for("the server to hold the message", 60, || {
        holding.dir.join("held-1").exists()
    });
    first.0.kill().unwrap();
    first.0.wait().unwrap();
    drop(first);

    let store = open(&dir).await;
    let sys = Actor::system("test");
    let jobs = store.all_jobs(&sys).await.unwrap();
    assert_eq!(jobs.len(), 1, "{jobs:#?}");
    let job = &jobs[0];
    assert_eq!(job.kind, "session-reminder");
    assert_eq!(
        job.status,
        JobStatus::Running,
        "killed between hand-over and the record"
    );
    assert!(
        job.locked_by
            .as_deref()
            .is_some_and(|w| w.contains(&format!(":{pid}:"))),
        "{:?}",
        job.locked_by
    );
    let lease_end = job.locked_until.unwrap();
    assert!(
        lease_end >= job.run_at + LEASE_MS,
        "a lease of {LEASE_MS} ms"
    );
    assert_eq!(holding.received(), 1);
    // Within its lease the job is left alone (its instance might still be sending); after it, interrupted.
    assert_eq!(
        store
            .mark_interrupted_jobs(&sys, lease_end - 1)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        store
            .mark_interrupted_jobs(&sys, lease_end + 1)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store.job(&sys, &job.id).await.unwrap().status,
        JobStatus::Interrupted
    );

    // A new instance, with a server that confirms everything: it sends nothing (the job is interrupted, and the
    // reminder's dedupe key keeps the scheduler from enqueuing it again).
    let confirming = smtp(&[]).unwrap();
    let mut second = serve(&dir, &confirming);
    let log = dir.join(format!("serve-{}.log", confirming.port));
    wait_for("the worker to start", 30, || {
        std::fs::read_to_string(&log).is_ok_and(|l| l.contains("mail worker started"))
    });
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(confirming.received(), 0);
    assert_eq!(store.all_jobs(&sys).await.unwrap().len(), 1);
    assert_eq!(
        store.job(&sys, &job.id).await.unwrap().status,
        JobStatus::Interrupted
    );

    // The admin decides a second copy is better than none: delivered once, to the confirming server.
    store.resend_job(&admin, &job.id).await.unwrap();
    wait_for("the mail sent again", 30, || confirming.received() == 1);
    let mut done = None;
    for _ in 0..100 {
        let j = store.job(&sys, &job.id).await.unwrap();
        if j.status == JobStatus::Sent {
            done = Some(j);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let done = done.expect("the job is recorded as sent");
    assert_eq!(done.attempts, 2);
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(confirming.received(), 1);
    assert_eq!(holding.received(), 1);
    // Both copies carry the job's Message-ID, so a mail program can tell the second for a duplicate.
    let id = format!("Message-ID: <{}@praksis.example.org>", job.id);
    for server in [&holding, &confirming] {
        let eml = std::fs::read_to_string(server.dir.join("1.eml")).unwrap();
        assert!(eml.contains(&id), "{eml}");
    }

    // An orderly stop (what systemd sends) ends the process cleanly.
    let status = Command::new("kill")
        .args(["-TERM", &second.0.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let end = Instant::now() + Duration::from_secs(30);
    let exit = loop {
        if let Some(s) = second.0.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < end, "ferd serve did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(exit.success(), "{exit:?}");
    assert!(std::fs::read_to_string(&log)
        .unwrap()
        .contains("mail worker stopped"));
    store
        .verify_audit()
        .await
        .unwrap()
        .expect("one unbroken chain");
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

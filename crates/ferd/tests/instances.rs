//! Two `ferd serve` processes on different ports against one PostgreSQL database behave as one practice: a session
//! started on one is valid on the other, and what one writes the other reads. Runs when FERD_TEST_POSTGRES_URL is
//! set (CI sets it; it needs `psql` to create a database of its own), and says it skipped otherwise.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

fn ferd(dir: &Path, url: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ferd"))
        .arg("--data-dir")
        .arg(dir)
        .arg("--database-url")
        .arg(url)
        .args(args)
        .output()
        .expect("run ferd")
}

/// Starts `ferd serve` on a free port; returns the process and its address.
fn serve(dir: &Path, url: &str) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ferd"))
        .arg("--data-dir")
        .arg(dir)
        .arg("--database-url")
        .arg(url)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start ferd serve");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let address = loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(rest) = line.strip_prefix("ferd is serving the practice at http://") {
                    break rest.trim().to_string();
                }
            }
            _ => panic!("ferd serve stopped before it said where it listens"),
        }
    };
    // Keep reading its output so the pipe never fills.
    std::thread::spawn(move || for _ in lines {});
    (child, address)
}

/// One HTTP/1.1 request; returns (status, headers, body).
fn http(
    address: &str,
    method: &str,
    path: &str,
    cookie: &str,
    body: &str,
) -> (u16, String, String) {
    let mut s = TcpStream::connect(address).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    if !cookie.is_empty() {
        req.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if method == "POST" {
        req.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

fn cookie(head: &str, name: &str) -> Option<String> {
    head.lines()
        .filter(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .filter_map(|l| l.split_once(':').map(|(_, v)| v.trim()))
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap().to_string())
}

fn form_value(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let i = html.find(&key).unwrap() + key.len();
    html[i..i + html[i..].find('"').unwrap()].to_string()
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

struct Database {
    admin_url: String,
    name: String,
}

impl Drop for Database {
    fn drop(&mut self) {
        let _ = Command::new("psql")
            .arg(&self.admin_url)
            .args([
                "-q",
                "-c",
                &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
            ])
            .output();
    }
}

#[test]
fn two_serve_processes_on_one_postgresql_share_sessions_and_records() {
    let Ok(base) = std::env::var("FERD_TEST_POSTGRES_URL") else {
        eprintln!(
            "skipped: set FERD_TEST_POSTGRES_URL to run two ferd instances on one PostgreSQL"
        );
        return;
    };
    let name = format!("ferd_instances_{}", std::process::id());
    let made = Command::new("psql")
        .arg(&base)
        .args(["-q", "-c", &format!("CREATE DATABASE {name}")])
        .output()
        .expect("psql is needed to create the test's database");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let db = Database {
        admin_url: base.clone(),
        name: name.clone(),
    };
    let url = match base.rfind('/') {
        Some(i) => format!("{}/{name}", &base[..i]),
        None => panic!("FERD_TEST_POSTGRES_URL has no database part: {base}"),
    };
    let dir: PathBuf = std::env::temp_dir().join(format!("ferd-instances-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = ferd(
        &dir,
        &url,
        &[
            "init",
            "--practice",
            "Delt praksis",
            "--admin-email",
            "admin@delt.no",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = ferd(
        &dir,
        &url,
        &[
            "user",
            "add",
            "--email",
            "terapeut@delt.no",
            "--name",
            "Tone Terapeut",
            "--role",
            "therapist",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8_lossy(&out.stdout).to_string();
    let password = printed
        .lines()
        .find_map(|l| l.trim().strip_prefix("password:"))
        .and_then(|p| p.split_whitespace().next())
        .unwrap_or_else(|| panic!("no password in: {printed}"))
        .to_string();

    // An alert for the therapist before the instances start: each instance's scheduler finds it at start, and the
    // reminder to the therapist must still be sent once.
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            use ferd_store::{Actor, Keyring, NewClient, Role, Store, StoreOptions};
            let keys = Keyring::from_json(&std::fs::read_to_string(dir.join("keys.json")).unwrap())
                .unwrap();
            let store = Store::open(&url, keys, StoreOptions::default())
                .await
                .unwrap();
            let users = store.users(&Actor::system("t")).await.unwrap();
            let t = users
                .iter()
                .find(|u| u.email == "terapeut@delt.no")
                .unwrap();
            let actor = Actor {
                user_id: t.id.clone(),
                role: Role::Therapist,
                practice_id: t.practice_id.clone(),
                practice_admin: false,
                client_id: None,
                request_id: "t".into(),
            };
            let c = store
                .create_client(
                    &actor,
                    NewClient {
                        name: "Kari Klient".into(),
                        therapist_id: Some(t.id.clone()),
                        preferred_language: "nb".into(),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            // PHQ-9 with item 9 at 2: the suicidal-ideation alert (instruments.md, PHQ-9 flag rule).
            let mut answers = vec![Some(1); 9];
            answers[8] = Some(2);
            store
                .record_response(&actor, &c.id, None, "phq-9", &answers, ferd_store::now_ms())
                .await
                .unwrap();
            store.close().await;
        });
    let (mut a, addr_a) = serve(&dir, &url);
    let (mut b, addr_b) = serve(&dir, &url);
    let result = std::panic::catch_unwind(|| {
        // Sign in on A (password step; two-factor set-up is next, as for any new therapist).
        let (_, head, page) = http(&addr_a, "GET", "/login", "", "");
        let csrf_cookie = cookie(&head, "ferd_csrf").expect("a CSRF cookie");
        let csrf = form_value(&page, "csrf");
        let body = format!(
            "csrf={}&email={}&password={}",
            encode(&csrf),
            encode("terapeut@delt.no"),
            encode(&password)
        );
        let (status, head, _) = http(&addr_a, "POST", "/login", &csrf_cookie, &body);
        assert_eq!(status, 303, "{head}");
        let location = |h: &str| {
            h.lines()
                .find(|l| l.to_ascii_lowercase().starts_with("location:"))
                .map(|l| l[9..].trim().to_string())
        };
        // The password was right; the next step of sign-in (setting up two-factor) is where A sends the browser.
        let next = location(&head).expect("A says where sign-in continues");
        assert_ne!(next, "/login");
        let session = cookie(&head, "ferd_session").expect("a session cookie from A");
        // B knows the session A started: it shows the same next step instead of sending the browser to /login.
        let (status_a, _, page_a) = http(&addr_a, "GET", &next, &session, "");
        let (status_b, head_b, page_b) = http(&addr_b, "GET", &next, &session, "");
        assert_eq!((status_a, status_b), (200, 200), "B: {head_b}");
        assert!(page_b.contains("name=\"csrf\""));
        assert_eq!(
            form_value(&page_a, "csrf"),
            form_value(&page_b, "csrf"),
            "one session, one CSRF token"
        );
        // A forged session is refused on both.
        for addr in [&addr_a, &addr_b] {
            let (_, head_x, _) = http(addr, "GET", &next, "ferd_session=forged", "");
            assert_eq!(location(&head_x).as_deref(), Some("/login"));
        }
        // Signing out on B ends the session on A too.
        let csrf = form_value(&page_b, "csrf");
        let (status, _, _) = http(
            &addr_b,
            "POST",
            "/logout",
            &session,
            &format!("csrf={}", encode(&csrf)),
        );
        assert_eq!(status, 303);
        let (_, head_a, _) = http(&addr_a, "GET", &next, &session, "");
        assert_eq!(
            location(&head_a).as_deref(),
            Some("/login"),
            "A still honours a session B ended"
        );
        // The alert's reminder: both schedulers saw it, one job was made and one mail written, however long we wait.
        let outbox = dir.join("outbox");
        let mails = || {
            std::fs::read_dir(&outbox)
                .map(|d| {
                    d.filter_map(Result::ok)
                        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                        .count()
                })
                .unwrap_or(0)
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while mails() == 0 && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(250));
        }
        assert_eq!(mails(), 1, "the alert's reminder is written");
        // Both workers poll every 5 s: give each two more chances to send it again.
        std::thread::sleep(std::time::Duration::from_secs(11));
        assert_eq!(mails(), 1, "the reminder was sent twice");
        // What one writes the other reads: the public site on B names the practice A's init made.
        let (_, _, site_b) = http(&addr_b, "GET", "/nb/", "", "");
        assert!(site_b.contains("Delt praksis"));
    });
    let _ = a.kill();
    let _ = b.kill();
    let _ = a.wait();
    let _ = b.wait();
    let _ = std::fs::remove_dir_all(&dir);
    drop(db);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

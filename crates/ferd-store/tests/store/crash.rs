//! Durability under SIGKILL: a child process writes responses in a loop, reporting each one after its commit, and
//! is killed at a random moment, 20 times. Every write it reported is present and the audit chain verifies.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ferd_store::{Actor, Keyring, NewClient, Role, Store, StoreOptions};

use crate::common::practice_with_admin;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The writer, when run as the child (FERD_CRASH_CHILD_DB set); a no-op in a normal test run.
#[test]
fn crash_child_writer() {
    let Ok(url) = std::env::var("FERD_CRASH_CHILD_DB") else {
        return;
    };
    let keys = Keyring::from_json(&std::env::var("FERD_CRASH_CHILD_KEYS").unwrap()).unwrap();
    let actor = Actor {
        user_id: std::env::var("FERD_CRASH_CHILD_USER").unwrap(),
        role: Role::Admin,
        practice_id: Some(std::env::var("FERD_CRASH_CHILD_PRACTICE").unwrap()),
        practice_admin: true,
        client_id: None,
        request_id: "crash".into(),
    };
    let client = std::env::var("FERD_CRASH_CHILD_CLIENT").unwrap();
    runtime().block_on(async {
        let store = Store::open(&url, keys, StoreOptions::default())
            .await
            .unwrap();
        let mut out = std::io::stdout().lock();
        for n in 0.. {
            let answers: Vec<Option<i64>> = (0..20).map(|i| Some((n + i) % 5)).collect();
            let r = store
                .record_response(&actor, &client, None, "pcl-5", &answers, n)
                .await
                .unwrap();
            // Reported only after the commit returned.
            writeln!(out, "committed {}", r.id).unwrap();
            out.flush().unwrap();
        }
    });
}

#[test]
fn every_reported_write_survives_sigkill_and_the_chain_verifies() {
    let dir = std::env::temp_dir().join(format!("ferd-crash-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("ferd.db").display());
    let keys = Keyring::generate().unwrap();
    let (practice, user, client) = runtime().block_on(async {
        let s = Store::open(&url, keys.clone(), StoreOptions::default())
            .await
            .unwrap();
        let admin = practice_with_admin(&s, "a@p.no").await;
        let c = s
            .create_client(
                &admin,
                NewClient {
                    name: "K".into(),
                    preferred_language: "nb".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        s.close().await;
        (admin.practice_id.unwrap(), admin.user_id, c.id)
    });
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    eprintln!("crash test seed {seed}");
    let mut reported: Vec<String> = Vec::new();
    for round in 0..20 {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let delay = Duration::from_millis(100 + (seed >> 33) % 400);
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "crash::crash_child_writer",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("FERD_CRASH_CHILD_DB", &url)
            .env("FERD_CRASH_CHILD_KEYS", keys.to_json())
            .env("FERD_CRASH_CHILD_USER", &user)
            .env("FERD_CRASH_CHILD_PRACTICE", &practice)
            .env("FERD_CRASH_CHILD_CLIENT", &client)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| l.strip_prefix("committed ").map(str::to_string))
                .collect::<Vec<_>>()
        });
        // Let it write for a random moment, then SIGKILL it, mid-transaction as likely as not.
        let start = Instant::now();
        std::thread::sleep(delay);
        child.kill().unwrap(); // SIGKILL on Unix
        let _ = child.wait();
        let ids = reader.join().unwrap();
        eprintln!(
            "round {round}: killed after {:?}, {} writes reported",
            start.elapsed(),
            ids.len()
        );
        reported.extend(ids);
    }
    assert!(
        reported.len() >= 20,
        "the child wrote too little to test anything: {}",
        reported.len()
    );
    runtime().block_on(async {
        let s = Store::open(&url, keys.clone(), StoreOptions::default())
            .await
            .unwrap();
        for id in &reported {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM responses WHERE id = $1")
                .bind(id)
                .fetch_one(s.pool())
                .await
                .unwrap();
            assert_eq!(n, 1, "response {id} was reported committed but is missing");
        }
        let events = s
            .verify_audit()
            .await
            .unwrap()
            .expect("audit chain verifies after 20 SIGKILLs");
        assert!(events as usize >= reported.len());
        s.close().await;
    });
    let _ = std::fs::remove_dir_all(dir);
}

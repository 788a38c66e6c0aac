//! The practice-administration commands, run as the real binary against a data folder of their own.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn ferd(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ferd"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("FERD_DATABASE_URL")
        .env_remove("FERD_DATA_DIR")
        .output()
        .expect("run ferd")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = ferd(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails(dir: &Path, args: &[&str], code: i32, want: &str) {
    let out = ferd(dir, args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    assert!(
        stderr.starts_with("error: ") && stderr.contains(want),
        "{args:?}\n got: {stderr}\nwant: {want}"
    );
    assert!(!stderr.contains("panicked"));
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ferd-admin-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn init_creates_config_key_file_database_and_an_admin_with_a_one_time_password() {
    let dir = temp("init");
    let out = ok(
        &dir,
        &[
            "init",
            "--practice",
            "Fjord",
            "--admin-email",
            "Guide@Example.no",
        ],
    );
    assert!(out.contains("admin:    guide@example.no"), "{out}");
    let password = out
        .lines()
        .find(|l| l.contains("password:"))
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap();
    assert_eq!(password.len(), 20);
    assert!(dir.join("ferd.toml").exists() && dir.join("ferd.db").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("keys.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the key file is the owner's alone");
    }
    // The password is stored as an argon2id hash, never as itself.
    // The database and its write-ahead log, whichever holds the row now.
    let mut db = Vec::new();
    for name in ["ferd.db", "ferd.db-wal"] {
        db.extend(std::fs::read(dir.join(name)).unwrap_or_default());
    }
    assert!(!db.windows(password.len()).any(|w| w == password.as_bytes()));
    assert!(db.windows(9).any(|w| w == b"$argon2id"));
    fails(
        &dir,
        &["init", "--practice", "Again", "--admin-email", "a@b.no"],
        2,
        "already exists: this data folder is initialised",
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn users_are_added_listed_disabled_and_given_new_passwords() {
    let dir = temp("users");
    ok(
        &dir,
        &["init", "--practice", "P", "--admin-email", "admin@p.no"],
    );
    let out = ok(
        &dir,
        &[
            "user",
            "add",
            "--email",
            "t@p.no",
            "--name",
            "Tora",
            "--role",
            "therapist",
        ],
    );
    assert!(out.starts_with("Added t@p.no (therapist)."), "{out}");
    fails(
        &dir,
        &["user", "add", "--email", "t@p.no", "--name", "Again"],
        2,
        "a user with this email already exists",
    );
    fails(
        &dir,
        &["user", "add", "--email", "not-an-email", "--name", "X"],
        2,
        "email: is not an e-mail address",
    );
    fails(
        &dir,
        &[
            "user", "add", "--email", "c@p.no", "--name", "C", "--role", "client",
        ],
        2,
        "--role must be admin or therapist",
    );
    ok(&dir, &["user", "disable", "t@p.no"]);
    let list = ok(&dir, &["user", "list"]);
    let line = list.lines().find(|l| l.starts_with("t@p.no")).unwrap();
    assert!(
        line.contains("therapist") && line.contains("disabled"),
        "{line}"
    );
    assert!(
        ok(&dir, &["user", "reset-password", "t@p.no"]).starts_with("New password for t@p.no: ")
    );
    fails(
        &dir,
        &["user", "disable", "nobody@p.no"],
        2,
        "user not found",
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn audit_verify_passes_and_names_the_event_someone_changed_in_the_database() {
    let dir = temp("audit");
    ok(
        &dir,
        &["init", "--practice", "P", "--admin-email", "admin@p.no"],
    );
    ok(&dir, &["user", "add", "--email", "t@p.no", "--name", "T"]);
    ok(&dir, &["user", "list"]);
    assert_eq!(
        ok(&dir, &["audit", "verify"]).trim(),
        "audit chain intact: 4 events"
    );
    // Tamper with the file directly, as an attacker with disk access would.
    let db = dir.join("ferd.db");
    let status = Command::new("python3")
        .arg("-c")
        .arg(format!(
            "import sqlite3; c = sqlite3.connect('{}'); c.execute(\"UPDATE audit_events SET actor_role = 'admin' WHERE seq = 2\"); c.commit()",
            db.display()
        ))
        .status()
        .expect("python3 with sqlite3");
    assert!(status.success());
    fails(
        &dir,
        &["audit", "verify"],
        1,
        "audit chain broken: audit event 2 was changed or moved",
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_backup_restores_into_a_new_folder_with_the_key_file_and_keys_rotate() {
    let dir = temp("backup");
    ok(
        &dir,
        &["init", "--practice", "P", "--admin-email", "admin@p.no"],
    );
    ok(&dir, &["user", "add", "--email", "t@p.no", "--name", "T"]);
    let backup = dir.join("backup.jsonl");
    assert!(ok(&dir, &["backup", backup.to_str().unwrap()]).starts_with("Wrote "));
    assert!(ok(&dir, &["keys", "rotate"]).starts_with("Rotated to key k2"));
    let keys = std::fs::read_to_string(dir.join("keys.json")).unwrap();
    assert!(
        keys.contains("\"k2\"") && !keys.contains("\"k1\""),
        "the old key is retired"
    );
    // The retired key is kept in a file of its own, for the backups made before the rotation.
    let retired: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("keys.retired-")
        })
        .collect();
    assert_eq!(retired.len(), 1);
    let old_keys = std::fs::read_to_string(&retired[0]).unwrap();
    assert!(old_keys.contains("\"k1\""));
    let restored = temp("restored");
    std::fs::create_dir_all(&restored).unwrap();
    fails(
        &restored,
        &["restore", backup.to_str().unwrap()],
        2,
        "cannot read the key file",
    );
    // The backup predates the rotation, so it is restored with the key file of its time.
    std::fs::write(restored.join("keys.json"), old_keys).unwrap();
    let out = ok(&restored, &["restore", backup.to_str().unwrap()]);
    assert!(out.contains("audit chain intact"), "{out}");
    assert!(ok(&restored, &["user", "list"]).contains("t@p.no"));
    // Restoring again into the now-filled database is refused.
    fails(
        &restored,
        &["db", "import", backup.to_str().unwrap()],
        2,
        "is not empty",
    );
    fails(&restored, &["client", "erase", "x"], 2, "repeat with --yes");
    fails(
        &restored,
        &["client", "export", "no-such-client"],
        2,
        "client not found",
    );
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_dir_all(restored);
}

/// `ferd report outcomes` on a practice whose answers are known: two PCL-5 clients, 56 → 20 (recovered) and
/// 50 → 40 (unchanged by Marx's 15 points), and one PHQ-9 client with one response.
#[test]
fn the_outcome_report_summarises_a_known_practice_in_csv_and_json() {
    use ferd_store::{Actor, Keyring, NewClient, Role, Store, StoreOptions};
    let dir = temp("report");
    ok(
        &dir,
        &["init", "--practice", "P", "--admin-email", "admin@p.no"],
    );
    let keys =
        Keyring::from_json(&std::fs::read_to_string(dir.join("keys.json")).unwrap()).unwrap();
    let url = format!("sqlite://{}", dir.join("ferd.db").display());
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let store = Store::open(&url, keys, StoreOptions::default())
                .await
                .unwrap();
            let system = Actor::system("t");
            let users = store.users(&system).await.unwrap();
            let admin = Actor {
                user_id: users[0].id.clone(),
                role: Role::Admin,
                practice_id: users[0].practice_id.clone(),
                practice_admin: true,
                client_id: None,
                request_id: "t".into(),
            };
            let new = |n: &str| NewClient {
                name: n.into(),
                preferred_language: "nb".into(),
                ..Default::default()
            };
            let a = store.create_client(&admin, new("A")).await.unwrap().id;
            let b = store.create_client(&admin, new("B")).await.unwrap().id;
            let p3 = [3, 3, 4, 2, 3, 4, 3, 1, 3, 4, 3, 2, 3, 2, 2, 1, 4, 3, 2, 4].map(Some);
            store
                .record_response(&admin, &a, None, "pcl-5", &p3, 1)
                .await
                .unwrap();
            store
                .record_response(&admin, &a, None, "pcl-5", &[Some(1); 20], 2)
                .await
                .unwrap();
            // B: 50 (items 1-12 at 4, item 13 at 2) then 40 (items 1-10 at 4).
            let fifty: Vec<Option<i64>> = (0..20)
                .map(|i| {
                    Some(if i < 12 {
                        4
                    } else if i == 12 {
                        2
                    } else {
                        0
                    })
                })
                .collect();
            let forty: Vec<Option<i64>> =
                (0..20).map(|i| Some(if i < 10 { 4 } else { 0 })).collect();
            store
                .record_response(&admin, &b, None, "pcl-5", &fifty, 1)
                .await
                .unwrap();
            store
                .record_response(&admin, &b, None, "pcl-5", &forty, 2)
                .await
                .unwrap();
            store
                .record_response(&admin, &b, None, "phq-9", &[Some(1); 9], 1)
                .await
                .unwrap();
            store.close().await;
        });
    let csv = ok(&dir, &["report", "outcomes", "--format", "csv"]);
    let pcl: Vec<&str> = csv
        .lines()
        .find(|l| l.starts_with("pcl-5,"))
        .unwrap()
        .split(',')
        .collect();
    // clients 2; baseline mean (56 + 50)/2 = 53; latest mean (20 + 40)/2 = 30; mean change (−36 − 10)/2 = −23;
    // reliable improvement 1 of 2; recovered 1 of 2; pattern met at baseline by A only, lost → 1.
    assert_eq!(&pcl[1..3], ["2", "2"]);
    assert_eq!(pcl[3], "53.0000");
    assert_eq!(pcl[6], "30.0000");
    assert_eq!(
        pcl[8], "",
        "two pairs are too few for a paired effect size (needs 3)"
    );
    assert_eq!((pcl[13], pcl[15], pcl[16]), ("0.5000", "0.5000", "1.0000"));
    let phq: Vec<&str> = csv
        .lines()
        .find(|l| l.starts_with("phq-9,"))
        .unwrap()
        .split(',')
        .collect();
    assert_eq!((phq[1], phq[3], phq[5]), ("1", "9.0000", "0"));
    let json: serde_json::Value = serde_json::from_str(&ok(&dir, &["report", "outcomes"])).unwrap();
    assert_eq!(json["outcomes"][0]["instrument"], "pcl-5");
    assert!(json["caveat"]
        .as_str()
        .unwrap()
        .contains("clinician-rated CAPS-5"));
    let studies: Vec<&str> = json["trials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["study"].as_str().unwrap())
        .collect();
    assert_eq!(
        studies,
        ["MAPP1", "MAPP2"],
        "valid trials with change data; retracted ones never appear"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_practice_starts_its_own_page_from_a_built_in_one_and_content_check_names_a_malformed_file() {
    let dir = temp("content");
    let about = ok(&dir, &["content", "show", "nb/about"]);
    assert!(about.starts_with("+++\ntitle = "), "{about}");
    assert!(about.contains("[[references]]"));
    fails(
        &dir,
        &["content", "show", "nb/no-such-page"],
        2,
        "no built-in page 'nb/no-such-page'",
    );
    // Without a content folder the built-in pages are used.
    let built_in = ok(&dir, &["content", "check"]);
    assert!(built_in.contains("no content folder"));
    // The built-in articles are listed, and one can be printed to start the practice's own.
    assert!(
        built_in.contains(
            "nb/articles/mdma-therapy-after-the-fda-decision: embedded, published 2026-11-12"
        ),
        "{built_in}"
    );
    let article = ok(
        &dir,
        &[
            "content",
            "show",
            "en/articles/mdma-therapy-after-the-fda-decision",
        ],
    );
    assert!(article.contains("published = \"2026-11-12\""), "{article}");
    std::fs::create_dir_all(dir.join("content/nb")).unwrap();
    std::fs::write(
        dir.join("content/nb/about.md"),
        about.replace("{{ practice }}", "Fjordlys"),
    )
    .unwrap();
    let listed = ok(&dir, &["content", "check"]);
    assert!(listed.contains("are in order"), "{listed}");
    assert!(
        listed.contains("content/nb/about.md"),
        "the practice's page is the one used: {listed}"
    );
    std::fs::write(
        dir.join("content/nb/prices.md"),
        "+++\ntitle = \"Priser\"\nreviewed = \"2026-11-26\"\n+++\nEn time koster …\n",
    )
    .unwrap();
    fails(
        &dir,
        &["content", "check"],
        2,
        "prices.md: front matter: missing field `description`",
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_trusted_proxy_that_is_no_address_or_network_stops_ferd_naming_the_entry() {
    let dir = temp("proxies");
    ok(
        &dir,
        &[
            "init",
            "--practice",
            "Fjord",
            "--admin-email",
            "a@example.no",
        ],
    );
    let config = dir.join("ferd.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(
        "\ntrusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\", \"::1\", \"proxy.local\"]\n",
    );
    std::fs::write(&config, &text).unwrap();
    fails(
        &dir,
        &["user", "list"],
        2,
        "trusted_proxies: 'proxy.local' is not an address or a network",
    );
    std::fs::write(&config, text.replace(", \"proxy.local\"", "")).unwrap();
    ok(&dir, &["user", "list"]);
    let _ = std::fs::remove_dir_all(&dir);
}

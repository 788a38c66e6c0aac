//! `ferd token create|list|revoke`, run as the real binary against a data folder of its own.

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

fn ok(dir: &Path, args: &[&str]) -> (String, String) {
    let out = ferd(dir, args);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{args:?}: {stderr}");
    (String::from_utf8(out.stdout).unwrap(), stderr)
}

fn fails(dir: &Path, args: &[&str], want: &str) {
    let out = ferd(dir, args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(
        stderr.starts_with("error: ") && stderr.contains(want),
        "{args:?}\n got: {stderr}\nwant: {want}"
    );
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ferd-token-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn a_token_is_printed_once_alone_listed_by_its_first_characters_and_revoked() {
    let dir = temp("cycle");
    ok(
        &dir,
        &[
            "init",
            "--practice",
            "Fjord",
            "--admin-email",
            "guide@example.no",
        ],
    );
    let (token, note) = ok(
        &dir,
        &[
            "token",
            "create",
            "--name",
            "DIPS integration",
            "--scope",
            "read",
        ],
    );
    let token = token.trim();
    assert!(token.starts_with("ferd_") && token.len() > 40, "{token}");
    assert!(
        !token.contains(char::is_whitespace),
        "alone on standard output"
    );
    assert!(note.contains("shown this once"), "{note}");

    let (list, _) = ok(&dir, &["token", "list"]);
    assert!(list.contains("DIPS integration"), "{list}");
    assert!(list.contains(&format!("{}…", &token[..10])), "{list}");
    assert!(!list.contains(token), "never the token itself");
    assert!(list.contains("read") && list.contains("live"), "{list}");
    let id = list
        .lines()
        .nth(1)
        .and_then(|l| l.split_whitespace().next())
        .unwrap()
        .to_string();

    let (out, _) = ok(&dir, &["token", "revoke", &id]);
    assert!(out.contains("revoked"), "{out}");
    let (list, _) = ok(&dir, &["token", "list"]);
    assert!(list.contains("revoked"), "{list}");
    fails(
        &dir,
        &["token", "revoke", "00000000-0000-4000-8000-000000000000"],
        "not found",
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_scope_or_an_unknown_admin_is_refused_and_several_admins_need_naming_one() {
    let dir = temp("refusals");
    ok(
        &dir,
        &[
            "init",
            "--practice",
            "Fjord",
            "--admin-email",
            "guide@example.no",
        ],
    );
    fails(
        &dir,
        &["token", "create", "--name", "x", "--scope", "admin"],
        "--scope",
    );
    fails(
        &dir,
        &["token", "create", "--name", "  ", "--scope", "read"],
        "name",
    );
    fails(
        &dir,
        &[
            "token",
            "create",
            "--name",
            "x",
            "--scope",
            "read",
            "--admin",
            "nobody@example.no",
        ],
        "--admin",
    );
    ok(
        &dir,
        &[
            "user",
            "add",
            "--email",
            "second@example.no",
            "--name",
            "Second",
            "--role",
            "admin",
        ],
    );
    fails(
        &dir,
        &["token", "create", "--name", "x", "--scope", "write"],
        "--admin EMAIL",
    );
    let (token, _) = ok(
        &dir,
        &[
            "token",
            "create",
            "--name",
            "x",
            "--scope",
            "write",
            "--admin",
            "Second@example.no",
        ],
    );
    assert!(token.trim().starts_with("ferd_"));
    let _ = std::fs::remove_dir_all(&dir);
}

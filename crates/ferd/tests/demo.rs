//! The demo practice, loaded into a fresh SQLite store through the loader itself (the `ferd` crate is a binary, so
//! the module is included here by path).
//!
//! Loading twice into the same store is not supported: the loader refuses a store that already holds a practice,
//! before writing anything (the last test).

#[path = "../src/demo.rs"]
#[allow(dead_code)]
mod demo;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use argon2::password_hash::{PasswordHash, PasswordVerifier};
use argon2::Argon2;
use ferd_store::{Actor, Keyring, Store, StoreError, StoreOptions};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};

/// A SQLite file of its own, removed (with its WAL files) when dropped.
struct TempDb(PathBuf);

impl TempDb {
    fn new() -> TempDb {
        TempDb(std::env::temp_dir().join(format!("ferd-demo-test-{}.db", uuid::Uuid::new_v4())))
    }

    fn url(&self) -> String {
        format!("sqlite://{}", self.0.display())
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

async fn open(url: &str) -> Store {
    Store::open(url, Keyring::generate().unwrap(), StoreOptions::default())
        .await
        .expect("open store")
}

/// The start of today and of the next Monday, Europe/Oslo, as the dashboard's "today" and "this week".
fn today_and_week_end(now: i64) -> (i64, i64) {
    let tz = TimeZone::get("Europe/Oslo").unwrap_or_else(|_| TimeZone::fixed(jiff::tz::offset(1)));
    let today = Timestamp::from_millisecond(now)
        .unwrap()
        .to_zoned_datetime(tz.clone())
        .date();
    let days_to_monday = 7 - i64::from(today.weekday().to_monday_zero_offset());
    let start = |d: jiff::civil::Date| {
        d.at(0, 0, 0, 0)
            .to_zoned_datetime(tz.clone())
            .unwrap()
            .timestamp()
            .as_millisecond()
    };
    let monday = today.checked_add(Span::new().days(days_to_monday)).unwrap();
    (start(today), start(monday))
}

fn staff(account: &ferd_store::Account) -> Actor {
    account.actor("demo-test")
}

#[tokio::test]
async fn the_demo_practice_has_every_phase_its_alerts_and_a_client_who_can_sign_in() {
    let db = TempDb::new();
    let store = open(&db.url()).await;
    let now = ferd_store::now_ms();
    let started = Instant::now();
    let sign_ins = demo::load_demo_practice(&store, now)
        .await
        .expect("load demo");
    eprintln!("load_demo_practice took {:?}", started.elapsed());

    // The sign-ins: an admin, two therapists and one client, each with a password that verifies.
    let roles: Vec<&str> = sign_ins.iter().map(|s| s.role).collect();
    assert_eq!(roles, ["admin", "therapist", "therapist", "client"]);
    let mut accounts = Vec::new();
    for s in &sign_ins {
        assert!(s.password.len() >= 12, "{} password too short", s.role);
        let account = store
            .account_by_email(&s.email)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no account for {}", s.email));
        assert_eq!(account.role.as_str(), s.role);
        assert_eq!(account.display_name, s.name);
        let hash = account.password_hash.clone().expect("a password hash");
        assert!(
            Argon2::default()
                .verify_password(s.password.as_bytes(), &PasswordHash::new(&hash).unwrap())
                .is_ok(),
            "{}'s printed password does not verify",
            s.role
        );
        accounts.push(account);
    }
    let (admin, therapist_a, therapist_b, client) =
        (&accounts[0], &accounts[1], &accounts[2], &accounts[3]);
    assert!(
        client.client_id.is_some(),
        "the demo client is linked to their record"
    );
    assert!(
        !admin.practice_requires_two_factor,
        "the demo waives two-factor sign-in"
    );
    let admin_actor = staff(admin);

    // About 25 clients, split between the therapists, at every phase of the journey.
    let clients = store
        .client_list(&admin_actor, None, None, now)
        .await
        .unwrap();
    assert_eq!(clients.len(), 25);
    let mut by_phase: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &clients {
        *by_phase
            .entry(c.phase.as_deref().expect("an active journey"))
            .or_default() += 1;
    }
    for phase in ferd_core::journey::PHASES {
        assert!(
            by_phase.contains_key(phase),
            "no client at {phase}: {by_phase:?}"
        );
    }
    let mine = |a: &ferd_store::Account| {
        let store = &store;
        let actor = staff(a);
        async move {
            store
                .client_list(&actor, None, None, now)
                .await
                .unwrap()
                .len()
        }
    };
    assert_eq!((mine(therapist_a).await, mine(therapist_b).await), (13, 12));
    assert_eq!(clients.iter().filter(|c| c.has_login).count(), 1);

    // PHQ-9 item 9 is above 0 in exactly one response: the latest PHQ-9 of one client.
    let mut item9 = Vec::new();
    for c in &clients {
        let phq: Vec<_> = store
            .responses(&admin_actor, &c.id)
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.instrument == "phq-9")
            .collect();
        for (i, r) in phq.iter().enumerate() {
            assert_eq!(r.answers.len(), 10);
            if r.answers[8].unwrap() >= 1 {
                assert_eq!(
                    i,
                    phq.len() - 1,
                    "{}: item 9 only in the latest PHQ-9",
                    c.name
                );
                item9.push(r.id.clone());
            }
        }
    }
    assert_eq!(item9.len(), 1);

    // The dashboard: today's sessions, one unrecorded, assessments due and overdue, and the alerts.
    // Read a moment after loading, as the web app would: acknowledgements carry the time they were made.
    let (day_start, week_end) = today_and_week_end(now);
    let dash = store
        .dashboard(&admin_actor, day_start, week_end, ferd_store::now_ms())
        .await
        .unwrap();
    let today: Vec<_> = dash
        .sessions
        .iter()
        .filter(|s| s.scheduled_at < day_start + 86_400_000)
        .collect();
    assert!(today.len() >= 4, "sessions today: {today:?}");
    assert_eq!(dash.unrecorded.len(), 1, "{:?}", dash.unrecorded);
    assert!(!dash.due.is_empty() && !dash.overdue.is_empty());
    let open: Vec<(&str, Option<&str>)> = dash
        .open_alerts
        .iter()
        .map(|a| (a.kind.as_str(), a.instrument.as_deref()))
        .collect();
    let count = |kind: &str| open.iter().filter(|(k, _)| *k == kind).count();
    assert_eq!(count("suicidal-ideation"), 1, "{open:?}");
    assert!(count("reliable-deterioration") >= 1, "{open:?}");
    assert!(
        open.contains(&("reliable-deterioration", Some("pcl-5"))),
        "{open:?}"
    );
    assert_eq!(count("missed-session"), 1, "{open:?}");
    assert_eq!(
        open.len(),
        3,
        "no alert beyond the three the demo's stories call for: {open:?}"
    );
    let ideation = dash
        .open_alerts
        .iter()
        .find(|a| a.kind == "suicidal-ideation")
        .unwrap();
    assert_eq!(ideation.instrument.as_deref(), Some("phq-9"));
    assert_eq!(
        ideation.source_id, item9[0],
        "the alert belongs to the item-9 response"
    );
    let missed = dash
        .open_alerts
        .iter()
        .find(|a| a.kind == "missed-session")
        .unwrap();
    let sessions = store
        .sessions(&admin_actor, &missed.client_id)
        .await
        .unwrap();
    assert!(sessions
        .iter()
        .any(|s| s.id == missed.source_id && s.status == "missed"));

    // Alerts already seen, by a named therapist.
    assert_eq!(dash.acknowledged_alerts.len(), 2);
    for a in &dash.acknowledged_alerts {
        let by = a.acknowledged_by.as_deref().unwrap();
        assert!(
            by == therapist_a.display_name || by == therapist_b.display_name,
            "{by}"
        );
    }

    // The portal client: an assessment due now, and a journal whose private entry the therapist does not see.
    let client_id = client.client_id.clone().unwrap();
    let client_actor = client.actor("demo-test");
    let due = store
        .open_assessments(&client_actor, &client_id)
        .await
        .unwrap();
    assert!(due
        .iter()
        .any(|a| a.due_at >= day_start && a.due_at <= now.max(day_start + 86_400_000)));
    let own = store.journal(&client_actor, &client_id).await.unwrap();
    let shared = store
        .journal(&staff(therapist_a), &client_id)
        .await
        .unwrap();
    assert!(own.len() >= 2 && shared.len() < own.len() && !shared.is_empty());

    // New messages in the inbox, and an audit chain that holds.
    let inquiries = store.inquiries(&admin_actor).await.unwrap();
    assert!(inquiries.len() >= 3 && inquiries.iter().all(|i| i.status == "new"));

    // The referral directory holds ferd's suggestions: the verified ones checked today and public, the Østfold
    // study (status unverified) internal and waiting for a check, with one inquirer referred on to it.
    let places = store.referral_places(&admin_actor).await.unwrap();
    let suggested = ferd_core::referrals::Suggestions::builtin().places();
    assert_eq!(places.len(), suggested.len());
    let today = ferd_core::calendar::Day::parse(
        &Timestamp::from_millisecond(now)
            .unwrap()
            .to_zoned_datetime(TimeZone::get("Europe/Oslo").unwrap())
            .date()
            .to_string(),
    )
    .unwrap();
    let public = store
        .public_referral_places(&admin_actor.practice_id.clone().unwrap(), today)
        .await
        .unwrap();
    assert_eq!(
        public.len(),
        suggested.iter().filter(|s| s.verified).count()
    );
    let study = places
        .iter()
        .find(|p| p.suggestion.as_deref() == Some("sykehuset-ostfold-mdma-ptsd"))
        .unwrap();
    assert!(!study.public && study.needs_checking(today) && study.referrals == 1);
    let checked = store
        .verify_audit()
        .await
        .unwrap()
        .expect("the audit chain verifies");
    assert!(checked > 500, "{checked} audit events");
    store.close().await;
}

#[tokio::test]
async fn a_store_that_already_holds_a_practice_is_refused_before_anything_is_written() {
    let store = open("sqlite::memory:").await;
    let system = Actor::system("demo-test");
    store
        .create_practice(&system, "Existing practice")
        .await
        .unwrap();
    let events = store.audit_events().await.unwrap().len();
    match demo::load_demo_practice(&store, ferd_store::now_ms()).await {
        Err(StoreError::Invalid { field: "store", .. }) => {}
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        store.audit_events().await.unwrap().len(),
        events,
        "nothing was written"
    );
    assert_eq!(store.practices(&system).await.unwrap().len(), 1);
    assert!(store.users(&system).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_dashboard_tells_the_same_stories_whatever_weekday_the_demo_is_loaded_on() {
    // Past events are dated back from today and moved off weekends: check each day of a week that spans the
    // switch to summer time (Sunday 29 March 2026 in Europe/Oslo).
    let thursday = 1_774_512_000_000; // 2026-03-26T08:00:00Z
    for day in 0..7 {
        let now = thursday + day * 86_400_000;
        let store = open("sqlite::memory:").await;
        demo::load_demo_practice(&store, now)
            .await
            .expect("load demo");
        let admin = store
            .account_by_email("solveig.brekke@fjordlys.example.org")
            .await
            .unwrap()
            .unwrap();
        let (day_start, week_end) = today_and_week_end(now);
        let dash = store
            .dashboard(&staff(&admin), day_start, week_end, now)
            .await
            .unwrap();
        let mut kinds: Vec<&str> = dash.open_alerts.iter().map(|a| a.kind.as_str()).collect();
        kinds.sort_unstable();
        assert_eq!(
            kinds,
            [
                "missed-session",
                "reliable-deterioration",
                "suicidal-ideation"
            ],
            "loaded at {now}"
        );
        assert_eq!(dash.unrecorded.len(), 1, "loaded at {now}");
        assert!(dash.sessions.len() >= 7, "loaded at {now}");
        assert!(
            !dash.due.is_empty() && !dash.overdue.is_empty(),
            "loaded at {now}"
        );
        store.close().await;
    }
}

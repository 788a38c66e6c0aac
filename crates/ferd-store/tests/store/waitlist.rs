//! Capacity and the waitlist: who may close the practice, the order people wait in and how it closes up after moves
//! and leaves, moves in order and by choice (with a reason), two members of staff moving people at the same time on
//! both databases, leaving (details erased), the status-link e-mail, the partition between inbox and waitlist, and
//! retention that never deletes a person who still waits.

use ferd_store::waitlist::{status_token_hash, KIND_WAITLIST_STATUS};
use ferd_store::{
    Actor, JobOutcome, Keyring, MailPlan, NewInquiry, Reminder, Store, StoreError, StoreOptions,
    WaitlistStatus,
};
use sqlx::Row;

use crate::common::{stores, system, World};

const DAY: i64 = 86_400_000;

/// Someone joins the waitlist of `practice`; returns their status token and the place's id. Each join is a few
/// milliseconds after the one before, so the order of joining is the order of the list.
async fn join(s: &Store, practice: &str, name: &str, preferred: Option<&str>) -> (String, String) {
    let token = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let joined = s
        .join_waitlist(
            NewInquiry {
                practice_id: practice.to_string(),
                name: name.to_string(),
                email: format!("{}@example.no", name.to_lowercase()),
                phone: Some("+47 900 00 000".into()),
                language: "en".into(),
                message: format!("{name} would like to start when there is room."),
                consent_version: Some("2026-11-26".into()),
            },
            preferred.map(str::to_string),
            &token,
            "test",
        )
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(3)).await;
    (token, joined.entry_id)
}

async fn position(s: &Store, token: &str) -> Option<i64> {
    s.waitlist_place(&status_token_hash(token), "test")
        .await
        .unwrap()
        .position
}

/// The names of those waiting, in order.
async fn waiting(s: &Store, staff: &Actor) -> Vec<String> {
    s.waitlist(staff)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.status == WaitlistStatus::Waiting)
        .map(|e| e.name)
        .collect()
}

async fn clients(s: &Store, staff: &Actor) -> usize {
    s.client_list(staff, None, None, ferd_store::now_ms())
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn the_practice_is_full_when_its_admin_closes_it_or_no_therapist_takes_new_clients() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let a = &w.practice_a;
        assert!(
            !s.practice_full(a).await.unwrap(),
            "{}: open by default",
            t.name
        );
        // Practice B has an admin but no therapist: nobody there takes new clients, so it counts as full.
        assert!(s.practice_full(&w.practice_b).await.unwrap());
        // Only an admin closes the practice; a therapist who does not administer it may not.
        assert!(matches!(
            s.set_practice_accepting(&w.a_t1, false).await,
            Err(StoreError::Forbidden(_))
        ));
        s.set_practice_accepting(&w.a_admin, false).await.unwrap();
        assert!(s.practice_full(a).await.unwrap());
        let b = s.capacity(&w.b_admin).await.unwrap();
        assert!(
            b.practice_accepting && b.therapists.is_empty(),
            "B is not A"
        );
        s.set_practice_accepting(&w.a_admin, true).await.unwrap();
        assert!(!s.practice_full(a).await.unwrap());
        // Each therapist closes for themself; the practice is full when none takes new clients.
        for th in [&w.a_lead, &w.a_t1] {
            s.set_therapist_accepting(th, &th.user_id, false)
                .await
                .unwrap();
        }
        assert!(!s.practice_full(a).await.unwrap(), "t2 still takes clients");
        // t1 may not speak for t2; the admin may; another practice's admin finds nobody.
        assert!(matches!(
            s.set_therapist_accepting(&w.a_t1, &w.a_t2.user_id, false)
                .await,
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            s.set_therapist_accepting(&w.b_admin, &w.a_t2.user_id, false)
                .await,
            Err(StoreError::NotFound { .. })
        ));
        s.set_therapist_accepting(&w.a_admin, &w.a_t2.user_id, false)
            .await
            .unwrap();
        assert!(s.practice_full(a).await.unwrap());
        let c = s.capacity(&w.a_t1).await.unwrap();
        assert!(c.full && c.practice_accepting);
        assert_eq!(c.therapists.len(), 3);
        assert!(c.therapists.iter().all(|t| !t.accepting));
        // Every change is audited; saying the same again writes nothing.
        let before = s.audit_events().await.unwrap().len();
        s.set_therapist_accepting(&w.a_t1, &w.a_t1.user_id, false)
            .await
            .unwrap();
        s.set_practice_accepting(&w.a_admin, true).await.unwrap();
        assert_eq!(s.audit_events().await.unwrap().len(), before);
        let actions: Vec<_> = s
            .audit_events()
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.action.ends_with("-to-new-clients"))
            .map(|e| (e.action, e.entity))
            .collect();
        assert_eq!(actions.len(), 5, "{actions:?}");
        assert!(actions.contains(&("close-to-new-clients".into(), "practice".into())));
        assert!(actions.contains(&("open-to-new-clients".into(), "practice".into())));
        assert!(actions.contains(&("close-to-new-clients".into(), "user".into())));
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn people_wait_in_the_order_they_joined_and_the_list_closes_up_after_moves_and_leaves() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let a = w.practice_a.clone();
        let (anna, _) = join(s, &a, "Anna", None).await;
        let (bo, _) = join(s, &a, "Bo", Some(&w.a_t2.user_id)).await;
        let (cato, cato_id) = join(s, &a, "Cato", None).await;
        let (dina, _) = join(s, &a, "Dina", None).await;
        assert_eq!(waiting(s, &w.a_t1).await, ["Anna", "Bo", "Cato", "Dina"]);
        for (token, place) in [(&anna, 1), (&bo, 2), (&cato, 3), (&dina, 4)] {
            assert_eq!(position(s, token).await, Some(place), "{}", t.name);
        }
        let p = s
            .waitlist_place(&status_token_hash(&dina), "test")
            .await
            .unwrap();
        assert_eq!((p.waiting, p.language.as_str()), (4, "en"));
        // The list shows the preferred therapist, and the inbox does not show those who wait.
        let list = s.waitlist(&w.a_admin).await.unwrap();
        assert_eq!(list[1].preferred_therapist.as_deref(), Some("t2@a.no"));
        assert!(list[0].message.contains("Anna would like"));
        assert!(s.inquiries(&w.a_t1).await.unwrap().is_empty());
        // The next in line is Anna: taken by t1 without a reason, her client is t1's.
        let taken = s.take_next_from_waitlist(&w.a_t1, "mdma-at").await.unwrap();
        assert_eq!(taken.position, 1);
        assert_eq!(taken.client.name, "Anna");
        assert_eq!(
            taken.client.therapist_id.as_deref(),
            Some(w.a_t1.user_id.as_str())
        );
        assert_eq!(
            s.journeys(&w.a_t1, &taken.client.id).await.unwrap()[0].phase,
            "intake"
        );
        let anna_place = s
            .waitlist_place(&status_token_hash(&anna), "test")
            .await
            .unwrap();
        assert_eq!(
            (anna_place.status, anna_place.position),
            (WaitlistStatus::Moved, None)
        );
        assert_eq!(position(s, &bo).await, Some(1));
        assert_eq!(position(s, &dina).await, Some(3));
        // Cato leaves: Dina moves up; Cato's link is used up.
        s.leave_waitlist(&status_token_hash(&cato), "test")
            .await
            .unwrap();
        assert_eq!(position(s, &dina).await, Some(2));
        assert!(matches!(
            s.waitlist_place(&status_token_hash(&cato), "test").await,
            Err(StoreError::NotFound { .. })
        ));
        assert!(matches!(
            s.leave_waitlist(&status_token_hash(&cato), "test").await,
            Err(StoreError::NotFound { .. })
        ));
        // Leaving erased Cato's name, address, phone and message; the place is kept, without them.
        let gone = s
            .waitlist(&w.a_t1)
            .await
            .unwrap()
            .into_iter()
            .find(|e| e.id == cato_id)
            .unwrap();
        assert_eq!(gone.status, WaitlistStatus::Left);
        assert_eq!(gone.position_at_end, Some(2));
        assert!(gone.name.is_empty() && gone.email.is_empty() && gone.message.is_empty());
        assert!(gone.phone.is_none());
        let raw = sqlx::query("SELECT name, email, status FROM inquiries WHERE id = $1")
            .bind(&gone.inquiry_id)
            .fetch_one(s.pool())
            .await
            .unwrap();
        assert_eq!(raw.get::<String, _>(0), "");
        assert_eq!(raw.get::<String, _>(2), "closed");
        let audit = s.audit_events().await.unwrap();
        assert!(audit
            .iter()
            .any(|e| e.action == "leave" && e.entity_id == cato_id && e.actor_id == "public"));
        assert_eq!(waiting(s, &w.a_t1).await, ["Bo", "Dina"]);
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn taking_someone_out_of_order_needs_a_reason_which_is_kept_encrypted_in_the_history() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let a = w.practice_a.clone();
        let (_, first) = join(s, &a, "Anna", None).await;
        let (_, second) = join(s, &a, "Bo", Some(&w.a_t2.user_id)).await;
        let before_clients = clients(s, &w.a_admin).await;
        let before_audit = s.audit_events().await.unwrap().len();
        // Bo is second: without a reason nothing happens.
        for reason in [None, Some(""), Some("   ")] {
            let r = s
                .take_from_waitlist(&w.a_t1, &second, reason, "mdma-at")
                .await;
            assert!(
                matches!(
                    r,
                    Err(StoreError::Invalid {
                        field: "reason",
                        ..
                    })
                ),
                "{}: {r:?}",
                t.name
            );
        }
        let too_long = "x".repeat(2_001);
        assert!(matches!(
            s.take_from_waitlist(&w.a_t1, &second, Some(&too_long), "mdma-at")
                .await,
            Err(StoreError::Invalid {
                field: "reason",
                ..
            })
        ));
        assert_eq!(s.audit_events().await.unwrap().len(), before_audit);
        assert_eq!(waiting(s, &w.a_t1).await, ["Anna", "Bo"]);
        assert_eq!(clients(s, &w.a_admin).await, before_clients);
        // Another practice finds nobody to take or remove.
        assert!(matches!(
            s.take_from_waitlist(&w.b_admin, &second, Some("r"), "mdma-at")
                .await,
            Err(StoreError::NotFound { .. })
        ));
        assert!(matches!(
            s.remove_from_waitlist(&w.b_admin, &first, "r").await,
            Err(StoreError::NotFound { .. })
        ));
        // A client may not touch the list at all.
        assert!(matches!(
            s.take_next_from_waitlist(&w.a_c1, "mdma-at").await,
            Err(StoreError::Forbidden(_))
        ));
        // With a reason the admin takes Bo; an admin's move gives him his preferred therapist.
        let reason = "Bo asked for Tone, who had a place free this week.";
        let taken = s
            .take_from_waitlist(&w.a_admin, &second, Some(reason), "mdma-at")
            .await
            .unwrap();
        assert_eq!(taken.position, 2);
        assert_eq!(
            taken.client.therapist_id.as_deref(),
            Some(w.a_t2.user_id.as_str())
        );
        let bo = s
            .waitlist(&w.a_t1)
            .await
            .unwrap()
            .into_iter()
            .find(|e| e.id == second)
            .unwrap();
        assert_eq!(bo.status, WaitlistStatus::Moved);
        assert_eq!(bo.end_reason.as_deref(), Some(reason));
        assert_eq!(bo.ended_by.as_deref(), Some("admin@a.no"));
        assert_eq!(bo.position_at_end, Some(2));
        assert_eq!(bo.client_id.as_deref(), Some(taken.client.id.as_str()));
        let raw: Vec<u8> = sqlx::query("SELECT end_reason_enc FROM waitlist_entries WHERE id = $1")
            .bind(&second)
            .fetch_one(s.pool())
            .await
            .unwrap()
            .get(0);
        assert!(!String::from_utf8_lossy(&raw).contains("Tone"), "encrypted");
        // Anna is now first: taking her by name needs no reason.
        s.take_from_waitlist(&w.a_t2, &first, None, "mdma-at")
            .await
            .unwrap();
        // Removal needs a reason too, and a place that ended cannot be removed.
        let (_, third) = join(s, &a, "Cato", None).await;
        assert!(matches!(
            s.remove_from_waitlist(&w.a_t1, &third, " ").await,
            Err(StoreError::Invalid {
                field: "reason",
                ..
            })
        ));
        assert!(matches!(
            s.remove_from_waitlist(&w.a_t1, &first, "found help").await,
            Err(StoreError::Invalid {
                field: "status",
                ..
            })
        ));
        s.remove_from_waitlist(&w.a_t1, &third, "Found help in the public service.")
            .await
            .unwrap();
        let cato = s
            .waitlist(&w.a_t1)
            .await
            .unwrap()
            .into_iter()
            .find(|e| e.id == third)
            .unwrap();
        assert_eq!(cato.status, WaitlistStatus::Removed);
        assert_eq!(cato.name, "Cato", "removal keeps the inquiry");
        assert!(waiting(s, &w.a_t1).await.is_empty());
        assert!(matches!(
            s.take_next_from_waitlist(&w.a_t1, "mdma-at").await,
            Err(StoreError::Invalid {
                field: "waitlist",
                ..
            })
        ));
        t.drop_schema().await;
    }
}

/// Two ferd instances on one database: PostgreSQL's same schema, or a second pool on a SQLite file. Returns the
/// two stores and the folder to remove afterwards.
async fn two_instances(
    name: &str,
    first: &Store,
    schema: Option<&str>,
) -> (Store, Store, Option<std::path::PathBuf>) {
    if name == "postgres" {
        let second = Store::open(
            &std::env::var("FERD_TEST_POSTGRES_URL").unwrap(),
            first.keys().clone(),
            StoreOptions {
                schema: schema.map(str::to_string),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        return (first.clone(), second, None);
    }
    let dir = std::env::temp_dir().join(format!("ferd-wait-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("ferd.db").display());
    let keys = Keyring::generate().unwrap();
    let a = Store::open(&url, keys.clone(), StoreOptions::default())
        .await
        .unwrap();
    let b = Store::open(&url, keys, StoreOptions::default())
        .await
        .unwrap();
    (a, b, Some(dir))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_therapists_taking_the_next_at_once_move_two_different_people_in_order() {
    for t in stores().await {
        let (a, b, dir) = two_instances(t.name, &t.store, t.schema_name()).await;
        let w = World::build(&a).await;
        let p = w.practice_a.clone();
        let mut tokens = Vec::new();
        for name in ["Anna", "Bo", "Cato", "Dina", "Eli", "Frida", "Geir"] {
            tokens.push((name, join(&a, &p, name, None).await.0));
        }
        // Three rounds, each with both therapists pressing "take the next" at the same moment.
        let mut moved = Vec::new();
        for _ in 0..3 {
            let go = std::sync::Arc::new(tokio::sync::Barrier::new(2));
            let take = |s: Store, actor: Actor, go: std::sync::Arc<tokio::sync::Barrier>| async move {
                go.wait().await;
                s.take_next_from_waitlist(&actor, "mdma-at").await
            };
            let one = tokio::spawn(take(a.clone(), w.a_t1.clone(), go.clone()));
            let two = tokio::spawn(take(b.clone(), w.a_t2.clone(), go));
            let (one, two) = (one.await.unwrap().unwrap(), two.await.unwrap().unwrap());
            assert_ne!(
                one.entry_id, two.entry_id,
                "{}: one person moved twice",
                t.name
            );
            let mut names = vec![one.client.name.clone(), two.client.name.clone()];
            names.sort();
            moved.extend(names);
        }
        // The six who waited longest were moved, two by two in order; the seventh is next.
        assert_eq!(
            moved,
            ["Anna", "Bo", "Cato", "Dina", "Eli", "Frida"],
            "{}",
            t.name
        );
        assert_eq!(waiting(&a, &w.a_t1).await, ["Geir"]);
        assert_eq!(position(&b, &tokens[6].1).await, Some(1));
        let list = a.waitlist(&w.a_admin).await.unwrap();
        assert!(list
            .iter()
            .filter(|e| e.status == WaitlistStatus::Moved)
            .all(|e| e.position_at_end == Some(1) && e.client_id.is_some()));
        assert_eq!(
            list.iter()
                .filter_map(|e| e.client_id.clone())
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            6,
            "one client per person"
        );
        assert!(a.verify_audit().await.unwrap().is_ok());
        b.close().await;
        if let Some(dir) = dir {
            a.close().await;
            let _ = std::fs::remove_dir_all(dir);
        }
        t.drop_schema().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_therapists_taking_the_same_person_at_once_move_them_once_and_the_other_is_told_why() {
    for t in stores().await {
        let (a, b, dir) = two_instances(t.name, &t.store, t.schema_name()).await;
        let w = World::build(&a).await;
        let p = w.practice_a.clone();
        join(&a, &p, "Anna", None).await;
        let (_, bo) = join(&a, &p, "Bo", None).await;
        let before = clients(&a, &w.a_admin).await;
        let go = std::sync::Arc::new(tokio::sync::Barrier::new(2));
        let take = |s: Store,
                    actor: Actor,
                    go: std::sync::Arc<tokio::sync::Barrier>,
                    id: String| async move {
            go.wait().await;
            s.take_from_waitlist(
                &actor,
                &id,
                Some("Needs an English-speaking therapist."),
                "mdma-at",
            )
            .await
        };
        let one = tokio::spawn(take(a.clone(), w.a_t1.clone(), go.clone(), bo.clone()));
        let two = tokio::spawn(take(b.clone(), w.a_t2.clone(), go, bo.clone()));
        let results = [one.await.unwrap(), two.await.unwrap()];
        assert_eq!(
            results.iter().filter(|r| r.is_ok()).count(),
            1,
            "{}: {results:?}",
            t.name
        );
        let refused = results.iter().find(|r| r.is_err()).unwrap();
        match refused {
            Err(
                e @ StoreError::Invalid {
                    field: "status", ..
                },
            ) => {
                assert!(e.to_string().contains("no longer waiting"), "{e}")
            }
            other => panic!("{}: {other:?}", t.name),
        }
        assert_eq!(clients(&a, &w.a_admin).await, before + 1);
        assert_eq!(waiting(&a, &w.a_t1).await, ["Anna"]);
        b.close().await;
        if let Some(dir) = dir {
            a.close().await;
            let _ = std::fs::remove_dir_all(dir);
        }
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn retention_never_deletes_someone_who_waits_and_counts_the_year_from_the_end_of_the_place() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let p = w.practice_a.clone();
        let now = ferd_store::now_ms();
        let (long, long_id) = join(s, &p, "Astrid", None).await;
        let (_, moved_id) = join(s, &p, "Bjarne", None).await;
        let (_, removed_id) = join(s, &p, "Cecilie", None).await;
        s.take_from_waitlist(&w.a_t1, &moved_id, Some("r"), "mdma-at")
            .await
            .unwrap();
        s.remove_from_waitlist(&w.a_t1, &removed_id, "Found help elsewhere.")
            .await
            .unwrap();
        s.submit_inquiry(
            NewInquiry {
                practice_id: p.clone(),
                name: "Dag".into(),
                email: "dag@example.no".into(),
                language: "nb".into(),
                message: "Hei".into(),
                ..Default::default()
            },
            "test",
        )
        .await
        .unwrap();
        // Everything arrived three years ago; Bjarne was moved two years ago, Cecilie removed a month ago.
        let back = |sql: &'static str, at: i64| async move {
            sqlx::query(sql).bind(at).execute(s.pool()).await.unwrap();
        };
        back("UPDATE inquiries SET created_at = $1", now - 3 * 365 * DAY).await;
        back(
            "UPDATE waitlist_entries SET joined_at = $1",
            now - 3 * 365 * DAY,
        )
        .await;
        sqlx::query("UPDATE waitlist_entries SET ended_at = $1 WHERE id = $2")
            .bind(now - 2 * 365 * DAY)
            .bind(&moved_id)
            .execute(s.pool())
            .await
            .unwrap();
        sqlx::query("UPDATE waitlist_entries SET ended_at = $1 WHERE id = $2")
            .bind(now - 30 * DAY)
            .bind(&removed_id)
            .execute(s.pool())
            .await
            .unwrap();
        let purged = s.purge_expired_public_data(now).await.unwrap();
        assert_eq!(purged.inquiries, 2, "{}: Dag and Bjarne", t.name);
        let left: Vec<_> = s
            .waitlist(&w.a_t1)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect();
        assert!(
            left.contains(&long_id),
            "three years of waiting, still kept"
        );
        assert!(left.contains(&removed_id), "removed a month ago, kept");
        assert!(!left.contains(&moved_id), "moved two years ago, deleted");
        assert!(
            s.inquiries(&w.a_t1).await.unwrap().is_empty(),
            "Dag deleted"
        );
        assert_eq!(position(s, &long).await, Some(1));
        let expired = s
            .audit_events()
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "expire")
            .count();
        assert_eq!(expired, 2);
        // Ten years of waiting changes nothing.
        let later = s
            .purge_expired_public_data(now + 10 * 365 * DAY)
            .await
            .unwrap();
        assert_eq!(later.inquiries, 1, "only Cecilie's year has run out");
        assert_eq!(position(s, &long).await, Some(1));
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn an_inquiry_on_the_waitlist_is_not_in_the_inbox_and_cannot_jump_the_queue_from_it() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let (_, entry) = join(s, &w.practice_a, "Anna", None).await;
        let inquiry = s.waitlist(&w.a_t1).await.unwrap()[0].inquiry_id.clone();
        assert!(s.inquiries(&w.a_t1).await.unwrap().is_empty());
        assert!(matches!(
            s.client_from_inquiry(&w.a_t1, &inquiry, "mdma-at").await,
            Err(StoreError::Invalid {
                field: "inquiry",
                ..
            })
        ));
        assert!(matches!(
            s.api_client_from_inquiry(&w.a_lead, &inquiry, "mdma-at", None)
                .await,
            Err(StoreError::Invalid {
                field: "inquiry",
                ..
            })
        ));
        assert_eq!(waiting(s, &w.a_t1).await, ["Anna"]);
        // A preferred therapist must be one of the practice's therapists: not an admin, not another practice's.
        for bad in [w.a_admin.user_id.clone(), w.b_admin.user_id.clone()] {
            let r = s
                .join_waitlist(
                    NewInquiry {
                        practice_id: w.practice_a.clone(),
                        name: "Bo".into(),
                        email: "bo@example.no".into(),
                        language: "nb".into(),
                        message: "Hei".into(),
                        consent_version: Some("2026-11-26".into()),
                        ..Default::default()
                    },
                    Some(bad),
                    &"t".repeat(43),
                    "test",
                )
                .await;
            assert!(matches!(
                r,
                Err(StoreError::Invalid {
                    field: "therapist",
                    ..
                })
            ));
        }
        assert_eq!(waiting(s, &w.a_t1).await, ["Anna"], "nothing half-written");
        // Deleting the inquiry (spam, or the sender asked) takes its place with it.
        s.delete_inquiry(&w.a_t1, &inquiry).await.unwrap();
        assert!(s.waitlist(&w.a_t1).await.unwrap().is_empty());
        // The list joins inquiries, so it would not show a place left behind: count the places themselves.
        let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM waitlist_entries WHERE id = $1")
            .bind(entry.as_str())
            .fetch_one(s.pool())
            .await
            .unwrap();
        assert_eq!(left, 0);
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn the_status_link_goes_out_by_mail_once_and_only_its_hash_stays() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let (token, entry) = join(s, &w.practice_a, "Anna", None).await;
        let sys = system();
        let jobs: Vec<_> = s
            .all_jobs(&sys)
            .await
            .unwrap()
            .into_iter()
            .filter(|j| j.kind == KIND_WAITLIST_STATUS)
            .collect();
        assert_eq!(jobs.len(), 1);
        assert!(
            !jobs[0].payload.contains(&token),
            "the payload holds ids only"
        );
        assert!(jobs[0].recipient_id.is_none());
        let stored: (String, Option<Vec<u8>>) = {
            let r = sqlx::query(
                "SELECT status_token_hash, status_link_enc FROM waitlist_entries WHERE id = $1",
            )
            .bind(&entry)
            .fetch_one(s.pool())
            .await
            .unwrap();
            (r.get(0), r.get(1))
        };
        assert_eq!(stored.0, status_token_hash(&token));
        assert!(!String::from_utf8_lossy(stored.1.as_ref().unwrap()).contains(&token));
        let job = s
            .claim_job(&sys, "w1", ferd_store::now_ms() + 1_000, 60_000)
            .await
            .unwrap()
            .unwrap();
        match s.mail_context(&sys, &job).await.unwrap() {
            MailPlan::Send(ctx) => {
                assert_eq!(ctx.to, "anna@example.no");
                assert_eq!(ctx.language.as_deref(), Some("en"));
                assert_eq!(
                    ctx.reminder,
                    Reminder::WaitlistPlace {
                        token: token.clone()
                    }
                );
            }
            other => panic!("{other:?}"),
        }
        s.finish_job(
            &sys,
            &job.id,
            "w1",
            &JobOutcome::Sent { outbox_file: None },
            ferd_store::now_ms(),
        )
        .await
        .unwrap();
        let link: Option<Vec<u8>> =
            sqlx::query("SELECT status_link_enc FROM waitlist_entries WHERE id = $1")
                .bind(&entry)
                .fetch_one(s.pool())
                .await
                .unwrap()
                .get(0);
        assert!(
            link.is_none(),
            "the link is forgotten once its mail went out"
        );
        assert!(matches!(
            s.mail_context(&sys, &job).await.unwrap(),
            MailPlan::Skip(_)
        ));
        // The link itself still works: only its hash was ever needed for that.
        assert_eq!(position(s, &token).await, Some(1));
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn the_waitlist_travels_in_the_archive_and_its_encrypted_reasons_and_links_survive_key_rotation(
) {
    let keys = Keyring::generate().unwrap();
    let s = Store::open("sqlite::memory:", keys.clone(), StoreOptions::default())
        .await
        .unwrap();
    let w = World::build(&s).await;
    let p = w.practice_a.clone();
    s.set_practice_accepting(&w.a_admin, false).await.unwrap();
    let (waiting_token, _) = join(&s, &p, "Anna", Some(&w.a_t1.user_id)).await;
    let (_, bo) = join(&s, &p, "Bo", None).await;
    s.take_from_waitlist(
        &w.a_t2,
        &bo,
        Some("Speaks only English; Tone does."),
        "mdma-at",
    )
    .await
    .unwrap();
    let mut out = Vec::new();
    s.export_archive(&mut out).await.unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("\"table\":\"waitlist_entries\""));
    assert!(text.contains("\"accepting_new_clients\":0"));
    // Into PostgreSQL and back when it is there, and into SQLite: the same rows.
    if let Ok(url) = std::env::var("FERD_TEST_POSTGRES_URL") {
        let schema = format!("ferd_test_{}", uuid::Uuid::new_v4().simple());
        let pg = Store::open(
            &url,
            keys.clone(),
            StoreOptions {
                schema: Some(schema.clone()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        pg.import_archive(text.as_bytes()).await.unwrap();
        let mut again = Vec::new();
        pg.export_archive(&mut again).await.unwrap();
        assert_eq!(String::from_utf8(again).unwrap(), text);
        assert!(pg.practice_full(&p).await.unwrap());
        pg.close().await;
        let pool = sqlx::AnyPool::connect(&url).await.unwrap();
        sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
            .execute(&pool)
            .await
            .unwrap();
    }
    let mut rotated = keys.clone();
    rotated.add_new_key().unwrap();
    let b = Store::open("sqlite::memory:", rotated.clone(), StoreOptions::default())
        .await
        .unwrap();
    b.import_archive(text.as_bytes()).await.unwrap();
    // The two messages, the reason and the two links not yet mailed are re-encrypted with the rest.
    let count = b.reencrypt_all(&system()).await.unwrap();
    assert_eq!(count, 5, "two messages, a reason and two status links");
    rotated.retire_old_keys();
    let mut out = Vec::new();
    b.export_archive(&mut out).await.unwrap();
    let c = Store::open(
        "sqlite::memory:",
        Keyring::from_json(&rotated.to_json()).unwrap(),
        StoreOptions::default(),
    )
    .await
    .unwrap();
    c.import_archive(out.as_slice()).await.unwrap();
    let list = c.waitlist(&w.a_t1).await.unwrap();
    assert_eq!(
        list[0].message,
        "Anna would like to start when there is room."
    );
    assert_eq!(
        list[1].end_reason.as_deref(),
        Some("Speaks only English; Tone does.")
    );
    assert_eq!(position(&c, &waiting_token).await, Some(1));
    // Both links still go out by mail, readable with the new key alone.
    let mut links = Vec::new();
    while let Some(job) = c
        .claim_job(&system(), "w", ferd_store::now_ms() + 1_000, 60_000)
        .await
        .unwrap()
    {
        if let MailPlan::Send(m) = c.mail_context(&system(), &job).await.unwrap() {
            if let Reminder::WaitlistPlace { token } = m.reminder {
                links.push(token);
            }
        }
    }
    assert_eq!(links.len(), 2);
    assert!(links.contains(&waiting_token));
}

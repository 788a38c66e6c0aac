//! Responses that arrive together are committed together (group commit). Whatever the batching, each response is
//! stored once, with its own audit event, outcome bookkeeping and alerts; a refused response stores nothing and
//! does not hold up the others; the audit chain stays unbroken.

use std::collections::BTreeSet;

use ferd_store::{Actor, Keyring, Store, StoreError, StoreOptions};

use crate::common::{client_id, stores, World};

/// PHQ-9 answers for the n-th response: totals vary, and every third one answers item 9 (thoughts of being better
/// off dead) above "not at all", which is ferd-core's suicidal-ideation flag.
fn phq9(n: i64) -> Vec<Option<i64>> {
    let mut a: Vec<Option<i64>> = (0..9).map(|i| Some((n + i) % 3)).collect();
    a[8] = Some(if n % 3 == 0 { 1 } else { 0 });
    a
}

async fn responses_sent_together(store: &Store) {
    let w = World::build(store).await;
    let c1 = client_id(&w.a_c1).to_string();
    let c2 = client_id(&w.a_c2).to_string();
    let before = store.verify_audit().await.unwrap().unwrap();
    // Who sends what: the client for themself, c2's therapist for c2, and two who may not (t1 is not c2's
    // therapist; practice B's admin is in another practice).
    let mut plan: Vec<(Actor, String, i64, bool)> = Vec::new();
    for n in 0..16 {
        plan.push((w.a_c1.clone(), c1.clone(), n, true));
        plan.push((w.a_t2.clone(), c2.clone(), n, true));
        if n % 2 == 0 {
            plan.push((w.a_t1.clone(), c2.clone(), n, false));
            plan.push((w.b_admin.clone(), c1.clone(), n, false));
        }
    }
    let mut tasks = Vec::new();
    for (actor, client, n, _) in plan.clone() {
        let s = store.clone();
        tasks.push(tokio::spawn(async move {
            s.record_response(&actor, &client, None, "phq-9", &phq9(n), 1_000 + n)
                .await
        }));
    }
    let mut stored: BTreeSet<String> = BTreeSet::new();
    for (task, (_, client, n, allowed)) in tasks.into_iter().zip(&plan) {
        let result = task.await.unwrap();
        if *allowed {
            let r = result.unwrap_or_else(|e| panic!("response {n} for {client} refused: {e}"));
            assert_eq!(&r.client_id, client);
            assert_eq!(r.authored_at, 1_000 + n);
            // The total ferd-core computes: the sum of the nine answers.
            assert_eq!(r.total, phq9(*n).iter().flatten().sum::<i64>());
            assert!(stored.insert(r.id));
        } else {
            match result {
                Err(StoreError::NotFound { entity: "client" }) => {}
                other => {
                    panic!("an out-of-scope response must be refused as not found, got {other:?}")
                }
            }
        }
    }
    assert_eq!(stored.len(), 32);

    // One unbroken chain with exactly one event per stored response, naming it and who sent it.
    let after = store.verify_audit().await.unwrap().expect("unbroken chain");
    assert_eq!(after, before + 32);
    let events = store.audit_events().await.unwrap();
    let created: Vec<_> = events
        .iter()
        .filter(|e| e.seq > before && e.action == "create" && e.entity == "response")
        .collect();
    assert_eq!(created.len(), 32);
    let event_ids: BTreeSet<String> = created.iter().map(|e| e.entity_id.clone()).collect();
    assert_eq!(event_ids, stored);
    for e in &created {
        assert!(
            e.actor_id == w.a_c1.user_id || e.actor_id == w.a_t2.user_id,
            "event by {}",
            e.actor_id
        );
    }

    // Each client's responses, and nothing from the refused ones.
    for c in [&c1, &c2] {
        let rs = store.responses(&w.a_admin, c).await.unwrap();
        assert_eq!(rs.len(), 16);
        assert!(rs.iter().all(|r| stored.contains(&r.id)));
        // The outcome bookkeeping counts all sixteen, and its first response is the earliest authored.
        let (count, first_at): (i64, i64) = sqlx::query_as(
            "SELECT responses, first_at FROM outcome_ends WHERE client_id = $1 AND instrument = 'phq-9'",
        )
        .bind(c.as_str())
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!((count, first_at), (16, 1_000));
    }

    // One suicidal-ideation alert per flagged response of c1 (n = 0, 3, 6, 9, 12, 15), each naming its response.
    let alerts = store.client_alerts(&w.a_admin, &c1).await.unwrap();
    let suicidal: Vec<_> = alerts
        .iter()
        .filter(|a| a.kind == "suicidal-ideation")
        .collect();
    assert_eq!(suicidal.len(), 6);
    assert!(suicidal.iter().all(|a| stored.contains(&a.source_id)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_sent_together_are_each_stored_once_with_their_audit_event_and_alerts() {
    for t in stores().await {
        responses_sent_together(&t.store).await;
        t.drop_schema().await;
    }
    // SQLite on a file, with a pool of several connections, as `ferd serve` runs it.
    let dir = std::env::temp_dir().join(format!("ferd-group-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("ferd.db").display());
    let store = Store::open(&url, Keyring::generate().unwrap(), StoreOptions::default())
        .await
        .unwrap();
    responses_sent_together(&store).await;
    store.close().await;
    let _ = std::fs::remove_dir_all(dir);
}

/// The same assessment submitted many times at once (a double click, several tabs) is stored once; the others are
/// told it is no longer due, and an assessment that does not exist is not found. The other responses in flight are
/// stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_assessment_submitted_at_once_many_times_is_stored_once() {
    for t in stores().await {
        let store = &t.store;
        let w = World::build(store).await;
        let c1 = client_id(&w.a_c1).to_string();
        let a = store
            .schedule_assessment(&w.a_t1, &c1, None, "gad-7", "baseline", 0)
            .await
            .unwrap();
        let before = store.verify_audit().await.unwrap().unwrap();
        let mut tasks = Vec::new();
        for n in 0..12 {
            let s = store.clone();
            let actor = w.a_c1.clone();
            let client = c1.clone();
            let assessment = match n {
                5 => Some("no-such-assessment".to_string()),
                n if n % 2 == 0 => Some(a.id.clone()),
                _ => None,
            };
            tasks.push(tokio::spawn(async move {
                let r = s
                    .record_response(
                        &actor,
                        &client,
                        assessment.as_deref(),
                        "gad-7",
                        &[Some(1); 7],
                        2_000 + n,
                    )
                    .await;
                (n, r)
            }));
        }
        let (mut completed, mut not_due, mut free) = (0, 0, 0);
        for task in tasks {
            match task.await.unwrap() {
                (5, r) => assert!(
                    matches!(
                        r,
                        Err(StoreError::NotFound {
                            entity: "assessment"
                        })
                    ),
                    "{r:?}"
                ),
                (n, Ok(r)) if n % 2 == 0 => {
                    assert_eq!(r.assessment_id.as_deref(), Some(a.id.as_str()));
                    completed += 1;
                }
                (n, Err(StoreError::Invalid { field, .. })) if n % 2 == 0 => {
                    assert_eq!(field, "assessment");
                    not_due += 1;
                }
                (_, Ok(r)) => {
                    assert_eq!(r.assessment_id, None);
                    free += 1;
                }
                (n, other) => panic!("response {n}: {other:?}"),
            }
        }
        assert_eq!((completed, not_due, free), (1, 5, 5));
        assert_eq!(store.verify_audit().await.unwrap().unwrap(), before + 6);
        let rs = store.responses(&w.a_admin, &c1).await.unwrap();
        assert_eq!(rs.len(), 6);
        assert_eq!(
            rs.iter()
                .filter(|r| r.assessment_id.as_deref() == Some(a.id.as_str()))
                .count(),
            1
        );
        t.drop_schema().await;
    }
}

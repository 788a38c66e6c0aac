//! The audit chain: every access is recorded, and tampering with the table directly is found and named.

use ferd_store::ChainBreak;

use crate::common::{client_id, stores, World};

#[tokio::test]
async fn reads_and_writes_are_recorded_without_clinical_content() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let before = s.verify_audit().await.unwrap().unwrap();
        s.client(&w.a_t1, client_id(&w.a_c1)).await.unwrap();
        s.record_response(&w.a_c1, client_id(&w.a_c1), None, "gad-7", &[Some(2); 7], 1)
            .await
            .unwrap();
        assert_eq!(
            s.verify_audit().await.unwrap().unwrap(),
            before + 2,
            "{}",
            t.name
        );
        let rows: Vec<(String, String, String, String)> =
            sqlx::query_as("SELECT actor_role, action, entity, request_id FROM audit_events ORDER BY seq DESC LIMIT 2")
                .fetch_all(s.pool())
                .await
                .unwrap();
        assert_eq!(
            rows[0],
            (
                "client".into(),
                "create".into(),
                "response".into(),
                w.a_c1.request_id.clone()
            )
        );
        assert_eq!(
            rows[1],
            (
                "therapist".into(),
                "read".into(),
                "client".into(),
                w.a_t1.request_id.clone()
            )
        );
        t.drop_schema().await;
    }
}

async fn tampered(statements: &[&str]) -> Vec<(String, ChainBreak)> {
    let mut out = Vec::new();
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        for _ in 0..3 {
            s.clients(&w.a_admin).await.unwrap();
        }
        assert!(s.verify_audit().await.unwrap().is_ok());
        for sql in statements {
            sqlx::query(sql).execute(s.pool()).await.unwrap();
        }
        out.push((
            t.name.to_string(),
            s.verify_audit().await.unwrap().unwrap_err(),
        ));
        t.drop_schema().await;
    }
    out
}

#[tokio::test]
async fn a_changed_event_is_named() {
    for (db, e) in
        tampered(&["UPDATE audit_events SET actor_id = 'someone-else' WHERE seq = 7"]).await
    {
        assert_eq!(e, ChainBreak::Changed { seq: 7 }, "{db}");
        assert_eq!(
            e.to_string(),
            "audit event 7 was changed or moved (its hash does not match its contents and place)"
        );
    }
}

#[tokio::test]
async fn a_removed_event_is_named() {
    for (db, e) in tampered(&["DELETE FROM audit_events WHERE seq = 5"]).await {
        assert_eq!(
            e,
            ChainBreak::Removed {
                seq: 5,
                previous: 4,
                next: 6
            },
            "{db}"
        );
    }
}

#[tokio::test]
async fn removing_the_last_events_is_found() {
    for (db, e) in tampered(&["DELETE FROM audit_events WHERE seq > 10"]).await {
        assert!(
            matches!(e, ChainBreak::Truncated { last: 10, .. }),
            "{db}: {e}"
        );
    }
}

#[tokio::test]
async fn reordered_events_are_named() {
    // Swap the sequence numbers of events 3 and 4: event 3's place now holds event 4.
    for (db, e) in tampered(&[
        "UPDATE audit_events SET seq = -3 WHERE seq = 3",
        "UPDATE audit_events SET seq = 3 WHERE seq = 4",
        "UPDATE audit_events SET seq = 4 WHERE seq = -3",
    ])
    .await
    {
        assert_eq!(e, ChainBreak::Changed { seq: 3 }, "{db}");
    }
}

#[tokio::test]
async fn a_rehashed_forgery_is_caught_by_the_next_link() {
    // An attacker who changes event 6 and recomputes its hash still breaks event 7's link to it.
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        s.clients(&w.a_admin).await.unwrap();
        let mut forged = s.audit_events().await.unwrap().remove(5);
        assert_eq!(forged.seq, 6);
        forged.actor_id = "forger".into();
        sqlx::query("UPDATE audit_events SET actor_id = $1, hash = $2 WHERE seq = 6")
            .bind("forger")
            .bind(forged.expected_hash())
            .execute(s.pool())
            .await
            .unwrap();
        let e = s.verify_audit().await.unwrap().unwrap_err();
        assert_eq!(
            e,
            ChainBreak::Reordered {
                seq: 7,
                previous: 6
            },
            "{}",
            t.name
        );
        t.drop_schema().await;
    }
}

//! The scope matrix: for every kind of client record and every role, what lies outside the actor's scope is
//! "not found", exactly like a record that does not exist.

use ferd_store::{Actor, NewSession, StoreError};

use crate::common::{client_id, stores, World};

/// Who may reach which client, by the rules: admins and practice-admin therapists all clients of their practice,
/// other therapists their own clients, a client only themself, nobody another practice.
fn may_reach(w: &World, actor: &Actor, client: &Actor) -> bool {
    let same_practice = actor.practice_id == client.practice_id;
    if actor.client_id.is_some() {
        return actor.client_id == client.client_id;
    }
    if !same_practice {
        return false;
    }
    if actor.practice_admin {
        return true;
    }
    // Non-admin therapists: t1 has Kari (a_c1), t2 has Ola (a_c2).
    (actor.user_id == w.a_t1.user_id && client.client_id == w.a_c1.client_id)
        || (actor.user_id == w.a_t2.user_id && client.client_id == w.a_c2.client_id)
}

fn is_not_found<T: std::fmt::Debug>(r: Result<T, StoreError>) -> bool {
    matches!(r, Err(StoreError::NotFound { .. }))
}

#[tokio::test]
async fn every_role_reaches_exactly_its_scope_for_every_kind_of_client_record() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        // Give every client a session, a response and a shared journal entry.
        for (staff, c) in [
            (&w.a_admin, &w.a_c1),
            (&w.a_admin, &w.a_c2),
            (&w.b_admin, &w.b_c1),
        ] {
            s.add_session(
                staff,
                NewSession {
                    client_id: client_id(c).into(),
                    kind: "preparation".into(),
                    scheduled_at: 1_800_000_000_000,
                    duration_minutes: 90,
                    note: Some("note".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            s.record_response(
                c,
                client_id(c),
                None,
                "phq-9",
                &[Some(1); 9],
                1_800_000_000_000,
            )
            .await
            .unwrap();
            s.add_journal_entry(c, "shared thoughts", true)
                .await
                .unwrap();
            let j = s
                .start_journey(staff, client_id(c), "mdma-at-mapp", "preparation", 1)
                .await
                .unwrap();
            s.schedule_assessment(staff, client_id(c), Some(&j.id), "pcl-5", "baseline", 2)
                .await
                .unwrap();
            s.record_consent(c, client_id(c), "treatment", "v1", 3)
                .await
                .unwrap();
        }
        let actors = [
            &w.a_admin, &w.a_lead, &w.a_t1, &w.a_t2, &w.a_c1, &w.a_c2, &w.b_admin, &w.b_c1,
        ];
        let clients = [&w.a_c1, &w.a_c2, &w.b_c1];
        for actor in actors {
            for client in clients {
                let id = client_id(client);
                let ok = may_reach(&w, actor, client);
                let label = format!("{} {:?} → {}", t.name, actor.role, id);
                assert_eq!(s.client(actor, id).await.is_ok(), ok, "client: {label}");
                if !ok {
                    assert!(is_not_found(s.client(actor, id).await), "{label}");
                    assert!(
                        is_not_found(s.sessions(actor, id).await),
                        "sessions: {label}"
                    );
                    assert!(
                        is_not_found(s.responses(actor, id).await),
                        "responses: {label}"
                    );
                    assert!(is_not_found(s.journal(actor, id).await), "journal: {label}");
                    assert!(is_not_found(s.history(actor, id).await), "history: {label}");
                    assert!(
                        is_not_found(s.journeys(actor, id).await),
                        "journeys: {label}"
                    );
                    assert!(
                        is_not_found(s.assessments(actor, id).await),
                        "assessments: {label}"
                    );
                    assert!(
                        is_not_found(s.consents(actor, id).await),
                        "consents: {label}"
                    );
                    assert!(
                        is_not_found(s.export_client(actor, id).await),
                        "export: {label}"
                    );
                } else {
                    assert_eq!(s.sessions(actor, id).await.unwrap().len(), 1, "{label}");
                    assert_eq!(s.responses(actor, id).await.unwrap().len(), 1, "{label}");
                    assert_eq!(s.journal(actor, id).await.unwrap().len(), 1, "{label}");
                    assert_eq!(s.journeys(actor, id).await.unwrap().len(), 1, "{label}");
                    assert_eq!(s.assessments(actor, id).await.unwrap().len(), 1, "{label}");
                    assert_eq!(s.consents(actor, id).await.unwrap().len(), 1, "{label}");
                    let h = s.history(actor, id).await.unwrap();
                    assert_eq!(
                        (h.client.id.as_str(), h.sessions.len(), h.responses.len()),
                        (id, 1, 1),
                        "{label}"
                    );
                }
            }
            // Listing returns exactly the reachable clients.
            let listed: Vec<String> = s
                .clients(actor)
                .await
                .unwrap()
                .into_iter()
                .map(|c| c.id)
                .collect();
            let expected: Vec<String> = clients
                .iter()
                .filter(|c| may_reach(&w, actor, c))
                .map(|c| client_id(c).to_string())
                .collect();
            let (mut l, mut e) = (listed.clone(), expected.clone());
            l.sort();
            e.sort();
            assert_eq!(
                l, e,
                "{} list for {:?} {}",
                t.name, actor.role, actor.user_id
            );
        }
        // A record that does not exist gives the same answer as one out of scope.
        let missing = s
            .client(&w.a_admin, "no-such-client")
            .await
            .unwrap_err()
            .to_string();
        let hidden = s
            .client(&w.a_admin, client_id(&w.b_c1))
            .await
            .unwrap_err()
            .to_string();
        assert_eq!(missing, hidden);
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn writes_outside_scope_are_not_found_and_leave_nothing_behind() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let head = s.verify_audit().await.unwrap().unwrap();
        let session = NewSession {
            client_id: client_id(&w.a_c2).into(),
            kind: "integration".into(),
            scheduled_at: 1,
            duration_minutes: 90,
            note: Some("should never be stored".into()),
            ..Default::default()
        };
        assert!(
            is_not_found(s.add_session(&w.a_t1, session.clone()).await),
            "{}",
            t.name
        );
        assert!(is_not_found(s.add_session(&w.b_admin, session).await));
        assert!(is_not_found(
            s.record_response(&w.a_c1, client_id(&w.a_c2), None, "gad-7", &[Some(0); 7], 1)
                .await
        ));
        // Nothing was written, not even an audit event.
        assert_eq!(s.verify_audit().await.unwrap().unwrap(), head, "{}", t.name);
        assert!(s
            .sessions(&w.a_admin, client_id(&w.a_c2))
            .await
            .unwrap()
            .is_empty());
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn private_journal_entries_are_the_clients_alone_and_clients_do_not_see_session_notes() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        s.add_journal_entry(&w.a_c1, "for me only", false)
            .await
            .unwrap();
        s.add_journal_entry(&w.a_c1, "for my therapist", true)
            .await
            .unwrap();
        let own: Vec<String> = s
            .journal(&w.a_c1, client_id(&w.a_c1))
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.body)
            .collect();
        assert_eq!(own.len(), 2);
        let seen: Vec<String> = s
            .journal(&w.a_t1, client_id(&w.a_c1))
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.body)
            .collect();
        assert_eq!(seen, ["for my therapist"], "{}", t.name);
        assert!(matches!(
            s.add_journal_entry(&w.a_t1, "x", true).await,
            Err(StoreError::Forbidden(_))
        ));
        s.add_session(
            &w.a_t1,
            NewSession {
                client_id: client_id(&w.a_c1).into(),
                kind: "preparation".into(),
                scheduled_at: 5,
                duration_minutes: 90,
                note: Some("clinical impression".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let as_client = s.sessions(&w.a_c1, client_id(&w.a_c1)).await.unwrap();
        assert_eq!(as_client.len(), 1);
        assert_eq!(as_client[0].note, None);
        let as_therapist = s.sessions(&w.a_t1, client_id(&w.a_c1)).await.unwrap();
        assert_eq!(as_therapist[0].note.as_deref(), Some("clinical impression"));
        t.drop_schema().await;
    }
}

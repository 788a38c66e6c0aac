//! The research export: pseudonymous, no identities or free text, dates shifted per client, ages in bands, audited.

use ferd_store::{NewSession, StoreError};

use crate::common::{client_id, stores, World};

const DAY: i64 = 86_400_000;

#[tokio::test]
async fn the_research_export_holds_no_identity_and_shifts_each_clients_dates_consistently() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let base = 1_800_000_000_000;
        for (c, staff) in [(&w.a_c1, &w.a_t1), (&w.a_c2, &w.a_t2)] {
            s.record_response(c, client_id(c), None, "pcl-5", &[Some(3); 20], base)
                .await
                .unwrap();
            s.record_response(
                c,
                client_id(c),
                None,
                "pcl-5",
                &[Some(1); 20],
                base + 30 * DAY,
            )
            .await
            .unwrap();
            s.add_session(
                staff,
                NewSession {
                    client_id: client_id(c).into(),
                    kind: "integration".into(),
                    scheduled_at: base + 7 * DAY,
                    duration_minutes: 90,
                    note: Some("very private note".into()),
                    place: Some("Moss".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }
        s.record_response(
            &w.b_c1,
            client_id(&w.b_c1),
            None,
            "gad-7",
            &[Some(1); 7],
            base,
        )
        .await
        .unwrap();
        assert!(matches!(
            s.research_export(&w.a_t1).await,
            Err(StoreError::Forbidden(_))
        ));
        let data = s.research_export(&w.a_admin).await.unwrap();
        let text = serde_json::to_string(&data).unwrap();
        for secret in [
            "Kari",
            "Ola",
            "Per",
            "kari@example.no",
            "very private note",
            "Moss",
            client_id(&w.a_c1),
        ] {
            assert!(
                !text.contains(secret),
                "{}: '{secret}' leaked into the research export",
                t.name
            );
        }
        assert_eq!(data.clients.len(), 2, "practice A's clients only");
        assert_eq!(data.responses.len(), 4);
        assert_eq!(data.sessions.len(), 2);
        for c in &data.clients {
            assert!(c.research_id.starts_with("R-"));
            let mine: Vec<_> = data
                .responses
                .iter()
                .filter(|r| r.research_id == c.research_id)
                .collect();
            let shift = mine[0].authored_at - base;
            assert!(
                shift != 0 && shift.abs() <= 182 * DAY && shift % DAY == 0,
                "{shift}"
            );
            assert_eq!(
                mine[1].authored_at - mine[0].authored_at,
                30 * DAY,
                "intervals survive the shift"
            );
            let session = data
                .sessions
                .iter()
                .find(|x| x.research_id == c.research_id)
                .unwrap();
            assert_eq!(
                session.scheduled_at - base - 7 * DAY,
                shift,
                "one offset per client"
            );
        }
        // The offsets are stable from one export to the next.
        let again = s.research_export(&w.a_admin).await.unwrap();
        assert_eq!(again.responses, data.responses);
        let last = s.audit_events().await.unwrap().pop().unwrap();
        assert_eq!(
            (last.action.as_str(), last.entity_id.as_str()),
            ("research-export", w.practice_a.as_str())
        );
        t.drop_schema().await;
    }
}

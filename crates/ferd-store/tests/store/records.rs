//! Records: validation with named fields, scores from ferd-core, nothing half-written.

use ferd_store::{NewClient, NewInquiry, NewSession, StoreError};

fn inquiry(practice: &str, message: &str) -> NewInquiry {
    NewInquiry {
        practice_id: practice.into(),
        name: "Nora".into(),
        email: "nora@example.no".into(),
        phone: None,
        language: "nb".into(),
        message: message.into(),
        consent_version: Some("2026-11-26".into()),
    }
}

use crate::common::{client_id, stores, World};

#[tokio::test]
async fn responses_are_scored_by_ferd_core_and_bad_answers_store_nothing() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        // PHQ-9 E3 (instruments.md §15.2): total 21, severe, suicidal-ideation flag.
        let r = s
            .record_response(
                &w.a_c1,
                client_id(&w.a_c1),
                None,
                "phq-9",
                &[3, 3, 3, 3, 2, 3, 2, 1, 1].map(Some),
                10,
            )
            .await
            .unwrap();
        assert_eq!(r.total, 21);
        assert_eq!(r.summary["severity"], "severe");
        assert_eq!(r.summary["flags"][0], "suicidal-ideation");
        let head = s.verify_audit().await.unwrap().unwrap();
        let err = s
            .record_response(
                &w.a_c1,
                client_id(&w.a_c1),
                None,
                "phq-9",
                &[Some(4); 9],
                11,
            )
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "answers: phq-9 item 1: 4 is not an allowed answer (allowed: 0–3)"
        );
        let err = s
            .record_response(&w.a_c1, client_id(&w.a_c1), None, "bdi", &[Some(1)], 11)
            .await
            .unwrap_err();
        assert!(err
            .to_string()
            .starts_with("instrument: unknown instrument 'bdi'"));
        assert_eq!(s.verify_audit().await.unwrap().unwrap(), head);
        let stored = s.responses(&w.a_t1, client_id(&w.a_c1)).await.unwrap();
        assert_eq!(stored.len(), 1, "{}", t.name);
        assert_eq!(stored[0], r);
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn invalid_client_and_session_fields_are_named() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let bad = |f: fn(&mut NewClient)| {
            let mut c = NewClient {
                name: "Eva".into(),
                preferred_language: "en".into(),
                ..Default::default()
            };
            f(&mut c);
            c
        };
        let cases: [(NewClient, &str); 4] = [
            (
                bad(|c| c.name = "  ".into()),
                "name: must be 1–200 characters",
            ),
            (
                bad(|c| c.email = Some("not-an-address".into())),
                "email: is not an e-mail address",
            ),
            (
                bad(|c| c.birth_year = Some(1850)),
                "birth_year: must be a year between 1900 and 2100",
            ),
            (
                bad(|c| c.preferred_language = "de".into()),
                "preferred_language: must be one of nb, en, sv",
            ),
        ];
        for (c, message) in cases {
            assert_eq!(
                s.create_client(&w.a_admin, c)
                    .await
                    .unwrap_err()
                    .to_string(),
                message
            );
        }
        let err = s
            .add_session(
                &w.a_admin,
                NewSession {
                    client_id: client_id(&w.a_c1).into(),
                    kind: "party".into(),
                    duration_minutes: 60,
                    ..Default::default()
                },
            )
            .await
            .unwrap_err();
        assert!(err
            .to_string()
            .starts_with("kind: must be one of intake, preparation"));
        assert!(matches!(
            s.create_client(&w.a_c1, bad(|_| {})).await,
            Err(StoreError::Forbidden(_))
        ));
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn inquiries_reach_only_the_staff_of_their_practice() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        s.submit_inquiry(inquiry(&w.practice_a, "Jeg lurer på forberedelsene."), "r1")
            .await
            .unwrap();
        let a = s.inquiries(&w.a_t2).await.unwrap();
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].message, "Jeg lurer på forberedelsene.");
        assert!(s.inquiries(&w.b_admin).await.unwrap().is_empty());
        assert!(matches!(
            s.inquiries(&w.a_c1).await,
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            s.submit_inquiry(inquiry("nope", "hi"), "r2").await,
            Err(StoreError::NotFound { .. })
        ));
        let _ = &w.practice_b;
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn the_public_site_speaks_for_one_practice_and_says_so_when_it_cannot_tell_which() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        // Two practices share the database: without a name the site cannot choose.
        assert!(matches!(
            s.site_practice(None).await,
            Err(StoreError::Invalid {
                field: "site_practice",
                ..
            })
        ));
        let a = s.site_practice(Some(&w.practice_a)).await.unwrap().unwrap();
        assert_eq!((a.id.as_str(), a.reply_days), (w.practice_a.as_str(), 3));
        assert!(matches!(
            s.site_practice(Some("no-such-practice")).await,
            Err(StoreError::NotFound { .. })
        ));
        // Reply time: 1–30 working days, set by an admin only; a refusal changes nothing.
        assert!(s.set_inquiry_reply_days(&w.a_t1, 5).await.is_err());
        assert!(matches!(
            s.set_inquiry_reply_days(&w.a_admin, 31).await,
            Err(StoreError::Invalid {
                field: "reply_days",
                ..
            })
        ));
        assert_eq!(s.inquiry_reply_days(&w.a_admin).await.unwrap(), 3);
        s.set_inquiry_reply_days(&w.a_admin, 5).await.unwrap();
        assert_eq!(s.inquiry_reply_days(&w.a_t1).await.unwrap(), 5);
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn a_public_allowance_refuses_past_its_limit_and_renews_when_the_window_has_passed() {
    for t in stores().await {
        let s = &t.store;
        let (now, hour) = (1_800_000_000_000_i64, 3_600_000_i64);
        assert!(s.take_public_allowance("k", now, 2, hour).await.unwrap());
        assert!(s
            .take_public_allowance("k", now + 1, 2, hour)
            .await
            .unwrap());
        assert!(!s
            .take_public_allowance("k", now + 2, 2, hour)
            .await
            .unwrap());
        // Another key has its own count.
        assert!(s
            .take_public_allowance("other", now + 2, 2, hour)
            .await
            .unwrap());
        // A refused use is not counted, and the window starts again an hour after its first use.
        assert!(!s
            .take_public_allowance("k", now + hour - 1, 2, hour)
            .await
            .unwrap());
        assert!(s
            .take_public_allowance("k", now + hour, 2, hour)
            .await
            .unwrap());
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn inquiries_are_deleted_a_year_after_they_arrive_or_on_request_and_each_deletion_is_audited()
{
    use ferd_store::site::INQUIRY_RETENTION_MS;
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let kept = s
            .submit_inquiry(inquiry(&w.practice_a, "Delete me when I ask."), "r1")
            .await
            .unwrap();
        let old = s
            .submit_inquiry(inquiry(&w.practice_a, "An old question."), "r2")
            .await
            .unwrap();
        assert!(s
            .take_public_allowance("inquiry:x", old.created_at, 5, 3_600_000)
            .await
            .unwrap());
        // A day less than a year after: kept.
        let p = s
            .purge_expired_public_data(old.created_at + INQUIRY_RETENTION_MS - 86_400_000)
            .await
            .unwrap();
        assert_eq!(p.inquiries, 0);
        assert_eq!(p.rate_limits, 1, "the counter is older than a day by then");
        assert_eq!(s.inquiries(&w.a_t1).await.unwrap().len(), 2);
        // On request: a therapist of another practice cannot, one of the practice can.
        assert!(matches!(
            s.delete_inquiry(&w.b_admin, &kept.id).await,
            Err(StoreError::NotFound { .. })
        ));
        assert!(matches!(
            s.delete_inquiry(&w.a_c1, &kept.id).await,
            Err(StoreError::Forbidden(_))
        ));
        s.delete_inquiry(&w.a_t1, &kept.id).await.unwrap();
        // A year after (and a moment): the rest goes.
        let p = s
            .purge_expired_public_data(old.created_at + INQUIRY_RETENTION_MS + 1_000)
            .await
            .unwrap();
        assert_eq!(p.inquiries, 1);
        assert!(s.inquiries(&w.a_t1).await.unwrap().is_empty());
        let events = s.audit_events().await.unwrap();
        for (action, id) in [("delete", &kept.id), ("expire", &old.id)] {
            assert!(
                events
                    .iter()
                    .any(|e| e.action == action && e.entity == "inquiry" && &e.entity_id == id),
                "{action} {id} is audited"
            );
        }
        assert!(s.verify_audit().await.unwrap().is_ok());
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn the_report_s_first_and_latest_responses_follow_the_time_they_were_given_not_the_order_they_arrived(
) {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let c = client_id(&w.a_c1);
        let all = |v: i64| vec![Some(v); 20];
        // Entered late: the latest-dated response (t = 3) first, then the earliest (t = 1), then the middle.
        s.record_response(&w.a_t1, c, None, "pcl-5", &all(1), 3_000)
            .await
            .unwrap();
        s.record_response(&w.a_t1, c, None, "pcl-5", &all(3), 1_000)
            .await
            .unwrap();
        s.record_response(&w.a_t1, c, None, "pcl-5", &all(4), 2_000)
            .await
            .unwrap();
        let r = s.outcome_report(&w.a_admin).await.unwrap();
        let pcl = r.outcome("pcl-5").unwrap();
        // First is the t = 1 response (total 60), latest the t = 3 one (20), whatever the order of entry.
        assert_eq!(
            (pcl.clients, pcl.baseline.mean, pcl.latest.mean),
            (1, Some(60.0), Some(20.0))
        );
        assert_eq!(pcl.changes, vec![-40.0]);
        // A client outside a therapist's scope is not in their report; erasure takes the client out.
        let other = s.outcome_report(&w.b_admin).await.unwrap();
        assert_eq!(other.outcome("pcl-5").unwrap().clients, 0);
        s.erase_client(&w.a_admin, c).await.unwrap();
        assert_eq!(
            s.outcome_report(&w.a_admin)
                .await
                .unwrap()
                .outcome("pcl-5")
                .unwrap()
                .clients,
            0
        );
        t.drop_schema().await;
    }
}

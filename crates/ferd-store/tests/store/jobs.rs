//! The job queue and reminders: dedupe, claiming, backoff, interruption (never retried by itself), two instances
//! claiming and enqueuing at once, the admin's view and "send again", a client's opt-out, and what the scheduler
//! and the sender read.

use ferd_store::jobs::{backoff_ms, DEFAULT_MAX_ATTEMPTS, LEASE_MS};
use ferd_store::reminders::{KIND_ALERT, KIND_QUESTIONNAIRE, KIND_SESSION};
use ferd_store::{
    Actor, JobOutcome, JobStatus, Keyring, MailPlan, NewJob, NewSession, Reminder,
    ReminderSettings, Store, StoreError, StoreOptions,
};
use serde_json::json;

use crate::common::{client_id, stores, system, World};

const HOUR: i64 = 3_600_000;

fn job(key: &str, practice: &str, run_at: i64) -> NewJob {
    NewJob {
        kind: "test".into(),
        practice_id: Some(practice.to_string()),
        client_id: None,
        recipient_id: None,
        payload: json!({ "n": key }),
        dedupe_key: key.to_string(),
        run_at,
        max_attempts: 3,
    }
}

/// A second instance on the same database as `t`: PostgreSQL's same schema, or a second pool on a SQLite file.
async fn second_instance(name: &str, store: &Store, schema: Option<&str>) -> Option<Store> {
    match name {
        "postgres" => Some(
            Store::open(
                &std::env::var("FERD_TEST_POSTGRES_URL").unwrap(),
                store.keys().clone(),
                StoreOptions {
                    schema: schema.map(str::to_string),
                    ..Default::default()
                },
            )
            .await
            .unwrap(),
        ),
        _ => None,
    }
}

/// Two stores on one SQLite file (two pools, as two ferd processes would have), and the folder to remove.
async fn two_sqlite_instances() -> (Store, Store, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("ferd-jobs-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("ferd.db").display());
    let keys = Keyring::generate().unwrap();
    let a = Store::open(&url, keys.clone(), StoreOptions::default())
        .await
        .unwrap();
    let b = Store::open(&url, keys, StoreOptions::default())
        .await
        .unwrap();
    (a, b, dir)
}

#[tokio::test]
async fn a_dedupe_key_enqueues_once_and_each_new_job_is_audited() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let sys = system();
        let events = s.audit_events().await.unwrap().len();
        let now = 1_000_000;
        let first = s
            .enqueue_jobs(
                &sys,
                &[job("k1", &w.practice_a, now), job("k2", &w.practice_a, now)],
                now,
            )
            .await
            .unwrap();
        assert_eq!(first.len(), 2, "{}", t.name);
        // Again, with one new key among the old: only the new one is created.
        let again = s
            .enqueue_jobs(
                &sys,
                &[job("k1", &w.practice_a, now), job("k3", &w.practice_a, now)],
                now,
            )
            .await
            .unwrap();
        assert_eq!(again.len(), 1, "{}", t.name);
        let jobs = s.all_jobs(&sys).await.unwrap();
        assert_eq!(jobs.len(), 3);
        assert!(jobs
            .iter()
            .all(|j| j.status == JobStatus::Queued && j.attempts == 0));
        let new_events: Vec<_> = s.audit_events().await.unwrap()[events..].to_vec();
        assert_eq!(new_events.len(), 3, "{}", t.name);
        assert!(new_events
            .iter()
            .all(|e| e.action == "enqueue" && e.entity == "job"));
        // Only ferd itself enqueues.
        assert!(matches!(
            s.enqueue_jobs(&w.a_admin, &[job("k9", &w.practice_a, now)], now)
                .await,
            Err(StoreError::Forbidden(_))
        ));
        s.verify_audit().await.unwrap().unwrap();
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn a_claim_takes_the_oldest_due_job_and_sets_it_running_with_a_lease() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let sys = system();
        let now = 10_000_000;
        s.enqueue_jobs(
            &sys,
            &[
                job("later", &w.practice_a, now + 60_000),
                job("second", &w.practice_a, now - 1_000),
                job("first", &w.practice_a, now - 5_000),
            ],
            now - 10_000,
        )
        .await
        .unwrap();
        let a = s
            .claim_job(&sys, "w1", now, LEASE_MS)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(a.dedupe_key, "first", "{}", t.name);
        assert_eq!(a.status, JobStatus::Running);
        assert_eq!(a.attempts, 1);
        assert_eq!(a.locked_by.as_deref(), Some("w1"));
        assert_eq!(a.locked_until, Some(now + LEASE_MS));
        let b = s
            .claim_job(&sys, "w1", now, LEASE_MS)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(b.dedupe_key, "second");
        // The third is not due yet.
        assert!(s
            .claim_job(&sys, "w1", now, LEASE_MS)
            .await
            .unwrap()
            .is_none());
        let c = s
            .claim_job(&sys, "w1", now + 60_000, LEASE_MS)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c.dedupe_key, "later");
        // Done: sent, with the outbox file; audited as a send.
        let done = s
            .finish_job(
                &sys,
                &a.id,
                "w1",
                &JobOutcome::Sent {
                    outbox_file: Some("x.eml".into()),
                },
                now + 1,
            )
            .await
            .unwrap();
        assert!(done);
        let a = s.job(&sys, &a.id).await.unwrap();
        assert_eq!(a.status, JobStatus::Sent);
        assert_eq!(a.finished_at, Some(now + 1));
        assert_eq!(a.locked_until, None);
        assert_eq!(a.outbox_file.as_deref(), Some("x.eml"));
        let last = s.audit_events().await.unwrap().pop().unwrap();
        assert_eq!(
            (
                last.action.as_str(),
                last.entity.as_str(),
                last.entity_id.as_str()
            ),
            ("send", "job", a.id.as_str())
        );
        // Another worker cannot finish a job it does not hold.
        assert!(!s
            .finish_job(
                &sys,
                &b.id,
                "w2",
                &JobOutcome::Sent { outbox_file: None },
                now + 2
            )
            .await
            .unwrap());
        assert_eq!(s.job(&sys, &b.id).await.unwrap().status, JobStatus::Running);
        // Skipped: nothing to do any more, with ferd's reason.
        s.finish_job(
            &sys,
            &b.id,
            "w1",
            &JobOutcome::Skipped {
                reason: "the session was moved".into(),
            },
            now + 3,
        )
        .await
        .unwrap();
        let b = s.job(&sys, &b.id).await.unwrap();
        assert_eq!(b.status, JobStatus::Skipped);
        assert_eq!(b.last_error.as_deref(), Some("the session was moved"));
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn a_failure_before_hand_over_is_retried_with_growing_waits_until_it_fails() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let sys = system();
        let mut now = 50_000_000;
        s.enqueue_jobs(&sys, &[job("retry", &w.practice_a, now)], now)
            .await
            .unwrap();
        let failure = JobOutcome::NotHandedOver {
            error: "could not connect to the mail server".into(),
            permanent: false,
        };
        for attempt in 1..=3 {
            let j = s
                .claim_job(&sys, "w1", now, LEASE_MS)
                .await
                .unwrap()
                .unwrap_or_else(|| panic!("{}: attempt {attempt} not claimable", t.name));
            assert_eq!(j.attempts, attempt);
            s.finish_job(&sys, &j.id, "w1", &failure, now)
                .await
                .unwrap();
            let j = s.job(&sys, &j.id).await.unwrap();
            assert_eq!(
                j.last_error.as_deref(),
                Some("could not connect to the mail server")
            );
            if attempt < 3 {
                assert_eq!(j.status, JobStatus::Queued, "{}", t.name);
                assert_eq!(j.run_at, now + backoff_ms(attempt));
                assert_eq!(j.locked_by, None);
                // Not before its wait is over.
                assert!(s
                    .claim_job(&sys, "w1", j.run_at - 1, LEASE_MS)
                    .await
                    .unwrap()
                    .is_none());
                now = j.run_at;
            } else {
                // max_attempts is 3: the third failure is final.
                assert_eq!(j.status, JobStatus::Failed, "{}", t.name);
                assert_eq!(j.finished_at, Some(now));
            }
        }
        assert_eq!(backoff_ms(1), 60_000);
        assert_eq!(backoff_ms(2), 120_000);
        // A permanent refusal fails at once.
        s.enqueue_jobs(&sys, &[job("permanent", &w.practice_a, now)], now)
            .await
            .unwrap();
        let j = s
            .claim_job(&sys, "w1", now, LEASE_MS)
            .await
            .unwrap()
            .unwrap();
        s.finish_job(
            &sys,
            &j.id,
            "w1",
            &JobOutcome::NotHandedOver {
                error: "the mail server refused the recipient (SMTP 550)".into(),
                permanent: true,
            },
            now,
        )
        .await
        .unwrap();
        assert_eq!(s.job(&sys, &j.id).await.unwrap().status, JobStatus::Failed);
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn a_job_whose_worker_died_is_interrupted_never_retried_and_sent_again_only_by_an_admin() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let sys = system();
        let now = 70_000_000;
        s.enqueue_jobs(&sys, &[job("mid-send", &w.practice_a, now)], now)
            .await
            .unwrap();
        let j = s
            .claim_job(&sys, "dead", now, LEASE_MS)
            .await
            .unwrap()
            .unwrap();
        // The worker dies here. Within the lease nothing happens: it may still be sending.
        assert_eq!(
            s.mark_interrupted_jobs(&sys, now + LEASE_MS - 1)
                .await
                .unwrap(),
            0
        );
        assert!(s
            .claim_job(&sys, "w2", now + LEASE_MS - 1, LEASE_MS)
            .await
            .unwrap()
            .is_none());
        // After the lease: interrupted, and no worker takes it again, however late.
        assert_eq!(
            s.mark_interrupted_jobs(&sys, now + LEASE_MS + 1)
                .await
                .unwrap(),
            1,
            "{}",
            t.name
        );
        assert_eq!(
            s.mark_interrupted_jobs(&sys, now + LEASE_MS + 2)
                .await
                .unwrap(),
            0
        );
        let stuck = s.job(&sys, &j.id).await.unwrap();
        assert_eq!(stuck.status, JobStatus::Interrupted);
        assert_eq!(stuck.attempts, 1);
        assert!(stuck.last_error.unwrap().starts_with("interrupted"));
        assert!(s
            .claim_job(&sys, "w2", now + 100 * HOUR, LEASE_MS)
            .await
            .unwrap()
            .is_none());
        // The admin sees it among the practice's jobs; another practice's admin does not, and cannot resend it.
        let (rows, counts) = s.practice_jobs(&w.a_admin, 100).await.unwrap();
        assert_eq!(counts.interrupted, 1);
        assert!(rows.iter().any(|r| r.job.id == j.id));
        let (rows_b, counts_b) = s.practice_jobs(&w.b_admin, 100).await.unwrap();
        assert!(rows_b.is_empty() && counts_b.interrupted == 0);
        assert!(matches!(
            s.resend_job(&w.b_admin, &j.id).await,
            Err(StoreError::NotFound { .. })
        ));
        assert!(matches!(
            s.practice_jobs(&w.a_t1, 100).await,
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            s.resend_job(&w.a_c1, &j.id).await,
            Err(StoreError::Forbidden(_))
        ));
        // "Send again": queued now, with fresh attempts; audited.
        s.resend_job(&w.a_admin, &j.id).await.unwrap();
        let last = s.audit_events().await.unwrap().pop().unwrap();
        assert_eq!(
            (last.action.as_str(), last.actor_id.as_str()),
            ("resend", w.a_admin.user_id.as_str())
        );
        let again = s.job(&sys, &j.id).await.unwrap();
        assert_eq!(again.status, JobStatus::Queued);
        assert!(again.resent_at.is_some());
        assert_eq!(again.max_attempts, 1 + DEFAULT_MAX_ATTEMPTS);
        // A queued job cannot be "sent again".
        assert!(matches!(
            s.resend_job(&w.a_admin, &j.id).await,
            Err(StoreError::Invalid {
                field: "status",
                ..
            })
        ));
        // The dead worker, had it come back, no longer holds the job.
        assert!(!s
            .finish_job(
                &sys,
                &j.id,
                "dead",
                &JobOutcome::Sent { outbox_file: None },
                now
            )
            .await
            .unwrap());
        let far = ferd_store::now_ms() + HOUR;
        let j2 = s
            .claim_job(&sys, "w2", far, LEASE_MS)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((j2.id.as_str(), j2.attempts), (j.id.as_str(), 2));
        s.finish_job(
            &sys,
            &j.id,
            "w2",
            &JobOutcome::Sent { outbox_file: None },
            far,
        )
        .await
        .unwrap();
        assert_eq!(s.job(&sys, &j.id).await.unwrap().status, JobStatus::Sent);
        s.verify_audit().await.unwrap().unwrap();
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn a_worker_that_outlived_its_lease_still_records_what_happened() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let sys = system();
        let now = 80_000_000;
        s.enqueue_jobs(&sys, &[job("slow", &w.practice_a, now)], now)
            .await
            .unwrap();
        let j = s
            .claim_job(&sys, "slow", now, LEASE_MS)
            .await
            .unwrap()
            .unwrap();
        s.mark_interrupted_jobs(&sys, now + LEASE_MS + 1)
            .await
            .unwrap();
        // Its mail did go: the truth replaces the guess.
        assert!(s
            .finish_job(
                &sys,
                &j.id,
                "slow",
                &JobOutcome::Sent { outbox_file: None },
                now + LEASE_MS + 2
            )
            .await
            .unwrap());
        assert_eq!(s.job(&sys, &j.id).await.unwrap().status, JobStatus::Sent);
        // A send that broke off mid-way is interrupted at once, like a dead worker.
        s.enqueue_jobs(&sys, &[job("uncertain", &w.practice_a, now)], now)
            .await
            .unwrap();
        let j = s
            .claim_job(&sys, "w", now, LEASE_MS)
            .await
            .unwrap()
            .unwrap();
        s.finish_job(
            &sys,
            &j.id,
            "w",
            &JobOutcome::Uncertain {
                error: "the connection broke after the message was handed over".into(),
            },
            now,
        )
        .await
        .unwrap();
        assert_eq!(
            s.job(&sys, &j.id).await.unwrap().status,
            JobStatus::Interrupted
        );
        t.drop_schema().await;
    }
}

/// Two instances claim from the same queue at once, through their own pools: every job is claimed exactly once.
async fn two_claimers(a: &Store, b: &Store, practice: &str) {
    let sys = system();
    let now = ferd_store::now_ms();
    let jobs: Vec<NewJob> = (0..60)
        .map(|n| job(&format!("two-{n}"), practice, now - 1_000))
        .collect();
    a.enqueue_jobs(&sys, &jobs, now).await.unwrap();
    let claim_all = |s: Store, me: &'static str| async move {
        let mut mine = Vec::new();
        while let Some(j) = s.claim_job(&system(), me, now, LEASE_MS).await.unwrap() {
            assert_eq!(j.locked_by.as_deref(), Some(me));
            s.finish_job(
                &system(),
                &j.id,
                me,
                &JobOutcome::Sent { outbox_file: None },
                now,
            )
            .await
            .unwrap();
            mine.push(j.id);
        }
        mine
    };
    let (ta, tb) = tokio::join!(
        tokio::spawn(claim_all(a.clone(), "instance-a")),
        tokio::spawn(claim_all(b.clone(), "instance-b"))
    );
    let (ma, mb) = (ta.unwrap(), tb.unwrap());
    let mut all: Vec<String> = ma.iter().chain(mb.iter()).cloned().collect();
    all.sort();
    let n = all.len();
    all.dedup();
    assert_eq!(n, 60, "claimed {n} times for 60 jobs");
    assert_eq!(all.len(), 60, "a job was claimed twice");
    eprintln!("instance a claimed {}, instance b {}", ma.len(), mb.len());
    let done = a.all_jobs(&sys).await.unwrap();
    assert!(done
        .iter()
        .all(|j| j.status == JobStatus::Sent && j.attempts == 1));
}

/// Two instances enqueue the same reminders at once: each key makes one job.
async fn two_enqueuers(a: &Store, b: &Store, practice: &str) {
    let sys = system();
    let now = ferd_store::now_ms();
    let jobs: Vec<NewJob> = (0..30)
        .map(|n| job(&format!("both-{n}"), practice, now))
        .collect();
    let (ra, rb) = tokio::join!(
        tokio::spawn({
            let (s, j) = (a.clone(), jobs.clone());
            async move { s.enqueue_jobs(&system(), &j, now).await.unwrap() }
        }),
        tokio::spawn({
            let (s, j) = (b.clone(), jobs.clone());
            async move { s.enqueue_jobs(&system(), &j, now).await.unwrap() }
        })
    );
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert_eq!(ra.len() + rb.len(), 30, "{} + {}", ra.len(), rb.len());
    let keys = a
        .all_jobs(&sys)
        .await
        .unwrap()
        .into_iter()
        .filter(|j| j.dedupe_key.starts_with("both-"))
        .count();
    assert_eq!(keys, 30);
    a.verify_audit().await.unwrap().expect("one unbroken chain");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_claiming_and_enqueuing_at_once_do_each_job_once() {
    for t in stores().await {
        if let Some(second) = second_instance(t.name, &t.store, t.schema_name()).await {
            let w = World::build(&t.store).await;
            two_claimers(&t.store, &second, &w.practice_a).await;
            two_enqueuers(&t.store, &second, &w.practice_a).await;
            second.close().await;
        }
        t.drop_schema().await;
    }
    let (a, b, dir) = two_sqlite_instances().await;
    let w = World::build(&a).await;
    two_claimers(&a, &b, &w.practice_a).await;
    two_enqueuers(&a, &b, &w.practice_a).await;
    a.close().await;
    b.close().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn reminder_settings_are_the_admins_checked_and_audited() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        assert_eq!(
            s.reminder_settings(&w.a_admin).await.unwrap(),
            ReminderSettings::default()
        );
        let new = ReminderSettings {
            session_hours: 48,
            questionnaire: false,
            hour: 17,
            overdue_days: 0,
            alert_mail: false,
        };
        s.set_reminder_settings(&w.a_lead, new).await.unwrap();
        assert_eq!(s.reminder_settings(&w.a_admin).await.unwrap(), new);
        // The other practice keeps its own.
        assert_eq!(
            s.reminder_settings(&w.b_admin).await.unwrap(),
            ReminderSettings::default()
        );
        let last = s.audit_events().await.unwrap().pop().unwrap();
        assert_eq!(
            (last.action.as_str(), last.entity_id.as_str()),
            ("set-reminders", w.practice_a.as_str())
        );
        for bad in [
            ReminderSettings {
                session_hours: 169,
                ..new
            },
            ReminderSettings { hour: 24, ..new },
            ReminderSettings {
                overdue_days: -1,
                ..new
            },
        ] {
            assert!(matches!(
                s.set_reminder_settings(&w.a_admin, bad).await,
                Err(StoreError::Invalid { .. })
            ));
        }
        for who in [&w.a_t1, &w.a_c1] {
            assert!(matches!(
                s.set_reminder_settings(who, new).await,
                Err(StoreError::Forbidden(_))
            ));
        }
        t.drop_schema().await;
    }
}

/// Client a_c1's planned session, open questionnaire and a new alert, as the scheduler reads them.
async fn reminder_world(s: &Store, w: &World, now: i64) -> (String, String, String) {
    let c = client_id(&w.a_c1);
    let session = s
        .add_session(
            &w.a_t1,
            NewSession {
                client_id: c.into(),
                kind: "preparation".into(),
                scheduled_at: now + 20 * HOUR,
                duration_minutes: 60,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let a = s
        .schedule_assessments(&w.a_t1, c, "pcl-5", "baseline", &[now - HOUR])
        .await
        .unwrap();
    // A missed session raises an alert for the client's therapist.
    let missed = s
        .add_session(
            &w.a_t1,
            NewSession {
                client_id: c.into(),
                kind: "preparation".into(),
                scheduled_at: now - 3 * HOUR,
                duration_minutes: 60,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    s.update_session(&w.a_t1, &missed.id, "missed", None)
        .await
        .unwrap();
    let alert = s.client_alerts(&w.a_t1, c).await.unwrap()[0].id.clone();
    (session.id, a[0].id.clone(), alert)
}

#[tokio::test]
async fn the_scheduler_reads_ids_and_times_and_the_sender_checks_each_reminder_still_holds() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let sys = system();
        let now = ferd_store::now_ms();
        let (session, assessment, alert) = reminder_world(s, &w, now).await;
        let c = client_id(&w.a_c1).to_string();
        let cand = s.reminder_candidates(&sys, now).await.unwrap();
        assert_eq!(cand.practices.len(), 2);
        assert!(cand.sessions.iter().any(|x| x.session_id == session
            && x.recipient_id == w.a_c1.user_id
            && x.client_id == c));
        assert!(cand
            .assessments
            .iter()
            .any(|x| x.assessment_id == assessment && x.recipient_id == w.a_c1.user_id));
        let al = cand.alerts.iter().find(|x| x.alert_id == alert).unwrap();
        assert_eq!(
            al.recipients,
            vec![w.a_t1.user_id.clone()],
            "the client's therapist"
        );
        assert!(matches!(
            s.reminder_candidates(&w.a_admin, now).await,
            Err(StoreError::Forbidden(_))
        ));

        let new = |kind: &str, key: &str, recipient: &str, payload: serde_json::Value| NewJob {
            kind: kind.into(),
            practice_id: Some(w.practice_a.clone()),
            client_id: Some(c.clone()),
            recipient_id: Some(recipient.to_string()),
            payload,
            dedupe_key: key.into(),
            run_at: now,
            max_attempts: 3,
        };
        let ids = s
            .enqueue_jobs(
                &sys,
                &[
                    new(
                        KIND_SESSION,
                        "s",
                        &w.a_c1.user_id,
                        json!({ "session": session, "scheduled_at": now + 20 * HOUR }),
                    ),
                    new(
                        KIND_QUESTIONNAIRE,
                        "q",
                        &w.a_c1.user_id,
                        json!({ "assessments": [assessment], "day": "2026-01-01" }),
                    ),
                    new(KIND_ALERT, "a", &w.a_t1.user_id, json!({ "alert": alert })),
                ],
                now,
            )
            .await
            .unwrap();
        let jobs: Vec<_> = {
            let mut v = Vec::new();
            for id in &ids {
                v.push(s.job(&sys, id).await.unwrap());
            }
            v
        };
        let sys_ref = &sys;
        let plan = |i: usize| {
            let j = jobs[i].clone();
            async move { s.mail_context(sys_ref, &j).await.unwrap() }
        };
        let MailPlan::Send(m) = plan(0).await else {
            panic!("session reminder skipped")
        };
        assert_eq!(m.to, "kari@example.no");
        assert_eq!(
            m.language.as_deref(),
            Some("nb"),
            "the client's recorded language"
        );
        assert_eq!(m.practice_name, "Practice A");
        assert!(m.to_client);
        assert_eq!(
            m.reminder,
            Reminder::Session {
                starts_at: now + 20 * HOUR
            }
        );
        let MailPlan::Send(m) = plan(1).await else {
            panic!("questionnaire reminder skipped")
        };
        assert_eq!(m.reminder, Reminder::Questionnaires { count: 1 });
        let MailPlan::Send(m) = plan(2).await else {
            panic!("alert notice skipped")
        };
        assert_eq!((m.to.as_str(), m.to_client), ("t1@a.no", false));
        assert_eq!(m.reminder, Reminder::Alert);
        let last = s.audit_events().await.unwrap().pop().unwrap();
        assert_eq!(
            (last.action.as_str(), last.entity.as_str()),
            ("read", "job")
        );

        // Things change before the mails go: each is skipped, with the reason.
        s.reschedule_session(&w.a_t1, &session, now + 30 * HOUR)
            .await
            .unwrap();
        assert_eq!(
            plan(0).await,
            MailPlan::Skip("the session was moved or cancelled")
        );
        s.record_response(&w.a_c1, &c, Some(&assessment), "pcl-5", &[Some(1); 20], now)
            .await
            .unwrap();
        assert_eq!(
            plan(1).await,
            MailPlan::Skip("the questionnaires were filled in or withdrawn")
        );
        s.acknowledge_alert(&w.a_t1, &alert, None).await.unwrap();
        assert_eq!(plan(2).await, MailPlan::Skip("the alert was acknowledged"));
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn a_client_who_turns_reminders_off_gets_none_and_the_choice_is_audited() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let sys = system();
        let now = ferd_store::now_ms();
        let (session, _, _) = reminder_world(s, &w, now).await;
        let c = client_id(&w.a_c1).to_string();
        let ids = s
            .enqueue_jobs(
                &sys,
                &[NewJob {
                    kind: KIND_SESSION.into(),
                    practice_id: Some(w.practice_a.clone()),
                    client_id: Some(c.clone()),
                    recipient_id: Some(w.a_c1.user_id.clone()),
                    payload: json!({ "session": session, "scheduled_at": now + 20 * HOUR }),
                    dedupe_key: "s".into(),
                    run_at: now,
                    max_attempts: 3,
                }],
                now,
            )
            .await
            .unwrap();
        assert!(!s.reminders_off(&w.a_c1).await.unwrap());
        s.set_reminders_off(&w.a_c1, true).await.unwrap();
        assert!(s.reminders_off(&w.a_c1).await.unwrap());
        let events = s.audit_events().await.unwrap();
        assert!(events.iter().any(|e| e.action == "reminders-off"
            && e.entity_id == c
            && e.actor_id == w.a_c1.user_id));
        // Nothing new is scheduled for them, and what was queued is not sent.
        let cand = s.reminder_candidates(&sys, now).await.unwrap();
        assert!(cand.sessions.iter().all(|x| x.client_id != c));
        assert!(cand.assessments.iter().all(|x| x.client_id != c));
        let j = s.job(&sys, &ids[0]).await.unwrap();
        assert_eq!(
            s.mail_context(&sys, &j).await.unwrap(),
            MailPlan::Skip("the client turned reminders off")
        );
        // Alerts still reach the therapist: they are not the client's reminders.
        assert!(!cand.alerts.is_empty());
        // Only the client themself chooses.
        for who in [&w.a_t1, &w.a_admin] {
            assert!(matches!(
                s.set_reminders_off(who, false).await,
                Err(StoreError::Forbidden(_))
            ));
        }
        s.set_reminders_off(&w.a_c1, false).await.unwrap();
        assert!(!s.reminders_off(&w.a_c1).await.unwrap());
        assert!(s
            .audit_events()
            .await
            .unwrap()
            .iter()
            .any(|e| e.action == "reminders-on"));
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn erasing_a_client_removes_their_jobs_and_an_archive_carries_the_queue() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let sys = system();
        let now = ferd_store::now_ms();
        let mk = |actor: &Actor, key: &str| NewJob {
            kind: KIND_SESSION.into(),
            practice_id: Some(w.practice_a.clone()),
            client_id: actor.client_id.clone(),
            recipient_id: Some(actor.user_id.clone()),
            payload: json!({}),
            dedupe_key: key.into(),
            run_at: now,
            max_attempts: 3,
        };
        s.enqueue_jobs(&sys, &[mk(&w.a_c1, "c1"), mk(&w.a_c2, "c2")], now)
            .await
            .unwrap();
        // The archive keeps the queue, so a restored practice does not remind twice.
        let mut out = Vec::new();
        s.export_archive(&mut out).await.unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches("\"table\":\"jobs\"").count(), 2, "{}", t.name);
        let copy = Store::open("sqlite::memory:", s.keys().clone(), StoreOptions::default())
            .await
            .unwrap();
        copy.import_archive(text.as_bytes()).await.unwrap();
        let mut again = Vec::new();
        copy.export_archive(&mut again).await.unwrap();
        assert_eq!(String::from_utf8(again).unwrap(), text);
        assert!(copy
            .enqueue_jobs(&sys, &[mk(&w.a_c1, "c1")], now)
            .await
            .unwrap()
            .is_empty());
        // Erasure takes the client's jobs with it.
        s.erase_client(&w.a_admin, client_id(&w.a_c1))
            .await
            .unwrap();
        let left: Vec<_> = s
            .all_jobs(&sys)
            .await
            .unwrap()
            .into_iter()
            .map(|j| j.dedupe_key)
            .collect();
        assert_eq!(left, vec!["c2".to_string()], "{}", t.name);
        t.drop_schema().await;
    }
}

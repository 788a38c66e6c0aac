//! Each flow of the issue, walked over HTTP.

use crate::common::*;

fn pcl5_all(v: &str) -> Vec<(String, String)> {
    (1..=20)
        .map(|i| (format!("item-{i}"), v.to_string()))
        .collect()
}

/// Posts answers as the form does: with its CSRF token and the instrument it names (the last form seen).
async fn post_answers(b: &mut Browser, path: &str, mut answers: Vec<(String, String)>) -> Page {
    answers.push(("csrf".into(), b.csrf.clone().unwrap()));
    answers.push((
        "instrument".into(),
        b.instrument.clone().expect("a questionnaire form was seen"),
    ));
    b.post_raw(path, &answers).await
}

#[tokio::test]
async fn a_client_fills_in_questionnaires_sees_crisis_contacts_and_the_therapist_acknowledges_the_alert(
) {
    for backend in backends() {
        let app = spawn(backend).await;
        let s = &app.store;
        let pcl = s
            .schedule_assessments(
                &app.therapist.actor,
                &app.client_id,
                "pcl-5",
                "baseline",
                &[ferd_store::now_ms()],
            )
            .await
            .unwrap();
        let phq = s
            .schedule_assessments(
                &app.therapist.actor,
                &app.client_id,
                "phq-9",
                "baseline",
                &[ferd_store::now_ms()],
            )
            .await
            .unwrap();

        let mut client = app.signed_in(&app.client).await;
        let portal = client.get("/portal").await;
        assert_eq!(portal.status, 200);
        let pcl_path = format!("/portal/questionnaires/{}", pcl[0].id);
        assert!(
            portal.body.contains(&pcl_path),
            "{backend}: the due PCL-5 is listed"
        );

        // Sent with item 7 missing: 422, the missing item named, the other answers kept, nothing stored.
        let form = client.get(&pcl_path).await;
        assert!(form.body.contains("id=\"q-20\""));
        let mut answers = pcl5_all("3");
        answers.retain(|(k, _)| k != "item-7");
        let r = post_answers(&mut client, &pcl_path, answers).await;
        assert_eq!(r.status, 422, "{backend}");
        assert!(
            r.body.contains("href=\"#q-7\""),
            "the message links to the missing item"
        );
        assert!(
            r.body
                .contains("id=\"q-3-3\" name=\"item-3\" value=\"3\" checked"),
            "answers are kept"
        );
        assert!(!r
            .body
            .contains("id=\"q-7-3\" name=\"item-7\" value=\"3\" checked"));
        assert!(
            s.responses(&app.client.actor, &app.client_id)
                .await
                .unwrap()
                .is_empty(),
            "nothing stored"
        );

        let r = post_answers(&mut client, &pcl_path, pcl5_all("3")).await;
        assert_eq!(r.status, 200, "{backend}: {}", r.body);
        assert!(
            !r.body.contains("class=\"crisis\""),
            "no crisis box without a flag"
        );
        // A second submission of the same assessment stores nothing more.
        let again = post_answers(&mut client, &pcl_path, pcl5_all("1")).await;
        assert_eq!(again.status, 303);
        assert_eq!(
            s.responses(&app.client.actor, &app.client_id)
                .await
                .unwrap()
                .len(),
            1
        );

        // PHQ-9 with item 9 answered 2 ("More than half the days"): the crisis contacts show at once.
        let phq_path = format!("/portal/questionnaires/{}", phq[0].id);
        client.get(&phq_path).await;
        let mut answers: Vec<(String, String)> = (1..=9)
            .map(|i| {
                (
                    format!("item-{i}"),
                    if i == 9 { "2" } else { "1" }.to_string(),
                )
            })
            .collect();
        answers.push(("item-10".into(), "1".into()));
        let r = post_answers(&mut client, &phq_path, answers).await;
        assert_eq!(r.status, 200, "{backend}: {}", r.body);
        for contact in ["113", "116 123", "22 40 00 40"] {
            assert!(
                r.body.contains(contact),
                "{backend}: crisis contact {contact} shown"
            );
        }
        assert!(r.body.contains("class=\"crisis\""));
        let portal = client.get("/portal").await;
        assert_eq!(
            portal.body.matches("<svg").count(),
            2,
            "a chart per instrument on the client's page"
        );

        // The therapist sees the alert and the scores, and acknowledges the alert by name.
        let mut t = app.signed_in(&app.therapist).await;
        let dash = t.get("/dashboard").await;
        assert!(
            dash.body.contains("alert-suicidal-ideation"),
            "{backend}: the dashboard shows the alert"
        );
        let page = t.get(&format!("/clients/{}", app.client_id)).await;
        assert!(page.body.contains("<svg"), "the client page has charts");
        assert!(
            page.body.contains("<td class=\"num\">60</td>"),
            "the PCL-5 total of 20 × 3 = 60 is shown"
        );
        let alerts = s
            .client_alerts(&app.therapist.actor, &app.client_id)
            .await
            .unwrap();
        assert_eq!(alerts.len(), 1);
        // The suicide-risk path: acknowledging needs a note of what was done; without one nothing changes.
        let path = format!("/alerts/{}/acknowledge", alerts[0].id);
        let client_id = app.client_id.clone();
        let r = t
            .post(
                &path,
                &[
                    ("back", "/dashboard"),
                    ("client_id", &client_id),
                    ("action", " "),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "{backend}");
        assert!(s
            .client_alerts(&app.therapist.actor, &app.client_id)
            .await
            .unwrap()[0]
            .acknowledged_at
            .is_none());
        t.get(&format!("/clients/{client_id}")).await;
        let r = t
            .post(
                &path,
                &[
                    ("back", "/dashboard"),
                    ("client_id", &client_id),
                    ("action", "Ringte klienten; sikkerhetsplan laget."),
                ],
            )
            .await;
        assert_eq!(r.status, 303);
        let alerts = s
            .client_alerts(&app.therapist.actor, &app.client_id)
            .await
            .unwrap();
        assert_eq!(alerts[0].acknowledged_by.as_deref(), Some("Tor Terapeut"));
        assert_eq!(
            alerts[0].action.as_deref(),
            Some("Ringte klienten; sikkerhetsplan laget.")
        );
        let dash = t.get("/dashboard").await;
        assert!(
            !dash.body.contains("action=\"/alerts/"),
            "no open alert remains"
        );
        assert!(dash.body.contains("Tor Terapeut"));
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_therapist_invites_a_new_client_who_chooses_a_password_and_reaches_their_page_once() {
    for backend in backends() {
        let app = spawn(backend).await;
        let mut t = app.signed_in(&app.therapist).await;
        t.get("/clients/new").await;
        let r = t
            .post(
                "/clients/new",
                &[
                    ("name", "Nina Ny"),
                    ("email", "nina@example.org"),
                    ("phone", ""),
                    ("birth_year", "1984"),
                    ("emergency_contact", ""),
                    ("preferred_language", "en"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{backend}: {}", r.body);
        let client_path = r.location().split('?').next().unwrap().to_string();
        t.get(&client_path).await;
        let r = t.post(&format!("{client_path}/invitation"), &[]).await;
        assert_eq!(r.status, 200);
        let marker = "id=\"invitation-link\" href=\"";
        let start = r.body.find(marker).expect("the link is shown") + marker.len();
        // askama escapes "/" in attribute values; a browser reads it back as "/".
        let link = r.body[start..start + r.body[start..].find('"').unwrap()]
            .replace("&#47;", "/")
            .replace("&#x2f;", "/");
        let path = &link[link.find("/invite/").expect(&link)..];

        let mut c = app.browser();
        let page = c.get(path).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("nina@example.org"));
        let short = c
            .post(path, &[("password", "short"), ("confirm", "short")])
            .await;
        assert_eq!(short.status, 422, "a short password is refused");
        let ok = c
            .post(
                path,
                &[
                    ("password", "my own long passphrase"),
                    ("confirm", "my own long passphrase"),
                ],
            )
            .await;
        assert_eq!(ok.status, 303);
        assert!(ok.location().starts_with("/portal"));
        assert_eq!(
            c.get("/portal").await.status,
            200,
            "signed in straight away"
        );
        // The link works once.
        let mut other = app.browser();
        let again = other.get(path).await;
        assert!(
            !again.body.contains("name=\"password\""),
            "a used invitation offers no form"
        );
        let reuse = other
            .post(
                path,
                &[
                    ("password", "another long passphrase"),
                    ("confirm", "another long passphrase"),
                ],
            )
            .await;
        assert_eq!(reuse.status, 303);
        assert_eq!(
            other.get("/portal").await.status,
            303,
            "reusing the link signs nobody in"
        );
        // And the client signs in with the chosen password.
        let mut again = app.browser();
        assert_eq!(
            again
                .sign_in("nina@example.org", "my own long passphrase")
                .await
                .location(),
            "/portal"
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn an_inquiry_becomes_a_client_at_intake_and_sessions_are_scheduled_and_recorded() {
    for backend in backends() {
        let app = spawn(backend).await;
        let practice = app.therapist.actor.practice_id.clone().unwrap();
        app.store
            .submit_inquiry(
                ferd_store::NewInquiry {
                    practice_id: practice,
                    name: "Siri Spør".into(),
                    email: "siri@example.org".into(),
                    language: "nb".into(),
                    message: "Hei, jeg lurer på …".into(),
                    consent_version: None,
                    ..Default::default()
                },
                "t",
            )
            .await
            .unwrap();
        let mut t = app.signed_in(&app.therapist).await;
        let inbox = t.get("/inquiries").await;
        assert!(inbox.body.contains("Siri Spør") && inbox.body.contains("Hei, jeg lurer på"));
        let id = app.store.inquiries(&app.therapist.actor).await.unwrap()[0]
            .id
            .clone();
        let r = t.post(&format!("/inquiries/{id}/client"), &[]).await;
        assert_eq!(r.status, 303);
        let client_path = r.location().split('?').next().unwrap().to_string();
        let page = t.get(&client_path).await;
        assert!(page.body.contains("Siri Spør"));
        assert!(
            page.body.contains("aria-current=\"step\""),
            "the journey shows its current phase"
        );
        let client_id = client_path.trim_start_matches("/clients/").to_string();
        let journeys = app
            .store
            .journeys(&app.therapist.actor, &client_id)
            .await
            .unwrap();
        assert_eq!(journeys[0].phase, "intake");
        // Converting twice is refused and changes nothing.
        assert_eq!(
            t.post(&format!("/inquiries/{id}/client"), &[]).await.status,
            400
        );
        assert_eq!(
            app.store
                .client_list(&app.therapist.actor, Some("Siri"), None, 0)
                .await
                .unwrap()
                .len(),
            1
        );

        let r = t
            .post(
                &format!("{client_path}/sessions"),
                &[
                    ("kind", "intake"),
                    ("date", "2030-03-04"),
                    ("time", "10:30"),
                    ("duration_minutes", "60"),
                    ("place", "Rom 1"),
                    ("video_link", ""),
                ],
            )
            .await;
        assert_eq!(r.status, 303);
        let sessions = app
            .store
            .sessions(&app.therapist.actor, &client_id)
            .await
            .unwrap();
        assert_eq!(sessions.len(), 1);
        // 10:30 in Oslo on 4 March 2030 (CET, UTC+1) is 09:30 UTC.
        assert_eq!(sessions[0].scheduled_at, 1_898_847_000_000);
        let r = t
            .post(
                &format!("/sessions/{}", sessions[0].id),
                &[
                    ("status", "missed"),
                    ("note", "Ringte, ikke svar."),
                    ("client_id", &client_id),
                ],
            )
            .await;
        assert_eq!(r.status, 303);
        let sessions = app
            .store
            .sessions(&app.therapist.actor, &client_id)
            .await
            .unwrap();
        assert_eq!(sessions[0].status, "missed");
        assert_eq!(sessions[0].note.as_deref(), Some("Ringte, ikke svar."));
        let alerts = app
            .store
            .client_alerts(&app.therapist.actor, &client_id)
            .await
            .unwrap();
        assert_eq!(
            alerts[0].kind, "missed-session",
            "a missed session raises an alert"
        );
        // A bad date is refused and nothing is stored.
        let bad = t
            .post(
                &format!("{client_path}/sessions"),
                &[
                    ("kind", "intake"),
                    ("date", "2030-02-30"),
                    ("time", "10:30"),
                    ("duration_minutes", "60"),
                    ("place", ""),
                    ("video_link", ""),
                ],
            )
            .await;
        assert_eq!(bad.status, 400);
        assert_eq!(
            app.store
                .sessions(&app.therapist.actor, &client_id)
                .await
                .unwrap()
                .len(),
            1
        );
        // A questionnaire on a schedule: three, four weeks apart.
        let r = t
            .post(
                &format!("{client_path}/assessments"),
                &[
                    ("instrument", "gad-7"),
                    ("point", "check-in"),
                    ("when", "schedule"),
                    ("first_date", "2030-01-07"),
                    ("every_days", "28"),
                    ("count", "3"),
                ],
            )
            .await;
        assert_eq!(r.status, 303);
        let a = app
            .store
            .assessments(&app.therapist.actor, &client_id)
            .await
            .unwrap();
        assert_eq!(a.len(), 3);
        assert_eq!(a[1].due_at - a[0].due_at, 28 * 86_400_000);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn the_interface_speaks_the_users_language_from_setting_cookie_or_browser() {
    let app = spawn("sqlite").await;
    let mut b = app.browser();
    b.lang = "en-GB,en;q=0.9".into();
    let p = b.get("/login").await;
    assert!(p.body.contains("<html lang=\"en\">") && p.body.contains(">Sign in<"));
    b.lang = "nb-NO".into();
    let p = b.get("/login").await;
    assert!(p.body.contains("<html lang=\"nb\">") && p.body.contains(">Logg inn<"));
    // The switch wins over the browser, and returns to the page.
    let r = b
        .post("/language", &[("lang", "en"), ("back", "/login")])
        .await;
    assert_eq!(r.location(), "/login");
    assert!(b.get("/login").await.body.contains("<html lang=\"en\">"));
    // An address elsewhere is never a target.
    let r = b
        .post("/language", &[("lang", "nb"), ("back", "//evil.example")])
        .await;
    assert_eq!(r.location(), "/");
    // A signed-in user's setting is remembered across browsers.
    let mut t = app.signed_in(&app.therapist).await;
    t.post("/language", &[("lang", "en"), ("back", "/dashboard")])
        .await;
    let mut fresh = app.signed_in(&app.therapist).await;
    fresh.lang = "nb".into();
    assert!(fresh
        .get("/dashboard")
        .await
        .body
        .contains("<html lang=\"en\">"));
    app.cleanup().await;
}

#[tokio::test]
async fn a_session_started_on_one_instance_works_on_another_sharing_the_database() {
    for backend in backends() {
        let app = spawn(backend).await;
        // A second ferd instance on the same database.
        let second = ferd_web::Application::build(
            ferd_web::WebConfig {
                listen: "127.0.0.1:0".into(),
                site_practice: app.admin.actor.practice_id.clone(),
                ..Default::default()
            },
            app.store.clone(),
        )
        .await
        .unwrap();
        let second_base = format!("http://127.0.0.1:{}", second.port());
        tokio::spawn(second.run_until(std::future::pending()));
        let mut t = app.signed_in(&app.therapist).await;
        t.base = second_base.clone();
        assert_eq!(
            t.get("/dashboard").await.status,
            200,
            "{backend}: the session is known to the second instance"
        );
        let r = t
            .post(
                &format!("/clients/{}/journey/start", app.client_id),
                &[("protocol", "mdma-at"), ("start_date", "2030-01-07")],
            )
            .await;
        assert_eq!(r.status, 303, "{backend}: and its CSRF token too");
        // Signing out on one instance signs out on both.
        t.post("/logout", &[]).await;
        t.base = app.base.clone();
        assert_eq!(t.get("/dashboard").await.status, 303);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_questionnaire_sent_several_times_at_once_is_stored_once() {
    for backend in backends() {
        let app = spawn(backend).await;
        let a = app
            .store
            .schedule_assessments(
                &app.therapist.actor,
                &app.client_id,
                "gad-7",
                "x",
                &[ferd_store::now_ms()],
            )
            .await
            .unwrap();
        let mut client = app.signed_in(&app.client).await;
        let path = format!("/portal/questionnaires/{}", a[0].id);
        client.get(&path).await;
        let mut form: Vec<(String, String)> = (1..=7)
            .map(|i| (format!("item-{i}"), "1".to_string()))
            .collect();
        form.push(("csrf".into(), client.csrf.clone().unwrap()));
        form.push(("instrument".into(), "gad-7".into()));
        // Eight browsers' worth of the same session sending at once (a double click, several tabs).
        let mut sends = vec![];
        for _ in 0..8 {
            let mut b = app.browser();
            b.cookies = client.cookies.clone();
            let path = path.clone();
            let form = form.clone();
            sends.push(tokio::spawn(async move {
                b.post_raw(&path, &form).await.status
            }));
        }
        let mut statuses = vec![];
        for s in sends {
            statuses.push(s.await.unwrap());
        }
        assert_eq!(
            statuses.iter().filter(|s| **s == 200).count(),
            1,
            "{backend}: {statuses:?}"
        );
        assert!(
            statuses.iter().all(|s| *s == 200 || *s == 303),
            "{backend}: {statuses:?}"
        );
        assert_eq!(
            app.store
                .responses(&app.therapist.actor, &app.client_id)
                .await
                .unwrap()
                .len(),
            1,
            "{backend}"
        );
        app.cleanup().await;
    }
}

//! The route × role matrix: every page and every action refuses the wrong role and the wrong practice, and nothing
//! changes when it does.

use crate::common::*;

/// Who asks.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Anonymous,
    Client,
    Therapist,
    Admin,
    /// A therapist of another practice (a practice admin there).
    Foreign,
}

/// A POST route, its form fields, and who may send it.
type Action = (String, Vec<(&'static str, String)>, Vec<Who>);

const ALL: [Who; 5] = [
    Who::Anonymous,
    Who::Client,
    Who::Therapist,
    Who::Admin,
    Who::Foreign,
];

async fn browser(app: &TestApp, who: Who) -> Browser {
    match who {
        Who::Anonymous => {
            let mut b = app.browser();
            b.get("/login").await;
            b
        }
        Who::Client => app.signed_in(&app.client).await,
        Who::Therapist => app.signed_in(&app.therapist).await,
        Who::Admin => app.signed_in(&app.admin).await,
        Who::Foreign => app.signed_in(&app.foreign_therapist).await,
    }
}

/// What a refusal looks like: anonymous users are sent to sign in; the wrong role is forbidden; the wrong practice
/// (or the wrong therapist) finds nothing.
fn refused(p: &Page, who: Who) -> bool {
    match who {
        Who::Anonymous => p.status == 303 && p.location() == "/login",
        _ => p.status == 403 || p.status == 404,
    }
}

#[tokio::test]
async fn every_page_refuses_the_wrong_role_and_the_wrong_practice() {
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
        let c = &app.client_id;
        let o = &app.other_client_id;
        let f = &app.foreign_client_id;
        let article = app
            .store
            .create_article(
                &app.admin.actor,
                article_input("matrix-draft"),
                ferd_store::ArticleStatus::Draft,
            )
            .await
            .unwrap()
            .id;
        let everyone = ALL.to_vec();
        let place = referral_place(&app).await;
        let inquiry = inquiry_of_a(&app).await;
        // (path, who may see it)
        let pages: Vec<(String, Vec<Who>)> = vec![
            ("/dashboard".into(), vec![Who::Therapist, Who::Foreign]),
            ("/clients".into(), vec![Who::Therapist, Who::Foreign]),
            ("/clients/new".into(), vec![Who::Therapist, Who::Foreign]),
            (format!("/clients/{c}"), vec![Who::Therapist]),
            (format!("/clients/{o}"), vec![]),
            (format!("/clients/{f}"), vec![Who::Foreign]),
            ("/inquiries".into(), vec![Who::Therapist, Who::Foreign]),
            (
                "/waitlist".into(),
                vec![Who::Therapist, Who::Admin, Who::Foreign],
            ),
            (
                "/referrals".into(),
                vec![Who::Therapist, Who::Admin, Who::Foreign],
            ),
            ("/referrals/new".into(), vec![Who::Admin, Who::Foreign]),
            (format!("/referrals/{place}"), vec![Who::Admin]),
            (format!("/clients/{c}/refer"), vec![Who::Therapist]),
            (format!("/clients/{o}/refer"), vec![]),
            (format!("/inquiries/{inquiry}/refer"), vec![Who::Therapist]),
            (
                "/report".into(),
                vec![Who::Therapist, Who::Admin, Who::Foreign],
            ),
            (
                "/report.csv".into(),
                vec![Who::Therapist, Who::Admin, Who::Foreign],
            ),
            ("/admin".into(), vec![Who::Admin, Who::Foreign]),
            ("/admin/tokens".into(), vec![Who::Admin, Who::Foreign]),
            ("/admin/articles".into(), vec![Who::Admin, Who::Foreign]),
            ("/admin/articles/new".into(), vec![Who::Admin, Who::Foreign]),
            (format!("/admin/articles/{article}"), vec![Who::Admin]),
            ("/nb/articles".into(), everyone.clone()),
            ("/en/articles/feed.xml".into(), everyone.clone()),
            (
                "/nb/articles/mdma-therapy-after-the-fda-decision".into(),
                everyone.clone(),
            ),
            ("/portal".into(), vec![Who::Client]),
            (
                format!("/portal/questionnaires/{}", a[0].id),
                vec![Who::Client],
            ),
            ("/portal/journal".into(), vec![Who::Client]),
            (
                "/account".into(),
                vec![Who::Client, Who::Therapist, Who::Admin, Who::Foreign],
            ),
        ];
        for who in ALL {
            let mut b = browser(&app, who).await;
            for (path, allowed) in &pages {
                let p = b.get(path).await;
                if allowed.contains(&who) {
                    assert_eq!(p.status, 200, "{backend}: {who:?} may see {path}");
                } else {
                    assert!(
                        refused(&p, who),
                        "{backend}: {who:?} must not see {path}: {} {}",
                        p.status,
                        p.location()
                    );
                    // The client's own name is in the page header; nobody else's name may appear.
                    let leaked = ["Kari Klient", "Ola Other", "Fremmed"].iter().any(|n| {
                        p.body.contains(n) && !(who == Who::Client && *n == "Kari Klient")
                    });
                    assert!(!leaked, "{backend}: {who:?} on {path} leaks a name");
                }
            }
        }
        app.cleanup().await;
    }
}

#[tokio::test]
async fn every_action_refuses_the_wrong_role_and_the_wrong_practice_and_changes_nothing() {
    for backend in backends() {
        let app = spawn(backend).await;
        let s = &app.store;
        let c = app.client_id.clone();
        let session = s
            .add_session(
                &app.therapist.actor,
                ferd_store::NewSession {
                    client_id: c.clone(),
                    kind: "intake".into(),
                    scheduled_at: 1,
                    duration_minutes: 60,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let phq = s
            .schedule_assessments(&app.therapist.actor, &c, "phq-9", "x", &[1])
            .await
            .unwrap();
        let mut answers = vec![Some(1); 9];
        answers[8] = Some(1);
        answers.push(Some(0));
        s.record_response(
            &app.client.actor,
            &c,
            Some(&phq[0].id),
            "phq-9",
            &answers,
            2,
        )
        .await
        .unwrap();
        let alert = s.client_alerts(&app.therapist.actor, &c).await.unwrap()[0]
            .id
            .clone();
        let practice = app.therapist.actor.practice_id.clone().unwrap();
        s.submit_inquiry(
            ferd_store::NewInquiry {
                practice_id: practice,
                name: "Q".into(),
                email: "q@example.org".into(),
                language: "nb".into(),
                message: "m".into(),
                consent_version: None,
                ..Default::default()
            },
            "t",
        )
        .await
        .unwrap();
        let inquiry = s.inquiries(&app.therapist.actor).await.unwrap()[0]
            .id
            .clone();
        let place = referral_place(&app).await;
        let refer = vec![
            ("place", place.clone()),
            ("reason", "Trenger traumebehandling først.".to_string()),
            ("referred_on", String::new()),
        ];
        let due = s
            .schedule_assessments(&app.therapist.actor, &c, "gad-7", "x", &[1])
            .await
            .unwrap()[0]
            .id
            .clone();
        let therapist2 = app.therapist2.id.clone();
        // Three people on practice A's waitlist: the next, one taken by choice, one removed.
        let mut waiting = Vec::new();
        for (n, name) in ["Wenche", "Willy", "Wilma"].iter().enumerate() {
            let joined = s
                .join_waitlist(
                    ferd_store::NewInquiry {
                        practice_id: app.therapist.actor.practice_id.clone().unwrap(),
                        name: name.to_string(),
                        email: format!("w{n}@example.org"),
                        language: "nb".into(),
                        message: "m".into(),
                        ..Default::default()
                    },
                    None,
                    &format!("{n}").repeat(43),
                    "t",
                )
                .await
                .unwrap();
            waiting.push(joined.entry_id);
            tokio::time::sleep(std::time::Duration::from_millis(3)).await;
        }
        let article = s
            .create_article(
                &app.admin.actor,
                article_input("matrix-article"),
                ferd_store::ArticleStatus::Draft,
            )
            .await
            .unwrap()
            .id;
        let article_form = |slug: &str, action: &str| -> Vec<(&'static str, String)> {
            vec![
                ("lang", "nb".into()),
                ("slug", slug.into()),
                ("title", "Tittel".into()),
                ("summary", "Sammendrag.".into()),
                ("tags", "".into()),
                ("published", "2026-11-20".into()),
                ("reviewed", "2026-11-20".into()),
                ("author", "".into()),
                ("references", "k | Kilde.".into()),
                ("body", "Tekst ([k](#ref-k)).".into()),
                ("action", action.into()),
            ]
        };

        let actions: Vec<Action> = vec![
            (
                format!("/clients/{c}/sessions"),
                vec![
                    ("kind", "intake".into()),
                    ("date", "2030-01-01".into()),
                    ("time", "10:00".into()),
                    ("duration_minutes", "60".into()),
                    ("place", "".into()),
                    ("video_link", "".into()),
                ],
                vec![Who::Therapist],
            ),
            (
                format!("/clients/{c}/assessments"),
                vec![
                    ("instrument", "pcl-5".into()),
                    ("point", "p".into()),
                    ("when", "now".into()),
                    ("first_date", "".into()),
                    ("every_days", "".into()),
                    ("count", "".into()),
                ],
                vec![Who::Therapist],
            ),
            (
                format!("/clients/{c}/journey/start"),
                vec![
                    ("protocol", "mdma-at".into()),
                    ("start_date", "2030-01-07".into()),
                ],
                vec![Who::Therapist],
            ),
            (
                format!("/sessions/{}", session.id),
                vec![
                    ("status", "held".into()),
                    ("note", "n".into()),
                    ("client_id", c.clone()),
                ],
                vec![Who::Therapist],
            ),
            (
                format!("/alerts/{alert}/acknowledge"),
                vec![
                    ("back", "/dashboard".into()),
                    ("action", "Ringte klienten.".into()),
                ],
                vec![Who::Therapist],
            ),
            (
                format!("/inquiries/{inquiry}/status"),
                vec![("status", "closed".into())],
                vec![Who::Therapist],
            ),
            // The referral directory and referrals, before the inquiry and the place are deleted.
            (
                format!("/clients/{c}/refer"),
                refer.clone(),
                vec![Who::Therapist],
            ),
            (
                format!("/inquiries/{inquiry}/refer"),
                refer.clone(),
                vec![Who::Therapist],
            ),
            (
                "/referrals".into(),
                vec![
                    ("name", "Ny klinikk".into()),
                    ("kind", "private-clinic".into()),
                    ("offers_en", "Therapy.".into()),
                    ("phone", "22 00 00 00".into()),
                    ("visibility", "internal".into()),
                ],
                vec![Who::Admin, Who::Foreign],
            ),
            (
                format!("/referrals/{place}"),
                vec![
                    ("name", "Endret klinikk".into()),
                    ("kind", "therapist".into()),
                    ("offers_nb", "Terapi.".into()),
                    ("phone", "22 00 00 01".into()),
                    ("visibility", "internal".into()),
                ],
                vec![Who::Admin],
            ),
            (
                format!("/referrals/{place}/checked"),
                vec![],
                vec![Who::Admin],
            ),
            (
                format!("/referrals/{place}/visibility"),
                vec![("visibility", "public".into())],
                vec![Who::Admin],
            ),
            (
                "/referrals/suggestions".into(),
                vec![],
                vec![Who::Admin, Who::Foreign],
            ),
            (
                format!("/referrals/{place}/delete"),
                vec![],
                vec![Who::Admin],
            ),
            // After the status change (it removes the inquiry), and before the admin requires two-factor sign-in
            // (which a therapist of this test has not set up).
            (
                format!("/inquiries/{inquiry}/delete"),
                vec![],
                vec![Who::Therapist],
            ),
            // A practice's staff move people from its own waitlist; another practice's find nobody there.
            (
                "/waitlist/next".into(),
                vec![],
                vec![Who::Therapist, Who::Admin, Who::Foreign],
            ),
            (
                format!("/waitlist/{}/take", waiting[1]),
                vec![("reason", "r".into())],
                vec![Who::Therapist, Who::Admin],
            ),
            (
                format!("/waitlist/{}/remove", waiting[2]),
                vec![("reason", "r".into())],
                vec![Who::Therapist, Who::Admin],
            ),
            (
                "/account/capacity".into(),
                vec![("accepting", "0".into())],
                vec![Who::Therapist, Who::Foreign],
            ),
            (
                "/admin/capacity".into(),
                vec![("accepting", "0".into())],
                vec![Who::Admin, Who::Foreign],
            ),
            (
                format!("/admin/users/{therapist2}/capacity"),
                vec![("accepting", "0".into())],
                vec![Who::Admin],
            ),
            (
                "/admin/articles/new".into(),
                article_form("matrix-new", "draft"),
                vec![Who::Admin, Who::Foreign],
            ),
            (
                format!("/admin/articles/{article}"),
                article_form("matrix-article", "publish"),
                vec![Who::Admin],
            ),
            (
                format!("/admin/articles/{article}/status"),
                vec![("status", "draft".into())],
                vec![Who::Admin],
            ),
            (
                format!("/admin/articles/{article}/delete"),
                vec![],
                vec![Who::Admin],
            ),
            (
                format!("/admin/users/{therapist2}/two-factor"),
                vec![],
                vec![Who::Admin],
            ),
            (
                format!("/admin/users/{therapist2}/disabled"),
                vec![("disabled", "1".into())],
                vec![Who::Admin],
            ),
            (
                "/admin/practice".into(),
                vec![("require_two_factor", "1".into())],
                vec![Who::Admin, Who::Foreign],
            ),
            (
                format!("/portal/questionnaires/{due}"),
                (1..=7)
                    .map(|i| {
                        (
                            [
                                "item-1", "item-2", "item-3", "item-4", "item-5", "item-6",
                                "item-7",
                            ][i - 1],
                            "1".to_string(),
                        )
                    })
                    .chain([("instrument", "gad-7".to_string())])
                    .collect(),
                vec![Who::Client],
            ),
            (
                "/portal/journal".into(),
                vec![("body", "privat".into()), ("shared", "1".into())],
                vec![Who::Client],
            ),
        ];
        // Refusals first, then check that nothing changed, then the allowed role succeeds.
        let start = snapshot(&app).await;
        for who in ALL {
            let mut b = browser(&app, who).await;
            for (path, fields, allowed) in &actions {
                if allowed.contains(&who) {
                    continue;
                }
                let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let p = b.post(path, &f).await;
                assert!(
                    refused(&p, who),
                    "{backend}: {who:?} must not POST {path}: {} {}",
                    p.status,
                    p.location()
                );
            }
        }
        assert_eq!(
            snapshot(&app).await,
            start,
            "{backend}: a refused action changed something"
        );
        for (path, fields, allowed) in &actions {
            let mut b = browser(&app, allowed[0]).await;
            let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let p = b.post(path, &f).await;
            assert!(
                p.status == 303 || p.status == 200,
                "{backend}: {:?} may POST {path}: {} {}",
                allowed[0],
                p.status,
                p.body.chars().take(300).collect::<String>()
            );
        }
        assert_ne!(snapshot(&app).await, start);
        app.cleanup().await;
    }
}

/// Everything the actions could change, as text to compare.
async fn snapshot(app: &TestApp) -> String {
    let s = &app.store;
    let t = &app.therapist.actor;
    let c = &app.client_id;
    format!(
        "{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}",
        s.sessions(t, c).await.unwrap(),
        s.assessments(t, c).await.unwrap(),
        s.journeys(t, c).await.unwrap(),
        s.client_alerts(t, c).await.unwrap(),
        s.journal(&app.client.actor, c).await.unwrap(),
        s.inquiries(t).await.unwrap(),
        s.users(&app.admin.actor).await.unwrap(),
        s.practice_settings(t).await.unwrap(),
        s.responses(t, c).await.unwrap(),
        s.waitlist(t).await.unwrap(),
        s.capacity(t).await.unwrap(),
        s.practice_articles(&app.admin.actor).await.unwrap(),
        s.referral_places(&app.admin.actor).await.unwrap(),
        s.client_referrals(t, c).await.unwrap(),
        s.inquiries_referrals(t).await.unwrap(),
    )
}

/// A valid article of practice A's own, in Norwegian.
fn article_input(slug: &str) -> ferd_store::ArticleInput {
    ferd_store::ArticleInput {
        lang: "nb".into(),
        slug: slug.into(),
        title: "Tittel".into(),
        summary: "Sammendrag.".into(),
        body: "Tekst ([k](#ref-k)).".into(),
        references: vec![ferd_store::ArticleReference {
            id: "k".into(),
            text: "Kilde.".into(),
            url: None,
        }],
        published_on: "2026-11-20".into(),
        reviewed_on: "2026-11-20".into(),
        ..Default::default()
    }
}

/// An internal, unchecked place in practice A's referral directory.
async fn referral_place(app: &TestApp) -> String {
    app.store
        .add_referral_place(
            &app.admin.actor,
            &ferd_store::PlaceInput {
                name: "Klinikk i matrisen".into(),
                kind: "private-clinic".into(),
                offers_en: "Therapy.".into(),
                web: "https://klinikk.example.org".into(),
                ..Default::default()
            },
            ferd_core::calendar::Day::parse("2026-01-01").unwrap(),
        )
        .await
        .unwrap()
        .id
}

/// An inquiry to practice A.
async fn inquiry_of_a(app: &TestApp) -> String {
    app.store
        .submit_inquiry(
            ferd_store::NewInquiry {
                practice_id: app.admin.actor.practice_id.clone().unwrap(),
                name: "Q".into(),
                email: "q@example.org".into(),
                language: "nb".into(),
                message: "m".into(),
                ..Default::default()
            },
            "t",
        )
        .await
        .unwrap()
        .id
}

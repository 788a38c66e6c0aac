//! Capacity and the waitlist over HTTP: closing the practice changes the public pages and the form in both
//! languages and opening it restores them; a message sent while full lands on the waitlist, encrypted, with the
//! person's status link on the confirmation page and in an e-mail that holds nothing they wrote; the status page
//! shows the place, and leaving erases the details; staff take people in order or, with a reason, out of order (422
//! without one, nothing changed), and remove them with a reason; another practice finds nothing; the dashboard
//! shows how long the longest has waited.

use ferd_store::waitlist::status_token_hash;
use ferd_store::NewInquiry;
use ferd_web::mail::{MailConfig, Postman};
use ferd_web::site::form_start_token;

use crate::common::*;

const DAY: i64 = 86_400_000;

/// A start time the form was shown at five seconds ago, signed as the server signs it.
fn started(app: &TestApp) -> String {
    form_start_token(app.store.keys(), ferd_store::now_ms() - 5_000)
}

/// A complete form from `name`, with `message`, preferring `therapist` (a user id, or empty).
fn form<'a>(
    name: &'a str,
    email: &'a str,
    message: &'a str,
    started: &'a str,
    therapist: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("email", email),
        ("phone", ""),
        ("language", "nb"),
        ("message", message),
        ("consent", "yes"),
        ("website", ""),
        ("started", started),
        ("therapist", therapist),
    ]
}

/// The admin opens (`true`) or closes the practice through the administration page.
async fn set_open(app: &TestApp, open: bool) {
    let mut a = app.signed_in(&app.admin).await;
    a.get("/admin").await;
    let p = a
        .post(
            "/admin/capacity",
            &[("accepting", if open { "1" } else { "0" })],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
}

/// Someone joins the waitlist of practice A directly through the store; returns their status token.
async fn join(app: &TestApp, name: &str) -> String {
    let token = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    app.store
        .join_waitlist(
            NewInquiry {
                practice_id: app.therapist.actor.practice_id.clone().unwrap(),
                name: name.into(),
                email: format!("{}@example.no", name.to_lowercase()),
                language: "en".into(),
                message: format!("{name} writes."),
                consent_version: Some("2026-11-26".into()),
                ..Default::default()
            },
            None,
            &token,
            "test",
        )
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(3)).await;
    token
}

/// The id of the waiting person called `name`.
async fn entry_of(app: &TestApp, name: &str) -> String {
    app.store
        .waitlist(&app.admin.actor)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.name == name)
        .unwrap()
        .id
}

/// Everything a refused move could have changed.
async fn snapshot(app: &TestApp) -> String {
    format!(
        "{:?}{:?}",
        app.store.waitlist(&app.admin.actor).await.unwrap(),
        app.store
            .client_list(&app.admin.actor, None, None, 0)
            .await
            .unwrap()
    )
}

#[tokio::test]
async fn closing_the_practice_changes_its_public_pages_and_form_in_both_languages_and_opening_restores_them(
) {
    for backend in backends() {
        let app = spawn(backend).await;
        let mut b = app.browser();
        let notice = [
            ("nb", "Vi tar ikke imot nye klienter for øyeblikket"),
            ("en", "We are not taking new clients at the moment"),
        ];
        for (lang, text) in notice {
            for path in [
                format!("/{lang}/"),
                format!("/{lang}/process"),
                format!("/{lang}/contact"),
            ] {
                let p = b.get(&path).await;
                assert_eq!(p.status, 200, "{path}");
                assert!(
                    !p.body.contains(text) && !p.body.contains("full-notice"),
                    "{path}"
                );
            }
        }
        let open_form = b.get("/en/contact").await.body;
        assert!(
            open_form.contains("Send the message") && !open_form.contains("name=\"therapist\"")
        );

        set_open(&app, false).await;
        for (lang, text) in notice {
            for path in [
                format!("/{lang}/"),
                format!("/{lang}/process"),
                format!("/{lang}/contact"),
            ] {
                let p = b.get(&path).await;
                assert!(
                    p.body.contains(text),
                    "{backend} {path} does not say it is full"
                );
                assert!(
                    p.body.contains(&format!("href=\"/{lang}/referrals\"")),
                    "{path}: no referral link"
                );
            }
            // Pages a newcomer does not read on the way to writing stay as they are.
            let about = b.get(&format!("/{lang}/about")).await;
            assert_eq!(about.status, 200, "/{lang}/about");
            assert!(!about.body.contains(text));
        }
        let full_form = b.get("/en/contact").await.body;
        assert!(full_form.contains("Join the waitlist"), "{full_form}");
        assert!(!full_form.contains("Send the message"));
        assert!(full_form.contains("<select id=\"therapist\" name=\"therapist\""));
        // The practice's therapists, and only they: not its admin, not another practice's therapist.
        for name in ["Tor Terapeut", "Tone Terapeut"] {
            assert!(full_form.contains(&format!(">{name}</option>")), "{name}");
        }
        assert!(!full_form.contains("Ada Admin") && !full_form.contains("Bo B"));
        assert!(b
            .get("/nb/")
            .await
            .body
            .contains(">Sett deg på ventelisten</a>"));
        let admin = app.signed_in(&app.admin).await.get("/admin").await.body;
        assert!(
            admin.contains("id=\"open-practice\""),
            "the admin can open again"
        );

        // Someone joins while it is closed; opening again leaves them waiting where they are.
        let waiting = join(&app, "Wenche").await;
        set_open(&app, true).await;
        assert!(b
            .get(&format!("/en/waitlist/status/{waiting}"))
            .await
            .body
            .contains("You are number 1 of 1 on the waitlist."));
        let again = b.get("/en/contact").await.body;
        assert!(!again.contains("full-notice"));
        assert!(again.contains("Send the message") && !again.contains("name=\"therapist\""));

        // Each therapist closes for themself on their account page; when neither takes clients, the site is full.
        for who in [&app.therapist, &app.therapist2] {
            let mut t = app.signed_in(who).await;
            assert!(t.get("/account").await.body.contains("id=\"capacity\""));
            let p = t.post("/account/capacity", &[("accepting", "0")]).await;
            assert_eq!(p.status, 303);
        }
        assert!(b.get("/en/").await.body.contains("full-notice"));
        // The admin opens one of them again; the site takes messages again.
        let mut a = app.signed_in(&app.admin).await;
        a.get("/admin").await;
        let p = a
            .post(
                &format!("/admin/users/{}/capacity", app.therapist2.id),
                &[("accepting", "1")],
            )
            .await;
        assert_eq!(p.status, 303);
        assert!(!b.get("/en/").await.body.contains("full-notice"));
        let audited = app
            .store
            .audit_events()
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.action.ends_with("-to-new-clients"))
            .count();
        assert_eq!(audited, 5, "{backend}: every change is audited");
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_message_sent_while_full_joins_the_waitlist_encrypted_with_the_status_link_shown_and_mailed(
) {
    for backend in backends() {
        let app = spawn(backend).await;
        set_open(&app, false).await;
        let mut b = app.browser();
        b.get("/nb/contact").await;
        let marker = format!("Marker-{}", uuid::Uuid::new_v4().simple());
        let message = format!("Jeg har hatt mareritt i mange år. {marker}");
        let s = started(&app);
        let p = b
            .post(
                "/nb/contact",
                &form(
                    "Kari Venter",
                    "kari@example.no",
                    &message,
                    &s,
                    &app.therapist2.id,
                ),
            )
            .await;
        assert_eq!(p.status, 303, "{}", p.body);
        let location = p.location();
        let token = location
            .strip_prefix("/nb/waitlist/status/")
            .and_then(|t| t.strip_suffix("?joined=1"))
            .unwrap_or_else(|| panic!("{location}"))
            .to_string();
        let page = b.get(&location).await;
        assert_eq!(page.status, 200);
        assert!(page
            .body
            .contains("Takk. Du står på ventelisten til Practice A."));
        assert!(
            page.body.contains("Du er nummer 1 av 1 på ventelisten."),
            "{}",
            page.body
        );
        assert!(page.body.contains("Du ba om svar på Norsk."));
        let link = format!("{}/nb/waitlist/status/{token}", app.base);
        assert!(
            page.body.contains(&link),
            "the page shows its own address to keep"
        );
        assert!(!page.body.contains(&marker), "the message is not repeated");
        // The inquiry is on the waitlist, not in the inbox, with its consent and preferred therapist.
        assert!(app
            .store
            .inquiries(&app.therapist.actor)
            .await
            .unwrap()
            .is_empty());
        let list = app.store.waitlist(&app.therapist.actor).await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(
            list[0].preferred_therapist.as_deref(),
            Some("Tone Terapeut")
        );
        assert!(list[0].message.contains(&marker));
        let mut t = app.signed_in(&app.therapist).await;
        let inbox = t.get("/inquiries").await.body;
        assert!(inbox.contains("1 person venter på ventelisten") && !inbox.contains(&marker));
        let staff = t.get("/waitlist").await.body;
        assert!(staff.contains("Kari Venter") && staff.contains(&marker));
        assert!(staff.contains("ønsker Tone Terapeut"));
        // The e-mail: the link, and nothing of what was written.
        let outbox =
            std::env::temp_dir().join(format!("ferd-wl-{}", uuid::Uuid::new_v4().simple()));
        let postman = Postman::new(
            app.store.clone(),
            MailConfig {
                outbox_dir: Some(outbox.clone()),
                ..MailConfig::default()
            },
            &app.base,
            "test-worker",
        )
        .unwrap();
        assert_eq!(postman.deliver_due(10).await.unwrap(), 1);
        let file = std::fs::read_dir(&outbox)
            .unwrap()
            .flatten()
            .find(|e| e.file_name().to_string_lossy().ends_with(".eml"))
            .unwrap();
        let raw = std::fs::read_to_string(file.path()).unwrap();
        // Quoted-printable may fold long lines: compare without soft line breaks.
        let mail = raw.replace("=\r\n", "").replace("=\n", "");
        assert!(mail.contains(&token), "the mail carries the link");
        assert!(mail.contains("To: kari@example.no"));
        assert!(
            !mail.contains("Marker-") && !mail.contains("mareritt"),
            "{mail}"
        );
        assert!(mail.contains("Content-Language: nb"));
        let _ = std::fs::remove_dir_all(&outbox);
        if let Some(file) = &app.db_file {
            app.store.close().await;
            let mut bytes = std::fs::read(file).unwrap();
            bytes.extend(std::fs::read(file.with_extension("db-wal")).unwrap_or_default());
            let hay = String::from_utf8_lossy(&bytes);
            assert!(
                hay.contains("Kari Venter"),
                "the check reads the right file"
            );
            assert!(!hay.contains(&marker), "the message is in clear text");
            assert!(!hay.contains(&token), "the status link is in clear text");
            assert!(hay.contains(&status_token_hash(&token)));
        }
        app.cleanup().await;
    }
}

#[tokio::test]
async fn the_status_page_shows_the_place_and_leaving_erases_the_details_and_uses_up_the_link() {
    for backend in backends() {
        let app = spawn(backend).await;
        let first = join(&app, "Anna").await;
        let second = join(&app, "Bo").await;
        let mut b = app.browser();
        let page = b.get(&format!("/en/waitlist/status/{second}")).await;
        assert_eq!(page.status, 200);
        assert!(
            page.body.contains("You are number 2 of 2 on the waitlist."),
            "{}",
            page.body
        );
        assert!(page.body.contains("You asked to be answered in English."));
        assert!(page
            .body
            .contains("<meta name=\"robots\" content=\"noindex\">"));
        assert_eq!(page.headers["cache-control"], "no-store");
        // The same page in the other language.
        assert!(b
            .get(&format!("/nb/waitlist/status/{second}"))
            .await
            .body
            .contains("Du er nummer 2 av 2 på ventelisten."));
        // Leaving needs the page's CSRF token like any form.
        let leave = format!("/en/waitlist/status/{second}/leave");
        let forged = b.post_raw(&leave, &[]).await;
        assert_eq!(forged.status, 403);
        assert_eq!(app.store.waitlist(&app.admin.actor).await.unwrap().len(), 2);
        b.get(&format!("/en/waitlist/status/{second}")).await;
        let p = b.post(&leave, &[]).await;
        assert_eq!(
            (p.status, p.location().as_str()),
            (303, "/en/waitlist/left")
        );
        let left = b.get("/en/waitlist/left").await;
        assert!(left
            .body
            .contains("Your name, contact details and message have been deleted."));
        // The link is used up: a plain "not found", the same as for a link that never existed.
        let used = b.get(&format!("/en/waitlist/status/{second}")).await;
        let unknown = b
            .get(&format!("/en/waitlist/status/{}", "A".repeat(43)))
            .await;
        let malformed = b.get("/en/waitlist/status/not-a-token").await;
        for p in [&used, &unknown, &malformed] {
            assert_eq!(p.status, 404);
            assert!(
                !p.body.contains("Bo writes") && !p.body.contains("number"),
                "{}",
                p.body
            );
        }
        // The same page for both but for the address itself, which the language switch returns to.
        assert_eq!(
            used.body.replace(&second, "T"),
            unknown.body.replace(&"A".repeat(43), "T")
        );
        assert_eq!(b.post(&leave, &[]).await.status, 404);
        // Anna moves up; Bo's place is kept without his details.
        assert!(b
            .get(&format!("/en/waitlist/status/{first}"))
            .await
            .body
            .contains("You are number 1 of 1 on the waitlist."));
        let mut t = app.signed_in(&app.therapist).await;
        let staff = t.get("/waitlist").await.body;
        assert!(staff.contains("Opplysningene er slettet av personen selv"));
        assert!(!staff.contains("Bo writes") && !staff.contains("bo@example.no"));
        assert!(app
            .store
            .audit_events()
            .await
            .unwrap()
            .iter()
            .any(|e| e.action == "leave" && e.actor_id == "public"));
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_move_out_of_order_without_a_reason_is_refused_with_422_and_changes_nothing() {
    for backend in backends() {
        let app = spawn(backend).await;
        let _anna = join(&app, "Anna").await;
        let bo_token = join(&app, "Bo").await;
        let bo = entry_of(&app, "Bo").await;
        let mut t = app.signed_in(&app.therapist).await;
        let page = t.get("/waitlist").await.body;
        assert!(page.contains("Ta inn nestemann") && page.contains("Anna") && page.contains("Bo"));
        let before = snapshot(&app).await;
        let p = t
            .post(&format!("/waitlist/{bo}/take"), &[("reason", "  ")])
            .await;
        assert_eq!(p.status, 422, "{backend}");
        assert!(p
            .body
            .contains("Skriv hvorfor denne personen tas inn før dem som har ventet lenger."));
        assert!(p.body.contains(&format!("id=\"take-error-{bo}\"")));
        assert_eq!(
            snapshot(&app).await,
            before,
            "{backend}: a refused move changed something"
        );
        // With a reason Bo becomes the therapist's client, and his status page says it is his turn.
        let reason = "Trenger en engelsktalende terapeut, og Tor har plass nå.";
        let p = t
            .post(&format!("/waitlist/{bo}/take"), &[("reason", reason)])
            .await;
        assert_eq!(p.status, 303, "{}", p.body);
        assert!(p.location().starts_with("/clients/"), "{}", p.location());
        let client = t.get(&p.location()).await;
        assert_eq!(client.status, 200);
        assert!(client.body.contains("Bo"));
        assert!(app
            .browser()
            .get(&format!("/en/waitlist/status/{bo_token}"))
            .await
            .body
            .contains("It is your turn: Practice A has taken you into intake"));
        // A second try finds him gone: 409 and a clear word, nothing changed.
        let before = snapshot(&app).await;
        let again = t
            .post(&format!("/waitlist/{bo}/take"), &[("reason", reason)])
            .await;
        assert_eq!(again.status, 409);
        assert!(again.body.contains("Denne personen venter ikke lenger"));
        assert_eq!(snapshot(&app).await, before);
        let history = t.get("/waitlist").await.body;
        assert!(history.contains(reason) && history.contains("som nummer 2"));
        assert!(history.contains("Tatt inn") && history.contains("av Tor Terapeut"));
        // The next in line needs no reason; then nobody waits.
        let next = t.post("/waitlist/next", &[]).await;
        assert_eq!(next.status, 303);
        let none = t.post("/waitlist/next", &[]).await;
        assert_eq!(none.status, 409);
        assert!(none.body.contains("Ingen venter, så ingen ble tatt inn."));
        // Removal needs a reason too; the admin removes with one and stays on the list.
        let cato_token = join(&app, "Cato").await;
        let cato = entry_of(&app, "Cato").await;
        let mut a = app.signed_in(&app.admin).await;
        a.get("/waitlist").await;
        let p = a
            .post(&format!("/waitlist/{cato}/remove"), &[("reason", "")])
            .await;
        assert_eq!(p.status, 422);
        let p = a
            .post(
                &format!("/waitlist/{cato}/remove"),
                &[("reason", "Fikk hjelp i DPS.")],
            )
            .await;
        assert_eq!(
            (p.status, p.location().as_str()),
            (303, "/waitlist?notice=notice-waitlist-removed")
        );
        assert!(app
            .browser()
            .get(&format!("/en/waitlist/status/{cato_token}"))
            .await
            .body
            .contains("You are no longer on the waitlist."));
        app.cleanup().await;
    }
}

#[tokio::test]
async fn another_practice_finds_nobody_on_the_waitlist_and_no_therapist_to_close() {
    for backend in backends() {
        let app = spawn(backend).await;
        join(&app, "Anna").await;
        let anna = entry_of(&app, "Anna").await;
        let before = snapshot(&app).await;
        let mut f = app.signed_in(&app.foreign_therapist).await;
        let page = f.get("/waitlist").await;
        assert_eq!(page.status, 200);
        assert!(!page.body.contains("Anna"));
        for path in [
            format!("/waitlist/{anna}/take"),
            format!("/waitlist/{anna}/remove"),
        ] {
            let p = f.post(&path, &[("reason", "grunn")]).await;
            assert_eq!(p.status, 404, "{backend} {path}");
        }
        let p = f
            .post(
                &format!("/admin/users/{}/capacity", app.therapist.id),
                &[("accepting", "0")],
            )
            .await;
        assert_eq!(p.status, 404);
        let mut a = app.signed_in(&app.admin).await;
        a.get("/admin").await;
        let p = a
            .post(
                &format!("/admin/users/{}/capacity", app.foreign_therapist.id),
                &[("accepting", "0")],
            )
            .await;
        assert_eq!(p.status, 404);
        // A therapist who does not administer the practice may not close it or speak for a colleague.
        let mut t = app.signed_in(&app.therapist).await;
        assert_eq!(
            t.post("/admin/capacity", &[("accepting", "0")])
                .await
                .status,
            403
        );
        assert_eq!(snapshot(&app).await, before);
        let practice = app.therapist.actor.practice_id.clone().unwrap();
        assert!(!app.store.practice_full(&practice).await.unwrap());
        app.cleanup().await;
    }
}

#[tokio::test]
async fn the_dashboard_shows_how_many_wait_and_marks_a_wait_of_thirty_days_or_more() {
    for backend in backends() {
        let app = spawn(backend).await;
        let mut t = app.signed_in(&app.therapist).await;
        let empty = t.get("/dashboard").await.body;
        assert!(empty.contains("id=\"waitlist-h\"") && empty.contains("Ingen venter."));
        join(&app, "Anna").await;
        join(&app, "Bo").await;
        let back = |days: i64| {
            let store = app.store.clone();
            let name = "Anna";
            async move {
                sqlx::query(
                    "UPDATE waitlist_entries SET joined_at = $1 WHERE inquiry_id = \
                     (SELECT id FROM inquiries WHERE name = $2)",
                )
                .bind(ferd_store::now_ms() - days * DAY - 60_000)
                .bind(name)
                .execute(store.pool())
                .await
                .unwrap();
            }
        };
        back(3).await;
        let recent = t.get("/dashboard").await.body;
        assert!(recent.contains("har ventet 3 dager"), "{recent}");
        assert!(recent.contains("<span class=\"count\">2</span>"));
        assert!(!recent.contains("waitlist-card urgent"));
        back(45).await;
        let long = t.get("/dashboard").await.body;
        assert!(long.contains("Den som har ventet lengst, har ventet 45 dager."));
        assert!(long.contains("class=\"card waitlist-card urgent\""));
        assert!(long.contains("over 30 dager"));
        // The list marks the same wait and counts the days.
        let list = t.get("/waitlist").await.body;
        assert!(list.contains("ventet 45 dager"));
        assert!(list.contains("class=\"card waitlist-entry urgent\""));
        app.cleanup().await;
    }
}

#[tokio::test]
async fn robots_bad_choices_and_too_many_looks_at_a_status_page_never_touch_the_waitlist() {
    let app = spawn("sqlite").await;
    set_open(&app, false).await;
    let mut b = app.browser();
    b.get("/en/contact").await;
    let s = started(&app);
    // The hidden field filled in: told it went, nothing stored.
    let mut robot = form("R", "r@example.org", "spam", &s, "");
    robot.retain(|(k, _)| *k != "website");
    robot.push(("website", "http://spam.example"));
    let p = b.post("/en/contact", &robot).await;
    assert_eq!((p.status, p.location().as_str()), (303, "/en/contact/sent"));
    // A "preferred therapist" who is the admin (not a therapist) is refused on the form, with what was typed kept.
    let p = b
        .post(
            "/en/contact",
            &form("Kari", "kari@example.no", "Hello", &s, &app.admin.id),
        )
        .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("id=\"therapist-error\""));
    assert!(p.body.contains("value=\"Kari\""));
    assert!(app
        .store
        .waitlist(&app.admin.actor)
        .await
        .unwrap()
        .is_empty());
    // Sixty looks an hour from one address, then 429.
    let token = join(&app, "Anna").await;
    let path = format!("/en/waitlist/status/{token}");
    for _ in 0..60 {
        assert_eq!(b.get(&path).await.status, 200);
    }
    assert_eq!(b.get(&path).await.status, 429);
    app.cleanup().await;
}

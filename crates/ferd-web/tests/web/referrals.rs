//! The referral directory over HTTP: the public page in both languages shows only places that are public and
//! checked within twelve months, each with its checked date; admins keep the directory (bad input comes back 422
//! naming the field, with nothing stored); therapists record referrals of clients and of inquiries; another practice
//! finds nothing.

use ferd_core::calendar::Day;
use ferd_store::{NewInquiry, PlaceInput};

use crate::common::*;

/// Today in the practice's time zone, as the server computes it.
fn today() -> Day {
    let tz = jiff::tz::TimeZone::get("Europe/Oslo").unwrap();
    Day::parse(
        &jiff::Timestamp::now()
            .to_zoned_datetime(tz)
            .date()
            .to_string(),
    )
    .unwrap()
}

fn place(name: &str) -> PlaceInput {
    PlaceInput {
        name: name.into(),
        kind: "private-clinic".into(),
        offers_nb: format!("{name} tilbyr ketaminassistert terapi."),
        region: "Oslo".into(),
        phone: "+47 22 00 00 00".into(),
        web: "https://klinikk.example.org/om".into(),
        ..Default::default()
    }
}

/// A place of practice A as its admin adds it: `checked` days ago (never when None), public or not.
async fn add(app: &TestApp, name: &str, checked: Option<i64>, public: bool) -> String {
    let mut p = place(name);
    p.checked_on = checked.map(|ago| today().plus(-ago));
    p.public = public;
    // Added on the day it was checked, as an admin would have then.
    let on = p.checked_on.unwrap_or_else(today);
    app.store
        .add_referral_place(&app.admin.actor, &p, on)
        .await
        .unwrap()
        .id
}

/// The `<article class="referral" …>…</article>` blocks of a public page.
fn entries(html: &str) -> Vec<&str> {
    html.split("<article class=\"referral\"")
        .skip(1)
        .map(|s| &s[..s.find("</article>").expect("an entry ends")])
        .collect()
}

/// The date in an entry's `<time class="checked" datetime="…">`, if it has one.
fn checked_date(entry: &str) -> Option<Day> {
    let i = entry.find("<time class=\"checked\" datetime=\"")?;
    let rest = &entry[i + 32..];
    Day::parse(&rest[..rest.find('"')?]).ok()
}

/// Posts `fields` as they are (a field may repeat), with the CSRF token of the last page seen.
async fn post_all(b: &mut Browser, path: &str, mut fields: Vec<(String, String)>) -> Page {
    fields.push(("csrf".into(), b.csrf.clone().unwrap()));
    b.post_raw(path, &fields).await
}

async fn places(app: &TestApp) -> usize {
    app.store
        .referral_places(&app.admin.actor)
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn the_public_page_shows_only_public_places_checked_within_a_year_and_every_entry_has_its_checked_date(
) {
    for backend in backends() {
        let app = spawn(backend).await;
        add(&app, "Fersk Klinikk", Some(10), true).await;
        add(&app, "Akkurat Ett År", Some(365), true).await;
        add(&app, "Gammel Klinikk", Some(400), true).await;
        add(&app, "Intern Klinikk", Some(1), false).await;
        add(&app, "Aldri Sjekket", None, false).await;
        // An English-only crisis line, and a place of practice B.
        let mut line = place("Help Line");
        line.kind = "crisis-service".into();
        line.offers_nb.clear();
        line.offers_en = "Open day and night.".into();
        line.checked_on = Some(today());
        line.public = true;
        app.store
            .add_referral_place(&app.admin.actor, &line, today())
            .await
            .unwrap();
        let mut foreign = place("Fremmed Klinikk");
        foreign.checked_on = Some(today());
        foreign.public = true;
        app.store
            .add_referral_place(&app.foreign_therapist.actor, &foreign, today())
            .await
            .unwrap();

        let mut b = app.browser();
        for lang in ["nb", "en"] {
            let p = b.get(&format!("/{lang}/referrals")).await;
            assert_eq!(p.status, 200, "{backend} {lang}");
            assert!(p.body.contains(&format!("<html lang=\"{lang}\">")));
            let shown = entries(&p.body);
            assert_eq!(shown.len(), 3, "{backend} {lang}: {}", p.body);
            for name in ["Fersk Klinikk", "Akkurat Ett År", "Help Line"] {
                assert!(p.body.contains(name), "{backend} {lang}: {name}");
            }
            for name in [
                "Gammel Klinikk",
                "Intern Klinikk",
                "Aldri Sjekket",
                "Fremmed Klinikk",
            ] {
                assert!(!p.body.contains(name), "{backend} {lang}: {name} is shown");
            }
            // Every entry shown has its checked date, within the last twelve months.
            for e in &shown {
                let d = checked_date(e).unwrap_or_else(|| panic!("no checked date in {e}"));
                assert!(d <= today() && d >= today().plus(-366), "{d}");
            }
            // The reader's language, else the other one marked with its own.
            let fresh = shown.iter().find(|e| e.contains("Fersk Klinikk")).unwrap();
            let line = shown.iter().find(|e| e.contains("Help Line")).unwrap();
            if lang == "en" {
                assert!(fresh.contains("<dd lang=\"nb\">Fersk Klinikk tilbyr"));
                assert!(line.contains("<dd>Open day and night.</dd>"));
            } else {
                assert!(fresh.contains("<dd>Fersk Klinikk tilbyr"));
                assert!(line.contains("<dd lang=\"en\">Open day and night.</dd>"));
            }
            assert!(fresh.contains("href=\"tel:+4722000000\""));
            assert!(fresh.contains("href=\"https://klinikk.example.org/om\""));
            // Crisis services are grouped after the clinics, under their own heading.
            assert!(
                p.body.find("id=\"kind-private-clinic\"").unwrap()
                    < p.body.find("id=\"kind-crisis-service\"").unwrap()
            );
            // The practice's own list, not an endorsement, and the emergency numbers.
            let plain = if lang == "en" {
                "is not an endorsement"
            } else {
                "er ingen anbefaling"
            };
            assert!(p.body.contains(plain), "{lang}");
            assert!(p.body.contains("href=\"tel:113\""));
            assert!(p.body.contains(&format!(
                "<link rel=\"canonical\" href=\"{}/{lang}/referrals\">",
                app.base
            )));
        }
        // Linked from the contact page and the footer of every public page, in each language; in the sitemap.
        for lang in ["nb", "en"] {
            for page in [format!("/{lang}/contact"), format!("/{lang}/")] {
                let p = b.get(&page).await;
                assert!(
                    p.body.contains(&format!("href=\"/{lang}/referrals\"")),
                    "{page} links to the referral page"
                );
            }
        }
        let sitemap = b.get("/sitemap.xml").await.body;
        for lang in ["nb", "en"] {
            assert!(sitemap.contains(&format!("<loc>{}/{lang}/referrals</loc>", app.base)));
        }
        app.cleanup().await;
    }
}

#[tokio::test]
async fn an_admin_adds_edits_checks_publishes_and_deletes_a_place_and_the_public_page_follows() {
    for backend in backends() {
        let app = spawn(backend).await;
        let mut admin = app.signed_in(&app.admin).await;
        assert_eq!(admin.get("/referrals/new").await.status, 200);
        let form = |name: &str, checked: &str, visibility: &str| {
            vec![
                ("name".to_string(), name.to_string()),
                ("kind".into(), "therapist".into()),
                ("offers_nb".into(), "Traumeterapi (EMDR).".into()),
                ("offers_en".into(), "Trauma therapy (EMDR).".into()),
                ("eligibility_nb".into(), "Voksne.".into()),
                ("eligibility_en".into(), "Adults.".into()),
                ("languages".into(), "nb".into()),
                ("languages".into(), "en".into()),
                ("region".into(), "Viken".into()),
                ("phone".into(), "+47 69 00 00 00".into()),
                ("email".into(), "post@terapeut.example.org".into()),
                ("web".into(), "".into()),
                ("checked_on".into(), checked.to_string()),
                ("visibility".into(), visibility.to_string()),
                ("staff_note".into(), "Kontaktperson Berit, internt.".into()),
            ]
        };
        let p = post_all(
            &mut admin,
            "/referrals",
            form("Traumeterapeut Moss", "", "internal"),
        )
        .await;
        assert_eq!(p.status, 303, "{backend}: {}", p.body);
        assert!(p
            .location()
            .starts_with("/referrals?notice=notice-referral-place-saved#place-"));
        let stored = app.store.referral_places(&app.admin.actor).await.unwrap();
        assert_eq!(stored.len(), 1);
        let id = stored[0].id.clone();
        assert_eq!(stored[0].languages, ["nb", "en"]);
        assert!(!stored[0].public && stored[0].checked_on.is_none());

        // The directory says it needs checking and why it is not on the public page.
        let list = admin.get("/referrals").await;
        assert!(list.body.contains("Traumeterapeut Moss") && list.body.contains("Må sjekkes"));
        assert!(
            list.body.contains("tolv måneder"),
            "the rule is stated on the page"
        );
        // Making it public before it is checked: refused, and it stays internal.
        admin.get("/referrals").await;
        let p = admin
            .post(
                &format!("/referrals/{id}/visibility"),
                &[("visibility", "public")],
            )
            .await;
        assert_eq!(p.status, 422, "{backend}");
        assert!(
            !app.store
                .referral_place(&app.admin.actor, &id)
                .await
                .unwrap()
                .public
        );
        // Checked today, then public: on the public page with today's date.
        let p = admin.post(&format!("/referrals/{id}/checked"), &[]).await;
        assert_eq!(p.status, 303);
        let p = admin
            .post(
                &format!("/referrals/{id}/visibility"),
                &[("visibility", "public")],
            )
            .await;
        assert_eq!(p.status, 303);
        let public = app.browser().get("/en/referrals").await.body;
        let shown = entries(&public);
        assert_eq!(shown.len(), 1);
        assert_eq!(checked_date(shown[0]), Some(today()));
        assert!(
            shown[0].contains("Trauma therapy (EMDR).") && !public.contains("Kontaktperson Berit"),
            "the reader's language; the staff note is never public"
        );
        // Edited (renamed) through the form, keeping its check.
        assert_eq!(admin.get(&format!("/referrals/{id}")).await.status, 200);
        let p = post_all(
            &mut admin,
            &format!("/referrals/{id}"),
            form(
                "Traumeterapeut Moss og Fredrikstad",
                &today().to_string(),
                "public",
            ),
        )
        .await;
        assert_eq!(p.status, 303, "{}", p.body);
        let after = app
            .store
            .referral_place(&app.admin.actor, &id)
            .await
            .unwrap();
        assert_eq!(after.name, "Traumeterapeut Moss og Fredrikstad");
        assert!(after.public && after.checked_on == Some(today()));
        assert_eq!(after.checked_by.as_deref(), Some("Ada Admin"));
        // Deleted: gone from the directory and the public page.
        admin.get("/referrals").await;
        let p = admin.post(&format!("/referrals/{id}/delete"), &[]).await;
        assert_eq!(p.status, 303);
        assert_eq!(places(&app).await, 0);
        assert!(entries(&app.browser().get("/nb/referrals").await.body).is_empty());
        // Every change is in the audit trail.
        let events = app.store.audit_events().await.unwrap();
        for action in ["create", "check", "publish", "update", "delete"] {
            assert!(
                events.iter().any(|e| e.action == action
                    && e.entity == "referral-place"
                    && e.entity_id == id
                    && e.actor_id == app.admin.id),
                "{backend}: {action}"
            );
        }
        // ferd's suggestions in one action: added internal and unchecked.
        admin.get("/referrals").await;
        let p = admin.post("/referrals/suggestions", &[]).await;
        assert_eq!(p.status, 303);
        let added = app.store.referral_places(&app.admin.actor).await.unwrap();
        assert_eq!(
            added.len(),
            ferd_core::referrals::Suggestions::builtin().places().len()
        );
        assert!(added.iter().all(|p| !p.public && p.checked_on.is_none()));
        let list = admin.get("/referrals").await;
        assert!(list.body.contains("psykforsk@so-hf.no") && list.body.contains("Ikke bekreftet"));
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_bad_place_comes_back_422_naming_the_field_with_what_was_typed_and_nothing_stored() {
    for backend in backends() {
        let app = spawn(backend).await;
        let mut admin = app.signed_in(&app.admin).await;
        admin.lang = "en".into();
        admin.get("/referrals/new").await;
        let good = [
            ("name", "Klinikk Vest"),
            ("kind", "private-clinic"),
            ("offers_en", "Ketamine-assisted therapy."),
            ("phone", "22 00 00 00"),
            ("checked_on", ""),
            ("visibility", "internal"),
        ];
        let cases: [(&str, &str, &str); 8] = [
            ("name", "", "#name"),
            ("kind", "hospital", "#kind"),
            ("offers_en", "", "#offers_nb"),
            ("phone", "ring oss", "#phone"),
            ("visibility", "public", "#checked_on"),
            ("checked_on", "2099-01-01", "#checked_on"),
            ("checked_on", "1.1.2026", "#checked_on"),
            ("web", "klinikk.example.org", "#web"),
        ];
        for (field, value, anchor) in cases {
            let mut fields: Vec<(&str, &str)> =
                good.iter().copied().filter(|(k, _)| *k != field).collect();
            fields.push((field, value));
            let p = admin.post("/referrals", &fields).await;
            assert_eq!(p.status, 422, "{backend}: {field}={value}");
            assert!(
                p.body.contains(&format!("<a href=\"{anchor}\">")),
                "{backend}: {field}={value} names {anchor}: {}",
                p.body
            );
            assert!(p.body.contains("aria-invalid=\"true\""));
            // What was typed is kept.
            assert!(p.body.contains("value=\"Klinikk Vest\"") || field == "name");
        }
        // An old check cannot make a place public.
        let old = (today().plus(-400)).to_string();
        let mut fields: Vec<(&str, &str)> = good
            .iter()
            .copied()
            .filter(|(k, _)| *k != "checked_on" && *k != "visibility")
            .collect();
        fields.push(("checked_on", old.as_str()));
        fields.push(("visibility", "public"));
        let p = admin.post("/referrals", &fields).await;
        assert_eq!(p.status, 422);
        assert!(p.body.contains("more than twelve months ago"));
        assert_eq!(places(&app).await, 0, "{backend}: nothing stored");
        // Editing a place badly leaves it as it was.
        let id = add(&app, "Uendret", Some(1), true).await;
        let before = app
            .store
            .referral_place(&app.admin.actor, &id)
            .await
            .unwrap();
        admin.get(&format!("/referrals/{id}")).await;
        let p = admin
            .post(
                &format!("/referrals/{id}"),
                &[
                    ("name", "Endret"),
                    ("kind", "private-clinic"),
                    ("offers_en", "x"),
                    ("phone", "22 00 00 00"),
                    ("checked_on", ""),
                    ("visibility", "public"),
                ],
            )
            .await;
        assert_eq!(p.status, 422);
        assert_eq!(
            app.store
                .referral_place(&app.admin.actor, &id)
                .await
                .unwrap(),
            before
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_therapist_records_a_referral_for_a_client_and_for_an_inquiry() {
    for backend in backends() {
        let app = spawn(backend).await;
        let place_id = add(&app, "Klinikk Øst", None, false).await;
        let mut t = app.signed_in(&app.therapist).await;
        let c = app.client_id.clone();

        // From the client's page.
        let page = t.get(&format!("/clients/{c}")).await;
        assert!(page.body.contains(&format!("href=\"/clients/{c}/refer\"")));
        let form = t.get(&format!("/clients/{c}/refer")).await;
        assert_eq!(form.status, 200);
        assert!(
            form.body.contains("Klinikk Øst (må sjekkes)"),
            "an unchecked place says so"
        );
        // Without a reason: sent back naming the field, nothing stored.
        let p = t
            .post(
                &format!("/clients/{c}/refer"),
                &[("place", &place_id), ("reason", " "), ("referred_on", "")],
            )
            .await;
        assert_eq!(p.status, 422, "{backend}");
        assert!(p.body.contains("<a href=\"#reason\">"));
        assert!(app
            .store
            .client_referrals(&app.therapist.actor, &c)
            .await
            .unwrap()
            .is_empty());
        // Without a place: the same.
        let p = t
            .post(
                &format!("/clients/{c}/refer"),
                &[("place", ""), ("reason", "Depresjon."), ("referred_on", "")],
            )
            .await;
        assert_eq!(p.status, 422);
        assert!(
            p.body.contains("<a href=\"#place\">") && p.body.contains(">Depresjon.</textarea>")
        );
        let p = t
            .post(
                &format!("/clients/{c}/refer"),
                &[
                    ("place", &place_id),
                    ("reason", "Depresjon i tillegg; ketamin vurderes."),
                    ("referred_on", &today().to_string()),
                ],
            )
            .await;
        assert_eq!(p.status, 303, "{}", p.body);
        assert_eq!(
            p.location(),
            format!("/clients/{c}?notice=notice-referral-recorded#referrals")
        );
        let page = t.get(&format!("/clients/{c}")).await;
        assert!(page.body.contains("Klinikk Øst") && page.body.contains("ketamin vurderes"));
        let stored = app
            .store
            .client_referrals(&app.therapist.actor, &c)
            .await
            .unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].referred_by, "Tor Terapeut");

        // From an inquiry in the inbox ("refer on").
        let q = app
            .store
            .submit_inquiry(
                NewInquiry {
                    practice_id: app.admin.actor.practice_id.clone().unwrap(),
                    name: "Venter Ventesen".into(),
                    email: "venter@example.org".into(),
                    language: "nb".into(),
                    message: "Har dere plass?".into(),
                    ..Default::default()
                },
                "t",
            )
            .await
            .unwrap()
            .id;
        let inbox = t.get("/inquiries").await;
        assert!(inbox
            .body
            .contains(&format!("href=\"/inquiries/{q}/refer\"")));
        assert_eq!(t.get(&format!("/inquiries/{q}/refer")).await.status, 200);
        let p = t
            .post(
                &format!("/inquiries/{q}/refer"),
                &[
                    ("place", &place_id),
                    ("reason", "Praksisen er full; ønsker samtale snart."),
                    ("referred_on", ""),
                ],
            )
            .await;
        assert_eq!(p.status, 303, "{}", p.body);
        let inbox = t.get("/inquiries").await;
        assert!(
            inbox.body.contains("ønsker samtale snart"),
            "the inquiry shows its referral"
        );
        let r = app
            .store
            .inquiry_referrals(&app.therapist.actor, &q)
            .await
            .unwrap();
        assert_eq!((r.len(), r[0].referred_on), (1, today()));
        // The inquiry's referral is not the client's, and the reason is not stored in clear.
        let raw: Vec<Vec<u8>> = sqlx::query_scalar("SELECT reason_enc FROM referrals")
            .fetch_all(app.store.pool())
            .await
            .unwrap();
        assert_eq!(raw.len(), 2);
        assert!(raw
            .iter()
            .all(|r| !String::from_utf8_lossy(r).contains("Praksisen er full")));
        app.cleanup().await;
    }
}

#[tokio::test]
async fn another_practice_and_another_therapist_find_nothing_and_change_nothing() {
    for backend in backends() {
        let app = spawn(backend).await;
        let place_id = add(&app, "Klinikk A", Some(1), true).await;
        let q = app
            .store
            .submit_inquiry(
                NewInquiry {
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
            .id;
        let before = app.store.referral_places(&app.admin.actor).await.unwrap();
        let c = app.client_id.clone();

        let mut foreign = app.signed_in(&app.foreign_therapist).await;
        let own = foreign.get("/referrals").await;
        assert_eq!(own.status, 200);
        assert!(
            !own.body.contains("Klinikk A"),
            "{backend}: B's directory is B's"
        );
        for path in [
            format!("/referrals/{place_id}"),
            format!("/clients/{c}/refer"),
            format!("/inquiries/{q}/refer"),
        ] {
            assert_eq!(
                foreign.get(&path).await.status,
                404,
                "{backend}: GET {path}"
            );
        }
        for (path, fields) in [
            (
                format!("/referrals/{place_id}"),
                vec![
                    ("name", "Kapret"),
                    ("kind", "other"),
                    ("offers_en", "x"),
                    ("phone", "113"),
                ],
            ),
            (format!("/referrals/{place_id}/checked"), vec![]),
            (
                format!("/referrals/{place_id}/visibility"),
                vec![("visibility", "internal")],
            ),
            (format!("/referrals/{place_id}/delete"), vec![]),
            (
                format!("/clients/{c}/refer"),
                vec![("place", place_id.as_str()), ("reason", "x")],
            ),
            (
                format!("/inquiries/{q}/refer"),
                vec![("place", place_id.as_str()), ("reason", "x")],
            ),
        ] {
            let p = foreign.post(&path, &fields).await;
            assert_eq!(p.status, 404, "{backend}: POST {path}");
        }
        // The other therapist of practice A does not have this client.
        let mut other = app.signed_in(&app.therapist2).await;
        assert_eq!(other.get(&format!("/clients/{c}/refer")).await.status, 404);
        let p = other
            .post(
                &format!("/clients/{c}/refer"),
                &[("place", &place_id), ("reason", "x")],
            )
            .await;
        assert_eq!(p.status, 404);
        // A therapist reads the directory but does not change it.
        let mut t = app.signed_in(&app.therapist).await;
        let list = t.get("/referrals").await;
        assert!(list.body.contains("Klinikk A") && !list.body.contains("/checked\""));
        assert_eq!(
            t.post(&format!("/referrals/{place_id}/delete"), &[])
                .await
                .status,
            403
        );
        assert_eq!(t.get("/referrals/new").await.status, 403);

        assert_eq!(
            app.store.referral_places(&app.admin.actor).await.unwrap(),
            before
        );
        assert!(app
            .store
            .client_referrals(&app.therapist.actor, &c)
            .await
            .unwrap()
            .is_empty());
        assert!(app
            .store
            .inquiry_referrals(&app.therapist.actor, &q)
            .await
            .unwrap()
            .is_empty());
        app.cleanup().await;
    }
}

//! Swedish, the third language: the public site at `/sv/…` with its language versions and sitemap entries, the
//! inquiry form from a Swedish reader to the therapist's inbox, and a Swedish client's page, questionnaires and
//! crisis contacts.

use ferd_web::i18n::Lang;
use ferd_web::site::{form_start_token, Site};

use crate::common::*;

/// The address of `slug` in `lang`.
fn path(lang: &str, slug: &str) -> String {
    if slug == "index" {
        format!("/{lang}/")
    } else {
        format!("/{lang}/{slug}")
    }
}

#[tokio::test]
async fn every_swedish_page_is_written_in_swedish_and_names_its_versions_in_all_three_languages() {
    let app = spawn("sqlite").await;
    let site = Site::load(None).unwrap();
    let en: Vec<String> = site
        .pages_in(Lang::En)
        .iter()
        .map(|p| p.slug.clone())
        .collect();
    let sv: Vec<String> = site
        .pages_in(Lang::Sv)
        .iter()
        .map(|p| p.slug.clone())
        .collect();
    assert_eq!(sv, en, "every English page has a Swedish version");
    let mut b = app.browser();
    for slug in &sv {
        let here = path("sv", slug);
        let p = b.get(&here).await;
        assert_eq!(p.status, 200, "{here}");
        let body = &p.body;
        assert!(body.contains("<html lang=\"sv\">"), "{here}");
        assert!(!body.contains("class=\"notice fallback\""), "{here}");
        assert!(
            body.contains(&format!(
                "<link rel=\"canonical\" href=\"{}{here}\">",
                app.base
            )),
            "{here}"
        );
        for lang in ["nb", "sv", "en"] {
            assert!(
                body.contains(&format!(
                    "<link rel=\"alternate\" hreflang=\"{lang}\" href=\"{}{}\">",
                    app.base,
                    path(lang, slug)
                )),
                "{here}: hreflang {lang}"
            );
        }
        // Readers of any other language are sent to the Norwegian page, the practice's own language.
        assert!(
            body.contains(&format!(
                "<link rel=\"alternate\" hreflang=\"x-default\" href=\"{}{}\">",
                app.base,
                path("nb", slug)
            )),
            "{here}: x-default"
        );
        // The switch lists the three languages in their order, Swedish marked as the current one.
        let switch = &body[body.find("class=\"site-lang\"").unwrap()..];
        let switch = &switch[..switch.find("</ul>").unwrap()];
        let order: Vec<usize> = [">Norsk<", ">Svenska<", ">English<"]
            .iter()
            .map(|n| switch.find(n).unwrap_or_else(|| panic!("{here}: {n}")))
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{here}: {switch}");
        assert!(
            switch.contains("lang=\"sv\" aria-current=\"true\""),
            "{switch}"
        );
        // The frame is Swedish too: the references' heading, the review date the Swedish way, the crisis line.
        assert!(body.contains(">Källor<"), "{here}");
        assert!(body.contains("Senast granskad"), "{here}");
        assert!(body.contains(">2026-11-26</time>"), "{here}");
        for number in ["113", "112", "1177", "90101"] {
            assert!(body.contains(number), "{here}: crisis number {number}");
        }
    }
    // The evidence chart page is in Swedish, with a decimal comma.
    let p = b.get("/sv/evidence/prolonged-exposure").await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("<html lang=\"sv\">"));
    assert!(p
        .body
        .contains("<h1>MDMA-assisterad terapi bredvid förlängd exponering</h1>"));
    assert!(p.body.contains("1,17 (0,40 – 1,94)"), "{}", p.body);
    app.cleanup().await;
}

#[tokio::test]
async fn the_sitemap_lists_each_swedish_page_with_its_three_language_versions() {
    let app = spawn("sqlite").await;
    let site = Site::load(None).unwrap();
    let mut b = app.browser();
    let xml = b.get("/sitemap.xml").await.body;
    for page in site.pages_in(Lang::Sv) {
        let loc = format!("<loc>{}{}</loc>", app.base, page.path());
        let entry = &xml[xml.find(&loc).unwrap_or_else(|| panic!("{loc} missing"))..];
        let entry = &entry[..entry.find("</url>").unwrap()];
        assert!(entry.contains(&format!("<lastmod>{}</lastmod>", page.reviewed)));
        for lang in Lang::ALL {
            assert!(
                entry.contains(&format!(
                    "hreflang=\"{}\" href=\"{}{}\"",
                    lang.tag(),
                    app.base,
                    path(lang.tag(), &page.slug)
                )),
                "{loc}: {}",
                lang.tag()
            );
        }
    }
    app.cleanup().await;
}

#[tokio::test]
async fn a_swedish_browser_is_sent_to_the_swedish_site_and_keeps_swedish_after_choosing_it() {
    let app = spawn("sqlite").await;
    let mut b = app.browser();
    for accept in [
        "sv-SE,sv;q=0.9,en;q=0.5",
        "sv-FI",
        "fi-FI, sv;q=0.8, en;q=0.3",
    ] {
        b.lang = accept.into();
        let p = b.get("/").await;
        assert_eq!((p.status, p.location().as_str()), (303, "/sv/"), "{accept}");
    }
    assert_eq!(b.get("/sv").await.location(), "/sv/");
    let login = b.get("/login").await;
    assert!(login.body.contains("<html lang=\"sv\">"));
    assert!(login.body.contains(">Logga in<"), "{}", login.body);
    // A Norwegian browser that chooses Swedish in the switch keeps it.
    let mut n = app.browser();
    n.get("/login").await;
    let r = n
        .post("/language", &[("lang", "sv"), ("back", "/login")])
        .await;
    assert_eq!((r.status, r.location().as_str()), (303, "/login"));
    assert!(n.get("/login").await.body.contains("<html lang=\"sv\">"));
    app.cleanup().await;
}

#[tokio::test]
async fn an_inquiry_from_the_swedish_form_reaches_the_inbox_with_swedish_as_its_language() {
    for backend in backends() {
        let app = spawn(backend).await;
        let mut b = app.browser();
        let form = b.get("/sv/contact").await;
        assert_eq!(form.status, 200);
        assert!(form.body.contains("<html lang=\"sv\">"));
        assert!(form.body.contains("Ditt namn"), "{}", form.body);
        assert!(
            form.body
                .contains("<input type=\"radio\" name=\"language\" value=\"sv\" checked> Svenska"),
            "Swedish is chosen for an answer by default: {}",
            form.body
        );
        let started = form_start_token(app.store.keys(), ferd_store::now_ms() - 5_000);
        let marker = format!("Markör-{}", uuid::Uuid::new_v4().simple());
        let message = format!("Jag har haft mardrömmar i många år. {marker}");
        let mut fields = vec![
            ("name", "Karin Svensson"),
            ("email", "karin@example.se"),
            ("phone", "+46 70 000 00 00"),
            ("language", "sv"),
            ("message", message.as_str()),
            ("consent", "yes"),
            ("website", ""),
            ("started", started.as_str()),
        ];
        // A missing name comes back in Swedish, the form kept, nothing stored.
        fields[0].1 = " ";
        let bad = b.post("/sv/contact", &fields).await;
        assert_eq!(bad.status, 422, "{backend}");
        assert!(
            bad.body
                .contains("Ditt namn: skriv det namn du vill bli kallad."),
            "{}",
            bad.body
        );
        assert!(bad.body.contains(&marker), "the message is kept");
        assert!(app
            .store
            .inquiries(&app.therapist.actor)
            .await
            .unwrap()
            .is_empty());

        fields[0].1 = "Karin Svensson";
        let r = b.post("/sv/contact", &fields).await;
        assert_eq!(
            (r.status, r.location().as_str()),
            (303, "/sv/contact/sent"),
            "{backend}: {}",
            r.body
        );
        let sent = b.get("/sv/contact/sent").await;
        assert!(sent.body.contains("<html lang=\"sv\">"));
        assert!(
            sent.body
                .contains("Du kan räkna med svar med e-post inom 3 arbetsdagar."),
            "{}",
            sent.body
        );
        for tel in ["tel:113", "tel:116123", "tel:112", "tel:1177", "tel:90101"] {
            assert!(sent.body.contains(tel), "{backend}: {tel}");
        }
        assert!(!sent.body.contains(&marker));

        let list = app.store.inquiries(&app.therapist.actor).await.unwrap();
        assert_eq!(list.len(), 1, "{backend}");
        assert_eq!(list[0].language, "sv");
        assert_eq!(list[0].name, "Karin Svensson");
        let mut t = app.signed_in(&app.therapist).await;
        let inbox = t.get("/inquiries").await;
        assert!(inbox.body.contains(&marker), "{backend}: in the inbox");
        assert!(inbox.body.contains("karin@example.se"));
        app.cleanup().await;
    }
}

/// Answers as the questionnaire form sends them, with its CSRF token and instrument.
async fn answer(b: &mut Browser, path: &str, mut answers: Vec<(String, String)>) -> Page {
    answers.push(("csrf".into(), b.csrf.clone().unwrap()));
    answers.push(("instrument".into(), b.instrument.clone().unwrap()));
    b.post_raw(path, &answers).await
}

#[tokio::test]
async fn a_client_whose_language_is_swedish_sees_their_page_questionnaires_and_crisis_contacts_in_swedish(
) {
    for backend in backends() {
        let app = spawn(backend).await;
        // The therapist (in Norwegian) registers a Swedish-speaking client and invites her.
        let mut t = app.signed_in(&app.therapist).await;
        let new = t.get("/clients/new").await;
        assert!(new.body.contains("<option value=\"sv\""), "{}", new.body);
        let r = t
            .post(
                "/clients/new",
                &[
                    ("name", "Karin Svensson"),
                    ("email", "karin@example.se"),
                    ("phone", ""),
                    ("birth_year", "1984"),
                    ("emergency_contact", ""),
                    ("preferred_language", "sv"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{backend}: {}", r.body);
        let client_path = r.location().split('?').next().unwrap().to_string();
        let record = t.get(&client_path).await;
        assert!(record.body.contains("<dd>Svensk</dd>"), "{}", record.body);
        let client_id = client_path.trim_start_matches("/clients/").to_string();
        let invite = t.post(&format!("{client_path}/invitation"), &[]).await;
        let marker = "id=\"invitation-link\" href=\"";
        let start = invite.body.find(marker).unwrap() + marker.len();
        let link = invite.body[start..start + invite.body[start..].find('"').unwrap()]
            .replace("&#47;", "/")
            .replace("&#x2f;", "/");
        let invite_path = link[link.find("/invite/").unwrap()..].to_string();
        for (instrument, point) in [("pcl-5", "baseline"), ("phq-9", "baseline")] {
            let r = t
                .post(
                    &format!("{client_path}/assessments"),
                    &[
                        ("instrument", instrument),
                        ("point", point),
                        ("when", "now"),
                        ("first_date", ""),
                        ("every_days", ""),
                        ("count", ""),
                    ],
                )
                .await;
            assert_eq!(r.status, 303, "{backend}: {}", r.body);
        }

        // She accepts from a browser that prefers Norwegian: once signed in, her own setting (Swedish) wins.
        let mut c = app.browser();
        c.get(&invite_path).await;
        let ok = c
            .post(
                &invite_path,
                &[
                    ("password", "mitt eget långa lösenord"),
                    ("confirm", "mitt eget långa lösenord"),
                ],
            )
            .await;
        assert_eq!(ok.status, 303, "{backend}: {}", ok.body);
        let portal = c.get("/portal").await;
        assert_eq!(portal.status, 200);
        let body = &portal.body;
        assert!(body.contains("<html lang=\"sv\">"), "{backend}");
        for words in [
            "<h1>Min sida</h1>",
            "Frågeformulär att fylla i",
            "Kommande besök",
            "Om du behöver hjälp nu",
            "Fyll i hälsoformuläret för säkerhetsbedömningen",
            "PTSD-checklista för DSM-5 (PCL-5)",
            "Logga ut",
        ] {
            assert!(body.contains(words), "{backend}: {words} in {body}");
        }
        // The due date the Swedish way: year first, `YYYY-MM-DD`.
        let due = &body[body.find("ska fyllas i ").expect("a due date") + "ska fyllas i ".len()..];
        let date: Vec<char> = due.chars().take(10).collect();
        assert!(
            date.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 {
                *c == '-'
            } else {
                c.is_ascii_digit()
            }),
            "{backend}: {due}"
        );
        for tel in ["tel:113", "tel:112", "tel:1177", "tel:90101"] {
            assert!(body.contains(tel), "{backend}: {tel}");
        }

        // The PCL-5: the frame in Swedish, the items in their validated English wording, marked as English.
        let open = app
            .store
            .open_assessments(&app.therapist.actor, &client_id)
            .await
            .unwrap();
        let pcl = open.iter().find(|a| a.instrument == "pcl-5").unwrap();
        let phq = open.iter().find(|a| a.instrument == "phq-9").unwrap();
        let pcl_path = format!("/portal/questionnaires/{}", pcl.id);
        let form = c.get(&pcl_path).await;
        assert_eq!(form.status, 200);
        let f = &form.body;
        assert!(f.contains("<html lang=\"sv\">"));
        assert!(
            f.contains("<p class=\"hint\" lang=\"sv\">Frågorna visas på engelska."),
            "{f}"
        );
        assert!(f.contains("Fråga 1 av 20:"), "{f}");
        assert!(f.contains("0 av 20 frågor besvarade"), "{f}");
        assert!(f.contains(">Skicka svaren<"), "{f}");
        assert!(
            f.contains("<span lang=\"en\">Repeated, disturbing, and unwanted memories of the stressful experience?</span>"),
            "{f}"
        );
        assert!(f.contains("<span lang=\"en\">Not at all</span>"), "{f}");
        assert!(f.contains("lang=\"sv\">(Senaste månaden)"), "{f}");
        // One answer missing: the message is Swedish, nothing is stored.
        let mut answers: Vec<(String, String)> = (1..=19)
            .map(|i| (format!("item-{i}"), "1".to_string()))
            .collect();
        let r = answer(&mut c, &pcl_path, answers.clone()).await;
        assert_eq!(r.status, 422, "{backend}");
        assert!(
            r.body
                .contains("En fråga har inget svar än. Dina andra svar finns kvar."),
            "{}",
            r.body
        );
        answers.push(("item-20".into(), "1".into()));
        let r = answer(&mut c, &pcl_path, answers).await;
        assert_eq!(r.status, 200, "{backend}: {}", r.body);
        assert!(r.body.contains("<h1>Tack</h1>"), "{}", r.body);

        // PHQ-9 item 9 answered above "Not at all": the crisis contacts for Norway and for Sweden, in Swedish.
        let phq_path = format!("/portal/questionnaires/{}", phq.id);
        c.get(&phq_path).await;
        let mut answers: Vec<(String, String)> = (1..=9)
            .map(|i| (format!("item-{i}"), if i == 9 { "2" } else { "1" }.into()))
            .collect();
        answers.push(("item-10".into(), "1".into()));
        let r = answer(&mut c, &phq_path, answers).await;
        assert_eq!(r.status, 200, "{backend}: {}", r.body);
        for words in [
            "Akut fara i Norge: ring 113",
            "Om du är i Sverige:",
            "Akut fara: ring 112",
            "Sjukvårdsrådgivning (1177 Vårdguiden): 1177",
            "Minds Självmordslinje: 90101",
        ] {
            assert!(r.body.contains(words), "{backend}: {words}");
        }
        // Her progress: the chart's words and the severity band are Swedish.
        let portal = c.get("/portal").await;
        assert!(portal.body.contains("Summa PCL-5"), "{}", portal.body);
        assert!(portal.body.contains("Vad betyder siffrorna?"));
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_page_not_yet_in_swedish_is_shown_in_english_with_a_note_in_swedish() {
    let dir = std::env::temp_dir().join(format!("ferd-content-sv-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(dir.join("en")).unwrap();
    std::fs::create_dir_all(dir.join("nb")).unwrap();
    let file = |title: &str, body: &str| {
        format!(
            "+++\ntitle = \"{title}\"\ndescription = \"Prices.\"\nreviewed = \"2026-11-20\"\nnav = \"{title}\"\norder = 20\n\n[[references]]\nid = \"own\"\ntext = \"The price list.\"\n+++\n{body} ([list](#ref-own))\n"
        )
    };
    std::fs::write(dir.join("en/prices.md"), file("Prices", "A session costs")).unwrap();
    std::fs::write(dir.join("nb/prices.md"), file("Priser", "En time koster")).unwrap();
    let content = dir.clone();
    let app = spawn_with("sqlite", move |c| c.content_dir = Some(content)).await;
    let mut b = app.browser();
    let p = b.get("/sv/prices").await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("<html lang=\"sv\">"));
    assert!(
        p.body
            .contains("Den här sidan är inte översatt än, så den visas på English."),
        "{}",
        p.body
    );
    // English first, though a Norwegian version exists: English is the language every text is written in.
    assert!(p.body.contains("<article class=\"prose\" lang=\"en\">"));
    assert!(p.body.contains("A session costs"));
    assert!(!p.body.contains("<link rel=\"alternate\" hreflang=\"sv\""));
    assert!(p.body.contains("<link rel=\"alternate\" hreflang=\"nb\""));
    // The practice's page is in the Swedish navigation too.
    assert!(b
        .get("/sv/")
        .await
        .body
        .contains("<a href=\"/sv/prices\">Prices</a>"));
    app.cleanup().await;
    let _ = std::fs::remove_dir_all(&dir);
}

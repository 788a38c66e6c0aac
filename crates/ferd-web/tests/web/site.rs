//! The public information site: every page in every language with its references, no broken link anywhere a crawl
//! from the home pages reaches, the sitemap, a practice's own pages and the fallback for a missing translation, and
//! the inquiry form — stored encrypted, seen in the inbox, never repeated, and guarded against robots and bad input
//! without changing anything stored.

use std::collections::{BTreeSet, VecDeque};

use ferd_web::i18n::Lang;
use ferd_web::site::{form_start_token, Site};

use crate::common::*;

/// Every language of the site, by tag.
const LANGS: [&str; 3] = [Lang::ALL[0].tag(), Lang::ALL[1].tag(), Lang::ALL[2].tag()];

/// Every `href="…"` and `src="…"` value in a page.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].replace("&amp;", "&"));
                rest = &rest[end..];
            }
        }
    }
    out
}

/// A start time the form would have been shown at `ago_ms` before now, signed as the server signs it.
fn started(app: &TestApp, ago_ms: i64) -> String {
    form_start_token(app.store.keys(), ferd_store::now_ms() - ago_ms)
}

/// A complete, valid inquiry, with `message`.
fn inquiry<'a>(message: &'a str, started: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", "Kari Nordmann"),
        ("email", "kari@example.no"),
        ("phone", "+47 900 00 000"),
        ("language", "nb"),
        ("message", message),
        ("consent", "yes"),
        ("website", ""),
        ("started", started),
    ]
}

async fn stored(app: &TestApp) -> Vec<ferd_store::Inquiry> {
    app.store.inquiries(&app.therapist.actor).await.unwrap()
}

#[tokio::test]
async fn every_page_renders_in_every_language_with_its_metadata_and_references() {
    let app = spawn("sqlite").await;
    let site = Site::load(None).unwrap();
    let mut b = app.browser();
    for slug in site.slugs() {
        for lang in LANGS {
            let path = if slug == "index" {
                format!("/{lang}/")
            } else {
                format!("/{lang}/{slug}")
            };
            let p = b.get(&path).await;
            assert_eq!(p.status, 200, "{path}");
            let body = &p.body;
            assert!(body.contains(&format!("<html lang=\"{lang}\">")), "{path}");
            // Written in this language: no fallback note, and the page names itself in every language.
            assert!(!body.contains("fallback"), "{path} has no translation");
            assert_eq!(body.matches("<h1>").count(), 1, "{path}: one h1");
            assert!(
                body.contains("<meta name=\"description\" content=\""),
                "{path}"
            );
            assert!(
                body.contains(&format!(
                    "<link rel=\"canonical\" href=\"{}{path}\">",
                    app.base
                )),
                "{path}"
            );
            for other in LANGS {
                assert!(
                    body.contains(&format!("<link rel=\"alternate\" hreflang=\"{other}\"")),
                    "{path}: hreflang {other}"
                );
            }
            assert!(body.contains("hreflang=\"x-default\""), "{path}");
            assert!(
                body.contains("<time datetime=\"2026-"),
                "{path}: last-reviewed date"
            );
            // The references: a list with at least one source, and each in-page citation lands on one of them.
            let refs = body
                .split("<section class=\"references\"")
                .nth(1)
                .unwrap_or_else(|| panic!("{path} lists no references"));
            assert!(
                refs.contains("<li id=\"ref-"),
                "{path}: an empty reference list"
            );
            for cited in links(body).iter().filter_map(|l| l.strip_prefix("#ref-")) {
                assert!(
                    body.contains(&format!("<li id=\"ref-{cited}\">")),
                    "{path}: #ref-{cited} names no reference"
                );
            }
            let heading = match lang {
                "nb" => ">Kilder<",
                "sv" => ">Källor<",
                _ => ">References<",
            };
            assert!(
                body.contains(heading),
                "{path}: the references are headed in the page's language"
            );
        }
    }
    app.cleanup().await;
}

#[tokio::test]
async fn a_crawl_from_the_home_pages_finds_no_broken_link_and_nothing_from_another_host() {
    let app = spawn("sqlite").await;
    let mut b = app.browser();
    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<(String, String)> = LANGS
        .iter()
        .map(|l| (format!("/{l}/"), "start".to_string()))
        .collect();
    queue.push_back(("/".into(), "start".into()));
    let mut pages = 0;
    while let Some((path, from)) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let mut p = b.get(&path).await;
        let mut hops = 0;
        while p.status == 303 && hops < 3 {
            p = b.get(&p.location().replace(&app.base, "")).await;
            hops += 1;
        }
        assert_eq!(p.status, 200, "{path} (linked from {from}) is broken");
        pages += 1;
        let html = p
            .headers
            .get("content-type")
            .is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/html"));
        if !html {
            continue;
        }
        for link in links(&p.body) {
            if let Some(anchor) = link.strip_prefix('#') {
                assert!(
                    p.body.contains(&format!("id=\"{anchor}\"")),
                    "{path}: the anchor #{anchor} is not on the page"
                );
                continue;
            }
            // Links may leave the site; nothing the page loads may (stylesheets and images are ours).
            if link.starts_with("http") && !link.starts_with(&app.base) {
                let tag_start = p.body[..p.body.find(&link).unwrap()].rfind('<').unwrap();
                let tag = &p.body[tag_start..tag_start + 6];
                assert!(
                    tag.starts_with("<a ") || tag.starts_with("<link r"),
                    "{path}: {link} would be loaded from another host ({tag})"
                );
                if tag.starts_with("<link r") {
                    let whole = &p.body[tag_start..];
                    let whole = &whole[..whole.find('>').unwrap()];
                    assert!(
                        whole.contains("rel=\"alternate\"") || whole.contains("rel=\"canonical\""),
                        "{path}: {whole} loads from another host"
                    );
                }
                continue;
            }
            let local = link.strip_prefix(&app.base).unwrap_or(&link).to_string();
            if !local.starts_with('/') || local.starts_with("//") {
                continue;
            }
            let local = local.split('#').next().unwrap().to_string();
            // Only the public site and what it links to for reading (sign-in, the stylesheet).
            let public = LANGS
                .iter()
                .any(|l| local.starts_with(&format!("/{l}/")) || local == format!("/{l}"))
                || ["/login", "/static/ferd.css", "/sitemap.xml", "/"].contains(&local.as_str());
            if public {
                queue.push_back((local, path.clone()));
            }
        }
    }
    let site = Site::load(None).unwrap();
    assert!(
        pages >= site.slugs().len() * LANGS.len(),
        "the crawl reached only {pages} addresses"
    );
    app.cleanup().await;
}

#[tokio::test]
async fn the_sitemap_lists_every_page_in_every_language_with_its_date_and_language_versions() {
    let app = spawn("sqlite").await;
    let site = Site::load(None).unwrap();
    let mut b = app.browser();
    let p = b.get("/sitemap.xml").await;
    assert_eq!(p.status, 200);
    assert!(p.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/xml"));
    let locs: Vec<&str> = p
        .body
        .split("<loc>")
        .skip(1)
        .map(|s| &s[..s.find("</loc>").unwrap()])
        .collect();
    // Every page and the referral directory's page in every language, then each language's article index and its
    // published articles.
    let articles = site.file_articles().filter(|a| !a.draft).count();
    let indexes = Lang::ALL
        .iter()
        .filter(|l| site.file_articles().any(|a| a.lang == **l && !a.draft))
        .count();
    assert_eq!(
        locs.len(),
        (site.slugs().len() + 1) * LANGS.len() + articles + indexes,
        "{}",
        p.body
    );
    for loc in &locs {
        assert!(loc.starts_with(&app.base), "{loc} is absolute");
        let r = b.get(&loc[app.base.len()..]).await;
        assert_eq!(r.status, 200, "{loc}");
    }
    // Every address has its date but the referral page's, which has none until a place on it is public.
    assert_eq!(
        p.body.matches("<lastmod>2026-").count(),
        locs.len() - LANGS.len()
    );
    assert_eq!(
        p.body
            .matches("<xhtml:link rel=\"alternate\" hreflang=")
            .count(),
        // Pages and the referral page are in every language; each built-in article, and the article index, in
        // the languages articles are written in.
        (site.slugs().len() + 1) * LANGS.len() * LANGS.len() + (articles + indexes) * indexes
    );
    let robots = b.get("/robots.txt").await;
    assert!(robots
        .body
        .contains(&format!("Sitemap: {}/sitemap.xml", app.base)));
    app.cleanup().await;
}

#[tokio::test]
async fn a_reader_who_is_not_signed_in_is_sent_from_the_root_to_the_site_in_their_language() {
    let app = spawn("sqlite").await;
    let mut b = app.browser();
    b.lang = "en-GB,en;q=0.8".into();
    let p = b.get("/").await;
    assert_eq!((p.status, p.location().as_str()), (303, "/en/"));
    b.lang = "nb-NO".into();
    assert_eq!(b.get("/").await.location(), "/nb/");
    assert_eq!(b.get("/en").await.location(), "/en/");
    // An address in English stays English whatever the browser prefers.
    assert!(b.get("/en/ptsd").await.body.contains("<html lang=\"en\">"));
    assert_eq!(b.get("/en/no-such-page").await.status, 404);
    app.cleanup().await;
}

fn page_file(title: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndescription = \"A page of the practice's own.\"\nreviewed = \"2026-11-20\"\nnav = \"{title}\"\norder = 20\n\n[[references]]\nid = \"own\"\ntext = \"The practice's own price list.\"\n+++\n{body}\n"
    )
}

#[tokio::test]
async fn a_practice_s_own_pages_replace_the_built_in_ones_and_a_missing_translation_falls_back_with_a_note(
) {
    let dir = std::env::temp_dir().join(format!("ferd-content-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(dir.join("en")).unwrap();
    std::fs::create_dir_all(dir.join("nb")).unwrap();
    std::fs::create_dir_all(dir.join("media")).unwrap();
    std::fs::write(
        dir.join("en/prices.md"),
        page_file(
            "Prices",
            "A session at {{ practice }} costs what we agree ([list](#ref-own)). ![Our room](/media/room.png)",
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("nb/about.md"),
        page_file(
            "Om oss",
            "Vi i {{ practice }} skriver selv ([liste](#ref-own)).",
        ),
    )
    .unwrap();
    std::fs::write(dir.join("media/room.png"), b"\x89PNG\r\n\x1a\nnot-really").unwrap();
    let content = dir.clone();
    let app = spawn_with("sqlite", move |c| c.content_dir = Some(content)).await;
    let mut b = app.browser();
    // Only in English: the Norwegian address shows the English text, marked, with the note in Norwegian.
    let p = b.get("/nb/prices").await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("<html lang=\"nb\">"));
    assert!(
        p.body.contains("<article class=\"prose\" lang=\"en\">"),
        "{}",
        p.body
    );
    assert!(p
        .body
        .contains("Denne siden er ikke oversatt ennå, så den vises på English."));
    assert!(p.body.contains("A session at Practice A costs"));
    // hreflang names only the language it is written in.
    assert!(p.body.contains("hreflang=\"en\" href="));
    assert!(!p.body.contains("<link rel=\"alternate\" hreflang=\"nb\""));
    // The practice's page is in the navigation of both languages.
    assert!(b
        .get("/en/")
        .await
        .body
        .contains("<a href=\"/en/prices\">Prices</a>"));
    // The override replaces the built-in Norwegian page; the English one stays built in.
    let nb = b.get("/nb/about").await;
    assert!(
        nb.body.contains("Vi i Practice A skriver selv"),
        "{}",
        nb.body
    );
    assert!(!b.get("/en/about").await.body.contains("skriver selv"));
    // The image comes from the practice's media folder, cacheable; nothing else is served from it.
    let img = b.get("/media/room.png").await;
    assert_eq!(img.status, 200);
    assert_eq!(img.headers["content-type"], "image/png");
    assert_eq!(b.get("/media/..%2Fnb%2Fabout.md").await.status, 404);
    assert_eq!(b.get("/media/notes.txt").await.status, 404);
    app.cleanup().await;

    // A malformed file stops the start, naming the file and what is wrong.
    std::fs::write(
        dir.join("en/broken.md"),
        page_file(
            "Broken",
            "Cites [nothing](#ref-missing) and [own](#ref-own).",
        ),
    )
    .unwrap();
    let err = Site::load(Some(&dir)).unwrap_err().to_string();
    assert!(
        err.contains("broken.md") && err.contains("#ref-missing"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_practice_name_is_shown_escaped_and_the_built_in_pages_cite_every_reference_they_list()
{
    let site = Site::load(None).unwrap();
    for lang in Lang::ALL {
        for page in site.pages_in(lang) {
            assert!(!page.references.is_empty(), "{}: {}", lang.tag(), page.slug);
            let html = page.html_for("<b>Fjord & Co</b>");
            assert!(!html.contains("<b>Fjord"), "{}", page.slug);
        }
    }
}

#[tokio::test]
async fn an_inquiry_is_stored_encrypted_reaches_the_inbox_and_is_not_repeated_to_the_sender() {
    for backend in backends() {
        let app = spawn(backend).await;
        let mut b = app.browser();
        let form = b.get("/en/contact").await;
        assert_eq!(form.status, 200);
        assert!(
            form.body.contains("name=\"website\""),
            "the honeypot is on the form"
        );
        assert!(
            form.body.contains("href=\"/en/privacy\""),
            "consent links to the privacy page"
        );
        let marker = format!("Marker-{}", uuid::Uuid::new_v4().simple());
        let message = format!("I have had nightmares for years. {marker}");
        let s = started(&app, 5_000);
        let p = b.post("/en/contact", &inquiry(&message, &s)).await;
        assert_eq!(
            (p.status, p.location().as_str()),
            (303, "/en/contact/sent"),
            "{}",
            p.body
        );
        let sent = b.get("/en/contact/sent").await;
        assert!(sent.body.contains("within 3 working days"), "{}", sent.body);
        assert!(sent.body.contains("tel:113") && sent.body.contains("116 123"));
        assert!(
            !sent.body.contains(&marker),
            "the confirmation repeats the message"
        );

        let list = stored(&app).await;
        assert_eq!(list.len(), 1);
        let i = &list[0];
        assert_eq!(
            (i.name.as_str(), i.email.as_str()),
            ("Kari Nordmann", "kari@example.no")
        );
        assert_eq!(i.language, "nb");
        assert!(i.consent_at.is_some());
        let privacy = Site::load(None).unwrap();
        let version = &privacy.page(Lang::En, "privacy").unwrap().page.reviewed;
        assert_eq!(i.consent_version.as_deref(), Some(version.as_str()));

        let mut t = app.signed_in(&app.therapist).await;
        let inbox = t.get("/inquiries").await;
        assert!(
            inbox.body.contains(&marker),
            "the therapist reads the message"
        );

        if let Some(file) = &app.db_file {
            app.store.close().await;
            let mut bytes = std::fs::read(file).unwrap();
            let wal = file.with_extension("db-wal");
            bytes.extend(std::fs::read(&wal).unwrap_or_default());
            let hay = String::from_utf8_lossy(&bytes);
            assert!(
                hay.contains("Kari Nordmann"),
                "the check reads the right file"
            );
            assert!(
                !hay.contains(&marker),
                "the message is in the database file in clear text"
            );
        }
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_robot_that_fills_in_the_hidden_field_is_told_its_message_went_but_nothing_is_stored() {
    let app = spawn("sqlite").await;
    let mut b = app.browser();
    b.get("/nb/contact").await;
    let s = started(&app, 10_000);
    let mut fields = inquiry("Buy cheap pills", &s);
    fields.retain(|(k, _)| *k != "website");
    fields.push(("website", "https://spam.example"));
    let p = b.post("/nb/contact", &fields).await;
    assert_eq!((p.status, p.location().as_str()), (303, "/nb/contact/sent"));
    assert!(stored(&app).await.is_empty());
    app.cleanup().await;
}

#[tokio::test]
async fn a_form_sent_too_fast_or_with_a_forged_or_stale_start_comes_back_with_everything_kept() {
    let app = spawn("sqlite").await;
    let mut b = app.browser();
    b.get("/en/contact").await;
    let message = "Kan jeg få vite mer om forberedelsene?";
    let fast = started(&app, 500);
    let p = b.post("/en/contact", &inquiry(message, &fast)).await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("sent very quickly"), "{}", p.body);
    assert!(p.body.contains(message), "the message is kept");
    assert!(p.body.contains("value=\"Kari Nordmann\""));
    assert!(p.body.contains("value=\"kari@example.no\""));

    let forged = format!("{}.{}", ferd_store::now_ms() - 60_000, "0".repeat(64));
    let p = b.post("/en/contact", &inquiry(message, &forged)).await;
    assert_eq!(p.status, 422);
    assert!(
        p.body.contains("opened too long ago"),
        "a forged start is treated as stale"
    );
    assert!(p.body.contains(message));

    let stale = started(&app, 25 * 3_600_000);
    let p = b.post("/en/contact", &inquiry(message, &stale)).await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains(message));

    let p = b.post("/en/contact", &inquiry(message, "")).await;
    assert_eq!(p.status, 422);
    assert!(stored(&app).await.is_empty(), "nothing is stored");
    app.cleanup().await;
}

#[tokio::test]
async fn bad_input_gets_a_clear_message_on_the_same_form_with_what_was_typed_kept_and_nothing_stored(
) {
    let app = spawn("sqlite").await;
    let mut b = app.browser();
    b.get("/en/contact").await;
    let s = started(&app, 5_000);
    let long = "a".repeat(5_001);
    // (field to change, value, error text expected)
    let cases: [(&str, &str, &str); 7] = [
        ("name", "   ", "Your name: write the name"),
        (
            "name",
            &"n".repeat(201),
            "Your name: at most 200 characters",
        ),
        (
            "email",
            "kari(at)example.no",
            "does not look like an e-mail address",
        ),
        ("email", "", "write the address the answer should go to"),
        ("phone", "call me maybe", "Phone number: use digits"),
        ("message", &long, "at most 5000 characters (it has 5001)"),
        ("consent", "", "Consent: tick the box"),
    ];
    for (field, value, expected) in cases {
        let mut fields = inquiry("A question about preparation <b>bold</b>", &s);
        for f in fields.iter_mut() {
            if f.0 == field {
                f.1 = value;
            }
        }
        let p = b.post("/en/contact", &fields).await;
        assert_eq!(p.status, 422, "{field}");
        assert!(p.body.contains(expected), "{field}: {}", p.body);
        assert!(
            p.body.contains(&format!("href=\"#{field}\"")),
            "{field}: the summary links to the field"
        );
        assert!(p.body.contains("aria-invalid=\"true\""), "{field}");
        // What was typed is kept (escaped), so nothing has to be written again.
        assert!(
            p.body
                .contains("A question about preparation &#60;b&#62;bold&#60;/b&#62;")
                || field == "message",
            "{field}: the message is kept: {}",
            &p.body[p.body.find("<textarea").unwrap_or(0)..][..300]
        );
        if field != "email" {
            assert!(p.body.contains("value=\"kari@example.no\""), "{field}");
        }
    }
    // Not a form at all: the form again, with what went wrong.
    let r = reqwest::Client::new()
        .post(format!("{}/en/contact", app.base))
        .header("content-type", "application/json")
        .body(r#"{"name":"Kari","message":"hei"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 415);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("did not come from this page"));
    // A form without the CSRF token is refused before anything else.
    let fields: Vec<(String, String)> = inquiry("x", &s)
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(
        app.browser().post_raw("/en/contact", &fields).await.status,
        403
    );
    assert!(stored(&app).await.is_empty());
    app.cleanup().await;
}

#[tokio::test]
async fn the_sixth_message_from_one_address_within_an_hour_is_refused_with_the_text_kept() {
    let app = spawn("sqlite").await;
    let mut b = app.browser();
    b.get("/nb/contact").await;
    let s = started(&app, 5_000);
    for n in 1..=5 {
        let p = b
            .post("/nb/contact", &inquiry(&format!("Melding {n}"), &s))
            .await;
        assert_eq!(p.status, 303, "message {n}");
    }
    let p = b.post("/nb/contact", &inquiry("Melding 6", &s)).await;
    assert_eq!(p.status, 429);
    assert!(p.body.contains("for mange meldinger"), "{}", p.body);
    assert!(p.body.contains("Melding 6"));
    assert_eq!(stored(&app).await.len(), 5);
    // Bad input from the same address does not use up the allowance: it is refused for what it is.
    let mut bad = inquiry("Melding 7", &s);
    bad.retain(|(k, _)| *k != "consent");
    assert_eq!(b.post("/nb/contact", &bad).await.status, 422);
    app.cleanup().await;
}

#[tokio::test]
async fn an_admin_sets_the_reply_time_the_confirmation_promises_and_a_bad_number_saves_nothing() {
    let app = spawn("sqlite").await;
    let mut a = app.signed_in(&app.admin).await;
    a.get("/admin").await;
    let before = app.store.practice_settings(&app.admin.actor).await.unwrap();
    // The box for two-factor is not ticked in this form: were it saved, the setting would change.
    let p = a.post("/admin/practice", &[("reply_days", "0")]).await;
    assert_eq!(p.status, 422);
    assert!(
        p.body.contains("whole number from 1 to 30") || p.body.contains("helt tall fra 1 til 30")
    );
    assert_eq!(
        app.store.practice_settings(&app.admin.actor).await.unwrap(),
        before
    );
    assert_eq!(
        app.store
            .inquiry_reply_days(&app.admin.actor)
            .await
            .unwrap(),
        3
    );
    let p = a
        .post(
            "/admin/practice",
            &[("reply_days", "5"), ("require_two_factor", "1")],
        )
        .await;
    assert_eq!(p.status, 303);
    assert_eq!(
        app.store
            .inquiry_reply_days(&app.admin.actor)
            .await
            .unwrap(),
        5
    );
    let sent = app.browser().get("/nb/contact/sent").await;
    assert!(sent.body.contains("innen 5 virkedager"), "{}", sent.body);
    app.cleanup().await;
}

#[tokio::test]
async fn a_therapist_deletes_an_inquiry_of_their_practice_and_no_other() {
    let app = spawn("sqlite").await;
    let mut b = app.browser();
    b.get("/en/contact").await;
    let s = started(&app, 5_000);
    assert_eq!(
        b.post("/en/contact", &inquiry("Please forget me", &s))
            .await
            .status,
        303
    );
    let id = stored(&app).await[0].id.clone();
    let mut foreign = app.signed_in(&app.foreign_therapist).await;
    let p = foreign.post(&format!("/inquiries/{id}/delete"), &[]).await;
    assert_eq!(p.status, 404);
    assert_eq!(stored(&app).await.len(), 1);
    let mut t = app.signed_in(&app.therapist).await;
    t.get("/inquiries").await;
    let p = t.post(&format!("/inquiries/{id}/delete"), &[]).await;
    assert_eq!(p.location(), "/inquiries?notice=notice-inquiry-deleted");
    assert!(stored(&app).await.is_empty());
    app.cleanup().await;
}

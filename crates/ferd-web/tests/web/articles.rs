//! Articles: the index per language (newest first, filtered by tag), each article with its dates, tags, references
//! and language versions, the Atom feed read by an independent parser (Python's `feedparser`), drafts that only
//! the practice's staff see, and the admin's form — previewed by the site's own renderer, refusing a text that
//! breaks its rules with the problem named and nothing stored, and audited at every change.

use std::process::{Command, Stdio};

use ferd_store::{ArticleInput, ArticleReference, ArticleStatus, AuditEvent};
use ferd_web::i18n::Lang;
use ferd_web::site::Site;
use serde_json::Value;

use crate::common::*;

/// The built-in articles, newest first: (slug, published).
const BUILT_IN: [(&str, &str); 2] = [
    ("ketamine-psilocybin-mdma-legal-in-norway", "2026-11-19"),
    ("mdma-therapy-after-the-fda-decision", "2026-11-12"),
];

/// The languages the built-in articles are written in (a language added to the interface has none until someone
/// writes them; its index is then empty).
fn built_in_langs() -> Vec<Lang> {
    let site = Site::load(None).unwrap();
    Lang::ALL
        .into_iter()
        .filter(|l| site.file_articles().any(|a| a.lang == *l))
        .collect()
}

/// Reads an Atom feed with Python's `feedparser` and returns what it understood, as JSON. `None` when the parser
/// is not installed and FERD_REQUIRE_FEEDPARSER is not set (CI sets it).
fn parse_feed(xml: &str) -> Option<Value> {
    const SCRIPT: &str = r#"
import calendar, json, sys
import feedparser
d = feedparser.parse(open(sys.argv[1], "rb").read())
def when(t):
    return calendar.timegm(t) if t else None
print(json.dumps({
    "bozo": bool(d.bozo),
    "bozo_exception": str(d.get("bozo_exception", "")),
    "version": d.version,
    "feed": {
        "id": d.feed.get("id"),
        "title": d.feed.get("title"),
        "updated": when(d.feed.get("updated_parsed")),
        "language": d.feed.get("language"),
        "author": d.feed.get("author"),
        "links": [{"rel": l.get("rel"), "href": l.get("href"), "type": l.get("type")} for l in d.feed.get("links", [])],
    },
    "entries": [{
        "id": e.get("id"),
        "title": e.get("title"),
        "link": e.get("link"),
        "links": [{"rel": l.get("rel"), "href": l.get("href"), "hreflang": l.get("hreflang")} for l in e.get("links", [])],
        "updated": when(e.get("updated_parsed")),
        "published": when(e.get("published_parsed")),
        "updated_text": e.get("updated"),
        "author": e.get("author"),
        "tags": [t.get("term") for t in e.get("tags", [])],
        "summary": e.get("summary"),
        "content": [c.get("value") for c in e.get("content", [])],
    } for e in d.entries],
}))
"#;
    let required = std::env::var_os("FERD_REQUIRE_FEEDPARSER").is_some();
    let installed = Command::new("python3")
        .args(["-c", "import feedparser"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !installed {
        assert!(
            !required,
            "FERD_REQUIRE_FEEDPARSER is set but Python's feedparser is not installed (pip install feedparser)"
        );
        eprintln!("note: Python's feedparser is not installed; the independent parse of the feed is skipped");
        return None;
    }
    let file = std::env::temp_dir().join(format!("ferd-feed-{}.xml", uuid::Uuid::new_v4()));
    std::fs::write(&file, xml).unwrap();
    let out = Command::new("python3")
        .args(["-c", SCRIPT])
        .arg(&file)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&file);
    assert!(
        out.status.success(),
        "feedparser failed: {}\n{xml}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

/// A valid article of the practice's own, in `lang`.
fn input(lang: &str, slug: &str, published: &str, title: &str) -> ArticleInput {
    ArticleInput {
        lang: lang.into(),
        slug: slug.into(),
        title: title.into(),
        summary: format!("Summary of {title}."),
        body: format!(
            "Text of {title}, citing [a source](#ref-own). See [the evidence](/{lang}/evidence)."
        ),
        tags: vec!["Practice news".into()],
        references: vec![ArticleReference {
            id: "own".into(),
            text: "The practice's own notes.".into(),
            url: None,
        }],
        author_name: None,
        published_on: published.into(),
        reviewed_on: published.into(),
    }
}

/// The form fields of an article, with `action` (`preview`, `draft` or `publish`).
fn form<'a>(
    lang: &'a str,
    slug: &'a str,
    body: &'a str,
    action: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("lang", lang),
        ("slug", slug),
        ("title", "Integration after a trial"),
        ("summary", "What the weeks after a medicine session can hold."),
        ("tags", "integration, MDMA"),
        ("published", "2026-11-24"),
        ("reviewed", "2026-11-25"),
        ("author", ""),
        (
            "references",
            "mitchell2023 | Mitchell et al. Nat Med 2023;29:2473. | https://doi.org/10.1038/s41591-023-02565-4",
        ),
        ("body", body),
        ("action", action),
    ]
}

const GOOD_BODY: &str = "## What we do\n\nIn MAPP2 the therapy came with integration sessions ([Mitchell 2023](#ref-mitchell2023)). Read the [evidence](/en/evidence).\n\n| a | b |\n|---|---|\n| 1 | 2 |";

/// The `<loc>`s of the sitemap.
fn locs(xml: &str) -> Vec<String> {
    xml.split("<loc>")
        .skip(1)
        .map(|s| s[..s.find("</loc>").unwrap()].to_string())
        .collect()
}

/// The audit events about articles: (action, entity id, actor).
async fn article_events(app: &TestApp) -> Vec<(String, String, String)> {
    app.store
        .audit_events()
        .await
        .unwrap()
        .into_iter()
        .filter(|e: &AuditEvent| e.entity == "article" && e.action != "list" && e.action != "read")
        .map(|e| (e.action, e.entity_id, e.actor_id))
        .collect()
}

#[tokio::test]
async fn the_index_lists_published_articles_newest_first_with_dates_summaries_and_tags() {
    let app = spawn("sqlite").await;
    let mut b = app.browser();
    for lang in built_in_langs() {
        let tag = lang.tag();
        let p = b.get(&format!("/{tag}/articles")).await;
        assert_eq!(p.status, 200, "{tag}");
        assert!(p.body.contains(&format!("<html lang=\"{tag}\">")));
        assert_eq!(p.body.matches("<h1>").count(), 1);
        // Newest first, each with its date.
        let positions: Vec<usize> = BUILT_IN
            .iter()
            .map(|(slug, published)| {
                assert!(
                    p.body.contains(&format!("<time datetime=\"{published}\">")),
                    "{tag}: {slug} shows its date"
                );
                p.body
                    .find(&format!("href=\"/{tag}/articles/{slug}\""))
                    .unwrap_or_else(|| panic!("{tag}: {slug} is listed"))
            })
            .collect();
        assert!(positions[0] < positions[1], "{tag}: newest first");
        // The navigation of every page links the index and the head links the feed.
        for page in [format!("/{tag}/"), format!("/{tag}/articles")] {
            let q = b.get(&page).await;
            assert!(
                q.body
                    .contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"")
                    && q.body
                        .contains(&format!("href=\"/{tag}/articles/feed.xml\">")),
                "{page} links the feed"
            );
            assert!(
                q.body.contains(&format!("<a href=\"/{tag}/articles\"")),
                "{page}"
            );
        }
    }
    // A newer article of the practice's own comes first; a tag filters, whatever its case.
    app.store
        .create_article(
            &app.admin.actor,
            input("en", "our-news", "2026-11-25", "Our news"),
            ArticleStatus::Published,
        )
        .await
        .unwrap();
    let p = b.get("/en/articles").await;
    let news = p.body.find("/en/articles/our-news").unwrap();
    assert!(
        news < p
            .body
            .find(&format!("/en/articles/{}", BUILT_IN[0].0))
            .unwrap()
    );
    assert!(p.body.contains("Summary of Our news."));
    assert!(
        p.body.contains("href=\"/en/articles?tag=practice%20news\"")
            || p.body.contains("href=\"/en/articles?tag=practice+news\"")
    );
    let fda = b.get("/en/articles?tag=FDA").await;
    assert_eq!(fda.status, 200);
    assert!(fda
        .body
        .contains("/en/articles/mdma-therapy-after-the-fda-decision"));
    assert!(!fda
        .body
        .contains("/en/articles/ketamine-psilocybin-mdma-legal-in-norway\""));
    assert!(!fda.body.contains("/en/articles/our-news\""));
    let none = b.get("/en/articles?tag=no-such-tag").await;
    assert_eq!(none.status, 200);
    assert!(none.body.contains("No article has this tag."));
    // Only the English index has it.
    assert!(!b.get("/nb/articles").await.body.contains("our-news"));
    app.cleanup().await;
}

#[tokio::test]
async fn an_article_shows_its_dates_tags_references_and_links_to_its_other_language_version() {
    let app = spawn("sqlite").await;
    let mut b = app.browser();
    let (slug, published) = BUILT_IN[1];
    let langs = built_in_langs();
    for lang in langs.clone() {
        let tag = lang.tag();
        let path = format!("/{tag}/articles/{slug}");
        let p = b.get(&path).await;
        assert_eq!(p.status, 200, "{path}");
        assert_eq!(p.body.matches("<h1>").count(), 1);
        assert!(
            p.body.contains(&format!("<time datetime=\"{published}\">")),
            "{path}"
        );
        assert!(p.body.contains("<p class=\"reviewed\">"), "{path}");
        assert!(p.body.contains("<time datetime=\"2026-11-26\">"), "{path}");
        assert!(p.body.contains(&format!(
            "<link rel=\"canonical\" href=\"{}{path}\">",
            app.base
        )));
        assert!(p.body.contains("<ul class=\"tags\""), "{path}");
        assert!(p.body.contains("<li id=\"ref-mitchell2021\">"), "{path}");
        // It links the pages and the evidence it cites, and its other language versions.
        assert!(
            p.body
                .contains(&format!("href=\"/{tag}/evidence/prolonged-exposure\"")),
            "{path}"
        );
        assert!(p.body.contains(&format!("href=\"/{tag}/risks\"")), "{path}");
        for other in langs.clone() {
            assert!(
                p.body.contains(&format!(
                    "<link rel=\"alternate\" hreflang=\"{}\" href=\"{}/{}/articles/{slug}\">",
                    other.tag(),
                    app.base,
                    other.tag()
                )),
                "{path}: hreflang {}",
                other.tag()
            );
            if other != lang {
                assert!(p.body.contains(&format!(
                    "<a href=\"/{}/articles/{slug}\" hreflang=\"{}\"",
                    other.tag(),
                    other.tag()
                )));
            }
        }
        assert!(!p.body.contains("draft-banner"));
    }
    // The practice's name takes the place of {{ practice }}.
    let p = b
        .get("/en/articles/ketamine-psilocybin-mdma-legal-in-norway")
        .await;
    assert!(p.body.contains("Practice A supports people"), "{}", p.body);
    assert_eq!(b.get("/en/articles/no-such-article").await.status, 404);
    app.cleanup().await;
}

#[tokio::test]
async fn a_draft_is_seen_only_by_the_practice_s_staff_and_never_in_the_index_feed_or_sitemap() {
    for backend in backends() {
        let app = spawn(backend).await;
        app.store
            .create_article(
                &app.admin.actor,
                input("nb", "hemmelig-utkast", "2026-11-25", "Hemmelig utkast"),
                ArticleStatus::Draft,
            )
            .await
            .unwrap();
        let path = "/nb/articles/hemmelig-utkast";
        let mut anonymous = app.browser();
        assert_eq!(
            anonymous.get(path).await.status,
            404,
            "{backend}: anonymous"
        );
        for who in [&app.client, &app.foreign_therapist] {
            let mut b = app.signed_in(who).await;
            assert_eq!(b.get(path).await.status, 404, "{backend}: {}", who.email);
        }
        for who in [&app.therapist, &app.admin] {
            let mut b = app.signed_in(who).await;
            let p = b.get(path).await;
            assert_eq!(p.status, 200, "{backend}: {}", who.email);
            assert!(p.body.contains("class=\"draft-banner\""), "{backend}");
            assert!(p
                .body
                .contains("<meta name=\"robots\" content=\"noindex\">"));
            // Staff see it at its address only.
            for list in ["/nb/articles", "/nb/articles/feed.xml", "/sitemap.xml"] {
                assert!(
                    !b.get(list).await.body.contains("hemmelig-utkast"),
                    "{backend}: {list}"
                );
            }
        }
        for list in ["/nb/articles", "/nb/articles/feed.xml", "/sitemap.xml"] {
            assert!(
                !anonymous.get(list).await.body.contains("hemmelig-utkast"),
                "{backend}: {list}"
            );
        }
        app.cleanup().await;
    }
}

#[tokio::test]
async fn the_preview_uses_the_site_s_renderer_and_a_broken_rule_is_named_with_nothing_stored() {
    for backend in backends() {
        let app = spawn(backend).await;
        let mut admin = app.signed_in(&app.admin).await;
        admin.lang = "en".into();
        let p = admin.get("/admin/articles/new").await;
        assert_eq!(p.status, 200);
        let events_before = app.store.audit_events().await.unwrap().len();

        // The preview is the site's rendering: the heading, the table wrapped to scroll, the citation and its source.
        let p = admin
            .post(
                "/admin/articles/new",
                &form("en", "integration", GOOD_BODY, "preview"),
            )
            .await;
        assert_eq!(p.status, 200, "{backend}: {}", p.body);
        let preview = &p.body[p.body.find("id=\"preview\"").expect("a preview")..];
        assert!(preview.contains("<h2>What we do</h2>"), "{preview}");
        assert!(preview.contains("<div class=\"table-wrap\" tabindex=\"0\"><table>"));
        assert!(preview.contains("<a href=\"#ref-mitchell2023\">Mitchell 2023</a>"));
        assert!(preview.contains("<li id=\"ref-mitchell2023\">"));
        // The form keeps what was typed.
        assert!(p.body.contains("value=\"integration\""));

        // A link that is not allowed: refused, named, the text kept, and nothing stored.
        let bad = "See [this](javascript:alert(1)) and [Mitchell](#ref-mitchell2023).";
        for action in ["preview", "draft", "publish"] {
            let p = admin
                .post(
                    "/admin/articles/new",
                    &form("en", "integration", bad, action),
                )
                .await;
            assert_eq!(p.status, 422, "{backend}: {action}");
            assert!(p.body.contains("class=\"error-summary\""));
            assert!(
                p.body
                    .contains("the link to “javascript:alert(1)” is not allowed"),
                "{backend}: {}",
                p.body
            );
            assert!(
                p.body.contains("<a href=\"#body\">Text: "),
                "the error leads to the field"
            );
            assert!(!p.body.contains("id=\"preview\""));
        }
        // A reference never cited, a bad date, a bad address: each named.
        let uncited = "No citation at all.";
        let p = admin
            .post(
                "/admin/articles/new",
                &form("en", "integration", uncited, "publish"),
            )
            .await;
        assert_eq!(p.status, 422);
        assert!(
            p.body
                .contains("the reference “mitchell2023” is never cited"),
            "{}",
            p.body
        );
        let mut f = form("en", "Not A Slug", GOOD_BODY, "draft");
        f[5] = ("published", "24.11.2026");
        let p = admin.post("/admin/articles/new", &f).await;
        assert_eq!(p.status, 422);
        assert!(p.body.contains("<a href=\"#slug\">"), "{}", p.body);
        let f = form("en", "integration", GOOD_BODY, "draft")
            .into_iter()
            .map(|(k, v)| {
                if k == "published" {
                    (k, "24.11.2026")
                } else {
                    (k, v)
                }
            })
            .collect::<Vec<_>>();
        let p = admin.post("/admin/articles/new", &f).await;
        assert_eq!(p.status, 422);
        assert!(p.body.contains("“24.11.2026” is not a date"), "{}", p.body);
        let p = admin
            .post(
                "/admin/articles/new",
                &form("xx", "integration", GOOD_BODY, "draft"),
            )
            .await;
        assert_eq!(p.status, 422);
        assert!(p.body.contains("<a href=\"#lang\">"));
        let p = admin
            .post(
                "/admin/articles/new",
                &form("en", "integration", GOOD_BODY, "launch"),
            )
            .await;
        assert_eq!(p.status, 400);

        assert!(
            app.store
                .practice_articles(&app.admin.actor)
                .await
                .unwrap()
                .is_empty(),
            "{backend}"
        );
        let changes: Vec<_> = app.store.audit_events().await.unwrap()[events_before..]
            .iter()
            .filter(|e| e.entity == "article")
            .map(|e| e.action.clone())
            .collect();
        assert!(
            changes.iter().all(|a| a == "list"),
            "{backend}: {changes:?}"
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_guide_publishes_an_article_in_the_interface_and_every_change_is_audited() {
    for backend in backends() {
        let app = spawn(backend).await;
        let mut admin = app.signed_in(&app.admin).await;
        admin.lang = "en".into();
        admin.get("/admin/articles").await;

        // Saved as a draft: stored, audited, not public yet.
        let p = admin
            .post(
                "/admin/articles/new",
                &form("en", "integration", GOOD_BODY, "draft"),
            )
            .await;
        assert_eq!(p.status, 303, "{backend}: {}", p.body);
        let edit = p.location();
        let id = edit
            .strip_prefix("/admin/articles/")
            .and_then(|r| r.split('?').next())
            .unwrap()
            .to_string();
        let p = admin.get(&edit).await;
        assert!(
            p.body.contains("The article is saved as a draft."),
            "{}",
            p.body
        );
        let mut reader = app.browser();
        assert_eq!(reader.get("/en/articles/integration").await.status, 404);

        // The same address again is refused, naming the address.
        let p = admin
            .post(
                "/admin/articles/new",
                &form("en", "integration", GOOD_BODY, "draft"),
            )
            .await;
        assert_eq!(p.status, 422);
        assert!(p
            .body
            .contains("already has an article in this language at this address"));

        // Published from the form: in the index and the feed.
        let mut f = form("en", "integration", GOOD_BODY, "publish");
        f.retain(|(k, _)| *k != "lang" && *k != "slug");
        let p = admin.post(&format!("/admin/articles/{id}"), &f).await;
        assert_eq!(p.status, 303, "{}", p.body);
        let page = reader.get("/en/articles/integration").await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Integration after a trial"));
        assert!(reader
            .get("/en/articles")
            .await
            .body
            .contains("/en/articles/integration"));
        let feed = reader.get("/en/articles/feed.xml").await;
        assert!(feed
            .body
            .contains("<title type=\"text\">Integration after a trial</title>"));

        // Edited: the text changes; the language and address stay.
        let mut f = form(
            "en",
            "integration",
            "Shorter now ([M](#ref-mitchell2023)).",
            "publish",
        );
        f.retain(|(k, _)| *k != "slug");
        f[0] = ("lang", "nb");
        let p = admin.post(&format!("/admin/articles/{id}"), &f).await;
        assert_eq!(p.status, 303);
        assert!(reader
            .get("/en/articles/integration")
            .await
            .body
            .contains("Shorter now"));
        assert_eq!(reader.get("/nb/articles/integration").await.status, 404);

        // Unpublished, published again and deleted from the list.
        admin.get("/admin/articles").await;
        let p = admin
            .post(
                &format!("/admin/articles/{id}/status"),
                &[("status", "draft")],
            )
            .await;
        assert_eq!(p.status, 303);
        assert_eq!(reader.get("/en/articles/integration").await.status, 404);
        admin
            .post(
                &format!("/admin/articles/{id}/status"),
                &[("status", "published")],
            )
            .await;
        assert_eq!(reader.get("/en/articles/integration").await.status, 200);
        let p = admin
            .post(&format!("/admin/articles/{id}/delete"), &[])
            .await;
        assert_eq!(p.status, 303);
        assert_eq!(reader.get("/en/articles/integration").await.status, 404);
        assert_eq!(admin.get(&edit).await.status, 404);

        let who = app.admin.id.clone();
        let trail: Vec<(String, String, String)> = article_events(&app).await;
        let expected: Vec<(String, String, String)> = [
            "create",
            "update",
            "publish",
            "update",
            "unpublish",
            "publish",
            "delete",
        ]
        .iter()
        .map(|a| (a.to_string(), id.clone(), who.clone()))
        .collect();
        assert_eq!(trail, expected, "{backend}");
        assert!(app.store.verify_audit().await.unwrap().is_ok());
        app.cleanup().await;
    }
}

#[tokio::test]
async fn the_feed_is_valid_atom_to_feedparser_in_every_language_and_its_ids_survive_an_edit() {
    for backend in backends() {
        let app = spawn(backend).await;
        let mut b = app.browser();
        let own = app
            .store
            .create_article(
                &app.admin.actor,
                input("en", "our-news", "2026-11-25", "Our news"),
                ArticleStatus::Published,
            )
            .await
            .unwrap();
        let mut first_ids = Vec::new();
        for lang in built_in_langs() {
            let tag = lang.tag();
            let p = b.get(&format!("/{tag}/articles/feed.xml")).await;
            assert_eq!(p.status, 200);
            assert_eq!(
                p.headers["content-type"].to_str().unwrap(),
                "application/atom+xml; charset=utf-8"
            );
            assert!(p
                .body
                .starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
            assert!(p.body.contains(&format!("xml:lang=\"{tag}\"")));
            let Some(feed) = parse_feed(&p.body) else {
                continue;
            };
            assert_eq!(
                feed["bozo"], false,
                "{backend} {tag}: {}",
                feed["bozo_exception"]
            );
            assert_eq!(feed["version"], "atom10");
            assert_eq!(
                feed["feed"]["id"],
                format!("{}/{tag}/articles/feed.xml", app.base)
            );
            assert_eq!(feed["feed"]["language"], tag);
            assert!(feed["feed"]["updated"].as_i64().is_some());
            let links = feed["feed"]["links"].as_array().unwrap();
            assert!(links.iter().any(|l| l["rel"] == "self"
                && l["href"] == format!("{}/{tag}/articles/feed.xml", app.base)));
            assert!(links
                .iter()
                .any(|l| l["rel"] == "alternate"
                    && l["href"] == format!("{}/{tag}/articles", app.base)));
            let entries = feed["entries"].as_array().unwrap();
            let expected = if lang == Lang::En { 3 } else { 2 };
            assert_eq!(entries.len(), expected, "{backend} {tag}");
            let mut ids = std::collections::BTreeSet::new();
            for e in entries {
                for field in [
                    "id",
                    "title",
                    "link",
                    "updated",
                    "published",
                    "summary",
                    "author",
                ] {
                    assert!(
                        !e[field].is_null(),
                        "{backend} {tag}: an entry without {field}: {e}"
                    );
                }
                assert!(
                    e["id"]
                        .as_str()
                        .unwrap()
                        .starts_with("tag:127.0.0.1,2026-11-"),
                    "{e}"
                );
                assert!(
                    e["link"]
                        .as_str()
                        .unwrap()
                        .starts_with(&format!("{}/{tag}/articles/", app.base)),
                    "{e}"
                );
                assert!(e["updated"].as_i64() >= e["published"].as_i64(), "{e}");
                assert!(!e["tags"].as_array().unwrap().is_empty());
                assert!(e["content"][0].as_str().unwrap().contains("<a href="));
                assert!(
                    ids.insert(e["id"].as_str().unwrap().to_string()),
                    "unique ids: {e}"
                );
            }
            // Newest first; one address per entry, the article in the feed's language.
            let published: Vec<i64> = entries
                .iter()
                .map(|e| e["published"].as_i64().unwrap())
                .collect();
            assert!(published.windows(2).all(|w| w[0] >= w[1]), "{published:?}");
            let built_in = entries
                .iter()
                .find(|e| e["link"].as_str().unwrap().ends_with(BUILT_IN[0].0))
                .unwrap();
            assert_eq!(
                built_in["published"], 1_795_042_800,
                "2026-11-19 at midnight in Oslo"
            );
            let alternates: Vec<&Value> = built_in["links"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|l| l["rel"] == "alternate")
                .collect();
            assert_eq!(alternates.len(), 1, "{built_in}");
            assert_eq!(alternates[0]["href"], built_in["link"]);
            // The content carries the references its citations name.
            let content = built_in["content"][0].as_str().unwrap();
            assert!(content.contains("id=\"ref-so-ketamine\""), "{content}");
            first_ids.push((tag, ids, entries.clone()));
        }

        // An edit changes the entry's updated time, never its id; nor do the other entries' ids change.
        tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
        let mut changed = input("en", "our-news", "2026-11-26", "Our news, corrected");
        changed.body.push_str(" A correction.");
        app.store
            .update_article(&app.admin.actor, &own.id, changed, ArticleStatus::Published)
            .await
            .unwrap();
        for (tag, ids, before) in &first_ids {
            let p = b.get(&format!("/{tag}/articles/feed.xml")).await;
            let feed = parse_feed(&p.body).unwrap();
            assert_eq!(feed["bozo"], false);
            let after = feed["entries"].as_array().unwrap();
            let now: std::collections::BTreeSet<String> = after
                .iter()
                .map(|e| e["id"].as_str().unwrap().to_string())
                .collect();
            assert_eq!(
                &now, ids,
                "{backend} {tag}: the ids stay the same after an edit"
            );
            if *tag == "en" {
                let find = |list: &[Value]| {
                    list.iter()
                        .find(|e| e["link"].as_str().unwrap().ends_with("/our-news"))
                        .cloned()
                        .unwrap()
                };
                let (old, new) = (find(before), find(after));
                assert_eq!(old["id"], new["id"]);
                assert_eq!(
                    new["id"],
                    format!("tag:127.0.0.1,2026-11-25:en/articles/our-news")
                );
                assert_eq!(new["title"], "Our news, corrected");
                assert!(
                    new["updated"].as_i64() > old["updated"].as_i64(),
                    "{old} {new}"
                );
                assert!(feed["feed"]["updated"].as_i64() >= new["updated"].as_i64());
            }
        }
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_practice_s_own_article_replaces_the_file_of_the_same_language_and_slug_and_keeps_its_feed_id(
) {
    let dir = std::env::temp_dir().join(format!("ferd-articles-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(dir.join("en/articles")).unwrap();
    std::fs::write(
        dir.join("en/articles/from-the-folder.md"),
        "+++\ntitle = \"From the folder\"\nsummary = \"A file of the practice's own.\"\npublished = \"2026-11-21\"\nreviewed = \"2026-11-21\"\ntags = [\"folder\"]\ndraft = true\n\n[[references]]\nid = \"own\"\ntext = \"Own notes.\"\n+++\nCites [own](#ref-own).\n",
    )
    .unwrap();
    let content = dir.clone();
    let app = spawn_with("sqlite", move |c| c.content_dir = Some(content)).await;
    let mut reader = app.browser();
    // A draft in the folder is a draft on the site.
    assert_eq!(reader.get("/en/articles/from-the-folder").await.status, 404);
    let mut staff = app.signed_in(&app.therapist).await;
    assert!(staff
        .get("/en/articles/from-the-folder")
        .await
        .body
        .contains("draft-banner"));

    let (slug, published) = BUILT_IN[0];
    let before = reader.get("/nb/articles/feed.xml").await.body;
    let id_of = |xml: &str| {
        let i = xml.find(&format!("/nb/articles/{slug}\"/>")).unwrap();
        let entry = &xml[..i];
        let start = entry.rfind("<id>").unwrap() + 4;
        entry[start..start + entry[start..].find("</id>").unwrap()].to_string()
    };
    let id = id_of(&before);
    // The admin starts from a copy of the built-in Norwegian article and publishes it with the same date.
    let mut admin = app.signed_in(&app.admin).await;
    let list = admin.get("/admin/articles").await;
    assert!(list
        .body
        .contains(&format!("/admin/articles/new?from=nb/{slug}")));
    let copy = admin
        .get(&format!("/admin/articles/new?from=nb/{slug}"))
        .await;
    assert!(copy.body.contains(&format!("value=\"{published}\"")));
    let mut own = input("nb", slug, published, "Praksisens egen versjon");
    own.body = "Vår egen tekst ([egen](#ref-own)).".into();
    app.store
        .create_article(&app.admin.actor, own, ArticleStatus::Published)
        .await
        .unwrap();
    let p = reader.get(&format!("/nb/articles/{slug}")).await;
    assert!(p.body.contains("Vår egen tekst"), "{}", p.body);
    assert!(!reader
        .get(&format!("/en/articles/{slug}"))
        .await
        .body
        .contains("Vår egen tekst"));
    let after = reader.get("/nb/articles/feed.xml").await.body;
    assert_eq!(
        id_of(&after),
        id,
        "the practice's version keeps the feed id"
    );
    assert_eq!(
        after.matches("<entry>").count(),
        before.matches("<entry>").count()
    );
    let _ = std::fs::remove_dir_all(&dir);
    app.cleanup().await;
}

#[tokio::test]
async fn the_sitemap_lists_every_published_article_with_its_language_versions() {
    let app = spawn("sqlite").await;
    app.store
        .create_article(
            &app.admin.actor,
            input("en", "our-news", "2026-11-25", "Our news"),
            ArticleStatus::Published,
        )
        .await
        .unwrap();
    let mut b = app.browser();
    let p = b.get("/sitemap.xml").await;
    let all = locs(&p.body);
    for lang in built_in_langs() {
        assert!(all.contains(&format!("{}/{}/articles", app.base, lang.tag())));
        for (slug, _) in BUILT_IN {
            let loc = format!("{}/{}/articles/{slug}", app.base, lang.tag());
            assert!(all.contains(&loc), "{loc}");
        }
    }
    assert!(all.contains(&format!("{}/en/articles/our-news", app.base)));
    assert!(!all.contains(&format!("{}/nb/articles/our-news", app.base)));
    let entry = p
        .body
        .split("<url>")
        .find(|u| u.contains("/en/articles/mdma-therapy-after-the-fda-decision</loc>"))
        .unwrap();
    assert!(entry.contains("<lastmod>2026-11-26</lastmod>"), "{entry}");
    assert!(entry.contains("hreflang=\"nb\""));
    for loc in all {
        assert_eq!(b.get(&loc[app.base.len()..]).await.status, 200, "{loc}");
    }
    let site = Site::load(None).unwrap();
    // Both built-in articles are published in bokmål and English.
    assert!(built_in_langs().contains(&Lang::Nb) && built_in_langs().contains(&Lang::En));
    assert_eq!(
        site.file_articles().filter(|a| !a.draft).count(),
        BUILT_IN.len() * built_in_langs().len()
    );
    app.cleanup().await;
}

//! The public information site's content: Markdown pages with TOML front matter, `content/<lang>/<slug>.md`,
//! embedded in the binary and overridable, file by file, from a practice's own content folder.
//!
//! A page's front matter gives its title, a description for search engines, the date it was last reviewed, its
//! navigation label and position, and its references; the body is CommonMark with tables. Raw HTML in a body is
//! shown as text, never passed through; links may only go to this site, an in-page anchor, `https:`, `mailto:` or
//! `tel:`; images only to the practice's own `/media/` folder. Every `#ref-…` link must name one of the page's
//! references and every reference must be cited, so a page cannot list a source it does not use.
//!
//! `{{ practice }}` anywhere in a page becomes the practice's name when the page is shown.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Deserialize;

use crate::i18n::Lang;

/// The pages compiled into the binary: (`<lang>/<slug>.md`, text), from the repository's `content/` folder.
const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/content_files.rs"));

/// The text of a built-in page, `<lang>/<slug>` (e.g. `nb/about`), to start a practice's own version from.
pub fn embedded_text(page: &str) -> Option<&'static str> {
    let name = format!("{page}.md");
    EMBEDDED.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// The signed start time the inquiry form carries: `<ms>.<tag>`, the tag a keyed hash of the time, so a robot cannot
/// claim it opened the form long ago.
pub fn form_start_token(keys: &ferd_store::Keyring, ms: i64) -> String {
    format!(
        "{ms}.{}",
        keys.tag("inquiry-form-start", ms.to_string().as_bytes())
    )
}

/// When the form carrying `token` was shown, if the token is genuine.
pub fn form_started_at(keys: &ferd_store::Keyring, token: &str) -> Option<i64> {
    let (ms, _) = token.split_once('.')?;
    let ms: i64 = ms.parse().ok()?;
    crate::auth::same(token, &form_start_token(keys, ms)).then_some(ms)
}

/// The placeholder for the practice's name.
pub const PRACTICE_PLACEHOLDER: &str = "{{ practice }}";

/// Why the content could not be loaded: which file, and what is wrong with it.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ContentError {
    pub file: String,
    pub message: String,
}

/// One of a page's sources.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// The anchor (`#ref-<id>`) the body cites it by.
    pub id: String,
    /// The citation as a reader sees it.
    pub text: String,
    /// Where to read it, if it is online.
    pub url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    description: String,
    reviewed: String,
    nav: String,
    order: u32,
    #[serde(default)]
    references: Vec<Reference>,
}

/// A page in one language.
#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub lang: Lang,
    pub title: String,
    pub description: String,
    /// The date the text was last checked against its sources, `YYYY-MM-DD`.
    pub reviewed: String,
    /// The label in the site's navigation.
    pub nav: String,
    /// The position in the navigation.
    pub order: u32,
    pub references: Vec<Reference>,
    /// The Markdown body (rendered when shown, with the practice's name in place).
    body: String,
    /// Where it came from: `embedded` or the override file's path (for error messages and the admin).
    pub source: String,
}

impl Page {
    /// The page's address in its own language.
    pub fn path(&self) -> String {
        page_path(self.lang, &self.slug)
    }

    /// The title with the practice's name in place.
    pub fn title_for(&self, practice: &str) -> String {
        self.title.replace(PRACTICE_PLACEHOLDER, practice)
    }

    /// The description with the practice's name in place.
    pub fn description_for(&self, practice: &str) -> String {
        self.description.replace(PRACTICE_PLACEHOLDER, practice)
    }

    /// The body as HTML, with the practice's name in place. The name is escaped as Markdown text, so it cannot
    /// add markup of its own.
    pub fn html_for(&self, practice: &str) -> String {
        let body = self
            .body
            .replace(PRACTICE_PLACEHOLDER, &escape_markdown(practice));
        render(&body)
    }
}

/// The address of a page: `/<lang>/` for the home page, `/<lang>/<slug>` for the others.
pub fn page_path(lang: Lang, slug: &str) -> String {
    if slug == "index" {
        format!("/{}/", lang.tag())
    } else {
        format!("/{}/{slug}", lang.tag())
    }
}

/// A page as shown at an address: in the address's language, or in another language when no translation exists.
#[derive(Debug, Clone, Copy)]
pub struct Shown<'a> {
    pub page: &'a Page,
    /// The page is in another language than the address asked for.
    pub fallback: bool,
}

/// All pages in all languages.
#[derive(Debug, Clone)]
pub struct Site {
    pages: BTreeMap<(Lang, String), Page>,
    /// Where the practice's images are, if it has a content folder.
    media: Option<PathBuf>,
}

impl Site {
    /// The embedded pages, with any page in `override_dir` (`<lang>/<slug>.md`) in place of the embedded one of
    /// the same language and slug (or added, for a slug of the practice's own). Any malformed file is an error
    /// that names it.
    pub fn load(override_dir: Option<&Path>) -> Result<Site, ContentError> {
        let mut pages = BTreeMap::new();
        for (name, text) in EMBEDDED {
            let (lang, slug) = name_parts(name).ok_or_else(|| ContentError {
                file: format!("content/{name}"),
                message: "must be content/<nb|sv|en>/<slug>.md".into(),
            })?;
            let page =
                parse_page(lang, &slug, text, "embedded").map_err(|message| ContentError {
                    file: format!("content/{name}"),
                    message,
                })?;
            pages.insert((lang, slug), page);
        }
        let mut media = None;
        if let Some(dir) = override_dir {
            for lang in Lang::ALL {
                let folder = dir.join(lang.tag());
                let Ok(entries) = std::fs::read_dir(&folder) else {
                    continue;
                };
                let mut files: Vec<PathBuf> = entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "md"))
                    .collect();
                files.sort();
                for path in files {
                    let shown = path.display().to_string();
                    let slug = path
                        .file_stem()
                        .and_then(|s| s.to_str())
                        .filter(|s| valid_slug(s))
                        .ok_or_else(|| ContentError {
                            file: shown.clone(),
                            message: "the file name must be a slug: lowercase letters, digits and hyphens, then .md"
                                .into(),
                        })?
                        .to_string();
                    let text = std::fs::read_to_string(&path).map_err(|e| ContentError {
                        file: shown.clone(),
                        message: format!("cannot be read: {e}"),
                    })?;
                    let page =
                        parse_page(lang, &slug, &text, &shown).map_err(|message| ContentError {
                            file: shown.clone(),
                            message,
                        })?;
                    pages.insert((lang, slug), page);
                }
            }
            let m = dir.join("media");
            if m.is_dir() {
                media = Some(m);
            }
        }
        for required in ["index", "contact", "privacy"] {
            if !Lang::ALL
                .iter()
                .any(|l| pages.contains_key(&(*l, required.to_string())))
            {
                return Err(ContentError {
                    file: format!("content/<lang>/{required}.md"),
                    message: "the site needs this page in at least one language".into(),
                });
            }
        }
        Ok(Site { pages, media })
    }

    /// The page at `/<lang>/<slug>`: the translation if there is one, else the page in English, else in another
    /// language ([`Lang::fallbacks`]'s order).
    pub fn page(&self, lang: Lang, slug: &str) -> Option<Shown<'_>> {
        if let Some(page) = self.pages.get(&(lang, slug.to_string())) {
            return Some(Shown {
                page,
                fallback: false,
            });
        }
        lang.fallbacks()
            .find_map(|l| self.pages.get(&(l, slug.to_string())))
            .map(|page| Shown {
                page,
                fallback: true,
            })
    }

    /// Every slug, in navigation order (then alphabetically).
    pub fn slugs(&self) -> Vec<String> {
        let mut by_order: BTreeMap<(u32, String), ()> = BTreeMap::new();
        for ((_, slug), page) in &self.pages {
            let order = Lang::ALL
                .iter()
                .filter_map(|l| self.pages.get(&(*l, slug.clone())))
                .map(|p| p.order)
                .min()
                .unwrap_or(page.order);
            by_order.insert((order, slug.clone()), ());
        }
        by_order.into_keys().map(|(_, s)| s).collect()
    }

    /// Every page written in `lang` (no fallbacks), in navigation order.
    pub fn pages_in(&self, lang: Lang) -> Vec<&Page> {
        self.slugs()
            .iter()
            .filter_map(|s| self.pages.get(&(lang, s.clone())))
            .collect()
    }

    /// The languages a slug is written in.
    pub fn languages_of(&self, slug: &str) -> Vec<Lang> {
        Lang::ALL
            .iter()
            .copied()
            .filter(|l| self.pages.contains_key(&(*l, slug.to_string())))
            .collect()
    }

    /// The practice's image folder, if it has one.
    pub fn media_dir(&self) -> Option<&Path> {
        self.media.as_deref()
    }
}

fn name_parts(name: &str) -> Option<(Lang, String)> {
    let (lang, file) = name.split_once('/')?;
    let lang = Lang::ALL.into_iter().find(|l| l.tag() == lang)?;
    let slug = file.strip_suffix(".md")?;
    valid_slug(slug).then(|| (lang, slug.to_string()))
}

/// A slug: 1–60 lowercase ASCII letters, digits and hyphens, not starting or ending with a hyphen.
pub fn valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 60
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn valid_ref_id(s: &str) -> bool {
    valid_slug(s)
}

/// Parses and checks one page file.
fn parse_page(lang: Lang, slug: &str, text: &str, source: &str) -> Result<Page, String> {
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n");
    let rest = text
        .strip_prefix("+++\n")
        .ok_or("must start with a front matter block between lines of +++")?;
    let (front, body) = rest
        .split_once("\n+++\n")
        .or_else(|| rest.strip_suffix("\n+++").map(|f| (f, "")))
        .ok_or("the front matter block has no closing line of +++")?;
    let fm: FrontMatter =
        toml::from_str(front).map_err(|e| format!("front matter: {}", e.message()))?;
    let title = fm.title.trim().to_string();
    if title.is_empty() || title.chars().count() > 120 {
        return Err("title: must be 1–120 characters".into());
    }
    let description = fm.description.trim().to_string();
    if description.is_empty() || description.chars().count() > 300 {
        return Err("description: must be 1–300 characters".into());
    }
    if ferd_core::calendar::Day::parse(&fm.reviewed).is_err() {
        return Err(format!(
            "reviewed: '{}' is not a date written YYYY-MM-DD",
            fm.reviewed
        ));
    }
    let nav = fm.nav.trim().to_string();
    if nav.is_empty() || nav.chars().count() > 40 {
        return Err("nav: must be 1–40 characters".into());
    }
    let mut ids = std::collections::BTreeSet::new();
    for r in &fm.references {
        if !valid_ref_id(&r.id) {
            return Err(format!(
                "references: id '{}' must be lowercase letters, digits and hyphens",
                r.id
            ));
        }
        if !ids.insert(r.id.clone()) {
            return Err(format!("references: id '{}' is used twice", r.id));
        }
        if r.text.trim().is_empty() {
            return Err(format!("references: '{}' has no text", r.id));
        }
        if let Some(url) = &r.url {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(format!(
                    "references: the url of '{}' must start with https:// or http://",
                    r.id
                ));
            }
        }
    }
    let cited = check_body(body)?;
    for id in &cited {
        if !ids.contains(id) {
            return Err(format!(
                "the body cites #ref-{id}, but no reference has the id '{id}'"
            ));
        }
    }
    if let Some(unused) = ids.iter().find(|id| !cited.contains(*id)) {
        return Err(format!(
            "reference '{unused}' is listed but never cited (link to it with [text](#ref-{unused}))"
        ));
    }
    Ok(Page {
        slug: slug.to_string(),
        lang,
        title,
        description,
        reviewed: fm.reviewed,
        nav,
        order: fm.order,
        references: fm.references,
        body: body.to_string(),
        source: source.to_string(),
    })
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

fn link_allowed(url: &str) -> bool {
    (url.starts_with('/') && !url.starts_with("//"))
        || url.starts_with('#')
        || url.starts_with("https://")
        || url.starts_with("http://")
        || url.starts_with("mailto:")
        || url.starts_with("tel:")
}

/// Checks a body's links and images; returns the reference ids it cites.
fn check_body(body: &str) -> Result<std::collections::BTreeSet<String>, String> {
    let mut cited = std::collections::BTreeSet::new();
    for event in Parser::new_ext(body, options()) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                if !link_allowed(&dest_url) {
                    return Err(format!(
                        "the link to '{dest_url}' is not allowed: use a path on this site (/…), #anchor, https://, mailto: or tel:"
                    ));
                }
                if let Some(id) = dest_url.strip_prefix("#ref-") {
                    cited.insert(id.to_string());
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) if !dest_url.starts_with("/media/") => {
                return Err(format!(
                    "the image '{dest_url}' must be in the practice's media folder (/media/…)"
                ));
            }
            _ => {}
        }
    }
    Ok(cited)
}

/// Renders a checked body: raw HTML becomes text, a level-1 heading becomes level 2 (the title is the page's only
/// h1), and a table is wrapped so it scrolls on a narrow screen instead of widening the page.
fn render(body: &str) -> String {
    let mut disallowed_link_depth = 0usize;
    let events = Parser::new_ext(body, options()).flat_map(|event| {
        let out: Vec<Event> = match event {
            Event::Html(h) | Event::InlineHtml(h) => vec![Event::Text(h)],
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                id,
                classes,
                attrs,
            }) => vec![Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                id,
                classes,
                attrs,
            })],
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => {
                vec![Event::End(TagEnd::Heading(HeadingLevel::H2))]
            }
            Event::Start(Tag::Link { ref dest_url, .. }) if !link_allowed(dest_url) => {
                disallowed_link_depth += 1;
                vec![]
            }
            Event::End(TagEnd::Link) if disallowed_link_depth > 0 => {
                disallowed_link_depth -= 1;
                vec![]
            }
            Event::Start(Tag::Table(a)) => vec![
                Event::Html(r#"<div class="table-wrap" tabindex="0">"#.into()),
                Event::Start(Tag::Table(a)),
            ],
            Event::End(TagEnd::Table) => {
                vec![Event::End(TagEnd::Table), Event::Html("</div>".into())]
            }
            other => vec![other],
        };
        out
    });
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// Escapes text so Markdown reads it as plain text (CommonMark lets any ASCII punctuation be escaped).
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        if c == '\n' || c == '\r' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str, refs: &str) -> Result<Page, String> {
        let text = format!(
            "+++\ntitle = \"T\"\ndescription = \"D\"\nreviewed = \"2026-11-26\"\nnav = \"N\"\norder = 1\n{refs}+++\n{body}"
        );
        parse_page(Lang::En, "t", &text, "test")
    }

    const ONE_REF: &str = "[[references]]\nid = \"a\"\ntext = \"A source.\"\n";

    #[test]
    fn raw_html_in_a_body_is_shown_as_text_not_markup() {
        let p = page("Hi <script>alert(1)</script> [a](#ref-a)", ONE_REF).unwrap();
        let html = p.html_for("X");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn the_practice_name_cannot_add_markup_or_links() {
        let p = page("Welcome to {{ practice }}. [a](#ref-a)", ONE_REF).unwrap();
        let html = p.html_for("Evil [link](https://x.example) <b>bold</b> *em*");
        assert!(!html.contains("<a href=\"https://x.example\""), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(!html.contains("<em>"), "{html}");
        assert!(
            html.contains("Evil [link](https://x.example) &lt;b&gt;bold&lt;/b&gt; *em*"),
            "{html}"
        );
    }

    #[test]
    fn a_javascript_link_is_refused_with_the_reason() {
        let e = page("[x](javascript:alert(1)) [a](#ref-a)", ONE_REF).unwrap_err();
        assert!(e.contains("not allowed"), "{e}");
    }

    #[test]
    fn a_citation_of_a_missing_reference_and_an_uncited_reference_are_both_refused() {
        let e = page("See [b](#ref-b).", ONE_REF).unwrap_err();
        assert!(e.contains("#ref-b"), "{e}");
        let e = page("No citation here.", ONE_REF).unwrap_err();
        assert!(e.contains("never cited"), "{e}");
    }

    #[test]
    fn a_bad_date_an_unknown_key_and_missing_front_matter_are_named() {
        let text = "+++\ntitle = \"T\"\ndescription = \"D\"\nreviewed = \"26.11.2026\"\nnav = \"N\"\norder = 1\n+++\nx";
        assert!(parse_page(Lang::En, "t", text, "t")
            .unwrap_err()
            .contains("reviewed"));
        let text = "+++\ntitle = \"T\"\ndescription = \"D\"\nreviewed = \"2026-11-26\"\nnav = \"N\"\norder = 1\nauthor = \"me\"\n+++\nx";
        assert!(parse_page(Lang::En, "t", text, "t")
            .unwrap_err()
            .contains("author"));
        assert!(parse_page(Lang::En, "t", "# Just markdown", "t")
            .unwrap_err()
            .contains("+++"));
    }

    #[test]
    fn a_level_one_heading_in_a_body_becomes_level_two_and_tables_are_wrapped() {
        let p = page(
            "# Big\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[a](#ref-a)",
            ONE_REF,
        )
        .unwrap();
        let html = p.html_for("X");
        assert!(
            html.contains("<h2>Big</h2>") && !html.contains("<h1>"),
            "{html}"
        );
        assert!(
            html.contains(r#"<div class="table-wrap" tabindex="0"><table>"#),
            "{html}"
        );
    }

    #[test]
    fn every_embedded_page_parses() {
        let site = Site::load(None).unwrap();
        assert!(site.page(Lang::En, "index").is_some());
        assert!(site.page(Lang::Nb, "privacy").is_some());
    }
}

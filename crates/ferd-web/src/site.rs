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
//!
//! Articles (`content/<lang>/articles/<slug>.md`) are dated pieces with a summary, tags and references, checked and
//! rendered by the same rules; the same slug in two languages is one article in two language versions. An article
//! written in the admin interface goes through [`check_article`] too, so a preview, a stored article and a file
//! can never be held to different rules.

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

/// Something in a page or an article that breaks a rule, with the field it is in. Shown in English for a file
/// (its `Display`) and in the reader's language in the admin's form ([`Problem::message`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Too short or too long.
    Length {
        field: &'static str,
        min: usize,
        max: usize,
    },
    /// Not a date written `YYYY-MM-DD`.
    Date { field: &'static str, value: String },
    /// Not one of the site's languages.
    Lang { value: String },
    /// Not a slug.
    Slug,
    /// A tag that is empty, too long or has a comma.
    Tag { value: String },
    /// More tags than an article may have.
    TooManyTags { max: usize },
    /// The same tag twice.
    TagTwice { value: String },
    /// A reference id that is not lowercase letters, digits and hyphens.
    RefId { id: String },
    /// Two references with one id.
    RefTwice { id: String },
    /// A reference without its citation text.
    RefNoText { id: String },
    /// A reference whose address is not a web address.
    RefUrl { id: String },
    /// A link to somewhere a page may not link.
    LinkNotAllowed { url: String },
    /// An image from outside the practice's media folder.
    ImageOutside { url: String },
    /// A citation of a reference the page does not list.
    CitesMissing { id: String },
    /// A reference listed but never cited.
    Uncited { id: String },
}

impl Problem {
    /// The field the problem is in (the form field it is shown beside).
    pub fn field(&self) -> &'static str {
        match self {
            Problem::Length { field, .. } | Problem::Date { field, .. } => field,
            Problem::Lang { .. } => "lang",
            Problem::Slug => "slug",
            Problem::Tag { .. } | Problem::TooManyTags { .. } | Problem::TagTwice { .. } => "tags",
            Problem::RefId { .. }
            | Problem::RefTwice { .. }
            | Problem::RefNoText { .. }
            | Problem::RefUrl { .. }
            | Problem::Uncited { .. } => "references",
            Problem::LinkNotAllowed { .. }
            | Problem::ImageOutside { .. }
            | Problem::CitesMissing { .. } => "body",
        }
    }

    /// The problem in the reader's language (without the field's name, which the form shows beside it).
    pub fn message(&self, tr: &crate::i18n::Tr) -> String {
        match self {
            Problem::Length { min, max, .. } => {
                tr.t2("article-problem-length", "min", min, "max", max)
            }
            Problem::Date { value, .. } => tr.t1("article-problem-date", "value", value),
            Problem::Lang { .. } => tr.t("article-problem-lang"),
            Problem::Slug => tr.t("article-problem-slug"),
            Problem::Tag { value } => tr.t1("article-problem-tag", "value", value),
            Problem::TooManyTags { max } => tr.t1("article-problem-tags-many", "max", max),
            Problem::TagTwice { value } => tr.t1("article-problem-tag-twice", "value", value),
            Problem::RefId { id } => tr.t1("article-problem-ref-id", "id", id),
            Problem::RefTwice { id } => tr.t1("article-problem-ref-twice", "id", id),
            Problem::RefNoText { id } => tr.t1("article-problem-ref-no-text", "id", id),
            Problem::RefUrl { id } => tr.t1("article-problem-ref-url", "id", id),
            Problem::LinkNotAllowed { url } => tr.t1("article-problem-link", "url", url),
            Problem::ImageOutside { url } => tr.t1("article-problem-image", "url", url),
            Problem::CitesMissing { id } => tr.t1("article-problem-cites-missing", "id", id),
            Problem::Uncited { id } => tr.t1("article-problem-uncited", "id", id),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Length { field, min, max } => {
                write!(f, "{field}: must be {min}–{max} characters")
            }
            Problem::Date { field, value } => {
                write!(f, "{field}: '{value}' is not a date written YYYY-MM-DD")
            }
            Problem::Lang { value } => {
                write!(f, "lang: '{value}' is not one of the site's languages")
            }
            Problem::Slug => write!(
                f,
                "slug: must be 1–60 lowercase letters, digits and hyphens, not starting or ending with a hyphen"
            ),
            Problem::Tag { value } => write!(
                f,
                "tags: '{value}' must be 1–{MAX_TAG_CHARS} characters without a comma"
            ),
            Problem::TooManyTags { max } => write!(f, "tags: at most {max}"),
            Problem::TagTwice { value } => write!(f, "tags: '{value}' is there twice"),
            Problem::RefId { id } => write!(
                f,
                "references: id '{id}' must be lowercase letters, digits and hyphens"
            ),
            Problem::RefTwice { id } => write!(f, "references: id '{id}' is used twice"),
            Problem::RefNoText { id } => write!(f, "references: '{id}' has no text"),
            Problem::RefUrl { id } => write!(
                f,
                "references: the url of '{id}' must start with https:// or http://"
            ),
            Problem::LinkNotAllowed { url } => write!(
                f,
                "the link to '{url}' is not allowed: use a path on this site (/…), #anchor, https://, mailto: or tel:"
            ),
            Problem::ImageOutside { url } => write!(
                f,
                "the image '{url}' must be in the practice's media folder (/media/…)"
            ),
            Problem::CitesMissing { id } => write!(
                f,
                "the body cites #ref-{id}, but no reference has the id '{id}'"
            ),
            Problem::Uncited { id } => write!(
                f,
                "reference '{id}' is listed but never cited (link to it with [text](#ref-{id}))"
            ),
        }
    }
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

/// The most tags an article may have.
pub const MAX_TAGS: usize = 12;
/// The longest tag.
pub const MAX_TAG_CHARS: usize = 40;
/// The longest article body, in characters.
pub const MAX_ARTICLE_CHARS: usize = 200_000;

/// Where an article comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArticleOrigin {
    /// A file: `embedded` (built in) or its path in the practice's content folder.
    File(String),
    /// Written in the admin interface.
    Practice {
        /// Its id in the store.
        id: String,
        /// The date it was first published, which its feed id is built on (none until it is).
        first_published: Option<String>,
        /// Its last change, Unix ms.
        updated_at: i64,
    },
}

/// An article's fields as written, before they are checked: from a file's front matter or the admin's form.
#[derive(Debug, Clone, Default)]
pub struct ArticleFields {
    pub title: String,
    pub summary: String,
    pub tags: Vec<String>,
    /// `YYYY-MM-DD`.
    pub published: String,
    /// `YYYY-MM-DD`.
    pub reviewed: String,
    /// The byline; none (or empty) shows the practice's name.
    pub author: Option<String>,
    pub references: Vec<Reference>,
    pub body: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticleFrontMatter {
    title: String,
    summary: String,
    published: String,
    reviewed: String,
    #[serde(default)]
    tags: Vec<String>,
    author: Option<String>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    references: Vec<Reference>,
}

/// An article in one language, checked.
#[derive(Debug, Clone)]
pub struct Article {
    pub lang: Lang,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub tags: Vec<String>,
    /// `YYYY-MM-DD`.
    pub published: String,
    /// The date the text was last checked against its sources, `YYYY-MM-DD`.
    pub reviewed: String,
    pub author: Option<String>,
    pub references: Vec<Reference>,
    /// Seen only by the practice's staff.
    pub draft: bool,
    pub origin: ArticleOrigin,
    /// The Markdown body.
    body: String,
}

impl Article {
    /// The article's address.
    pub fn path(&self) -> String {
        article_path(self.lang, &self.slug)
    }

    /// The title with the practice's name in place.
    pub fn title_for(&self, practice: &str) -> String {
        self.title.replace(PRACTICE_PLACEHOLDER, practice)
    }

    /// The summary with the practice's name in place.
    pub fn summary_for(&self, practice: &str) -> String {
        self.summary.replace(PRACTICE_PLACEHOLDER, practice)
    }

    /// The body as HTML, rendered exactly as a page's is.
    pub fn html_for(&self, practice: &str) -> String {
        render(
            &self
                .body
                .replace(PRACTICE_PLACEHOLDER, &escape_markdown(practice)),
        )
    }

    /// The Markdown body as written.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The byline: the author, else the practice's name.
    pub fn byline(&self, practice: &str) -> String {
        self.author
            .clone()
            .filter(|a| !a.trim().is_empty())
            .unwrap_or_else(|| practice.to_string())
    }
}

/// The address of an article.
pub fn article_path(lang: Lang, slug: &str) -> String {
    format!("/{}/articles/{slug}", lang.tag())
}

/// The address of a language's article index.
pub fn articles_path(lang: Lang) -> String {
    format!("/{}/articles", lang.tag())
}

/// The address of a language's Atom feed.
pub fn feed_path(lang: Lang) -> String {
    format!("/{}/articles/feed.xml", lang.tag())
}

/// Checks an article's fields by the rules every page follows (title, dates, references, links, images) and an
/// article's own (summary, tags, byline, length). Used for files and for the admin's form alike, so the preview,
/// the stored article and a file can never be held to different rules.
pub fn check_article(
    lang: Lang,
    slug: &str,
    fields: ArticleFields,
    draft: bool,
    origin: ArticleOrigin,
) -> Result<Article, Problem> {
    if !valid_slug(slug) {
        return Err(Problem::Slug);
    }
    let title = text_field("title", &fields.title, 1, 120)?;
    let summary = text_field("summary", &fields.summary, 1, 300)?;
    let published = date_field("published", &fields.published)?;
    let reviewed = date_field("reviewed", &fields.reviewed)?;
    let author = match fields.author.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(a) => Some(text_field("author", a, 1, 120)?),
    };
    let mut tags: Vec<String> = Vec::new();
    for tag in &fields.tags {
        let t = tag.trim();
        if t.is_empty() || t.chars().count() > MAX_TAG_CHARS || t.contains(',') {
            return Err(Problem::Tag { value: tag.clone() });
        }
        if tags.iter().any(|x| x.to_lowercase() == t.to_lowercase()) {
            return Err(Problem::TagTwice {
                value: t.to_string(),
            });
        }
        tags.push(t.to_string());
    }
    if tags.len() > MAX_TAGS {
        return Err(Problem::TooManyTags { max: MAX_TAGS });
    }
    if fields.body.chars().count() > MAX_ARTICLE_CHARS {
        return Err(Problem::Length {
            field: "body",
            min: 0,
            max: MAX_ARTICLE_CHARS,
        });
    }
    check_sources(&fields.references, &fields.body)?;
    Ok(Article {
        lang,
        slug: slug.to_string(),
        title,
        summary,
        tags,
        published,
        reviewed,
        author,
        references: fields.references,
        draft,
        origin,
        body: fields.body,
    })
}

/// Parses and checks one article file.
fn parse_article(lang: Lang, slug: &str, text: &str, source: &str) -> Result<Article, String> {
    let (front, body) = split_front_matter(text)?;
    let fm: ArticleFrontMatter =
        toml::from_str(&front).map_err(|e| format!("front matter: {}", e.message()))?;
    let fields = ArticleFields {
        title: fm.title,
        summary: fm.summary,
        tags: fm.tags,
        published: fm.published,
        reviewed: fm.reviewed,
        author: fm.author,
        references: fm.references,
        body,
    };
    check_article(
        lang,
        slug,
        fields,
        fm.draft,
        ArticleOrigin::File(source.to_string()),
    )
    .map_err(|p| p.to_string())
}

/// A page as shown at an address: in the address's language, or in another language when no translation exists.
#[derive(Debug, Clone, Copy)]
pub struct Shown<'a> {
    pub page: &'a Page,
    /// The page is in another language than the address asked for.
    pub fallback: bool,
}

/// All pages and articles in all languages.
#[derive(Debug, Clone)]
pub struct Site {
    pages: BTreeMap<(Lang, String), Page>,
    /// The articles from files (built in, or in the practice's content folder), drafts included.
    articles: BTreeMap<(Lang, String), Article>,
    /// Where the practice's images are, if it has a content folder.
    media: Option<PathBuf>,
}

/// The Markdown files of a folder as (path shown in errors, slug, text), sorted by name; none if the folder does
/// not exist.
fn markdown_files(folder: &Path) -> Result<Vec<(String, String, String)>, ContentError> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Ok(Vec::new());
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let shown = path.display().to_string();
        let slug = path
            .file_stem()
            .and_then(|s| s.to_str())
            .filter(|s| valid_slug(s))
            .ok_or_else(|| ContentError {
                file: shown.clone(),
                message:
                    "the file name must be a slug: lowercase letters, digits and hyphens, then .md"
                        .into(),
            })?
            .to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| ContentError {
            file: shown.clone(),
            message: format!("cannot be read: {e}"),
        })?;
        out.push((shown, slug, text));
    }
    Ok(out)
}

impl Site {
    /// The embedded pages and articles, with any page in `override_dir` (`<lang>/<slug>.md`) or article
    /// (`<lang>/articles/<slug>.md`) in place of the embedded one of the same language and slug (or added, for a
    /// slug of the practice's own). Any malformed file is an error that names it.
    pub fn load(override_dir: Option<&Path>) -> Result<Site, ContentError> {
        let mut pages = BTreeMap::new();
        let mut articles = BTreeMap::new();
        for (name, text) in EMBEDDED {
            let file = format!("content/{name}");
            let located = |message: String| ContentError {
                file: file.clone(),
                message,
            };
            if let Some((lang, slug)) = article_name_parts(name) {
                let article = parse_article(lang, &slug, text, "embedded").map_err(located)?;
                articles.insert((lang, slug), article);
                continue;
            }
            let (lang, slug) = name_parts(name).ok_or_else(|| {
                located(
                    "must be content/<lang>/<slug>.md or content/<lang>/articles/<slug>.md".into(),
                )
            })?;
            let page = parse_page(lang, &slug, text, "embedded").map_err(located)?;
            pages.insert((lang, slug), page);
        }
        let mut media = None;
        if let Some(dir) = override_dir {
            for lang in Lang::ALL {
                let folder = dir.join(lang.tag());
                for (shown, slug, text) in markdown_files(&folder)? {
                    let page =
                        parse_page(lang, &slug, &text, &shown).map_err(|message| ContentError {
                            file: shown.clone(),
                            message,
                        })?;
                    pages.insert((lang, slug), page);
                }
                for (shown, slug, text) in markdown_files(&folder.join("articles"))? {
                    let article = parse_article(lang, &slug, &text, &shown).map_err(|message| {
                        ContentError {
                            file: shown.clone(),
                            message,
                        }
                    })?;
                    articles.insert((lang, slug), article);
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
        Ok(Site {
            pages,
            articles,
            media,
        })
    }

    /// The articles from files, drafts included, in every language (by language, then slug).
    pub fn file_articles(&self) -> impl Iterator<Item = &Article> {
        self.articles.values()
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

/// `<lang>/articles/<slug>.md` → the language and slug.
fn article_name_parts(name: &str) -> Option<(Lang, String)> {
    let (lang, file) = name.split_once("/articles/")?;
    let lang = Lang::ALL.into_iter().find(|l| l.tag() == lang)?;
    let slug = file.strip_suffix(".md")?;
    valid_slug(slug).then(|| (lang, slug.to_string()))
}

/// A slug: 1–60 lowercase ASCII letters, digits and hyphens, not starting or ending with a hyphen.
pub use ferd_core::ids::is_slug as valid_slug;

fn valid_ref_id(s: &str) -> bool {
    valid_slug(s)
}

/// Splits a file into its TOML front matter and its Markdown body (a byte-order mark and CRLF line ends are
/// accepted).
fn split_front_matter(text: &str) -> Result<(String, String), String> {
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
    Ok((front.to_string(), body.to_string()))
}

/// A trimmed text of `min`–`max` characters.
fn text_field(field: &'static str, value: &str, min: usize, max: usize) -> Result<String, Problem> {
    let v = value.trim();
    let n = v.chars().count();
    if n < min || n > max {
        return Err(Problem::Length { field, min, max });
    }
    Ok(v.to_string())
}

/// A date written `YYYY-MM-DD`.
fn date_field(field: &'static str, value: &str) -> Result<String, Problem> {
    let v = value.trim();
    if ferd_core::calendar::Day::parse(v).is_err() {
        return Err(Problem::Date {
            field,
            value: value.to_string(),
        });
    }
    Ok(v.to_string())
}

/// Checks a list of references and a body together: the references are well formed, the body's links and images
/// are allowed, every citation names a reference and every reference is cited.
fn check_sources(references: &[Reference], body: &str) -> Result<(), Problem> {
    let mut ids = std::collections::BTreeSet::new();
    for r in references {
        if !valid_ref_id(&r.id) {
            return Err(Problem::RefId { id: r.id.clone() });
        }
        if !ids.insert(r.id.clone()) {
            return Err(Problem::RefTwice { id: r.id.clone() });
        }
        if r.text.trim().is_empty() {
            return Err(Problem::RefNoText { id: r.id.clone() });
        }
        if let Some(url) = &r.url {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(Problem::RefUrl { id: r.id.clone() });
            }
        }
    }
    let cited = check_body(body)?;
    if let Some(id) = cited.iter().find(|id| !ids.contains(*id)) {
        return Err(Problem::CitesMissing { id: id.clone() });
    }
    if let Some(unused) = ids.iter().find(|id| !cited.contains(*id)) {
        return Err(Problem::Uncited { id: unused.clone() });
    }
    Ok(())
}

/// Parses and checks one page file.
fn parse_page(lang: Lang, slug: &str, text: &str, source: &str) -> Result<Page, String> {
    let (front, body) = split_front_matter(text)?;
    let fm: FrontMatter =
        toml::from_str(&front).map_err(|e| format!("front matter: {}", e.message()))?;
    let checked = (|| {
        let title = text_field("title", &fm.title, 1, 120)?;
        let description = text_field("description", &fm.description, 1, 300)?;
        let reviewed = date_field("reviewed", &fm.reviewed)?;
        let nav = text_field("nav", &fm.nav, 1, 40)?;
        check_sources(&fm.references, &body)?;
        Ok::<_, Problem>((title, description, reviewed, nav))
    })();
    let (title, description, reviewed, nav) = checked.map_err(|p| p.to_string())?;
    Ok(Page {
        slug: slug.to_string(),
        lang,
        title,
        description,
        reviewed,
        nav,
        order: fm.order,
        references: fm.references,
        body,
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
fn check_body(body: &str) -> Result<std::collections::BTreeSet<String>, Problem> {
    let mut cited = std::collections::BTreeSet::new();
    for event in Parser::new_ext(body, options()) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                if !link_allowed(&dest_url) {
                    return Err(Problem::LinkNotAllowed {
                        url: dest_url.to_string(),
                    });
                }
                if let Some(id) = dest_url.strip_prefix("#ref-") {
                    cited.insert(id.to_string());
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) if !dest_url.starts_with("/media/") => {
                return Err(Problem::ImageOutside {
                    url: dest_url.to_string(),
                });
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

    fn article(front: &str, body: &str) -> Result<Article, String> {
        let text = format!(
            "+++\ntitle = \"T\"\nsummary = \"S\"\npublished = \"2026-11-20\"\nreviewed = \"2026-11-26\"\n{front}[[references]]\nid = \"a\"\ntext = \"A source.\"\n+++\n{body}"
        );
        parse_article(Lang::En, "t", &text, "test")
    }

    #[test]
    fn an_article_s_front_matter_gives_its_dates_tags_byline_and_draft_state() {
        let a = article(
            "tags = [\"MDMA\", \" research \"]\nauthor = \"Kari\"\ndraft = true\n",
            "See [a](#ref-a) and [the evidence](/en/evidence).",
        )
        .unwrap();
        assert_eq!(
            (a.published.as_str(), a.reviewed.as_str()),
            ("2026-11-20", "2026-11-26")
        );
        assert_eq!(a.tags, ["MDMA", "research"]);
        assert_eq!(a.byline("Practice"), "Kari");
        assert!(a.draft);
        assert_eq!(a.path(), "/en/articles/t");
        assert!(a.html_for("X").contains("<a href=\"/en/evidence\">"));
        let plain = article("", "[a](#ref-a)").unwrap();
        assert!(!plain.draft);
        assert_eq!(plain.byline("Practice"), "Practice");
    }

    #[test]
    fn an_article_s_front_matter_errors_name_the_field() {
        let e = article("", "").unwrap_err();
        assert!(e.contains("never cited"), "{e}");
        let e = article("nav = \"N\"\n", "[a](#ref-a)").unwrap_err();
        assert!(e.contains("nav"), "{e}");
        let e = article("tags = [\"a,b\"]\n", "[a](#ref-a)").unwrap_err();
        assert!(e.starts_with("tags:") && e.contains("a,b"), "{e}");
        let e = article("tags = [\"MDMA\", \"mdma\"]\n", "[a](#ref-a)").unwrap_err();
        assert!(e.contains("twice"), "{e}");
        let many: Vec<String> = (0..=MAX_TAGS).map(|i| format!("\"t{i}\"")).collect();
        let e = article(&format!("tags = [{}]\n", many.join(",")), "[a](#ref-a)").unwrap_err();
        assert!(e.contains("at most"), "{e}");
        let e = article("", "[x](javascript:alert(1)) [a](#ref-a)").unwrap_err();
        assert!(e.contains("not allowed"), "{e}");
        let text = "+++\ntitle = \"T\"\nsummary = \"S\"\npublished = \"20.11.2026\"\nreviewed = \"2026-11-26\"\n+++\nx";
        let e = parse_article(Lang::En, "t", text, "t").unwrap_err();
        assert!(
            e.starts_with("published:") && e.contains("20.11.2026"),
            "{e}"
        );
        let text =
            "+++\ntitle = \"T\"\npublished = \"2026-11-20\"\nreviewed = \"2026-11-26\"\n+++\nx";
        let e = parse_article(Lang::En, "t", text, "t").unwrap_err();
        assert!(e.contains("summary"), "{e}");
        let text = "+++\ntitle = \"T\"\nsummary = \"\"\npublished = \"2026-11-20\"\nreviewed = \"2026-11-26\"\n+++\nx";
        let e = parse_article(Lang::En, "t", text, "t").unwrap_err();
        assert_eq!(e, "summary: must be 1–300 characters");
    }

    #[test]
    fn every_built_in_article_is_published_in_every_language_and_links_to_the_site_s_own_pages() {
        let site = Site::load(None).unwrap();
        let mut slugs = std::collections::BTreeSet::new();
        for a in site.file_articles() {
            assert!(!a.draft, "{}", a.slug);
            assert!(!a.references.is_empty(), "{}", a.slug);
            let html = a.html_for("Practice");
            let own = format!("href=\"/{}/", a.lang.tag());
            assert!(
                html.contains(&own),
                "{} links to no page of its own language",
                a.path()
            );
            assert!(
                html.contains(&format!("href=\"/{}/evidence", a.lang.tag())),
                "{} cites the evidence page",
                a.path()
            );
            slugs.insert(a.slug.clone());
        }
        assert!(slugs.len() >= 2, "{slugs:?}");
        for slug in &slugs {
            for lang in [Lang::Nb, Lang::En] {
                assert!(
                    site.file_articles()
                        .any(|a| a.lang == lang && &a.slug == slug),
                    "{slug} has no {} version",
                    lang.tag()
                );
            }
        }
    }

    #[test]
    fn every_embedded_page_parses() {
        let site = Site::load(None).unwrap();
        assert!(site.page(Lang::En, "index").is_some());
        assert!(site.page(Lang::Nb, "privacy").is_some());
    }
}

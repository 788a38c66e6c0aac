//! Articles: on the public site, the index per language (`/<lang>/articles`, newest first, `?tag=` to filter),
//! each article (`/<lang>/articles/<slug>`) and the Atom feed (`/<lang>/articles/feed.xml`); in the administration,
//! the practice admin's list and the form that writes, previews, publishes, unpublishes and deletes them.
//!
//! The form's preview and its save both go through [`crate::site::check_article`] and the site's renderer, so what
//! the preview shows is what readers will see, and a text that breaks a rule (a link that is not allowed, a
//! reference never cited) is refused with the problem named and nothing stored. Drafts are shown only to the
//! practice's staff, at their address, under a banner; never in the index, the feed or the sitemap.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use ferd_store::{
    ArticleInput, ArticleReference, ArticleStatus, Role, SitePractice, StoredArticle,
};
use serde::Deserialize;

use super::site::{
    field_error, form_status, layout_with, practice, practice_name, Article as Shown, FieldError,
    SiteLayout,
};
use super::{see_other, NoticeQuery};
use crate::articles::{
    day_start_ms, entry_id, has_tag, host_of, languages_of, merge, published_in, rfc3339,
    updated_ms, visible,
};
use crate::context::{Admin, Ctx};
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::site::{
    article_path, articles_path, check_article, feed_path, Article, ArticleFields, ArticleOrigin,
    Problem, Reference,
};
use crate::views::{html, html_status, Layout};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    let mut r = Router::new()
        .route("/admin/articles", get(admin_list))
        .route("/admin/articles/new", get(new_form).post(create))
        .route("/admin/articles/{id}", get(edit_form).post(save))
        .route("/admin/articles/{id}/status", post(set_status))
        .route("/admin/articles/{id}/delete", post(delete));
    for lang in Lang::ALL {
        let tag = lang.tag();
        r = r
            .route(
                &format!("/{tag}/articles"),
                get(
                    move |state: State<AppState>, ctx: Ctx, q: Query<IndexQuery>| {
                        index(state, ctx, lang, q)
                    },
                ),
            )
            .route(
                &format!("/{tag}/articles/feed.xml"),
                get(move |state: State<AppState>, ctx: Ctx| feed(state, ctx, lang)),
            )
            .route(
                &format!("/{tag}/articles/{{slug}}"),
                get(
                    move |state: State<AppState>, ctx: Ctx, Path(slug): Path<String>| {
                        article(state, ctx, lang, slug)
                    },
                ),
            );
    }
    r
}

/// Whether the reader is staff of the practice the site speaks for (they see its drafts).
fn staff_of(ctx: &Ctx, practice: &Option<SitePractice>) -> bool {
    match (ctx.account(), practice) {
        (Some(a), Some(p)) => {
            matches!(a.role, Role::Admin | Role::Therapist)
                && a.practice_id.as_deref() == Some(p.id.as_str())
        }
        _ => false,
    }
}

/// Every article of the site, drafts included, newest first.
async fn catalogue(
    state: &AppState,
    practice: &Option<SitePractice>,
) -> Result<Vec<Article>, AppError> {
    let stored = match practice {
        Some(p) => state.store().site_articles(&p.id).await?,
        None => Vec::new(),
    };
    Ok(merge(state.site(), &stored))
}

/// A tag with the index filtered by it.
#[derive(Debug, Clone)]
pub struct TagLink {
    pub name: String,
    pub href: String,
    pub current: bool,
    /// How many articles of the language have it (in the index's list of tags).
    pub count: usize,
}

fn tag_href(lang: Lang, tag: &str) -> String {
    let q: String = form_urlencoded::byte_serialize(tag.to_lowercase().as_bytes()).collect();
    format!("{}?tag={q}", articles_path(lang))
}

fn tag_links(lang: Lang, tags: &[String], current: Option<&str>) -> Vec<TagLink> {
    tags.iter()
        .map(|t| TagLink {
            name: t.clone(),
            href: tag_href(lang, t),
            current: current.is_some_and(|c| c.trim().to_lowercase() == t.to_lowercase()),
            count: 0,
        })
        .collect()
}

/// An article in the index.
#[derive(Debug, Clone)]
pub struct Item {
    pub title: String,
    pub href: String,
    pub summary: String,
    pub published: String,
    pub tags: Vec<TagLink>,
}

#[derive(Debug, Deserialize)]
struct IndexQuery {
    tag: Option<String>,
}

#[derive(Template)]
#[template(path = "site/articles.html")]
struct IndexTemplate {
    l: SiteLayout,
    items: Vec<Item>,
    /// The tag the list is filtered by.
    tag: Option<String>,
    /// Every tag of the language's articles, with its count.
    tags: Vec<TagLink>,
    all_href: String,
    /// The indexes of the other languages that have articles (shown when this one has none).
    elsewhere: Vec<(&'static str, &'static str, String)>,
}

async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    lang: Lang,
    Query(q): Query<IndexQuery>,
) -> Result<Response, AppError> {
    let p = practice(&state).await?;
    let name = practice_name(&p);
    let all = catalogue(&state, &p).await?;
    let tag = q
        .tag
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty() && t.chars().count() <= crate::site::MAX_TAG_CHARS);
    let in_lang = published_in(&all, lang);
    let mut tags: Vec<TagLink> = Vec::new();
    for a in &in_lang {
        for t in &a.tags {
            match tags
                .iter_mut()
                .find(|x| x.name.to_lowercase() == t.to_lowercase())
            {
                Some(x) => x.count += 1,
                None => tags.push(TagLink {
                    name: t.clone(),
                    href: tag_href(lang, t),
                    current: tag
                        .as_deref()
                        .is_some_and(|c| c.to_lowercase() == t.to_lowercase()),
                    count: 1,
                }),
            }
        }
    }
    tags.sort_by_key(|t| t.name.to_lowercase());
    let items = in_lang
        .iter()
        .filter(|a| tag.as_deref().is_none_or(|t| has_tag(a, t)))
        .map(|a| Item {
            title: a.title_for(&name),
            href: a.path(),
            summary: a.summary_for(&name),
            published: a.published.clone(),
            tags: tag_links(lang, &a.tags, tag.as_deref()),
        })
        .collect();
    let elsewhere = if in_lang.is_empty() {
        Lang::ALL
            .into_iter()
            .filter(|l| *l != lang && !published_in(&all, *l).is_empty())
            .map(|l| (l.tag(), l.own_name(), articles_path(l)))
            .collect()
    } else {
        Vec::new()
    };
    let tr = Tr::new(state.0.i18n.clone(), lang, ctx.tr.time_zone().clone());
    // Only the indexes that list something are language versions of each other.
    let versions = Lang::ALL
        .into_iter()
        .map(|l| (l, articles_path(l), !published_in(&all, l).is_empty()))
        .collect();
    let title = tr.t("articles-title");
    let description = if name.is_empty() {
        tr.t("articles-description-plain")
    } else {
        tr.t1("articles-description", "practice", &name)
    };
    let mut l = layout_with(
        &state,
        &ctx,
        lang,
        &name,
        "articles",
        title,
        description,
        versions,
    );
    // An empty index (a language nobody has written in yet) is not worth a search engine's listing.
    l.noindex |= in_lang.is_empty();
    html(&IndexTemplate {
        l,
        items,
        tag,
        tags,
        all_href: articles_path(lang),
        elsewhere,
    })
}

#[derive(Template)]
#[template(path = "site/article_page.html")]
struct ArticleTemplate {
    l: SiteLayout,
    /// The title, body and references, as a page's are shown.
    a: Shown,
    published: String,
    byline: String,
    summary: String,
    tags: Vec<TagLink>,
    draft: bool,
    /// The article in the other languages it is written in: (tag, name, address).
    translations: Vec<(&'static str, &'static str, String)>,
    index_href: String,
}

async fn article(
    State(state): State<AppState>,
    ctx: Ctx,
    lang: Lang,
    slug: String,
) -> Result<Response, AppError> {
    let p = practice(&state).await?;
    let staff = staff_of(&ctx, &p);
    let all = catalogue(&state, &p).await?;
    let Some(a) = visible(&all, lang, &slug, staff) else {
        return Err(AppError::NotFound);
    };
    let name = practice_name(&p);
    let languages = languages_of(&all, &slug, staff);
    let versions = Lang::ALL
        .into_iter()
        .map(|l| {
            if languages.contains(&l) {
                (l, article_path(l, &slug), true)
            } else {
                // Not written in that language: its language link leads to that language's index.
                (l, articles_path(l), false)
            }
        })
        .collect();
    let shown = Shown {
        title: a.title_for(&name),
        html: a.html_for(&name),
        reviewed: a.reviewed.clone(),
        references: a.references.clone(),
        fallback_lang: None,
        fallback_name: None,
    };
    let mut l = layout_with(
        &state,
        &ctx,
        lang,
        &name,
        &format!("articles/{slug}"),
        shown.title.clone(),
        a.summary_for(&name),
        versions,
    );
    // A draft is seen by staff only: search engines never list it.
    l.noindex |= a.draft;
    let translations = languages
        .iter()
        .filter(|x| **x != lang)
        .map(|x| (x.tag(), x.own_name(), article_path(*x, &slug)))
        .collect();
    html(&ArticleTemplate {
        l,
        published: a.published.clone(),
        byline: a.byline(&name),
        summary: a.summary_for(&name),
        tags: tag_links(lang, &a.tags, None),
        draft: a.draft,
        translations,
        index_href: articles_path(lang),
        a: shown,
    })
}

/// One entry of the feed.
pub struct Entry {
    pub id: String,
    pub title: String,
    pub href: String,
    pub published: String,
    pub updated: String,
    pub author: String,
    pub tags: Vec<String>,
    pub summary: String,
    /// The body and its references as HTML (escaped once more by the feed's template, as `type="html"` content
    /// must be).
    pub html: String,
}

#[derive(Template)]
#[template(path = "site/feed.xml")]
struct FeedTemplate {
    lang: &'static str,
    id: String,
    title: String,
    subtitle: String,
    updated: String,
    self_href: String,
    index_href: String,
    author: String,
    entries: Vec<Entry>,
}

/// An entry's content: the body as the site renders it, and its references (which the body's citations name).
#[derive(Template)]
#[template(path = "site/feed_content.html")]
struct FeedContent<'a> {
    html: String,
    heading: String,
    references: &'a [Reference],
}

/// The Atom 1.0 feed of a language's published articles, newest first.
async fn feed(State(state): State<AppState>, ctx: Ctx, lang: Lang) -> Result<Response, AppError> {
    let p = practice(&state).await?;
    let name = practice_name(&p);
    let all = catalogue(&state, &p).await?;
    let tz = &state.0.time_zone;
    let host = host_of(&ctx.origin);
    let tr = Tr::new(state.0.i18n.clone(), lang, tz.clone());
    let mut newest = None;
    let mut entries = Vec::new();
    for a in published_in(&all, lang) {
        let updated = updated_ms(a, tz);
        newest = newest.max(Some(updated));
        let html = FeedContent {
            html: a.html_for(&name),
            heading: tr.t("site-references"),
            references: &a.references,
        }
        .render()?;
        entries.push(Entry {
            id: entry_id(&host, a),
            title: a.title_for(&name),
            href: format!("{}{}", ctx.origin, a.path()),
            published: rfc3339(day_start_ms(&a.published, tz), tz),
            updated: rfc3339(updated, tz),
            author: a.byline(&name),
            tags: a.tags.clone(),
            summary: a.summary_for(&name),
            html,
        });
    }
    let author = if name.is_empty() {
        "ferd".to_string()
    } else {
        name.clone()
    };
    let body = FeedTemplate {
        lang: lang.tag(),
        id: format!("{}{}", ctx.origin, feed_path(lang)),
        title: if name.is_empty() {
            tr.t("articles-title")
        } else {
            format!("{} · {name}", tr.t("articles-title"))
        },
        subtitle: if name.is_empty() {
            tr.t("articles-description-plain")
        } else {
            tr.t1("articles-description", "practice", &name)
        },
        // An empty feed has changed as of now (Atom requires the element).
        updated: rfc3339(newest.unwrap_or_else(ferd_store::now_ms), tz),
        self_href: format!("{}{}", ctx.origin, feed_path(lang)),
        index_href: format!("{}{}", ctx.origin, articles_path(lang)),
        author,
        entries,
    }
    .render()?;
    let mut r = body.into_response();
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/atom+xml; charset=utf-8"),
    );
    Ok(r)
}

/// The published articles for the sitemap: each language's index (when it has articles) and every published
/// article, with its language versions and the date it last changed.
pub(super) async fn sitemap_entries(
    state: &AppState,
    origin: &str,
) -> Result<Vec<super::site::SitemapEntry>, AppError> {
    let p = practice(state).await?;
    let all = catalogue(state, &p).await?;
    let tz = &state.0.time_zone;
    let day = |ms: i64| {
        jiff::Timestamp::from_millisecond(ms)
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
            .to_zoned_datetime(tz.clone())
            .strftime("%Y-%m-%d")
            .to_string()
    };
    let with_articles: Vec<Lang> = Lang::ALL
        .into_iter()
        .filter(|l| !published_in(&all, *l).is_empty())
        .collect();
    let mut out = Vec::new();
    for lang in &with_articles {
        let list = published_in(&all, *lang);
        let newest = list.iter().map(|a| updated_ms(a, tz)).max().unwrap_or(0);
        out.push(super::site::SitemapEntry {
            loc: format!("{origin}{}", articles_path(*lang)),
            lastmod: day(newest),
            alternates: with_articles
                .iter()
                .map(|l| (l.tag(), format!("{origin}{}", articles_path(*l))))
                .collect(),
        });
        for a in list {
            out.push(super::site::SitemapEntry {
                loc: format!("{origin}{}", a.path()),
                lastmod: day(updated_ms(a, tz)),
                alternates: languages_of(&all, &a.slug, false)
                    .into_iter()
                    .map(|l| (l.tag(), format!("{origin}{}", article_path(l, &a.slug))))
                    .collect(),
            });
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------------------------
// The administration.

/// A file article the practice has not replaced, in the admin's list: it can start a version of the practice's own.
#[derive(Debug, Clone)]
pub struct FileRow {
    pub lang: &'static str,
    pub slug: String,
    pub title: String,
    pub href: String,
    pub published: String,
    pub draft: bool,
    /// `embedded` or the file's path.
    pub source: String,
}

#[derive(Template)]
#[template(path = "admin_articles.html")]
struct ListTemplate {
    l: Layout,
    own: Vec<StoredArticle>,
    files: Vec<FileRow>,
}

impl ListTemplate {
    fn href(&self, a: &StoredArticle) -> String {
        format!("/{}/articles/{}", a.lang, a.slug)
    }
}

async fn admin_list(
    State(state): State<AppState>,
    Admin(ctx, actor): Admin,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let own = state.store().practice_articles(&actor).await?;
    let files = state
        .site()
        .file_articles()
        .filter(|a| {
            !own.iter()
                .any(|o| o.lang == a.lang.tag() && o.slug == a.slug)
        })
        .map(|a| FileRow {
            lang: a.lang.tag(),
            slug: a.slug.clone(),
            title: a.title.clone(),
            href: a.path(),
            published: a.published.clone(),
            draft: a.draft,
            source: match &a.origin {
                ArticleOrigin::File(s) => s.clone(),
                ArticleOrigin::Practice { .. } => String::new(),
            },
        })
        .collect();
    html(&ListTemplate {
        l: Layout::new(&ctx, "articles-admin-title", "admin").with_notice(q.text(&ctx)),
        own,
        files,
    })
}

/// What the form holds, as typed.
#[derive(Debug, Clone, Default)]
pub struct ArticleForm {
    pub lang: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// Separated by commas.
    pub tags: String,
    pub published: String,
    pub reviewed: String,
    pub author: String,
    /// One per line: `id | citation | https://address` (the address is optional).
    pub references: String,
    pub body: String,
}

impl ArticleForm {
    fn read(body: &[u8]) -> (ArticleForm, String) {
        let mut f = ArticleForm::default();
        let mut action = String::new();
        for (k, v) in form_urlencoded::parse(body) {
            let v = v.into_owned();
            match k.as_ref() {
                "lang" => f.lang = v,
                "slug" => f.slug = v,
                "title" => f.title = v,
                "summary" => f.summary = v,
                "tags" => f.tags = v,
                "published" => f.published = v,
                "reviewed" => f.reviewed = v,
                "author" => f.author = v,
                "references" => f.references = v,
                "body" => f.body = v,
                "action" => action = v,
                _ => {}
            }
        }
        (f, action)
    }

    /// The form filled in from an article (to edit it, or to start the practice's own version of a file's).
    fn of(a: &Article) -> ArticleForm {
        ArticleForm {
            lang: a.lang.tag().to_string(),
            slug: a.slug.clone(),
            title: a.title.clone(),
            summary: a.summary.clone(),
            tags: a.tags.join(", "),
            published: a.published.clone(),
            reviewed: a.reviewed.clone(),
            author: a.author.clone().unwrap_or_default(),
            references: a
                .references
                .iter()
                .map(|r| match &r.url {
                    Some(u) => format!("{} | {} | {u}", r.id, r.text),
                    None => format!("{} | {}", r.id, r.text),
                })
                .collect::<Vec<_>>()
                .join("\n"),
            body: a.body().to_string(),
        }
    }
}

/// The references typed one per line as `id | citation | address`; the number of the first line that is not.
fn parse_references(text: &str) -> Result<Vec<Reference>, usize> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        match parts.as_slice() {
            [id, text] => out.push(Reference {
                id: (*id).to_string(),
                text: (*text).to_string(),
                url: None,
            }),
            [id, text, url] => out.push(Reference {
                id: (*id).to_string(),
                text: (*text).to_string(),
                url: Some((*url).to_string()).filter(|u| !u.is_empty()),
            }),
            _ => return Err(i + 1),
        }
    }
    Ok(out)
}

/// Checks the form by the site's rules: the article, or the problems (each with its field).
fn check_form(tr: &Tr, f: &ArticleForm) -> Result<Article, Vec<FieldError>> {
    let Some(lang) = Lang::ALL.into_iter().find(|l| l.tag() == f.lang) else {
        let p = Problem::Lang {
            value: f.lang.clone(),
        };
        return Err(vec![FieldError {
            field: p.field(),
            message: p.message(tr),
        }]);
    };
    let references = parse_references(&f.references).map_err(|line| {
        vec![FieldError {
            field: "references",
            message: tr.t1("article-problem-ref-line", "line", &line),
        }]
    })?;
    let fields = ArticleFields {
        title: f.title.clone(),
        summary: f.summary.clone(),
        tags: f
            .tags
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect(),
        published: f.published.clone(),
        reviewed: f.reviewed.clone(),
        author: Some(f.author.clone()),
        references,
        body: f.body.clone(),
    };
    check_article(
        lang,
        f.slug.trim(),
        fields,
        true,
        ArticleOrigin::Practice {
            id: String::new(),
            first_published: None,
            updated_at: 0,
        },
    )
    .map_err(|p: Problem| {
        vec![FieldError {
            field: p.field(),
            message: p.message(tr),
        }]
    })
}

fn input_of(a: &Article) -> ArticleInput {
    ArticleInput {
        lang: a.lang.tag().to_string(),
        slug: a.slug.clone(),
        title: a.title.clone(),
        summary: a.summary.clone(),
        body: a.body().to_string(),
        tags: a.tags.clone(),
        references: a
            .references
            .iter()
            .map(|r| ArticleReference {
                id: r.id.clone(),
                text: r.text.clone(),
                url: r.url.clone(),
            })
            .collect(),
        author_name: a.author.clone(),
        published_on: a.published.clone(),
        reviewed_on: a.reviewed.clone(),
    }
}

/// The article being edited, as the form shows it.
#[derive(Debug, Clone)]
pub struct Existing {
    pub id: String,
    pub status: ArticleStatus,
    pub href: String,
}

/// A preview: the article rendered by the site's renderer.
#[derive(Debug, Clone)]
pub struct Preview {
    pub lang: &'static str,
    pub title: String,
    pub summary: String,
    pub html: String,
    pub references: Vec<Reference>,
}

#[derive(Template)]
#[template(path = "admin_article.html")]
struct FormTemplate {
    l: Layout,
    f: ArticleForm,
    existing: Option<Existing>,
    errors: Vec<FieldError>,
    preview: Option<Preview>,
    langs: Vec<(&'static str, &'static str)>,
}

impl FormTemplate {
    fn action(&self) -> String {
        match &self.existing {
            Some(e) => format!("/admin/articles/{}", e.id),
            None => "/admin/articles/new".into(),
        }
    }
    fn error(&self, field: &str) -> Option<&str> {
        field_error(&self.errors, field)
    }
    fn published(&self) -> bool {
        self.existing
            .as_ref()
            .is_some_and(|e| e.status == ArticleStatus::Published)
    }
    /// The label of the field with a problem, for the error summary.
    fn label(&self, field: &str) -> String {
        self.l.t(&format!("article-field-{field}"))
    }
}

fn form_page(
    ctx: &Ctx,
    f: ArticleForm,
    existing: Option<Existing>,
    errors: Vec<FieldError>,
    preview: Option<Preview>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let title = if existing.is_some() {
        "articles-edit-title"
    } else {
        "articles-new-title"
    };
    let status = form_status(&errors);
    html_status(
        status,
        &FormTemplate {
            l: Layout::new(ctx, title, "admin").with_notice(notice),
            f,
            existing,
            errors,
            preview,
            langs: Lang::ALL
                .into_iter()
                .map(|l| (l.tag(), l.own_name()))
                .collect(),
        },
    )
}

/// Today in the time zone, `YYYY-MM-DD`.
#[derive(Debug, Deserialize)]
struct NewQuery {
    /// `<lang>/<slug>` of a file article to start from.
    from: Option<String>,
}

async fn new_form(
    State(state): State<AppState>,
    Admin(ctx, _): Admin,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    let from = q.from.as_deref().and_then(|f| {
        let (lang, slug) = f.split_once('/')?;
        state
            .site()
            .file_articles()
            .find(|a| a.lang.tag() == lang && a.slug == slug)
    });
    let f = match from {
        Some(a) => ArticleForm::of(a),
        None => {
            let day = ctx.tr.iso_date(ferd_store::now_ms());
            ArticleForm {
                lang: ctx.tr.lang().tag().to_string(),
                published: day.clone(),
                reviewed: day,
                ..Default::default()
            }
        }
    };
    form_page(&ctx, f, None, Vec::new(), None, None)
}

fn preview_of(a: &Article, practice: &str) -> Preview {
    Preview {
        lang: a.lang.tag(),
        title: a.title_for(practice),
        summary: a.summary_for(practice),
        html: a.html_for(practice),
        references: a.references.clone(),
    }
}

/// What the form's button asked for.
enum Action {
    Preview,
    Save(ArticleStatus),
}

fn action_of(action: &str) -> Result<Action, AppError> {
    match action {
        "preview" => Ok(Action::Preview),
        "draft" => Ok(Action::Save(ArticleStatus::Draft)),
        "publish" => Ok(Action::Save(ArticleStatus::Published)),
        _ => Err(AppError::BadRequest("action".into())),
    }
}

async fn create(
    State(state): State<AppState>,
    Admin(ctx, actor): Admin,
    body: Bytes,
) -> Result<Response, AppError> {
    let (f, action) = ArticleForm::read(&body);
    let action = action_of(&action)?;
    let article = match check_form(&ctx.tr, &f) {
        Ok(a) => a,
        Err(errors) => return form_page(&ctx, f, None, errors, None, None),
    };
    match action {
        Action::Preview => {
            let name = practice_name(&practice(&state).await?);
            let preview = preview_of(&article, &name);
            form_page(&ctx, f, None, Vec::new(), Some(preview), None)
        }
        Action::Save(status) => {
            match state
                .store()
                .create_article(&actor, input_of(&article), status)
                .await
            {
                Ok(saved) => Ok(see_other(&format!(
                    "/admin/articles/{}?notice={}",
                    saved.id,
                    saved_notice(status)
                ))),
                Err(ferd_store::StoreError::Duplicate { .. }) => {
                    let errors = vec![FieldError {
                        field: "slug",
                        message: ctx.tr.t("article-problem-slug-taken"),
                    }];
                    form_page(&ctx, f, None, errors, None, None)
                }
                Err(e) => Err(e.into()),
            }
        }
    }
}

fn saved_notice(status: ArticleStatus) -> &'static str {
    match status {
        ArticleStatus::Draft => "notice-article-saved-draft",
        ArticleStatus::Published => "notice-article-published",
    }
}

fn existing_of(a: &StoredArticle) -> Existing {
    Existing {
        id: a.id.clone(),
        status: a.status,
        href: format!("/{}/articles/{}", a.lang, a.slug),
    }
}

/// The form of a stored article, as the form shows it.
fn form_of_stored(a: &StoredArticle) -> ArticleForm {
    match crate::articles::from_stored(a) {
        Ok(article) => ArticleForm::of(&article),
        // It no longer passes a check: shown as stored, so the admin can mend it.
        Err(_) => ArticleForm {
            lang: a.lang.clone(),
            slug: a.slug.clone(),
            title: a.title.clone(),
            summary: a.summary.clone(),
            tags: a.tags.join(", "),
            published: a.published_on.clone(),
            reviewed: a.reviewed_on.clone(),
            author: a.author_name.clone().unwrap_or_default(),
            references: a
                .references
                .iter()
                .map(|r| match &r.url {
                    Some(u) => format!("{} | {} | {u}", r.id, r.text),
                    None => format!("{} | {}", r.id, r.text),
                })
                .collect::<Vec<_>>()
                .join("\n"),
            body: a.body.clone(),
        },
    }
}

async fn edit_form(
    State(state): State<AppState>,
    Admin(ctx, actor): Admin,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let a = state.store().practice_article(&actor, &id).await?;
    // The confirmation after a save is shown on the form the admin is back on.
    form_page(
        &ctx,
        form_of_stored(&a),
        Some(existing_of(&a)),
        Vec::new(),
        None,
        q.text(&ctx),
    )
}

async fn save(
    State(state): State<AppState>,
    Admin(ctx, actor): Admin,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let stored = state.store().practice_article(&actor, &id).await?;
    let (mut f, action) = ArticleForm::read(&body);
    let action = action_of(&action)?;
    // The language and address stay as they are (the feed's id is built on them).
    f.lang = stored.lang.clone();
    f.slug = stored.slug.clone();
    let existing = existing_of(&stored);
    let article = match check_form(&ctx.tr, &f) {
        Ok(a) => a,
        Err(errors) => return form_page(&ctx, f, Some(existing), errors, None, None),
    };
    match action {
        Action::Preview => {
            let name = practice_name(&practice(&state).await?);
            let preview = preview_of(&article, &name);
            form_page(&ctx, f, Some(existing), Vec::new(), Some(preview), None)
        }
        Action::Save(status) => {
            state
                .store()
                .update_article(&actor, &id, input_of(&article), status)
                .await?;
            Ok(see_other(&format!(
                "/admin/articles/{id}?notice={}",
                saved_notice(status)
            )))
        }
    }
}

#[derive(Debug, Deserialize)]
struct StatusForm {
    status: String,
}

async fn set_status(
    State(state): State<AppState>,
    Admin(_, actor): Admin,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<StatusForm>,
) -> Result<Response, AppError> {
    let status =
        ArticleStatus::parse(&form.status).ok_or_else(|| AppError::BadRequest("status".into()))?;
    state
        .store()
        .set_article_status(&actor, &id, status)
        .await?;
    Ok(see_other(match status {
        ArticleStatus::Published => "/admin/articles?notice=notice-article-published",
        ArticleStatus::Draft => "/admin/articles?notice=notice-article-unpublished",
    }))
}

async fn delete(
    State(state): State<AppState>,
    Admin(_, actor): Admin,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    state.store().delete_article(&actor, &id).await?;
    Ok(see_other("/admin/articles?notice=notice-article-deleted"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::I18n;

    #[test]
    fn references_are_read_one_per_line_with_an_optional_address_and_a_bad_line_is_named() {
        let refs = parse_references(
            "a | A source. | https://example.org/a\n\n  b | B source.  \nc | C. | ",
        )
        .unwrap();
        assert_eq!(refs.len(), 3);
        assert_eq!(refs[0].url.as_deref(), Some("https://example.org/a"));
        assert_eq!(
            (refs[1].id.as_str(), refs[1].text.as_str()),
            ("b", "B source.")
        );
        assert_eq!(refs[2].url, None);
        assert_eq!(parse_references("a | A.\njust text"), Err(2));
        assert_eq!(parse_references("a | b | c | d"), Err(1));
    }

    #[test]
    fn every_field_a_problem_can_name_has_a_label_in_the_form() {
        let ids: std::collections::BTreeSet<String> = I18n::ids(Lang::En).into_iter().collect();
        let problems = [
            Problem::Length {
                field: "title",
                min: 1,
                max: 1,
            },
            Problem::Length {
                field: "summary",
                min: 1,
                max: 1,
            },
            Problem::Length {
                field: "author",
                min: 1,
                max: 1,
            },
            Problem::Length {
                field: "body",
                min: 0,
                max: 1,
            },
            Problem::Date {
                field: "published",
                value: String::new(),
            },
            Problem::Date {
                field: "reviewed",
                value: String::new(),
            },
            Problem::Slug,
            Problem::TooManyTags { max: 1 },
            Problem::Uncited { id: String::new() },
            Problem::CitesMissing { id: String::new() },
        ];
        for field in problems
            .iter()
            .map(Problem::field)
            .chain(["lang", "slug", "references"])
        {
            let key = format!("article-field-{field}");
            assert!(ids.contains(&key), "{key} is missing");
        }
    }
}

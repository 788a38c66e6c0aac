//! The public information site: the pages in Norwegian, Swedish and English at `/<lang>/<slug>`, the inquiry form at
//! `/<lang>/contact`, the sitemap, `robots.txt`, and the practice's images at `/media/<file>`.
//!
//! The language of a public page comes from its address, not from the visitor's cookie, so a shared link shows
//! what its sender saw. The inquiry form turns away robots without any third-party service: a field people never
//! see (a robot fills it in and is told its message was sent, and nothing is stored), a signed start time (a form
//! sent within [`MIN_FILL_MS`] of being shown is sent back), and a limit per sender address
//! ([`MAX_PER_ADDRESS`] an hour, counted under a keyed hash of the address).

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use ferd_store::{NewInquiry, SitePractice, SiteTherapist};

use super::see_other;
use crate::context::Ctx;
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::site::{page_path, Page, Reference};
use crate::views::{html, html_status};
use crate::AppState;

/// A form sent sooner than this after it was shown is sent back (people take longer; robots do not).
pub const MIN_FILL_MS: i64 = 3_000;
/// A form older than this is sent back to be sent again (its signed start time has expired).
pub const MAX_FORM_AGE_MS: i64 = 24 * 3_600_000;
/// Messages one sender address may send…
pub const MAX_PER_ADDRESS: i64 = 5;
/// …within this window.
pub const RATE_WINDOW_MS: i64 = 3_600_000;
/// The longest message the form takes.
pub const MAX_MESSAGE_CHARS: usize = 5_000;
const MAX_NAME_CHARS: usize = 200;
const MAX_PHONE_CHARS: usize = 40;

pub fn routes() -> Router<AppState> {
    let mut r = Router::new()
        .route("/sitemap.xml", get(sitemap))
        .route("/robots.txt", get(robots))
        .route("/media/{file}", get(media));
    for lang in Lang::ALL {
        let tag = lang.tag();
        r = r
            .route(
                &format!("/{tag}"),
                get(move || async move { see_other(&format!("/{}/", lang.tag())) }),
            )
            .route(
                &format!("/{tag}/"),
                get(move |state: State<AppState>, ctx: Ctx| page(state, ctx, lang, "index".into())),
            )
            .route(
                &format!("/{tag}/contact"),
                get(move |state: State<AppState>, ctx: Ctx| contact(state, ctx, lang)).post(
                    move |state: State<AppState>, ctx: Ctx, headers: HeaderMap, body: Bytes| {
                        send(state, ctx, lang, headers, body)
                    },
                ),
            )
            .route(
                &format!("/{tag}/contact/sent"),
                get(move |state: State<AppState>, ctx: Ctx| sent(state, ctx, lang)),
            )
            .route(
                &format!("/{tag}/{{slug}}"),
                get(
                    move |state: State<AppState>, ctx: Ctx, Path(slug): Path<String>| {
                        page(state, ctx, lang, slug)
                    },
                ),
            );
    }
    r
}

/// A link in the site's navigation.
#[derive(Debug, Clone)]
pub struct NavLink {
    pub label: String,
    pub href: String,
    pub current: bool,
}

/// The same page in another language.
#[derive(Debug, Clone)]
pub struct Alternate {
    pub tag: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
    /// Whether the page is written in this language (only those get an `hreflang` link).
    pub written: bool,
}

/// What every public page shares: the practice's name, the navigation, the language links and the metadata.
#[derive(Debug, Clone)]
pub struct SiteLayout {
    pub tr: Tr,
    pub demo: bool,
    pub practice: String,
    pub title: String,
    pub description: String,
    /// The full address of this page, for `<link rel="canonical">`.
    pub canonical: String,
    /// The page in each language it is written in (for the switch and `hreflang`).
    pub alternates: Vec<Alternate>,
    /// The address for readers of any other language.
    pub x_default: String,
    pub nav: Vec<NavLink>,
    pub contact_href: String,
    pub privacy_href: String,
    pub home_href: String,
    /// The Atom feed of this language's articles (linked from every page's head).
    pub feed_href: String,
    /// Whether someone is signed in (the footer then links to their start page, not to sign-in).
    pub signed_in: bool,
    /// The site's address (`https://…`), for absolute links.
    pub origin: String,
    /// The CSRF token the inquiry form carries.
    pub csrf: String,
    /// Not a page of its own (the confirmation after sending): search engines are asked not to list it.
    pub noindex: bool,
}

impl SiteLayout {
    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }
    pub fn t1(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        self.tr.t1(key, name, &value)
    }
    pub fn tn(&self, key: &str, name: &str, n: impl crate::i18n::Count) -> String {
        self.tr.tn(key, name, n.count())
    }
    pub fn t2(
        &self,
        key: &str,
        a: &str,
        av: impl std::fmt::Display,
        b: &str,
        bv: impl std::fmt::Display,
    ) -> String {
        self.tr.t2(key, a, &av, b, &bv)
    }
    /// A `YYYY-MM-DD` date in the reader's language.
    pub fn date(&self, ymd: &str) -> String {
        self.tr.civil_date(ymd)
    }
    /// The page's address in another language, absolute, for `hreflang`.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }
    /// The referral directory's public page in this language (the footer and the contact page link to it).
    pub fn referrals_href(&self) -> String {
        page_path(self.tr.lang(), super::referrals::SLUG)
    }
}

pub(crate) fn layout(
    state: &AppState,
    ctx: &Ctx,
    lang: Lang,
    practice: &str,
    slug: &str,
    title: String,
    description: String,
) -> SiteLayout {
    let languages = state.site().languages_of(slug);
    let versions = Lang::ALL
        .iter()
        .map(|l| (*l, page_path(*l, slug), languages.contains(l)))
        .collect();
    layout_with(
        state,
        ctx,
        lang,
        practice,
        slug,
        title,
        description,
        versions,
    )
}

/// The layout of a page at one address per language: `versions` gives each language's address and whether the
/// page is written in it (only those get an `hreflang` link); `current` is the slug the navigation marks.
#[allow(clippy::too_many_arguments)]
pub(crate) fn layout_with(
    state: &AppState,
    ctx: &Ctx,
    lang: Lang,
    practice: &str,
    current: &str,
    title: String,
    description: String,
    versions: Vec<(Lang, String, bool)>,
) -> SiteLayout {
    let site = state.site();
    let tr = Tr::new(state.0.i18n.clone(), lang, ctx.tr.time_zone().clone());
    let here = versions
        .iter()
        .find(|(l, _, _)| *l == lang)
        .map(|(_, href, _)| href.clone())
        .unwrap_or_else(|| page_path(lang, current));
    let written: Vec<Lang> = versions
        .iter()
        .filter(|(_, _, w)| *w)
        .map(|(l, _, _)| *l)
        .collect();
    let default_href = versions
        .iter()
        .find(|(l, _, w)| *w && *l == Lang::Nb)
        .or_else(|| versions.iter().find(|(_, _, w)| *w))
        .map(|(_, href, _)| href.clone())
        .unwrap_or_else(|| page_path(Lang::Nb, current));
    let alternates = versions
        .into_iter()
        .map(|(l, href, written)| Alternate {
            tag: l.tag(),
            name: l.own_name(),
            href,
            current: l == lang,
            written,
        })
        .collect();
    let mut nav: Vec<NavLink> = site
        .slugs()
        .into_iter()
        .filter(|s| s != "index" && s != "contact")
        .filter_map(|s| site.page(lang, &s))
        .map(|shown| NavLink {
            label: shown
                .page
                .nav
                .replace(crate::site::PRACTICE_PLACEHOLDER, practice),
            href: page_path(lang, &shown.page.slug),
            current: shown.page.slug == current,
        })
        .collect();
    nav.push(NavLink {
        label: tr.t("site-articles"),
        href: crate::site::articles_path(lang),
        current: current == "articles",
    });
    SiteLayout {
        demo: ctx.demo,
        practice: practice.to_string(),
        title,
        description,
        canonical: format!("{}{here}", ctx.origin),
        alternates,
        x_default: format!("{}{default_href}", ctx.origin),
        nav,
        contact_href: page_path(lang, "contact"),
        privacy_href: page_path(lang, "privacy"),
        home_href: page_path(lang, "index"),
        feed_href: crate::site::feed_path(lang),
        signed_in: ctx.account().is_some(),
        origin: ctx.origin.clone(),
        csrf: ctx.csrf.clone(),
        noindex: written.is_empty(),
        tr,
    }
}

/// The practice the site speaks for; a missing one is a site that takes no messages yet.
pub(crate) async fn practice(state: &AppState) -> Result<Option<SitePractice>, AppError> {
    Ok(state
        .store()
        .site_practice(state.config().site_practice.as_deref())
        .await?)
}

pub(crate) fn practice_name(p: &Option<SitePractice>) -> String {
    p.as_ref().map(|p| p.name.clone()).unwrap_or_default()
}

/// A page's body and references, ready for a template.
#[derive(Debug, Clone)]
pub struct Article {
    pub title: String,
    pub html: String,
    pub reviewed: String,
    pub references: Vec<Reference>,
    /// The language the text is in, when it is not the address's (a missing translation).
    pub fallback_lang: Option<&'static str>,
    pub fallback_name: Option<&'static str>,
}

fn article(page: &Page, fallback: bool, practice: &str) -> Article {
    Article {
        title: page.title_for(practice),
        html: page.html_for(practice),
        reviewed: page.reviewed.clone(),
        references: page.references.clone(),
        fallback_lang: fallback.then(|| page.lang.tag()),
        fallback_name: fallback.then(|| page.lang.own_name()),
    }
}

#[derive(Template)]
#[template(path = "site/page.html")]
struct PageTemplate {
    l: SiteLayout,
    a: Article,
    home: bool,
    /// The practice takes no new clients: the home and process pages say so, and what to do instead.
    full: bool,
    referrals_href: String,
}

/// Whether the site's practice is full (a site without a practice is not: it takes no messages at all).
pub(crate) async fn practice_full(
    state: &AppState,
    p: &Option<SitePractice>,
) -> Result<bool, AppError> {
    Ok(match p {
        Some(p) => state.store().practice_full(&p.id).await?,
        None => false,
    })
}

/// The referral directory's address in `lang`, where a full practice sends people who cannot wait.
pub(crate) fn referrals_path(lang: Lang) -> String {
    format!("/{}/referrals", lang.tag())
}

async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    lang: Lang,
    slug: String,
) -> Result<Response, AppError> {
    if slug == "contact" {
        return Ok(see_other(&page_path(lang, "contact")));
    }
    let site = state.site();
    let Some(shown) = site.page(lang, &slug) else {
        return Err(AppError::NotFound);
    };
    let p = practice(&state).await?;
    let name = practice_name(&p);
    let a = article(shown.page, shown.fallback, &name);
    let l = layout(
        &state,
        &ctx,
        lang,
        &name,
        &slug,
        a.title.clone(),
        shown.page.description_for(&name),
    );
    // Only the pages a newcomer reads on the way to writing say that the practice is full.
    let full = matches!(slug.as_str(), "index" | "process") && practice_full(&state, &p).await?;
    html(&PageTemplate {
        l,
        a,
        home: slug == "index",
        full,
        referrals_href: referrals_path(lang),
    })
}

/// What the visitor typed, kept when the form comes back.
#[derive(Debug, Clone, Default)]
pub struct InquiryFields {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub language: String,
    pub message: String,
    pub consent: bool,
    /// The therapist a person joining the waitlist would prefer (a user id, or empty for no preference).
    pub therapist: String,
}

/// A problem with one field: its id (for the link and `aria-describedby`) and the explanation.
#[derive(Debug, Clone)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

/// The message for `field` among a form's errors.
pub fn field_error<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.as_str())
}

/// The value of `aria-invalid` for `field`.
pub fn aria_invalid(errors: &[FieldError], field: &str) -> &'static str {
    if field_error(errors, field).is_some() {
        "true"
    } else {
        "false"
    }
}

/// A form page's status: 200, or 422 when it comes back with errors.
pub fn form_status(errors: &[FieldError]) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

#[derive(Template)]
#[template(path = "site/contact.html")]
struct ContactTemplate {
    l: SiteLayout,
    a: Article,
    f: InquiryFields,
    errors: Vec<FieldError>,
    /// A problem with the form as a whole (sent too fast, too many, wrong kind of request).
    problem: Option<String>,
    started: String,
    accepting: bool,
    max_message: usize,
    /// The practice is full: the form puts the person on the waitlist.
    full: bool,
    /// The therapists a person on the waitlist may prefer.
    therapists: Vec<SiteTherapist>,
    referrals_href: String,
}

impl ContactTemplate {
    fn error(&self, field: &str) -> Option<&str> {
        field_error(&self.errors, field)
    }
    /// The languages an answer can be asked for in: tag and the language's own name.
    fn languages(&self) -> Vec<(&'static str, &'static str)> {
        Lang::ALL.iter().map(|l| (l.tag(), l.own_name())).collect()
    }
    fn invalid(&self, field: &str) -> &'static str {
        aria_invalid(&self.errors, field)
    }
}

async fn contact_page(
    state: &AppState,
    ctx: &Ctx,
    lang: Lang,
    f: InquiryFields,
    errors: Vec<FieldError>,
    problem: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let site = state.site();
    let shown = site.page(lang, "contact").ok_or(AppError::NotFound)?;
    let p = practice(state).await?;
    let name = practice_name(&p);
    let a = article(shown.page, shown.fallback, &name);
    let l = layout(
        state,
        ctx,
        lang,
        &name,
        "contact",
        a.title.clone(),
        shown.page.description_for(&name),
    );
    let full = practice_full(state, &p).await?;
    let therapists = match (&p, full) {
        (Some(p), true) => state.store().site_therapists(&p.id).await?,
        _ => Vec::new(),
    };
    let t = ContactTemplate {
        l,
        a,
        f,
        errors,
        problem,
        started: crate::site::form_start_token(state.store().keys(), ferd_store::now_ms()),
        accepting: p.is_some(),
        max_message: MAX_MESSAGE_CHARS,
        full,
        therapists,
        referrals_href: referrals_path(lang),
    };
    html_status(status, &t)
}

async fn contact(
    State(state): State<AppState>,
    ctx: Ctx,
    lang: Lang,
) -> Result<Response, AppError> {
    let f = InquiryFields {
        language: lang.tag().to_string(),
        ..Default::default()
    };
    contact_page(&state, &ctx, lang, f, Vec::new(), None, StatusCode::OK).await
}

/// Receives the inquiry form. Nothing is stored unless every check passes; the confirmation page does not repeat
/// the message, and nothing the visitor typed is logged.
async fn send(
    State(state): State<AppState>,
    ctx: Ctx,
    lang: Lang,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let tr = Tr::new(state.0.i18n.clone(), lang, ctx.tr.time_zone().clone());
    let is_form = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        let f = InquiryFields {
            language: lang.tag().to_string(),
            ..Default::default()
        };
        return contact_page(
            &state,
            &ctx,
            lang,
            f,
            Vec::new(),
            Some(tr.t("inquiry-content-type")),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        )
        .await;
    }
    let mut f = InquiryFields::default();
    let mut honeypot = String::new();
    let mut started = String::new();
    for (k, v) in form_urlencoded::parse(&body) {
        match k.as_ref() {
            "name" => f.name = v.into_owned(),
            "email" => f.email = v.into_owned(),
            "phone" => f.phone = v.into_owned(),
            "language" => f.language = v.into_owned(),
            "message" => f.message = v.into_owned(),
            "consent" => f.consent = v == "yes",
            "therapist" => f.therapist = v.into_owned(),
            "website" => honeypot = v.into_owned(),
            "started" => started = v.into_owned(),
            _ => {}
        }
    }
    if Lang::parse(&f.language).is_none_or(|l| l.tag() != f.language) {
        f.language = lang.tag().to_string();
    }
    // A robot filled in the field people never see: it is told the message went, and nothing is stored.
    if !honeypot.trim().is_empty() {
        tracing::info!("an inquiry form filled in by a robot was dropped");
        return Ok(see_other(&format!("/{}/contact/sent", lang.tag())));
    }
    let Some(p) = practice(&state).await? else {
        return contact_page(
            &state,
            &ctx,
            lang,
            f,
            Vec::new(),
            Some(tr.t("inquiry-not-accepting")),
            StatusCode::SERVICE_UNAVAILABLE,
        )
        .await;
    };
    let now = ferd_store::now_ms();
    match crate::site::form_started_at(state.store().keys(), &started) {
        Some(t) if now - t < MIN_FILL_MS && now >= t => {
            return contact_page(
                &state,
                &ctx,
                lang,
                f,
                Vec::new(),
                Some(tr.t("inquiry-too-fast")),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        Some(t) if now - t <= MAX_FORM_AGE_MS && now >= t => {}
        _ => {
            return contact_page(
                &state,
                &ctx,
                lang,
                f,
                Vec::new(),
                Some(tr.t("inquiry-stale")),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    }
    let mut errors = check(&tr, &f);
    // Decided when the form arrives: a message sent while the practice is full waits on the list, whatever the
    // page looked like when it was opened, so nothing written in the meantime is lost.
    let full = state.store().practice_full(&p.id).await?;
    let preferred = Some(f.therapist.trim().to_string()).filter(|t| !t.is_empty() && full);
    if let Some(t) = &preferred {
        if !state
            .store()
            .site_therapists(&p.id)
            .await?
            .iter()
            .any(|s| &s.id == t)
        {
            errors.push(FieldError {
                field: "therapist",
                message: tr.t("waitlist-error-therapist"),
            });
        }
    }
    if !errors.is_empty() {
        return contact_page(
            &state,
            &ctx,
            lang,
            f,
            errors,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let key = format!(
        "inquiry:{}",
        state
            .store()
            .keys()
            .tag("inquiry-rate", ctx.peer.as_bytes())
    );
    if !state
        .store()
        .take_public_allowance(&key, now, MAX_PER_ADDRESS, RATE_WINDOW_MS)
        .await?
    {
        return contact_page(
            &state,
            &ctx,
            lang,
            f,
            Vec::new(),
            Some(tr.t("inquiry-too-many")),
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
    }
    let consent_version = state
        .site()
        .page(lang, "privacy")
        .map(|s| s.page.reviewed.clone());
    let phone = Some(f.phone.trim().to_string()).filter(|s| !s.is_empty());
    let new = NewInquiry {
        practice_id: p.id,
        name: f.name.trim().to_string(),
        email: f.email.trim().to_string(),
        phone,
        language: f.language.clone(),
        message: f.message.clone(),
        consent_version,
    };
    if full {
        // The status link's secret: shown on the next page and sent by e-mail; the database keeps its hash.
        let token = crate::auth::random_token();
        state
            .store()
            .join_waitlist(new, preferred, &token, &ctx.request_id)
            .await?;
        return Ok(see_other(&format!(
            "{}?joined=1",
            super::waitlist::status_path(lang, &token)
        )));
    }
    state.store().submit_inquiry(new, &ctx.request_id).await?;
    Ok(see_other(&format!("/{}/contact/sent", lang.tag())))
}

/// The form's rules, each broken one named with its field.
fn check(tr: &Tr, f: &InquiryFields) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let name = f.name.trim();
    if name.is_empty() {
        errors.push(FieldError {
            field: "name",
            message: tr.t("inquiry-error-name-empty"),
        });
    } else if name.chars().count() > MAX_NAME_CHARS {
        errors.push(FieldError {
            field: "name",
            message: tr.tn("inquiry-error-name-long", "max", MAX_NAME_CHARS as i64),
        });
    }
    let email = f.email.trim();
    if email.is_empty() {
        errors.push(FieldError {
            field: "email",
            message: tr.t("inquiry-error-email-empty"),
        });
    } else if !ferd_store::is_email_address(email) {
        errors.push(FieldError {
            field: "email",
            message: tr.t("inquiry-error-email-invalid"),
        });
    }
    let phone = f.phone.trim();
    if phone.chars().count() > MAX_PHONE_CHARS
        || !phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
    {
        errors.push(FieldError {
            field: "phone",
            message: tr.t("inquiry-error-phone"),
        });
    }
    let message_chars = f.message.chars().count();
    if f.message.trim().is_empty() {
        errors.push(FieldError {
            field: "message",
            message: tr.t("inquiry-error-message-empty"),
        });
    } else if message_chars > MAX_MESSAGE_CHARS {
        errors.push(FieldError {
            field: "message",
            message: tr.t2(
                "inquiry-error-message-long",
                "max",
                &MAX_MESSAGE_CHARS,
                "count",
                &message_chars,
            ),
        });
    }
    if !f.consent {
        errors.push(FieldError {
            field: "consent",
            message: tr.t("inquiry-error-consent"),
        });
    }
    errors
}

#[derive(Template)]
#[template(path = "site/sent.html")]
struct SentTemplate {
    l: SiteLayout,
    reply_days: i64,
}

async fn sent(State(state): State<AppState>, ctx: Ctx, lang: Lang) -> Result<Response, AppError> {
    let p = practice(&state).await?;
    let name = practice_name(&p);
    let tr = Tr::new(state.0.i18n.clone(), lang, ctx.tr.time_zone().clone());
    let title = tr.t("inquiry-sent-title");
    // Its own address in each language (the language links lead to the confirmation, not to an empty form).
    let l = layout(
        &state,
        &ctx,
        lang,
        &name,
        "contact/sent",
        title,
        tr.t("inquiry-sent-title"),
    );
    html(&SentTemplate {
        l,
        reply_days: p.map_or(3, |p| p.reply_days),
    })
}

#[derive(Template)]
#[template(path = "site/sitemap.xml")]
struct SitemapTemplate {
    entries: Vec<SitemapEntry>,
}

/// One address in the sitemap, with its language versions.
pub(super) struct SitemapEntry {
    pub(super) loc: String,
    /// Empty when not known (the referral page before any place is public).
    pub(super) lastmod: String,
    pub(super) alternates: Vec<(&'static str, String)>,
}

/// Every page in every language it is written in, with its language versions and last-reviewed date; then the
/// published articles and their indexes.
async fn sitemap(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let site = state.site();
    let mut entries = Vec::new();
    for lang in Lang::ALL {
        for page in site.pages_in(lang) {
            let alternates = site
                .languages_of(&page.slug)
                .into_iter()
                .map(|l| {
                    (
                        l.tag(),
                        format!("{}{}", ctx.origin, page_path(l, &page.slug)),
                    )
                })
                .collect();
            entries.push(SitemapEntry {
                loc: format!("{}{}", ctx.origin, page.path()),
                lastmod: page.reviewed.clone(),
                alternates,
            });
        }
    }
    entries.extend(super::articles::sitemap_entries(&state, &ctx.origin).await?);
    // The referral directory's public page, written in every language from the directory.
    let lastmod = super::referrals::public_lastmod(&state, &ctx.tr)
        .await?
        .unwrap_or_default();
    for lang in Lang::ALL {
        let at = |l: Lang| format!("{}{}", ctx.origin, page_path(l, super::referrals::SLUG));
        entries.push(SitemapEntry {
            loc: at(lang),
            lastmod: lastmod.clone(),
            alternates: Lang::ALL.iter().map(|l| (l.tag(), at(*l))).collect(),
        });
    }
    let body = SitemapTemplate { entries }.render()?;
    let mut r = body.into_response();
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/xml; charset=utf-8"),
    );
    Ok(r)
}

async fn robots(ctx: Ctx) -> Response {
    let body = format!(
        "User-agent: *\nDisallow: /dashboard\nDisallow: /clients\nDisallow: /portal\nDisallow: /admin\nSitemap: {}/sitemap.xml\n",
        ctx.origin
    );
    let mut r = body.into_response();
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// An image from the practice's `media/` folder: only plain file names, only image types.
async fn media(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let dir = state.site().media_dir().ok_or(AppError::NotFound)?;
    let plain = !file.is_empty()
        && file.len() <= 100
        && !file.starts_with('.')
        && file
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
    if !plain {
        return Err(AppError::NotFound);
    }
    let ext = file.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let mime = match ext.as_deref() {
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        _ => return Err(AppError::NotFound),
    };
    let bytes = tokio::fs::read(dir.join(&file))
        .await
        .map_err(|_| AppError::NotFound)?;
    let mut r = bytes.into_response();
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(mime));
    r.headers_mut().insert(
        CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    Ok(r)
}

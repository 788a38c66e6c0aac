//! The articles a site shows: the files' (built in, or in the practice's content folder) with the practice's own
//! from the admin interface in place of any of the same language and slug, and what the Atom feed needs from them
//! (ids that survive edits, and dates in RFC 3339).
//!
//! A practice's article replaces a file's whatever its status, so a practice can take a built-in article off its
//! site by keeping a draft of the same slug. Which articles a reader sees is decided here too: the published ones,
//! and the drafts as well for the practice's own staff (at their address only; never in the index, feed or
//! sitemap).

use std::collections::BTreeMap;

use ferd_store::StoredArticle;
use jiff::tz::TimeZone;

use crate::i18n::Lang;
use crate::site::{check_article, Article, ArticleFields, ArticleOrigin, Problem, Reference, Site};

/// A stored article as the site's renderer sees it, checked by the same rules as a file (it was checked when it was
/// saved; a rule made stricter since then is caught here rather than shown).
pub fn from_stored(a: &StoredArticle) -> Result<Article, Problem> {
    let lang = Lang::ALL
        .into_iter()
        .find(|l| l.tag() == a.lang)
        .ok_or_else(|| Problem::Lang {
            value: a.lang.clone(),
        })?;
    check_article(
        lang,
        &a.slug,
        ArticleFields {
            title: a.title.clone(),
            summary: a.summary.clone(),
            tags: a.tags.clone(),
            published: a.published_on.clone(),
            reviewed: a.reviewed_on.clone(),
            author: a.author_name.clone(),
            references: a
                .references
                .iter()
                .map(|r| Reference {
                    id: r.id.clone(),
                    text: r.text.clone(),
                    url: r.url.clone(),
                })
                .collect(),
            body: a.body.clone(),
        },
        a.status == ferd_store::ArticleStatus::Draft,
        ArticleOrigin::Practice {
            id: a.id.clone(),
            first_published: a.first_published_on.clone(),
            updated_at: a.updated_at,
        },
    )
}

/// Every article of the site, drafts included: the files', with the practice's own in place of any of the same
/// language and slug. Newest published first.
pub fn merge(site: &Site, stored: &[StoredArticle]) -> Vec<Article> {
    let mut all: BTreeMap<(Lang, String), Article> = site
        .file_articles()
        .map(|a| ((a.lang, a.slug.clone()), a.clone()))
        .collect();
    for s in stored {
        match from_stored(s) {
            Ok(a) => {
                all.insert((a.lang, a.slug.clone()), a);
            }
            Err(problem) => {
                // The text is the practice's, not a visitor's; the id is enough to find it.
                tracing::warn!(article = %s.id, %problem, "a stored article no longer passes the site's checks and is not shown");
            }
        }
    }
    let mut out: Vec<Article> = all.into_values().collect();
    out.sort_by(|a, b| {
        b.published
            .cmp(&a.published)
            .then_with(|| b.reviewed.cmp(&a.reviewed))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    out
}

/// The published articles in `lang`, newest first; with `tag`, only those with that tag (compared without case).
pub fn published_in(all: &[Article], lang: Lang) -> Vec<&Article> {
    all.iter().filter(|a| a.lang == lang && !a.draft).collect()
}

/// Whether the article has the tag (compared without case).
pub fn has_tag(a: &Article, tag: &str) -> bool {
    let tag = tag.trim().to_lowercase();
    a.tags.iter().any(|t| t.to_lowercase() == tag)
}

/// The article at `/<lang>/articles/<slug>` as this reader may see it: a draft only for the practice's staff.
pub fn visible<'a>(all: &'a [Article], lang: Lang, slug: &str, staff: bool) -> Option<&'a Article> {
    all.iter()
        .find(|a| a.lang == lang && a.slug == slug)
        .filter(|a| staff || !a.draft)
}

/// The languages an article's slug is published in (and drafts too, for staff).
pub fn languages_of(all: &[Article], slug: &str, staff: bool) -> Vec<Lang> {
    Lang::ALL
        .into_iter()
        .filter(|l| {
            all.iter()
                .any(|a| a.lang == *l && a.slug == slug && (staff || !a.draft))
        })
        .collect()
}

/// The host name of a site address (`https://ferd.example.no:8443/` → `ferd.example.no`), for tag URIs.
pub fn host_of(origin: &str) -> String {
    let rest = origin.split_once("://").map_or(origin, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or(rest);
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if !h.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => authority,
    };
    host.to_ascii_lowercase()
}

/// The feed entry's id: a tag URI (RFC 4151) of the site's host, the date the article was first published, its
/// language and its slug. None of these changes when the article is edited, so neither does the id; a practice's
/// own version of a built-in article that keeps its date keeps its id too.
pub fn entry_id(host: &str, a: &Article) -> String {
    let date = match &a.origin {
        ArticleOrigin::Practice {
            first_published: Some(first),
            ..
        } => first.as_str(),
        _ => a.published.as_str(),
    };
    format!("tag:{host},{date}:{}/articles/{}", a.lang.tag(), a.slug)
}

/// The start of a `YYYY-MM-DD` day in the time zone, as Unix ms (0 for a malformed date, which a checked article
/// never has).
pub fn day_start_ms(date: &str, tz: &TimeZone) -> i64 {
    date.parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.to_zoned_datetime(tz.clone()).ok())
        .map_or(0, |z| z.timestamp().as_millisecond())
}

/// When an article last changed, Unix ms: a practice's article when it was last saved, a file's on the later of
/// its published and last-reviewed dates (a file has no other record of its changes). Never before it was
/// published.
pub fn updated_ms(a: &Article, tz: &TimeZone) -> i64 {
    let published = day_start_ms(&a.published, tz);
    match &a.origin {
        ArticleOrigin::Practice { updated_at, .. } => (*updated_at).max(published),
        ArticleOrigin::File(_) => published.max(day_start_ms(&a.reviewed, tz)),
    }
}

/// A moment as RFC 3339 in the time zone, to the second: `2026-11-20T00:00:00+01:00`.
pub fn rfc3339(ms: i64, tz: &TimeZone) -> String {
    jiff::Timestamp::from_second(ms.div_euclid(1000))
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(tz.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_of_a_site_address_drops_the_scheme_port_and_path() {
        assert_eq!(host_of("https://Ferd.Example.no"), "ferd.example.no");
        assert_eq!(host_of("http://127.0.0.1:8080"), "127.0.0.1");
        assert_eq!(
            host_of("https://ferd.example.no:8443/sub/"),
            "ferd.example.no"
        );
    }

    #[test]
    fn dates_in_the_feed_are_rfc_3339_in_the_practice_s_time_zone() {
        let oslo = TimeZone::get("Europe/Oslo").unwrap();
        let winter = day_start_ms("2026-11-20", &oslo);
        assert_eq!(rfc3339(winter, &oslo), "2026-11-20T00:00:00+01:00");
        let summer = day_start_ms("2026-06-20", &oslo);
        assert_eq!(rfc3339(summer + 1_999, &oslo), "2026-06-20T00:00:01+02:00");
    }
}

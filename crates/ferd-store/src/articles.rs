//! The practice's own articles for the public site, written in the admin interface. Only a practice admin (an admin,
//! or a therapist who administers the practice) writes, publishes, unpublishes and deletes them, and every one of
//! those changes is audited. The web layer checks the Markdown with the public site's renderer before anything
//! reaches this module; the store keeps the shape sound (slug, language, dates, status) and the rules that make a
//! feed entry's id stable: an article's language and slug never change, and the date it was first published is
//! kept when it is unpublished, edited or published again.
//!
//! Articles are public text: they are not encrypted, and reading the published ones for the site is not audited
//! (nobody's data is read). The admin's reads are audited like any other staff read.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::audit::append;
use crate::records::{invalid, not_found};
use crate::{new_id, now_ms, Actor, Store, StoreError};

/// Whether readers see an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArticleStatus {
    /// Seen only by the practice's staff.
    Draft,
    /// On the site, in the index, the feed and the sitemap.
    Published,
}

impl ArticleStatus {
    /// The status as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "draft",
            ArticleStatus::Published => "published",
        }
    }

    /// Parses a stored status.
    pub fn parse(s: &str) -> Option<ArticleStatus> {
        match s {
            "draft" => Some(ArticleStatus::Draft),
            "published" => Some(ArticleStatus::Published),
            _ => None,
        }
    }
}

/// One source an article cites (`#ref-<id>` in the body).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleReference {
    pub id: String,
    pub text: String,
    pub url: Option<String>,
}

/// What the admin's form gives for an article, already checked by the site's renderer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleInput {
    /// The language tag (`nb`, `en`, …); fixed once the article exists.
    pub lang: String,
    /// The last part of its address; fixed once the article exists.
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// CommonMark.
    pub body: String,
    pub tags: Vec<String>,
    pub references: Vec<ArticleReference>,
    /// The byline; none shows the practice's name.
    pub author_name: Option<String>,
    /// `YYYY-MM-DD`.
    pub published_on: String,
    /// `YYYY-MM-DD`: when the text was last checked against its sources.
    pub reviewed_on: String,
}

/// An article as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredArticle {
    pub id: String,
    pub practice_id: String,
    pub lang: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub tags: Vec<String>,
    pub references: Vec<ArticleReference>,
    pub author_name: Option<String>,
    pub published_on: String,
    pub reviewed_on: String,
    /// The published date when it was first published; never changed afterwards (the feed id is built on it).
    pub first_published_on: Option<String>,
    pub status: ArticleStatus,
    /// The user who created it.
    pub created_by: String,
    pub created_at: i64,
    /// The last change of any kind (text or status), Unix ms.
    pub updated_at: i64,
}

const COLUMNS: &str =
    "id, practice_id, lang, slug, title, summary, body, tags, sources, author_name, \
     published_on, reviewed_on, first_published_on, status, created_by, created_at, updated_at";

fn article_of(r: &sqlx::any::AnyRow) -> Result<StoredArticle, StoreError> {
    let status: String = r.try_get("status")?;
    let tags: String = r.try_get("tags")?;
    let sources: String = r.try_get("sources")?;
    let corrupt = |what: &str| StoreError::Database(format!("an article's {what} cannot be read"));
    Ok(StoredArticle {
        id: r.try_get("id")?,
        practice_id: r.try_get("practice_id")?,
        lang: r.try_get("lang")?,
        slug: r.try_get("slug")?,
        title: r.try_get("title")?,
        summary: r.try_get("summary")?,
        body: r.try_get("body")?,
        tags: serde_json::from_str(&tags).map_err(|_| corrupt("tags"))?,
        references: serde_json::from_str(&sources).map_err(|_| corrupt("references"))?,
        author_name: r.try_get("author_name")?,
        published_on: r.try_get("published_on")?,
        reviewed_on: r.try_get("reviewed_on")?,
        first_published_on: r.try_get("first_published_on")?,
        status: ArticleStatus::parse(&status).ok_or_else(|| corrupt("status"))?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// The shape the store insists on, whatever the web layer checked: it never stores what the site could not show.
fn check(input: &ArticleInput) -> Result<(), StoreError> {
    if input.lang.is_empty()
        || input.lang.len() > 8
        || !input.lang.bytes().all(|b| b.is_ascii_lowercase())
    {
        return Err(invalid("lang", "must be a language tag such as nb or en"));
    }
    if !ferd_core::ids::is_slug(&input.slug) {
        return Err(invalid(
            "slug",
            "must be 1–60 lowercase letters, digits and hyphens",
        ));
    }
    if input.title.trim().is_empty() {
        return Err(invalid("title", "must not be empty"));
    }
    if input.summary.trim().is_empty() {
        return Err(invalid("summary", "must not be empty"));
    }
    for (field, date) in [
        ("published_on", &input.published_on),
        ("reviewed_on", &input.reviewed_on),
    ] {
        if ferd_core::calendar::Day::parse(date).is_err() || date.trim() != date {
            return Err(invalid(field, "must be a date written YYYY-MM-DD"));
        }
    }
    Ok(())
}

fn json<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Database(e.to_string()))
}

impl Store {
    /// A practice admin creates an article of their practice, as a draft or published at once. Audited as
    /// `create` (and `publish`). A second article with the same language and slug is a [`StoreError::Duplicate`]
    /// naming the slug.
    pub async fn create_article(
        &self,
        actor: &Actor,
        input: ArticleInput,
        status: ArticleStatus,
    ) -> Result<StoredArticle, StoreError> {
        let practice =
            actor.person_admin_practice("only a practice admin writes the practice's articles")?;
        check(&input)?;
        let id = new_id();
        let now = now_ms();
        let first_published =
            (status == ArticleStatus::Published).then(|| input.published_on.clone());
        let (_turn, mut tx) = self.begin_write().await?;
        let taken = sqlx::query(
            "SELECT id FROM articles WHERE practice_id = $1 AND lang = $2 AND slug = $3",
        )
        .bind(&practice)
        .bind(&input.lang)
        .bind(&input.slug)
        .fetch_optional(&mut *tx)
        .await?;
        if taken.is_some() {
            return Err(StoreError::Duplicate {
                entity: "article",
                field: "slug",
            });
        }
        append(&mut tx, actor, "create", "article", &id).await?;
        if status == ArticleStatus::Published {
            append(&mut tx, actor, "publish", "article", &id).await?;
        }
        sqlx::query(&format!(
            "INSERT INTO articles ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)"
        ))
        .bind(&id)
        .bind(&practice)
        .bind(&input.lang)
        .bind(&input.slug)
        .bind(input.title.trim())
        .bind(input.summary.trim())
        .bind(&input.body)
        .bind(json(&input.tags)?)
        .bind(json(&input.references)?)
        .bind(input.author_name.as_deref())
        .bind(&input.published_on)
        .bind(&input.reviewed_on)
        .bind(first_published.as_deref())
        .bind(status.as_str())
        .bind(&actor.user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM articles WHERE id = $1"))
            .bind(&id)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        article_of(&row)
    }

    /// A practice admin changes an article's text, and its status if `status` says so. The language and slug stay
    /// as they are (they make its address and its feed id); giving others is refused. Audited as `update`, and
    /// `publish` or `unpublish` when the status changes.
    pub async fn update_article(
        &self,
        actor: &Actor,
        article_id: &str,
        input: ArticleInput,
        status: ArticleStatus,
    ) -> Result<StoredArticle, StoreError> {
        let practice =
            actor.person_admin_practice("only a practice admin writes the practice's articles")?;
        check(&input)?;
        let (_turn, mut tx) = self.begin_write().await?;
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM articles WHERE id = $1 AND practice_id = $2"
        ))
        .bind(article_id)
        .bind(&practice)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(not_found("article"))?;
        let old = article_of(&row)?;
        if old.lang != input.lang {
            return Err(invalid("lang", "an article's language cannot be changed"));
        }
        if old.slug != input.slug {
            return Err(invalid("slug", "an article's address cannot be changed"));
        }
        append(&mut tx, actor, "update", "article", article_id).await?;
        if old.status != status {
            let action = match status {
                ArticleStatus::Published => "publish",
                ArticleStatus::Draft => "unpublish",
            };
            append(&mut tx, actor, action, "article", article_id).await?;
        }
        let first_published = match (&old.first_published_on, status) {
            (Some(first), _) => Some(first.clone()),
            (None, ArticleStatus::Published) => Some(input.published_on.clone()),
            (None, ArticleStatus::Draft) => None,
        };
        sqlx::query(
            "UPDATE articles SET title = $1, summary = $2, body = $3, tags = $4, sources = $5, author_name = $6, \
             published_on = $7, reviewed_on = $8, first_published_on = $9, status = $10, updated_at = $11 \
             WHERE id = $12",
        )
        .bind(input.title.trim())
        .bind(input.summary.trim())
        .bind(&input.body)
        .bind(json(&input.tags)?)
        .bind(json(&input.references)?)
        .bind(input.author_name.as_deref())
        .bind(&input.published_on)
        .bind(&input.reviewed_on)
        .bind(first_published.as_deref())
        .bind(status.as_str())
        .bind(now_ms().max(old.updated_at + 1))
        .bind(article_id)
        .execute(&mut *tx)
        .await?;
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM articles WHERE id = $1"))
            .bind(article_id)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        article_of(&row)
    }

    /// A practice admin publishes or unpublishes an article without changing its text. Audited as `publish` or
    /// `unpublish`; setting the status it already has changes nothing and records nothing.
    pub async fn set_article_status(
        &self,
        actor: &Actor,
        article_id: &str,
        status: ArticleStatus,
    ) -> Result<(), StoreError> {
        let practice =
            actor.person_admin_practice("only a practice admin writes the practice's articles")?;
        let (_turn, mut tx) = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT status, published_on, first_published_on, updated_at FROM articles WHERE id = $1 AND practice_id = $2",
        )
        .bind(article_id)
        .bind(&practice)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(not_found("article"))?;
        let old: String = row.try_get(0)?;
        if old == status.as_str() {
            return Ok(());
        }
        let published_on: String = row.try_get(1)?;
        let first: Option<String> = row.try_get(2)?;
        let updated_at: i64 = row.try_get(3)?;
        let action = match status {
            ArticleStatus::Published => "publish",
            ArticleStatus::Draft => "unpublish",
        };
        append(&mut tx, actor, action, "article", article_id).await?;
        let first = match (first, status) {
            (Some(f), _) => Some(f),
            (None, ArticleStatus::Published) => Some(published_on),
            (None, ArticleStatus::Draft) => None,
        };
        sqlx::query(
            "UPDATE articles SET status = $1, first_published_on = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(status.as_str())
        .bind(first.as_deref())
        .bind(now_ms().max(updated_at + 1))
        .bind(article_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A practice admin deletes an article for good. Audited as `delete`.
    pub async fn delete_article(&self, actor: &Actor, article_id: &str) -> Result<(), StoreError> {
        let practice =
            actor.person_admin_practice("only a practice admin writes the practice's articles")?;
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "delete", "article", article_id).await?;
        let n = sqlx::query("DELETE FROM articles WHERE id = $1 AND practice_id = $2")
            .bind(article_id)
            .bind(&practice)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(not_found("article"));
        }
        tx.commit().await?;
        Ok(())
    }

    /// The practice's articles for its admin, drafts included, newest published date first. Audited.
    pub async fn practice_articles(&self, actor: &Actor) -> Result<Vec<StoredArticle>, StoreError> {
        let practice =
            actor.person_admin_practice("only a practice admin writes the practice's articles")?;
        let mut tx = self.begin_read().await?;
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM articles WHERE practice_id = $1 ORDER BY published_on DESC, lang, slug"
        ))
        .bind(&practice)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        self.audit_read(actor, "list", "article", "*").await?;
        rows.iter().map(article_of).collect()
    }

    /// One article of the practice, for its admin to edit. Audited.
    pub async fn practice_article(
        &self,
        actor: &Actor,
        article_id: &str,
    ) -> Result<StoredArticle, StoreError> {
        let practice =
            actor.person_admin_practice("only a practice admin writes the practice's articles")?;
        let mut tx = self.begin_read().await?;
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM articles WHERE id = $1 AND practice_id = $2"
        ))
        .bind(article_id)
        .bind(&practice)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(not_found("article"))?;
        tx.commit().await?;
        self.audit_read(actor, "read", "article", article_id)
            .await?;
        article_of(&row)
    }

    /// Every article of the practice the public site speaks for, drafts included (the site shows drafts to the
    /// practice's staff only and decides which a reader sees). Public text: not audited.
    pub async fn site_articles(&self, practice_id: &str) -> Result<Vec<StoredArticle>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM articles WHERE practice_id = $1 ORDER BY published_on DESC, lang, slug"
        ))
        .bind(practice_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(article_of).collect()
    }
}

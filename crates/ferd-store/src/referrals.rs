//! The referral directory and the record of referrals.
//!
//! A practice keeps a list of places it refers people to (trials, public treatment, private clinics, therapists,
//! crisis services). Its admins add, edit, check and remove places; its staff read the list and record that a client,
//! or a person who wrote to the practice (an inquiry, waitlisted or not), was referred to a place, and why. The why is
//! clinical and sealed like other clinical text.
//!
//! The rule that matters to the public: a place is shown on the public site only when it is marked public *and* the
//! practice checked it within the last twelve months ([`ferd_core::referrals::needs_checking`]). Making a place public
//! needs a current check, here in the store and in the database (a public row must have a check date), not only in a
//! form. "Today" is the caller's (the practice's local date), passed in, so that a check made just after midnight in
//! Oslo is not in the future by the server's UTC clock.

use ferd_core::calendar::Day;
use ferd_core::referrals::{self, PlaceKind, Suggestions};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::audit::append;
use crate::records::{invalid, is_email_address, not_found};
use crate::{new_id, now_ms, Actor, Store, StoreError};

/// A place in the practice's referral directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferralPlace {
    pub id: String,
    pub name: String,
    pub kind: PlaceKind,
    /// What the place offers, in Norwegian and in English (at least one is written).
    pub offers_nb: Option<String>,
    pub offers_en: Option<String>,
    /// Who can go there.
    pub eligibility_nb: Option<String>,
    pub eligibility_en: Option<String>,
    /// The languages spoken there (tags such as `nb`, `en`).
    pub languages: Vec<String>,
    pub region: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub web: Option<String>,
    /// Marked for the public site (shown there only while its check is current).
    pub public: bool,
    /// The day the practice last checked the entry.
    pub checked_on: Option<Day>,
    /// Who checked it (their display name).
    pub checked_by: Option<String>,
    /// For staff only, never shown publicly.
    pub staff_note: Option<String>,
    /// The ferd suggestion it was added from, if any.
    pub suggestion: Option<String>,
    /// How many referrals name the place.
    pub referrals: i64,
    pub updated_at: i64,
}

impl ReferralPlace {
    /// Never checked, or checked more than twelve months before `today`: staff see "needs checking", and the public
    /// does not see it.
    pub fn needs_checking(&self, today: Day) -> bool {
        referrals::needs_checking(self.checked_on, today)
    }

    /// Whether the public site shows the place on `today`.
    pub fn shown_publicly(&self, today: Day) -> bool {
        self.public && !self.needs_checking(today)
    }
}

/// A place as an admin writes it. Empty texts mean "not given".
#[derive(Debug, Clone, Default)]
pub struct PlaceInput {
    pub name: String,
    /// A [`PlaceKind`] name (`trial`, `public-treatment`, …).
    pub kind: String,
    pub offers_nb: String,
    pub offers_en: String,
    pub eligibility_nb: String,
    pub eligibility_en: String,
    pub languages: Vec<String>,
    pub region: String,
    pub phone: String,
    pub email: String,
    pub web: String,
    pub public: bool,
    pub checked_on: Option<Day>,
    pub staff_note: String,
}

/// A referral: who was referred (a client or an inquiry), where, why, when and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Referral {
    pub id: String,
    pub client_id: Option<String>,
    pub inquiry_id: Option<String>,
    /// None once the place has been deleted from the directory.
    pub place_id: Option<String>,
    /// The place's name: its current name, or, once it is deleted, the name it had when the referral was made.
    pub place_name: String,
    /// Why (decrypted).
    pub reason: String,
    pub referred_on: Day,
    /// Who made the referral (their display name).
    pub referred_by: String,
    pub created_at: i64,
}

/// A referral to record.
#[derive(Debug, Clone)]
pub struct NewReferral {
    pub place_id: String,
    pub reason: String,
    pub referred_on: Day,
}

const MAX_NAME: usize = 200;
const MAX_TEXT: usize = 2_000;
const MAX_REGION: usize = 100;
const MAX_REASON: usize = 20_000;

/// A place's input, checked and tidied: every rule names its field.
struct CleanPlace {
    name: String,
    kind: PlaceKind,
    offers_nb: Option<String>,
    offers_en: Option<String>,
    eligibility_nb: Option<String>,
    eligibility_en: Option<String>,
    languages: String,
    region: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    web: Option<String>,
    public: bool,
    checked_on: Option<Day>,
    staff_note: Option<String>,
}

fn text(field: &'static str, v: &str, max: usize) -> Result<Option<String>, StoreError> {
    let v = v.trim();
    if v.chars().count() > max {
        return Err(invalid(field, format!("must be at most {max} characters")));
    }
    Ok(Some(v.to_string()).filter(|s| !s.is_empty()))
}

fn clean(input: &PlaceInput, today: Day) -> Result<CleanPlace, StoreError> {
    let name =
        text("name", &input.name, MAX_NAME)?.ok_or_else(|| invalid("name", "is required"))?;
    let kind = PlaceKind::parse(input.kind.trim()).ok_or_else(|| {
        invalid(
            "kind",
            "must be trial, public-treatment, private-clinic, therapist, crisis-service or other",
        )
    })?;
    let offers_nb = text("offers_nb", &input.offers_nb, MAX_TEXT)?;
    let offers_en = text("offers_en", &input.offers_en, MAX_TEXT)?;
    if offers_nb.is_none() && offers_en.is_none() {
        return Err(invalid(
            "offers_nb",
            "say what the place offers, in Norwegian or English",
        ));
    }
    let mut languages: Vec<&str> = Vec::new();
    for l in &input.languages {
        let l = l.trim();
        if !referrals::LANGUAGES.iter().any(|(t, _)| *t == l) {
            return Err(invalid(
                "languages",
                "is not a language the directory knows",
            ));
        }
        if !languages.contains(&l) {
            languages.push(l);
        }
    }
    let phone = text("phone", &input.phone, 40)?;
    if phone
        .as_deref()
        .is_some_and(|p| !referrals::is_phone_number(p))
    {
        return Err(invalid("phone", "is not a phone number"));
    }
    let email = text("email", &input.email, 254)?.map(|e| e.to_lowercase());
    if email.as_deref().is_some_and(|e| !is_email_address(e)) {
        return Err(invalid("email", "is not an e-mail address"));
    }
    let web = text("web", &input.web, 500)?;
    if web
        .as_deref()
        .is_some_and(|w| !referrals::is_web_address(w))
    {
        return Err(invalid(
            "web",
            "is not a web address (it starts with https://)",
        ));
    }
    if phone.is_none() && email.is_none() && web.is_none() {
        return Err(invalid(
            "phone",
            "give at least one way to get in touch: a phone number, an e-mail address or a web address",
        ));
    }
    if input.checked_on.is_some_and(|d| d > today) {
        return Err(invalid("checked_on", "cannot be after today"));
    }
    if input.public && input.checked_on.is_none() {
        return Err(invalid(
            "checked_on",
            "a public place needs the date it was last checked",
        ));
    }
    Ok(CleanPlace {
        name,
        kind,
        offers_nb,
        offers_en,
        eligibility_nb: text("eligibility_nb", &input.eligibility_nb, MAX_TEXT)?,
        eligibility_en: text("eligibility_en", &input.eligibility_en, MAX_TEXT)?,
        languages: languages.join(","),
        region: text("region", &input.region, MAX_REGION)?,
        phone,
        email,
        web,
        public: input.public,
        checked_on: input.checked_on,
        staff_note: text("staff_note", &input.staff_note, MAX_TEXT)?,
    })
}

/// Refuses to make a place public (from internal, or new) unless its check is current.
fn check_current_to_publish(checked_on: Option<Day>, today: Day) -> Result<(), StoreError> {
    match checked_on {
        None => Err(invalid(
            "checked_on",
            "a public place needs the date it was last checked",
        )),
        Some(d) if referrals::needs_checking(Some(d), today) => Err(invalid(
            "checked_on",
            "was more than twelve months ago: check the place again before making it public",
        )),
        Some(_) => Ok(()),
    }
}

const PLACE_SQL: &str = "SELECT p.*, u.display_name AS checked_by_name, \
     (SELECT COUNT(*) FROM referrals r WHERE r.place_id = p.id) AS referral_count \
     FROM referral_places p LEFT JOIN users u ON u.id = p.checked_by";

fn day_of(v: Option<String>) -> Result<Option<Day>, StoreError> {
    v.map(|s| Day::parse(&s).map_err(|e| StoreError::Database(e.to_string())))
        .transpose()
}

fn place_from(r: &AnyRow) -> Result<ReferralPlace, StoreError> {
    let kind: String = r.try_get("kind")?;
    let languages: String = r.try_get("languages")?;
    Ok(ReferralPlace {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        kind: PlaceKind::parse(&kind)
            .ok_or_else(|| StoreError::Database(format!("unknown kind of place '{kind}'")))?,
        offers_nb: r.try_get("offers_nb")?,
        offers_en: r.try_get("offers_en")?,
        eligibility_nb: r.try_get("eligibility_nb")?,
        eligibility_en: r.try_get("eligibility_en")?,
        languages: languages
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        region: r.try_get("region")?,
        phone: r.try_get("phone")?,
        email: r.try_get("email")?,
        web: r.try_get("web")?,
        public: r.try_get::<i64, _>("is_public")? != 0,
        checked_on: day_of(r.try_get("checked_on")?)?,
        checked_by: r.try_get("checked_by_name")?,
        staff_note: r.try_get("staff_note")?,
        suggestion: r.try_get("suggestion")?,
        referrals: r.try_get("referral_count")?,
        updated_at: r.try_get("updated_at")?,
    })
}

const REFERRAL_SQL: &str = "SELECT r.id, r.client_id, r.inquiry_id, r.place_id, \
     COALESCE(p.name, r.place_name) AS shown_name, r.reason_enc, r.referred_on, u.display_name AS referred_by_name, \
     r.created_at FROM referrals r LEFT JOIN referral_places p ON p.id = r.place_id JOIN users u ON u.id = r.referred_by";

fn referral_from(store: &Store, r: &AnyRow) -> Result<Referral, StoreError> {
    let id: String = r.try_get("id")?;
    let enc: Vec<u8> = r.try_get("reason_enc")?;
    Ok(Referral {
        reason: store
            .keys()
            .open(&format!("referrals.reason_enc.{id}"), &enc)?,
        client_id: r.try_get("client_id")?,
        inquiry_id: r.try_get("inquiry_id")?,
        place_id: r.try_get("place_id")?,
        place_name: r.try_get("shown_name")?,
        referred_on: day_of(Some(r.try_get("referred_on")?))?
            .ok_or_else(|| StoreError::Database("a referral without a date".into()))?,
        referred_by: r.try_get("referred_by_name")?,
        created_at: r.try_get("created_at")?,
        id,
    })
}

/// A client's referrals, oldest first, inside a transaction (the client's scope is the caller's to check).
pub(crate) async fn load_client_referrals(
    store: &Store,
    tx: &mut Transaction<'static, Any>,
    client_id: &str,
) -> Result<Vec<Referral>, StoreError> {
    let rows = sqlx::query(&format!(
        "{REFERRAL_SQL} WHERE r.client_id = $1 ORDER BY r.referred_on, r.created_at, r.id"
    ))
    .bind(client_id)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(|r| referral_from(store, r)).collect()
}

impl Store {
    /// The practice's referral directory, by kind and name: for its staff.
    pub async fn referral_places(&self, actor: &Actor) -> Result<Vec<ReferralPlace>, StoreError> {
        let practice =
            actor.staff_practice("only the practice's staff use the referral directory")?;
        let mut tx = self.begin_read().await?;
        let rows = sqlx::query(&format!(
            "{PLACE_SQL} WHERE p.practice_id = $1 ORDER BY p.name, p.id"
        ))
        .bind(&practice)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        self.audit_read(actor, "list", "referral-place", "*")
            .await?;
        let mut places = rows.iter().map(place_from).collect::<Result<Vec<_>, _>>()?;
        places.sort_by_key(|p| p.kind);
        Ok(places)
    }

    /// One place of the actor's practice's directory.
    pub async fn referral_place(
        &self,
        actor: &Actor,
        place_id: &str,
    ) -> Result<ReferralPlace, StoreError> {
        let practice =
            actor.staff_practice("only the practice's staff use the referral directory")?;
        let mut tx = self.begin_read().await?;
        let row = sqlx::query(&format!(
            "{PLACE_SQL} WHERE p.id = $1 AND p.practice_id = $2"
        ))
        .bind(place_id)
        .bind(&practice)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(not_found("referral place"))?;
        tx.commit().await?;
        self.audit_read(actor, "read", "referral-place", place_id)
            .await?;
        place_from(&row)
    }

    /// The places the public site shows for a practice on `today`: marked public and checked within the last twelve
    /// months, by kind and name. No actor: this is what anyone may read.
    pub async fn public_referral_places(
        &self,
        practice_id: &str,
        today: Day,
    ) -> Result<Vec<ReferralPlace>, StoreError> {
        let rows = sqlx::query(&format!(
            "{PLACE_SQL} WHERE p.practice_id = $1 AND p.is_public = 1 AND p.checked_on IS NOT NULL \
             AND p.checked_on >= $2 ORDER BY p.name, p.id"
        ))
        .bind(practice_id)
        .bind(referrals::current_since(today).to_string())
        .fetch_all(self.pool())
        .await?;
        let mut places = rows.iter().map(place_from).collect::<Result<Vec<_>, _>>()?;
        // The date comparison above is on YYYY-MM-DD text; this repeats it on days, so no collation can let a stale
        // entry through.
        places.retain(|p| p.shown_publicly(today));
        places.sort_by_key(|p| p.kind);
        Ok(places)
    }

    /// Adds a place to the directory (admins). A public place needs a current check.
    pub async fn add_referral_place(
        &self,
        actor: &Actor,
        input: &PlaceInput,
        today: Day,
    ) -> Result<ReferralPlace, StoreError> {
        let practice =
            actor.admin_practice("only the practice's admins change the referral directory")?;
        let p = clean(input, today)?;
        if p.public {
            check_current_to_publish(p.checked_on, today)?;
        }
        let id = new_id();
        let (turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "create", "referral-place", &id).await?;
        insert_place(&mut tx, &id, &practice, &p, actor, None).await?;
        tx.commit().await?;
        // The read below is audited, and the audit writer needs the write turn.
        drop(turn);
        self.referral_place(actor, &id).await
    }

    /// Changes a place (admins). The checker is the actor when the check date changes. A place that is being made
    /// public needs a current check; one already public keeps its flag while its check grows old, and is simply
    /// left off the public page until it is checked again.
    pub async fn update_referral_place(
        &self,
        actor: &Actor,
        place_id: &str,
        input: &PlaceInput,
        today: Day,
    ) -> Result<(), StoreError> {
        let practice =
            actor.admin_practice("only the practice's admins change the referral directory")?;
        let p = clean(input, today)?;
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "update", "referral-place", place_id).await?;
        let before = sqlx::query(
            "SELECT is_public, checked_on FROM referral_places WHERE id = $1 AND practice_id = $2",
        )
        .bind(place_id)
        .bind(&practice)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(not_found("referral place"))?;
        let was_public = before.try_get::<i64, _>(0)? != 0;
        let was_checked = day_of(before.try_get(1)?)?;
        if p.public && (!was_public || p.checked_on != was_checked) {
            check_current_to_publish(p.checked_on, today)?;
        }
        let checker_changes = p.checked_on != was_checked;
        sqlx::query(
            "UPDATE referral_places SET name = $1, kind = $2, offers_nb = $3, offers_en = $4, eligibility_nb = $5, \
             eligibility_en = $6, languages = $7, region = $8, phone = $9, email = $10, web = $11, is_public = $12, \
             checked_on = $13, checked_by = CASE WHEN $14 = 1 THEN $15 ELSE checked_by END, staff_note = $16, \
             updated_at = $17 WHERE id = $18 AND practice_id = $19",
        )
        .bind(&p.name)
        .bind(p.kind.as_str())
        .bind(p.offers_nb)
        .bind(p.offers_en)
        .bind(p.eligibility_nb)
        .bind(p.eligibility_en)
        .bind(&p.languages)
        .bind(p.region)
        .bind(p.phone)
        .bind(p.email)
        .bind(p.web)
        .bind(i64::from(p.public))
        .bind(p.checked_on.map(|d| d.to_string()))
        .bind(i64::from(checker_changes))
        .bind(p.checked_on.map(|_| actor.user_id.clone()))
        .bind(p.staff_note)
        .bind(now_ms())
        .bind(place_id)
        .bind(&practice)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records that the actor checked a place `today` (admins).
    pub async fn mark_referral_place_checked(
        &self,
        actor: &Actor,
        place_id: &str,
        today: Day,
    ) -> Result<(), StoreError> {
        let practice =
            actor.admin_practice("only the practice's admins change the referral directory")?;
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "check", "referral-place", place_id).await?;
        let n = sqlx::query(
            "UPDATE referral_places SET checked_on = $1, checked_by = $2, updated_at = $3 WHERE id = $4 AND practice_id = $5",
        )
        .bind(today.to_string())
        .bind(&actor.user_id)
        .bind(now_ms())
        .bind(place_id)
        .bind(&practice)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(not_found("referral place"));
        }
        tx.commit().await?;
        Ok(())
    }

    /// Makes a place public or internal (admins). Public needs a check within the last twelve months.
    pub async fn set_referral_place_public(
        &self,
        actor: &Actor,
        place_id: &str,
        public: bool,
        today: Day,
    ) -> Result<(), StoreError> {
        let practice =
            actor.admin_practice("only the practice's admins change the referral directory")?;
        let (_turn, mut tx) = self.begin_write().await?;
        append(
            &mut tx,
            actor,
            if public { "publish" } else { "unpublish" },
            "referral-place",
            place_id,
        )
        .await?;
        let row = sqlx::query(
            "SELECT checked_on FROM referral_places WHERE id = $1 AND practice_id = $2",
        )
        .bind(place_id)
        .bind(&practice)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(not_found("referral place"))?;
        if public {
            check_current_to_publish(day_of(row.try_get(0)?)?, today)?;
        }
        sqlx::query(
            "UPDATE referral_places SET is_public = $1, updated_at = $2 WHERE id = $3 AND practice_id = $4",
        )
        .bind(i64::from(public))
        .bind(now_ms())
        .bind(place_id)
        .bind(&practice)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes a place (admins). Its referrals stay, showing the name the place had when each was made.
    pub async fn delete_referral_place(
        &self,
        actor: &Actor,
        place_id: &str,
    ) -> Result<(), StoreError> {
        let practice =
            actor.admin_practice("only the practice's admins change the referral directory")?;
        let (_turn, mut tx) = self.begin_write().await?;
        append(&mut tx, actor, "delete", "referral-place", place_id).await?;
        // Explicitly, not by the foreign key's ON DELETE SET NULL alone: the records must not depend on a pragma.
        sqlx::query(
            "UPDATE referrals SET place_id = NULL, updated_at = $1 WHERE place_id = $2 AND practice_id = $3",
        )
        .bind(now_ms())
        .bind(place_id)
        .bind(&practice)
        .execute(&mut *tx)
        .await?;
        let n = sqlx::query("DELETE FROM referral_places WHERE id = $1 AND practice_id = $2")
            .bind(place_id)
            .bind(&practice)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(not_found("referral place"));
        }
        tx.commit().await?;
        Ok(())
    }

    /// Adds ferd's suggested places (`data/referrals/`) that the directory does not hold yet, all internal and
    /// unchecked: the date a suggestion's source was read is the ferd project's, not a check by the practice, so
    /// each must be checked by the practice before it can be made public. Returns how many were added.
    pub async fn add_suggested_referral_places(&self, actor: &Actor) -> Result<usize, StoreError> {
        let practice =
            actor.admin_practice("only the practice's admins change the referral directory")?;
        let (_turn, mut tx) = self.begin_write().await?;
        let mut added = 0;
        for s in Suggestions::builtin().places() {
            let exists = sqlx::query(
                "SELECT 1 FROM referral_places WHERE practice_id = $1 AND suggestion = $2",
            )
            .bind(&practice)
            .bind(&s.id)
            .fetch_optional(&mut *tx)
            .await?;
            if exists.is_some() {
                continue;
            }
            let input = PlaceInput {
                name: s.name.clone(),
                kind: s.kind.as_str().to_string(),
                offers_nb: s.offers_nb.clone().unwrap_or_default(),
                offers_en: s.offers_en.clone().unwrap_or_default(),
                eligibility_nb: s.eligibility_nb.clone().unwrap_or_default(),
                eligibility_en: s.eligibility_en.clone().unwrap_or_default(),
                languages: s.languages.clone(),
                region: s.region.clone().unwrap_or_default(),
                phone: s.phone.clone().unwrap_or_default(),
                email: s.email.clone().unwrap_or_default(),
                web: s.web.clone().unwrap_or_default(),
                public: false,
                checked_on: None,
                staff_note: String::new(),
            };
            // The same rules as a place typed in by hand (the suggestion's date is no check, so "today" is moot).
            let p = clean(&input, s.source_read_on)?;
            let id = new_id();
            append(&mut tx, actor, "create", "referral-place", &id).await?;
            insert_place(&mut tx, &id, &practice, &p, actor, Some(&s.id)).await?;
            added += 1;
        }
        tx.commit().await?;
        Ok(added)
    }

    /// Records that a client was referred (staff with the client in scope).
    pub async fn refer_client(
        &self,
        actor: &Actor,
        client_id: &str,
        new: &NewReferral,
        today: Day,
    ) -> Result<Referral, StoreError> {
        let practice =
            actor.staff_practice("only the practice's staff use the referral directory")?;
        let (turn, mut tx) = self.begin_write().await?;
        Self::load_client(&mut tx, actor, client_id).await?;
        let id = self
            .insert_referral(&mut tx, actor, &practice, Some(client_id), None, new, today)
            .await?;
        tx.commit().await?;
        drop(turn);
        self.one_referral(&practice, &id).await
    }

    /// Records that a person who wrote to the practice (an inquiry, waitlisted or not) was referred (its staff).
    pub async fn refer_inquiry(
        &self,
        actor: &Actor,
        inquiry_id: &str,
        new: &NewReferral,
        today: Day,
    ) -> Result<Referral, StoreError> {
        let practice =
            actor.staff_practice("only the practice's staff use the referral directory")?;
        let (turn, mut tx) = self.begin_write().await?;
        inquiry_in_practice(&mut tx, inquiry_id, &practice).await?;
        let id = self
            .insert_referral(
                &mut tx,
                actor,
                &practice,
                None,
                Some(inquiry_id),
                new,
                today,
            )
            .await?;
        tx.commit().await?;
        drop(turn);
        self.one_referral(&practice, &id).await
    }

    /// A client's referrals, oldest first (staff with the client in scope).
    pub async fn client_referrals(
        &self,
        actor: &Actor,
        client_id: &str,
    ) -> Result<Vec<Referral>, StoreError> {
        actor.staff_practice("only the practice's staff use the referral directory")?;
        let mut tx = self.begin_read().await?;
        Self::load_client(&mut tx, actor, client_id).await?;
        let out = load_client_referrals(self, &mut tx, client_id).await?;
        tx.commit().await?;
        self.audit_read(actor, "read", "referral", &format!("client:{client_id}"))
            .await?;
        Ok(out)
    }

    /// The referrals of one inquiry, oldest first (the practice's staff).
    pub async fn inquiry_referrals(
        &self,
        actor: &Actor,
        inquiry_id: &str,
    ) -> Result<Vec<Referral>, StoreError> {
        let practice =
            actor.staff_practice("only the practice's staff use the referral directory")?;
        let mut tx = self.begin_read().await?;
        inquiry_in_practice(&mut tx, inquiry_id, &practice).await?;
        let rows = sqlx::query(&format!(
            "{REFERRAL_SQL} WHERE r.inquiry_id = $1 ORDER BY r.referred_on, r.created_at, r.id"
        ))
        .bind(inquiry_id)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        self.audit_read(actor, "read", "referral", &format!("inquiry:{inquiry_id}"))
            .await?;
        rows.iter().map(|r| referral_from(self, r)).collect()
    }

    /// The referrals of every inquiry of the practice, oldest first (for the inbox, which lists them under each).
    pub async fn inquiries_referrals(&self, actor: &Actor) -> Result<Vec<Referral>, StoreError> {
        let practice =
            actor.staff_practice("only the practice's staff use the referral directory")?;
        let mut tx = self.begin_read().await?;
        let rows = sqlx::query(&format!(
            "{REFERRAL_SQL} WHERE r.practice_id = $1 AND r.inquiry_id IS NOT NULL \
             ORDER BY r.referred_on, r.created_at, r.id"
        ))
        .bind(&practice)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        self.audit_read(actor, "list", "referral", "inquiries")
            .await?;
        rows.iter().map(|r| referral_from(self, r)).collect()
    }

    /// Checks and inserts one referral; returns its id.
    #[allow(clippy::too_many_arguments)]
    async fn insert_referral(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        practice: &str,
        client_id: Option<&str>,
        inquiry_id: Option<&str>,
        new: &NewReferral,
        today: Day,
    ) -> Result<String, StoreError> {
        let place =
            sqlx::query("SELECT name FROM referral_places WHERE id = $1 AND practice_id = $2")
                .bind(new.place_id.trim())
                .bind(practice)
                .fetch_optional(&mut **tx)
                .await?
                .ok_or_else(|| invalid("place", "choose a place from the directory"))?;
        let place_name: String = place.try_get(0)?;
        let reason = new.reason.trim();
        if reason.is_empty() {
            return Err(invalid("reason", "say why"));
        }
        if reason.chars().count() > MAX_REASON {
            return Err(invalid(
                "reason",
                format!("must be at most {MAX_REASON} characters"),
            ));
        }
        if new.referred_on > today {
            return Err(invalid("referred_on", "cannot be after today"));
        }
        let id = new_id();
        let sealed = self
            .keys()
            .seal(&format!("referrals.reason_enc.{id}"), reason)?;
        append(tx, actor, "create", "referral", &id).await?;
        let now = now_ms();
        sqlx::query(
            "INSERT INTO referrals (id, practice_id, client_id, inquiry_id, place_id, place_name, reason_enc, referred_on, \
             referred_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
        )
        .bind(&id)
        .bind(practice)
        .bind(client_id.map(str::to_string))
        .bind(inquiry_id.map(str::to_string))
        .bind(new.place_id.trim())
        .bind(place_name)
        .bind(sealed)
        .bind(new.referred_on.to_string())
        .bind(&actor.user_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(id)
    }

    /// One referral just written, read back for the caller (its write was audited).
    async fn one_referral(&self, practice: &str, id: &str) -> Result<Referral, StoreError> {
        let row = sqlx::query(&format!(
            "{REFERRAL_SQL} WHERE r.id = $1 AND r.practice_id = $2"
        ))
        .bind(id)
        .bind(practice)
        .fetch_one(self.pool())
        .await?;
        referral_from(self, &row)
    }
}

async fn inquiry_in_practice(
    tx: &mut Transaction<'static, Any>,
    inquiry_id: &str,
    practice: &str,
) -> Result<(), StoreError> {
    sqlx::query("SELECT 1 FROM inquiries WHERE id = $1 AND practice_id = $2")
        .bind(inquiry_id)
        .bind(practice)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(not_found("inquiry"))?;
    Ok(())
}

async fn insert_place(
    tx: &mut Transaction<'static, Any>,
    id: &str,
    practice: &str,
    p: &CleanPlace,
    actor: &Actor,
    suggestion: Option<&str>,
) -> Result<(), StoreError> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO referral_places (id, practice_id, name, kind, offers_nb, offers_en, eligibility_nb, eligibility_en, \
         languages, region, phone, email, web, is_public, checked_on, checked_by, staff_note, suggestion, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19)",
    )
    .bind(id)
    .bind(practice)
    .bind(&p.name)
    .bind(p.kind.as_str())
    .bind(p.offers_nb.clone())
    .bind(p.offers_en.clone())
    .bind(p.eligibility_nb.clone())
    .bind(p.eligibility_en.clone())
    .bind(&p.languages)
    .bind(p.region.clone())
    .bind(p.phone.clone())
    .bind(p.email.clone())
    .bind(p.web.clone())
    .bind(i64::from(p.public))
    .bind(p.checked_on.map(|d| d.to_string()))
    .bind(p.checked_on.map(|_| actor.user_id.clone()))
    .bind(p.staff_note.clone())
    .bind(suggestion.map(str::to_string))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

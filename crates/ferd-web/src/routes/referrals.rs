//! The referral directory: the staff's list of places the practice refers people to (admins add, edit, check, make
//! public or internal, delete), recording that a client or a person who wrote in was referred on, and the public page
//! `/<lang>/referrals` with the places that are public and checked within the last twelve months.
//!
//! "Today" is the practice's local date (the request's time zone), the date a check is recorded under.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use ferd_core::calendar::Day;
use ferd_core::referrals::{self, PlaceKind, Suggestion, Suggestions};
use ferd_store::{NewReferral, PlaceInput, Referral, ReferralPlace, StoreError};

use super::site::{
    aria_invalid, field_error, form_status, layout, practice, practice_name, FieldError, SiteLayout,
};
use super::{see_other, NoticeQuery};
use crate::context::{Admin, Ctx, Staff, Therapist};
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::site::page_path;
use crate::views::{html, html_status, Layout};
use crate::AppState;

/// The public page's slug, in every language.
pub const SLUG: &str = "referrals";

pub fn routes() -> Router<AppState> {
    let mut r = Router::new()
        .route("/referrals", get(directory).post(create_place))
        .route("/referrals/new", get(new_place_page))
        .route("/referrals/suggestions", post(add_suggestions))
        .route("/referrals/{id}", get(edit_place_page).post(update_place))
        .route("/referrals/{id}/checked", post(mark_checked))
        .route("/referrals/{id}/visibility", post(set_visibility))
        .route("/referrals/{id}/delete", post(delete_place))
        .route(
            "/clients/{id}/refer",
            get(refer_client_page).post(refer_client),
        )
        .route(
            "/inquiries/{id}/refer",
            get(refer_inquiry_page).post(refer_inquiry),
        );
    for lang in Lang::ALL {
        r = r.route(
            &page_path(lang, SLUG),
            get(move |state: State<AppState>, ctx: Ctx| public_page(state, ctx, lang)),
        );
    }
    r
}

/// The practice's local date.
fn today(tr: &Tr) -> Day {
    let now = ferd_store::now_ms();
    Day::parse(&tr.iso_date(now))
        .unwrap_or_else(|_| Day::from_days_since_epoch(now.div_euclid(86_400_000)))
}

/// A kind's heading (plural) and its name in a list (singular).
fn group_title(tr: &Tr, kind: PlaceKind) -> String {
    tr.t(&format!("referral-group-{}", kind.as_str()))
}

// ---- The staff's directory ----

/// A place as the staff's directory shows it.
#[derive(Debug)]
struct PlaceRow {
    p: ReferralPlace,
    needs_checking: bool,
    shown: bool,
    /// The suggestion the place was added from, with its source.
    suggestion: Option<&'static Suggestion>,
}

impl PlaceRow {
    fn new(p: ReferralPlace, today: Day) -> PlaceRow {
        PlaceRow {
            needs_checking: p.needs_checking(today),
            shown: p.shown_publicly(today),
            suggestion: p
                .suggestion
                .as_deref()
                .and_then(|s| Suggestions::builtin().get(s)),
            p,
        }
    }
}

#[derive(Template)]
#[template(path = "referrals.html")]
struct DirectoryPage {
    l: Layout,
    groups: Vec<(String, Vec<PlaceRow>)>,
    admin: bool,
    /// Suggested places this directory does not hold yet.
    suggestions_left: usize,
    error: Option<String>,
    public_href: String,
}

impl DirectoryPage {
    fn languages(&self, p: &ReferralPlace) -> Vec<(String, String)> {
        p.languages
            .iter()
            .map(|t| (t.clone(), referrals::language_name(t).to_string()))
            .collect()
    }
    fn tel(&self, phone: &str) -> String {
        referrals::tel_uri(phone)
    }
    fn checked(&self, d: &Day) -> String {
        self.l.tr.civil_date(&d.to_string())
    }
}

fn groups_of(tr: &Tr, places: Vec<ReferralPlace>, today: Day) -> Vec<(String, Vec<PlaceRow>)> {
    let mut groups: Vec<(String, Vec<PlaceRow>)> = Vec::new();
    for kind in PlaceKind::ALL {
        let rows: Vec<PlaceRow> = places
            .iter()
            .filter(|p| p.kind == kind)
            .cloned()
            .map(|p| PlaceRow::new(p, today))
            .collect();
        if !rows.is_empty() {
            groups.push((group_title(tr, kind), rows));
        }
    }
    groups
}

async fn render_directory(
    state: &AppState,
    ctx: &Ctx,
    actor: &ferd_store::Actor,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, AppError> {
    let today = today(&ctx.tr);
    let places = state.store().referral_places(actor).await?;
    let held: Vec<&str> = places
        .iter()
        .filter_map(|p| p.suggestion.as_deref())
        .collect();
    let suggestions_left = Suggestions::builtin()
        .places()
        .iter()
        .filter(|s| !held.contains(&s.id.as_str()))
        .count();
    let page = DirectoryPage {
        l: Layout::new(ctx, "referrals-title", "referrals").with_notice(notice),
        groups: groups_of(&ctx.tr, places, today),
        admin: ctx.is_admin(),
        suggestions_left,
        error: error.clone(),
        public_href: page_path(ctx.tr.lang(), SLUG),
    };
    if error.is_some() {
        html_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
    } else {
        html(&page)
    }
}

async fn directory(
    State(state): State<AppState>,
    Staff(ctx, actor): Staff,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    render_directory(&state, &ctx, &actor, q.text(&ctx), None).await
}

/// Where an action on a place returns: the directory at the place, with a confirmation.
fn back_to_place(id: &str, notice: &str) -> Response {
    let anchor = if id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') {
        format!("#place-{id}")
    } else {
        String::new()
    };
    see_other(&format!("/referrals?notice={notice}{anchor}"))
}

async fn mark_checked(
    State(state): State<AppState>,
    Admin(ctx, actor): Admin,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    state
        .store()
        .mark_referral_place_checked(&actor, &id, today(&ctx.tr))
        .await?;
    Ok(back_to_place(&id, "notice-referral-place-checked"))
}

/// The visibility form: `public` or `internal`.
fn field(body: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(body)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

async fn set_visibility(
    State(state): State<AppState>,
    Admin(ctx, actor): Admin,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let public = match field(&body, "visibility").as_deref() {
        Some("public") => true,
        Some("internal") => false,
        _ => return Err(AppError::BadRequest("visibility".into())),
    };
    match state
        .store()
        .set_referral_place_public(&actor, &id, public, today(&ctx.tr))
        .await
    {
        Ok(()) => Ok(back_to_place(
            &id,
            if public {
                "notice-referral-place-public"
            } else {
                "notice-referral-place-internal"
            },
        )),
        Err(StoreError::Invalid {
            field: "checked_on",
            ..
        }) => {
            let place = state.store().referral_place(&actor, &id).await?;
            let error = ctx.tr.t1("referral-error-publish", "name", &place.name);
            render_directory(&state, &ctx, &actor, None, Some(error)).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn delete_place(
    State(state): State<AppState>,
    Admin(_, actor): Admin,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    state.store().delete_referral_place(&actor, &id).await?;
    Ok(see_other("/referrals?notice=notice-referral-place-deleted"))
}

async fn add_suggestions(
    State(state): State<AppState>,
    Admin(_, actor): Admin,
) -> Result<Response, AppError> {
    state.store().add_suggested_referral_places(&actor).await?;
    Ok(see_other(
        "/referrals?notice=notice-referral-suggestions-added",
    ))
}

// ---- Adding and editing a place ----

/// What the place form holds, as typed.
#[derive(Debug, Clone, Default)]
struct PlaceForm {
    name: String,
    kind: String,
    offers_nb: String,
    offers_en: String,
    eligibility_nb: String,
    eligibility_en: String,
    languages: Vec<String>,
    region: String,
    phone: String,
    email: String,
    web: String,
    checked_on: String,
    /// `public` or `internal`.
    visibility: String,
    staff_note: String,
}

impl PlaceForm {
    fn parse(body: &[u8]) -> PlaceForm {
        let mut f = PlaceForm::default();
        for (k, v) in form_urlencoded::parse(body) {
            let v = v.into_owned();
            match k.as_ref() {
                "name" => f.name = v,
                "kind" => f.kind = v,
                "offers_nb" => f.offers_nb = v,
                "offers_en" => f.offers_en = v,
                "eligibility_nb" => f.eligibility_nb = v,
                "eligibility_en" => f.eligibility_en = v,
                "languages" => f.languages.push(v),
                "region" => f.region = v,
                "phone" => f.phone = v,
                "email" => f.email = v,
                "web" => f.web = v,
                "checked_on" => f.checked_on = v,
                "visibility" => f.visibility = v,
                "staff_note" => f.staff_note = v,
                _ => {}
            }
        }
        f
    }

    fn of(p: &ReferralPlace) -> PlaceForm {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        PlaceForm {
            name: p.name.clone(),
            kind: p.kind.as_str().to_string(),
            offers_nb: text(&p.offers_nb),
            offers_en: text(&p.offers_en),
            eligibility_nb: text(&p.eligibility_nb),
            eligibility_en: text(&p.eligibility_en),
            languages: p.languages.clone(),
            region: text(&p.region),
            phone: text(&p.phone),
            email: text(&p.email),
            web: text(&p.web),
            checked_on: p.checked_on.map(|d| d.to_string()).unwrap_or_default(),
            visibility: if p.public { "public" } else { "internal" }.into(),
            staff_note: text(&p.staff_note),
        }
    }

    /// The store's input, or the field whose date cannot be read.
    fn input(&self) -> Result<PlaceInput, &'static str> {
        let checked_on = match self.checked_on.trim() {
            "" => None,
            d => Some(Day::parse(d).map_err(|_| "checked_on")?),
        };
        let public = match self.visibility.as_str() {
            "public" => true,
            "internal" | "" => false,
            _ => return Err("visibility"),
        };
        Ok(PlaceInput {
            name: self.name.clone(),
            kind: self.kind.clone(),
            offers_nb: self.offers_nb.clone(),
            offers_en: self.offers_en.clone(),
            eligibility_nb: self.eligibility_nb.clone(),
            eligibility_en: self.eligibility_en.clone(),
            languages: self.languages.clone(),
            region: self.region.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            web: self.web.clone(),
            public,
            checked_on,
            staff_note: self.staff_note.clone(),
        })
    }
}

/// The explanation of a refused field, in the reader's language. Which rule was broken is told apart from the
/// input (the store names only the field).
fn place_error(tr: &Tr, field: &'static str, f: &PlaceForm, today: Day) -> FieldError {
    let key = match field {
        "checked_on" => match Day::parse(f.checked_on.trim()) {
            _ if f.checked_on.trim().is_empty() => "referral-error-checked-needed",
            Err(_) => "referral-error-checked-date",
            Ok(d) if d > today => "referral-error-checked-future",
            Ok(_) => "referral-error-checked-stale",
        },
        "phone"
            if f.phone.trim().is_empty()
                && f.email.trim().is_empty()
                && f.web.trim().is_empty() =>
        {
            "referral-error-contact-none"
        }
        "name" => "referral-error-name",
        "kind" => "referral-error-kind",
        "offers_nb" | "offers_en" => "referral-error-offers",
        "languages" => "referral-error-languages",
        "phone" => "referral-error-phone",
        "email" => "referral-error-email",
        "web" => "referral-error-web",
        "region" => "referral-error-region",
        "visibility" => "referral-error-visibility",
        _ => "referral-error-long",
    };
    FieldError {
        field,
        message: tr.t(key),
    }
}

#[derive(Template)]
#[template(path = "referral_place.html")]
struct PlacePage {
    l: Layout,
    /// None for a new place.
    id: Option<String>,
    f: PlaceForm,
    errors: Vec<FieldError>,
    kinds: Vec<(&'static str, String)>,
    languages: Vec<(&'static str, &'static str)>,
    today: String,
}

impl PlacePage {
    fn error(&self, field: &str) -> Option<&str> {
        field_error(&self.errors, field)
    }
    fn invalid(&self, field: &str) -> &'static str {
        aria_invalid(&self.errors, field)
    }
    fn speaks(&self, tag: &str) -> bool {
        self.f.languages.iter().any(|l| l == tag)
    }
}

fn place_page(
    ctx: &Ctx,
    id: Option<String>,
    f: PlaceForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let title = if id.is_some() {
        "referral-edit-title"
    } else {
        "referral-new-title"
    };
    let status = form_status(&errors);
    html_status(
        status,
        &PlacePage {
            l: Layout::new(ctx, title, "referrals"),
            id,
            f,
            errors,
            kinds: PlaceKind::ALL
                .iter()
                .map(|k| {
                    (
                        k.as_str(),
                        ctx.tr.t(&format!("referral-kind-{}", k.as_str())),
                    )
                })
                .collect(),
            languages: referrals::LANGUAGES.to_vec(),
            today: today(&ctx.tr).to_string(),
        },
    )
}

async fn new_place_page(Admin(ctx, _): Admin) -> Result<Response, AppError> {
    let f = PlaceForm {
        kind: PlaceKind::Therapist.as_str().into(),
        visibility: "internal".into(),
        ..PlaceForm::default()
    };
    place_page(&ctx, None, f, Vec::new())
}

async fn edit_place_page(
    State(state): State<AppState>,
    Admin(ctx, actor): Admin,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let p = state.store().referral_place(&actor, &id).await?;
    place_page(&ctx, Some(id), PlaceForm::of(&p), Vec::new())
}

async fn create_place(
    State(state): State<AppState>,
    Admin(ctx, actor): Admin,
    body: Bytes,
) -> Result<Response, AppError> {
    save_place(&state, &ctx, &actor, None, PlaceForm::parse(&body)).await
}

async fn update_place(
    State(state): State<AppState>,
    Admin(ctx, actor): Admin,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    save_place(&state, &ctx, &actor, Some(id), PlaceForm::parse(&body)).await
}

/// Saves a new or changed place; a refused field sends the form back (422) as typed, with nothing stored.
async fn save_place(
    state: &AppState,
    ctx: &Ctx,
    actor: &ferd_store::Actor,
    id: Option<String>,
    f: PlaceForm,
) -> Result<Response, AppError> {
    let today = today(&ctx.tr);
    let input = match f.input() {
        Ok(i) => i,
        Err(field) => {
            let e = place_error(&ctx.tr, field, &f, today);
            return place_page(ctx, id, f, vec![e]);
        }
    };
    let saved = match &id {
        None => state
            .store()
            .add_referral_place(actor, &input, today)
            .await
            .map(|p| p.id),
        Some(id) => state
            .store()
            .update_referral_place(actor, id, &input, today)
            .await
            .map(|()| id.clone()),
    };
    match saved {
        Ok(saved) => Ok(back_to_place(&saved, "notice-referral-place-saved")),
        Err(StoreError::Invalid { field, .. }) => {
            let e = place_error(&ctx.tr, field, &f, today);
            place_page(ctx, id, f, vec![e])
        }
        Err(e) => Err(e.into()),
    }
}

// ---- Recording a referral ----

#[derive(Template)]
#[template(path = "refer.html")]
struct ReferPage {
    l: Layout,
    /// Whom the referral is about.
    who: String,
    action: String,
    back: String,
    referrals: Vec<Referral>,
    /// The directory's places by kind: (heading, [(id, label)]).
    groups: Vec<(String, Vec<(String, String)>)>,
    place: String,
    reason: String,
    referred_on: String,
    errors: Vec<FieldError>,
}

impl ReferPage {
    fn error(&self, field: &str) -> Option<&str> {
        field_error(&self.errors, field)
    }
    fn invalid(&self, field: &str) -> &'static str {
        aria_invalid(&self.errors, field)
    }
    fn date(&self, d: &Day) -> String {
        self.l.tr.civil_date(&d.to_string())
    }
}

/// What the referral form holds, as typed.
#[derive(Debug, Default)]
struct ReferForm {
    place: String,
    reason: String,
    referred_on: String,
}

impl ReferForm {
    fn parse(body: &[u8]) -> ReferForm {
        ReferForm {
            place: field(body, "place").unwrap_or_default(),
            reason: field(body, "reason").unwrap_or_default(),
            referred_on: field(body, "referred_on").unwrap_or_default(),
        }
    }
}

/// Whom a referral page is about.
enum Subject {
    Client(String),
    Inquiry(String),
}

impl Subject {
    fn action(&self) -> String {
        match self {
            Subject::Client(id) => format!("/clients/{id}/refer"),
            Subject::Inquiry(id) => format!("/inquiries/{id}/refer"),
        }
    }
    fn back(&self) -> String {
        match self {
            Subject::Client(id) => format!("/clients/{id}#referrals"),
            Subject::Inquiry(id) => format!("/inquiries#inq-{id}"),
        }
    }
    /// The person's name and their referrals so far.
    async fn load(
        &self,
        state: &AppState,
        actor: &ferd_store::Actor,
    ) -> Result<(String, Vec<Referral>), AppError> {
        Ok(match self {
            Subject::Client(id) => (
                state.store().client(actor, id).await?.name,
                state.store().client_referrals(actor, id).await?,
            ),
            Subject::Inquiry(id) => {
                let name = state
                    .store()
                    .inquiries(actor)
                    .await?
                    .into_iter()
                    .find(|i| &i.id == id)
                    .ok_or(AppError::NotFound)?
                    .name;
                (name, state.store().inquiry_referrals(actor, id).await?)
            }
        })
    }
}

async fn refer_page(
    state: &AppState,
    ctx: &Ctx,
    actor: &ferd_store::Actor,
    subject: Subject,
    form: ReferForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let (who, referrals) = subject.load(state, actor).await?;
    let today = today(&ctx.tr);
    let places = state.store().referral_places(actor).await?;
    let groups = PlaceKind::ALL
        .iter()
        .map(|k| {
            let options = places
                .iter()
                .filter(|p| p.kind == *k)
                .map(|p| {
                    let label = if p.needs_checking(today) {
                        ctx.tr.t1("referral-option-unchecked", "name", &p.name)
                    } else {
                        p.name.clone()
                    };
                    (p.id.clone(), label)
                })
                .collect::<Vec<_>>();
            (group_title(&ctx.tr, *k), options)
        })
        .filter(|(_, o)| !o.is_empty())
        .collect();
    let status = form_status(&errors);
    let mut l = Layout::new(
        ctx,
        "referral-record-title",
        match subject {
            Subject::Client(_) => "clients",
            Subject::Inquiry(_) => "inquiries",
        },
    );
    l.title = ctx.tr.t1("referral-record-title", "name", &who);
    html_status(
        status,
        &ReferPage {
            l,
            who,
            action: subject.action(),
            back: subject.back(),
            referrals,
            groups,
            place: form.place,
            reason: form.reason,
            referred_on: if form.referred_on.is_empty() {
                today.to_string()
            } else {
                form.referred_on
            },
            errors,
        },
    )
}

async fn refer_client_page(
    State(state): State<AppState>,
    Therapist(ctx, actor): Therapist,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let subject = Subject::Client(id);
    refer_page(&state, &ctx, &actor, subject, ReferForm::default(), vec![]).await
}

async fn refer_inquiry_page(
    State(state): State<AppState>,
    Therapist(ctx, actor): Therapist,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let subject = Subject::Inquiry(id);
    refer_page(&state, &ctx, &actor, subject, ReferForm::default(), vec![]).await
}

async fn refer_client(
    State(state): State<AppState>,
    Therapist(ctx, actor): Therapist,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    record(
        &state,
        &ctx,
        &actor,
        Subject::Client(id),
        ReferForm::parse(&body),
    )
    .await
}

async fn refer_inquiry(
    State(state): State<AppState>,
    Therapist(ctx, actor): Therapist,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    record(
        &state,
        &ctx,
        &actor,
        Subject::Inquiry(id),
        ReferForm::parse(&body),
    )
    .await
}

/// Records a referral; a refused field sends the form back (422) as typed, with nothing stored.
async fn record(
    state: &AppState,
    ctx: &Ctx,
    actor: &ferd_store::Actor,
    subject: Subject,
    form: ReferForm,
) -> Result<Response, AppError> {
    let today = today(&ctx.tr);
    let refused = |field: &'static str, key: &str| FieldError {
        field,
        message: ctx.tr.t(key),
    };
    let referred_on = match form.referred_on.trim() {
        "" => today,
        d => match Day::parse(d) {
            Ok(d) => d,
            Err(_) => {
                let e = refused("referred_on", "referral-error-date");
                return refer_page(state, ctx, actor, subject, form, vec![e]).await;
            }
        },
    };
    let new = NewReferral {
        place_id: form.place.clone(),
        reason: form.reason.clone(),
        referred_on,
    };
    let result = match &subject {
        Subject::Client(id) => state.store().refer_client(actor, id, &new, today).await,
        Subject::Inquiry(id) => state.store().refer_inquiry(actor, id, &new, today).await,
    };
    match result {
        Ok(_) => Ok(see_other(&match &subject {
            Subject::Client(id) => {
                format!("/clients/{id}?notice=notice-referral-recorded#referrals")
            }
            Subject::Inquiry(id) => {
                format!("/inquiries?notice=notice-referral-recorded#inq-{id}")
            }
        })),
        Err(StoreError::Invalid { field, .. }) => {
            let e = match field {
                "place" => refused("place", "referral-error-place"),
                "reason" => refused("reason", "referral-error-reason"),
                _ => refused("referred_on", "referral-error-date-future"),
            };
            refer_page(state, ctx, actor, subject, form, vec![e]).await
        }
        Err(e) => Err(e.into()),
    }
}

// ---- The public page ----

/// A text in the reader's language, else the other one, with the `lang` to mark it by when it is not the page's.
#[derive(Debug)]
struct Shown {
    text: String,
    lang: Option<&'static str>,
}

/// Picks the reader's language, then the languages a missing message falls back to (English, then the others).
fn pick(reader: Lang, nb: &Option<String>, en: &Option<String>) -> Option<Shown> {
    let written = [("nb", nb), ("en", en)];
    std::iter::once(reader)
        .chain(reader.fallbacks())
        .map(Lang::tag)
        .find_map(|tag| {
            written
                .iter()
                .find(|(t, _)| *t == tag)
                .and_then(|(t, v)| v.as_ref().map(|v| (*t, v)))
                .map(|(t, v)| Shown {
                    text: v.clone(),
                    lang: (t != reader.tag()).then_some(t),
                })
        })
}

/// A place as the public page shows it.
#[derive(Debug)]
struct PublicPlace {
    id: String,
    name: String,
    offers: Option<Shown>,
    eligibility: Option<Shown>,
    /// (tag, the language's own name).
    languages: Vec<(String, String)>,
    region: Option<String>,
    /// (tel: address, as written).
    phone: Option<(String, String)>,
    email: Option<String>,
    /// (address, as shown: without the scheme).
    web: Option<(String, String)>,
    checked_iso: String,
    checked_text: String,
}

#[derive(Template)]
#[template(path = "site/referrals.html")]
struct PublicTemplate {
    l: SiteLayout,
    groups: Vec<(&'static str, String, Vec<PublicPlace>)>,
}

async fn public_page(
    State(state): State<AppState>,
    ctx: Ctx,
    lang: Lang,
) -> Result<Response, AppError> {
    let p = practice(&state).await?;
    let name = practice_name(&p);
    let tr = Tr::new(state.0.i18n.clone(), lang, ctx.tr.time_zone().clone());
    let today = today(&tr);
    let places = match &p {
        Some(p) => state.store().public_referral_places(&p.id, today).await?,
        None => Vec::new(),
    };
    let mut l = layout(
        &state,
        &ctx,
        lang,
        &name,
        SLUG,
        tr.t("referrals-public-title"),
        tr.t1("referrals-public-description", "practice", &name),
    );
    // Written in every language (it is built from the directory, not a content file).
    for a in &mut l.alternates {
        a.written = true;
    }
    l.noindex = false;
    l.x_default = format!("{}{}", ctx.origin, page_path(Lang::Nb, SLUG));
    let groups = PlaceKind::ALL
        .iter()
        .map(|k| {
            let shown = places
                .iter()
                .filter(|p| p.kind == *k)
                .filter_map(|p| {
                    // Only a place with a check date is ever shown (the store returns no other).
                    let checked = p.checked_on?;
                    Some(PublicPlace {
                        id: p.id.clone(),
                        name: p.name.clone(),
                        offers: pick(lang, &p.offers_nb, &p.offers_en),
                        eligibility: pick(lang, &p.eligibility_nb, &p.eligibility_en),
                        languages: p
                            .languages
                            .iter()
                            .map(|t| (t.clone(), referrals::language_name(t).to_string()))
                            .collect(),
                        region: p.region.clone(),
                        phone: p
                            .phone
                            .as_ref()
                            .map(|ph| (referrals::tel_uri(ph), ph.clone())),
                        email: p.email.clone(),
                        web: p.web.as_ref().map(|w| {
                            let shown = w
                                .trim_start_matches("https://")
                                .trim_start_matches("http://")
                                .trim_end_matches('/')
                                .to_string();
                            (w.clone(), shown)
                        }),
                        checked_iso: checked.to_string(),
                        checked_text: tr.civil_date(&checked.to_string()),
                    })
                })
                .collect::<Vec<_>>();
            (k.as_str(), group_title(&tr, *k), shown)
        })
        .filter(|(_, _, v)| !v.is_empty())
        .collect();
    html(&PublicTemplate { l, groups })
}

/// The date the public page last changed (the latest change to a place it shows), for the sitemap.
pub(crate) async fn public_lastmod(state: &AppState, tr: &Tr) -> Result<Option<String>, AppError> {
    let Some(p) = practice(state).await? else {
        return Ok(None);
    };
    let places = state
        .store()
        .public_referral_places(&p.id, today(tr))
        .await?;
    Ok(places
        .iter()
        .map(|p| p.updated_at)
        .max()
        .map(|ms| tr.iso_date(ms)))
}

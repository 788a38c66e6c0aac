//! The synthetic practice that `ferd demo` serves: a fictitious Norwegian practice with an admin, two therapists and
//! 25 clients spread over every phase of the journey, with sessions, questionnaire histories, alerts, inquiries, the
//! referral directory ferd suggests, and one client with a portal login.
//!
//! Everything is written through the store's public API, acting as the practice's own staff, so the demo exercises
//! the same scoping, encryption, scoring and audit paths as real use: the alerts on the dashboard are raised by the
//! store from the answers and session outcomes, never inserted by hand. Times are placed on the practice's local
//! calendar (Europe/Oslo) around `now`, so "today" on the dashboard is always full. Names, e-mail addresses (at
//! domains reserved for examples) and phone numbers (+47 000 …, not a valid Norwegian number) are invented.

use std::sync::Mutex;

use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
use argon2::Argon2;
use ferd_core::calendar::Day;
use ferd_core::referrals::Suggestions;
use ferd_store::{
    Actor, NewClient, NewInquiry, NewReferral, NewSession, NewUser, Role, Store, StoreError,
};
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};

/// One account the demo creates, with the password to print so that someone can sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSignIn {
    /// `admin`, `therapist` or `client`.
    pub role: &'static str,
    pub name: String,
    pub email: String,
    pub password: String,
}

/// The demo practice's name; "Demo:" keeps it from being mistaken for a real practice.
pub const PRACTICE_NAME: &str = "Demo: Fjordlys integrasjonspraksis";

// Fixed and printed: the demo data is synthetic and the practice waives two-factor sign-in.
const ADMIN_PASSWORD: &str = "demo-admin-2026";
const THERAPIST_PASSWORD: &str = "demo-therapist-2026";
const CLIENT_PASSWORD: &str = "demo-client-2026";

const PROTOCOL: &str = "mdma-at";
const TIME_ZONE: &str = "Europe/Oslo";
/// Seeds the answer generator, so every load of the demo shows the same answers.
const SEED: u64 = 0x00F3_4D00_DE30_2026;

const OFFICE: &str = "Fjordlys, samtalerom 1";
const CLINIC: &str = "Klinikk (ekstern)";

/// Loads the synthetic practice into an empty store; returns the sign-ins to print. `now` is Unix ms.
///
/// The store must hold no practice yet: on one that does, this fails with [`StoreError::Invalid`] (field `store`)
/// before writing anything, so loading twice is refused rather than producing a second, clashing practice.
pub async fn load_demo_practice(store: &Store, now: i64) -> Result<Vec<DemoSignIn>, StoreError> {
    let request_id = format!("demo-{}", ferd_store::new_id());
    let system = Actor::system(request_id.clone());
    if !store.practices(&system).await?.is_empty() {
        return Err(StoreError::Invalid {
            field: "store",
            message: "the demo practice loads only into an empty store".into(),
        });
    }
    let clock = Clock::new(now)?;
    let [admin_hash, therapist_hash, client_hash] = password_hashes().await?;

    let practice = store.create_practice(&system, PRACTICE_NAME).await?;
    let mut sign_ins = Vec::new();
    let admin = store
        .create_user(
            &system,
            NewUser {
                practice_id: Some(practice.id.clone()),
                email: "solveig.brekke@fjordlys.example.org".into(),
                display_name: "Solveig Brekke".into(),
                role: Role::Admin,
                practice_admin: true,
                password_hash: Some(admin_hash),
            },
        )
        .await?;
    sign_ins.push(DemoSignIn {
        role: "admin",
        name: admin.display_name.clone(),
        email: admin.email.clone(),
        password: ADMIN_PASSWORD.into(),
    });
    let admin_actor = Actor {
        user_id: admin.id.clone(),
        role: Role::Admin,
        practice_id: Some(practice.id.clone()),
        practice_admin: true,
        client_id: None,
        request_id: request_id.clone(),
    };
    store.set_practice_two_factor(&admin_actor, false).await?;

    let mut therapists = Vec::new();
    for (name, email) in THERAPISTS {
        let user = store
            .create_user(
                &system,
                NewUser {
                    practice_id: Some(practice.id.clone()),
                    email: email.into(),
                    display_name: name.into(),
                    role: Role::Therapist,
                    practice_admin: false,
                    password_hash: Some(therapist_hash.clone()),
                },
            )
            .await?;
        sign_ins.push(DemoSignIn {
            role: "therapist",
            name: user.display_name.clone(),
            email: user.email.clone(),
            password: THERAPIST_PASSWORD.into(),
        });
        therapists.push(Actor {
            user_id: user.id,
            role: Role::Therapist,
            practice_id: Some(practice.id.clone()),
            practice_admin: false,
            client_id: None,
            request_id: request_id.clone(),
        });
    }

    let mut rng = Rng(SEED);
    for (index, plan) in CLIENTS.iter().enumerate() {
        let therapist = &therapists[plan.therapist];
        let client_id = load_client(store, &clock, &mut rng, therapist, index, plan).await?;
        if plan.portal {
            let email = plan.email.ok_or_else(|| StoreError::Invalid {
                field: "email",
                message: format!("the demo's portal client {} needs one", plan.name),
            })?;
            open_portal(store, &clock, therapist, &client_id, &client_hash).await?;
            sign_ins.push(DemoSignIn {
                role: "client",
                name: plan.name.into(),
                email: email.into(),
                password: CLIENT_PASSWORD.into(),
            });
        }
    }

    let mut inquiry_ids = Vec::new();
    for inquiry in INQUIRIES {
        let submitted = store
            .submit_inquiry(
                NewInquiry {
                    practice_id: practice.id.clone(),
                    name: inquiry.name.into(),
                    email: inquiry.email.into(),
                    phone: inquiry.phone.map(str::to_string),
                    language: inquiry.lang.into(),
                    message: inquiry.message.into(),
                    consent_version: None,
                },
                &request_id,
            )
            .await?;
        inquiry_ids.push((inquiry.name, submitted.id));
    }
    load_referrals(store, &clock, &admin_actor, &therapists[0], &inquiry_ids).await?;
    Ok(sign_ins)
}

/// The referral directory: ferd's suggested places, added by the admin in one action as a new practice would. The
/// demo's admin then records a check today of those whose sources the project verified and makes them public, so
/// the demo's public page has entries; the Østfold PTSD study, whose status is unverified, stays internal and
/// unchecked ("needs checking"). One inquirer, a veteran, is referred on to it, to show the record.
async fn load_referrals(
    store: &Store,
    clock: &Clock,
    admin: &Actor,
    therapist: &Actor,
    inquiries: &[(&str, String)],
) -> Result<(), StoreError> {
    let today = Day::parse(&clock.today.to_string()).map_err(|e| StoreError::Invalid {
        field: "now",
        message: e.to_string(),
    })?;
    store.add_suggested_referral_places(admin).await?;
    let places = store.referral_places(admin).await?;
    for place in &places {
        let verified = place
            .suggestion
            .as_deref()
            .and_then(|s| Suggestions::builtin().get(s))
            .is_some_and(|s| s.verified);
        if verified {
            store
                .mark_referral_place_checked(admin, &place.id, today)
                .await?;
            store
                .set_referral_place_public(admin, &place.id, true, today)
                .await?;
        }
    }
    let study = places
        .iter()
        .find(|p| p.suggestion.as_deref() == Some("sykehuset-ostfold-mdma-ptsd"));
    let veteran = inquiries.iter().find(|(name, _)| *name == "Michael Rowe");
    if let (Some(study), Some((_, inquiry))) = (study, veteran) {
        store
            .refer_inquiry(
                therapist,
                inquiry,
                &NewReferral {
                    place_id: study.id.clone(),
                    reason: "Veteran with PTSD for years; the Østfold study recruited veterans. Asked him to talk \
                             with his GP, who can ask the study team whether it still takes participants; his \
                             sertraline would need the study doctors' view."
                        .into(),
                    referred_on: today,
                },
                today,
            )
            .await?;
    }
    Ok(())
}

/// The argon2id hashes of the three demo passwords. Argon2 is deliberately slow, so each is computed once per
/// process (the three in parallel) and reused: the passwords are public anyway.
async fn password_hashes() -> Result<[String; 3], StoreError> {
    static HASHES: Mutex<Option<[String; 3]>> = Mutex::new(None);
    if let Some(hashes) = HASHES.lock().ok().and_then(|h| h.clone()) {
        return Ok(hashes);
    }
    let (admin, therapist, client) = tokio::try_join!(
        hash(ADMIN_PASSWORD),
        hash(THERAPIST_PASSWORD),
        hash(CLIENT_PASSWORD)
    )?;
    let hashes = [admin, therapist, client];
    if let Ok(mut cached) = HASHES.lock() {
        *cached = Some(hashes.clone());
    }
    Ok(hashes)
}

async fn hash(password: &'static str) -> Result<String, StoreError> {
    let failed = |e: String| StoreError::Invalid {
        field: "password",
        message: format!("cannot hash the demo password: {e}"),
    };
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| failed(e.to_string()))
    })
    .await
    .map_err(|e| failed(e.to_string()))?
}

/// Creates one client with their journey, consents, sessions, questionnaires and alerts. Returns the client's id.
async fn load_client(
    store: &Store,
    clock: &Clock,
    rng: &mut Rng,
    actor: &Actor,
    index: usize,
    plan: &Plan,
) -> Result<String, StoreError> {
    let phase = ferd_core::journey::phase_index(plan.phase).ok_or_else(|| StoreError::Invalid {
        field: "phase",
        message: format!("{} is not a journey phase", plan.phase),
    })?;
    let client = store
        .create_client(
            actor,
            NewClient {
                therapist_id: None,
                name: plan.name.into(),
                email: plan.email.map(str::to_string),
                phone: plan.phone.map(str::to_string),
                birth_year: plan.birth_year,
                emergency_contact: plan.emergency.map(str::to_string),
                preferred_language: plan.lang.into(),
            },
        )
        .await?;
    let id = client.id;
    let start = clock.date(-plan.days_in)?;
    let journey = store
        .start_journey(actor, &id, PROTOCOL, plan.phase, clock.ms(start, 9, 0)?)
        .await?;
    // Template events happen on journey days before today and belong to the phases the client has reached.
    let reached = |day: i64, event_phase: &str| {
        day < plan.days_in
            && ferd_core::journey::phase_index(event_phase).is_some_and(|p| p <= phase)
    };

    // The sessions so far, dated back from today: held, with a note, unless the plan says otherwise.
    let held: Vec<&SessionEvent> = SESSIONS
        .iter()
        .filter(|e| reached(e.day, e.phase))
        .collect();
    // How many sessions of each phase came before: today's notes continue the sequence.
    let before = |phase: &str| held.iter().filter(|e| e.phase == phase).count();
    let days_ago: Vec<i64> = held.iter().map(|e| plan.days_in - e.day).collect();
    let dates = clock.past_workdays(&days_ago)?;
    let hour = 9 + (index as i8 * 3) % 8;
    for (n_held, (&event, &date)) in held.iter().zip(&dates).enumerate() {
        // Consent is given at the intake session.
        if event.day == INTAKE_DAY {
            let at = clock.ms(date, hour, 0)?;
            let mut kinds = vec!["treatment", "data-processing"];
            if index % 3 == 0 {
                kinds.push("research");
            }
            for kind in kinds {
                store
                    .record_consent(actor, &id, kind, "2026-01", at)
                    .await?;
            }
        }
        let at = if event.kind == "medicine" {
            clock.ms(date, 8, 30)?
        } else {
            clock.ms(date, hour, 0)?
        };
        let session = store
            .add_session(
                actor,
                NewSession {
                    client_id: id.clone(),
                    journey_id: Some(journey.id.clone()),
                    kind: event.kind.into(),
                    scheduled_at: at,
                    duration_minutes: event.minutes,
                    place: event.place.place(),
                    video_link: event.place.video_link(rng),
                    note: None,
                },
            )
            .await?;
        if plan.unrecorded_day == Some(event.day) {
            // Left planned on purpose: the dashboard lists it as a session whose outcome is not recorded.
            continue;
        }
        let special = plan
            .notes
            .iter()
            .find(|(d, _)| *d == event.day)
            .map(|(_, n)| *n);
        let (status, note) = if plan.missed_day == Some(event.day) {
            ("missed", special.unwrap_or(MISSED_NOTE))
        } else if plan.cancelled_days.contains(&event.day) {
            ("cancelled", special.unwrap_or(CANCELLED_NOTE))
        } else {
            let ordinal = held[..n_held]
                .iter()
                .filter(|e| e.phase == event.phase)
                .count();
            (
                "held",
                special.unwrap_or(note_for(event.phase, plan.lang, ordinal, index)),
            )
        };
        store
            .update_session(actor, &session.id, status, Some(note))
            .await?;
        // The screening conversation: the health form is entered from paper, the rules give their findings, and
        // for clients past screening the therapist records a clearance (the medicine session needs one).
        if event.phase == "screening" && status == "held" {
            screen_and_clear(store, actor, &id, index, phase, plan.lang).await?;
        }
    }

    // Questionnaires at each point reached: scheduled, then answered that evening, in order, so that the store
    // judges change against the first response as it would in real use.
    let mut values = Values::default();
    let weights = Weights::new(index);
    for point in POINTS {
        if !reached(point.day, point.phase) {
            continue;
        }
        // Questionnaires are answered at home, weekends included.
        let date = clock.date(point.day - plan.days_in)?;
        let due = clock.ms(date, 8, 0)?;
        let answered = clock.ms(date, 19, 30)?;
        for instrument in point.instruments {
            let assessment = store
                .schedule_assessment(actor, &id, Some(&journey.id), instrument, point.name, due)
                .await?;
            if plan.unanswered.contains(&(*instrument, point.name)) {
                continue;
            }
            let answers = values.answers(rng, &weights, instrument, point.name, plan)?;
            store
                .record_response(
                    actor,
                    &id,
                    Some(&assessment.id),
                    instrument,
                    &answers,
                    answered,
                )
                .await?;
        }
    }
    values.all_used(plan)?;

    // Questionnaires still to come, by day from today (grouped by instrument and point).
    let mut open: Vec<(&str, &str, Vec<i64>)> = Vec::new();
    for (instrument, point, day) in plan.open {
        let due = clock.ms(clock.date(*day)?, 8, 0)?;
        match open
            .iter_mut()
            .find(|(i, p, _)| i == instrument && p == point)
        {
            Some((_, _, dates)) => dates.push(due),
            None => open.push((instrument, point, vec![due])),
        }
    }
    for (instrument, point, dates) in open {
        store
            .schedule_assessments(actor, &id, instrument, point, &dates)
            .await?;
    }

    // The coming sessions. Those of today that have already ended were held; the rest are planned.
    for (n, next) in plan.next.iter().enumerate() {
        let at = clock.ms(clock.workday(next.workday)?, next.hour, 0)?;
        let session = store
            .add_session(
                actor,
                NewSession {
                    client_id: id.clone(),
                    journey_id: Some(journey.id.clone()),
                    kind: kind_of(next.phase).into(),
                    scheduled_at: at,
                    duration_minutes: next.minutes,
                    place: next.place.place(),
                    video_link: next.place.video_link(rng),
                    note: None,
                },
            )
            .await?;
        if at + next.minutes * 60_000 < clock.now {
            let note = note_for(next.phase, plan.lang, before(next.phase) + n, index);
            store
                .update_session(actor, &session.id, "held", Some(note))
                .await?;
        }
    }

    // Alerts the therapist has already seen and taken on.
    if let Some(instrument) = plan.acknowledge {
        for alert in store.client_alerts(actor, &id).await? {
            if alert.acknowledged_at.is_none() && alert.instrument.as_deref() == Some(instrument) {
                store
                    .acknowledge_alert(
                        actor,
                        &alert.id,
                        Some(if plan.lang == "nb" {
                            "Snakket med klienten; fulgt opp i neste time."
                        } else {
                            "Talked with the client; followed up at the next session."
                        }),
                    )
                    .await?;
            }
        }
    }
    Ok(id)
}

/// Invites the client, accepts the invitation with the demo password, and writes their journal as they would.
async fn open_portal(
    store: &Store,
    clock: &Clock,
    therapist: &Actor,
    client_id: &str,
    password_hash: &str,
) -> Result<(), StoreError> {
    // The web layer stores the SHA-256 of a link's token; this token is never sent, so any unique hex will do.
    let token_hash = format!(
        "{}{}",
        ferd_store::new_id().replace('-', ""),
        ferd_store::new_id().replace('-', "")
    );
    store
        .create_invitation(therapist, client_id, &token_hash, clock.now + 7 * DAY_MS)
        .await?;
    let user_id = store
        .accept_invitation(&token_hash, password_hash, clock.now, &therapist.request_id)
        .await?;
    let client = Actor {
        user_id,
        role: Role::Client,
        practice_id: None,
        practice_admin: false,
        client_id: Some(client_id.to_string()),
        request_id: therapist.request_id.clone(),
    };
    for (body, shared) in JOURNAL {
        store.add_journal_entry(&client, body, *shared).await?;
    }
    Ok(())
}

const DAY_MS: i64 = 86_400_000;

/// The practice's calendar around `now`.
struct Clock {
    tz: TimeZone,
    today: Date,
    now: i64,
}

fn time_error(e: jiff::Error) -> StoreError {
    StoreError::Invalid {
        field: "now",
        message: format!("cannot place the demo on the calendar: {e}"),
    }
}

impl Clock {
    fn new(now: i64) -> Result<Clock, StoreError> {
        // Without a time-zone database (a bare container) the demo still loads, on Norwegian winter time.
        let tz = TimeZone::get(TIME_ZONE).unwrap_or_else(|_| TimeZone::fixed(jiff::tz::offset(1)));
        let today = Timestamp::from_millisecond(now)
            .map_err(time_error)?
            .to_zoned_datetime(tz.clone())
            .date();
        Ok(Clock { tz, today, now })
    }

    /// The date `days` calendar days from today.
    fn date(&self, days: i64) -> Result<Date, StoreError> {
        self.today
            .checked_add(Span::new().days(days))
            .map_err(time_error)
    }

    /// Unix ms of a local wall-clock time.
    fn ms(&self, date: Date, hour: i8, minute: i8) -> Result<i64, StoreError> {
        Ok(date
            .at(hour, minute, 0, 0)
            .to_zoned_datetime(self.tz.clone())
            .map_err(time_error)?
            .timestamp()
            .as_millisecond())
    }

    /// Today (`n` = 0, whatever the day), or the `n`th working day after today.
    fn workday(&self, n: i64) -> Result<Date, StoreError> {
        let mut date = self.today;
        let mut left = n;
        while left > 0 {
            date = date.tomorrow().map_err(time_error)?;
            if !weekend(date) {
                left -= 1;
            }
        }
        Ok(date)
    }

    /// The dates of past events `days_ago[i]` days before today (given oldest first), on working days: an event
    /// that would fall on a weekend, on today or later, or on or after the next event's date moves back to the
    /// working day before. Counting back keeps the recent events (a missed session three days ago) where the plan
    /// puts them, whatever weekday today is.
    fn past_workdays(&self, days_ago: &[i64]) -> Result<Vec<Date>, StoreError> {
        let mut dates = Vec::with_capacity(days_ago.len());
        let mut limit = self.today;
        for &ago in days_ago.iter().rev() {
            let mut date = self.date(-ago)?;
            while weekend(date) || date >= limit {
                date = date.yesterday().map_err(time_error)?;
            }
            dates.push(date);
            limit = date;
        }
        dates.reverse();
        Ok(dates)
    }
}

fn weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// SplitMix64: small, fast and deterministic, which is all synthetic answers need.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..1`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A client's own weighting of the items of each instrument, so that their symptom profile stays recognisable
/// from one response to the next while the totals follow the plan.
struct Weights {
    pcl: Vec<f64>,
    phq: Vec<f64>,
    gad: Vec<f64>,
}

impl Weights {
    fn new(index: usize) -> Weights {
        let mut rng = Rng(SEED ^ (index as u64 + 1).wrapping_mul(0xA24B_AED4_963E_E407));
        let mut draw = |n: usize| (0..n).map(|_| 0.4 + 1.2 * rng.unit()).collect();
        Weights {
            pcl: draw(20),
            phq: draw(8),
            gad: draw(7),
        }
    }
}

/// Item answers from `0..=max` that add up to `total`: each point goes to an item with room left, chosen in
/// proportion to the client's weights.
fn spread(rng: &mut Rng, weights: &[f64], max: i64, total: i64) -> Result<Vec<i64>, StoreError> {
    if !(0..=max * weights.len() as i64).contains(&total) {
        return Err(StoreError::Invalid {
            field: "total",
            message: format!("{total} cannot be spread over {} items", weights.len()),
        });
    }
    let mut items = vec![0; weights.len()];
    for _ in 0..total {
        let room: f64 = weights
            .iter()
            .zip(&items)
            .filter(|(_, v)| **v < max)
            .map(|(w, _)| w)
            .sum();
        let mut pick = rng.unit() * room;
        let mut chosen = None;
        for (i, w) in weights.iter().enumerate() {
            if items[i] < max {
                chosen = Some(i);
                pick -= w;
                if pick < 0.0 {
                    break;
                }
            }
        }
        if let Some(i) = chosen {
            items[i] += 1;
        }
    }
    Ok(items)
}

/// Hands out a client's planned totals, instrument by instrument, in the order the points are reached.
#[derive(Default)]
struct Values {
    used: [usize; 3],
}

impl Values {
    fn next(
        &mut self,
        which: usize,
        list: &[i64],
        name: &str,
        instrument: &str,
    ) -> Result<i64, StoreError> {
        let v = list
            .get(self.used[which])
            .copied()
            .ok_or_else(|| StoreError::Invalid {
                field: "plan",
                message: format!("{name} has too few planned {instrument} totals"),
            })?;
        self.used[which] += 1;
        Ok(v)
    }

    fn answers(
        &mut self,
        rng: &mut Rng,
        weights: &Weights,
        instrument: &str,
        point: &str,
        plan: &Plan,
    ) -> Result<Vec<Option<i64>>, StoreError> {
        let answers = match instrument {
            "pc-ptsd-5" => {
                // Exposure "yes", then the five symptom questions: most who write to a PTSD practice screen positive.
                let yes = if plan.pcl.first().is_some_and(|p| *p >= 50) {
                    5
                } else {
                    4
                };
                let mut a = vec![1];
                a.extend((0..5).map(|i| i64::from(i < yes)));
                a
            }
            "pcl-5" => {
                let total = self.next(0, plan.pcl, plan.name, instrument)?;
                spread(rng, &weights.pcl, 4, total)?
            }
            "phq-9" => {
                let total = self.next(1, plan.phq, plan.name, instrument)?;
                // Item 9 (thoughts of death or self-harm) is 0 for everyone but the one planned alert.
                let item9 = i64::from(plan.suicidal_ideation_at == Some(point));
                let mut a = spread(rng, &weights.phq, 3, total - item9)?;
                a.push(item9);
                // Item 10, how difficult the problems make daily life: unscored, follows the total.
                a.push(match total {
                    0..=4 => 0,
                    5..=9 => 1,
                    10..=19 => 2,
                    _ => 3,
                });
                a
            }
            "gad-7" => {
                let total = self.next(2, plan.gad, plan.name, instrument)?;
                spread(rng, &weights.gad, 3, total)?
            }
            other => {
                return Err(StoreError::Invalid {
                    field: "instrument",
                    message: format!("the demo has no answers for {other}"),
                })
            }
        };
        Ok(answers.into_iter().map(Some).collect())
    }

    /// Checks that every planned total was used: a plan out of step with the points is a mistake in this file.
    fn all_used(&self, plan: &Plan) -> Result<(), StoreError> {
        let planned = [plan.pcl.len(), plan.phq.len(), plan.gad.len()];
        if planned == self.used {
            Ok(())
        } else {
            Err(StoreError::Invalid {
                field: "plan",
                message: format!(
                    "{} plans {planned:?} totals but reaches {:?}",
                    plan.name, self.used
                ),
            })
        }
    }
}

/// Where a session takes place.
#[derive(Clone, Copy)]
enum Place {
    Office,
    Video,
    Clinic,
}

impl Place {
    fn place(self) -> Option<String> {
        match self {
            Place::Office => Some(OFFICE.into()),
            Place::Video => None,
            Place::Clinic => Some(CLINIC.into()),
        }
    }

    fn video_link(self, rng: &mut Rng) -> Option<String> {
        match self {
            Place::Video => Some(format!(
                "https://video.example.org/fjordlys/{:08x}",
                rng.next() as u32
            )),
            _ => None,
        }
    }
}

/// The session kind for a conversation in `phase`: sessions are named after their phase, and the conversations
/// before preparation (first contact, screening) are intake-kind.
fn kind_of(phase: &str) -> &'static str {
    match phase {
        "preparation" => "preparation",
        "medicine" => "medicine",
        "integration" => "integration",
        "follow-up" => "follow-up",
        _ => "intake",
    }
}

/// A session of the standard course, on day `day` of the journey.
struct SessionEvent {
    day: i64,
    phase: &'static str,
    kind: &'static str,
    minutes: i64,
    place: Place,
}

const INTAKE_DAY: i64 = 7;

const fn ev(
    day: i64,
    phase: &'static str,
    kind: &'static str,
    minutes: i64,
    place: Place,
) -> SessionEvent {
    SessionEvent {
        day,
        phase,
        kind,
        minutes,
        place,
    }
}

/// The standard course: intake, a screening conversation, three preparation sessions, the medicine session at an
/// external clinic, four integration sessions (the first the day after) and two follow-ups.
const SESSIONS: [SessionEvent; 12] = [
    ev(INTAKE_DAY, "intake", "intake", 90, Place::Office),
    ev(16, "screening", "intake", 60, Place::Office),
    ev(28, "preparation", "preparation", 90, Place::Office),
    ev(35, "preparation", "preparation", 90, Place::Video),
    ev(42, "preparation", "preparation", 90, Place::Office),
    ev(49, "medicine", "medicine", 480, Place::Clinic),
    ev(50, "integration", "integration", 60, Place::Video),
    ev(56, "integration", "integration", 90, Place::Office),
    ev(63, "integration", "integration", 90, Place::Office),
    ev(77, "integration", "integration", 90, Place::Office),
    ev(120, "follow-up", "follow-up", 60, Place::Video),
    ev(140, "follow-up", "follow-up", 60, Place::Office),
];

/// A measurement point of the standard course.
struct Point {
    day: i64,
    phase: &'static str,
    name: &'static str,
    instruments: &'static [&'static str],
}

const FULL: &[&str] = &["pcl-5", "phq-9", "gad-7"];

/// Screening at first contact, baseline before intake, before the medicine session, a week after it, at the end
/// of integration and three months after.
const POINTS: [Point; 6] = [
    Point {
        day: 1,
        phase: "inquiry",
        name: "inquiry",
        instruments: &["pc-ptsd-5"],
    },
    Point {
        day: 4,
        phase: "intake",
        name: "baseline",
        instruments: FULL,
    },
    Point {
        day: 44,
        phase: "preparation",
        name: "preparation",
        instruments: FULL,
    },
    Point {
        day: 57,
        phase: "integration",
        name: "post-session",
        instruments: &["pcl-5", "phq-9"],
    },
    Point {
        day: 84,
        phase: "integration",
        name: "integration",
        instruments: FULL,
    },
    Point {
        day: 140,
        phase: "follow-up",
        name: "follow-up-3m",
        instruments: FULL,
    },
];

/// A coming session: on the `workday`th working day from today (0 = today), at local time.
struct Next {
    workday: i64,
    hour: i8,
    phase: &'static str,
    minutes: i64,
    place: Place,
}

const fn next(workday: i64, hour: i8, phase: &'static str, minutes: i64, place: Place) -> Next {
    Next {
        workday,
        hour,
        phase,
        minutes,
        place,
    }
}

/// One synthetic client: who they are, where they are in the journey and what their questionnaires say.
struct Plan {
    name: &'static str,
    email: Option<&'static str>,
    phone: Option<&'static str>,
    birth_year: Option<i64>,
    emergency: Option<&'static str>,
    lang: &'static str,
    /// 0 or 1: which of [`THERAPISTS`].
    therapist: usize,
    phase: &'static str,
    /// Days since the journey started.
    days_in: i64,
    /// Planned totals, in the order of the points reached.
    pcl: &'static [i64],
    phq: &'static [i64],
    gad: &'static [i64],
    /// (instrument, point) scheduled but never answered: overdue.
    unanswered: &'static [(&'static str, &'static str)],
    /// (instrument, point, day from today) still to come.
    open: &'static [(&'static str, &'static str, i64)],
    next: &'static [Next],
    missed_day: Option<i64>,
    unrecorded_day: Option<i64>,
    cancelled_days: &'static [i64],
    /// Session notes that tell this client's story, by journey day.
    notes: &'static [(i64, &'static str)],
    /// The point whose PHQ-9 answers item 9 above 0.
    suicidal_ideation_at: Option<&'static str>,
    /// The instrument whose deterioration alert the therapist has acknowledged.
    acknowledge: Option<&'static str>,
    portal: bool,
}

const BASE: Plan = Plan {
    name: "",
    email: None,
    phone: None,
    birth_year: None,
    emergency: None,
    lang: "nb",
    therapist: 0,
    phase: "inquiry",
    days_in: 0,
    pcl: &[],
    phq: &[],
    gad: &[],
    unanswered: &[],
    open: &[],
    next: &[],
    missed_day: None,
    unrecorded_day: None,
    cancelled_days: &[],
    notes: &[],
    suicidal_ideation_at: None,
    acknowledge: None,
    portal: false,
};

const THERAPISTS: [(&str, &str); 2] = [
    ("Ingrid Haugland", "ingrid.haugland@fjordlys.example.org"),
    ("Marius Strand Aune", "marius.aune@fjordlys.example.org"),
];

const BASELINE_SOON: &[(&str, &str, i64)] = &[
    ("pcl-5", "baseline", 1),
    ("phq-9", "baseline", 1),
    ("gad-7", "baseline", 1),
];
const BASELINE_LATER: &[(&str, &str, i64)] = &[
    ("pcl-5", "baseline", 4),
    ("phq-9", "baseline", 4),
    ("gad-7", "baseline", 4),
];

/// The 25 clients: 13 with Ingrid Haugland, 12 with Marius Strand Aune. Inquiry 2, intake 3, screening 3,
/// preparation 4, medicine 3, integration 6, follow-up 4.
///
/// The stories the dashboard should tell: Astrid Nygård has a portal login and a PCL-5 due today; Henrik Bakke's
/// PCL-5 has reliably worsened (+17 from baseline); Laura Martínez answered PHQ-9 item 9 above 0 two days ago;
/// Geir Johansen missed a session three days ago; Sigrid Eide's last session has no outcome recorded; Maria Hansen
/// Dahl's PHQ-9 worsened while tapering an antidepressant, and Ingvild Aas's GAD-7 before her medicine session: both
/// alerts already acknowledged. Every other change stays within the instruments' reliable-change thresholds.
static CLIENTS: [Plan; 25] = [
    Plan {
        name: "Astrid Nygård",
        email: Some("astrid.nygard@example.org"),
        phone: Some("+47 000 00 101"),
        birth_year: Some(1984),
        emergency: Some("Ole Nygård (ektefelle), +47 000 00 901"),
        phase: "integration",
        days_in: 80,
        pcl: &[56, 52, 41],
        phq: &[14, 13, 9],
        gad: &[12, 11],
        open: &[("pcl-5", "integration", 0)],
        next: &[next(0, 11, "integration", 60, Place::Video)],
        portal: true,
        ..BASE
    },
    Plan {
        name: "Knut Aleksandersen",
        email: Some("knut.aleksandersen@example.org"),
        phone: Some("+47 000 00 102"),
        birth_year: Some(1971),
        emergency: Some("Randi Aleksandersen (søster), +47 000 00 902"),
        phase: "follow-up",
        days_in: 170,
        pcl: &[62, 58, 45, 38, 27],
        phq: &[18, 16, 12, 9, 7],
        gad: &[13, 12, 8, 6],
        next: &[next(9, 10, "follow-up", 60, Place::Video)],
        notes: &[(INTAKE_DAY, "Inntak. Tidligere soldat, tjenestegjorde i Afghanistan. Mareritt, irritabilitet og unngåelse av folkemengder i mange år. Motivert, god støtte hjemme.")],
        ..BASE
    },
    Plan {
        name: "Emma Lindqvist",
        email: Some("emma.lindqvist@example.net"),
        birth_year: Some(1990),
        lang: "en",
        phase: "integration",
        days_in: 65,
        pcl: &[48, 47, 44],
        phq: &[11, 10, 11],
        gad: &[9, 9],
        next: &[next(2, 9, "integration", 60, Place::Video)],
        ..BASE
    },
    Plan {
        name: "Henrik Bakke",
        email: Some("henrik.bakke@example.org"),
        phone: Some("+47 000 00 104"),
        birth_year: Some(1979),
        emergency: Some("Line Bakke (samboer), +47 000 00 904"),
        phase: "integration",
        days_in: 88,
        pcl: &[38, 41, 50, 55],
        phq: &[9, 10, 12, 13],
        gad: &[8, 9, 11],
        open: &[("pcl-5", "weekly", 3), ("pcl-5", "weekly", 10), ("pcl-5", "weekly", 17)],
        next: &[next(1, 12, "integration", 90, Place::Office)],
        notes: &[(77, "Integrasjon: mer aktivert siden medisinsesjonen, sover dårlig og har hyppigere gjenopplevelser. Ingen tanker om selvskading (spurt direkte). Avtalt ukentlige målinger og tettere oppfølging; tar kontakt med den eksterne klinikken.")],
        ..BASE
    },
    Plan {
        name: "Maria Hansen Dahl",
        email: Some("maria.dahl@example.org"),
        phone: Some("+47 000 00 105"),
        birth_year: Some(1988),
        phase: "preparation",
        days_in: 45,
        pcl: &[50, 53],
        phq: &[8, 16],
        gad: &[10, 12],
        next: &[next(0, 9, "preparation", 90, Place::Office)],
        notes: &[
            (16, "Screeningsamtale: bruker sertralin. Nedtrapping før medisinsesjonen skjer bare i samråd med fastlegen; plan legges sammen med fastlegen."),
            (42, "Forberedelse 3. Nedtrapping av sertralin i samråd med fastlege pågår; merkbart mer nedstemt siste uke. Ingen tanker om selvskading (spurt direkte). Avtalt tettere kontakt til nedtrappingen er over."),
        ],
        acknowledge: Some("phq-9"),
        ..BASE
    },
    Plan {
        name: "Ola Haugen",
        phone: Some("+47 000 00 106"),
        birth_year: Some(1966),
        phase: "screening",
        days_in: 15,
        pcl: &[44],
        phq: &[12],
        gad: &[11],
        next: &[next(0, 16, "screening", 60, Place::Office)],
        ..BASE
    },
    Plan {
        name: "Sara Ahmed",
        email: Some("sara.ahmed@example.net"),
        birth_year: Some(1995),
        lang: "en",
        phase: "intake",
        days_in: 9,
        pcl: &[59],
        phq: &[17],
        gad: &[15],
        next: &[next(2, 13, "screening", 60, Place::Office)],
        ..BASE
    },
    Plan {
        name: "Tor Inge Moen",
        email: Some("tor.inge.moen@example.org"),
        phone: Some("+47 000 00 108"),
        phase: "inquiry",
        days_in: 3,
        open: BASELINE_SOON,
        next: &[next(1, 10, "intake", 90, Place::Office)],
        ..BASE
    },
    Plan {
        name: "Lise Kristiansen",
        email: Some("lise.kristiansen@example.org"),
        phone: Some("+47 000 00 109"),
        birth_year: Some(1982),
        emergency: Some("Anne Kristiansen (mor), +47 000 00 909"),
        phase: "medicine",
        days_in: 47,
        pcl: &[54, 50],
        phq: &[13, 12],
        gad: &[11, 12],
        next: &[next(3, 8, "medicine", 480, Place::Clinic)],
        ..BASE
    },
    Plan {
        name: "Nils Berntsen",
        email: Some("nils.berntsen@example.org"),
        birth_year: Some(1958),
        phase: "follow-up",
        days_in: 150,
        pcl: &[47, 45, 40, 36, 35],
        phq: &[10, 9, 8, 8, 9],
        gad: &[9, 8, 7],
        unanswered: &[("gad-7", "follow-up-3m")],
        cancelled_days: &[120],
        ..BASE
    },
    Plan {
        name: "Hanne Sørlie",
        email: Some("hanne.sorlie@example.org"),
        phone: Some("+47 000 00 111"),
        birth_year: Some(1976),
        phase: "integration",
        days_in: 58,
        pcl: &[51, 49, 33],
        phq: &[12, 11, 7],
        gad: &[10, 9],
        next: &[next(0, 14, "integration", 90, Place::Office)],
        ..BASE
    },
    Plan {
        name: "Daniel Whitfield",
        email: Some("daniel.whitfield@example.com"),
        birth_year: Some(1981),
        lang: "en",
        phase: "screening",
        days_in: 20,
        pcl: &[46],
        phq: &[9],
        unanswered: &[("gad-7", "baseline")],
        next: &[next(4, 14, "screening", 60, Place::Video)],
        ..BASE
    },
    Plan {
        name: "Kari Vestli",
        email: Some("kari.vestli@example.org"),
        phone: Some("+47 000 00 113"),
        birth_year: Some(1969),
        phase: "intake",
        days_in: 10,
        pcl: &[40],
        gad: &[7],
        unanswered: &[("phq-9", "baseline")],
        next: &[next(3, 11, "screening", 60, Place::Office)],
        ..BASE
    },
    // Marius Strand Aune's clients.
    Plan {
        name: "Jon Eivind Rasmussen",
        email: Some("jon.eivind.rasmussen@example.org"),
        phone: Some("+47 000 00 114"),
        birth_year: Some(1963),
        emergency: Some("Berit Rasmussen (kone), +47 000 00 914"),
        therapist: 1,
        phase: "follow-up",
        days_in: 200,
        pcl: &[64, 60, 44, 40, 41],
        phq: &[19, 18, 13, 12, 12],
        gad: &[14, 13, 10, 10],
        next: &[next(10, 10, "follow-up", 60, Place::Video)],
        notes: &[(INTAKE_DAY, "Inntak. Veteran fra internasjonal tjeneste i Libanon. Langvarige plager, tidligere traumefokusert terapi med delvis effekt. Ønsker støtte rundt deltakelse i studie.")],
        ..BASE
    },
    Plan {
        name: "Camilla Foss",
        email: Some("camilla.foss@example.org"),
        birth_year: Some(1992),
        therapist: 1,
        phase: "follow-up",
        days_in: 145,
        pcl: &[45, 43, 28, 24, 22],
        phq: &[11, 10, 6, 5, 4],
        gad: &[10, 9, 5, 4],
        // A cancelled integration session (a cancelled preparation session would have to be made up before the
        // medicine session: the store refuses to book one with preparation missing).
        cancelled_days: &[56],
        ..BASE
    },
    Plan {
        name: "Laura Martínez",
        email: Some("laura.martinez@example.net"),
        phone: Some("+47 000 00 116"),
        birth_year: Some(1987),
        emergency: Some("Carlos Martínez (brother), +47 000 00 916"),
        lang: "en",
        therapist: 1,
        phase: "integration",
        days_in: 86,
        pcl: &[57, 55, 47, 44],
        phq: &[16, 15, 14, 13],
        gad: &[13, 12, 11],
        next: &[next(0, 10, "integration", 60, Place::Office)],
        suicidal_ideation_at: Some("integration"),
        ..BASE
    },
    Plan {
        name: "Geir Johansen",
        email: Some("geir.johansen@example.org"),
        phone: Some("+47 000 00 117"),
        birth_year: Some(1974),
        therapist: 1,
        phase: "integration",
        days_in: 66,
        pcl: &[53, 50, 38],
        phq: &[13, 12, 8],
        gad: &[11, 10],
        missed_day: Some(63),
        next: &[next(1, 14, "integration", 90, Place::Office)],
        ..BASE
    },
    Plan {
        name: "Ingvild Aas",
        email: Some("ingvild.aas@example.org"),
        phone: Some("+47 000 00 118"),
        birth_year: Some(1985),
        emergency: Some("Per Aas (far), +47 000 00 918"),
        therapist: 1,
        phase: "medicine",
        days_in: 51,
        pcl: &[49, 46],
        phq: &[9, 10],
        gad: &[7, 14],
        next: &[next(0, 13, "integration", 90, Place::Office)],
        notes: &[(42, "Forberedelse 3. Mye forventningsangst foran medisinsesjonen, sover dårlig. Gikk gjennom dagen time for time og hvem som er til stede. Kontakt avtalt kvelden etter.")],
        acknowledge: Some("gad-7"),
        ..BASE
    },
    Plan {
        name: "Tomasz Nowak",
        email: Some("tomasz.nowak@example.com"),
        birth_year: Some(1983),
        lang: "en",
        therapist: 1,
        phase: "medicine",
        days_in: 46,
        pcl: &[58, 56],
        phq: &[12, 12],
        gad: &[10, 10],
        next: &[next(7, 8, "medicine", 480, Place::Clinic)],
        ..BASE
    },
    Plan {
        name: "Sigrid Eide",
        email: Some("sigrid.eide@example.org"),
        birth_year: Some(1997),
        therapist: 1,
        phase: "preparation",
        days_in: 30,
        pcl: &[52],
        phq: &[13],
        gad: &[12],
        unrecorded_day: Some(28),
        next: &[next(2, 10, "preparation", 90, Place::Office)],
        ..BASE
    },
    Plan {
        name: "Andreas Lunde",
        email: Some("andreas.lunde@example.org"),
        phone: Some("+47 000 00 121"),
        birth_year: Some(1980),
        therapist: 1,
        phase: "preparation",
        days_in: 36,
        pcl: &[61],
        phq: &[15],
        gad: &[14],
        next: &[next(1, 9, "preparation", 90, Place::Office)],
        ..BASE
    },
    Plan {
        name: "Marte Fjeldstad",
        email: Some("marte.fjeldstad@example.org"),
        birth_year: Some(1993),
        therapist: 1,
        phase: "preparation",
        days_in: 26,
        pcl: &[47],
        phq: &[10],
        gad: &[9],
        next: &[next(0, 15, "preparation", 90, Place::Office)],
        ..BASE
    },
    Plan {
        name: "Bjørn Tangen",
        phone: Some("+47 000 00 123"),
        birth_year: Some(1961),
        emergency: Some("Kjersti Tangen (datter), +47 000 00 923"),
        therapist: 1,
        phase: "screening",
        days_in: 15,
        pcl: &[50],
        gad: &[9],
        unanswered: &[("phq-9", "baseline")],
        next: &[next(2, 13, "screening", 60, Place::Office)],
        ..BASE
    },
    Plan {
        name: "Ahmad Karimi",
        email: Some("ahmad.karimi@example.net"),
        birth_year: Some(1989),
        lang: "en",
        therapist: 1,
        phase: "intake",
        days_in: 8,
        pcl: &[55],
        phq: &[14],
        gad: &[13],
        next: &[next(3, 15, "screening", 60, Place::Video)],
        ..BASE
    },
    Plan {
        name: "Elin Rønning",
        email: Some("elin.ronning@example.org"),
        therapist: 1,
        phase: "inquiry",
        days_in: 2,
        open: BASELINE_LATER,
        next: &[next(6, 11, "intake", 90, Place::Office)],
        ..BASE
    },
];

const MISSED_NOTE: &str = "Møtte ikke til avtalt time. Ringt to ganger og sendt melding; ikke svar ennå. Ny kontakt i morgen.";
const CANCELLED_NOTE: &str = "Avlyst av klienten (sykdom i familien). Ny time avtalt.";

/// A short session note for the `ordinal`th session (from 0) of `phase`, in the client's language. Preparation
/// and integration notes follow the course in order; the others vary from client to client.
fn note_for(phase: &str, lang: &str, ordinal: usize, client: usize) -> &'static str {
    let pool: &[&str] = match (phase, lang == "en") {
        ("intake", false) => &[
            "Inntakssamtale. Gikk gjennom bakgrunn, traumehistorie i grove trekk og forventninger. Informert om at praksisen ikke gir noe virkestoff; medisinsesjonen skjer i lovlig ramme hos ekstern klinikk. Helseskjema utlevert.",
            "Første samtale. God kontakt. Beskriver mareritt, unngåelse og anspenthet. Samtykke gjennomgått og signert; avtalt screeningsamtale.",
        ],
        ("intake", true) => &[
            "Intake. Went through background, an outline of the trauma history and expectations. Explained that the practice provides no substance; the medicine session takes place in a legal setting at an external clinic. Health forms handed out.",
            "First conversation. Good rapport. Describes nightmares, avoidance and tension. Consent reviewed and signed; screening conversation booked.",
        ],
        ("screening", false) => &[
            "Screeningsamtale: gjennomgått helseskjema. Ingen psykose eller bipolar lidelse hos klienten eller foreldre og søsken. Blodtrykk og hjerterytme normale ifølge fastlege.",
            "Screeningsamtale: gjennomgått medisinliste. Ingen legemidler med kjent interaksjon. Ingen kontraindikasjoner funnet så langt.",
        ],
        ("screening", true) => &[
            "Screening: reviewed the health forms. No psychosis or bipolar disorder in the client, parents or siblings. Blood pressure and heart rhythm normal according to the GP.",
            "Screening: reviewed current medicines. None with a known interaction. No contraindications found so far.",
        ],
        ("preparation", false) => &[
            "Forberedelse: intensjoner og trygghetsplan. Øvde på pust og på å bli værende i ubehag. Klienten kjenner seg tryggere.",
            "Forberedelse: snakket om kropp, grenser og samtykke underveis. Spørsmål om søvn og kosthold besvart.",
            "Forberedelse: gikk gjennom hva som skjer på medisindagen og hvem som er til stede. Støtteperson hjemme avklart.",
        ],
        ("preparation", true) => &[
            "Preparation: intentions and a safety plan. Practised breathing and staying with discomfort. The client feels safer.",
            "Preparation: talked about the body, boundaries and consent during the session. Questions about sleep and food answered.",
            "Preparation: went through what happens on the medicine day and who will be present. Support person at home arranged.",
        ],
        ("medicine", false) => &[
            "Medisinsesjon gjennomført ved ekstern klinikk. Kort telefonsamtale på kvelden: sliten, rolig, trygg hjemme med støtteperson.",
        ],
        ("medicine", true) => &[
            "Medicine session held at the external clinic. Short phone call in the evening: tired, calm, safe at home with a support person.",
        ],
        ("integration", false) => &[
            "Integrasjon: mye inntrykk, gråter lett, opplevde kontakt med sorg. Normaliserte reaksjonene. Sover greit.",
            "Integrasjon: jobber med å sette ord på opplevelsen. Færre mareritt siste uke. Skriver dagbok hjemme.",
            "Integrasjon: knytter innsikter til hverdagen; har tatt opp igjen kontakten med en bror. Ny måling avtalt.",
            "Integrasjon: oppsummerte forløpet så langt. Plan for oppfølging og nye målinger avtalt.",
        ],
        ("integration", true) => &[
            "Integration: many impressions, tearful, felt in touch with grief. Normalised the reactions. Sleeping fairly well.",
            "Integration: working on putting the experience into words. Fewer nightmares this week. Keeping a journal at home.",
            "Integration: linking insights to daily life; has taken up contact with a sibling again. Next measurement agreed.",
            "Integration: summed up the course so far. Follow-up and further measurements agreed.",
        ],
        (_, false) => &[
            "Oppfølging: stabil, i jobb. Bruker fortsatt pusteøvelser. Ønsker ny samtale om tre måneder.",
            "Oppfølging: litt mer uro rundt en årsdag, men ingen akutt risiko. Plan videre avtalt.",
        ],
        (_, true) => &[
            "Follow-up: stable, working. Still using the breathing exercises. Would like another conversation in three months.",
            "Follow-up: somewhat more unsettled around an anniversary, no acute risk. Plan agreed.",
        ],
    };
    let n = if matches!(phase, "preparation" | "integration") {
        ordinal
    } else {
        ordinal + client
    };
    pool[n % pool.len()]
}

/// The portal client's journal: one private entry, two shared with the therapist.
const JOURNAL: &[(&str, bool)] = &[
    (
        "Drømte om det igjen i natt, men våknet uten panikk. Skriver det bare ned her for meg selv.",
        false,
    ),
    (
        "Etter integrasjonstimen: jeg merker at jeg kan tenke på det som skjedde uten å stivne helt. Gikk tur langs sjøen og var til stede hele veien.",
        true,
    ),
    (
        "Til neste time: hvordan holder jeg på roen når det blir travelt på jobb igjen?",
        true,
    ),
];

/// A message waiting in the inbox.
struct DemoInquiry {
    name: &'static str,
    email: &'static str,
    phone: Option<&'static str>,
    lang: &'static str,
    message: &'static str,
}

const INQUIRIES: [DemoInquiry; 4] = [
    DemoInquiry {
        name: "Vegard Tollefsen",
        email: "vegard.tollefsen@example.org",
        phone: Some("+47 000 00 301"),
        lang: "nb",
        message: "Hei! Jeg er med i vurderingen for MDMA-studien ved Sykehuset Østfold og lurer på om dere kan hjelpe med forberedelse og integrering ved siden av oppfølgingen der. Jeg bor i Fredrikstad og kan komme fysisk eller ta det på video.",
    },
    DemoInquiry {
        name: "Michael Rowe",
        email: "michael.rowe@example.com",
        phone: None,
        lang: "en",
        message: "Hello, I'm a former soldier (two tours abroad) and have lived with PTSD for years. I'm on sertraline. I don't know whether I would qualify for anything, but I would like to understand how your qualification process works before I take it further.",
    },
    DemoInquiry {
        name: "Turid Halvorsen",
        email: "turid.halvorsen@example.org",
        phone: Some("+47 000 00 303"),
        lang: "nb",
        message: "Jeg skriver på vegne av faren min, som har slitt med mareritt og uro siden en arbeidsulykke for mange år siden. Han synes det er vanskelig å ta kontakt selv. Kan vi komme sammen til en første samtale?",
    },
    DemoInquiry {
        name: "Julia Becker",
        email: "julia.becker@example.net",
        phone: None,
        lang: "en",
        message: "I have been offered a place in a legal MDMA-assisted therapy programme abroad this autumn and would like preparation and integration support here in Oslo. Do you offer sessions in English, and are you taking new clients?",
    },
];

/// Enters a screening for a demo client (medicines and history varied by client) and, for clients past screening,
/// the therapist's clearance.
async fn screen_and_clear(
    store: &Store,
    actor: &Actor,
    client_id: &str,
    index: usize,
    phase: usize,
    lang: &str,
) -> Result<(), StoreError> {
    use ferd_core::screening::{screen, Day, IntakeFacts, Medication};
    let today = Day::parse("2026-11-01").map_err(|e| StoreError::Database(e.to_string()))?;
    let mut facts = IntakeFacts::new(today);
    facts.age = Some(28 + (index as u32 * 7) % 30);
    match index % 5 {
        0 => facts.medications.push(Medication {
            name: "Sertralin 50 mg".into(),
            stopped: Day::parse("2026-10-01").ok(),
        }),
        1 => facts
            .medications
            .push(Medication::current("Levaxin 100 mikrogram")),
        2 => {
            facts
                .medications
                .push(Medication::current("Paracet ved behov"));
            facts.conditions.push("hypertension".into());
        }
        3 => facts
            .medications
            .push(Medication::current("Metoprolol 50 mg")),
        _ => {}
    }
    let findings = screen(&facts);
    let (record, worst) = ferd_web::screening::findings_record(&findings);
    let answers = serde_json::json!({
        "medications": facts.medications.iter().map(|m| m.name.clone()).collect::<Vec<_>>(),
        "conditions": facts.conditions,
        "age": facts.age,
        "entered_from": "paper",
    });
    let screening = store
        .record_screening(
            actor,
            client_id,
            &answers.to_string(),
            &record.to_string(),
            worst.as_deref(),
        )
        .await?;
    let screening_index = ferd_core::journey::phase_index("screening").unwrap_or(2);
    if phase > screening_index {
        let comment = if lang == "nb" {
            "Gjennomgått med klienten. Ingen kontraindikasjoner; klarert for forberedelse."
        } else {
            "Reviewed with the client. No contraindications; cleared for preparation."
        };
        store
            .record_clearance(actor, client_id, &screening, "cleared", Some(comment))
            .await?;
    }
    Ok(())
}

//! The referral directory and the record of referrals: a place is public only with a current check, referrals are
//! scoped like the people they are about, the reason is sealed, and referrals go with the GDPR export and with
//! erasure.

use ferd_core::calendar::Day;
use ferd_store::{
    Actor, Keyring, NewInquiry, NewReferral, PlaceInput, Store, StoreError, StoreOptions,
};
use sqlx::Row;

use crate::common::{client_id, stores, system, World};

fn day(s: &str) -> Day {
    Day::parse(s).unwrap()
}

const TODAY: &str = "2026-11-26";

fn place(name: &str) -> PlaceInput {
    PlaceInput {
        name: name.into(),
        kind: "private-clinic".into(),
        offers_nb: "Ketaminassistert terapi.".into(),
        offers_en: "Ketamine-assisted therapy.".into(),
        eligibility_en: "Adults with depression.".into(),
        languages: vec!["nb".into(), "en".into()],
        region: "Oslo".into(),
        phone: "+47 22 00 00 00".into(),
        email: "post@klinikk.example.org".into(),
        web: "https://klinikk.example.org".into(),
        ..Default::default()
    }
}

fn is_invalid<T: std::fmt::Debug>(r: Result<T, StoreError>, field: &str) -> bool {
    matches!(&r, Err(StoreError::Invalid { field: f, .. }) if *f == field)
        || panic!("expected {field} to be refused: {r:?}")
}

fn is_not_found<T: std::fmt::Debug>(r: Result<T, StoreError>) -> bool {
    matches!(r, Err(StoreError::NotFound { .. }))
}

async fn inquiry(s: &Store, practice: &str, name: &str) -> String {
    s.submit_inquiry(
        NewInquiry {
            practice_id: practice.into(),
            name: name.into(),
            email: "skriver@example.org".into(),
            language: "nb".into(),
            message: "Jeg står på venteliste og lurer på alternativer.".into(),
            ..Default::default()
        },
        "t",
    )
    .await
    .unwrap()
    .id
}

fn referral(place_id: &str, reason: &str) -> NewReferral {
    NewReferral {
        place_id: place_id.into(),
        reason: reason.into(),
        referred_on: day(TODAY),
    }
}

async fn count(s: &Store, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(bind.to_string())
        .fetch_one(s.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_place_is_public_only_with_the_date_it_was_last_checked() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let today = day(TODAY);
        // Public without a check date: refused, naming the field, and nothing stored.
        let mut p = place("Klinikk uten dato");
        p.public = true;
        assert!(is_invalid(
            s.add_referral_place(&w.a_admin, &p, today).await,
            "checked_on"
        ));
        assert!(s.referral_places(&w.a_admin).await.unwrap().is_empty());
        // With one, it is public.
        p.checked_on = Some(today);
        let shown = s.add_referral_place(&w.a_admin, &p, today).await.unwrap();
        assert!(shown.public && shown.checked_on == Some(today));
        assert_eq!(shown.checked_by.as_deref(), Some("admin@a.no"));
        assert_eq!(
            s.public_referral_places(&w.practice_a, today)
                .await
                .unwrap()
                .len(),
            1
        );
        // Clearing the date of a public place is refused; the place is unchanged.
        let mut cleared = p.clone();
        cleared.checked_on = None;
        assert!(is_invalid(
            s.update_referral_place(&w.a_admin, &shown.id, &cleared, today)
                .await,
            "checked_on"
        ));
        assert_eq!(
            s.referral_place(&w.a_admin, &shown.id).await.unwrap(),
            shown
        );
        // An unchecked place cannot be switched to public either.
        let internal = s
            .add_referral_place(&w.a_admin, &place("Intern klinikk"), today)
            .await
            .unwrap();
        assert!(!internal.public && internal.checked_on.is_none());
        assert!(is_invalid(
            s.set_referral_place_public(&w.a_admin, &internal.id, true, today)
                .await,
            "checked_on"
        ));
        // A check date in the future is no check.
        let mut future = place("Fremtid");
        future.checked_on = Some(today.plus(1));
        assert!(is_invalid(
            s.add_referral_place(&w.a_admin, &future, today).await,
            "checked_on"
        ));
        // And the database itself holds the rule: a public row without a date does not go in.
        let raw = sqlx::query(
            "INSERT INTO referral_places (id, practice_id, name, kind, languages, is_public, created_at, updated_at) \
             VALUES ('x', $1, 'X', 'other', '', 1, 0, 0)",
        )
        .bind(&w.practice_a)
        .execute(s.pool())
        .await;
        assert!(raw.is_err(), "{}: the CHECK constraint refuses it", t.name);
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn a_place_checked_more_than_twelve_months_ago_leaves_the_public_page_until_checked_again() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let then = day("2025-06-01");
        let mut p = place("Gammel sjekk");
        p.public = true;
        p.checked_on = Some(then);
        let old = s.add_referral_place(&w.a_admin, &p, then).await.unwrap();
        let mut fresh = place("Ny sjekk");
        fresh.public = true;
        fresh.checked_on = Some(day("2026-11-01"));
        s.add_referral_place(&w.a_admin, &fresh, day(TODAY))
            .await
            .unwrap();
        // A year to the day later it still shows; the day after, it does not.
        let names = |v: Vec<ferd_store::ReferralPlace>| -> Vec<String> {
            v.into_iter().map(|p| p.name).collect()
        };
        assert_eq!(
            names(
                s.public_referral_places(&w.practice_a, day("2026-06-01"))
                    .await
                    .unwrap()
            ),
            ["Gammel sjekk", "Ny sjekk"],
            "{}",
            t.name
        );
        assert_eq!(
            names(
                s.public_referral_places(&w.practice_a, day("2026-06-02"))
                    .await
                    .unwrap()
            ),
            ["Ny sjekk"],
            "{}",
            t.name
        );
        let today = day(TODAY);
        assert_eq!(
            names(
                s.public_referral_places(&w.practice_a, today)
                    .await
                    .unwrap()
            ),
            ["Ny sjekk"],
            "{}",
            t.name
        );
        // Staff see it as needing a check; it is still marked public, but cannot be made public again as it is.
        let staff = s.referral_place(&w.a_t1, &old.id).await.unwrap();
        assert!(staff.public && staff.needs_checking(today) && !staff.shown_publicly(today));
        s.set_referral_place_public(&w.a_admin, &old.id, false, today)
            .await
            .unwrap();
        assert!(is_invalid(
            s.set_referral_place_public(&w.a_admin, &old.id, true, today)
                .await,
            "checked_on"
        ));
        // Checked today (by whoever checked): public again.
        s.mark_referral_place_checked(&w.a_lead, &old.id, today)
            .await
            .unwrap();
        s.set_referral_place_public(&w.a_admin, &old.id, true, today)
            .await
            .unwrap();
        let again = s.referral_place(&w.a_admin, &old.id).await.unwrap();
        assert_eq!(again.checked_on, Some(today));
        assert_eq!(again.checked_by.as_deref(), Some("lead@a.no"));
        assert_eq!(
            s.public_referral_places(&w.practice_a, today)
                .await
                .unwrap()
                .len(),
            2
        );
        // Another practice's public page shows none of it.
        assert!(s
            .public_referral_places(&w.practice_b, today)
            .await
            .unwrap()
            .is_empty());
        t.drop_schema().await;
    }
}

/// Something wrong done to a good place's input.
type Spoil = Box<dyn Fn(&mut PlaceInput)>;

#[tokio::test]
async fn bad_input_is_refused_by_field_and_stores_nothing() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let today = day(TODAY);
        let cases: Vec<(&str, Spoil)> = vec![
            ("name", Box::new(|p| p.name = "  ".into())),
            ("name", Box::new(|p| p.name = "x".repeat(201))),
            ("kind", Box::new(|p| p.kind = "hospital".into())),
            (
                "offers_nb",
                Box::new(|p| {
                    p.offers_nb.clear();
                    p.offers_en = " ".into();
                }),
            ),
            ("languages", Box::new(|p| p.languages = vec!["xx".into()])),
            ("phone", Box::new(|p| p.phone = "ring oss".into())),
            ("email", Box::new(|p| p.email = "post at klinikk".into())),
            ("web", Box::new(|p| p.web = "klinikk.example.org".into())),
            ("web", Box::new(|p| p.web = "javascript:alert(1)".into())),
            (
                "phone",
                Box::new(|p| {
                    p.phone.clear();
                    p.email.clear();
                    p.web.clear();
                }),
            ),
            ("staff_note", Box::new(|p| p.staff_note = "n".repeat(2_001))),
        ];
        for (field, spoil) in &cases {
            let mut p = place("Klinikk");
            spoil(&mut p);
            assert!(is_invalid(
                s.add_referral_place(&w.a_admin, &p, today).await,
                field
            ));
        }
        assert!(s.referral_places(&w.a_admin).await.unwrap().is_empty());
        // A referral without a place from the directory, without a reason, or dated tomorrow: refused.
        let c = client_id(&w.a_c1);
        let ok = s
            .add_referral_place(&w.a_admin, &place("Klinikk"), today)
            .await
            .unwrap();
        assert!(is_invalid(
            s.refer_client(&w.a_t1, c, &referral("", "grunn"), today)
                .await,
            "place"
        ));
        assert!(is_invalid(
            s.refer_client(&w.a_t1, c, &referral(&ok.id, "  "), today)
                .await,
            "reason"
        ));
        let mut tomorrow = referral(&ok.id, "grunn");
        tomorrow.referred_on = today.plus(1);
        assert!(is_invalid(
            s.refer_client(&w.a_t1, c, &tomorrow, today).await,
            "referred_on"
        ));
        assert_eq!(
            count(s, "SELECT COUNT(*) FROM referrals WHERE client_id = $1", c).await,
            0
        );
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn only_admins_change_the_directory_and_another_practice_finds_nothing() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let today = day(TODAY);
        assert!(matches!(
            s.add_referral_place(&w.a_t1, &place("T"), today).await,
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            s.referral_places(&w.a_c1).await,
            Err(StoreError::Forbidden(_))
        ));
        // A therapist who administers the practice may.
        let p = s
            .add_referral_place(&w.a_lead, &place("Leders klinikk"), today)
            .await
            .unwrap();
        assert_eq!(s.referral_places(&w.a_t1).await.unwrap().len(), 1);
        assert!(matches!(
            s.mark_referral_place_checked(&w.a_t1, &p.id, today).await,
            Err(StoreError::Forbidden(_))
        ));
        // Practice B's admin: not found, whatever they try, and nothing changes.
        assert!(is_not_found(s.referral_place(&w.b_admin, &p.id).await));
        assert!(is_not_found(
            s.update_referral_place(&w.b_admin, &p.id, &place("Kapret"), today)
                .await
        ));
        assert!(is_not_found(
            s.mark_referral_place_checked(&w.b_admin, &p.id, today)
                .await
        ));
        assert!(is_not_found(
            s.set_referral_place_public(&w.b_admin, &p.id, false, today)
                .await
        ));
        assert!(is_not_found(
            s.delete_referral_place(&w.b_admin, &p.id).await
        ));
        assert!(s.referral_places(&w.b_admin).await.unwrap().is_empty());
        assert_eq!(s.referral_place(&w.a_admin, &p.id).await.unwrap(), p);
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn referrals_reach_only_the_client_s_own_scope_and_the_inquiry_s_practice() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let today = day(TODAY);
        let c = client_id(&w.a_c1);
        let a_place = s
            .add_referral_place(&w.a_admin, &place("Klinikk A"), today)
            .await
            .unwrap();
        let b_place = s
            .add_referral_place(&w.b_admin, &place("Klinikk B"), today)
            .await
            .unwrap();
        let r = s
            .refer_client(&w.a_t1, c, &referral(&a_place.id, "Ønsker ketamin."), today)
            .await
            .unwrap();
        assert_eq!(r.client_id.as_deref(), Some(c));
        assert_eq!(
            (r.place_name.as_str(), r.referred_by.as_str()),
            ("Klinikk A", "t1@a.no")
        );
        // The other therapist of the practice does not have this client; practice B does not either.
        assert!(is_not_found(
            s.refer_client(&w.a_t2, c, &referral(&a_place.id, "x"), today)
                .await
        ));
        assert!(is_not_found(
            s.refer_client(&w.b_admin, c, &referral(&b_place.id, "x"), today)
                .await
        ));
        assert!(is_not_found(s.client_referrals(&w.a_t2, c).await));
        assert!(is_not_found(s.client_referrals(&w.b_admin, c).await));
        // Another practice's place is not in this directory.
        assert!(is_invalid(
            s.refer_client(&w.a_t1, c, &referral(&b_place.id, "x"), today)
                .await,
            "place"
        ));
        assert!(matches!(
            s.client_referrals(&w.a_c1, c).await,
            Err(StoreError::Forbidden(_))
        ));
        assert_eq!(s.client_referrals(&w.a_t1, c).await.unwrap(), vec![r]);
        assert_eq!(s.client_referrals(&w.a_admin, c).await.unwrap().len(), 1);

        // An inquiry belongs to the practice's inbox: any of its therapists may refer the person on.
        let q = inquiry(s, &w.practice_a, "Venter Ventesen").await;
        let qr = s
            .refer_inquiry(
                &w.a_t2,
                &q,
                &referral(&a_place.id, "Praksisen er full."),
                today,
            )
            .await
            .unwrap();
        assert_eq!(qr.inquiry_id.as_deref(), Some(q.as_str()));
        assert!(is_not_found(
            s.refer_inquiry(&w.b_admin, &q, &referral(&b_place.id, "x"), today)
                .await
        ));
        assert!(is_not_found(s.inquiry_referrals(&w.b_admin, &q).await));
        assert_eq!(
            s.inquiry_referrals(&w.a_t1, &q).await.unwrap(),
            vec![qr.clone()]
        );
        assert_eq!(
            s.inquiries_referrals(&w.a_t1).await.unwrap(),
            vec![qr],
            "the inbox's list holds the inquiry's referral, not the client's"
        );
        assert!(s.inquiries_referrals(&w.b_admin).await.unwrap().is_empty());
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn the_reason_for_a_referral_is_encrypted_at_rest() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let today = day(TODAY);
        let c = client_id(&w.a_c1);
        let p = s
            .add_referral_place(&w.a_admin, &place("Klinikk"), today)
            .await
            .unwrap();
        let phrase = "Traumefokusert behandling først, på grunn av dissosiasjon";
        let r = s
            .refer_client(&w.a_t1, c, &referral(&p.id, phrase), today)
            .await
            .unwrap();
        let row = sqlx::query("SELECT reason_enc FROM referrals WHERE id = $1")
            .bind(&r.id)
            .fetch_one(s.pool())
            .await
            .unwrap();
        let raw: Vec<u8> = row.try_get(0).unwrap();
        assert!(raw.starts_with(b"FE1"), "{}: an envelope", t.name);
        assert!(
            !raw.windows(12).any(|w| w == &phrase.as_bytes()[..12]),
            "{}: no plain text in the column",
            t.name
        );
        assert_eq!(
            s.keys()
                .open(&format!("referrals.reason_enc.{}", r.id), &raw)
                .unwrap(),
            phrase
        );
        // Bound to its row: the same ciphertext under another referral's id does not open.
        assert!(s
            .keys()
            .open("referrals.reason_enc.another-referral", &raw)
            .is_err());
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn a_client_s_referrals_are_in_their_gdpr_export_and_go_with_erasure() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let today = day(TODAY);
        let c = client_id(&w.a_c1).to_string();
        let p = s
            .add_referral_place(&w.a_admin, &place("Synapse-eksempel"), today)
            .await
            .unwrap();
        s.refer_client(
            &w.a_t1,
            &c,
            &referral(&p.id, "Depresjon i tillegg til PTSD."),
            today,
        )
        .await
        .unwrap();
        let q = inquiry(s, &w.practice_a, "Annen person").await;
        s.refer_inquiry(&w.a_t1, &q, &referral(&p.id, "Full praksis."), today)
            .await
            .unwrap();

        let bundle = s.export_client(&w.a_t1, &c).await.unwrap();
        let requests: Vec<&serde_json::Value> = bundle["entry"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["resource"])
            .filter(|r| r["resourceType"] == "ServiceRequest")
            .collect();
        assert_eq!(
            requests.len(),
            1,
            "{}: the client's referral, not the inquiry's",
            t.name
        );
        let r = requests[0];
        assert_eq!(r["performer"][0]["display"], "Synapse-eksempel");
        assert_eq!(r["authoredOn"], TODAY);
        assert_eq!(r["reasonCode"][0]["text"], "Depresjon i tillegg til PTSD.");
        assert_eq!(r["subject"]["reference"], format!("Patient/{c}"));
        crate::gdpr::validate_with_independent_validators(&format!("referral-{}", t.name), &bundle);
        // The client's own export says where and when, not the therapist's reasons.
        let own = s.export_client(&w.a_c1, &c).await.unwrap().to_string();
        assert!(own.contains("Synapse-eksempel") && !own.contains("Depresjon i tillegg"));

        s.erase_client(&w.a_t1, &c).await.unwrap();
        assert_eq!(
            count(s, "SELECT COUNT(*) FROM referrals WHERE client_id = $1", &c).await,
            0,
            "{}",
            t.name
        );
        assert_eq!(
            count(
                s,
                "SELECT COUNT(*) FROM referrals WHERE inquiry_id = $1",
                &q
            )
            .await,
            1,
            "{}: the inquiry's referral is not the client's",
            t.name
        );
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn an_inquiry_s_referrals_go_when_it_is_deleted_or_expires() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let today = day(TODAY);
        let p = s
            .add_referral_place(&w.a_admin, &place("Klinikk"), today)
            .await
            .unwrap();
        let deleted = inquiry(s, &w.practice_a, "Slettes").await;
        let expires = inquiry(s, &w.practice_a, "Utløper").await;
        for q in [&deleted, &expires] {
            s.refer_inquiry(&w.a_t1, q, &referral(&p.id, "Full."), today)
                .await
                .unwrap();
        }
        s.delete_inquiry(&w.a_t1, &deleted).await.unwrap();
        assert_eq!(
            count(
                s,
                "SELECT COUNT(*) FROM referrals WHERE inquiry_id = $1",
                &deleted
            )
            .await,
            0,
            "{}",
            t.name
        );
        assert_eq!(
            count(
                s,
                "SELECT COUNT(*) FROM referrals WHERE inquiry_id = $1",
                &expires
            )
            .await,
            1
        );
        let later = ferd_store::now_ms() + ferd_store::site::INQUIRY_RETENTION_MS + 1;
        s.purge_expired_public_data(later).await.unwrap();
        assert_eq!(
            count(
                s,
                "SELECT COUNT(*) FROM referrals WHERE inquiry_id = $1",
                &expires
            )
            .await,
            0,
            "{}",
            t.name
        );
        assert!(s.verify_audit().await.unwrap().is_ok());
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn deleting_a_place_keeps_its_referrals_with_the_name_it_had() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let today = day(TODAY);
        let c = client_id(&w.a_c1);
        let p = s
            .add_referral_place(&w.a_admin, &place("Klinikk Fjord"), today)
            .await
            .unwrap();
        s.refer_client(&w.a_t1, c, &referral(&p.id, "grunn"), today)
            .await
            .unwrap();
        assert_eq!(s.referral_place(&w.a_t1, &p.id).await.unwrap().referrals, 1);
        // Renamed: the record follows the directory while the place exists…
        s.update_referral_place(&w.a_admin, &p.id, &place("Klinikk Fjord og Fjell"), today)
            .await
            .unwrap();
        assert_eq!(
            s.client_referrals(&w.a_t1, c).await.unwrap()[0].place_name,
            "Klinikk Fjord og Fjell"
        );
        // …and once deleted keeps the name it had when the referral was made.
        s.delete_referral_place(&w.a_admin, &p.id).await.unwrap();
        let after = &s.client_referrals(&w.a_t1, c).await.unwrap()[0];
        assert_eq!(
            (after.place_id.as_deref(), after.place_name.as_str()),
            (None, "Klinikk Fjord"),
            "{}",
            t.name
        );
        assert!(s.referral_places(&w.a_admin).await.unwrap().is_empty());
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn the_suggested_places_are_added_once_internal_and_unchecked() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let today = day(TODAY);
        let n = ferd_core::referrals::Suggestions::builtin().places().len();
        assert!(matches!(
            s.add_suggested_referral_places(&w.a_t1).await,
            Err(StoreError::Forbidden(_))
        ));
        assert_eq!(
            s.add_suggested_referral_places(&w.a_admin).await.unwrap(),
            n
        );
        assert_eq!(
            s.add_suggested_referral_places(&w.a_admin).await.unwrap(),
            0,
            "{}: not twice",
            t.name
        );
        let places = s.referral_places(&w.a_admin).await.unwrap();
        assert_eq!(places.len(), n);
        assert!(places
            .iter()
            .all(|p| !p.public && p.checked_on.is_none() && p.suggestion.is_some()));
        assert!(s
            .public_referral_places(&w.practice_a, today)
            .await
            .unwrap()
            .is_empty());
        // Each must be checked by the practice before it can be public.
        let first = &places[0];
        assert!(is_invalid(
            s.set_referral_place_public(&w.a_admin, &first.id, true, today)
                .await,
            "checked_on"
        ));
        s.mark_referral_place_checked(&w.a_admin, &first.id, today)
            .await
            .unwrap();
        s.set_referral_place_public(&w.a_admin, &first.id, true, today)
            .await
            .unwrap();
        assert_eq!(
            s.public_referral_places(&w.practice_a, today)
                .await
                .unwrap()
                .len(),
            1
        );
        // Another practice gets its own copies.
        assert_eq!(
            s.add_suggested_referral_places(&w.b_admin).await.unwrap(),
            n
        );
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn every_change_to_the_directory_and_every_referral_is_audited() {
    for t in stores().await {
        let s = &t.store;
        let w = World::build(s).await;
        let today = day(TODAY);
        let c = client_id(&w.a_c1);
        let p = s
            .add_referral_place(&w.a_admin, &place("Klinikk"), today)
            .await
            .unwrap();
        s.update_referral_place(&w.a_admin, &p.id, &place("Klinikk 2"), today)
            .await
            .unwrap();
        s.mark_referral_place_checked(&w.a_admin, &p.id, today)
            .await
            .unwrap();
        s.set_referral_place_public(&w.a_admin, &p.id, true, today)
            .await
            .unwrap();
        let r = s
            .refer_client(&w.a_t1, c, &referral(&p.id, "grunn"), today)
            .await
            .unwrap();
        s.delete_referral_place(&w.a_admin, &p.id).await.unwrap();
        let events = s.audit_events().await.unwrap();
        let has = |actor: &Actor, action: &str, entity: &str, id: &str| {
            events.iter().any(|e| {
                e.actor_id == actor.user_id
                    && e.action == action
                    && e.entity == entity
                    && e.entity_id == id
            })
        };
        for action in ["create", "update", "check", "publish", "delete"] {
            assert!(
                has(&w.a_admin, action, "referral-place", &p.id),
                "{}: {action}",
                t.name
            );
        }
        assert!(has(&w.a_t1, "create", "referral", &r.id));
        s.client_referrals(&w.a_t1, c).await.unwrap();
        let events = s.audit_events().await.unwrap();
        assert!(events.iter().any(|e| e.actor_id == w.a_t1.user_id
            && e.action == "read"
            && e.entity == "referral"
            && e.entity_id == format!("client:{c}")));
        assert!(s.verify_audit().await.unwrap().is_ok());
        t.drop_schema().await;
    }
}

#[tokio::test]
async fn referrals_travel_in_the_archive_and_are_reencrypted_when_keys_rotate() {
    let keys = Keyring::generate().unwrap();
    let a = Store::open("sqlite::memory:", keys.clone(), StoreOptions::default())
        .await
        .unwrap();
    let w = World::build(&a).await;
    let today = day(TODAY);
    let c = client_id(&w.a_c1);
    let p = a
        .add_referral_place(&w.a_admin, &place("Klinikk"), today)
        .await
        .unwrap();
    a.refer_client(&w.a_t1, c, &referral(&p.id, "arkivert grunn"), today)
        .await
        .unwrap();
    let mut out = Vec::new();
    a.export_archive(&mut out).await.unwrap();
    let mut rotated = keys.clone();
    rotated.add_new_key().unwrap();
    let b = Store::open("sqlite::memory:", rotated.clone(), StoreOptions::default())
        .await
        .unwrap();
    b.import_archive(out.as_slice()).await.unwrap();
    assert_eq!(b.reencrypt_all(&system()).await.unwrap(), 1, "the reason");
    rotated.retire_old_keys();
    let mut again = Vec::new();
    b.export_archive(&mut again).await.unwrap();
    let c2 = Store::open(
        "sqlite::memory:",
        Keyring::from_json(&rotated.to_json()).unwrap(),
        StoreOptions::default(),
    )
    .await
    .unwrap();
    c2.import_archive(again.as_slice()).await.unwrap();
    let r = c2.client_referrals(&w.a_t1, c).await.unwrap();
    assert_eq!(
        (r[0].reason.as_str(), r[0].place_name.as_str()),
        ("arkivert grunn", "Klinikk")
    );
    assert_eq!(c2.referral_places(&w.a_admin).await.unwrap().len(), 1);
}

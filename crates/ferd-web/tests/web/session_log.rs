//! The medicine-session log over HTTP: absent until an admin turns clinic mode on; then a therapist records doses,
//! vital signs, fluid, SUDS and a sealed note, sees readings over a threshold highlighted in time order, and has bad
//! input refused by field with nothing stored; other practices, clients and admins are kept out.

use ferd_store::{Actor, Keyring, Store, StoreOptions};
use sqlx::Row;

use crate::common::*;

/// 09:00 in Oslo on 4 March 2030 (CET), when the test's medicine session starts.
fn session_start() -> i64 {
    "2030-03-04T09:00[Europe/Oslo]"
        .parse::<jiff::ZonedDateTime>()
        .unwrap()
        .timestamp()
        .as_millisecond()
}

/// A medicine session for the client, written directly: the journey's guards (clearance, preparation) are tested
/// in journey.rs, and the log only needs a medicine session to hang from.
async fn medicine_session(app: &TestApp, client_id: &str) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO sessions (id, client_id, journey_id, therapist_id, kind, scheduled_at, duration_minutes, place, \
         video_link, status, note_enc, created_at, updated_at) \
         VALUES ($1, $2, NULL, $3, 'medicine', $4, 480, NULL, NULL, 'planned', NULL, 0, 0)",
    )
    .bind(&id)
    .bind(client_id)
    .bind(&app.therapist.id)
    .bind(session_start())
    .execute(app.store.pool())
    .await
    .unwrap();
    id
}

async fn stored(app: &TestApp, session: &str) -> i64 {
    sqlx::query("SELECT COUNT(*) FROM session_readings WHERE session_id = $1")
        .bind(session)
        .fetch_one(app.store.pool())
        .await
        .unwrap()
        .try_get(0)
        .unwrap()
}

fn reading<'a>(time: &'a str, fields: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut v = vec![("date", "2030-03-04"), ("time", time)];
    v.extend_from_slice(fields);
    v
}

#[tokio::test]
async fn a_clinic_records_a_medicine_session_and_readings_over_the_thresholds_stand_out() {
    for backend in backends() {
        let app = spawn(backend).await;
        let c = app.client_id.clone();
        let session = medicine_session(&app, &c).await;
        let log = format!("/clients/{c}/sessions/{session}/log");
        let mut t = app.signed_in(&app.therapist).await;

        // Clinic mode is off by default: no link, and no log.
        assert!(!app.store.clinic_mode(&app.therapist.actor).await.unwrap());
        let page = t.get(&format!("/clients/{c}")).await;
        assert!(!page.body.contains(&log), "{backend}: no link while off");
        assert_eq!(t.get(&log).await.status, 404, "{backend}");
        t.get(&format!("/clients/{c}")).await;
        let r = t.post(&log, &reading("09:00", &[("dose_mg", "120")])).await;
        assert_eq!(r.status, 404, "{backend}: nothing is recorded while off");
        assert_eq!(stored(&app, &session).await, 0);

        // An admin turns it on in the practice settings.
        let mut admin = app.signed_in(&app.admin).await;
        let page = admin.get("/admin").await;
        assert!(
            page.body.contains("name=\"clinic_mode\"")
                && !page.body.contains("checked> <label for=\"clinic_mode\"")
        );
        let r = admin.post("/admin/practice", &[("clinic_mode", "1")]).await;
        assert_eq!(r.status, 303, "{backend}: {}", r.body);
        assert!(app.store.clinic_mode(&app.therapist.actor).await.unwrap());
        let page = admin.get("/admin").await;
        assert!(
            page.body.contains("checked> <label for=\"clinic_mode\""),
            "{backend}: the toggle shows it is on"
        );
        assert_eq!(
            admin.get(&log).await.status,
            403,
            "admins do not see clinical pages"
        );

        // The medicine session now links to its log, which says plainly what its thresholds are.
        let page = t.get(&format!("/clients/{c}")).await;
        assert!(page.body.contains(&format!("href=\"{log}\"")), "{backend}");
        let page = t.get(&log).await;
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        assert!(page.body.contains("Den foreslår aldri en dose"));
        assert!(page.body.contains("er plassholdere"));
        assert!(
            page.body.contains("Vizeli &#38; Liechti 2017"),
            "each threshold has its source"
        );
        assert!(page.body.contains("ikke verifisert, plassholder"));

        // Baseline before the dose, the dose, then readings over the thresholds (entered out of order).
        for (time, fields) in [
            (
                "08:30",
                vec![
                    ("blood_pressure", "128/82"),
                    ("pulse", "72"),
                    ("temperature", "36,8"),
                    ("suds", "6"),
                ],
            ),
            ("09:00", vec![("dose_mg", "120")]),
            ("11:00", vec![("fluid_ml", "250")]),
            (
                "10:30",
                vec![
                    ("blood_pressure", "172/104"),
                    ("pulse", "104"),
                    ("temperature", "37,9"),
                    ("fluid_ml", "300"),
                ],
            ),
            (
                "10:45",
                vec![
                    ("dose_mg", "60"),
                    ("suds", "3"),
                    ("note", "Kvalm en stund; hvilte <b>liggende</b>."),
                ],
            ),
        ] {
            let r = t.post(&log, &reading(time, &fields)).await;
            assert_eq!(r.status, 303, "{backend} {time}: {}", r.body);
            assert!(r.location().ends_with("#readings"));
        }
        assert_eq!(stored(&app, &session).await, 13, "{backend}");
        let page = t.get(&log).await;
        let body = &page.body;
        // The readings' table (the facts above it repeat the doses).
        let table = &body[body.find("<tbody>").unwrap()..];
        let at = |s: &str| {
            table
                .find(s)
                .unwrap_or_else(|| panic!("{backend}: {s} not on the page"))
        };
        // In time order, whatever order they were entered in.
        assert!(at("128/82 mmHg") < at("120 mg") && at("120 mg") < at("172/104 mmHg"));
        assert!(at("172/104 mmHg") < at("Kvalm") && at("Kvalm") < at("250 ml"));
        // Over the thresholds: systolic 172 (escalation placeholder), 1.1 °C over the pre-dose 36.8, pulse 104
        // (alert), and 550 ml within 6 h of the first dose (alert).
        assert_eq!(
            body.matches("class=\"reading-escalate\"").count(),
            2,
            "{backend}"
        );
        assert_eq!(
            body.matches("class=\"reading-alert\"").count(),
            2,
            "{backend}"
        );
        assert!(body.contains("Systolisk blodtrykk over 160 mmHg: tilkall lege (plassholder)"));
        assert!(body.contains("Temperatur 1 °C eller mer over målingen før dosen"));
        assert!(body.contains("Mer enn 500 ml væske"));
        assert!(body.contains("36,8 °C"), "the baseline is shown");
        assert!(
            body.contains("180 mg i alt"),
            "doses are summed, never suggested"
        );
        assert!(body.contains("Tor Terapeut"), "who recorded it");
        assert!(
            body.contains("hvilte &#60;b&#62;liggende&#60;/b&#62;"),
            "{backend}: the note is shown, escaped"
        );
        // The note is sealed in the database.
        let raw: Vec<u8> = sqlx::query("SELECT text_enc FROM session_readings WHERE kind = 'note'")
            .fetch_one(app.store.pool())
            .await
            .unwrap()
            .try_get(0)
            .unwrap();
        assert!(
            !String::from_utf8_lossy(&raw).contains("Kvalm"),
            "{backend}"
        );
        let read = app
            .store
            .session_log(&app.therapist.actor, &c, &session)
            .await
            .unwrap();
        assert_eq!(read.readings.len(), 13);
        assert_eq!(
            read.readings.iter().find_map(|r| r.note.clone()).as_deref(),
            Some("Kvalm en stund; hvilte <b>liggende</b>.")
        );

        // Bad input is refused, each field named, and nothing of the form is stored (not even the good pulse).
        let r = t
            .post(
                &log,
                &reading(
                    "13:00",
                    &[
                        ("blood_pressure", "300/abc"),
                        ("suds", "11"),
                        ("fluid_ml", "-200"),
                        ("pulse", "80"),
                    ],
                ),
            )
            .await;
        assert_eq!(r.status, 422, "{backend}");
        for field in ["blood_pressure", "suds", "fluid_ml"] {
            assert!(
                r.body.contains(&format!("href=\"#{field}\"")),
                "{backend}: {field} is named"
            );
            assert!(
                r.body.contains(&format!("id=\"{field}-error\"")),
                "{backend}: {field} has its message"
            );
        }
        assert!(r
            .body
            .contains("Blodtrykk: skriv det som systolisk/diastolisk"));
        assert!(r.body.contains("SUDS: må være i området 0–10"));
        assert!(
            r.body.contains("Væske: må være i området 1–5"),
            "{backend}: negative fluid"
        );
        assert!(
            r.body.contains("value=\"300/abc\""),
            "what was typed is kept"
        );
        assert!(!r.body.contains("id=\"pulse-error\""));
        assert_eq!(
            stored(&app, &session).await,
            13,
            "{backend}: nothing stored"
        );
        for (fields, field) in [
            (
                vec![("date", "2030-03-04"), ("time", ""), ("pulse", "80")],
                "time",
            ),
            // A week after the session is a typing error: the store refuses it by its time.
            (
                vec![("date", "2030-03-11"), ("time", "10:00"), ("pulse", "80")],
                "time",
            ),
            (vec![("date", "2030-03-04"), ("time", "10:00")], "dose_mg"),
            (
                vec![
                    ("date", "2030-03-04"),
                    ("time", "10:00"),
                    ("dose_mg", "abc"),
                ],
                "dose_mg",
            ),
            (
                vec![
                    ("date", "2030-03-04"),
                    ("time", "10:00"),
                    ("temperature", "3,74"),
                ],
                "temperature",
            ),
        ] {
            let r = t.post(&log, &fields).await;
            assert_eq!(r.status, 422, "{backend}: {fields:?}");
            assert!(
                r.body.contains(&format!("href=\"#{field}\"")),
                "{backend}: {fields:?} names {field}"
            );
        }
        assert_eq!(stored(&app, &session).await, 13);

        // Another practice's therapist (in clinic mode too), an unassigned therapist, a client: kept out.
        app.store
            .set_practice_clinic_mode(&app.foreign_therapist.actor, true)
            .await
            .unwrap();
        let mut foreign = app.signed_in(&app.foreign_therapist).await;
        assert_eq!(foreign.get(&log).await.status, 404, "{backend}");
        foreign.get("/account").await;
        assert_eq!(
            foreign
                .post(&log, &reading("13:00", &[("pulse", "80")]))
                .await
                .status,
            404,
            "{backend}"
        );
        let mut other = app.signed_in(&app.therapist2).await;
        assert_eq!(other.get(&log).await.status, 404, "{backend}");
        let mut client = app.signed_in(&app.client).await;
        assert_eq!(client.get(&log).await.status, 403, "{backend}");
        client.get("/portal").await;
        assert_eq!(
            client
                .post(&log, &reading("13:00", &[("pulse", "80")]))
                .await
                .status,
            403
        );
        // A session that is not a medicine session has no log.
        let intake = app
            .store
            .add_session(
                &app.therapist.actor,
                ferd_store::NewSession {
                    client_id: c.clone(),
                    kind: "intake".into(),
                    scheduled_at: session_start(),
                    duration_minutes: 60,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(
            t.get(&format!("/clients/{c}/sessions/{}/log", intake.id))
                .await
                .status,
            404
        );
        assert_eq!(stored(&app, &session).await, 13);

        // The archive carries the readings exactly, and restores into an empty database.
        let mut first = vec![];
        app.store.export_archive(&mut first).await.unwrap();
        let first = String::from_utf8(first).unwrap();
        assert!(first.contains("\"table\":\"session_readings\""));
        assert!(
            first.contains("\"value_a\":368"),
            "{backend}: 36.8 °C in tenths"
        );
        let dir = std::env::temp_dir().join(format!("ferd-web-test-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let copy = Store::open(
            &format!("sqlite://{}", dir.join("copy.db").display()),
            Keyring::generate().unwrap(),
            StoreOptions::default(),
        )
        .await
        .unwrap();
        copy.import_archive(first.as_bytes()).await.unwrap();
        let mut second = vec![];
        copy.export_archive(&mut second).await.unwrap();
        assert_eq!(first, String::from_utf8(second).unwrap(), "{backend}");
        copy.close().await;

        // Turning clinic mode off hides the log again, and keeps what was recorded.
        let r = admin.post("/admin/practice", &[]).await;
        assert_eq!(r.status, 303);
        assert_eq!(t.get(&log).await.status, 404, "{backend}");
        assert_eq!(stored(&app, &session).await, 13);

        // Erasing the client erases the readings too.
        app.store
            .erase_client(&Actor::system("test"), &c)
            .await
            .unwrap();
        assert_eq!(stored(&app, &session).await, 0, "{backend}");
        app.cleanup().await;
    }
}

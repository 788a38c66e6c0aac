//! Calendar feeds and session files, read by an independent iCalendar parser (Python's `icalendar`): the right
//! sessions at the right wall-clock times across daylight-saving changes in Europe/Oslo, nothing clinical and
//! nobody else's name in them, and addresses that stop working when revoked or replaced.

use std::io::Write;
use std::process::{Command, Stdio};

use ferd_store::NewSession;
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use serde_json::Value;

use crate::common::*;

/// A note that must never reach a calendar.
const NOTE: &str = "SECRET-NOTE-never-in-a-calendar";
/// A place that stays out of calendars too (a feed is copied to a calendar service).
const PLACE: &str = "Room-7-never-in-a-calendar";

/// Reads iCalendar text with Python's `icalendar` and returns what it understood, as JSON: the calendar's
/// properties and each event's UID, summary, status, start and end (Unix ms), the start and end as wall-clock
/// time in Europe/Oslo (Python's own zoneinfo), and the start's instant computed from the file's own VTIMEZONE
/// rules. `None` when the parser is not installed and FERD_REQUIRE_ICALENDAR is not set (CI sets it).
fn parse_ics(text: &str) -> Option<Value> {
    const SCRIPT: &str = r#"
import json, sys
from zoneinfo import ZoneInfo
import icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
oslo = ZoneInfo("Europe/Oslo")
zones = cal.walk("VTIMEZONE")
rules = zones[0].to_tz(lookup_tzid=False) if zones else None
events = []
for e in cal.walk("VEVENT"):
    start, end = e.decoded("DTSTART"), e.decoded("DTEND")
    by_rules = None
    if rules is not None and "TZID" in e["DTSTART"].params:
        by_rules = int(start.replace(tzinfo=None).replace(tzinfo=rules).timestamp() * 1000)
    events.append({
        "uid": str(e["UID"]),
        "summary": str(e["SUMMARY"]),
        "status": str(e["STATUS"]),
        "class": str(e.get("CLASS", "")),
        "start": int(start.timestamp() * 1000),
        "end": int(end.timestamp() * 1000),
        "start_local": start.astimezone(oslo).strftime("%Y-%m-%dT%H:%M"),
        "end_local": end.astimezone(oslo).strftime("%Y-%m-%dT%H:%M"),
        "start_by_file_rules": by_rules,
    })
print(json.dumps({
    "version": str(cal["VERSION"]),
    "prodid": str(cal["PRODID"]),
    "calscale": str(cal.get("CALSCALE", "")),
    "name": str(cal.get("X-WR-CALNAME", "")),
    "timezones": [str(z["TZID"]) for z in zones],
    "events": events,
}))
"#;
    let required = std::env::var_os("FERD_REQUIRE_ICALENDAR").is_some();
    let installed = Command::new("python3")
        .args(["-c", "import icalendar"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !installed {
        assert!(
            !required,
            "FERD_REQUIRE_ICALENDAR is set but Python's icalendar is not installed (pip install icalendar)"
        );
        eprintln!("note: Python's icalendar is not installed; the independent parse of the calendar is skipped");
        return None;
    }
    let mut child = Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "icalendar refused the calendar: {}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

/// The next last Sunday of `month` (March or October) after `now_ms`, and Unix ms of `hh:mm` Oslo time on a day.
struct Oslo(TimeZone);

impl Oslo {
    fn last_sunday_after(&self, month: i8, now_ms: i64) -> Date {
        let today = jiff::Timestamp::from_millisecond(now_ms)
            .unwrap()
            .to_zoned_datetime(self.0.clone())
            .date();
        let mut year = today.year();
        loop {
            let mut d = Date::new(year, month, 31).unwrap();
            while d.weekday() != Weekday::Sunday {
                d = d.yesterday().unwrap();
            }
            // At least two days ahead, so the day before is in the future as well.
            if d > today.tomorrow().unwrap() {
                return d;
            }
            year += 1;
        }
    }

    fn ms(&self, day: Date, hour: i8, minute: i8) -> i64 {
        day.to_datetime(Time::new(hour, minute, 0, 0).unwrap())
            .to_zoned_datetime(self.0.clone())
            .unwrap()
            .timestamp()
            .as_millisecond()
    }
}

/// The address shown once on the account page after creating a feed, as a path on the test server.
fn feed_path(page: &Page) -> String {
    let marker = "id=\"calendar-url\" type=\"url\" readonly value=\"";
    let i = page
        .body
        .find(marker)
        .unwrap_or_else(|| panic!("no calendar address on the page: {}", page.body));
    let rest = &page.body[i + marker.len()..];
    let url = rest[..rest.find('"').unwrap()]
        .replace("&#x2f;", "/")
        .replace("&#47;", "/")
        .replace("&#x3a;", ":")
        .replace("&#58;", ":");
    let path = url[url.find("/calendar/").unwrap()..].to_string();
    assert!(path.ends_with(".ics"), "{url}");
    path
}

async fn session(
    app: &TestApp,
    who: &Person,
    client: &str,
    kind: &str,
    at: i64,
    minutes: i64,
) -> String {
    app.store
        .add_session(
            &who.actor,
            NewSession {
                client_id: client.to_string(),
                kind: kind.into(),
                scheduled_at: at,
                duration_minutes: minutes,
                place: Some(PLACE.into()),
                note: Some(NOTE.into()),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id
}

/// Events as (uid, summary, status, start_local, end_local), by start.
fn events(parsed: &Value) -> Vec<(String, String, String, String, String)> {
    parsed["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap().to_string();
            (
                s("uid"),
                s("summary"),
                s("status"),
                s("start_local"),
                s("end_local"),
            )
        })
        .collect()
}

#[tokio::test]
async fn feeds_carry_the_right_sessions_at_the_right_times_and_stop_when_revoked_or_replaced() {
    for backend in backends() {
        let app = spawn(backend).await;
        let oslo = Oslo(TimeZone::get("Europe/Oslo").unwrap());
        let now = ferd_store::now_ms();
        let spring = oslo.last_sunday_after(3, now);
        let autumn = oslo.last_sunday_after(10, now);
        let (c, o, f) = (&app.client_id, &app.other_client_id, &app.foreign_client_id);
        // Kari (the first therapist's client): 10:00 on either side of both changes, and an hour across the repeated
        // hour of the October night (02:30 summer time to 02:30 winter time).
        let before_spring = session(
            &app,
            &app.therapist,
            c,
            "preparation",
            oslo.ms(spring.yesterday().unwrap(), 10, 0),
            90,
        )
        .await;
        let on_spring = session(
            &app,
            &app.therapist,
            c,
            "integration",
            oslo.ms(spring, 10, 0),
            90,
        )
        .await;
        let before_autumn = session(
            &app,
            &app.therapist,
            c,
            "preparation",
            oslo.ms(autumn.yesterday().unwrap(), 10, 0),
            60,
        )
        .await;
        let on_autumn = session(
            &app,
            &app.therapist,
            c,
            "follow-up",
            oslo.ms(autumn, 10, 0),
            60,
        )
        .await;
        let across = session(
            &app,
            &app.therapist,
            c,
            "integration",
            oslo.ms(autumn, 0, 0) + 150 * 60_000,
            60,
        )
        .await;
        // Left out: a cancelled session, one 40 days ago, one two years ahead.
        let cancelled = session(&app, &app.therapist, c, "intake", now + 5 * 86_400_000, 60).await;
        app.store
            .update_session(&app.therapist.actor, &cancelled, "cancelled", None)
            .await
            .unwrap();
        session(&app, &app.therapist, c, "intake", now - 40 * 86_400_000, 60).await;
        session(
            &app,
            &app.therapist,
            c,
            "follow-up",
            now + 730 * 86_400_000,
            60,
        )
        .await;
        // Other people's clients: never in the first therapist's feed, nor in Kari's.
        session(&app, &app.therapist2, o, "intake", now + 86_400_000, 60).await;
        session(
            &app,
            &app.foreign_therapist,
            f,
            "intake",
            now + 86_400_000,
            60,
        )
        .await;

        // The therapist makes a feed; the address is shown once on the account page.
        let mut t = app.signed_in(&app.therapist).await;
        let account = t.get("/account").await;
        assert!(account.body.contains("id=\"calendar\""), "{}", account.body);
        let made = t.post("/account/calendar", &[]).await;
        assert_eq!(made.status, 200, "{}", made.body);
        let path = feed_path(&made);
        assert!(
            !t.get("/account").await.body.contains("calendar-url"),
            "the address is shown once only"
        );

        // Anyone with the address reads it, without a session or cookies.
        let mut anonymous = app.browser();
        let feed = anonymous.get(&path).await;
        assert_eq!(feed.status, 200, "{}", feed.body);
        assert_eq!(feed.headers["content-type"], "text/calendar; charset=utf-8");
        assert_eq!(feed.headers["cache-control"], "no-store");
        assert!(
            feed.headers.get("set-cookie").is_none(),
            "a feed sets no cookie"
        );
        let text = &feed.body;
        for absent in [NOTE, PLACE, "Klient", "Ola", "Fremmed", &cancelled] {
            assert!(!text.contains(absent), "{absent:?} in the feed:\n{text}");
        }
        assert!(text.contains("SUMMARY:Forberedelse: Kari K.\r\n"), "{text}");
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 5, "{text}");

        if let Some(parsed) = parse_ics(text) {
            assert_eq!(parsed["version"], "2.0");
            assert_eq!(parsed["calscale"], "GREGORIAN");
            assert_eq!(parsed["name"], "ferd – timer");
            assert!(parsed["prodid"].as_str().unwrap().contains("ferd"));
            assert_eq!(parsed["timezones"][0], "Europe/Oslo");
            let got = events(&parsed);
            let day = |d: Date| d.to_string();
            let want = [
                (
                    &before_spring,
                    "Forberedelse: Kari K.",
                    format!("{}T10:00", day(spring.yesterday().unwrap())),
                    format!("{}T11:30", day(spring.yesterday().unwrap())),
                ),
                (
                    &on_spring,
                    "Integrering: Kari K.",
                    format!("{}T10:00", day(spring)),
                    format!("{}T11:30", day(spring)),
                ),
                (
                    &before_autumn,
                    "Forberedelse: Kari K.",
                    format!("{}T10:00", day(autumn.yesterday().unwrap())),
                    format!("{}T11:00", day(autumn.yesterday().unwrap())),
                ),
                (
                    &across,
                    "Integrering: Kari K.",
                    format!("{}T02:30", day(autumn)),
                    format!("{}T02:30", day(autumn)),
                ),
                (
                    &on_autumn,
                    "Oppfølging: Kari K.",
                    format!("{}T10:00", day(autumn)),
                    format!("{}T11:00", day(autumn)),
                ),
            ];
            assert_eq!(got.len(), want.len(), "{got:#?}");
            for ((uid, summary, status, start, end), (id, s, ws, we)) in got.iter().zip(want.iter())
            {
                assert_eq!(uid, &format!("{id}@ferd"));
                assert_eq!(summary, s);
                assert_eq!(status, "CONFIRMED");
                assert_eq!((start, end), (ws, we), "{summary}");
            }
            // The instants are exact, and the file's own VTIMEZONE rules give the same instants as Python's zoneinfo.
            for e in parsed["events"].as_array().unwrap() {
                let start = e["start"].as_i64().unwrap();
                let end = e["end"].as_i64().unwrap();
                assert!(end > start);
                assert_eq!(e["class"], "PRIVATE");
                if let Some(by_rules) = e["start_by_file_rules"].as_i64() {
                    assert_eq!(by_rules, start, "{e}");
                }
            }
            let across_event = &parsed["events"][3];
            assert_eq!(
                across_event["end"].as_i64().unwrap() - across_event["start"].as_i64().unwrap(),
                3_600_000
            );
        }

        // Reading the feed is audited as the therapist reading.
        let events_logged = app.store.audit_events().await.unwrap();
        assert!(events_logged.iter().any(|e| e.action == "read"
            && e.entity == "calendar-feed"
            && e.actor_id == app.therapist.id));

        // Replacing gives a new address and the old one stops; revoking stops the new one too.
        let replaced = t.post("/account/calendar", &[]).await;
        let new_path = feed_path(&replaced);
        assert_ne!(new_path, path);
        assert_eq!(anonymous.get(&path).await.status, 404);
        assert_eq!(anonymous.get(&new_path).await.status, 200);
        let revoked = t.post("/account/calendar/revoke", &[]).await;
        assert_eq!(revoked.status, 303);
        assert!(revoked
            .location()
            .starts_with("/account?notice=notice-calendar-revoked"));
        assert_eq!(anonymous.get(&new_path).await.status, 404);
        assert!(t
            .get("/account")
            .await
            .body
            .contains("Du har ingen kalenderadresse."));
        // Unknown addresses look the same as revoked ones.
        assert_eq!(
            anonymous.get("/calendar/nothing-here.ics").await.status,
            404
        );
        assert_eq!(
            anonymous.get(&new_path.replace(".ics", "")).await.status,
            404
        );

        // The client's feed has their own sessions, named by kind only.
        let mut k = app.signed_in(&app.client).await;
        let made = k.post("/account/calendar", &[]).await;
        assert_eq!(made.status, 200, "{}", made.body);
        let client_path = feed_path(&made);
        let feed = anonymous.get(&client_path).await;
        assert_eq!(feed.status, 200);
        for absent in [
            NOTE, PLACE, "Kari", "Klient", "Ola", "Fremmed", "Tor", &cancelled,
        ] {
            assert!(
                !feed.body.contains(absent),
                "{absent:?} in the client's feed:\n{}",
                feed.body
            );
        }
        assert_eq!(
            feed.body.matches("BEGIN:VEVENT").count(),
            5,
            "{}",
            feed.body
        );
        if let Some(parsed) = parse_ics(&feed.body) {
            let got = events(&parsed);
            let summaries: Vec<&str> = got.iter().map(|e| e.1.as_str()).collect();
            assert_eq!(
                summaries,
                [
                    "Forberedelse",
                    "Integrering",
                    "Forberedelse",
                    "Integrering",
                    "Oppfølging"
                ]
            );
        }

        // A disabled user's feed stops with their sign-in.
        app.store
            .set_user_disabled(&app.admin.actor, &app.client.id, true)
            .await
            .unwrap();
        assert_eq!(anonymous.get(&client_path).await.status, 404);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_single_session_downloads_as_ics_for_its_client_and_their_therapist_only() {
    for backend in backends() {
        let app = spawn(backend).await;
        let oslo = Oslo(TimeZone::get("Europe/Oslo").unwrap());
        let now = ferd_store::now_ms();
        let spring = oslo.last_sunday_after(3, now);
        let at = oslo.ms(spring, 10, 0);
        let id = session(&app, &app.therapist, &app.client_id, "preparation", at, 90).await;
        let other = session(
            &app,
            &app.therapist2,
            &app.other_client_id,
            "intake",
            at,
            60,
        )
        .await;
        let path = format!("/sessions/{id}.ics");

        // The therapist finds the link on the client page and downloads the file.
        let mut t = app.signed_in(&app.therapist).await;
        let page = t.get(&format!("/clients/{}", app.client_id)).await;
        assert!(
            page.body.contains(&format!("href=\"{path}\"")),
            "{}",
            page.body
        );
        let file = t.get(&path).await;
        assert_eq!(file.status, 200, "{}", file.body);
        assert_eq!(file.headers["content-type"], "text/calendar; charset=utf-8");
        let disposition = file.headers["content-disposition"].to_str().unwrap();
        assert!(
            disposition.starts_with("attachment; filename=\"ferd-"),
            "{disposition}"
        );
        assert!(!file.body.contains(NOTE) && !file.body.contains(PLACE));
        if let Some(parsed) = parse_ics(&file.body) {
            let got = events(&parsed);
            assert_eq!(got.len(), 1);
            assert_eq!(got[0].0, format!("{id}@ferd"));
            assert_eq!(got[0].1, "Forberedelse: Kari K.");
            assert_eq!(got[0].3, format!("{spring}T10:00"));
            assert_eq!(got[0].4, format!("{spring}T11:30"));
            assert_eq!(parsed["events"][0]["start"].as_i64().unwrap(), at);
        }
        // A session that is not there, or a path without the suffix, is not found.
        assert_eq!(t.get(&format!("/sessions/{other}.ics")).await.status, 404);
        assert_eq!(t.get(&format!("/sessions/{id}")).await.status, 404);

        // The client, from the portal, gets the same session without anyone's name.
        let mut k = app.signed_in(&app.client).await;
        let portal = k.get("/portal").await;
        assert!(
            portal.body.contains(&format!("href=\"{path}\"")),
            "{}",
            portal.body
        );
        let file = k.get(&path).await;
        assert_eq!(file.status, 200, "{}", file.body);
        assert!(
            file.body.contains("SUMMARY:Forberedelse\r\n"),
            "{}",
            file.body
        );
        assert!(!file.body.contains("Kari"));
        assert_eq!(k.get(&format!("/sessions/{other}.ics")).await.status, 404);

        // Another practice's therapist and the other therapist find nothing; the admin may not; nobody signed in is
        // sent to sign in.
        let mut foreign = app.signed_in(&app.foreign_therapist).await;
        assert_eq!(foreign.get(&path).await.status, 404);
        let mut t2 = app.signed_in(&app.therapist2).await;
        assert_eq!(t2.get(&path).await.status, 404);
        let mut admin = app.signed_in(&app.admin).await;
        assert_eq!(admin.get(&path).await.status, 403);
        assert!(
            !admin.get("/account").await.body.contains("id=\"calendar\""),
            "admins have no calendar"
        );
        let mut anonymous = app.browser();
        let r = anonymous.get(&path).await;
        assert_eq!((r.status, r.location().as_str()), (303, "/login"));
        app.cleanup().await;
    }
}

//! Protocol templates, the schedules they generate, and the journey state machine.

use ferd_core::journey::protocol::{Occurrence, Planned, StepAnchor, Window};
use ferd_core::journey::*;
use ferd_core::Catalogue;
use proptest::prelude::*;

fn protocol(id: &str) -> &'static Protocol {
    Protocols::builtin()
        .get(id)
        .unwrap_or_else(|| panic!("no protocol {id}"))
}

fn day(y: i32, m: u32, d: u32) -> Day {
    Day::from_ymd(y, m, d).unwrap()
}

fn session<'a>(s: &'a Schedule, key: &str) -> &'a PlannedSession {
    s.session(key).unwrap_or_else(|| panic!("no session {key}"))
}

fn of_kind(s: &Schedule, kind: SessionKind) -> Vec<&PlannedSession> {
    s.sessions.iter().filter(|x| x.kind == kind).collect()
}

// ----- the bundled templates -----

#[test]
fn every_protocol_file_loads_with_its_stable_id() {
    assert_eq!(
        Protocols::builtin().ids(),
        [
            "mdma-at",
            "mdma-at-mp18",
            "integration-only",
            "psilocybin-trd-comp360"
        ]
    );
    for p in Protocols::builtin().iter() {
        assert!(!p.plan().is_empty(), "{}", p.id);
        assert!(p.title.has("en") && p.title.has("nb"), "{}", p.id);
    }
}

#[test]
fn every_instrument_a_protocol_names_is_in_the_instrument_catalogue() {
    let catalogue = Catalogue::builtin();
    for p in Protocols::builtin().iter() {
        for a in &p.assessments {
            for ins in &a.instruments {
                assert!(catalogue.get(ins).is_some(), "{} {}: {ins}", p.id, a.id);
            }
        }
    }
}

#[test]
fn every_number_cites_a_source_listed_in_its_file() {
    for p in Protocols::builtin().iter() {
        let listed = |id: &str| p.source(id).is_some();
        assert!(listed(&p.source), "{}", p.id);
        for g in &p.sessions {
            assert!(listed(&g.source), "{} {}", p.id, g.id);
            for s in &g.steps {
                assert!(listed(&s.source), "{} {}", p.id, g.id);
            }
        }
        for a in &p.assessments {
            assert!(listed(&a.source), "{} {}", p.id, a.id);
        }
        for s in &p.sources {
            assert!(!s.citation.trim().is_empty(), "{} {}", p.id, s.id);
        }
    }
}

#[test]
fn every_label_is_in_english_and_norwegian_with_its_placeholders_filled() {
    for p in Protocols::builtin().iter() {
        for item in p.plan() {
            for lang in ["en", "nb"] {
                let text = item.label.get(lang);
                assert!(item.label.has(lang), "{} {} {lang}", p.id, item.key);
                assert!(!text.contains('{'), "{} {}: {text}", p.id, item.key);
            }
        }
    }
}

#[test]
fn the_mapp_template_has_three_preparation_three_medicine_and_three_integration_sessions_after_each(
) {
    let p = protocol("mdma-at");
    assert_eq!(p.preparation_sessions(), 3);
    assert_eq!(p.medicine_sessions(), 3);
    assert_eq!(p.integration_sessions_per_block(), 3);
    let g = |id: &str| p.group(id).unwrap();
    assert_eq!(g("preparation").duration_minutes, 90);
    assert_eq!(g("medicine").duration_minutes, 480);
    assert_eq!(g("integration").duration_minutes, 90);
    // Medicine sessions: target four weeks apart, three to five weeks allowed.
    for step in &g("medicine").steps[1..] {
        assert_eq!(step.anchor, StepAnchor::Previous);
        assert_eq!(step.days, 28);
        assert_eq!((step.window.min, step.window.max), (21, 35));
    }
    // Integration: the morning after, then about weekly.
    let integration: Vec<i64> = g("integration").steps.iter().map(|s| s.days).collect();
    assert_eq!(integration, [1, 8, 15]);
    assert_eq!(g("integration").steps[0].window.max, 1);
    // Daily phone check-ins for the week after each medicine session.
    let check_in = g("check-in");
    assert_eq!(
        (check_in.kind, check_in.contact),
        (SessionKind::FollowUp, Contact::Phone)
    );
    assert_eq!(
        check_in.steps.iter().map(|s| s.days).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5, 6, 7]
    );
    // Outcome about eight weeks after the last medicine session, follow-up at 6 and 12 months.
    assert_eq!(g("primary-outcome").steps[0].days, 56);
    assert_eq!(g("follow-up-6-months").steps[0].days, 182);
    assert_eq!(g("follow-up-12-months").steps[0].days, 365);
}

#[test]
fn the_mp18_variant_has_two_medicine_sessions_and_an_outcome_visit_eight_weeks_after_the_last() {
    let p = protocol("mdma-at-mp18");
    assert_eq!(p.medicine_sessions(), 2);
    assert_eq!(p.preparation_sessions(), 3);
    assert_eq!(p.integration_sessions_per_block(), 3);
    let s = p.schedule(day(2026, 1, 5), &ScheduleOptions::default());
    let last = session(&s, "medicine.2").day;
    assert_eq!(session(&s, "primary-outcome.1").day.days_after(last), 56);
    assert!(s.session("medicine.3").is_none());
}

#[test]
fn the_integration_only_journey_has_no_preparation_or_medicine() {
    let p = protocol("integration-only");
    assert_eq!(p.medicine_sessions(), 0);
    assert_eq!(p.preparation_sessions(), 0);
    assert_eq!(p.integration_sessions_per_block(), 3);
    assert!(p.medicine.is_none());
    let s = p.schedule(day(2026, 1, 5), &ScheduleOptions::default());
    assert!(of_kind(&s, SessionKind::Medicine).is_empty());
    assert_eq!(of_kind(&s, SessionKind::Integration).len(), 3);
}

#[test]
fn the_psilocybin_template_has_one_session_and_its_primary_end_point_at_week_3() {
    let p = protocol("psilocybin-trd-comp360");
    assert_eq!(p.medicine.as_deref(), Some("psilocybin"));
    assert_eq!(p.medicine_sessions(), 1);
    let s = p.schedule(day(2026, 1, 5), &ScheduleOptions::default());
    let m = session(&s, "medicine.1").day;
    assert_eq!(session(&s, "integration.1.1").day.days_after(m), 1);
    assert_eq!(session(&s, "primary-outcome.1").day.days_after(m), 21);
    assert_eq!(session(&s, "follow-up-12-weeks.1").day.days_after(m), 84);
    assert!(p
        .assessments
        .iter()
        .all(|a| !a.instruments.contains(&"pcl-5".to_string())));
}

#[test]
fn numbers_not_confirmed_against_the_trials_are_marked_unverified() {
    let mapp = protocol("mdma-at");
    let check_in = mapp.group("check-in").unwrap();
    assert!(!check_in.verified && check_in.steps.iter().all(|s| !s.verified));
    // The morning-after session is confirmed for MP-8, not for MAPP.
    let integration = mapp.group("integration").unwrap();
    assert!(!integration.steps[0].verified && integration.steps[1].verified);
    assert!(mapp.group("medicine").unwrap().verified);

    let mp18 = protocol("mdma-at-mp18");
    assert!(!mp18.group("preparation").unwrap().verified);
    assert!(!mp18.group("integration").unwrap().verified);
    assert!(!mp18.group("medicine").unwrap().steps[1].verified);

    let psilocybin = protocol("psilocybin-trd-comp360");
    assert!(!psilocybin.group("preparation").unwrap().verified);
    assert!(psilocybin.group("primary-outcome").unwrap().steps[0].verified);
}

#[test]
fn phone_check_ins_are_follow_up_calls_and_never_count_as_integration() {
    for id in ["mdma-at", "mdma-at-mp18"] {
        let p = protocol(id);
        let s = p.schedule(day(2026, 1, 5), &ScheduleOptions::default());
        let calls: Vec<_> = s
            .sessions
            .iter()
            .filter(|x| x.contact == Contact::Phone)
            .collect();
        assert_eq!(calls.len() as u32, 7 * p.medicine_sessions(), "{id}");
        assert!(calls.iter().all(|c| c.kind == SessionKind::FollowUp));
        let integration = of_kind(&s, SessionKind::Integration).len() as u32;
        assert_eq!(
            integration,
            p.integration_sessions_per_block() * p.medicine_sessions()
        );
    }
}

// ----- rejecting broken files -----

const MINIMAL: &str = r#"
id = "t"
version = "1"
name = "T"
short_name = "T"
indication = "PTSD"
medicine = "MDMA"
summary = "s"
citation = "c"
source = "S1"
title = { en = "T" }

[[sessions]]
id = "intake"
kind = "intake"
label = { en = "Intake" }
duration_minutes = 60
time = "10:00"
source = "S1"
steps = [{ days = 0 }]

[[sessions]]
id = "preparation"
kind = "preparation"
label = { en = "Preparation {n}" }
duration_minutes = 90
time = "10:00"
source = "S1"
timing_source = "S1"
steps = [{ after = "intake", days = 7, window = [1, 14] }]

[[sessions]]
id = "medicine"
kind = "medicine"
label = { en = "Medicine session {n}" }
duration_minutes = 480
time = "09:00"
source = "S1"
timing_source = "S1"
steps = [{ after = "preparation", days = 7, window = [1, 28] }, { after = "previous", days = 28, window = [21, 35] }]

[[sessions]]
id = "integration"
kind = "integration"
per = "medicine"
label = { en = "Integration {block}.{n}" }
duration_minutes = 90
time = "10:00"
source = "S1"
timing_source = "S1"
steps = [{ after = "medicine", days = 1, window = [1, 1] }]

[[assessments]]
id = "baseline"
label = { en = "Baseline" }
instruments = ["pcl-5"]
at = "preparation"
which = "first"
days = 0
window = [-7, 0]
source = "S1"

[[sources]]
id = "S1"
citation = "A source"
"#;

fn load(text: &str) -> Result<Protocols, ProtocolError> {
    Protocols::load(&[("t.toml", text)], Catalogue::builtin())
}

/// The error for MINIMAL with `from` replaced by `to`.
fn rejected(from: &str, to: &str) -> String {
    assert!(
        MINIMAL.contains(from),
        "the test edits text that is not there: {from}"
    );
    load(&MINIMAL.replacen(from, to, 1))
        .expect_err("the broken file should be refused")
        .to_string()
}

#[test]
fn the_minimal_protocol_is_accepted() {
    let p = load(MINIMAL).unwrap();
    let p = p.get("t").unwrap();
    assert_eq!(p.plan().len(), 1 + 1 + 2 + 2 + 1);
    assert_eq!(p.assessments[0].which, Occurrence::First);
}

#[test]
fn a_number_without_a_listed_source_is_refused() {
    let e = rejected(
        r#"timing_source = "S1"
steps = [{ after = "intake""#,
        r#"timing_source = "S9"
steps = [{ after = "intake""#,
    );
    assert!(
        e.contains("sessions.preparation.timing_source") && e.contains("S9"),
        "{e}"
    );
    let e = rejected(
        r#"timing_source = "S1"
steps = [{ after = "intake""#,
        r#"steps = [{ after = "intake""#,
    );
    assert!(
        e.contains("sessions.preparation.steps[1].source") && e.contains("without its source"),
        "{e}"
    );
}

#[test]
fn anchors_must_be_earlier_groups_or_the_previous_session() {
    let e = rejected(
        r#"after = "preparation", days = 7"#,
        r#"after = "integration", days = 7"#,
    );
    assert!(e.contains("sessions.medicine.steps[1].after"), "{e}");
    let e = rejected(
        r#"after = "intake", days = 7"#,
        r#"after = "previous", days = 7"#,
    );
    assert!(
        e.contains("sessions.preparation.steps[1].after") && e.contains("no previous"),
        "{e}"
    );
    let e = rejected(
        r#"steps = [{ days = 0 }]"#,
        r#"steps = [{ after = "intake", days = 0 }]"#,
    );
    assert!(e.contains("sessions.intake.steps[1].after"), "{e}");
}

#[test]
fn a_window_must_contain_its_planned_day() {
    let e = rejected(
        "days = 28, window = [21, 35]",
        "days = 40, window = [21, 35]",
    );
    assert!(
        e.contains("sessions.medicine.steps[2].window") && e.contains("40"),
        "{e}"
    );
    let e = rejected("window = [-7, 0]", "window = [1, 7]");
    assert!(e.contains("assessments.baseline.window"), "{e}");
    let e = rejected(
        r#"label = { en = "Baseline" }"#,
        r#"label = { en = "Baseline {n}" }"#,
    );
    assert!(e.contains("assessments.baseline.label"), "{e}");
}

#[test]
fn an_instrument_not_in_the_catalogue_is_refused() {
    let e = rejected(r#"instruments = ["pcl-5"]"#, r#"instruments = ["caps-5"]"#);
    assert!(
        e.contains("assessments.baseline.instruments") && e.contains("caps-5"),
        "{e}"
    );
}

#[test]
fn unknown_kinds_missing_english_and_unknown_fields_are_refused() {
    let e = rejected(r#"kind = "preparation""#, r#"kind = "dosing""#);
    assert!(
        e.contains("sessions.preparation.kind") && e.contains("dosing"),
        "{e}"
    );
    let e = rejected(
        r#"label = { en = "Intake" }"#,
        r#"label = { nb = "Inntak" }"#,
    );
    assert!(
        e.contains("sessions.intake.label") && e.contains("English"),
        "{e}"
    );
    let e = rejected(
        "indication = \"PTSD\"",
        "indication = \"PTSD\"\ndose_mg = 120",
    );
    assert!(e.contains("t.toml") && e.contains("dose_mg"), "{e}");
    let e = rejected(r#"which = "first""#, r#"which = "sometimes""#);
    assert!(e.contains("assessments.baseline.which"), "{e}");
}

#[test]
fn medicine_sessions_need_preparation_before_and_integration_after_each() {
    let e = rejected(
        "per = \"medicine\"\nlabel = { en = \"Integration {block}.{n}\" }",
        "label = { en = \"Integration {n}\" }",
    );
    assert!(
        e.contains("integration group that repeats per medicine session"),
        "{e}"
    );
    let e = rejected(r#"kind = "preparation""#, r#"kind = "follow-up""#);
    assert!(e.contains("preparation sessions before them"), "{e}");
    let e = rejected(
        r#"label = { en = "Preparation {n}" }"#,
        r#"label = { en = "Preparation {block}.{n}" }"#,
    );
    assert!(
        e.contains("sessions.preparation.label") && e.contains("{block}"),
        "{e}"
    );
}

// ----- schedules -----

#[test]
fn a_mapp_schedule_spaces_medicine_sessions_four_weeks_apart_with_integration_the_morning_after() {
    let start = day(2026, 3, 2); // a Monday
    let s = protocol("mdma-at").schedule(start, &ScheduleOptions::default());
    assert_eq!(session(&s, "intake.1").day, start);
    assert_eq!(session(&s, "preparation.1").day, day(2026, 3, 16));
    assert_eq!(session(&s, "medicine.1").day, day(2026, 4, 6));
    assert_eq!(session(&s, "medicine.2").day, day(2026, 5, 4));
    assert_eq!(session(&s, "medicine.3").day, day(2026, 6, 1));
    assert_eq!(session(&s, "integration.2.1").day, day(2026, 5, 5));
    assert_eq!(session(&s, "integration.2.1").label.en(), "Integration 2.1");
    assert_eq!(
        session(&s, "integration.2.1").label.get("nb"),
        "Integrering 2.1"
    );
    assert_eq!(session(&s, "medicine.1").time.to_string(), "09:00");
    assert_eq!(session(&s, "medicine.1").duration_minutes, 480);
    let m2 = session(&s, "medicine.2");
    assert_eq!(m2.anchor.as_deref(), Some("medicine.1"));
    assert_eq!(
        (m2.window.earliest, m2.window.latest),
        (day(2026, 4, 27), day(2026, 5, 11))
    );
    assert_eq!(
        session(&s, "check-in.3.7").label.en(),
        "Phone check-in, day 7 after medicine session 3"
    );
    // Assessments: baseline at the first preparation session, PCL-5 and PHQ-9 the day before each medicine session.
    let baseline: Vec<_> = s
        .assessments
        .iter()
        .filter(|a| a.point == "baseline")
        .collect();
    assert_eq!(baseline.len(), 4);
    assert!(baseline.iter().all(|a| a.due == day(2026, 3, 16)));
    let before = s.assessment("before-medicine@medicine.2/phq-9").unwrap();
    assert_eq!(before.due, day(2026, 5, 3));
    assert_eq!(before.label.en(), "Before Medicine session 2");
    assert_eq!(before.instrument, "phq-9");
    // In calendar order.
    assert!(s
        .sessions
        .windows(2)
        .all(|w| (w[0].day, w[0].time) <= (w[1].day, w[1].time)));
    assert!(s.deviations(protocol("mdma-at")).is_empty());
}

#[test]
fn weekdays_only_moves_sessions_off_weekends_within_their_windows() {
    let options = ScheduleOptions {
        weekdays_only: true,
        ..ScheduleOptions::default()
    };
    let start = day(2026, 3, 7); // a Saturday: the intake cannot move, its window is the start itself
    let s = protocol("mdma-at").schedule(start, &options);
    for x in &s.sessions {
        let movable = x.window.earliest != x.window.latest && x.contact != Contact::Phone;
        if movable {
            assert!(!x.day.weekday().is_weekend(), "{} on {}", x.key, x.day);
        }
        assert!(x.window.contains(x.day), "{}", x.key);
    }
    assert!(s.deviations(protocol("mdma-at")).is_empty());
}

#[test]
fn a_practice_can_choose_the_time_of_day_per_session_group() {
    let mut options = ScheduleOptions::default();
    options
        .times
        .insert("medicine".into(), TimeOfDay::new(8, 30).unwrap());
    let s = protocol("mdma-at").schedule(day(2026, 3, 2), &options);
    assert!(of_kind(&s, SessionKind::Medicine)
        .iter()
        .all(|m| m.time.to_string() == "08:30"));
    assert_eq!(session(&s, "preparation.1").time.to_string(), "10:00");
}

#[test]
fn a_medicine_session_closer_than_three_weeks_to_the_previous_one_is_reported() {
    let p = protocol("mdma-at");
    let mut s = p.schedule(day(2026, 3, 2), &ScheduleOptions::default());
    let m1 = session(&s, "medicine.1").day;
    s.shift("medicine.2", m1.plus(20)).unwrap();
    let d = s.deviations(p);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].key(), "medicine.2");
    assert_eq!(d[0].days_outside(), -1);
    assert_eq!(
        d[0].to_string(),
        "Medicine session 2 is 20 days after Medicine session 1; the protocol allows 21–35 days (1 day too early)"
    );
    // Further than five weeks is just as much a deviation.
    s.shift("medicine.2", m1.plus(38)).unwrap();
    let d = s.deviations(p);
    assert_eq!((d.len(), d[0].days_outside()), (1, 3));
}

#[test]
fn shifting_a_medicine_session_takes_its_integration_and_check_ins_along() {
    let p = protocol("mdma-at");
    let mut s = p.schedule(day(2026, 3, 2), &ScheduleOptions::default());
    let m2 = session(&s, "medicine.2").day;
    s.shift("medicine.2", m2.plus(5)).unwrap();
    assert_eq!(session(&s, "integration.2.1").day, m2.plus(6));
    assert_eq!(session(&s, "check-in.2.7").day, m2.plus(12));
    assert_eq!(session(&s, "medicine.3").day.days_after(m2.plus(5)), 28);
    assert_eq!(
        s.assessment("before-medicine@medicine.2/pcl-5")
            .unwrap()
            .due,
        m2.plus(4)
    );
    assert!(s.deviations(p).is_empty());
}

#[test]
fn moving_a_session_alone_leaves_the_sessions_measured_from_it_outside_their_windows() {
    let p = protocol("mdma-at");
    let mut s = p.schedule(day(2026, 3, 2), &ScheduleOptions::default());
    let m1 = session(&s, "medicine.1").day;
    s.set_day("medicine.1", m1.plus(2)).unwrap();
    let keys: Vec<String> = s
        .deviations(p)
        .iter()
        .map(|d| d.key().to_string())
        .collect();
    // The morning-after session and the day-1 check-in stayed behind; the medicine session itself is fine.
    assert!(keys.contains(&"integration.1.1".to_string()), "{keys:?}");
    assert!(keys.contains(&"check-in.1.1".to_string()), "{keys:?}");
    assert!(!keys.contains(&"medicine.1".to_string()), "{keys:?}");
    // The window shown for the integration session follows the medicine session.
    assert_eq!(session(&s, "integration.1.1").window.earliest, m1.plus(3));
    assert!(s.set_day("medicine.9", m1).is_err());
}

#[test]
fn unknown_items_are_reported_and_items_without_their_anchor_are_not_checked() {
    let p = protocol("mdma-at");
    let items = [
        Dated {
            key: "medicine.7".into(),
            day: Day::from_days_since_epoch(0),
        },
        // Its anchor (medicine.1) is not listed, e.g. because the session was cancelled.
        Dated {
            key: "integration.1.1".into(),
            day: Day::from_days_since_epoch(100),
        },
    ];
    let d = check_schedule(p, &items);
    assert_eq!(d.len(), 1);
    assert!(matches!(&d[0], Deviation::NotInProtocol { key } if key == "medicine.7"));
}

/// Any bundled protocol with any start day and either weekday choice.
fn any_schedule() -> impl Strategy<Value = (&'static Protocol, Day, bool)> {
    (
        prop::sample::select(Protocols::builtin().ids()),
        -30_000i64..60_000,
        any::<bool>(),
    )
        .prop_map(|(id, start, weekdays)| {
            (protocol(id), Day::from_days_since_epoch(start), weekdays)
        })
}

fn options(weekdays_only: bool) -> ScheduleOptions {
    ScheduleOptions {
        weekdays_only,
        ..ScheduleOptions::default()
    }
}

proptest! {
    #[test]
    fn generated_schedules_keep_the_template_spacing_for_any_start_day((p, start, weekdays) in any_schedule()) {
        let s = p.schedule(start, &options(weekdays));
        prop_assert!(s.deviations(p).is_empty());
        prop_assert_eq!(session(&s, "intake.1").day, start);
        let medicine = of_kind(&s, SessionKind::Medicine);
        prop_assert_eq!(medicine.len() as u32, p.medicine_sessions());
        for pair in medicine.windows(2) {
            let gap = pair[1].day.days_after(pair[0].day);
            if p.id.starts_with("mdma-at") {
                prop_assert!((21..=35).contains(&gap), "{} days between medicine sessions", gap);
            }
            if !weekdays {
                prop_assert_eq!(gap, 28);
            }
        }
        // Preparation is done before the first medicine session.
        if let (Some(first), Some(prep)) = (medicine.first(), of_kind(&s, SessionKind::Preparation).last()) {
            prop_assert!(prep.day < first.day);
        }
        // The first integration session of each block is the day after its medicine session.
        for (k, m) in medicine.iter().enumerate() {
            let first = session(&s, &format!("integration.{}.1", k + 1));
            prop_assert_eq!(first.day.days_after(m.day), 1);
            let block = s.sessions.iter().filter(|x| x.kind == SessionKind::Integration && x.block == Some(k as u32 + 1));
            prop_assert_eq!(block.count() as u32, p.integration_sessions_per_block());
        }
        // The outcome visit of the MAPP-style templates is about eight weeks after the last medicine session.
        if let (Some(last), Some(outcome)) = (medicine.last(), s.session("primary-outcome.1")) {
            if p.id.starts_with("mdma-at") {
                prop_assert!((42..=70).contains(&outcome.day.days_after(last.day)));
            }
        }
        // Every assessment is due its planned number of days from the session it follows.
        for a in &s.assessments {
            let anchor = session(&s, &a.anchor);
            let rule = p.plan_item(&a.key).unwrap();
            prop_assert_eq!(a.due.days_after(anchor.day), rule.days);
            prop_assert!(a.window.contains(a.due));
        }
        // Each assessment point appears once per session it follows, for each of its instruments.
        for (pi, point) in p.assessments.iter().enumerate() {
            let planned = p.plan().iter().filter(|i| matches!(i.what, Planned::Assessment { point, .. } if point == pi)).count();
            let due = s.assessments.iter().filter(|a| a.point == point.id).count();
            prop_assert_eq!(due, planned);
            let expected_sessions = match (point.which, point.id.as_str()) {
                (_, "before-medicine") => p.medicine_sessions() as usize,
                (Occurrence::EndOfEachBlock, _) => p.medicine_sessions().max(1) as usize,
                (Occurrence::First | Occurrence::Last, _) => 1,
                _ => due / point.instruments.len(),
            };
            prop_assert_eq!(due, expected_sessions * point.instruments.len(), "{}", point.id);
        }
    }

    #[test]
    fn moving_a_date_inside_its_window_gives_no_deviation_and_outside_exactly_that_one(
        (p, start, weekdays) in any_schedule(),
        pick in any::<prop::sample::Index>(),
        within in any::<prop::sample::Index>(),
        outside in 1i64..60,
        early in any::<bool>(),
    ) {
        let planned = p.schedule(start, &options(weekdays));
        let movable: Vec<(String, String, Window)> = planned
            .sessions
            .iter()
            .filter_map(|x| Some((x.key.clone(), x.anchor.clone()?, x.allowed)))
            .chain(planned.assessments.iter().map(|a| (a.key.clone(), a.anchor.clone(), a.allowed)))
            .collect();
        let (key, anchor, w) = pick.get(&movable).clone();
        let anchor_day = session(&planned, &anchor).day;

        let mut inside = planned.clone();
        let offset = w.min + within.index((w.max - w.min + 1) as usize) as i64;
        inside.shift(&key, anchor_day.plus(offset)).unwrap();
        prop_assert!(inside.deviations(p).is_empty(), "{} at {} days", key, offset);

        let mut strayed = planned.clone();
        let offset = if early { w.min - outside } else { w.max + outside };
        strayed.shift(&key, anchor_day.plus(offset)).unwrap();
        let d = strayed.deviations(p);
        prop_assert_eq!(d.len(), 1, "{:?}", d);
        prop_assert_eq!(d[0].key(), key.as_str());
        prop_assert_eq!(d[0].days_outside(), if early { -outside } else { outside });
    }
}

// ----- the state machine -----

fn mapp() -> JourneyFacts {
    JourneyFacts::for_protocol(protocol("mdma-at"))
}

/// MAPP facts with clearance signed and preparation done: ready for the first medicine session.
fn ready() -> JourneyFacts {
    JourneyFacts {
        clearance: ClearanceStatus::Signed,
        preparation_held: 3,
        ..mapp()
    }
}

fn active(p: Phase) -> JourneyState {
    JourneyState::Active(p)
}

fn go(from: Phase, to: Phase, facts: &JourneyFacts) -> Result<JourneyState, TransitionError> {
    transition(&active(from), JourneyEvent::MoveTo(to), facts)
}

#[test]
fn facts_for_a_protocol_carry_its_required_counts() {
    let f = mapp();
    assert_eq!(
        (
            f.preparation_required,
            f.medicine_in_protocol,
            f.integration_per_block
        ),
        (3, 3, 3)
    );
    assert_eq!(f.clearance, ClearanceStatus::NotRecorded);
    let f = JourneyFacts::for_protocol(protocol("integration-only"));
    assert_eq!((f.preparation_required, f.medicine_in_protocol), (0, 0));
}

#[test]
fn a_client_without_clearance_cannot_move_to_medicine() {
    let facts = JourneyFacts {
        preparation_held: 3,
        ..mapp()
    };
    assert_eq!(
        go(Phase::Preparation, Phase::Medicine, &facts),
        Err(TransitionError::ClearanceNotSigned)
    );
}

#[test]
fn a_client_without_clearance_cannot_start_preparation() {
    assert_eq!(
        go(Phase::Screening, Phase::Preparation, &mapp()),
        Err(TransitionError::ClearanceNotSigned)
    );
    let cleared = JourneyFacts {
        clearance: ClearanceStatus::Signed,
        ..mapp()
    };
    assert_eq!(
        go(Phase::Screening, Phase::Preparation, &cleared),
        Ok(active(Phase::Preparation))
    );
}

#[test]
fn a_client_with_preparation_unfinished_cannot_move_to_medicine() {
    let facts = JourneyFacts {
        preparation_held: 2,
        ..ready()
    };
    assert_eq!(
        go(Phase::Preparation, Phase::Medicine, &facts),
        Err(TransitionError::PreparationIncomplete {
            held: 2,
            required: 3
        })
    );
    assert_eq!(
        go(Phase::Preparation, Phase::Medicine, &ready()),
        Ok(active(Phase::Medicine))
    );
}

#[test]
fn a_medicine_session_cannot_be_scheduled_without_clearance_or_before_preparation_is_done() {
    assert_eq!(
        can_schedule_medicine(&mapp()),
        Err(TransitionError::ClearanceNotSigned)
    );
    let unprepared = JourneyFacts {
        preparation_held: 1,
        ..ready()
    };
    assert_eq!(
        can_schedule_medicine(&unprepared),
        Err(TransitionError::PreparationIncomplete {
            held: 1,
            required: 3
        })
    );
    assert_eq!(can_schedule_medicine(&ready()), Ok(()));
}

#[test]
fn no_medicine_session_can_be_scheduled_beyond_the_protocols_count_or_in_integration_only() {
    let all_held = JourneyFacts {
        medicine_held: 3,
        ..ready()
    };
    assert_eq!(
        can_schedule_medicine(&all_held),
        Err(TransitionError::NoMedicineSessionsLeft { held: 3 })
    );
    let integration_only = JourneyFacts {
        clearance: ClearanceStatus::Signed,
        ..JourneyFacts::for_protocol(protocol("integration-only"))
    };
    assert_eq!(
        can_schedule_medicine(&integration_only),
        Err(TransitionError::NoMedicineInProtocol)
    );
}

#[test]
fn a_refused_clearance_allows_only_referral_or_withdrawal() {
    let refused = JourneyFacts {
        clearance: ClearanceStatus::Refused,
        preparation_held: 3,
        ..mapp()
    };
    assert_eq!(
        can_schedule_medicine(&refused),
        Err(TransitionError::ClearanceRefused)
    );
    for phase in Phase::ALL {
        for to in Phase::ALL {
            assert_eq!(
                go(phase, to, &refused),
                Err(TransitionError::ClearanceRefused)
            );
        }
        for event in [JourneyEvent::Pause, JourneyEvent::Complete] {
            assert_eq!(
                transition(&active(phase), event, &refused),
                Err(TransitionError::ClearanceRefused)
            );
        }
    }
    let screening = active(Phase::Screening);
    assert_eq!(
        transition(&screening, JourneyEvent::ReferElsewhere, &refused),
        Ok(JourneyState::ReferredElsewhere {
            from: Phase::Screening
        })
    );
    assert_eq!(
        transition(&screening, JourneyEvent::Withdraw, &refused),
        Ok(JourneyState::Withdrawn {
            from: Phase::Screening
        })
    );
    let paused = JourneyState::Paused {
        from: Phase::Preparation,
    };
    assert_eq!(
        transition(&paused, JourneyEvent::Resume, &refused),
        Err(TransitionError::ClearanceRefused)
    );
}

#[test]
fn integration_begins_only_after_the_medicine_session_is_held() {
    assert_eq!(
        go(Phase::Medicine, Phase::Integration, &ready()),
        Err(TransitionError::MedicineSessionNotHeld)
    );
    let held = JourneyFacts {
        medicine_held: 1,
        ..ready()
    };
    assert_eq!(
        go(Phase::Medicine, Phase::Integration, &held),
        Ok(active(Phase::Integration))
    );
    // Back in medicine for session 2: the previous block is complete, so session 2 has not been held yet.
    let waiting = JourneyFacts {
        medicine_held: 1,
        integration_held_since_medicine: 3,
        ..ready()
    };
    assert_eq!(
        go(Phase::Medicine, Phase::Integration, &waiting),
        Err(TransitionError::MedicineSessionNotHeld)
    );
}

#[test]
fn integration_leads_back_to_medicine_only_after_the_whole_integration_block() {
    let mid_block = JourneyFacts {
        medicine_held: 1,
        integration_held_since_medicine: 2,
        ..ready()
    };
    assert_eq!(
        go(Phase::Integration, Phase::Medicine, &mid_block),
        Err(TransitionError::IntegrationBlockIncomplete {
            held: 2,
            required: 3
        })
    );
    let block_done = JourneyFacts {
        integration_held_since_medicine: 3,
        ..mid_block
    };
    assert_eq!(
        go(Phase::Integration, Phase::Medicine, &block_done),
        Ok(active(Phase::Medicine))
    );
}

#[test]
fn integration_leads_back_to_medicine_only_while_the_protocol_has_sessions_left() {
    let last_block_done = JourneyFacts {
        medicine_held: 3,
        integration_held_since_medicine: 3,
        ..ready()
    };
    assert_eq!(
        go(Phase::Integration, Phase::Medicine, &last_block_done),
        Err(TransitionError::NoMedicineSessionsLeft { held: 3 })
    );
    let mp18 = JourneyFacts {
        medicine_held: 2,
        integration_held_since_medicine: 3,
        ..JourneyFacts {
            clearance: ClearanceStatus::Signed,
            preparation_held: 3,
            ..JourneyFacts::for_protocol(protocol("mdma-at-mp18"))
        }
    };
    assert_eq!(
        go(Phase::Integration, Phase::Medicine, &mp18),
        Err(TransitionError::NoMedicineSessionsLeft { held: 2 })
    );
    assert_eq!(
        go(Phase::Integration, Phase::FollowUp, &mp18),
        Ok(active(Phase::FollowUp))
    );
}

#[test]
fn going_back_to_screening_does_not_skip_the_integration_block() {
    let mid_block = JourneyFacts {
        medicine_held: 1,
        integration_held_since_medicine: 1,
        ..ready()
    };
    assert_eq!(
        go(Phase::Screening, Phase::Preparation, &mid_block),
        Ok(active(Phase::Preparation))
    );
    assert_eq!(
        go(Phase::Preparation, Phase::Medicine, &mid_block),
        Err(TransitionError::IntegrationBlockIncomplete {
            held: 1,
            required: 3
        })
    );
}

#[test]
fn follow_up_waits_for_the_integration_block() {
    let facts = JourneyFacts {
        medicine_held: 3,
        integration_held_since_medicine: 1,
        ..ready()
    };
    assert_eq!(
        go(Phase::Integration, Phase::FollowUp, &facts),
        Err(TransitionError::IntegrationBlockIncomplete {
            held: 1,
            required: 3
        })
    );
}

#[test]
fn a_journey_is_completed_only_from_follow_up() {
    assert_eq!(
        transition(&active(Phase::FollowUp), JourneyEvent::Complete, &ready()),
        Ok(JourneyState::Completed)
    );
    assert!(matches!(
        transition(
            &active(Phase::Integration),
            JourneyEvent::Complete,
            &ready()
        ),
        Err(TransitionError::WrongState { .. })
    ));
}

#[test]
fn phases_cannot_be_skipped() {
    let f = ready();
    for (from, to) in [
        (Phase::Inquiry, Phase::Screening),
        (Phase::Inquiry, Phase::Medicine),
        (Phase::Intake, Phase::Preparation),
        (Phase::Screening, Phase::Medicine),
        (Phase::Preparation, Phase::Integration),
        (Phase::Preparation, Phase::FollowUp),
        (Phase::Medicine, Phase::FollowUp),
        (Phase::FollowUp, Phase::Medicine),
        (Phase::Medicine, Phase::Medicine),
    ] {
        assert_eq!(
            go(from, to, &f),
            Err(TransitionError::NotAllowed {
                from: active(from),
                to
            }),
            "{from} → {to}"
        );
    }
}

#[test]
fn a_journey_with_medicine_cannot_go_from_intake_to_integration() {
    assert!(matches!(
        go(Phase::Intake, Phase::Integration, &ready()),
        Err(TransitionError::NotAllowed { .. })
    ));
}

#[test]
fn an_integration_only_journey_goes_from_intake_straight_to_integration_and_never_reaches_medicine()
{
    let f = JourneyFacts::for_protocol(protocol("integration-only"));
    assert_eq!(
        go(Phase::Intake, Phase::Integration, &f),
        Ok(active(Phase::Integration))
    );
    assert_eq!(
        go(Phase::Screening, Phase::Integration, &f),
        Ok(active(Phase::Integration))
    );
    assert!(matches!(
        go(Phase::Screening, Phase::Preparation, &f),
        Err(TransitionError::NotAllowed { .. })
    ));
    let signed = JourneyFacts {
        clearance: ClearanceStatus::Signed,
        integration_held_since_medicine: 3,
        ..f
    };
    assert_eq!(
        go(Phase::Integration, Phase::Medicine, &signed),
        Err(TransitionError::NoMedicineInProtocol)
    );
    assert_eq!(
        go(Phase::Integration, Phase::FollowUp, &signed),
        Ok(active(Phase::FollowUp))
    );
}

#[test]
fn something_new_can_send_a_journey_back_to_screening() {
    for from in [Phase::Preparation, Phase::Medicine, Phase::Integration] {
        assert_eq!(
            go(from, Phase::Screening, &ready()),
            Ok(active(Phase::Screening))
        );
    }
}

#[test]
fn a_paused_journey_resumes_to_the_phase_it_left() {
    for phase in Phase::ALL {
        let paused = transition(&active(phase), JourneyEvent::Pause, &ready()).unwrap();
        assert_eq!(paused, JourneyState::Paused { from: phase });
        assert_eq!(
            transition(&paused, JourneyEvent::Resume, &ready()),
            Ok(active(phase))
        );
    }
}

#[test]
fn resuming_into_medicine_checks_the_clearance_again() {
    let paused = JourneyState::Paused {
        from: Phase::Medicine,
    };
    let lapsed = JourneyFacts {
        clearance: ClearanceStatus::NotRecorded,
        ..ready()
    };
    assert_eq!(
        transition(&paused, JourneyEvent::Resume, &lapsed),
        Err(TransitionError::ClearanceNotSigned)
    );
}

#[test]
fn a_paused_journey_accepts_only_resume_withdrawal_or_referral() {
    let paused = JourneyState::Paused {
        from: Phase::Integration,
    };
    for event in [
        JourneyEvent::Pause,
        JourneyEvent::Complete,
        JourneyEvent::MoveTo(Phase::FollowUp),
    ] {
        assert!(matches!(
            transition(&paused, event, &ready()),
            Err(TransitionError::WrongState { .. })
        ));
    }
    assert!(matches!(
        transition(&active(Phase::Intake), JourneyEvent::Resume, &ready()),
        Err(TransitionError::WrongState { .. })
    ));
}

#[test]
fn withdrawal_and_referral_are_possible_from_every_active_and_paused_state() {
    for phase in Phase::ALL {
        for state in [active(phase), JourneyState::Paused { from: phase }] {
            assert_eq!(
                transition(&state, JourneyEvent::Withdraw, &mapp()),
                Ok(JourneyState::Withdrawn { from: phase })
            );
            assert_eq!(
                transition(&state, JourneyEvent::ReferElsewhere, &mapp()),
                Ok(JourneyState::ReferredElsewhere { from: phase })
            );
        }
    }
}

#[test]
fn ended_journeys_accept_no_further_events() {
    for state in [
        JourneyState::Completed,
        JourneyState::Withdrawn {
            from: Phase::Medicine,
        },
        JourneyState::ReferredElsewhere {
            from: Phase::Screening,
        },
    ] {
        for event in [
            JourneyEvent::Resume,
            JourneyEvent::Withdraw,
            JourneyEvent::MoveTo(Phase::Intake),
        ] {
            assert_eq!(
                transition(&state, event, &ready()),
                Err(TransitionError::Ended { state })
            );
        }
    }
}

#[test]
fn every_state_round_trips_through_its_stored_phase_and_status() {
    for phase in Phase::ALL {
        for state in [
            active(phase),
            JourneyState::Paused { from: phase },
            JourneyState::Withdrawn { from: phase },
            JourneyState::ReferredElsewhere { from: phase },
        ] {
            assert!(PHASES.contains(&state.phase().as_str()));
            assert_eq!(
                JourneyState::from_stored(state.phase().as_str(), state.status()),
                Ok(state)
            );
        }
    }
    let done = JourneyState::Completed;
    assert_eq!(
        JourneyState::from_stored(done.phase().as_str(), done.status()),
        Ok(done)
    );
    assert!(JourneyState::from_stored("medicine", "lost").is_err());
    assert!(JourneyState::from_stored("dosing", "active").is_err());
    assert_eq!(JourneyState::START, active(Phase::Inquiry));
}

#[test]
fn errors_name_the_missing_step() {
    assert_eq!(
        TransitionError::ClearanceNotSigned.to_string(),
        "no clinician has signed the screening clearance yet; record the clearance before preparation or a medicine session"
    );
    assert_eq!(
        TransitionError::PreparationIncomplete { held: 2, required: 3 }.to_string(),
        "2 of 3 preparation sessions held; hold the remaining preparation before a medicine session"
    );
    assert_eq!(
        TransitionError::IntegrationBlockIncomplete { held: 1, required: 3 }.to_string(),
        "1 of 3 integration sessions held since the latest medicine session; finish the integration block first"
    );
    assert_eq!(
        go(Phase::Inquiry, Phase::Medicine, &ready())
            .unwrap_err()
            .to_string(),
        "a journey cannot go from inquiry to medicine"
    );
}

#[test]
fn a_full_mapp_journey_walks_from_inquiry_to_completed() {
    let mut facts = mapp();
    let mut state = JourneyState::START;
    let step = |state: &mut JourneyState, event, facts: &JourneyFacts| {
        *state =
            transition(state, event, facts).unwrap_or_else(|e| panic!("{state} {event:?}: {e}"));
    };
    step(&mut state, JourneyEvent::MoveTo(Phase::Intake), &facts);
    step(&mut state, JourneyEvent::MoveTo(Phase::Screening), &facts);
    facts.clearance = ClearanceStatus::Signed;
    step(&mut state, JourneyEvent::MoveTo(Phase::Preparation), &facts);
    facts.preparation_held = 3;
    for session in 1..=3 {
        step(&mut state, JourneyEvent::MoveTo(Phase::Medicine), &facts);
        facts.medicine_held = session;
        facts.integration_held_since_medicine = 0;
        step(&mut state, JourneyEvent::MoveTo(Phase::Integration), &facts);
        facts.integration_held_since_medicine = 3;
    }
    step(&mut state, JourneyEvent::MoveTo(Phase::FollowUp), &facts);
    step(&mut state, JourneyEvent::Complete, &facts);
    assert_eq!(state, JourneyState::Completed);
}

#[test]
fn an_external_medicine_session_names_the_clinic_and_the_responsible_clinician() {
    let s = ExternalSession::new(
        " Sykehuset Østfold, DPS Moss ",
        "Study psychiatrist",
        Some("  "),
    )
    .unwrap();
    assert_eq!(s.clinic(), "Sykehuset Østfold, DPS Moss");
    assert_eq!(s.referral_note(), None);
    let place = MedicineSessionPlace::External(s);
    assert_eq!(place.as_str(), "external");
    assert_eq!(MedicineSessionPlace::Logged.as_str(), "logged");
    assert_eq!(
        ExternalSession::new("", "Dr A", None),
        Err(ExternalSessionError::ClinicMissing)
    );
    assert_eq!(
        ExternalSession::new("Clinic", " ", None),
        Err(ExternalSessionError::ResponsibleMissing)
    );
    // Stored as JSON, read back through the same check.
    let json = serde_json::to_string(&place).unwrap();
    assert_eq!(
        serde_json::from_str::<MedicineSessionPlace>(&json).unwrap(),
        place
    );
    let empty = r#"{"place":"external","clinic":"","responsible":"Dr A","referral_note":null}"#;
    assert!(serde_json::from_str::<MedicineSessionPlace>(empty).is_err());
}

// ----- properties of the state machine -----

/// A therapist's next action in a random walk: usually the next phase along the path, otherwise anything.
#[derive(Debug, Clone)]
enum Action {
    Next,
    Event(JourneyEvent),
}

fn any_event() -> impl Strategy<Value = JourneyEvent> {
    prop_oneof![
        prop::sample::select(Phase::ALL.to_vec()).prop_map(JourneyEvent::MoveTo),
        Just(JourneyEvent::Complete),
        Just(JourneyEvent::Pause),
        Just(JourneyEvent::Resume),
        Just(JourneyEvent::Withdraw),
        Just(JourneyEvent::ReferElsewhere),
    ]
}

fn any_action() -> impl Strategy<Value = Action> {
    prop_oneof![3 => Just(Action::Next), 2 => any_event().prop_map(Action::Event)]
}

fn any_clearance() -> impl Strategy<Value = ClearanceStatus> {
    // Mostly signed, so that walks get far enough to knock on the medicine door with and without the other facts.
    prop_oneof![
        3 => Just(ClearanceStatus::Signed),
        1 => Just(ClearanceStatus::NotRecorded),
        1 => Just(ClearanceStatus::Refused),
    ]
}

/// Facts as the store might count them at any moment, for a protocol with 0–3 preparation and medicine sessions.
fn any_facts() -> impl Strategy<Value = JourneyFacts> {
    (
        any_clearance(),
        0u32..5,
        0u32..4,
        0u32..5,
        0u32..4,
        0u32..5,
        1u32..4,
    )
        .prop_map(
            |(clearance, prep_held, prep_req, med_held, med_in, int_held, int_req)| JourneyFacts {
                clearance,
                preparation_held: prep_held,
                preparation_required: prep_req,
                medicine_held: med_held,
                medicine_in_protocol: med_in,
                integration_held_since_medicine: int_held,
                integration_per_block: int_req,
            },
        )
}

fn next_phase(state: JourneyState) -> JourneyEvent {
    match state {
        JourneyState::Active(p) => match Phase::ALL.iter().position(|q| *q == p) {
            Some(i) if i + 1 < Phase::ALL.len() => JourneyEvent::MoveTo(Phase::ALL[i + 1]),
            _ => JourneyEvent::Complete,
        },
        _ => JourneyEvent::Resume,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn no_sequence_of_events_reaches_medicine_without_clearance_and_preparation(
        walk in prop::collection::vec((any_action(), any_facts()), 1..60)
    ) {
        let mut state = JourneyState::START;
        for (action, facts) in walk {
            let event = match action {
                Action::Next => next_phase(state),
                Action::Event(e) => e,
            };
            let before = state;
            if can_schedule_medicine(&facts).is_ok() {
                prop_assert_eq!(facts.clearance, ClearanceStatus::Signed);
                prop_assert!(facts.preparation_held >= facts.preparation_required);
            }
            if let Ok(after) = transition(&state, event, &facts) {
                if after == JourneyState::Active(Phase::Medicine) && before != after {
                    prop_assert_eq!(facts.clearance, ClearanceStatus::Signed, "{} → medicine", before);
                    prop_assert!(facts.preparation_held >= facts.preparation_required);
                    // Moving (not resuming) into medicine also needs a medicine session left to hold.
                    if let JourneyEvent::MoveTo(_) = event {
                        prop_assert!(facts.has_more_medicine_sessions());
                        // … and the integration block after the previous one done.
                        prop_assert!(facts.medicine_held == 0 || facts.integration_block_done());
                    }
                }
                if facts.clearance == ClearanceStatus::Refused {
                    let left = matches!(
                        after,
                        JourneyState::Withdrawn { .. } | JourneyState::ReferredElsewhere { .. }
                    );
                    prop_assert!(left, "refused clearance, yet {} → {}", before, after);
                }
                if before.has_ended() {
                    prop_assert!(false, "an ended journey moved: {} → {}", before, after);
                }
                state = after;
            }
        }
    }

    #[test]
    fn with_clearance_and_preparation_the_path_to_medicine_is_open(prep in 1u32..5, sessions in 1u32..4) {
        let facts = JourneyFacts {
            clearance: ClearanceStatus::Signed,
            preparation_held: prep,
            preparation_required: prep,
            medicine_in_protocol: sessions,
            integration_per_block: 3,
            ..JourneyFacts::default()
        };
        let mut state = JourneyState::START;
        for _ in 0..4 {
            state = transition(&state, next_phase(state), &facts).unwrap();
        }
        prop_assert_eq!(state, JourneyState::Active(Phase::Medicine));
    }
}

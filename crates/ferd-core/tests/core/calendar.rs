//! Civil days and times of day, the calendar both the journey and the screening plan in: day numbers, leap years,
//! weekdays, the one written form a day is read in, and JSON.

use ferd_core::calendar::{CalendarParseError, Day, TimeOfDay, Weekday};
use proptest::prelude::*;

fn day(y: i32, m: u32, d: u32) -> Day {
    Day::from_ymd(y, m, d).unwrap()
}

// ----- days -----

#[test]
fn days_count_from_1970_and_know_their_weekday() {
    assert_eq!(day(1970, 1, 1), Day::from_days_since_epoch(0));
    assert_eq!(day(1969, 12, 31), Day::from_days_since_epoch(-1));
    assert_eq!(day(2000, 2, 29).days_since_epoch(), 11_016);
    assert_eq!(day(2000, 3, 1).days_since_epoch(), 11_017);
    assert_eq!(day(2026, 5, 1).days_since_epoch(), 20_574);
    assert_eq!(day(1600, 3, 1).days_since_epoch(), -135_080);
    assert_eq!(day(2026, 5, 1).ymd(), (2026, 5, 1));
    assert_eq!(day(1970, 1, 1).weekday(), Weekday::Thursday);
    // The spring daylight-saving change in Norway in 2026 falls on a Sunday.
    assert_eq!(day(2026, 3, 29).weekday(), Weekday::Sunday);
    assert!(day(2026, 3, 29).weekday().is_weekend());
    assert!(!day(2026, 3, 30).weekday().is_weekend());
    assert_eq!(day(2024, 2, 29).plus(1), day(2024, 3, 1));
    assert_eq!(day(2024, 3, 1).plus(-1), day(2024, 2, 29));
    assert_eq!(day(2025, 3, 1).days_after(day(2024, 3, 1)), 365);
    assert_eq!(day(2024, 3, 1).days_after(day(2025, 3, 1)), -365);
}

#[test]
fn leap_years_follow_the_gregorian_rules_and_days_that_do_not_exist_are_refused() {
    assert!(Day::from_ymd(2024, 2, 29).is_some()); // divisible by 4
    assert!(Day::from_ymd(2000, 2, 29).is_some()); // by 400
    assert!(Day::from_ymd(2023, 2, 29).is_none());
    assert!(Day::from_ymd(1900, 2, 29).is_none()); // by 100, not 400
    assert!(Day::from_ymd(2100, 2, 29).is_none());
    assert!(Day::from_ymd(2026, 4, 31).is_none());
    assert!(Day::from_ymd(2026, 13, 1).is_none());
    assert!(Day::from_ymd(2026, 0, 1).is_none());
    assert!(Day::from_ymd(2026, 1, 0).is_none());
    assert_eq!(day(2024, 12, 31).days_after(day(2024, 1, 1)), 365);
    assert_eq!(day(2023, 12, 31).days_after(day(2023, 1, 1)), 364);
}

/// Walks 800 years a day at a time beside a calendar counted by hand: every day number and civil date agree.
#[test]
fn every_day_from_1600_to_2400_is_the_next_civil_date() {
    let leap = |y: i32| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let length = |y: i32, m: u32| match m {
        2 if leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    let (mut y, mut m, mut d) = (1600, 1, 1);
    let mut n = day(1600, 1, 1);
    while y < 2400 {
        assert_eq!(n.ymd(), (y, m, d));
        assert_eq!(Day::from_ymd(y, m, d), Some(n));
        n = n.plus(1);
        d += 1;
        if d > length(y, m) {
            (d, m) = (1, m + 1);
        }
        if m > 12 {
            (m, y) = (1, y + 1);
        }
    }
    // 200 years divisible by 4, less 1700, 1800, 1900, 2100, 2200 and 2300: two 400-year cycles.
    assert_eq!(n.days_after(day(1600, 1, 1)), 800 * 365 + 194);
}

#[test]
fn days_read_and_print_only_as_iso_dates() {
    assert_eq!(Day::parse("2026-05-01"), Ok(day(2026, 5, 1)));
    assert_eq!("2026-03-29".parse::<Day>(), Ok(day(2026, 3, 29)));
    assert_eq!(Day::parse(" 2026-05-01\n"), Ok(day(2026, 5, 1)));
    assert_eq!(day(2026, 5, 1).to_string(), "2026-05-01");
    assert_eq!(day(33, 1, 2).to_string(), "0033-01-02");
    for bad in [
        "",
        "01.05.2026",
        "2026-5-1",
        "2026-3-29",
        "2026-02-30",
        "2026-00-10",
        "20260501",
        "2026-05-01x",
        "2026-05-01T10:00",
        "+026-05-01",
        "2026-+5-01",
        "2026-05-+1",
        "２０２６-05-01",
    ] {
        assert!(Day::parse(bad).is_err(), "{bad}");
        assert!(bad.parse::<Day>().is_err(), "{bad}");
    }
    let e = Day::parse("1.5.2026").unwrap_err();
    assert_eq!(
        e,
        CalendarParseError {
            input: "1.5.2026".into(),
            expected: "date",
            form: "YYYY-MM-DD, e.g. 2025-03-01",
        }
    );
    assert_eq!(
        e.to_string(),
        "'1.5.2026' is not a date: write it as YYYY-MM-DD, e.g. 2025-03-01"
    );
}

#[test]
fn days_are_iso_strings_in_json() {
    assert_eq!(
        serde_json::to_string(&day(2026, 5, 1)).unwrap(),
        r#""2026-05-01""#
    );
    assert_eq!(
        serde_json::from_str::<Day>(r#""2026-05-01""#).unwrap(),
        day(2026, 5, 1)
    );
    assert!(serde_json::from_str::<Day>("20574").is_err());
    assert!(serde_json::from_str::<Day>(r#""2026-02-30""#).is_err());
}

// ----- times of day -----

#[test]
fn times_of_day_read_and_print_as_hours_and_minutes() {
    let t: TimeOfDay = "09:30".parse().unwrap();
    assert_eq!(t.minutes(), 570);
    assert_eq!(t.to_string(), "09:30");
    assert_eq!("00:00".parse::<TimeOfDay>().unwrap().minutes(), 0);
    assert_eq!(TimeOfDay::new(23, 59).unwrap().minutes(), 1439);
    assert!(TimeOfDay::new(24, 0).is_none());
    assert!(TimeOfDay::new(9, 60).is_none());
    for bad in [
        "24:00", "9:30", "09:60", "0930", "+9:30", "09:+3", "", "09:30:00",
    ] {
        assert!(bad.parse::<TimeOfDay>().is_err(), "{bad}");
    }
    assert_eq!(
        "9:30".parse::<TimeOfDay>().unwrap_err().to_string(),
        "'9:30' is not a time of day: write it as HH:MM on the 24-hour clock, e.g. 09:30"
    );
}

#[test]
fn times_of_day_are_minutes_in_json() {
    let t = TimeOfDay::new(9, 30).unwrap();
    assert_eq!(serde_json::to_string(&t).unwrap(), "570");
    assert_eq!(serde_json::from_str::<TimeOfDay>("570").unwrap(), t);
    assert!(serde_json::from_str::<TimeOfDay>("1440").is_err());
}

proptest! {
    #[test]
    fn every_day_round_trips_through_its_civil_date(n in -1_000_000i64..1_000_000) {
        let day = Day::from_days_since_epoch(n);
        let (y, m, d) = day.ymd();
        prop_assert_eq!(Day::from_ymd(y, m, d), Some(day));
        prop_assert_eq!(day.days_since_epoch(), n);
        prop_assert_eq!(day.plus(1).weekday() as usize, (day.weekday() as usize + 1) % 7);
        prop_assert_eq!(day.plus(7).weekday(), day.weekday());
        if (0..=9999).contains(&y) {
            prop_assert_eq!(Day::parse(&day.to_string()), Ok(day));
            let json = serde_json::to_string(&day).unwrap();
            prop_assert_eq!(serde_json::from_str::<Day>(&json).unwrap(), day);
        }
    }

    #[test]
    fn every_civil_date_round_trips_through_its_day_number(
        y in -100_000i32..100_000,
        m in 1u32..=12,
        d in 1u32..=31,
    ) {
        match Day::from_ymd(y, m, d) {
            Some(day) => prop_assert_eq!(day.ymd(), (y, m, d)),
            // Only the ends of the shorter months are missing.
            None => prop_assert!(d >= 29 && (m == 2 || d == 31)),
        }
    }

    #[test]
    fn plus_and_days_after_undo_each_other(n in -1_000_000i64..1_000_000, k in -100_000i64..100_000) {
        let day = Day::from_days_since_epoch(n);
        prop_assert_eq!(day.plus(k).days_after(day), k);
        prop_assert_eq!(day.plus(k).plus(-k), day);
        prop_assert_eq!(day.plus(k) > day, k > 0);
    }

    #[test]
    fn any_text_is_read_as_a_day_or_refused_without_panicking(text in "\\PC{0,14}") {
        if let Ok(day) = Day::parse(&text) {
            prop_assert_eq!(day.to_string(), text.trim());
        }
    }
}

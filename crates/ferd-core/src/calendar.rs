//! Civil days and local times of day, without a date library and without a time zone.
//!
//! The core has no clock and plans in whole days: a session is "28 days after" another whatever the clocks do, and a
//! washout window counts days from a stop date. A [`Day`] is a count of days from 1970-01-01 in the proleptic
//! Gregorian calendar. Which day "today" is, and which instant a [`Day`] at a [`TimeOfDay`] is, are the caller's
//! business: the web and store layers decide them once, in Europe/Oslo, where daylight saving is handled.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A civil date, as the number of days since 1970-01-01 (day 0; negative before). No time zone.
///
/// Reads and prints as `YYYY-MM-DD` ([`Day::parse`], [`FromStr`], [`Display`](fmt::Display)), and is that string
/// in JSON too, so a stored or printed day stays readable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(i64);

/// A day of the week, Monday first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    /// Saturday or Sunday.
    pub fn is_weekend(self) -> bool {
        matches!(self, Weekday::Saturday | Weekday::Sunday)
    }
}

/// A date or time of day that could not be read. The message says what was given and how to write it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{input}' is not a {expected}: write it as {form}")]
pub struct CalendarParseError {
    /// The text as given.
    pub input: String,
    /// What it should have been: `date` or `time of day`.
    pub expected: &'static str,
    /// How to write one, with an example.
    pub form: &'static str,
}

impl CalendarParseError {
    fn date(input: &str) -> CalendarParseError {
        CalendarParseError {
            input: input.to_string(),
            expected: "date",
            form: "YYYY-MM-DD, e.g. 2025-03-01",
        }
    }

    fn time(input: &str) -> CalendarParseError {
        CalendarParseError {
            input: input.to_string(),
            expected: "time of day",
            form: "HH:MM on the 24-hour clock, e.g. 09:30",
        }
    }
}

impl Day {
    /// The day with this number (days since 1970-01-01; negative before).
    pub const fn from_days_since_epoch(days: i64) -> Day {
        Day(days)
    }

    /// Days since 1970-01-01 (negative before).
    pub const fn days_since_epoch(self) -> i64 {
        self.0
    }

    /// The day `year-month-day`, or `None` when there is no such day (30 February, month 13, day 0).
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        // Howard Hinnant's days_from_civil: count years from 1 March, so that the leap day ends the year.
        let y = i64::from(year) - i64::from(month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Day(era * 146_097 + doe - 719_468))
    }

    /// The year, month (1–12) and day of month.
    ///
    /// Exact for every day [`Day::from_ymd`] can build, and for any day within ±780 billion days of 1970; beyond
    /// that the year no longer fits an `i32`.
    pub fn ymd(self) -> (i32, u32, u32) {
        // Hinnant's civil_from_days, the inverse of `from_ymd`.
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        // m is 1–12 and d is 1–31; y fits for the days documented above.
        (y as i32, m as u32, d as u32)
    }

    /// Reads `YYYY-MM-DD`: four digits, two and two, nothing else (surrounding spaces aside), so that 03/04 can
    /// never be read the wrong way round and a day that does not exist (2026-02-30) is refused.
    pub fn parse(text: &str) -> Result<Day, CalendarParseError> {
        let err = || CalendarParseError::date(text);
        let t = text.trim();
        let b = t.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(err());
        }
        let num = |s: &str| -> Result<u32, CalendarParseError> {
            if s.bytes().all(|c| c.is_ascii_digit()) {
                s.parse().map_err(|_| err())
            } else {
                Err(err())
            }
        };
        let year = i32::try_from(num(&t[0..4])?).map_err(|_| err())?;
        Day::from_ymd(year, num(&t[5..7])?, num(&t[8..10])?).ok_or_else(err)
    }

    /// The day of the week (1970-01-01 was a Thursday).
    pub fn weekday(self) -> Weekday {
        const DAYS: [Weekday; 7] = [
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
            Weekday::Saturday,
            Weekday::Sunday,
        ];
        DAYS[(self.0 + 3).rem_euclid(7) as usize]
    }

    /// The day `days` later (earlier when negative).
    pub const fn plus(self, days: i64) -> Day {
        Day(self.0 + days)
    }

    /// Whole days from `earlier` to this day (negative when `earlier` is later).
    pub const fn days_after(self, earlier: Day) -> i64 {
        self.0 - earlier.0
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for Day {
    /// ISO 8601: `2026-03-29`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl FromStr for Day {
    type Err = CalendarParseError;

    /// The same as [`Day::parse`].
    fn from_str(s: &str) -> Result<Day, CalendarParseError> {
        Day::parse(s)
    }
}

impl Serialize for Day {
    /// As the string `YYYY-MM-DD`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Day {
    /// From the string `YYYY-MM-DD`.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
        let text = String::deserialize(d)?;
        Day::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A local time of day in minutes after midnight (0–1439). In JSON, the number of minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct TimeOfDay(u16);

impl TimeOfDay {
    /// The time `hour:minute`, if it is one.
    pub fn new(hour: u16, minute: u16) -> Option<TimeOfDay> {
        (hour < 24 && minute < 60).then_some(TimeOfDay(hour * 60 + minute))
    }

    /// Minutes after midnight.
    pub fn minutes(self) -> u16 {
        self.0
    }
}

impl TryFrom<u16> for TimeOfDay {
    type Error = CalendarParseError;

    fn try_from(minutes: u16) -> Result<TimeOfDay, CalendarParseError> {
        TimeOfDay::new(minutes / 60, minutes % 60).ok_or(CalendarParseError {
            input: minutes.to_string(),
            expected: "time of day",
            form: "minutes after midnight, 0-1439",
        })
    }
}

impl From<TimeOfDay> for u16 {
    fn from(t: TimeOfDay) -> u16 {
        t.0
    }
}

impl fmt::Display for TimeOfDay {
    /// `09:30`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl FromStr for TimeOfDay {
    type Err = CalendarParseError;

    /// Reads `HH:MM` (24-hour clock, two digits each).
    fn from_str(s: &str) -> Result<TimeOfDay, CalendarParseError> {
        let err = || CalendarParseError::time(s);
        let (h, m) = s.split_once(':').ok_or_else(err)?;
        let two_digits = |t: &str| t.len() == 2 && t.bytes().all(|c| c.is_ascii_digit());
        if !two_digits(h) || !two_digits(m) {
            return Err(err());
        }
        let h: u16 = h.parse().map_err(|_| err())?;
        let m: u16 = m.parse().map_err(|_| err())?;
        TimeOfDay::new(h, m).ok_or_else(err)
    }
}

//! Civil dates and times of day without a time zone.
//!
//! The core plans in whole days: a session is "28 days after" another whatever the clocks do. The web and store
//! layers turn a [`Day`] and a [`TimeOfDay`] into an instant in Europe/Oslo, where daylight saving is handled once.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A civil date, counted in days since 1970-01-01 (day 0; negative before). No time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Day(pub i64);

/// A day of the week.
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

impl Day {
    /// The date with this year, month (1–12) and day of month, if it exists.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        // Days from civil (H. Hinnant's algorithm): count from 0000-03-01 so that the leap day ends the year.
        let y = i64::from(year) - i64::from(month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Day(era * 146_097 + doe - 719_468))
    }

    /// The year, month (1–12) and day of month.
    pub fn ymd(self) -> (i64, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        (yoe + era * 400 + i64::from(m <= 2), m, d)
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
    pub fn plus(self, days: i64) -> Day {
        Day(self.0 + days)
    }

    /// How many days after `earlier` this day is (negative when before).
    pub fn days_after(self, earlier: Day) -> i64 {
        self.0 - earlier.0
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
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

/// A date or time that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{input}' is not a valid {expected}")]
pub struct CalendarParseError {
    pub input: String,
    pub expected: &'static str,
}

impl FromStr for Day {
    type Err = CalendarParseError;

    /// Reads `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<Day, CalendarParseError> {
        let err = || CalendarParseError {
            input: s.to_string(),
            expected: "date (YYYY-MM-DD)",
        };
        let mut parts = s.splitn(3, '-');
        let (y, m, d) = (
            parts.next().ok_or_else(err)?,
            parts.next().ok_or_else(err)?,
            parts.next().ok_or_else(err)?,
        );
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(err());
        }
        let num = |t: &str| t.parse::<u32>().map_err(|_| err());
        Day::from_ymd(num(y)? as i32, num(m)?, num(d)?).ok_or_else(err)
    }
}

/// A local time of day in minutes after midnight (0–1439).
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
            expected: "time of day in minutes (0-1439)",
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

    /// Reads `HH:MM` (24-hour clock).
    fn from_str(s: &str) -> Result<TimeOfDay, CalendarParseError> {
        let err = || CalendarParseError {
            input: s.to_string(),
            expected: "time of day (HH:MM)",
        };
        let (h, m) = s.split_once(':').ok_or_else(err)?;
        if h.len() != 2 || m.len() != 2 {
            return Err(err());
        }
        let h: u16 = h.parse().map_err(|_| err())?;
        let m: u16 = m.parse().map_err(|_| err())?;
        TimeOfDay::new(h, m).ok_or_else(err)
    }
}

//! A calendar day without a date library: the core has no clock and needs only whole days (stop dates, taper ends,
//! washout windows), so a day is a count from 1970-01-01 in the proleptic Gregorian calendar.

use std::fmt;

use serde::{Serialize, Serializer};

/// A calendar day, as the number of days since 1970-01-01. Time zones are the caller's business: the caller decides
/// which day "today" is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(i64);

/// A date that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{text}' is not a date: write it as YYYY-MM-DD, e.g. 2025-03-01")]
pub struct DayError {
    /// The text as given.
    pub text: String,
}

impl Day {
    /// The day with this number (days since 1970-01-01; negative before).
    pub const fn from_days_since_epoch(days: i64) -> Day {
        Day(days)
    }

    /// Days since 1970-01-01.
    pub const fn days_since_epoch(self) -> i64 {
        self.0
    }

    /// The day `year-month-day`, or `None` when there is no such day (30 February, month 13).
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        // Howard Hinnant's days_from_civil: shift the year to start in March so the leap day is last.
        let y = i64::from(year) - i64::from(month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Day(era * 146_097 + doe - 719_468))
    }

    /// Year, month and day.
    pub fn ymd(self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        // The casts are exact: m is 1–12, d is 1–31, and y stays within i32 for any day built from an i32 year.
        (y as i32, m as u32, d as u32)
    }

    /// Reads `YYYY-MM-DD` (exactly that form, so that 03/04 can never be read the wrong way round).
    pub fn parse(text: &str) -> Result<Day, DayError> {
        let err = || DayError {
            text: text.to_string(),
        };
        let t = text.trim();
        let bytes = t.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(err());
        }
        let num = |s: &str| -> Result<u32, DayError> {
            if s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse().map_err(|_| err())
            } else {
                Err(err())
            }
        };
        let year = i32::try_from(num(&t[0..4])?).map_err(|_| err())?;
        Day::from_ymd(year, num(&t[5..7])?, num(&t[8..10])?).ok_or_else(err)
    }

    /// The day `days` later (earlier when negative).
    pub const fn plus(self, days: i64) -> Day {
        Day(self.0 + days)
    }

    /// Whole days from `earlier` to `self` (negative when `earlier` is later).
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
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

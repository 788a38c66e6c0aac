//! iCalendar (RFC 5545) written by hand: a calendar feed or a single session's file.
//!
//! The format is plain text with rules of its own, and the escaping is ours to get right: text values escape `\`,
//! `;`, `,` and line breaks (RFC 5545 §3.3.11), lines end in CRLF (§3.1), and a line longer than 75 octets is folded
//! onto continuation lines that start with a space, never inside a UTF-8 character.
//!
//! Times are written as local time in Europe/Oslo with a `VTIMEZONE` that states the zone's rules, so a calendar
//! shows a session at the same wall-clock time on either side of a daylight-saving change. The local time comes
//! from jiff's time-zone database; the `VTIMEZONE` states today's EU rules by hand. Should the two ever disagree
//! for an instant (Norway leaving daylight-saving time, say, before this file is updated), that instant is written
//! in UTC instead, which is always right. Practices in any other zone get UTC times throughout.

use jiff::tz::TimeZone;
use jiff::Timestamp;

/// The one zone ferd writes a `VTIMEZONE` for.
pub const OSLO: &str = "Europe/Oslo";

/// Europe/Oslo's rules as RFC 5545 states them: CEST from the last Sunday of March, 02:00 local (01:00 UTC), to the
/// last Sunday of October, 03:00 local (01:00 UTC); CET otherwise. The EU rules since 1996; the `DTSTART`s are the
/// customary 1970 anchors of the recurrence.
const OSLO_VTIMEZONE: [&str; 16] = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Oslo",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
];

/// An event's `STATUS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStatus {
    Confirmed,
    /// A date proposed by a protocol template, not yet held.
    Tentative,
    Cancelled,
}

impl EventStatus {
    fn as_str(self) -> &'static str {
        match self {
            EventStatus::Confirmed => "CONFIRMED",
            EventStatus::Tentative => "TENTATIVE",
            EventStatus::Cancelled => "CANCELLED",
        }
    }
}

/// One event. Its text is only what the caller puts in `summary`: ferd puts no clinical text in a calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Globally unique and stable across downloads, so a calendar updates the event rather than adding another.
    pub uid: String,
    /// When the event was last revised (Unix milliseconds), written in UTC as `DTSTAMP`.
    pub stamp_ms: i64,
    pub start_ms: i64,
    pub end_ms: i64,
    pub summary: String,
    pub status: EventStatus,
}

/// A calendar to write.
#[derive(Debug, Clone)]
pub struct Calendar<'a> {
    /// Shown by calendar applications as the subscription's name (`X-WR-CALNAME`).
    pub name: &'a str,
    /// The practice's time zone: Europe/Oslo gets local times, any other zone UTC.
    pub time_zone: &'a TimeZone,
    /// For a feed: how often a subscribing application should fetch it again.
    pub refresh_hours: Option<u32>,
    pub events: &'a [Event],
}

impl Calendar<'_> {
    /// The calendar as an iCalendar object: CRLF line endings, folded lines.
    pub fn render(&self) -> String {
        let oslo = self.time_zone.iana_name() == Some(OSLO);
        let mut out = String::new();
        let mut line = |l: &str| out.push_str(&fold(l));
        line("BEGIN:VCALENDAR");
        line(&format!(
            "PRODID:-//ferd//ferd {}//EN",
            env!("CARGO_PKG_VERSION")
        ));
        line("VERSION:2.0");
        line("CALSCALE:GREGORIAN");
        line(&format!("X-WR-CALNAME:{}", escape_text(self.name)));
        if let Some(h) = self.refresh_hours {
            // RFC 7986's property and the older one that Outlook reads.
            line(&format!("REFRESH-INTERVAL;VALUE=DURATION:PT{h}H"));
            line(&format!("X-PUBLISHED-TTL:PT{h}H"));
        }
        if oslo {
            line(&format!("X-WR-TIMEZONE:{OSLO}"));
            for l in OSLO_VTIMEZONE {
                line(l);
            }
            line("END:VTIMEZONE");
        }
        for e in self.events {
            line("BEGIN:VEVENT");
            line(&format!("UID:{}", escape_text(&e.uid)));
            line(&format!("DTSTAMP:{}", utc(e.stamp_ms)));
            line(&format!(
                "DTSTART{}",
                when(e.start_ms, self.time_zone, oslo)
            ));
            line(&format!("DTEND{}", when(e.end_ms, self.time_zone, oslo)));
            line(&format!("SUMMARY:{}", escape_text(&e.summary)));
            line(&format!("STATUS:{}", e.status.as_str()));
            // Private: calendars shared with others (a family's, a secretary's) show only that the time is taken.
            line("CLASS:PRIVATE");
            line("TRANSP:OPAQUE");
            line("END:VEVENT");
        }
        line("END:VCALENDAR");
        out
    }
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks; other control characters,
/// which the grammar does not allow, are dropped.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                // CRLF and a lone CR are one line break each.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded so that no line is longer than 75 octets (the CRLF not counted), each continuation
/// starting with a space, and ended with CRLF. A fold never splits a UTF-8 character.
pub fn fold(line: &str) -> String {
    const MAX: usize = 75;
    let mut out = String::with_capacity(line.len() + line.len() / MAX * 3 + 2);
    let mut rest = line;
    // The first line has 75 octets; each continuation has 74 after its leading space.
    let mut room = MAX;
    loop {
        if rest.len() <= room {
            out.push_str(rest);
            out.push_str("\r\n");
            return out;
        }
        let mut cut = room;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        room = MAX - 1;
    }
}

/// `YYYYMMDDTHHMMSS` of a zoned time.
fn stamp(z: &jiff::ZonedDateTime) -> String {
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}",
        z.year(),
        z.month(),
        z.day(),
        z.hour(),
        z.minute(),
        z.second()
    )
}

fn timestamp(ms: i64) -> Timestamp {
    // Session times are checked when stored; an impossible one is shown at the epoch rather than failing the feed.
    Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// A UTC DATE-TIME (`…Z`).
fn utc(ms: i64) -> String {
    stamp(&timestamp(ms).to_zoned_datetime(TimeZone::UTC)) + "Z"
}

/// The value of `DTSTART`/`DTEND`, parameters included: local time in Europe/Oslo when that names the instant
/// unambiguously, else UTC. Local time is right when jiff's offset for the instant is the one the `VTIMEZONE`
/// gives, and when the wall-clock time is not the second of the hour that repeats in October (RFC 5545 §3.3.5
/// reads a repeated local time as its first occurrence, which would put the instant an hour early).
fn when(ms: i64, tz: &TimeZone, oslo: bool) -> String {
    let z = timestamp(ms).to_zoned_datetime(tz.clone());
    let agrees = i64::from(z.offset().seconds()) == oslo_rule_offset_seconds(ms);
    // jiff resolves a repeated local time to its first occurrence too ("compatible"), so a round trip that comes
    // back to the same instant means the local time is unambiguous or names its first occurrence.
    let first_occurrence = z
        .datetime()
        .to_zoned_datetime(tz.clone())
        .is_ok_and(|back| back.timestamp() == z.timestamp());
    if oslo && agrees && first_occurrence {
        format!(";TZID={OSLO}:{}", stamp(&z))
    } else {
        format!(":{}", utc(ms))
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The last Sunday of a 31-day month, as days since 1970-01-01 (which was a Thursday).
fn last_sunday(year: i64, month: i64) -> i64 {
    let last = days_from_civil(year, month, 31);
    last - (last + 4).rem_euclid(7)
}

/// The UTC offset, in seconds, that [`OSLO_VTIMEZONE`] gives an instant: +2 h from 01:00 UTC on the last Sunday of
/// March to 01:00 UTC on the last Sunday of October, else +1 h.
fn oslo_rule_offset_seconds(ms: i64) -> i64 {
    let year = i64::from(timestamp(ms).to_zoned_datetime(TimeZone::UTC).year());
    let start = last_sunday(year, 3) * 86_400_000 + 3_600_000;
    let end = last_sunday(year, 10) * 86_400_000 + 3_600_000;
    if (start..end).contains(&ms) {
        7200
    } else {
        3600
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oslo() -> TimeZone {
        TimeZone::get(OSLO).unwrap()
    }

    /// Unix milliseconds of a UTC time.
    fn at(y: i64, mo: i64, d: i64, h: i64, mi: i64) -> i64 {
        (days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60) * 1000
    }

    fn event(start_ms: i64, minutes: i64, summary: &str) -> Event {
        Event {
            uid: "s1@ferd".into(),
            stamp_ms: at(2026, 1, 2, 3, 4),
            start_ms,
            end_ms: start_ms + minutes * 60_000,
            summary: summary.into(),
            status: EventStatus::Confirmed,
        }
    }

    fn render(tz: &TimeZone, events: &[Event]) -> String {
        Calendar {
            name: "ferd, timer",
            time_zone: tz,
            refresh_hours: Some(1),
            events,
        }
        .render()
    }

    #[test]
    fn text_escapes_backslash_semicolon_comma_and_line_breaks() {
        assert_eq!(escape_text(r"a\b;c,d"), r"a\\b\;c\,d");
        assert_eq!(
            escape_text("one\ntwo\r\nthree\rfour"),
            r"one\ntwo\nthree\nfour"
        );
        assert_eq!(escape_text("tab\there\u{7}bell"), "tab\therebell");
        assert_eq!(escape_text("Integrering – Åse Ø."), "Integrering – Åse Ø.");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        assert_eq!(fold("SHORT:x"), "SHORT:x\r\n");
        let exact = "X".repeat(75);
        assert_eq!(fold(&exact), format!("{exact}\r\n"));
        let long = format!("SUMMARY:{}", "æøå".repeat(40));
        let folded = fold(&long);
        assert!(folded.ends_with("\r\n"));
        for (i, l) in folded.trim_end_matches("\r\n").split("\r\n").enumerate() {
            assert!(l.len() <= 75, "line {i} has {} octets", l.len());
            assert_eq!(i > 0, l.starts_with(' '), "line {i}: {l:?}");
        }
        // Unfolding (remove every CRLF + space) gives the line back.
        assert_eq!(folded.trim_end_matches("\r\n").replace("\r\n ", ""), long);
    }

    #[test]
    fn every_line_ends_in_crlf_and_none_is_too_long() {
        let tz = oslo();
        let long = format!("Integrering – {}", "Navn ".repeat(30));
        let text = render(&tz, &[event(at(2026, 5, 4, 8, 0), 90, &long)]);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
        assert!(text.split("\r\n").all(|l| l.len() <= 75));
        for needed in [
            "VERSION:2.0\r\n",
            "CALSCALE:GREGORIAN\r\n",
            "X-WR-CALNAME:ferd\\, timer\r\n",
            "TZID:Europe/Oslo\r\n",
            "UID:s1@ferd\r\n",
            "DTSTAMP:20260102T030400Z\r\n",
            "STATUS:CONFIRMED\r\n",
        ] {
            assert!(text.contains(needed), "{needed:?} missing from\n{text}");
        }
    }

    #[test]
    fn sessions_keep_their_wall_clock_time_across_the_daylight_saving_changes() {
        let tz = oslo();
        // Sunday 29 March 2026: 02:00 CET becomes 03:00 CEST (01:00 UTC). 10:00 the day before is 09:00 UTC; 10:00
        // that day is 08:00 UTC.
        let before_spring = event(at(2026, 3, 28, 9, 0), 60, "a");
        let after_spring = event(at(2026, 3, 29, 8, 0), 60, "b");
        // Sunday 25 October 2026: 03:00 CEST becomes 02:00 CET (01:00 UTC).
        let before_autumn = event(at(2026, 10, 24, 8, 0), 60, "c");
        let after_autumn = event(at(2026, 10, 25, 9, 0), 60, "d");
        // Across the change itself: from 00:30 UTC (02:30 CEST) for an hour ends at 02:30 CET, the second 02:30 of
        // the night, which local time cannot name: the end is written in UTC.
        let across = event(at(2026, 10, 25, 0, 30), 60, "e");
        let text = render(
            &tz,
            &[
                before_spring,
                after_spring,
                before_autumn,
                after_autumn,
                across,
            ],
        );
        for (start, end) in [
            ("20260328T100000", "20260328T110000"),
            ("20260329T100000", "20260329T110000"),
            ("20261024T100000", "20261024T110000"),
            ("20261025T100000", "20261025T110000"),
        ] {
            assert!(
                text.contains(&format!("DTSTART;TZID=Europe/Oslo:{start}\r\n")),
                "{start} in\n{text}"
            );
            assert!(
                text.contains(&format!("DTEND;TZID=Europe/Oslo:{end}\r\n")),
                "{end} in\n{text}"
            );
        }
    }

    #[test]
    fn the_repeated_hour_in_october_is_written_so_it_cannot_be_misread() {
        let tz = oslo();
        let across = event(at(2026, 10, 25, 0, 30), 60, "e");
        let text = render(&tz, &[across]);
        assert!(
            text.contains("DTSTART;TZID=Europe/Oslo:20261025T023000\r\n"),
            "{text}"
        );
        assert!(text.contains("DTEND:20261025T013000Z\r\n"), "{text}");
    }

    #[test]
    fn the_written_rules_agree_with_the_time_zone_database_hour_by_hour() {
        let tz = oslo();
        let mut ms = at(2025, 1, 1, 0, 0);
        while ms < at(2028, 1, 1, 0, 0) {
            let db = timestamp(ms)
                .to_zoned_datetime(tz.clone())
                .offset()
                .seconds();
            assert_eq!(i64::from(db), oslo_rule_offset_seconds(ms), "at {ms}");
            ms += 3_600_000;
        }
    }

    #[test]
    fn other_time_zones_and_rule_changes_fall_back_to_utc() {
        let tz = TimeZone::get("America/New_York").unwrap();
        let text = render(&tz, &[event(at(2026, 7, 1, 14, 0), 60, "x")]);
        assert!(text.contains("DTSTART:20260701T140000Z\r\n"), "{text}");
        assert!(!text.contains("VTIMEZONE"));
        // An instant where the rules written in the VTIMEZONE would be wrong (before the EU rules of 1996: in 1990
        // summer time ended on 30 September) is written in UTC too.
        let tz = oslo();
        let text = render(&tz, &[event(at(1990, 10, 10, 10, 0), 60, "y")]);
        assert!(text.contains("DTSTART:19901010T100000Z\r\n"), "{text}");
    }

    #[test]
    fn statuses_are_written_as_rfc_5545_names() {
        let tz = oslo();
        let mut e = event(at(2026, 6, 1, 8, 0), 60, "x");
        e.status = EventStatus::Cancelled;
        let mut t = e.clone();
        t.status = EventStatus::Tentative;
        let text = render(&tz, &[e, t]);
        assert!(text.contains("STATUS:CANCELLED\r\n"));
        assert!(text.contains("STATUS:TENTATIVE\r\n"));
    }
}

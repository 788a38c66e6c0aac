//! Reading FHIR search parameters: the query string against the parameters a resource type declares, references to
//! a Patient, token lists, paging, and date values with their prefixes (`ge2026-01-15`) as time ranges.

use axum::http::StatusCode;
use ferd_core::fhir::TokenParam;
use ferd_store::fhir_reads::TimeFilter;

use crate::api::ApiError;

/// Results per page unless `_count` says otherwise, and the most `_count` may ask for.
pub const DEFAULT_COUNT: i64 = 50;
pub const MAX_COUNT: i64 = 500;

/// Parameters every interaction understands.
const COMMON: [&str; 2] = ["_format", "_pretty"];
/// Paging parameters of a search.
const PAGING: [&str; 2] = ["_count", "_offset"];

fn bad(param: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid", message)
        .at(param)
        .fhir()
}

/// A request's parameters, checked against what the interaction declares.
#[derive(Debug, Default)]
pub struct Params {
    /// The parameters used, in order (unknown ones left out under `Prefer: handling=lenient`).
    pub pairs: Vec<(String, String)>,
    pub pretty: bool,
}

impl Params {
    /// Reads the query string. A parameter that is not in `allowed` (nor `_format`, `_pretty` or, for a search,
    /// `_count` and `_offset`) is refused naming it, unless `lenient`, when it is ignored. Modifiers (`name:exact`)
    /// are not supported and are refused the same way.
    pub fn parse(
        query: Option<&str>,
        allowed: &[&str],
        search: bool,
        lenient: bool,
    ) -> Result<Params, ApiError> {
        let mut p = Params::default();
        for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            let known = allowed.contains(&k.as_ref())
                || COMMON.contains(&k.as_ref())
                || (search && PAGING.contains(&k.as_ref()));
            if !known {
                if lenient {
                    continue;
                }
                let what = if k.contains(':') {
                    "search modifiers are not supported"
                } else {
                    "is not a parameter ferd supports here"
                };
                let mut names: Vec<&str> = allowed.to_vec();
                if search {
                    names.extend(PAGING);
                }
                names.extend(COMMON);
                return Err(bad(
                    &k,
                    format!(
                        "'{}' {what} (supported: {}; send Prefer: handling=lenient to have unknown parameters ignored)",
                        clip(&k),
                        names.join(", ")
                    ),
                ));
            }
            if k == "_pretty" {
                p.pretty = match v.as_ref() {
                    "true" => true,
                    "false" => false,
                    _ => return Err(bad("_pretty", "must be true or false")),
                };
            }
            p.pairs.push((k.into_owned(), v.into_owned()));
        }
        Ok(p)
    }

    /// Every value of `name`.
    pub fn all<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a str> + 'a {
        let name = name.to_string();
        self.pairs
            .iter()
            .filter(move |(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of a parameter given at most once.
    pub fn one(&self, name: &str) -> Result<Option<&str>, ApiError> {
        let mut it = self.all(name);
        let first = it.next();
        if it.next().is_some() {
            return Err(bad(name, format!("'{name}' may be given only once")));
        }
        Ok(first)
    }

    /// `_count` and `_offset`.
    pub fn paging(&self) -> Result<(i64, i64), ApiError> {
        let number = |name: &str, max: i64| -> Result<Option<i64>, ApiError> {
            match self.one(name)? {
                None => Ok(None),
                Some(v) => match v.parse::<i64>() {
                    Ok(n) if (0..=max).contains(&n) => Ok(Some(n)),
                    _ => Err(bad(name, format!("must be a whole number from 0 to {max}"))),
                },
            }
        };
        let count = number("_count", MAX_COUNT)?.unwrap_or(DEFAULT_COUNT);
        let offset = number("_offset", i64::from(i32::MAX))?.unwrap_or(0);
        Ok((count, offset))
    }

    /// The client named by `patient` or `subject` (one of them, once): `Patient/<id>`, `<id>`, or an absolute
    /// address ending in `Patient/<id>`.
    pub fn patient(&self) -> Result<Option<String>, ApiError> {
        let patient = self.one("patient")?;
        let subject = self.one("subject")?;
        let (name, value) = match (patient, subject) {
            (None, None) => return Ok(None),
            (Some(p), None) => ("patient", p),
            (None, Some(s)) => ("subject", s),
            (Some(_), Some(_)) => {
                return Err(bad("subject", "give either patient or subject, not both"));
            }
        };
        patient_reference(value)
            .map(|id| Some(id.to_string()))
            .ok_or_else(|| {
                bad(
                    name,
                    format!(
                        "'{}' is not a Patient reference (Patient/<id>)",
                        clip(value)
                    ),
                )
            })
    }

    /// A token parameter given once, its comma-separated values (any of which may match).
    pub fn tokens(&self, name: &str) -> Result<Option<Vec<TokenParam>>, ApiError> {
        let Some(v) = self.one(name)? else {
            return Ok(None);
        };
        v.split(',')
            .map(|t| {
                TokenParam::parse(t).ok_or_else(|| {
                    bad(
                        name,
                        format!("'{}' is not a token (system|code or code)", clip(t)),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    /// Every value of a date parameter, as conditions that must all hold; a date without a zone is read in `tz`.
    pub fn dates(&self, name: &str, tz: &jiff::tz::TimeZone) -> Result<Vec<TimeFilter>, ApiError> {
        let mut out = Vec::new();
        for v in self.all(name) {
            out.extend(date_filters(v, tz).map_err(|m| bad(name, m))?);
        }
        Ok(out)
    }

    /// The parameters again as a query string (for a Bundle's links), with `_count` and `_offset` as given.
    pub fn query_with(&self, count: i64, offset: i64) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.pairs {
            if k != "_count" && k != "_offset" {
                s.append_pair(k, v);
            }
        }
        s.append_pair("_count", &count.to_string());
        if offset > 0 {
            s.append_pair("_offset", &offset.to_string());
        }
        s.finish()
    }
}

/// The id in `Patient/<id>`, a bare `<id>`, or an absolute address ending in `/Patient/<id>`.
pub fn patient_reference(value: &str) -> Option<&str> {
    let id = if let Some((head, id)) = value.rsplit_once('/') {
        if head == "Patient" || head.ends_with("/Patient") {
            id
        } else {
            return None;
        }
    } else {
        value
    };
    is_id(id).then_some(id)
}

/// A FHIR `id`: 1–64 of A–Z, a–z, 0–9, `-` and `.`.
pub fn is_id(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

/// At most 60 characters of what was sent, for a message.
pub fn clip(s: &str) -> String {
    if s.chars().count() > 60 {
        s.chars().take(60).collect::<String>() + "…"
    } else {
        s.to_string()
    }
}

/// A date search value (`[prefix]YYYY[-MM[-DD[Thh:mm[:ss[.f…]][Z|±hh:mm]]]]`) as conditions on an instant. The value
/// stands for the whole range its precision implies (`2026-01` is all of January); a value without a zone is read
/// in `tz`. Prefixes: eq (the default), ne, gt, lt, ge, le, sa, eb; `ap` is not supported.
pub fn date_filters(value: &str, tz: &jiff::tz::TimeZone) -> Result<Vec<TimeFilter>, String> {
    let (prefix, rest) = match value.get(..2) {
        Some(p) if p.bytes().all(|b| b.is_ascii_lowercase()) => (p, &value[2..]),
        _ => ("eq", value),
    };
    let (lo, hi) = date_range(rest, tz).ok_or_else(|| {
        format!(
            "'{}' is not a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][Z|±hh:mm], with an optional prefix eq, ne, gt, lt, ge, le, sa, eb)",
            clip(value)
        )
    })?;
    Ok(match prefix {
        "eq" => vec![TimeFilter::From(lo), TimeFilter::Before(hi)],
        "ne" => vec![TimeFilter::Outside { from: lo, to: hi }],
        "gt" | "sa" => vec![TimeFilter::From(hi)],
        "lt" | "eb" => vec![TimeFilter::Before(lo)],
        "ge" => vec![TimeFilter::From(lo)],
        "le" => vec![TimeFilter::Before(hi)],
        "ap" => return Err("the prefix ap (approximately) is not supported".into()),
        other => {
            return Err(format!(
                "'{other}' is not a date prefix (eq, ne, gt, lt, ge, le, sa, eb)"
            ))
        }
    })
}

/// The range `[start, end)` in Unix milliseconds that a date value of this precision stands for.
fn date_range(s: &str, tz: &jiff::tz::TimeZone) -> Option<(i64, i64)> {
    use jiff::civil::DateTime;
    use jiff::Span;
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        (!part.is_empty() && part.bytes().all(|c| c.is_ascii_digit()))
            .then(|| part.parse().ok())
            .flatten()
    };
    let year = digits(0..4)?;
    let (mut month, mut day, mut hour, mut minute, mut second, mut nanos) = (1, 1, 0, 0, 0, 0);
    let mut end = 4;
    let step: Span;
    let mut zone: Option<jiff::tz::Offset> = None;
    if b.len() == 4 {
        step = Span::new().years(1);
    } else {
        if b.get(4) != Some(&b'-') {
            return None;
        }
        month = digits(5..7)?;
        end = 7;
        if b.len() == 7 {
            step = Span::new().months(1);
        } else {
            if b.get(7) != Some(&b'-') {
                return None;
            }
            day = digits(8..10)?;
            end = 10;
            if b.len() == 10 {
                step = Span::new().days(1);
            } else {
                if b.get(10) != Some(&b'T') || b.get(13) != Some(&b':') {
                    return None;
                }
                hour = digits(11..13)?;
                minute = digits(14..16)?;
                end = 16;
                let mut unit = Span::new().minutes(1);
                if b.get(16) == Some(&b':') {
                    second = digits(17..19)?;
                    end = 19;
                    unit = Span::new().seconds(1);
                    if b.get(19) == Some(&b'.') {
                        let n = b[20..].iter().take_while(|c| c.is_ascii_digit()).count();
                        if n == 0 || n > 9 {
                            return None;
                        }
                        let frac = &s[20..20 + n];
                        nanos = frac.parse::<i64>().ok()? * 10_i64.pow(9 - n as u32);
                        end = 20 + n;
                        unit = Span::new().nanoseconds(10_i64.pow(9 - n as u32));
                    }
                }
                step = unit;
                let z = &s[end..];
                zone = match z.as_bytes() {
                    [] => None,
                    [b'Z'] => Some(jiff::tz::Offset::UTC),
                    [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2]
                        if [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()) =>
                    {
                        let h = i32::from(*h1 - b'0') * 10 + i32::from(*h2 - b'0');
                        let m = i32::from(*m1 - b'0') * 10 + i32::from(*m2 - b'0');
                        if h > 14 || m > 59 {
                            return None;
                        }
                        let secs = (h * 3600 + m * 60) * if *sign == b'-' { -1 } else { 1 };
                        Some(jiff::tz::Offset::from_seconds(secs).ok()?)
                    }
                    _ => return None,
                };
                end = b.len();
            }
        }
    }
    if end != b.len() {
        return None;
    }
    let start = DateTime::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second).ok()?,
        i32::try_from(nanos).ok()?,
    )
    .ok()?;
    let stop = start.checked_add(step).ok()?;
    let instant = |dt: DateTime| -> Option<i64> {
        let ts = match zone {
            Some(offset) => offset.to_timestamp(dt).ok()?,
            None => dt.to_zoned_datetime(tz.clone()).ok()?.timestamp(),
        };
        Some(ts.as_millisecond())
    };
    Some((instant(start)?, instant(stop)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc() -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::UTC
    }

    #[test]
    fn a_date_stands_for_the_range_its_precision_implies() {
        // 2026-01-15T00:00:00Z = 1768435200 s.
        let day = 1_768_435_200_000;
        assert_eq!(
            date_range("2026-01-15", &utc()),
            Some((day, day + 86_400_000))
        );
        assert_eq!(
            date_range("2026-01-15T10:30Z", &utc()),
            Some((day + 37_800_000, day + 37_860_000))
        );
        assert_eq!(
            date_range("2026-01-15T10:30:05+01:00", &utc()),
            Some((day + 34_205_000, day + 34_206_000))
        );
        assert_eq!(
            date_range("2026-01-15T10:30:05.25Z", &utc()),
            Some((day + 37_805_250, day + 37_805_260))
        );
        let (jan, feb) = date_range("2026-01", &utc()).unwrap();
        assert_eq!(feb - jan, 31 * 86_400_000);
        let (y0, y1) = date_range("2024", &utc()).unwrap();
        assert_eq!(y1 - y0, 366 * 86_400_000, "a leap year");
        // In Oslo (UTC+1 in January) the day starts an hour earlier than in UTC.
        let oslo = jiff::tz::TimeZone::get("Europe/Oslo").unwrap();
        assert_eq!(
            date_range("2026-01-15", &oslo),
            Some((day - 3_600_000, day + 86_400_000 - 3_600_000))
        );
        for bad in [
            "2026-1-15",
            "2026-01-15T",
            "2026-01-15T10",
            "2026-02-30",
            "2026-01-15T10:30:05+1",
            "20260115",
            "",
            "2026-01-15T10:30:05.Z",
        ] {
            assert_eq!(date_range(bad, &utc()), None, "{bad}");
        }
    }

    #[test]
    fn prefixes_become_conditions_on_the_range() {
        let tz = utc();
        let (lo, hi) = date_range("2026-01-15", &tz).unwrap();
        let f = |v: &str| date_filters(v, &tz).unwrap();
        assert_eq!(
            f("2026-01-15"),
            vec![TimeFilter::From(lo), TimeFilter::Before(hi)]
        );
        assert_eq!(f("eq2026-01-15"), f("2026-01-15"));
        assert_eq!(f("ge2026-01-15"), vec![TimeFilter::From(lo)]);
        assert_eq!(f("gt2026-01-15"), vec![TimeFilter::From(hi)]);
        assert_eq!(f("le2026-01-15"), vec![TimeFilter::Before(hi)]);
        assert_eq!(f("lt2026-01-15"), vec![TimeFilter::Before(lo)]);
        assert_eq!(
            f("ne2026-01-15"),
            vec![TimeFilter::Outside { from: lo, to: hi }]
        );
        assert!(date_filters("ap2026-01-15", &tz).is_err());
        assert!(date_filters("xx2026-01-15", &tz).is_err());
    }

    #[test]
    fn patient_references_take_three_forms() {
        assert_eq!(patient_reference("Patient/abc-1"), Some("abc-1"));
        assert_eq!(patient_reference("abc-1"), Some("abc-1"));
        assert_eq!(
            patient_reference("https://ferd.example.no/fhir/Patient/abc-1"),
            Some("abc-1")
        );
        assert_eq!(patient_reference("Group/abc-1"), None);
        assert_eq!(patient_reference("Patient/a b"), None);
        assert_eq!(patient_reference(""), None);
    }
}

//! The referral directory's rules: the kinds of place a practice refers to, what a phone number and a web address
//! must look like, when an entry has gone too long without a check, and the places ferd suggests a Norwegian practice
//! start from (`data/referrals/`).
//!
//! A directory entry is only as good as its last check: a trial stops recruiting, a clinic closes, a number changes.
//! So an entry carries the day the practice last checked it, and one checked more than twelve months ago is treated
//! as unchecked until someone checks it again.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::calendar::Day;

/// What kind of place an entry is; the public page groups entries by kind, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlaceKind {
    /// A research study that takes participants (the Østfold studies, say).
    Trial,
    /// Treatment in the public health service (ketamine for depression, a DPS).
    PublicTreatment,
    PrivateClinic,
    /// A trauma therapist or another practitioner.
    Therapist,
    /// A helpline or emergency service.
    CrisisService,
    Other,
}

impl PlaceKind {
    /// Every kind, in the order the directory shows them.
    pub const ALL: [PlaceKind; 6] = [
        PlaceKind::Trial,
        PlaceKind::PublicTreatment,
        PlaceKind::PrivateClinic,
        PlaceKind::Therapist,
        PlaceKind::CrisisService,
        PlaceKind::Other,
    ];

    /// The kind's name as stored and sent by forms.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Trial => "trial",
            PlaceKind::PublicTreatment => "public-treatment",
            PlaceKind::PrivateClinic => "private-clinic",
            PlaceKind::Therapist => "therapist",
            PlaceKind::CrisisService => "crisis-service",
            PlaceKind::Other => "other",
        }
    }

    /// Reads a stored or submitted kind.
    pub fn parse(s: &str) -> Option<PlaceKind> {
        PlaceKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The languages a place can be marked as speaking (BCP 47 tags; the form offers these), with each language's name
/// in itself, so a reader recognises their own.
pub const LANGUAGES: [(&str, &str); 7] = [
    ("nb", "Norsk"),
    ("en", "English"),
    ("sv", "Svenska"),
    ("da", "Dansk"),
    ("de", "Deutsch"),
    ("pl", "Polski"),
    ("uk", "Українська"),
];

/// The name of a language tag in that language (the tag itself for one ferd does not know).
pub fn language_name(tag: &str) -> &str {
    LANGUAGES
        .iter()
        .find(|(t, _)| *t == tag)
        .map_or(tag, |(_, name)| name)
}

/// The earliest check date that is still current on `today`: the same day one year earlier (1 March for 29 February).
pub fn current_since(today: Day) -> Day {
    let (y, m, d) = today.ymd();
    Day::from_ymd(y - 1, m, d)
        .or_else(|| Day::from_ymd(y - 1, 3, 1))
        .unwrap_or_else(|| today.plus(-365))
}

/// Whether an entry last checked on `checked_on` (never, when `None`) needs checking before the public may see it.
pub fn needs_checking(checked_on: Option<Day>, today: Day) -> bool {
    checked_on.is_none_or(|c| c < current_since(today))
}

/// Whether `email` looks like an e-mail address ferd can write to: one `@` with something before it, a domain with
/// a dot after it, no spaces, at most 254 characters (the limit of RFC 5321). Only a sent mail proves more.
pub fn is_email_address(email: &str) -> bool {
    email.len() <= 254
        && email.split_once('@').is_some_and(|(a, b)| {
            !a.is_empty() && b.contains('.') && !b.starts_with('.') && !b.contains('@')
        })
        && !email.chars().any(char::is_whitespace)
}

/// Whether `s` looks like a phone number: digits with spaces, `-`, `(`, `)` or `.`, one `+` at most and before the
/// digits, at least three digits (113 is a number) and at most 40 characters.
pub fn is_phone_number(s: &str) -> bool {
    let s = s.trim();
    s.chars().count() <= 40
        && s.chars().filter(char::is_ascii_digit).count() >= 3
        && s.chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        && s.matches('+').count() <= 1
        && s.find('+')
            .is_none_or(|plus| s[..plus].chars().all(|c| !c.is_ascii_digit()))
}

/// A `tel:` address for a phone number ([`is_phone_number`]): the digits, with a leading `+` kept.
pub fn tel_uri(phone: &str) -> String {
    let p = phone.trim();
    let digits: String = p.chars().filter(char::is_ascii_digit).collect();
    if p.starts_with('+') {
        format!("tel:+{digits}")
    } else {
        format!("tel:{digits}")
    }
}

/// Whether `s` is a web address a reader can follow: `https://` or `http://`, a host name with a dot, no spaces or
/// characters that would break out of an attribute, at most 500 characters.
pub fn is_web_address(s: &str) -> bool {
    let s = s.trim();
    let Some(rest) = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_ok = !host.is_empty()
        && host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-' || c == ':');
    s.len() <= 500
        && host_ok
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "\"'<>\\`".contains(c))
}

/// A place ferd suggests a practice start its directory from, with where the facts come from. The practice checks
/// it itself before making it public: `source_read_on` is when the ferd project read the source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suggestion {
    /// Stable across releases, so a practice that already added it is not offered it twice.
    pub id: String,
    pub name: String,
    pub kind: PlaceKind,
    pub offers_nb: Option<String>,
    pub offers_en: Option<String>,
    pub eligibility_nb: Option<String>,
    pub eligibility_en: Option<String>,
    /// Language tags; empty when the source does not say.
    pub languages: Vec<String>,
    pub region: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub web: Option<String>,
    /// Where the facts come from.
    pub source: String,
    /// When the ferd project read the source.
    pub source_read_on: Day,
    /// False when the domain notes mark a key fact UNVERIFIED.
    pub verified: bool,
    /// Which fact is not verified (required when `verified` is false).
    pub unverified: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SuggestionFile {
    place: Vec<Suggestion>,
}

/// What is wrong with a suggestions file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("referral suggestions {file}: {message}")]
pub struct SuggestionError {
    pub file: String,
    pub message: String,
}

/// The suggestion files embedded in the binary.
pub const BUILTIN_FILES: &[(&str, &str)] = &[(
    "norway.toml",
    include_str!("../../../data/referrals/norway.toml"),
)];

/// The places ferd suggests.
#[derive(Debug)]
pub struct Suggestions {
    places: Vec<Suggestion>,
}

impl Suggestions {
    /// The bundled suggestions; their files are checked by the test suite.
    pub fn builtin() -> &'static Suggestions {
        static BUILTIN: OnceLock<Suggestions> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Suggestions::load(BUILTIN_FILES)
                .unwrap_or_else(|e| panic!("bundled referral suggestions are invalid: {e}"))
        })
    }

    /// Parses and checks suggestion files: unique ids, something offered, a source, valid contact details, and a
    /// reason for every unverified entry.
    pub fn load(files: &[(&str, &str)]) -> Result<Suggestions, SuggestionError> {
        let mut places: Vec<Suggestion> = Vec::new();
        for (name, text) in files {
            let err = |message: String| SuggestionError {
                file: (*name).to_string(),
                message,
            };
            let file: SuggestionFile =
                toml::from_str(text).map_err(|e| err(e.message().to_string()))?;
            for p in file.place {
                let at = |m: &str| err(format!("place '{}': {m}", p.id));
                if !crate::ids::is_kebab(&p.id) {
                    return Err(at("the id is lowercase letters, digits and -"));
                }
                if places.iter().any(|q| q.id == p.id) {
                    return Err(at("the id is used twice"));
                }
                let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
                if p.name.trim().is_empty() || p.source.trim().is_empty() {
                    return Err(at("needs a name and a source"));
                }
                if blank(&p.offers_nb) && blank(&p.offers_en) {
                    return Err(at("needs what it offers, in Norwegian or English"));
                }
                if p.phone.as_deref().is_some_and(|v| !is_phone_number(v)) {
                    return Err(at("the phone number is not one"));
                }
                if p.web.as_deref().is_some_and(|v| !is_web_address(v)) {
                    return Err(at("the web address is not one"));
                }
                if p.email.as_deref().is_some_and(|v| !is_email_address(v)) {
                    return Err(at("the e-mail address is not one"));
                }
                if p.phone.is_none() && p.email.is_none() && p.web.is_none() {
                    return Err(at("needs a way to get in touch"));
                }
                if p.languages
                    .iter()
                    .any(|l| !LANGUAGES.iter().any(|(t, _)| t == l))
                {
                    return Err(at("a language is not one the directory knows"));
                }
                if !p.verified && blank(&p.unverified) {
                    return Err(at("an unverified place says what is unverified"));
                }
                places.push(p);
            }
        }
        Ok(Suggestions { places })
    }

    /// Every suggested place, in file order.
    pub fn places(&self) -> &[Suggestion] {
        &self.places
    }

    /// The suggestion with this id.
    pub fn get(&self, id: &str) -> Option<&Suggestion> {
        self.places.iter().find(|p| p.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    #[test]
    fn a_check_holds_for_twelve_months_to_the_day() {
        let today = day("2026-11-26");
        assert!(!needs_checking(Some(day("2026-11-26")), today));
        assert!(!needs_checking(Some(day("2025-11-26")), today));
        assert!(needs_checking(Some(day("2025-11-25")), today));
        assert!(needs_checking(None, today));
    }

    #[test]
    fn on_a_leap_day_a_check_from_the_first_of_march_a_year_before_still_holds() {
        assert_eq!(current_since(day("2028-02-29")), day("2027-03-01"));
        assert!(needs_checking(Some(day("2027-02-28")), day("2028-02-29")));
        // Checked on a leap day: current through 28 February of the next year.
        assert!(!needs_checking(Some(day("2024-02-29")), day("2025-02-28")));
        assert!(needs_checking(Some(day("2024-02-29")), day("2025-03-01")));
    }

    #[test]
    fn phone_numbers_are_digits_with_the_usual_separators() {
        for ok in ["113", "116 117", "+47 22 40 00 40", "(+47) 22-40-00-40"] {
            assert!(is_phone_number(ok), "{ok}");
        }
        for bad in ["", "12", "call 113", "22 40 00 40 ext. 5", "47+22"] {
            assert!(!is_phone_number(bad), "{bad}");
        }
        assert_eq!(tel_uri("+47 22 40 00 40"), "tel:+4722400040");
        assert_eq!(tel_uri("116 117"), "tel:116117");
    }

    #[test]
    fn web_addresses_are_http_or_https_to_a_named_host() {
        for ok in [
            "https://sykehuset-ostfold.no",
            "http://example.org/a/b?c=d#e",
            "https://www.example.no:8443/x",
        ] {
            assert!(is_web_address(ok), "{ok}");
        }
        for bad in [
            "sykehuset-ostfold.no",
            "javascript:alert(1)",
            "https://",
            "https://localhost",
            "https://exa mple.org",
            "https://example.org/\"onmouseover",
            "ftp://example.org",
        ] {
            assert!(!is_web_address(bad), "{bad}");
        }
    }

    #[test]
    fn kinds_read_back_as_they_are_written() {
        for k in PlaceKind::ALL {
            assert_eq!(PlaceKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(PlaceKind::parse("hospital"), None);
    }

    #[test]
    fn the_bundled_suggestions_load_each_with_a_source_and_the_date_it_was_read() {
        let s = Suggestions::builtin();
        assert!(s.places().len() >= 5);
        // (A place without a source is refused by the loader: see the test below.)
        for p in s.places() {
            assert!(p.source_read_on >= day("2026-01-01"), "{}", p.id);
        }
        // The Østfold PTSD study's status is unverified in the domain notes: it is marked so.
        let ostfold = s.get("sykehuset-ostfold-mdma-ptsd").unwrap();
        assert_eq!(ostfold.kind, PlaceKind::Trial);
        assert!(!ostfold.verified && ostfold.unverified.is_some());
        // The crisis numbers are the ones the public site already cites.
        let phones: Vec<&str> = s
            .places()
            .iter()
            .filter(|p| p.kind == PlaceKind::CrisisService)
            .filter_map(|p| p.phone.as_deref())
            .collect();
        assert_eq!(phones, ["113", "116 117", "116 123", "22 40 00 40"]);
    }

    #[test]
    fn a_suggestion_without_a_way_to_get_in_touch_or_with_a_bad_address_is_refused() {
        let base = "[[place]]\nid = \"x\"\nname = \"X\"\nkind = \"other\"\noffers_en = \"o\"\nlanguages = []\nsource = \"s\"\nsource_read_on = \"2026-11-26\"\nverified = true\n";
        let no_source = format!(
            "{}phone = \"113\"\n",
            base.replace("source = \"s\"", "source = \" \"")
        );
        assert!(Suggestions::load(&[("t", &no_source)])
            .unwrap_err()
            .message
            .contains("needs a name and a source"));
        assert!(Suggestions::load(&[("t", base)])
            .unwrap_err()
            .message
            .contains("get in touch"));
        let bad_web = format!("{base}web = \"example.org\"\n");
        assert!(Suggestions::load(&[("t", &bad_web)])
            .unwrap_err()
            .message
            .contains("web address"));
        let unverified = base.replace("verified = true", "verified = false") + "phone = \"113\"\n";
        assert!(Suggestions::load(&[("t", &unverified)])
            .unwrap_err()
            .message
            .contains("unverified"));
        let ok = format!("{base}phone = \"113\"\n");
        assert_eq!(Suggestions::load(&[("t", &ok)]).unwrap().places().len(), 1);
    }
}

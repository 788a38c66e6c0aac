//! Every word of the interface, in Norwegian bokmål and English, through Fluent; and dates and numbers formatted
//! the way each language writes them.
//!
//! The language of a request comes from the user's setting, else the `ferd_lang` cookie set by the switch on every
//! page, else the browser's `Accept-Language`, else bokmål (ferd is made for Norwegian practices).

use std::collections::HashMap;
use std::sync::Arc;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    Nb,
    En,
}

impl Lang {
    /// Every interface language, in the order the switch shows them.
    pub const ALL: [Lang; 2] = [Lang::Nb, Lang::En];

    /// The BCP 47 tag (also the `lang` attribute of the page).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Nb => "nb",
            Lang::En => "en",
        }
    }

    /// The language's name in itself, for the switch.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::Nb => "Norsk",
            Lang::En => "English",
        }
    }

    /// Parses a tag such as `nb`, `nb-NO`, `no`, `nn` or `en-GB`. Nynorsk and plain `no` readers get bokmål, the
    /// closest language ferd has.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "nb" | "no" | "nn" => Some(Lang::Nb),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The best language for an `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("");
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|v| v.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(lang) = Lang::parse(tag) {
                if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, lang));
                }
            }
        }
        best.map(|(_, l)| l)
    }
}

const EN: &str = include_str!("../i18n/en.ftl");
const NB: &str = include_str!("../i18n/nb.ftl");

/// The interface's message bundles, built once at start-up.
pub struct I18n {
    bundles: HashMap<Lang, FluentBundle<FluentResource>>,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("I18n").finish_non_exhaustive()
    }
}

/// A message file that does not parse.
#[derive(Debug, thiserror::Error)]
#[error("the {lang} messages do not parse: {message}")]
pub struct I18nError {
    lang: &'static str,
    message: String,
}

impl I18n {
    /// Builds the bundles from the embedded `.ftl` files.
    pub fn load() -> Result<I18n, I18nError> {
        let mut bundles = HashMap::new();
        for (lang, text) in [(Lang::Nb, NB), (Lang::En, EN)] {
            let resource =
                FluentResource::try_new(text.to_string()).map_err(|(_, errors)| I18nError {
                    lang: lang.tag(),
                    message: format!("{errors:?}"),
                })?;
            let id: unic_langid::LanguageIdentifier =
                lang.tag().parse().map_err(|_| I18nError {
                    lang: lang.tag(),
                    message: "bad language tag".into(),
                })?;
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Unicode isolation marks would end up inside attributes and test assertions; our arguments are
            // plain text in the same direction.
            bundle.set_use_isolating(false);
            bundle.add_resource(resource).map_err(|errors| I18nError {
                lang: lang.tag(),
                message: format!("{errors:?}"),
            })?;
            bundles.insert(lang, bundle);
        }
        Ok(I18n { bundles })
    }

    /// The message ids of one language, for the test that both languages say everything.
    pub fn ids(lang: Lang) -> Vec<String> {
        let text = match lang {
            Lang::Nb => NB,
            Lang::En => EN,
        };
        text.lines()
            .filter_map(|l| {
                let (id, _) = l.split_once(" =")?;
                (!id.is_empty() && !id.starts_with([' ', '#', '-', '.', '*', '[']))
                    .then(|| id.trim().to_string())
            })
            .collect()
    }

    fn format(&self, lang: Lang, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        let Some(bundle) = self.bundles.get(&lang) else {
            return key.to_string();
        };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!(key, lang = lang.tag(), "missing interface message");
            return key.to_string();
        };
        let mut errors = vec![];
        bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }
}

/// The translator of one request: its language, the practice's time zone, and the messages.
#[derive(Clone)]
pub struct Tr {
    lang: Lang,
    tz: TimeZone,
    i18n: Arc<I18n>,
}

impl std::fmt::Debug for Tr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tr")
            .field("lang", &self.lang)
            .finish_non_exhaustive()
    }
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_NB: [&str; 12] = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
];
const WEEKDAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const WEEKDAYS_NB: [&str; 7] = [
    "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag",
];

impl Tr {
    /// A translator for `lang` showing times in `tz`.
    pub fn new(i18n: Arc<I18n>, lang: Lang, tz: TimeZone) -> Tr {
        Tr { lang, tz, i18n }
    }

    /// The language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The language's tag, for `<html lang>`.
    pub fn tag(&self) -> &'static str {
        self.lang.tag()
    }

    /// The time zone times are shown in.
    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        self.i18n.format(self.lang, key, None)
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &str, value: &dyn std::fmt::Display) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_string(), FluentValue::from(value.to_string()));
        self.i18n.format(self.lang, key, Some(&args))
    }

    /// The message `key` with one numeric argument (for plural forms).
    pub fn tn(&self, key: &str, name: &str, n: i64) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_string(), FluentValue::from(n));
        self.i18n.format(self.lang, key, Some(&args))
    }

    /// The message `key` with two arguments.
    pub fn t2(
        &self,
        key: &str,
        a: &str,
        av: &dyn std::fmt::Display,
        b: &str,
        bv: &dyn std::fmt::Display,
    ) -> String {
        let mut args = FluentArgs::new();
        args.set(a.to_string(), FluentValue::from(av.to_string()));
        args.set(b.to_string(), FluentValue::from(bv.to_string()));
        self.i18n.format(self.lang, key, Some(&args))
    }

    fn zoned(&self, ms: i64) -> Option<jiff::ZonedDateTime> {
        Timestamp::from_millisecond(ms)
            .ok()
            .map(|t| t.to_zoned_datetime(self.tz.clone()))
    }

    /// A date: `26.11.2026` in Norwegian, `26 Nov 2026` in English.
    pub fn date(&self, ms: impl Count) -> String {
        let ms = ms.count();
        let Some(z) = self.zoned(ms) else {
            return String::new();
        };
        match self.lang {
            Lang::Nb => format!("{:02}.{:02}.{}", z.day(), z.month(), z.year()),
            Lang::En => format!(
                "{} {} {}",
                z.day(),
                &MONTHS_EN[(z.month() - 1) as usize][..3],
                z.year()
            ),
        }
    }

    /// A calendar date written `YYYY-MM-DD` (no time zone: a last-reviewed date, say) in the reader's style:
    /// `26.11.2026`, `26 Nov 2026`. Anything else is returned as it is.
    pub fn civil_date(&self, ymd: &str) -> String {
        let Ok(day) = ferd_core::calendar::Day::parse(ymd) else {
            return ymd.to_string();
        };
        let (y, m, d) = day.ymd();
        match self.lang {
            Lang::Nb => format!("{d:02}.{m:02}.{y}"),
            Lang::En => format!("{d} {} {y}", &MONTHS_EN[(m - 1) as usize][..3]),
        }
    }

    /// A time of day, 24-hour in both languages: `14.00` in Norwegian (the Språkrådet style), `14:00` in English.
    pub fn time(&self, ms: impl Count) -> String {
        let ms = ms.count();
        let Some(z) = self.zoned(ms) else {
            return String::new();
        };
        match self.lang {
            Lang::Nb => format!("{:02}.{:02}", z.hour(), z.minute()),
            Lang::En => format!("{:02}:{:02}", z.hour(), z.minute()),
        }
    }

    /// A date and time: `26.11.2026 kl. 14.00`, `26 Nov 2026, 14:00`.
    pub fn datetime(&self, ms: impl Count) -> String {
        let ms = ms.count();
        match self.lang {
            Lang::Nb => format!("{} kl. {}", self.date(ms), self.time(ms)),
            Lang::En => format!("{}, {}", self.date(ms), self.time(ms)),
        }
    }

    /// A weekday with its date: `torsdag 26. november`, `Thursday 26 November`.
    pub fn day(&self, ms: impl Count) -> String {
        let ms = ms.count();
        let Some(z) = self.zoned(ms) else {
            return String::new();
        };
        let wd = z.weekday().to_monday_zero_offset() as usize;
        let m = (z.month() - 1) as usize;
        match self.lang {
            Lang::Nb => format!("{} {}. {}", WEEKDAYS_NB[wd], z.day(), MONTHS_NB[m]),
            Lang::En => format!("{} {} {}", WEEKDAYS_EN[wd], z.day(), MONTHS_EN[m]),
        }
    }

    /// A `YYYY-MM-DD` date for an `<input type="date">` (the same in every language).
    pub fn iso_date(&self, ms: impl Count) -> String {
        let ms = ms.count();
        let Some(z) = self.zoned(ms) else {
            return String::new();
        };
        format!("{:04}-{:02}-{:02}", z.year(), z.month(), z.day())
    }

    /// A number with `decimals` decimals: decimal comma and a narrow no-break space between thousands in
    /// Norwegian, decimal point and comma between thousands in English.
    pub fn num(&self, value: f64, decimals: usize) -> String {
        if !value.is_finite() {
            return "–".into();
        }
        let text = format!("{:.*}", decimals, value.abs());
        let (int, frac) = match text.split_once('.') {
            Some((i, f)) => (i.to_string(), Some(f.to_string())),
            None => (text.clone(), None),
        };
        let (group, point) = match self.lang {
            Lang::Nb => ('\u{202f}', ','),
            Lang::En => (',', '.'),
        };
        let mut grouped = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 && int.len() > 4 {
                grouped.push(group);
            }
            grouped.push(c);
        }
        let sign = if value < 0.0 && value.abs() >= 0.5 * 10f64.powi(-(decimals as i32)) {
            "−"
        } else {
            ""
        };
        match frac {
            Some(f) => format!("{sign}{grouped}{point}{f}"),
            None => format!("{sign}{grouped}"),
        }
    }

    /// An integer, grouped as [`Tr::num`] does.
    pub fn int(&self, value: i64) -> String {
        self.num(value as f64, 0)
    }
}

/// A whole number given by value or by reference (templates pass references): counts for plural forms, and
/// Unix milliseconds for dates.
pub trait Count {
    fn count(&self) -> i64;
}
impl Count for i64 {
    fn count(&self) -> i64 {
        *self
    }
}
impl Count for usize {
    fn count(&self) -> i64 {
        i64::try_from(*self).unwrap_or(i64::MAX)
    }
}
impl<T: Count> Count for &T {
    fn count(&self) -> i64 {
        (**self).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tr(lang: Lang) -> Tr {
        Tr::new(
            Arc::new(I18n::load().unwrap()),
            lang,
            TimeZone::get("Europe/Oslo").unwrap_or(TimeZone::UTC),
        )
    }

    #[test]
    fn accept_language_picks_the_highest_quality_language_ferd_has() {
        assert_eq!(
            Lang::from_accept_language("en-GB,en;q=0.9,nb;q=0.8"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_accept_language("de-DE, nb;q=0.5, en;q=0.4"),
            Some(Lang::Nb)
        );
        assert_eq!(Lang::from_accept_language("nn-NO"), Some(Lang::Nb));
        assert_eq!(Lang::from_accept_language("de, fr;q=0.8"), None);
        assert_eq!(
            Lang::from_accept_language("en;q=0, nb;q=0.1"),
            Some(Lang::Nb)
        );
    }

    #[test]
    fn numbers_use_a_decimal_comma_in_norwegian_and_a_point_in_english() {
        assert_eq!(tr(Lang::Nb).num(1.5, 1), "1,5");
        assert_eq!(tr(Lang::En).num(1.5, 1), "1.5");
        assert_eq!(tr(Lang::Nb).num(12345.0, 0), "12\u{202f}345");
        assert_eq!(tr(Lang::En).num(12345.678, 2), "12,345.68");
        assert_eq!(tr(Lang::En).num(-0.4, 2), "−0.40");
        assert_eq!(tr(Lang::En).num(-0.001, 1), "0.0");
        assert_eq!(tr(Lang::Nb).num(f64::NAN, 1), "–");
        assert_eq!(tr(Lang::En).int(1000), "1000");
    }

    #[test]
    fn dates_are_written_per_language_in_the_practice_time_zone() {
        // 2026-11-26T13:00:00Z is 14:00 in Oslo (CET, UTC+1 in November).
        let ms: i64 = 1_795_698_000_000;
        assert_eq!(tr(Lang::Nb).date(ms), "26.11.2026");
        assert_eq!(tr(Lang::En).date(ms), "26 Nov 2026");
        assert_eq!(tr(Lang::Nb).datetime(ms), "26.11.2026 kl. 14.00");
        assert_eq!(tr(Lang::En).datetime(ms), "26 Nov 2026, 14:00");
        assert_eq!(tr(Lang::Nb).day(ms), "torsdag 26. november");
        assert_eq!(tr(Lang::En).day(ms), "Thursday 26 November");
        assert_eq!(tr(Lang::En).iso_date(ms), "2026-11-26");
    }

    #[test]
    fn both_languages_have_every_message_and_no_message_is_empty() {
        let nb: std::collections::BTreeSet<_> = I18n::ids(Lang::Nb).into_iter().collect();
        let en: std::collections::BTreeSet<_> = I18n::ids(Lang::En).into_iter().collect();
        let only_en: Vec<_> = en.difference(&nb).collect();
        let only_nb: Vec<_> = nb.difference(&en).collect();
        assert!(only_en.is_empty(), "missing in nb.ftl: {only_en:?}");
        assert!(only_nb.is_empty(), "missing in en.ftl: {only_nb:?}");
        assert!(en.len() > 100, "{} messages", en.len());
        let i18n = I18n::load().unwrap();
        for id in &en {
            for lang in Lang::ALL {
                let text = i18n.format(lang, id, None);
                assert!(!text.trim().is_empty(), "{id} is empty in {}", lang.tag());
            }
        }
    }

    #[test]
    fn every_message_a_template_or_handler_uses_exists() {
        let en: std::collections::BTreeSet<_> = I18n::ids(Lang::En).into_iter().collect();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/");
        let mut files = vec![];
        for sub in ["templates", "src", "src/routes"] {
            for entry in std::fs::read_dir(format!("{dir}{sub}")).unwrap() {
                let p = entry.unwrap().path();
                if p.is_file() {
                    files.push(p);
                }
            }
        }
        let mut missing = vec![];
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for call in [".t(\"", ".t1(\"", ".tn(\"", ".t2(\"", ".msg(\""] {
                for (i, _) in text.match_indices(call) {
                    let rest = &text[i + call.len()..];
                    let key = &rest[..rest.find('"').unwrap_or(0)];
                    if !key.is_empty() && !key.contains('{') && !en.contains(key) {
                        missing.push(format!("{}: {key}", f.display()));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "messages used but not defined: {missing:#?}"
        );
    }
}

//! Every word of the interface, in Norwegian bokmål, Swedish and English, through Fluent; and dates and numbers
//! formatted the way each language writes them.
//!
//! The language of a request comes from the user's setting, else the `ferd_lang` cookie set by the switch on every
//! page, else the browser's `Accept-Language`, else bokmål (ferd is made for Norwegian practices). A message missing
//! from the Swedish or Norwegian file is taken from the English one, so a reader never sees a raw message id; the
//! completeness test in this module names every such message, so none is missed for long.

use std::collections::HashMap;
use std::sync::Arc;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// Norwegian bokmål, the default.
    Nb,
    /// Swedish.
    Sv,
    /// English, the language every message exists in and the one missing messages fall back to.
    En,
}

impl Lang {
    /// Every interface language, in the order the switch shows them.
    pub const ALL: [Lang; 3] = [Lang::Nb, Lang::Sv, Lang::En];

    /// The BCP 47 tag (also the `lang` attribute of the page).
    pub const fn tag(self) -> &'static str {
        match self {
            Lang::Nb => "nb",
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    /// The language's name in itself, for the switch.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::Nb => "Norsk",
            Lang::Sv => "Svenska",
            Lang::En => "English",
        }
    }

    /// Parses a tag such as `nb`, `nb-NO`, `no`, `nn`, `sv-SE`, `sv-FI` or `en-GB`. Nynorsk and plain `no` readers
    /// get bokmål, the closest language ferd has.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "nb" | "no" | "nn" => Some(Lang::Nb),
            "sv" => Some(Lang::Sv),
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

    /// The languages to show instead when something is not written in this one, best first: English (the
    /// language everything exists in), then the others in the switch's order.
    pub fn fallbacks(self) -> impl Iterator<Item = Lang> {
        (self != Lang::En).then_some(Lang::En).into_iter().chain(
            Lang::ALL
                .into_iter()
                .filter(move |l| *l != self && *l != Lang::En),
        )
    }

    /// The message file of this language.
    fn messages(self) -> &'static str {
        match self {
            Lang::Nb => NB,
            Lang::Sv => SV,
            Lang::En => EN,
        }
    }
}

const EN: &str = include_str!("../i18n/en.ftl");
const NB: &str = include_str!("../i18n/nb.ftl");
const SV: &str = include_str!("../i18n/sv.ftl");

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
        let sources = Lang::ALL.map(|l| (l, l.messages()));
        I18n::from_sources(&sources)
    }

    /// Builds the bundles from message files given as text, one per language.
    fn from_sources(sources: &[(Lang, &str)]) -> Result<I18n, I18nError> {
        let mut bundles = HashMap::new();
        for &(lang, text) in sources {
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

    /// The message ids of one language, for the test that every language says everything.
    pub fn ids(lang: Lang) -> Vec<String> {
        lang.messages()
            .lines()
            .filter_map(|l| {
                let (id, _) = l.split_once(" =")?;
                (!id.is_empty() && !id.starts_with([' ', '#', '-', '.', '*', '[']))
                    .then(|| id.trim().to_string())
            })
            .collect()
    }

    /// The message `key` in `lang`, or in English when `lang` lacks it (a translation not yet done); the id
    /// itself only when no language has it, which the tests rule out for every id the code uses.
    fn format(&self, lang: Lang, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        let found = std::iter::once(lang)
            .chain((lang != Lang::En).then_some(Lang::En))
            .find_map(|l| {
                let bundle = self.bundles.get(&l)?;
                let pattern = bundle.get_message(key).and_then(|m| m.value())?;
                Some((bundle, pattern))
            });
        let Some((bundle, pattern)) = found else {
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
const MONTHS_SV: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
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
const WEEKDAYS_SV: [&str; 7] = [
    "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag",
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

    /// Whether numbers are written with a decimal comma (Norwegian and Swedish) rather than a point.
    pub fn decimal_comma(&self) -> bool {
        match self.lang {
            Lang::Nb | Lang::Sv => true,
            Lang::En => false,
        }
    }

    /// Whether the crisis contacts for Sweden are shown beside the Norwegian ones: a Swedish reader of a Norwegian
    /// practice may well be in Sweden, where 113 and the Norwegian helplines do not answer.
    pub fn crisis_lines_for_sweden(&self) -> bool {
        self.lang == Lang::Sv
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

    /// A date: `26.11.2026` in Norwegian, `2026-11-26` in Swedish (the numeric form Swedish writes), `26 Nov 2026`
    /// in English.
    pub fn date(&self, ms: impl Count) -> String {
        let ms = ms.count();
        let Some(z) = self.zoned(ms) else {
            return String::new();
        };
        self.ymd(
            i32::from(z.year()),
            u32::from(z.month().unsigned_abs()),
            u32::from(z.day().unsigned_abs()),
        )
    }

    /// A calendar date written `YYYY-MM-DD` (no time zone: a last-reviewed date, say) in the reader's style:
    /// `26.11.2026`, `2026-11-26`, `26 Nov 2026`. Anything else is returned as it is.
    pub fn civil_date(&self, ymd: &str) -> String {
        let Ok(day) = ferd_core::calendar::Day::parse(ymd) else {
            return ymd.to_string();
        };
        let (y, m, d) = day.ymd();
        self.ymd(y, m, d)
    }

    fn ymd(&self, y: i32, m: u32, d: u32) -> String {
        match self.lang {
            Lang::Nb => format!("{d:02}.{m:02}.{y}"),
            Lang::Sv => format!("{y:04}-{m:02}-{d:02}"),
            Lang::En => format!("{d} {} {y}", &MONTHS_EN[(m - 1) as usize][..3]),
        }
    }

    /// A time of day, 24-hour in every language: `14.00` in Norwegian and Swedish (as Språkrådet and the Swedish
    /// Language Council both write it), `14:00` in English.
    pub fn time(&self, ms: impl Count) -> String {
        let ms = ms.count();
        let Some(z) = self.zoned(ms) else {
            return String::new();
        };
        match self.lang {
            Lang::Nb | Lang::Sv => format!("{:02}.{:02}", z.hour(), z.minute()),
            Lang::En => format!("{:02}:{:02}", z.hour(), z.minute()),
        }
    }

    /// A date and time: `26.11.2026 kl. 14.00`, `2026-11-26 kl. 14.00`, `26 Nov 2026, 14:00`.
    pub fn datetime(&self, ms: impl Count) -> String {
        let ms = ms.count();
        match self.lang {
            Lang::Nb | Lang::Sv => format!("{} kl. {}", self.date(ms), self.time(ms)),
            Lang::En => format!("{}, {}", self.date(ms), self.time(ms)),
        }
    }

    /// A weekday with its date: `torsdag 26. november`, `torsdag 26 november` (Swedish puts no point after the
    /// day), `Thursday 26 November`.
    pub fn day(&self, ms: impl Count) -> String {
        let ms = ms.count();
        let Some(z) = self.zoned(ms) else {
            return String::new();
        };
        let wd = z.weekday().to_monday_zero_offset() as usize;
        let m = (z.month() - 1) as usize;
        match self.lang {
            Lang::Nb => format!("{} {}. {}", WEEKDAYS_NB[wd], z.day(), MONTHS_NB[m]),
            Lang::Sv => format!("{} {} {}", WEEKDAYS_SV[wd], z.day(), MONTHS_SV[m]),
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
    /// Norwegian and Swedish, decimal point and comma between thousands in English.
    pub fn num(&self, value: f64, decimals: usize) -> String {
        if !value.is_finite() {
            return "–".into();
        }
        let text = format!("{:.*}", decimals, value.abs());
        let (int, frac) = match text.split_once('.') {
            Some((i, f)) => (i.to_string(), Some(f.to_string())),
            None => (text.clone(), None),
        };
        let (group, point) = if self.decimal_comma() {
            ('\u{202f}', ',')
        } else {
            (',', '.')
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
    use std::collections::{BTreeMap, BTreeSet};

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
        assert_eq!(
            Lang::from_accept_language("sv-SE,sv;q=0.9,en-US;q=0.8,en;q=0.7"),
            Some(Lang::Sv)
        );
        assert_eq!(
            Lang::from_accept_language("fi-FI, sv-FI;q=0.8, en;q=0.5"),
            Some(Lang::Sv)
        );
        assert_eq!(
            Lang::from_accept_language("da, sv;q=0.3, nb;q=0.6"),
            Some(Lang::Nb)
        );
    }

    #[test]
    fn swedish_tags_parse_to_swedish_and_every_language_round_trips_its_own_tag() {
        for tag in ["sv", "sv-SE", "sv-FI", "SV_se", " sv "] {
            assert_eq!(Lang::parse(tag), Some(Lang::Sv), "{tag}");
        }
        assert_eq!(Lang::parse("se"), None, "Northern Sami is not Swedish");
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.tag()), Some(lang));
        }
        assert_eq!(
            Lang::ALL.map(Lang::own_name),
            ["Norsk", "Svenska", "English"],
            "the switch's order"
        );
    }

    #[test]
    fn a_missing_translation_is_looked_for_in_english_first() {
        assert_eq!(
            Lang::Sv.fallbacks().collect::<Vec<_>>(),
            [Lang::En, Lang::Nb]
        );
        assert_eq!(
            Lang::Nb.fallbacks().collect::<Vec<_>>(),
            [Lang::En, Lang::Sv]
        );
        assert_eq!(
            Lang::En.fallbacks().collect::<Vec<_>>(),
            [Lang::Nb, Lang::Sv]
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
    fn swedish_numbers_have_a_decimal_comma_and_a_narrow_space_between_thousands() {
        let sv = tr(Lang::Sv);
        assert!(sv.decimal_comma() && tr(Lang::Nb).decimal_comma());
        assert!(!tr(Lang::En).decimal_comma());
        assert_eq!(sv.num(1.5, 1), "1,5");
        assert_eq!(sv.num(12345.678, 2), "12\u{202f}345,68");
        assert_eq!(sv.num(1_234_567.0, 0), "1\u{202f}234\u{202f}567");
        assert_eq!(sv.num(-0.4, 2), "−0,40");
        assert_eq!(sv.num(f64::INFINITY, 1), "–");
        assert_eq!(sv.int(1000), "1000", "four digits stay together");
        assert_eq!(sv.int(10_000), "10\u{202f}000");
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
    fn swedish_dates_are_numeric_year_first_and_times_have_a_point_after_kl() {
        let sv = tr(Lang::Sv);
        // 2026-11-26T13:00:00Z is 14:00 in Oslo.
        let ms: i64 = 1_795_698_000_000;
        assert_eq!(sv.date(ms), "2026-11-26");
        assert_eq!(sv.time(ms), "14.00");
        assert_eq!(sv.datetime(ms), "2026-11-26 kl. 14.00");
        assert_eq!(sv.day(ms), "torsdag 26 november");
        assert_eq!(sv.iso_date(ms), "2026-11-26");
        assert_eq!(sv.civil_date("2026-05-04"), "2026-05-04");
        assert_eq!(sv.civil_date("not a date"), "not a date");
        // Every weekday and month the Swedish way (2027-01-04 is a Monday; summer time in Oslo is UTC+2).
        let monday = 1_799_056_800_000_i64; // 2027-01-04T10:00:00Z
        let days: Vec<String> = (0..7).map(|d| sv.day(monday + d * 86_400_000)).collect();
        assert_eq!(
            days,
            [
                "måndag 4 januari",
                "tisdag 5 januari",
                "onsdag 6 januari",
                "torsdag 7 januari",
                "fredag 8 januari",
                "lördag 9 januari",
                "söndag 10 januari"
            ]
        );
        let may = 1_809_154_800_000_i64; // 2027-05-01T07:00:00Z, 09.00 in Oslo
        assert_eq!(sv.day(may), "lördag 1 maj");
        assert_eq!(sv.datetime(may), "2027-05-01 kl. 09.00");
        let aug = 1_818_057_600_000_i64; // 2027-08-12T08:00:00Z
        assert_eq!(sv.day(aug), "torsdag 12 augusti");
    }

    /// What a translation must keep of a message: the variables it is given and its attributes.
    #[derive(Debug, Default, PartialEq, Eq)]
    struct Shape {
        variables: BTreeSet<String>,
        attributes: BTreeSet<String>,
    }

    fn inline_variables(
        e: &fluent_syntax::ast::InlineExpression<&str>,
        out: &mut BTreeSet<String>,
    ) {
        use fluent_syntax::ast::InlineExpression as I;
        match e {
            I::VariableReference { id } => {
                out.insert(id.name.to_string());
            }
            I::FunctionReference { arguments, .. } => {
                for a in &arguments.positional {
                    inline_variables(a, out);
                }
                for a in &arguments.named {
                    inline_variables(&a.value, out);
                }
            }
            I::TermReference {
                arguments: Some(arguments),
                ..
            } => {
                for a in &arguments.positional {
                    inline_variables(a, out);
                }
                for a in &arguments.named {
                    inline_variables(&a.value, out);
                }
            }
            I::Placeable { expression } => expression_variables(expression, out),
            _ => {}
        }
    }

    fn expression_variables(e: &fluent_syntax::ast::Expression<&str>, out: &mut BTreeSet<String>) {
        match e {
            fluent_syntax::ast::Expression::Select { selector, variants } => {
                inline_variables(selector, out);
                for v in variants {
                    pattern_variables(&v.value, out);
                }
            }
            fluent_syntax::ast::Expression::Inline(i) => inline_variables(i, out),
        }
    }

    fn pattern_variables(p: &fluent_syntax::ast::Pattern<&str>, out: &mut BTreeSet<String>) {
        for el in &p.elements {
            if let fluent_syntax::ast::PatternElement::Placeable { expression } = el {
                expression_variables(expression, out);
            }
        }
    }

    /// Every message of a language's file with its shape; a file that does not parse fails here, naming it.
    fn shapes(lang: Lang) -> BTreeMap<String, Shape> {
        let resource = fluent_syntax::parser::parse(lang.messages())
            .unwrap_or_else(|(_, e)| panic!("{}.ftl does not parse: {e:?}", lang.tag()));
        let mut out = BTreeMap::new();
        for entry in &resource.body {
            match entry {
                fluent_syntax::ast::Entry::Message(m) => {
                    let mut shape = Shape::default();
                    if let Some(v) = &m.value {
                        pattern_variables(v, &mut shape.variables);
                    }
                    for a in &m.attributes {
                        shape.attributes.insert(a.id.name.to_string());
                        pattern_variables(&a.value, &mut shape.variables);
                    }
                    let dup = out.insert(m.id.name.to_string(), shape);
                    assert!(
                        dup.is_none(),
                        "{} is defined twice in {}.ftl",
                        m.id.name,
                        lang.tag()
                    );
                }
                fluent_syntax::ast::Entry::Junk { content } => {
                    panic!(
                        "{}.ftl has a line Fluent cannot read: {content}",
                        lang.tag()
                    )
                }
                _ => {}
            }
        }
        out
    }

    #[test]
    fn every_language_has_every_english_message_with_the_same_variables_and_no_message_is_empty() {
        let en = shapes(Lang::En);
        assert!(en.len() > 100, "{} messages", en.len());
        let mut problems = Vec::new();
        for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
            let other = shapes(lang);
            let missing: Vec<&String> = en.keys().filter(|k| !other.contains_key(*k)).collect();
            let extra: Vec<&String> = other.keys().filter(|k| !en.contains_key(*k)).collect();
            if !missing.is_empty() {
                problems.push(format!(
                    "{} messages missing from {}.ftl (shown in English until translated): {}",
                    missing.len(),
                    lang.tag(),
                    missing
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            if !extra.is_empty() {
                problems.push(format!(
                    "{} messages in {}.ftl that en.ftl lacks: {}",
                    extra.len(),
                    lang.tag(),
                    extra
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            for (id, shape) in &other {
                if let Some(want) = en.get(id) {
                    if shape != want {
                        problems.push(format!(
                            "{id} in {}.ftl has variables {:?} and attributes {:?}; en.ftl has {:?} and {:?}",
                            lang.tag(),
                            shape.variables,
                            shape.attributes,
                            want.variables,
                            want.attributes
                        ));
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        // The simple line reader the other tests use agrees with Fluent's own parser.
        for lang in Lang::ALL {
            let ids: BTreeSet<String> = I18n::ids(lang).into_iter().collect();
            assert_eq!(
                ids,
                shapes(lang).into_keys().collect::<BTreeSet<_>>(),
                "{}",
                lang.tag()
            );
        }
        let i18n = I18n::load().unwrap();
        for id in en.keys() {
            for lang in Lang::ALL {
                let text = i18n.format(lang, id, None);
                assert!(!text.trim().is_empty(), "{id} is empty in {}", lang.tag());
            }
        }
    }

    #[test]
    fn a_message_missing_from_a_translation_is_shown_in_english_never_as_its_id() {
        let i18n = I18n::from_sources(&[
            (
                Lang::En,
                "greeting = Hello, { $name }\nfarewell = Goodbye\n",
            ),
            (Lang::Nb, "greeting = Hei, { $name }\n"),
            (Lang::Sv, "greeting = Hej, { $name }\n"),
        ])
        .unwrap();
        let mut args = FluentArgs::new();
        args.set("name", FluentValue::from("Kari"));
        assert_eq!(i18n.format(Lang::Sv, "greeting", Some(&args)), "Hej, Kari");
        assert_eq!(i18n.format(Lang::Sv, "farewell", None), "Goodbye");
        assert_eq!(i18n.format(Lang::Nb, "farewell", None), "Goodbye");
        // Only an id no language has comes back as itself (the usage test rules that out for the code's ids).
        assert_eq!(i18n.format(Lang::Sv, "nowhere", None), "nowhere");
    }

    #[test]
    fn swedish_plural_forms_follow_the_count() {
        let sv = tr(Lang::Sv);
        let one = sv.tn("clients-count", "count", 1);
        let many = sv.tn("clients-count", "count", 3);
        assert_ne!(one, many);
        assert!(many.contains('3'), "{many}");
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

//! The medicine-session log's readings and the thresholds that highlight them.
//!
//! A practice that runs medicine sessions itself (its "clinic mode") records what happened over a session: doses
//! given with their times, blood pressure, pulse and temperature, fluid taken, SUDS and free notes. This module
//! parses and checks such readings ([`Reading`]) and judges them against thresholds ([`Thresholds`]), loaded from
//! `data/monitoring/thresholds.toml` where every number carries its source and whether it is verified.
//!
//! The thresholds are defaults for display only: the clinic's own procedure is authoritative and sets the numbers.
//! Nothing here looks at a dose except to record it: ferd never suggests, withholds or adjusts one.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::instruments::Localized;

/// The bundled thresholds file.
const BUILTIN: &str = include_str!("../../../data/monitoring/thresholds.toml");

/// What kind of entry a reading is. The names are the ones stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReadingKind {
    Dose,
    BloodPressure,
    Pulse,
    Temperature,
    Fluid,
    Suds,
    Note,
}

impl ReadingKind {
    /// Every kind, in the order a form lists them (and readings taken at the same time are shown).
    pub const ALL: [ReadingKind; 7] = [
        ReadingKind::Dose,
        ReadingKind::BloodPressure,
        ReadingKind::Pulse,
        ReadingKind::Temperature,
        ReadingKind::Fluid,
        ReadingKind::Suds,
        ReadingKind::Note,
    ];

    /// The stored name: `dose`, `blood-pressure`, `pulse`, `temperature`, `fluid`, `suds` or `note`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReadingKind::Dose => "dose",
            ReadingKind::BloodPressure => "blood-pressure",
            ReadingKind::Pulse => "pulse",
            ReadingKind::Temperature => "temperature",
            ReadingKind::Fluid => "fluid",
            ReadingKind::Suds => "suds",
            ReadingKind::Note => "note",
        }
    }

    /// Its place in [`ReadingKind::ALL`].
    pub fn rank(self) -> usize {
        ReadingKind::ALL
            .iter()
            .position(|k| *k == self)
            .unwrap_or(usize::MAX)
    }
}

impl fmt::Display for ReadingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ReadingKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        ReadingKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or(())
    }
}

/// One entry of the session log. Values are as entered (mg, mmHg, beats per minute, °C, ml, SUDS 0–10); a note's
/// text is kept beside the reading by the store, sealed, and is not part of this value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reading {
    /// A dose given, in mg. Recorded only: never judged, never suggested.
    Dose {
        mg: f64,
    },
    BloodPressure {
        systolic: f64,
        diastolic: f64,
    },
    Pulse {
        bpm: f64,
    },
    Temperature {
        celsius: f64,
    },
    /// Fluid taken, in ml.
    Fluid {
        ml: f64,
    },
    /// Subjective Units of Distress, 0–10.
    Suds {
        units: u8,
    },
    /// A free note (its text is sealed by the store).
    Note,
}

/// Why an entered value was refused. The web names the field and says this in the user's language.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Problem {
    /// Nothing was entered where something is needed (a note's text).
    Empty,
    /// Not a number.
    NotANumber,
    /// A whole number is needed (mmHg, beats per minute, ml, SUDS).
    NotWhole,
    /// At most one decimal (mg, °C).
    TooManyDecimals,
    /// Blood pressure must be written systolic/diastolic, as `128/82`.
    NotSystolicOverDiastolic,
    /// The diastolic pressure must be below the systolic.
    DiastolicNotBelowSystolic,
    /// Outside what can be a real reading (both ends included in the allowed range).
    OutOfRange { min: f64, max: f64 },
    /// Longer than [`NOTE_MAX_CHARS`].
    TooLong { max: usize },
}

/// An entered value that was refused: which kind of reading (the web's field) and why.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InputError {
    pub kind: ReadingKind,
    pub problem: Problem,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problem {
            Problem::Empty => write!(f, "{}: is empty", self.kind),
            Problem::NotANumber => write!(f, "{}: is not a number", self.kind),
            Problem::NotWhole => write!(f, "{}: must be a whole number", self.kind),
            Problem::TooManyDecimals => write!(f, "{}: at most one decimal", self.kind),
            Problem::NotSystolicOverDiastolic => {
                write!(f, "{}: must be written systolic/diastolic", self.kind)
            }
            Problem::DiastolicNotBelowSystolic => {
                write!(f, "{}: the diastolic must be below the systolic", self.kind)
            }
            Problem::OutOfRange { min, max } => {
                write!(f, "{}: must be between {min} and {max}", self.kind)
            }
            Problem::TooLong { max } => {
                write!(f, "{}: must be at most {max} characters", self.kind)
            }
        }
    }
}

impl std::error::Error for InputError {}

/// The longest note, in characters.
pub const NOTE_MAX_CHARS: usize = 20_000;

// What can be a real reading. These bounds catch typing errors (a missing or extra digit); they are not clinical
// judgements, and the dose bound in particular says nothing about what dose is right.
const DOSE_MG: (f64, f64) = (1.0, 1000.0);
const SYSTOLIC: (f64, f64) = (50.0, 300.0);
const DIASTOLIC: (f64, f64) = (20.0, 200.0);
const PULSE: (f64, f64) = (20.0, 250.0);
const TEMPERATURE: (f64, f64) = (30.0, 45.0);
const FLUID_ML: (f64, f64) = (1.0, 5000.0);
const SUDS: (f64, f64) = (0.0, 10.0);

impl Reading {
    /// The kind of this reading.
    pub fn kind(&self) -> ReadingKind {
        match self {
            Reading::Dose { .. } => ReadingKind::Dose,
            Reading::BloodPressure { .. } => ReadingKind::BloodPressure,
            Reading::Pulse { .. } => ReadingKind::Pulse,
            Reading::Temperature { .. } => ReadingKind::Temperature,
            Reading::Fluid { .. } => ReadingKind::Fluid,
            Reading::Suds { .. } => ReadingKind::Suds,
            Reading::Note => ReadingKind::Note,
        }
    }

    /// Parses what someone typed for a reading of `kind`: a number (a decimal comma is accepted, as Norwegian
    /// keyboards give it), or `systolic/diastolic` for blood pressure. A note has no value here and parses from
    /// any text. The value is then checked as by [`Reading::check`].
    pub fn parse(kind: ReadingKind, input: &str) -> Result<Reading, InputError> {
        let err = |problem| InputError { kind, problem };
        let number = |text: &str| -> Result<f64, InputError> {
            let t = text.trim().replace(',', ".");
            if t.is_empty() {
                return Err(err(Problem::Empty));
            }
            // Only plain decimal numbers: Rust's parser would also take `inf`, `NaN` and `1e3`.
            let plain = t
                .strip_prefix(['-', '+'])
                .unwrap_or(&t)
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.');
            match t.parse::<f64>() {
                Ok(v) if plain && v.is_finite() => Ok(v),
                _ => Err(err(Problem::NotANumber)),
            }
        };
        let reading = match kind {
            ReadingKind::Dose => Reading::Dose { mg: number(input)? },
            ReadingKind::BloodPressure => {
                let (s, d) = input
                    .split_once('/')
                    .ok_or(err(Problem::NotSystolicOverDiastolic))?;
                let (systolic, diastolic) = match (number(s), number(d)) {
                    (Ok(s), Ok(d)) => (s, d),
                    _ => return Err(err(Problem::NotSystolicOverDiastolic)),
                };
                Reading::BloodPressure {
                    systolic,
                    diastolic,
                }
            }
            ReadingKind::Pulse => Reading::Pulse {
                bpm: number(input)?,
            },
            ReadingKind::Temperature => Reading::Temperature {
                celsius: number(input)?,
            },
            ReadingKind::Fluid => Reading::Fluid { ml: number(input)? },
            ReadingKind::Suds => {
                let v = number(input)?;
                whole(kind, v)?;
                in_range(kind, v, SUDS)?;
                Reading::Suds { units: v as u8 }
            }
            ReadingKind::Note => Reading::Note,
        };
        reading.check()?;
        Ok(reading)
    }

    /// Checks that the values can be a real reading: in range, whole where the unit is, at most one decimal
    /// elsewhere (the store keeps tenths), diastolic below systolic.
    pub fn check(&self) -> Result<(), InputError> {
        let kind = self.kind();
        match *self {
            Reading::Dose { mg } => {
                in_range(kind, mg, DOSE_MG)?;
                one_decimal(kind, mg)
            }
            Reading::BloodPressure {
                systolic,
                diastolic,
            } => {
                whole(kind, systolic)?;
                whole(kind, diastolic)?;
                in_range(kind, systolic, SYSTOLIC)?;
                in_range(kind, diastolic, DIASTOLIC)?;
                if diastolic >= systolic {
                    return Err(InputError {
                        kind,
                        problem: Problem::DiastolicNotBelowSystolic,
                    });
                }
                Ok(())
            }
            Reading::Pulse { bpm } => {
                whole(kind, bpm)?;
                in_range(kind, bpm, PULSE)
            }
            Reading::Temperature { celsius } => {
                in_range(kind, celsius, TEMPERATURE)?;
                one_decimal(kind, celsius)
            }
            Reading::Fluid { ml } => {
                whole(kind, ml)?;
                in_range(kind, ml, FLUID_ML)
            }
            Reading::Suds { units } => in_range(kind, f64::from(units), SUDS),
            Reading::Note => Ok(()),
        }
    }

    /// The two numbers the store keeps (`value_a`, `value_b`), in tenths of the unit: mg; systolic and diastolic
    /// mmHg; bpm; °C; ml; SUDS. Whole numbers because sqlx's `Any` driver binds a missing floating-point value with
    /// a different PostgreSQL type from a present one, which breaks its cached statements; integers have no such
    /// trouble, and a tenth is as fine as any reading here is taken.
    pub fn tenths(&self) -> (Option<i64>, Option<i64>) {
        let t = |v: f64| Some((v * 10.0).round() as i64);
        match *self {
            Reading::Dose { mg } => (t(mg), None),
            Reading::BloodPressure {
                systolic,
                diastolic,
            } => (t(systolic), t(diastolic)),
            Reading::Pulse { bpm } => (t(bpm), None),
            Reading::Temperature { celsius } => (t(celsius), None),
            Reading::Fluid { ml } => (t(ml), None),
            Reading::Suds { units } => (t(f64::from(units)), None),
            Reading::Note => (None, None),
        }
    }

    /// The reading back from the stored kind and tenths, checked as on the way in.
    pub fn from_tenths(
        kind: ReadingKind,
        a: Option<i64>,
        b: Option<i64>,
    ) -> Result<Reading, InputError> {
        // Division is correctly rounded, so 374 / 10 gives exactly the double that `37.4` parses to.
        let need = |v: Option<i64>| {
            v.map(|t| t as f64 / 10.0).ok_or(InputError {
                kind,
                problem: Problem::Empty,
            })
        };
        let reading = match kind {
            ReadingKind::Dose => Reading::Dose { mg: need(a)? },
            ReadingKind::BloodPressure => Reading::BloodPressure {
                systolic: need(a)?,
                diastolic: need(b)?,
            },
            ReadingKind::Pulse => Reading::Pulse { bpm: need(a)? },
            ReadingKind::Temperature => Reading::Temperature { celsius: need(a)? },
            ReadingKind::Fluid => Reading::Fluid { ml: need(a)? },
            ReadingKind::Suds => {
                let v = need(a)?;
                whole(kind, v)?;
                in_range(kind, v, SUDS)?;
                Reading::Suds { units: v as u8 }
            }
            ReadingKind::Note => Reading::Note,
        };
        reading.check()?;
        Ok(reading)
    }
}

/// Checks a note's text: present (after trimming) and at most [`NOTE_MAX_CHARS`] characters.
pub fn check_note(text: &str) -> Result<(), InputError> {
    let problem = if text.trim().is_empty() {
        Problem::Empty
    } else if text.chars().count() > NOTE_MAX_CHARS {
        Problem::TooLong {
            max: NOTE_MAX_CHARS,
        }
    } else {
        return Ok(());
    };
    Err(InputError {
        kind: ReadingKind::Note,
        problem,
    })
}

fn whole(kind: ReadingKind, v: f64) -> Result<(), InputError> {
    if v.fract() == 0.0 {
        Ok(())
    } else {
        Err(InputError {
            kind,
            problem: Problem::NotWhole,
        })
    }
}

fn one_decimal(kind: ReadingKind, v: f64) -> Result<(), InputError> {
    // Compared with a tolerance: 37.4 × 10 is 374.00000000000006 in binary floating point.
    if ((v * 10.0) - (v * 10.0).round()).abs() < 1e-6 {
        Ok(())
    } else {
        Err(InputError {
            kind,
            problem: Problem::TooManyDecimals,
        })
    }
}

fn in_range(kind: ReadingKind, v: f64, (min, max): (f64, f64)) -> Result<(), InputError> {
    if v.is_finite() && v >= min && v <= max {
        Ok(())
    } else {
        Err(InputError {
            kind,
            problem: Problem::OutOfRange { min, max },
        })
    }
}

/// How far over a threshold a reading is. `Escalate` is the higher level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Above a level that healthy volunteers often passed in study data: worth a look, not an instruction.
    Alert,
    /// Above a level at which a clinic calls its physician (the bundled numbers are placeholders).
    Escalate,
}

impl Level {
    /// `alert` or `escalate`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Alert => "alert",
            Level::Escalate => "escalate",
        }
    }
}

/// What a threshold is measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Measure {
    /// Systolic blood pressure, mmHg.
    Systolic,
    /// Diastolic blood pressure, mmHg.
    Diastolic,
    /// Beats per minute.
    Pulse,
    /// Body temperature, °C.
    Temperature,
    /// °C above the baseline: the last temperature taken at or before the first dose.
    TemperatureRise,
    /// ml of fluid from the first dose on, within the threshold's window; a single intake is also judged alone.
    FluidTotal,
}

impl Measure {
    /// The name used in the data file.
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Systolic => "systolic",
            Measure::Diastolic => "diastolic",
            Measure::Pulse => "pulse",
            Measure::Temperature => "temperature",
            Measure::TemperatureRise => "temperature-rise",
            Measure::FluidTotal => "fluid-total",
        }
    }
}

/// How a value is compared with the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// Strictly greater than the threshold.
    Above,
    /// Greater than or equal to the threshold.
    AtLeast,
}

/// A publication or document a threshold rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub id: String,
    pub citation: String,
    pub url: String,
}

/// One threshold, with its source.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    pub id: String,
    pub measure: Measure,
    pub comparison: Comparison,
    pub value: f64,
    /// `mmHg`, `bpm`, `°C` or `ml`, for display.
    pub unit: String,
    pub level: Level,
    /// What crossing it means, in words, per language.
    pub label: Localized,
    pub source: Source,
    /// False when the number is UNVERIFIED or INFERRED (a placeholder).
    pub verified: bool,
    /// What the number means and how sure it is, per language.
    pub note: Option<Localized>,
    /// For [`Measure::FluidTotal`]: how long after the first dose the total is counted, in minutes.
    pub window_minutes: Option<u32>,
}

impl Threshold {
    /// Whether `value` crosses this threshold, compared to a hundredth: readings are entered to a tenth at most,
    /// and a difference such as 38.2 − 37.2 must count as the 1.0 it is, not as 0.9999….
    pub fn crossed_by(&self, value: f64) -> bool {
        let v = hundredths(value);
        let t = hundredths(self.value);
        match self.comparison {
            Comparison::Above => v > t,
            Comparison::AtLeast => v >= t,
        }
    }
}

fn hundredths(x: f64) -> i64 {
    (x * 100.0).round() as i64
}

/// What a reading is judged with besides itself: the temperature before the first dose, and the fluid total.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Context {
    /// The baseline temperature for [`Measure::TemperatureRise`]; without one, no rise is judged.
    pub baseline_celsius: Option<f64>,
    /// The fluid total (ml) within the window, this intake included; without one, the intake is judged alone.
    pub fluid_total_ml: Option<f64>,
}

/// A reading with the time it was taken (Unix milliseconds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timed {
    pub at: i64,
    pub reading: Reading,
}

/// What a session's later readings are compared with: the first dose, and the last temperature and SUDS taken at
/// or before it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Baseline {
    /// When the first dose was given; without a dose there is no baseline.
    pub first_dose_at: Option<i64>,
    /// The last temperature at or before the first dose: what a rise is measured from.
    pub celsius: Option<f64>,
    /// The last SUDS at or before the first dose. The treatment manual has therapists stay until SUDS is back at
    /// or below it (mdma-at.md §1.3); ferd shows it and leaves the judgement to them.
    pub suds: Option<u8>,
}

impl Baseline {
    /// The baseline of a session's readings (in any order; of readings at the same time, the later given wins).
    pub fn of(readings: &[Timed]) -> Baseline {
        let first_dose_at = readings
            .iter()
            .filter(|r| matches!(r.reading, Reading::Dose { .. }))
            .map(|r| r.at)
            .min();
        let Some(dose_at) = first_dose_at else {
            return Baseline::default();
        };
        let mut base = Baseline {
            first_dose_at,
            ..Baseline::default()
        };
        let (mut celsius_at, mut suds_at) = (i64::MIN, i64::MIN);
        for r in readings.iter().filter(|r| r.at <= dose_at) {
            match r.reading {
                Reading::Temperature { celsius } if r.at >= celsius_at => {
                    base.celsius = Some(celsius);
                    celsius_at = r.at;
                }
                Reading::Suds { units } if r.at >= suds_at => {
                    base.suds = Some(units);
                    suds_at = r.at;
                }
                _ => {}
            }
        }
        base
    }
}

/// What [`Thresholds::judge_session`] found for one reading.
#[derive(Debug, Clone, PartialEq)]
pub struct Judged<'a> {
    /// The highest level of the thresholds crossed.
    pub level: Option<Level>,
    /// The thresholds crossed, in file order.
    pub crossed: Vec<&'a Threshold>,
    /// The context the reading was judged in.
    pub context: Context,
}

/// A set of thresholds, checked: every id unique, every number with a known source.
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    thresholds: Vec<Threshold>,
}

/// Why a thresholds file was refused: the entry (or `sources`) and the rule it breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{at}: {message}")]
pub struct ThresholdsError {
    pub at: String,
    pub message: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThresholdsFile {
    thresholds: Vec<ThresholdFile>,
    sources: Vec<SourceFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThresholdFile {
    id: String,
    measure: Measure,
    #[serde(default)]
    above: Option<f64>,
    #[serde(default)]
    at_least: Option<f64>,
    unit: String,
    level: Level,
    label: Localized,
    source: String,
    verified: bool,
    #[serde(default)]
    note: Option<Localized>,
    #[serde(default)]
    window_minutes: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceFile {
    id: String,
    citation: String,
    url: String,
}

impl Thresholds {
    /// The bundled defaults from `data/monitoring/thresholds.toml` (checked by the tests, so loading cannot fail).
    pub fn builtin() -> &'static Thresholds {
        static LOADED: OnceLock<Thresholds> = OnceLock::new();
        LOADED.get_or_init(|| {
            Thresholds::from_toml(BUILTIN)
                .unwrap_or_else(|e| panic!("bundled monitoring thresholds are invalid: {e}"))
        })
    }

    /// Loads and checks a thresholds file, so that a clinic can replace the defaults with its own procedure's.
    pub fn from_toml(text: &str) -> Result<Thresholds, ThresholdsError> {
        let bad = |at: &str, message: &str| ThresholdsError {
            at: at.to_string(),
            message: message.to_string(),
        };
        let file: ThresholdsFile = toml::from_str(text).map_err(|e| bad("file", e.message()))?;
        let mut source_ids = BTreeSet::new();
        for s in &file.sources {
            if !source_ids.insert(s.id.as_str()) {
                return Err(bad(&format!("sources.{}", s.id), "duplicate id"));
            }
            if s.citation.trim().is_empty() || s.url.trim().is_empty() {
                return Err(bad(
                    &format!("sources.{}", s.id),
                    "needs a citation and a url",
                ));
            }
        }
        let mut ids = BTreeSet::new();
        let mut thresholds = Vec::with_capacity(file.thresholds.len());
        for t in file.thresholds {
            let at = format!("thresholds.{}", t.id);
            if t.id.trim().is_empty() || !ids.insert(t.id.clone()) {
                return Err(bad(&at, "empty or duplicate id"));
            }
            let (comparison, value) = match (t.above, t.at_least) {
                (Some(v), None) => (Comparison::Above, v),
                (None, Some(v)) => (Comparison::AtLeast, v),
                _ => return Err(bad(&at, "needs exactly one of `above` and `at_least`")),
            };
            if !value.is_finite() || value <= 0.0 {
                return Err(bad(&at, "the value must be a positive number"));
            }
            match (t.measure, t.window_minutes) {
                (Measure::FluidTotal, Some(w)) if w > 0 => {}
                (Measure::FluidTotal, _) => {
                    return Err(bad(&at, "a fluid-total threshold needs window_minutes"))
                }
                (_, Some(_)) => return Err(bad(&at, "only a fluid-total threshold has a window")),
                (_, None) => {}
            }
            if t.unit.trim().is_empty() {
                return Err(bad(&at, "needs a unit"));
            }
            if ["en", "nb"]
                .iter()
                .any(|l| !t.label.has(l) || t.label.get(l).trim().is_empty())
            {
                return Err(bad(&at, "needs a label in en and nb"));
            }
            if t.note
                .as_ref()
                .is_some_and(|n| ["en", "nb"].iter().any(|l| !n.has(l)))
            {
                return Err(bad(&at, "a note needs en and nb"));
            }
            let source = file
                .sources
                .iter()
                .find(|s| s.id == t.source)
                .ok_or_else(|| bad(&at, &format!("unknown source '{}'", t.source)))?;
            thresholds.push(Threshold {
                id: t.id,
                measure: t.measure,
                comparison,
                value,
                unit: t.unit,
                level: t.level,
                label: t.label,
                source: Source {
                    id: source.id.clone(),
                    citation: source.citation.clone(),
                    url: source.url.clone(),
                },
                verified: t.verified,
                note: t.note,
                window_minutes: t.window_minutes,
            });
        }
        if thresholds.is_empty() {
            return Err(bad("thresholds", "none given"));
        }
        // One running total per fluid reading is all the judging keeps, so the windows must agree.
        let windows: BTreeSet<u32> = thresholds.iter().filter_map(|t| t.window_minutes).collect();
        if windows.len() > 1 {
            return Err(bad(
                "thresholds",
                "all fluid-total thresholds must share one window_minutes",
            ));
        }
        Ok(Thresholds { thresholds })
    }

    /// Every threshold, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &Threshold> {
        self.thresholds.iter()
    }

    /// The threshold with this id.
    pub fn get(&self, id: &str) -> Option<&Threshold> {
        self.thresholds.iter().find(|t| t.id == id)
    }

    /// The highest level a reading reaches on its own: a rise in temperature needs a baseline, so it is judged only
    /// by [`Thresholds::judge_with`] and [`Thresholds::judge_session`]; a fluid intake counts as its own total.
    pub fn judge(&self, reading: &Reading) -> Option<Level> {
        self.judge_with(reading, &Context::default())
    }

    /// The highest level a reading reaches in `context`.
    pub fn judge_with(&self, reading: &Reading, context: &Context) -> Option<Level> {
        self.crossed(reading, context).iter().map(|t| t.level).max()
    }

    /// The thresholds a reading crosses in `context`, in file order. A dose, SUDS and a note cross none.
    pub fn crossed(&self, reading: &Reading, context: &Context) -> Vec<&Threshold> {
        self.thresholds
            .iter()
            .filter(|t| {
                let value = match (t.measure, reading) {
                    (Measure::Systolic, Reading::BloodPressure { systolic, .. }) => Some(*systolic),
                    (Measure::Diastolic, Reading::BloodPressure { diastolic, .. }) => {
                        Some(*diastolic)
                    }
                    (Measure::Pulse, Reading::Pulse { bpm }) => Some(*bpm),
                    (Measure::Temperature, Reading::Temperature { celsius }) => Some(*celsius),
                    (Measure::TemperatureRise, Reading::Temperature { celsius }) => {
                        context.baseline_celsius.map(|b| celsius - b)
                    }
                    (Measure::FluidTotal, Reading::Fluid { ml }) => {
                        Some(context.fluid_total_ml.unwrap_or(*ml).max(*ml))
                    }
                    _ => None,
                };
                value.is_some_and(|v| t.crossed_by(v))
            })
            .collect()
    }

    /// Judges a whole session's readings, each in the context of those before it, and returns one verdict per
    /// reading in the order given. The first dose anchors the context: the temperature baseline is the last
    /// temperature taken at or before it, and fluid is added up from it on, within each fluid threshold's window
    /// (outside the window, or before any dose, an intake is judged on its own).
    pub fn judge_session(&self, readings: &[Timed]) -> Vec<Judged<'_>> {
        let base = Baseline::of(readings);
        let first_dose = base.first_dose_at;
        let baseline = base.celsius;
        // Loading made sure all fluid thresholds share one window, so one total per reading serves them all.
        let window_ms = self
            .thresholds
            .iter()
            .filter_map(|t| t.window_minutes)
            .max()
            .map(|m| i64::from(m) * 60_000);
        readings
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut context = Context::default();
                match r.reading {
                    // A rise is judged only after the first dose, against the reading before it.
                    Reading::Temperature { .. } if first_dose.is_some_and(|d| r.at > d) => {
                        context.baseline_celsius = baseline;
                    }
                    Reading::Fluid { .. } => {
                        if let (Some(start), Some(w)) = (first_dose, window_ms) {
                            let in_window = |at: i64| at >= start && at <= start + w;
                            if in_window(r.at) {
                                let total: f64 = readings
                                    .iter()
                                    .enumerate()
                                    .filter(|(j, o)| {
                                        in_window(o.at)
                                            && (o.at < r.at || (o.at == r.at && *j <= i))
                                    })
                                    .filter_map(|(_, o)| match o.reading {
                                        Reading::Fluid { ml } => Some(ml),
                                        _ => None,
                                    })
                                    .sum();
                                context.fluid_total_ml = Some(total);
                            }
                        }
                    }
                    _ => {}
                }
                let crossed = self.crossed(&r.reading, &context);
                Judged {
                    level: crossed.iter().map(|t| t.level).max(),
                    crossed,
                    context,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> &'static Thresholds {
        Thresholds::builtin()
    }

    fn bp(s: f64, d: f64) -> Reading {
        Reading::BloodPressure {
            systolic: s,
            diastolic: d,
        }
    }

    /// The value the data file gives a threshold, read from the file's own text (not from the loader), so a
    /// change to the file that the loader misreads is caught.
    fn file_value(id: &str) -> f64 {
        let raw: toml::Value = toml::from_str(BUILTIN).unwrap();
        let entry = raw["thresholds"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"].as_str() == Some(id))
            .unwrap_or_else(|| panic!("no threshold {id} in the file"));
        let v = entry
            .get("above")
            .or_else(|| entry.get("at_least"))
            .unwrap();
        v.as_float()
            .or_else(|| v.as_integer().map(|i| i as f64))
            .unwrap()
    }

    #[test]
    fn the_bundled_file_has_the_numbers_of_mdma_at_md_each_with_its_source_and_status() {
        // §9.3: alert descriptors from Vizeli & Liechti 2017 (verified), escalation placeholders (unverified).
        let expect = [
            (
                "systolic-descriptor",
                160.0,
                Level::Alert,
                true,
                "vizeli-liechti-2017",
            ),
            (
                "pulse-descriptor",
                100.0,
                Level::Alert,
                true,
                "vizeli-liechti-2017",
            ),
            (
                "temperature-descriptor",
                38.0,
                Level::Alert,
                true,
                "vizeli-liechti-2017",
            ),
            (
                "systolic-escalation",
                160.0,
                Level::Escalate,
                false,
                "maps-recalled-escalation",
            ),
            (
                "diastolic-escalation",
                110.0,
                Level::Escalate,
                false,
                "maps-recalled-escalation",
            ),
            (
                "pulse-escalation",
                110.0,
                Level::Escalate,
                false,
                "maps-recalled-escalation",
            ),
            (
                "temperature-rise-escalation",
                1.0,
                Level::Escalate,
                false,
                "maps-recalled-escalation",
            ),
            (
                "fluid-free-water",
                500.0,
                Level::Alert,
                false,
                "atila-2024-open-mdma",
            ),
        ];
        assert_eq!(t().iter().count(), expect.len());
        for (id, value, level, verified, source) in expect {
            let th = t().get(id).unwrap_or_else(|| panic!("{id}"));
            assert_eq!(th.value, value, "{id}");
            assert_eq!(file_value(id), value, "{id} in the file");
            assert_eq!(th.level, level, "{id}");
            assert_eq!(th.verified, verified, "{id}");
            assert_eq!(th.source.id, source, "{id}");
            assert!(!th.source.citation.is_empty() && th.source.url.starts_with("https://"));
            assert!(!th.label.get("nb").is_empty() && !th.label.get("en").is_empty());
        }
        assert_eq!(
            t().get("fluid-free-water").unwrap().window_minutes,
            Some(360)
        );
        assert_eq!(
            t().get("temperature-rise-escalation").unwrap().comparison,
            Comparison::AtLeast
        );
        // Every placeholder says so in both languages.
        for th in t().iter().filter(|th| th.level == Level::Escalate) {
            assert!(th.label.get("en").contains("placeholder"), "{}", th.id);
            assert!(th.label.get("nb").contains("plassholder"), "{}", th.id);
        }
    }

    #[test]
    fn systolic_is_judged_strictly_above_each_number_of_the_file() {
        let alert = file_value("systolic-descriptor");
        let escalate = file_value("systolic-escalation");
        assert_eq!(
            t().judge(&bp(alert, 80.0)),
            None,
            "160 itself is not above 160"
        );
        assert_eq!(t().judge(&bp(alert + 1.0, 80.0)), Some(Level::Escalate));
        assert_eq!(
            t().crossed(&bp(escalate + 1.0, 80.0), &Context::default())
                .iter()
                .map(|t| t.id.as_str())
                .collect::<Vec<_>>(),
            ["systolic-descriptor", "systolic-escalation"],
            "both thresholds at 160 are shown, each with its source"
        );
        assert_eq!(t().judge(&bp(120.0, 80.0)), None);
    }

    #[test]
    fn diastolic_escalates_only_above_its_number() {
        let d = file_value("diastolic-escalation");
        assert_eq!(t().judge(&bp(150.0, d)), None);
        assert_eq!(t().judge(&bp(150.0, d + 1.0)), Some(Level::Escalate));
    }

    #[test]
    fn pulse_alerts_above_100_and_escalates_above_110() {
        let alert = file_value("pulse-descriptor");
        let escalate = file_value("pulse-escalation");
        let p = |bpm| Reading::Pulse { bpm };
        assert_eq!(t().judge(&p(alert)), None);
        assert_eq!(t().judge(&p(alert + 1.0)), Some(Level::Alert));
        assert_eq!(t().judge(&p(escalate)), Some(Level::Alert));
        assert_eq!(t().judge(&p(escalate + 1.0)), Some(Level::Escalate));
    }

    #[test]
    fn temperature_alerts_above_38_to_the_tenth() {
        let alert = file_value("temperature-descriptor");
        let c = |celsius| Reading::Temperature { celsius };
        assert_eq!(t().judge(&c(alert)), None);
        assert_eq!(t().judge(&c(alert + 0.1)), Some(Level::Alert));
        assert_eq!(t().judge(&c(37.9)), None);
    }

    #[test]
    fn a_rise_of_one_degree_over_the_baseline_escalates_and_needs_a_baseline() {
        let rise = file_value("temperature-rise-escalation");
        let ctx = Context {
            baseline_celsius: Some(36.6),
            ..Context::default()
        };
        let c = |celsius| Reading::Temperature { celsius };
        // 37.6 − 36.6 is 0.99999… in binary floating point; it is judged as the 1.0 it is.
        assert_eq!(t().judge_with(&c(36.6 + rise), &ctx), Some(Level::Escalate));
        assert_eq!(t().judge_with(&c(37.5), &ctx), None);
        let ctx = Context {
            baseline_celsius: Some(37.2),
            ..Context::default()
        };
        assert_eq!(t().judge_with(&c(38.2), &ctx), Some(Level::Escalate));
        assert_eq!(
            t().judge(&c(37.6)),
            None,
            "without a baseline no rise is judged"
        );
    }

    #[test]
    fn fluid_is_judged_on_the_running_total_after_the_first_dose_and_alone_otherwise() {
        let limit = file_value("fluid-free-water");
        let f = |ml| Reading::Fluid { ml };
        assert_eq!(t().judge(&f(limit)), None);
        assert_eq!(t().judge(&f(limit + 1.0)), Some(Level::Alert));
        let min = 60_000;
        let log = [
            Timed {
                at: 0,
                reading: f(400.0),
            },
            Timed {
                at: 10 * min,
                reading: Reading::Dose { mg: 120.0 },
            },
            Timed {
                at: 60 * min,
                reading: f(250.0),
            },
            Timed {
                at: 120 * min,
                reading: f(250.0),
            },
            Timed {
                at: 180 * min,
                reading: f(1.0),
            },
            // After the 6-hour window: judged alone.
            Timed {
                at: 10 * min + 361 * min,
                reading: f(450.0),
            },
        ];
        let judged = t().judge_session(&log);
        let levels: Vec<_> = judged.iter().map(|j| j.level).collect();
        assert_eq!(
            levels,
            [None, None, None, None, Some(Level::Alert), None],
            "400 ml before the dose is not counted; 250 + 250 = 500 is not above 500; one more ml is"
        );
        assert_eq!(judged[4].context.fluid_total_ml, Some(501.0));
        assert_eq!(judged[5].context.fluid_total_ml, None);
    }

    #[test]
    fn a_session_takes_its_temperature_baseline_from_the_last_reading_at_or_before_the_first_dose()
    {
        let c = |celsius| Reading::Temperature { celsius };
        let log = [
            Timed {
                at: 0,
                reading: c(36.4),
            },
            Timed {
                at: 5,
                reading: c(36.8),
            },
            Timed {
                at: 10,
                reading: Reading::Dose { mg: 80.0 },
            },
            Timed {
                at: 20,
                reading: c(37.7),
            },
            Timed {
                at: 30,
                reading: c(37.8),
            },
            Timed {
                at: 40,
                reading: Reading::Dose { mg: 40.0 },
            },
            Timed {
                at: 50,
                reading: c(38.3),
            },
        ];
        let base = Baseline::of(&log);
        assert_eq!(
            (base.first_dose_at, base.celsius, base.suds),
            (Some(10), Some(36.8), None)
        );
        let judged = t().judge_session(&log);
        assert_eq!(judged[0].level, None, "before a dose nothing rises");
        assert_eq!(judged[3].context.baseline_celsius, Some(36.8));
        assert_eq!(judged[3].level, None, "37.7 is 0.9 above 36.8");
        assert_eq!(judged[4].level, Some(Level::Escalate), "37.8 is 1.0 above");
        assert_eq!(judged[6].level, Some(Level::Escalate));
        assert_eq!(
            judged[6]
                .crossed
                .iter()
                .map(|t| t.id.as_str())
                .collect::<Vec<_>>(),
            ["temperature-descriptor", "temperature-rise-escalation"]
        );
        // Without any dose there is no baseline, and no rise.
        let no_dose = [log[0], log[3]];
        assert_eq!(t().judge_session(&no_dose)[1].level, None);
        assert_eq!(Baseline::of(&no_dose), Baseline::default());
        // SUDS before the first dose is its baseline; the last one counts, and none after the dose.
        let suds = |at, units| Timed {
            at,
            reading: Reading::Suds { units },
        };
        let with_suds = [suds(0, 6), suds(9, 4), log[2], suds(20, 2)];
        assert_eq!(Baseline::of(&with_suds).suds, Some(4));
    }

    #[test]
    fn doses_suds_and_notes_are_never_judged() {
        for r in [
            Reading::Dose { mg: 1000.0 },
            Reading::Suds { units: 10 },
            Reading::Note,
        ] {
            assert_eq!(t().judge(&r), None);
        }
    }

    #[test]
    fn typed_values_parse_with_a_decimal_comma_and_bad_ones_name_their_kind_and_problem() {
        use ReadingKind as K;
        assert_eq!(
            Reading::parse(K::BloodPressure, " 142 / 91 "),
            Ok(bp(142.0, 91.0))
        );
        assert_eq!(
            Reading::parse(K::Temperature, "37,4"),
            Ok(Reading::Temperature { celsius: 37.4 })
        );
        assert_eq!(
            Reading::parse(K::Dose, "62,5"),
            Ok(Reading::Dose { mg: 62.5 })
        );
        assert_eq!(Reading::parse(K::Suds, "0"), Ok(Reading::Suds { units: 0 }));
        let problem = |k, s| Reading::parse(k, s).unwrap_err();
        assert_eq!(
            problem(K::BloodPressure, "300/abc"),
            InputError {
                kind: K::BloodPressure,
                problem: Problem::NotSystolicOverDiastolic
            }
        );
        assert_eq!(
            problem(K::BloodPressure, "140").problem,
            Problem::NotSystolicOverDiastolic
        );
        assert_eq!(
            problem(K::BloodPressure, "80/120").problem,
            Problem::DiastolicNotBelowSystolic
        );
        assert_eq!(
            problem(K::BloodPressure, "310/90").problem,
            Problem::OutOfRange {
                min: 50.0,
                max: 300.0
            }
        );
        assert_eq!(
            problem(K::Suds, "11"),
            InputError {
                kind: K::Suds,
                problem: Problem::OutOfRange {
                    min: 0.0,
                    max: 10.0
                }
            }
        );
        assert_eq!(problem(K::Suds, "2.5").problem, Problem::NotWhole);
        assert_eq!(
            problem(K::Temperature, "37,45").problem,
            Problem::TooManyDecimals
        );
        assert_eq!(
            Reading::parse(K::Temperature, "37.40"),
            Ok(Reading::Temperature { celsius: 37.4 })
        );
        assert_eq!(
            problem(K::Fluid, "-200"),
            InputError {
                kind: K::Fluid,
                problem: Problem::OutOfRange {
                    min: 1.0,
                    max: 5000.0
                }
            }
        );
        assert_eq!(problem(K::Pulse, "ninety").problem, Problem::NotANumber);
        assert_eq!(problem(K::Pulse, "1e2").problem, Problem::NotANumber);
        assert_eq!(problem(K::Temperature, "NaN").problem, Problem::NotANumber);
        assert_eq!(problem(K::Temperature, "").problem, Problem::Empty);
        assert_eq!(
            problem(K::Temperature, "3,74").problem,
            Problem::OutOfRange {
                min: 30.0,
                max: 45.0
            }
        );
        assert_eq!(problem(K::Dose, "0").kind, K::Dose);
        assert_eq!(
            check_note("  ").unwrap_err().problem,
            Problem::Empty,
            "a note needs text"
        );
        assert!(check_note(&"x".repeat(NOTE_MAX_CHARS + 1)).is_err());
    }

    #[test]
    fn stored_values_come_back_as_the_same_reading() {
        for r in [
            Reading::Dose { mg: 62.5 },
            bp(171.0, 102.0),
            Reading::Pulse { bpm: 132.0 },
            Reading::Temperature { celsius: 38.4 },
            Reading::Fluid { ml: 250.0 },
            Reading::Suds { units: 3 },
            Reading::Note,
        ] {
            let (a, b) = r.tenths();
            assert_eq!(Reading::from_tenths(r.kind(), a, b), Ok(r));
            assert_eq!(r.kind().as_str().parse::<ReadingKind>(), Ok(r.kind()));
        }
        assert_eq!(
            Reading::Temperature { celsius: 37.4 }.tenths(),
            (Some(374), None)
        );
        assert_eq!(
            Reading::Dose { mg: 62.5 }.tenths(),
            (Some(625), None),
            "MP-2's supplemental dose"
        );
        assert!(Reading::from_tenths(ReadingKind::BloodPressure, Some(1200), None).is_err());
        assert!(Reading::from_tenths(ReadingKind::Suds, Some(110), None).is_err());
        assert!(Reading::from_tenths(ReadingKind::Suds, Some(35), None).is_err());
    }

    #[test]
    fn a_broken_thresholds_file_is_refused_naming_the_entry() {
        let entry = |extra: &str| {
            format!(
                "[[thresholds]]\nid = \"x\"\nmeasure = \"pulse\"\nunit = \"bpm\"\nlevel = \"alert\"\n\
                 label.en = \"a\"\nlabel.nb = \"b\"\nsource = \"s\"\nverified = false\n{extra}\n\
                 [[sources]]\nid = \"s\"\ncitation = \"c\"\nurl = \"https://example.org\"\n"
            )
        };
        assert!(Thresholds::from_toml(&entry("above = 100")).is_ok());
        let err = |extra: &str| Thresholds::from_toml(&entry(extra)).unwrap_err();
        assert_eq!(err("").at, "thresholds.x", "no value");
        assert!(err("above = 1\nat_least = 2")
            .message
            .contains("exactly one"));
        assert!(err("above = -1").message.contains("positive"));
        assert!(err("above = 1\nwindow_minutes = 5")
            .message
            .contains("window"));
        assert_eq!(
            err("above = 1\nbogus = 1").at,
            "file",
            "unknown keys are refused"
        );
        let unknown_source = entry("above = 100").replace("source = \"s\"", "source = \"t\"");
        assert!(Thresholds::from_toml(&unknown_source)
            .unwrap_err()
            .message
            .contains("unknown source"));
        let fluid = entry("above = 500")
            .replace("\"pulse\"", "\"fluid-total\"")
            .replace("\"bpm\"", "\"ml\"");
        assert!(Thresholds::from_toml(&fluid)
            .unwrap_err()
            .message
            .contains("window_minutes"));
        let no_nb = entry("above = 100").replace("label.nb = \"b\"\n", "");
        assert!(Thresholds::from_toml(&no_nb)
            .unwrap_err()
            .message
            .contains("en and nb"));
        assert!(err("above = 1\nnote.en = \"only English\"")
            .message
            .contains("note"));
        let unsourced = entry("above = 100").replace("source = \"s\"\n", "");
        assert_eq!(Thresholds::from_toml(&unsourced).unwrap_err().at, "file");
    }
}

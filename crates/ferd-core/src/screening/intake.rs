//! What the intake tells the rules: medicines, conditions, substance use and a few measured facts.
//!
//! Names and conditions stay the text the client or therapist wrote; recognising them is the rules' job, so that an
//! unrecognised entry can be reported instead of being lost at the edge.

use serde::{Deserialize, Serialize};

use super::Day;

/// Everything the screening rules look at. Built by the portal's intake form, the therapist's page, or
/// `ferd screen`; the rules never read anything else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeFacts {
    /// The day the screening is for: stop dates and washout windows are counted from it.
    pub today: Day,
    /// Current and recently stopped medicines, herbal products and supplements.
    pub medications: Vec<Medication>,
    /// Diagnoses and medical history, one condition per entry, in Norwegian or English.
    pub conditions: Vec<String>,
    /// Recreational substances, alcohol included.
    pub substances: Vec<SubstanceUse>,
    /// Pregnant now (a condition entry such as "gravid" counts too).
    pub pregnant: bool,
    /// Breastfeeding now.
    pub breastfeeding: bool,
    /// Age in whole years, when known.
    pub age: Option<u32>,
    /// A known recent blood-pressure reading.
    pub blood_pressure: Option<BloodPressure>,
    /// Days since the last medicine session, for clients already in treatment (MDMA slows CYP2D6 for days after).
    pub days_since_last_medicine_session: Option<u32>,
    /// Psychosis or bipolar disorder in first-degree relatives, as the form asks about it.
    pub family_history: Vec<FamilyHistory>,
    /// Psychotic, manic or hypomanic episodes in the person's own history.
    pub episodes: Vec<PastEpisode>,
    /// Questions of the psychiatric history the person answered "I don't know".
    pub unknown_history: Vec<HistoryQuestion>,
}

impl IntakeFacts {
    /// Facts for `today` with nothing recorded yet.
    pub fn new(today: Day) -> IntakeFacts {
        IntakeFacts {
            today,
            medications: Vec::new(),
            conditions: Vec::new(),
            substances: Vec::new(),
            pregnant: false,
            breastfeeding: false,
            age: None,
            blood_pressure: None,
            days_since_last_medicine_session: None,
            family_history: Vec::new(),
            episodes: Vec::new(),
            unknown_history: Vec::new(),
        }
    }
}

/// A first-degree relative: the relatives the form asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relative {
    /// Mother or father.
    Parent,
    /// Brother or sister (half-siblings included: the form says so).
    Sibling,
    /// Son or daughter.
    Child,
}

/// An illness in the family that psychedelic trial protocols screen for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FamilyCondition {
    /// Psychosis, schizophrenia or another psychotic disorder.
    Psychosis,
    /// Bipolar disorder of any type.
    Bipolar,
}

/// One "yes" on the family part of the health form: this relative has had this illness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FamilyHistory {
    /// Who.
    pub relative: Relative,
    /// What.
    pub condition: FamilyCondition,
}

/// A kind of episode in the person's own history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EpisodeKind {
    /// Lost touch with reality: hallucinations, delusions.
    Psychosis,
    /// A manic episode: elevated or irritable mood with much less sleep, severe enough to cause serious problems.
    Mania,
    /// The milder form of mania.
    Hypomania,
}

/// An episode the person has had, and whether it came only with a substance (a drug, alcohol or a medicine, or
/// coming off one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PastEpisode {
    /// What kind of episode.
    pub kind: EpisodeKind,
    /// True when it happened only under a substance or while coming off it.
    pub substance_induced: bool,
}

/// A question of the psychiatric history that can be answered "I don't know".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HistoryQuestion {
    /// Psychosis or bipolar disorder in parents, siblings or children.
    Family,
    /// The person's own psychotic episodes.
    Psychosis,
    /// The person's own manic or hypomanic episodes.
    Mania,
}

/// A history entry that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{text}' is not {what}")]
pub struct HistoryParseError {
    /// The text as given.
    pub text: String,
    /// What was expected.
    pub what: &'static str,
}

impl Relative {
    /// Every relative the form asks about, in the form's order.
    pub const ALL: [Relative; 3] = [Relative::Parent, Relative::Sibling, Relative::Child];

    /// `parent`, `sibling`, `child`.
    pub fn id(self) -> &'static str {
        match self {
            Relative::Parent => "parent",
            Relative::Sibling => "sibling",
            Relative::Child => "child",
        }
    }
}

impl FamilyCondition {
    /// Every illness the form asks about, in the form's order.
    pub const ALL: [FamilyCondition; 2] = [FamilyCondition::Psychosis, FamilyCondition::Bipolar];

    /// `psychosis`, `bipolar`.
    pub fn id(self) -> &'static str {
        match self {
            FamilyCondition::Psychosis => "psychosis",
            FamilyCondition::Bipolar => "bipolar",
        }
    }
}

impl FamilyHistory {
    /// Reads `parent:bipolar`, `sibling:psychosis`, `child:bipolar` (also `mother`, `father`, `brother`, `sister`,
    /// `son`, `daughter` and the Norwegian `mor`, `far`, `bror`, `søster`, `sønn`, `datter`, `forelder`, `søsken`,
    /// `barn`; `psykose` and `bipolar lidelse`).
    pub fn parse(text: &str) -> Result<FamilyHistory, HistoryParseError> {
        let err = || HistoryParseError {
            text: text.to_string(),
            what: "a relative and an illness, e.g. parent:bipolar or sibling:psychosis",
        };
        let (who, what) = text.split_once(':').ok_or_else(err)?;
        let relative = match who.trim().to_lowercase().as_str() {
            "parent" | "mother" | "father" | "forelder" | "mor" | "far" => Relative::Parent,
            "sibling" | "brother" | "sister" | "søsken" | "bror" | "søster" => Relative::Sibling,
            "child" | "son" | "daughter" | "barn" | "sønn" | "datter" => Relative::Child,
            _ => return Err(err()),
        };
        let condition = match what.trim().to_lowercase().as_str() {
            "psychosis" | "psykose" | "schizophrenia" | "schizofreni" => FamilyCondition::Psychosis,
            "bipolar" | "bipolar disorder" | "bipolar lidelse" => FamilyCondition::Bipolar,
            _ => return Err(err()),
        };
        Ok(FamilyHistory {
            relative,
            condition,
        })
    }
}

impl std::fmt::Display for FamilyHistory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.relative.id(), self.condition.id())
    }
}

impl EpisodeKind {
    /// `psychosis`, `mania`, `hypomania`.
    pub fn id(self) -> &'static str {
        match self {
            EpisodeKind::Psychosis => "psychosis",
            EpisodeKind::Mania => "mania",
            EpisodeKind::Hypomania => "hypomania",
        }
    }
}

impl PastEpisode {
    /// Reads `psychosis`, `mania`, `hypomania`, each optionally followed by `:substance` when it came only with a
    /// substance (`psykose`, `mani`, `hypomani` and `:rus` in Norwegian).
    pub fn parse(text: &str) -> Result<PastEpisode, HistoryParseError> {
        let err = || HistoryParseError {
            text: text.to_string(),
            what: "an episode: psychosis, mania or hypomania, optionally with :substance",
        };
        let (kind, cause) = match text.split_once(':') {
            Some((k, c)) => (k, Some(c)),
            None => (text, None),
        };
        let kind = match kind.trim().to_lowercase().as_str() {
            "psychosis" | "psykose" => EpisodeKind::Psychosis,
            "mania" | "mani" => EpisodeKind::Mania,
            "hypomania" | "hypomani" => EpisodeKind::Hypomania,
            _ => return Err(err()),
        };
        let substance_induced = match cause.map(|c| c.trim().to_lowercase()) {
            None => false,
            Some(c) if c == "substance" || c == "rus" => true,
            Some(_) => return Err(err()),
        };
        Ok(PastEpisode {
            kind,
            substance_induced,
        })
    }
}

impl std::fmt::Display for PastEpisode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.kind.id())?;
        if self.substance_induced {
            f.write_str(":substance")?;
        }
        Ok(())
    }
}

impl HistoryQuestion {
    /// `family`, `psychosis`, `mania`.
    pub fn id(self) -> &'static str {
        match self {
            HistoryQuestion::Family => "family",
            HistoryQuestion::Psychosis => "psychosis",
            HistoryQuestion::Mania => "mania",
        }
    }

    /// Reads an id as [`HistoryQuestion::id`] gives it.
    pub fn parse(text: &str) -> Result<HistoryQuestion, HistoryParseError> {
        match text.trim().to_lowercase().as_str() {
            "family" => Ok(HistoryQuestion::Family),
            "psychosis" => Ok(HistoryQuestion::Psychosis),
            "mania" => Ok(HistoryQuestion::Mania),
            _ => Err(HistoryParseError {
                text: text.to_string(),
                what: "a history question: family, psychosis or mania",
            }),
        }
    }
}

/// One medicine as written ("Zoloft 50 mg"), with the day it was or will be stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Medication {
    /// The name as written, dose and all.
    pub name: String,
    /// The last day it was taken. A day after `today` is the planned end of a taper (the medicine is still taken);
    /// a day on or before `today` means it has been stopped.
    pub stopped: Option<Day>,
}

impl Medication {
    /// A medicine that is taken now, with no stop date.
    pub fn current(name: impl Into<String>) -> Medication {
        Medication {
            name: name.into(),
            stopped: None,
        }
    }
}

/// One substance the client uses or used ("alkohol", "cannabis", "ayahuasca").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubstanceUse {
    /// The substance as written.
    pub substance: String,
    /// The last use, when it is in the past and known; `None` means current use.
    pub last_used: Option<Day>,
    /// A use disorder diagnosed by a clinician, if any.
    pub disorder: Option<UseDisorder>,
}

/// A substance use disorder as DSM-5 grades it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UseDisorder {
    /// How many criteria are met.
    pub severity: UseSeverity,
    /// How long the criteria have been absent.
    pub remission: Remission,
}

/// DSM-5 severity of a substance use disorder (2–3 criteria mild, 4–5 moderate, 6 or more severe).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UseSeverity {
    /// 2–3 criteria.
    Mild,
    /// 4–5 criteria.
    Moderate,
    /// 6 or more criteria.
    Severe,
}

/// DSM-5 remission: early is 3 to 12 months without criteria (craving aside), sustained is 12 months or more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Remission {
    /// Criteria met within the last 3 months.
    #[default]
    None,
    /// No criteria for 3 to 12 months.
    Early,
    /// No criteria for 12 months or more.
    Sustained,
}

/// A blood-pressure reading in mmHg.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BloodPressure {
    /// Systolic pressure, mmHg.
    pub systolic: u16,
    /// Diastolic pressure, mmHg.
    pub diastolic: u16,
}

/// A blood-pressure reading that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{text}' is not a blood pressure: write systolic/diastolic in mmHg, e.g. 135/85")]
pub struct BloodPressureError {
    /// The text as given.
    pub text: String,
}

impl BloodPressure {
    /// Reads `135/85` (spaces and a trailing `mmHg` allowed). Refuses values no living person has (systolic
    /// 50–300, diastolic 20–200, diastolic below systolic), which are almost always typing errors.
    pub fn parse(text: &str) -> Result<BloodPressure, BloodPressureError> {
        let err = || BloodPressureError {
            text: text.to_string(),
        };
        let t = text.trim();
        let t = t
            .strip_suffix("mmHg")
            .or_else(|| t.strip_suffix("mmhg"))
            .unwrap_or(t);
        let (s, d) = t.split_once('/').ok_or_else(err)?;
        let systolic: u16 = s.trim().parse().map_err(|_| err())?;
        let diastolic: u16 = d.trim().parse().map_err(|_| err())?;
        if !(50..=300).contains(&systolic)
            || !(20..=200).contains(&diastolic)
            || diastolic >= systolic
        {
            return Err(err());
        }
        Ok(BloodPressure {
            systolic,
            diastolic,
        })
    }
}

impl std::fmt::Display for BloodPressure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{} mmHg", self.systolic, self.diastolic)
    }
}

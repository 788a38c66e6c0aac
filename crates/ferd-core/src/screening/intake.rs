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

//! What kind of session an item is, how it is held, and where a medicine session took place.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::Phase;

/// The kinds of session the practice records know (`sessions.kind` in the store), named after their phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SessionKind {
    Intake,
    Preparation,
    Medicine,
    Integration,
    FollowUp,
}

impl SessionKind {
    /// Every kind, in journey order.
    pub const ALL: [SessionKind; 5] = [
        SessionKind::Intake,
        SessionKind::Preparation,
        SessionKind::Medicine,
        SessionKind::Integration,
        SessionKind::FollowUp,
    ];

    /// The stored name: `intake`, `preparation`, `medicine`, `integration`, `follow-up`.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Intake => "intake",
            SessionKind::Preparation => "preparation",
            SessionKind::Medicine => "medicine",
            SessionKind::Integration => "integration",
            SessionKind::FollowUp => "follow-up",
        }
    }

    /// The phase a session of this kind belongs to.
    pub fn phase(self) -> Phase {
        match self {
            SessionKind::Intake => Phase::Intake,
            SessionKind::Preparation => Phase::Preparation,
            SessionKind::Medicine => Phase::Medicine,
            SessionKind::Integration => Phase::Integration,
            SessionKind::FollowUp => Phase::FollowUp,
        }
    }
}

impl fmt::Display for SessionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not one of the known kinds, modes or states.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{input}' is not a {what} (expected one of: {expected})")]
pub struct UnknownName {
    pub input: String,
    pub what: &'static str,
    pub expected: String,
}

impl FromStr for SessionKind {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<SessionKind, UnknownName> {
        SessionKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownName {
                input: s.to_string(),
                what: "session kind",
                expected: SessionKind::ALL.map(SessionKind::as_str).join(", "),
            })
    }
}

/// How the client and the guide meet for a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Contact {
    /// In the same room (the default).
    #[default]
    InPerson,
    /// A video call.
    Video,
    /// A telephone call, such as the daily check-ins after a medicine session.
    Phone,
}

impl Contact {
    const ALL: [Contact; 3] = [Contact::InPerson, Contact::Video, Contact::Phone];

    /// `in-person`, `video` or `phone`.
    pub fn as_str(self) -> &'static str {
        match self {
            Contact::InPerson => "in-person",
            Contact::Video => "video",
            Contact::Phone => "phone",
        }
    }
}

impl FromStr for Contact {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Contact, UnknownName> {
        Contact::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownName {
                input: s.to_string(),
                what: "contact mode",
                expected: Contact::ALL.map(Contact::as_str).join(", "),
            })
    }
}

/// Where a medicine session was held.
///
/// A guide never handles the medicine: the usual case is a session held by a licensed clinic or a trial, which the
/// guide records with who was responsible and how the client was referred. Only a practice that runs sessions
/// itself (the clinic setting) logs one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "place", rename_all = "kebab-case")]
pub enum MedicineSessionPlace {
    /// Held elsewhere; the guide prepares and integrates.
    External(ExternalSession),
    /// Held by this practice, with its medicine-session log (doses, vital signs).
    Logged,
}

impl MedicineSessionPlace {
    /// `external` or `logged`.
    pub fn as_str(&self) -> &'static str {
        match self {
            MedicineSessionPlace::External(_) => "external",
            MedicineSessionPlace::Logged => "logged",
        }
    }
}

/// A medicine session held by a licensed clinic or a trial. Built only through [`ExternalSession::new`], so the
/// clinic and the responsible person are always named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ExternalSessionFields")]
pub struct ExternalSession {
    clinic: String,
    responsible: String,
    referral_note: Option<String>,
}

#[derive(Deserialize)]
struct ExternalSessionFields {
    clinic: String,
    responsible: String,
    referral_note: Option<String>,
}

impl TryFrom<ExternalSessionFields> for ExternalSession {
    type Error = ExternalSessionError;

    fn try_from(f: ExternalSessionFields) -> Result<ExternalSession, ExternalSessionError> {
        ExternalSession::new(&f.clinic, &f.responsible, f.referral_note.as_deref())
    }
}

/// A required part of an external session's record is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ExternalSessionError {
    /// No clinic or trial named.
    #[error("clinic: name the clinic or trial that held the medicine session")]
    ClinicMissing,
    /// No responsible clinician named.
    #[error("responsible: name the clinician responsible for the medicine session")]
    ResponsibleMissing,
}

impl ExternalSession {
    /// The clinic or trial, the clinician responsible there, and an optional note on the referral (who referred,
    /// when, reference number). Surrounding spaces are trimmed; an empty note counts as none.
    pub fn new(
        clinic: &str,
        responsible: &str,
        referral_note: Option<&str>,
    ) -> Result<ExternalSession, ExternalSessionError> {
        let clinic = clinic.trim();
        let responsible = responsible.trim();
        if clinic.is_empty() {
            return Err(ExternalSessionError::ClinicMissing);
        }
        if responsible.is_empty() {
            return Err(ExternalSessionError::ResponsibleMissing);
        }
        Ok(ExternalSession {
            clinic: clinic.to_string(),
            responsible: responsible.to_string(),
            referral_note: referral_note
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string),
        })
    }

    /// The clinic or trial that held the session.
    pub fn clinic(&self) -> &str {
        &self.clinic
    }

    /// The clinician responsible for the session there.
    pub fn responsible(&self) -> &str {
        &self.responsible
    }

    /// How the client was referred, if recorded.
    pub fn referral_note(&self) -> Option<&str> {
        self.referral_note.as_deref()
    }
}

//! The journey state machine: where a client is, and which moves are allowed given what has happened.
//!
//! Every move goes through [`transition`], a pure function of the current state, the event and the facts the
//! store has counted ([`JourneyFacts`]). The guards exist so that the safe path is the only path: no medicine
//! session without a clinician's signed clearance and the preparation sessions done, nothing but referral or
//! withdrawal after a refused clearance, no next medicine session before the integration block is done.

use std::fmt;
use std::str::FromStr;

use super::session::UnknownName;
use super::Protocol;

/// A phase of the journey (the stored `journeys.phase`); see [`PHASES`](super::PHASES).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    Inquiry,
    Intake,
    Screening,
    Preparation,
    Medicine,
    Integration,
    FollowUp,
}

impl Phase {
    /// Every phase, in journey order.
    pub const ALL: [Phase; 7] = [
        Phase::Inquiry,
        Phase::Intake,
        Phase::Screening,
        Phase::Preparation,
        Phase::Medicine,
        Phase::Integration,
        Phase::FollowUp,
    ];

    /// The stored name, as in [`PHASES`](super::PHASES).
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Inquiry => "inquiry",
            Phase::Intake => "intake",
            Phase::Screening => "screening",
            Phase::Preparation => "preparation",
            Phase::Medicine => "medicine",
            Phase::Integration => "integration",
            Phase::FollowUp => "follow-up",
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Phase {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Phase, UnknownName> {
        Phase::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| UnknownName {
                input: s.to_string(),
                what: "journey phase",
                expected: Phase::ALL.map(Phase::as_str).join(", "),
            })
    }
}

/// Where a journey stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JourneyState {
    /// Under way in this phase.
    Active(Phase),
    /// On hold; resumes to the phase it left.
    Paused { from: Phase },
    /// Finished after follow-up.
    Completed,
    /// The client left the journey (during or after pausing in `from`).
    Withdrawn { from: Phase },
    /// The client was referred to someone else (for example after a refused clearance).
    ReferredElsewhere { from: Phase },
}

/// The stored `journeys.status` of each state; the phase is kept beside it.
pub const STATUSES: [&str; 5] = [
    "active",
    "paused",
    "completed",
    "withdrawn",
    "referred-elsewhere",
];

impl JourneyState {
    /// A new journey: the first contact.
    pub const START: JourneyState = JourneyState::Active(Phase::Inquiry);

    /// The phase to store: the current one, the one paused or left, or follow-up once completed.
    pub fn phase(self) -> Phase {
        match self {
            JourneyState::Active(p)
            | JourneyState::Paused { from: p }
            | JourneyState::Withdrawn { from: p }
            | JourneyState::ReferredElsewhere { from: p } => p,
            JourneyState::Completed => Phase::FollowUp,
        }
    }

    /// The status to store, one of [`STATUSES`].
    pub fn status(self) -> &'static str {
        match self {
            JourneyState::Active(_) => "active",
            JourneyState::Paused { .. } => "paused",
            JourneyState::Completed => "completed",
            JourneyState::Withdrawn { .. } => "withdrawn",
            JourneyState::ReferredElsewhere { .. } => "referred-elsewhere",
        }
    }

    /// The state from a stored phase and status.
    pub fn from_stored(phase: &str, status: &str) -> Result<JourneyState, UnknownName> {
        let p: Phase = phase.parse()?;
        match status {
            "active" => Ok(JourneyState::Active(p)),
            "paused" => Ok(JourneyState::Paused { from: p }),
            "completed" => Ok(JourneyState::Completed),
            "withdrawn" => Ok(JourneyState::Withdrawn { from: p }),
            "referred-elsewhere" => Ok(JourneyState::ReferredElsewhere { from: p }),
            other => Err(UnknownName {
                input: other.to_string(),
                what: "journey status",
                expected: STATUSES.join(", "),
            }),
        }
    }

    /// Completed, withdrawn and referred journeys take no further events; a returning client starts a new one.
    pub fn has_ended(self) -> bool {
        matches!(
            self,
            JourneyState::Completed
                | JourneyState::Withdrawn { .. }
                | JourneyState::ReferredElsewhere { .. }
        )
    }
}

impl fmt::Display for JourneyState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JourneyState::Active(p) => write!(f, "{p}"),
            JourneyState::Paused { from } => write!(f, "paused (in {from})"),
            JourneyState::Completed => f.write_str("completed"),
            JourneyState::Withdrawn { from } => write!(f, "withdrawn (in {from})"),
            JourneyState::ReferredElsewhere { from } => {
                write!(f, "referred elsewhere (in {from})")
            }
        }
    }
}

/// What the therapist asks the journey to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JourneyEvent {
    /// Move on to a phase (or back to screening when something new comes up).
    MoveTo(Phase),
    /// Close the journey after follow-up.
    Complete,
    /// Put the journey on hold.
    Pause,
    /// Return to the phase the journey was paused in.
    Resume,
    /// The client leaves the journey.
    Withdraw,
    /// The client is referred to someone else.
    ReferElsewhere,
}

/// The clinician's decision on the safety screening, as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ClearanceStatus {
    /// No decision yet.
    #[default]
    NotRecorded,
    /// A named clinician signed the clearance.
    Signed,
    /// A named clinician refused clearance.
    Refused,
}

/// What the store has counted for a journey, as the guards need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct JourneyFacts {
    /// The latest clearance decision on the screening.
    pub clearance: ClearanceStatus,
    /// Preparation sessions held.
    pub preparation_held: u32,
    /// Preparation sessions the protocol requires before the first medicine session.
    pub preparation_required: u32,
    /// Medicine sessions held (external or logged).
    pub medicine_held: u32,
    /// Medicine sessions in the protocol.
    pub medicine_in_protocol: u32,
    /// Integration sessions held since the latest medicine session (since the start when none has been held).
    pub integration_held_since_medicine: u32,
    /// Integration sessions in one block of the protocol.
    pub integration_per_block: u32,
}

impl JourneyFacts {
    /// The counts a protocol requires, with nothing held and no clearance recorded yet.
    pub fn for_protocol(protocol: &Protocol) -> JourneyFacts {
        JourneyFacts {
            preparation_required: protocol.preparation_sessions(),
            medicine_in_protocol: protocol.medicine_sessions(),
            integration_per_block: protocol.integration_sessions_per_block(),
            ..JourneyFacts::default()
        }
    }

    /// Whether the protocol has medicine sessions at all (not so for integration only).
    pub fn protocol_has_medicine(&self) -> bool {
        self.medicine_in_protocol > 0
    }

    /// Whether the protocol has medicine sessions not yet held.
    pub fn has_more_medicine_sessions(&self) -> bool {
        self.medicine_held < self.medicine_in_protocol
    }

    /// Whether every required preparation session has been held.
    pub fn preparation_done(&self) -> bool {
        self.preparation_held >= self.preparation_required
    }

    /// Whether the integration block after the latest medicine session has been held in full.
    pub fn integration_block_done(&self) -> bool {
        self.integration_held_since_medicine >= self.integration_per_block
    }
}

/// Why a move is refused. Each names the missing step; the web translates by variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// Screening has no signed clearance (before preparation or a medicine session).
    #[error("no clinician has signed the screening clearance yet; record the clearance before preparation or a medicine session")]
    ClearanceNotSigned,
    /// A clinician refused clearance: only referral or withdrawal remain.
    #[error(
        "a clinician refused clearance; the journey can only be referred elsewhere or withdrawn"
    )]
    ClearanceRefused,
    /// Fewer preparation sessions held than the protocol requires.
    #[error("{held} of {required} preparation sessions held; hold the remaining preparation before a medicine session")]
    PreparationIncomplete { held: u32, required: u32 },
    /// The protocol (integration only) has no medicine sessions.
    #[error("this protocol has no medicine sessions")]
    NoMedicineInProtocol,
    /// Every medicine session of the protocol has been held.
    #[error("all {held} medicine sessions of the protocol have been held")]
    NoMedicineSessionsLeft { held: u32 },
    /// The integration block after the latest medicine session is not finished.
    #[error("{held} of {required} integration sessions held since the latest medicine session; finish the integration block first")]
    IntegrationBlockIncomplete { held: u32, required: u32 },
    /// Integration needs a held medicine session that has not had its integration block yet.
    #[error(
        "the medicine session has not been recorded as held yet; record it before integration"
    )]
    MedicineSessionNotHeld,
    /// The protocol's path has no such move (skipping a phase, going backwards).
    #[error("a journey cannot go from {from} to {to}")]
    NotAllowed { from: JourneyState, to: Phase },
    /// The event does not fit the state (resuming an active journey, moving a paused one).
    #[error("a journey that is {state} cannot be {action}")]
    WrongState {
        state: JourneyState,
        action: &'static str,
    },
    /// Completed, withdrawn and referred journeys take no events.
    #[error("the journey has ended ({state}); start a new journey instead")]
    Ended { state: JourneyState },
}

/// Whether a medicine session may be booked now: a clinician's signed clearance, all preparation sessions held,
/// and a medicine session left in the protocol. Planning the next session while an integration block is still
/// running is allowed; moving into it is not (see [`transition`]).
pub fn can_schedule_medicine(facts: &JourneyFacts) -> Result<(), TransitionError> {
    if !facts.protocol_has_medicine() {
        return Err(TransitionError::NoMedicineInProtocol);
    }
    if !facts.has_more_medicine_sessions() {
        return Err(TransitionError::NoMedicineSessionsLeft {
            held: facts.medicine_held,
        });
    }
    medicine_gate(facts)
}

/// The safety gate in front of every medicine session: clearance signed, preparation done.
fn medicine_gate(facts: &JourneyFacts) -> Result<(), TransitionError> {
    clearance_signed(facts)?;
    if !facts.preparation_done() {
        return Err(TransitionError::PreparationIncomplete {
            held: facts.preparation_held,
            required: facts.preparation_required,
        });
    }
    Ok(())
}

fn clearance_signed(facts: &JourneyFacts) -> Result<(), TransitionError> {
    match facts.clearance {
        ClearanceStatus::Signed => Ok(()),
        ClearanceStatus::NotRecorded => Err(TransitionError::ClearanceNotSigned),
        ClearanceStatus::Refused => Err(TransitionError::ClearanceRefused),
    }
}

/// The state after `event`, or why the move is refused.
///
/// The path is inquiry → intake → screening → preparation → medicine → integration (→ medicine again while the
/// protocol has sessions left) → follow-up → completed. An integration-only journey (no medicine in the protocol)
/// may go from intake (or screening) straight to integration. Preparation, medicine and integration may go back
/// to screening when something new comes up (a new medicine, a new diagnosis); the way back to medicine then
/// passes the same guards, the open integration block included. Any active or paused journey may be
/// withdrawn or referred elsewhere; after a refused clearance nothing else is possible.
pub fn transition(
    current: &JourneyState,
    event: JourneyEvent,
    facts: &JourneyFacts,
) -> Result<JourneyState, TransitionError> {
    use JourneyEvent as E;
    use JourneyState as S;
    use Phase as P;

    let current = *current;
    if current.has_ended() {
        return Err(TransitionError::Ended { state: current });
    }
    match event {
        E::Withdraw => {
            return Ok(S::Withdrawn {
                from: current.phase(),
            })
        }
        E::ReferElsewhere => {
            return Ok(S::ReferredElsewhere {
                from: current.phase(),
            })
        }
        _ if facts.clearance == ClearanceStatus::Refused => {
            return Err(TransitionError::ClearanceRefused)
        }
        _ => {}
    }
    match (current, event) {
        (S::Active(p), E::Pause) => Ok(S::Paused { from: p }),
        (S::Paused { from }, E::Resume) => {
            // Clearance may have been withdrawn while the journey was on hold.
            if from == P::Medicine {
                medicine_gate(facts)?;
            }
            Ok(S::Active(from))
        }
        (S::Active(P::FollowUp), E::Complete) => Ok(S::Completed),
        (S::Active(from), E::MoveTo(to)) => move_to(from, to, facts).map(|()| S::Active(to)),
        (state, E::Pause) => Err(TransitionError::WrongState {
            state,
            action: "paused",
        }),
        (state, E::Resume) => Err(TransitionError::WrongState {
            state,
            action: "resumed",
        }),
        (state, E::Complete) => Err(TransitionError::WrongState {
            state,
            action: "completed (only from follow-up)",
        }),
        (state, E::MoveTo(_)) => Err(TransitionError::WrongState {
            state,
            action: "moved (resume it first)",
        }),
        (_, E::Withdraw | E::ReferElsewhere) => unreachable!("handled above"),
    }
}

/// The guard of each move between phases.
fn move_to(from: Phase, to: Phase, facts: &JourneyFacts) -> Result<(), TransitionError> {
    use Phase as P;
    let not_allowed = || {
        Err(TransitionError::NotAllowed {
            from: JourneyState::Active(from),
            to,
        })
    };
    match (from, to) {
        (P::Inquiry, P::Intake) | (P::Intake, P::Screening) => Ok(()),
        (P::Intake | P::Screening, P::Integration) if !facts.protocol_has_medicine() => Ok(()),
        (P::Screening, P::Preparation) if facts.preparation_required > 0 => clearance_signed(facts),
        // From preparation too: a journey sent back to screening mid-course must not skip its integration block.
        (P::Preparation | P::Integration, P::Medicine) => {
            can_schedule_medicine(facts)?;
            if facts.medicine_held > 0 {
                block_done(facts)?;
            }
            Ok(())
        }
        (P::Medicine, P::Integration) => {
            // The latest block is still open only once a new medicine session has been held.
            if facts.medicine_held == 0 || facts.integration_block_done() {
                Err(TransitionError::MedicineSessionNotHeld)
            } else {
                Ok(())
            }
        }
        (P::Integration, P::FollowUp) => block_done(facts),
        (P::Preparation | P::Medicine | P::Integration, P::Screening) => Ok(()),
        _ => not_allowed(),
    }
}

fn block_done(facts: &JourneyFacts) -> Result<(), TransitionError> {
    if facts.integration_block_done() {
        Ok(())
    } else {
        Err(TransitionError::IntegrationBlockIncomplete {
            held: facts.integration_held_since_medicine,
            required: facts.integration_per_block,
        })
    }
}

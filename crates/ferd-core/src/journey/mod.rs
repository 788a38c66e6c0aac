//! The client's journey: the phases a client passes through with the guide, protocol templates that plan its
//! sessions and assessments, and the state machine that will not let it skip a safety step.
//!
//! - [`Day`], [`TimeOfDay`], [`Weekday`]: civil days and local times of day, from [`crate::calendar`] (no time zone;
//!   the web layer makes instants in Europe/Oslo).
//! - [`protocol`]: templates loaded from `data/protocols/`, each number with its source ([`Protocols`]).
//! - [`schedule`]: a journey's planned calendar from a start day, and [`check_schedule`] for dates that stray.
//! - [`state`]: [`transition`] and [`can_schedule_medicine`], the guards every move passes.
//! - [`session`]: session kinds, contact modes and where a medicine session was held.

pub mod protocol;
pub mod schedule;
pub mod session;
pub mod state;

pub use crate::calendar::{CalendarParseError, Day, TimeOfDay, Weekday};
pub use protocol::{Protocol, ProtocolError, Protocols};
pub use schedule::{
    check_schedule, Dated, Deviation, PlannedAssessment, PlannedSession, Schedule, ScheduleOptions,
};
pub use session::{
    Contact, ExternalSession, ExternalSessionError, MedicineSessionPlace, SessionKind,
};
pub use state::{
    can_schedule_medicine, transition, ClearanceStatus, JourneyEvent, JourneyFacts, JourneyState,
    Phase, TransitionError,
};

/// The phases of a journey, in the order a client passes through them: first contact, intake, safety screening,
/// preparation, the medicine session (held elsewhere, or logged by a clinic), integration and follow-up.
pub const PHASES: [&str; 7] = [
    "inquiry",
    "intake",
    "screening",
    "preparation",
    "medicine",
    "integration",
    "follow-up",
];

/// The position of a phase in [`PHASES`], if it is one.
pub fn phase_index(phase: &str) -> Option<usize> {
    PHASES.iter().position(|p| *p == phase)
}

/// The phase a session of this kind belongs to (session kinds are named after their phase).
pub fn phase_of_session_kind(kind: &str) -> Option<&'static str> {
    PHASES.iter().copied().find(|p| *p == kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_run_from_inquiry_to_follow_up_and_session_kinds_map_onto_them() {
        assert_eq!(phase_index("inquiry"), Some(0));
        assert_eq!(phase_index("follow-up"), Some(6));
        assert_eq!(phase_index("unknown"), None);
        for kind in [
            "intake",
            "preparation",
            "medicine",
            "integration",
            "follow-up",
        ] {
            assert_eq!(phase_of_session_kind(kind), Some(kind));
        }
    }

    #[test]
    fn the_phase_names_are_the_phase_enum_and_session_kinds_map_onto_their_phase() {
        assert_eq!(Phase::ALL.map(Phase::as_str), PHASES);
        for kind in SessionKind::ALL {
            assert_eq!(
                phase_of_session_kind(kind.as_str()),
                Some(kind.phase().as_str())
            );
        }
    }
}

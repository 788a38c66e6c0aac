//! The client's journey: the phases a client passes through with the guide, in order. Protocol templates and the
//! rules for moving between phases build on these names.

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
}

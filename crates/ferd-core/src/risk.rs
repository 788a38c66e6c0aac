//! A clinician's suicide-risk assessment, recorded as the result of the Columbia Suicide Severity Rating Scale
//! (C-SSRS) screener: the highest level of suicidal ideation found and whether there was suicidal behaviour recently.
//! No C-SSRS item text is shipped (its licence does not allow it); the clinician asks the questions from their own
//! licensed copy and records the result here.
//!
//! Sources: the C-SSRS ideation levels 1–5 (wish to be dead; non-specific active thoughts; active ideation with a
//! method, without intent; with some intent, without a specific plan; with a specific plan and intent) are those of
//! Posner K et al., Am J Psychiatry 2011;168(12):1266–77. Alerting at level 4 or above, or on recent behaviour,
//! follows the trials' practice as summarised in ferd's domain notes (mdma-at.md §9.3: "any ideation ≥ level 4 or
//! recent behaviour → immediate alert").

/// The highest C-SSRS ideation level (0 = none, 5 = active ideation with a specific plan and intent).
pub const MAX_IDEATION_LEVEL: u8 = 5;

/// The ideation level at which the practice is alerted at once.
pub const ALERT_LEVEL: u8 = 4;

/// A recorded risk assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RiskAssessment {
    ideation_level: u8,
    recent_behaviour: bool,
}

/// A level outside 0–5.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the C-SSRS ideation level must be 0–5, not {0}")]
pub struct LevelError(pub i64);

impl RiskAssessment {
    /// A result; the level must be 0–5.
    pub fn new(ideation_level: i64, recent_behaviour: bool) -> Result<RiskAssessment, LevelError> {
        match u8::try_from(ideation_level) {
            Ok(l) if l <= MAX_IDEATION_LEVEL => Ok(RiskAssessment {
                ideation_level: l,
                recent_behaviour,
            }),
            _ => Err(LevelError(ideation_level)),
        }
    }

    /// The highest ideation level found.
    pub fn ideation_level(self) -> u8 {
        self.ideation_level
    }

    /// Whether there was suicidal behaviour recently (the screener asks about the last three months).
    pub fn recent_behaviour(self) -> bool {
        self.recent_behaviour
    }

    /// Whether the result raises an alert at once: ideation with intent (level 4 or 5), or recent behaviour.
    pub fn needs_alert(self) -> bool {
        self.ideation_level >= ALERT_LEVEL || self.recent_behaviour
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ideation_with_intent_or_recent_behaviour_raises_an_alert_and_lower_levels_do_not() {
        // Posner 2011 levels; the alert threshold of level 4 from mdma-at.md §9.3.
        for level in 0..=3 {
            assert!(
                !RiskAssessment::new(level, false).unwrap().needs_alert(),
                "level {level}"
            );
        }
        assert!(RiskAssessment::new(4, false).unwrap().needs_alert());
        assert!(RiskAssessment::new(5, false).unwrap().needs_alert());
        assert!(RiskAssessment::new(0, true).unwrap().needs_alert());
    }

    #[test]
    fn levels_outside_zero_to_five_are_refused() {
        assert_eq!(RiskAssessment::new(6, false), Err(LevelError(6)));
        assert_eq!(RiskAssessment::new(-1, false), Err(LevelError(-1)));
    }
}

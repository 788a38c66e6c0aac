//! Jacobson–Truax reliable change and clinical significance.
//!
//! Source: Jacobson NS, Truax P. Clinical significance: a statistical approach to defining meaningful change in
//! psychotherapy research. J Consult Clin Psychol 1991;59(1):12–19, with the standard error of the difference as
//! corrected by Christensen & Mendoza (1986).

/// The z value for a two-sided 5 % test: |RC| beyond it counts as reliable change.
pub const RELIABLE_Z: f64 = 1.96;

/// Standard error of measurement: `SE = SD · √(1 − r)`, with SD of a clinical (pre-treatment) sample and r the
/// test–retest reliability.
pub fn standard_error_of_measurement(sd: f64, reliability: f64) -> f64 {
    sd * (1.0 - reliability).sqrt()
}

/// Standard error of the difference between two scores: `S_diff = √(2 · SE²) = SD · √2 · √(1 − r)`.
pub fn standard_error_of_difference(sd: f64, reliability: f64) -> f64 {
    standard_error_of_difference_from_sem(standard_error_of_measurement(sd, reliability))
}

/// `S_diff = √2 · SEM`, for instruments whose SEM is published directly.
pub fn standard_error_of_difference_from_sem(sem: f64) -> f64 {
    std::f64::consts::SQRT_2 * sem
}

/// The reliable change index `RC = (post − pre) / S_diff`.
pub fn reliable_change_index(pre: f64, post: f64, s_diff: f64) -> f64 {
    (post - pre) / s_diff
}

/// The smallest change in raw points that is reliable: `1.96 · S_diff`.
pub fn reliable_change_threshold(s_diff: f64) -> f64 {
    RELIABLE_Z * s_diff
}

/// Jacobson–Truax cut-off *a*: two SDs beyond the dysfunctional mean, towards health (`M_dys − 2·SD_dys` when
/// higher is worse).
pub fn cutoff_a(mean_dysfunctional: f64, sd_dysfunctional: f64, higher_is_worse: bool) -> f64 {
    if higher_is_worse {
        mean_dysfunctional - 2.0 * sd_dysfunctional
    } else {
        mean_dysfunctional + 2.0 * sd_dysfunctional
    }
}

/// Jacobson–Truax cut-off *b*: two SDs from the functional mean, towards the dysfunctional side (`M_func + 2·SD_func`
/// when higher is worse).
pub fn cutoff_b(mean_functional: f64, sd_functional: f64, higher_is_worse: bool) -> f64 {
    if higher_is_worse {
        mean_functional + 2.0 * sd_functional
    } else {
        mean_functional - 2.0 * sd_functional
    }
}

/// Jacobson–Truax cut-off *c*: the point equally far, in SD units, from both population means,
/// `c = (SD_func · M_dys + SD_dys · M_func) / (SD_func + SD_dys)`.
pub fn cutoff_c(
    mean_dysfunctional: f64,
    sd_dysfunctional: f64,
    mean_functional: f64,
    sd_functional: f64,
) -> f64 {
    (sd_functional * mean_dysfunctional + sd_dysfunctional * mean_functional)
        / (sd_functional + sd_dysfunctional)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Hand-computed from the illustrative PCL-5 inputs in shared/domain/instruments.md §1.3 and §15.1:
    // SD = 12.40, r = .84 → SE = 12.40 · √0.16 = 4.96; S_diff = √2 · 4.96 = 7.0145; threshold = 1.96 · 7.0145 = 13.75.
    #[test]
    fn pcl5_illustrative_inputs_give_the_hand_computed_standard_errors() {
        assert!((standard_error_of_measurement(12.40, 0.84) - 4.96).abs() < 1e-9);
        let s_diff = standard_error_of_difference(12.40, 0.84);
        assert!((s_diff - 7.0145).abs() < 1e-4, "{s_diff}");
        assert!((reliable_change_threshold(s_diff) - 13.748).abs() < 1e-3);
        // 56 → 36: RC = −20 / 7.0145 = −2.85 (instruments.md §15.1).
        let rc = reliable_change_index(56.0, 36.0, s_diff);
        assert!((rc - (-2.851)).abs() < 1e-3, "{rc}");
    }

    // Löwe 2004: MCID 5 = 2 · SEM → SEM 2.5; S_diff = √2 · 2.5 = 3.5355; threshold 6.93 (instruments.md §3.3).
    #[test]
    fn phq9_sem_of_2_5_gives_a_threshold_of_6_9_points() {
        let s_diff = standard_error_of_difference_from_sem(2.5);
        assert!((s_diff - 3.5355).abs() < 1e-4);
        assert!((reliable_change_threshold(s_diff) - 6.930).abs() < 1e-3);
    }

    // Cut-off c with equal SDs is the midpoint of the two means (instruments.md §14); with unequal SDs it lies nearer
    // the mean of the tighter population: M_dys 50 (SD 10), M_func 10 (SD 5) → (5·50 + 10·10)/15 = 23.33.
    #[test]
    fn cutoff_c_weights_the_means_by_the_other_populations_sd() {
        assert!((cutoff_c(40.0, 8.0, 10.0, 8.0) - 25.0).abs() < 1e-12);
        assert!((cutoff_c(50.0, 10.0, 10.0, 5.0) - 23.333_333).abs() < 1e-5);
        assert!((cutoff_a(50.0, 10.0, true) - 30.0).abs() < 1e-12);
        assert!((cutoff_b(10.0, 5.0, true) - 20.0).abs() < 1e-12);
        assert!((cutoff_a(30.0, 10.0, false) - 50.0).abs() < 1e-12);
    }
}

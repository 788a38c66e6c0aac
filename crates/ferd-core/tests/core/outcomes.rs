//! The outcome summary on a constructed practice whose answers are known.

use ferd_core::outcomes::summarize;

use crate::common::{answers_with_total, ins, score};

const P3: [i64; 20] = [3, 3, 4, 2, 3, 4, 3, 1, 3, 4, 3, 2, 3, 2, 2, 1, 4, 3, 2, 4];

// Four PCL-5 clients (instruments.md §15.1 for P3's pattern; Marx 2022: reliable ≥ 15, recovered ≤ 28):
//   A: 56 (P3, pattern met) → 20 (all items 1: pattern not met): −36, recovered.
//   B: 50 → 40 (pattern met at both? built by answers_with_total, items filled from the first): −10, unchanged.
//   C: 30 → 48: +18, deteriorated.
//   D: one response of 44 only: counts at baseline, not in the change.
// Baseline mean (56 + 50 + 30 + 44)/4 = 45; latest of A–C: 20, 40, 48 → mean 36; changes −36, −10, +18 →
// mean change −9.333.
#[test]
fn a_constructed_practice_gives_the_hand_computed_summary() {
    let pcl = ins("pcl-5");
    let s = |a: &[i64]| score("pcl-5", a);
    let t = |total| score("pcl-5", &answers_with_total("pcl-5", total));
    let series = vec![
        vec![s(&P3), t(30), s(&[1; 20])],
        vec![t(50), t(40)],
        vec![t(30), t(48)],
        vec![t(44)],
    ];
    let r = summarize(pcl, &series);
    assert_eq!(r.clients, 4);
    assert_eq!(r.baseline.n, 4);
    assert!((r.baseline.mean.unwrap() - 45.0).abs() < 1e-12);
    assert_eq!(r.latest.n, 3);
    assert!((r.latest.mean.unwrap() - 36.0).abs() < 1e-12);
    let c = r.change.unwrap();
    assert!((c.mean_change - (-28.0 / 3.0)).abs() < 1e-12);
    assert_eq!(
        (r.reliable_improvement.count, r.reliable_improvement.of),
        (1, 3)
    );
    assert_eq!(r.recovered.count, 1);
    assert_eq!(r.reliable_deterioration.count, 1);
    // Baseline pattern: A (P3) yes; B (50 from answers_with_total: items 1–12 at 4, 13 at 2 → B, C, D endorsed but
    // E none) no; C (30: items 1–7 at 4, 8 at 2 → no E) no. So 1 met at baseline, and A lost it.
    let lost = r.no_longer_meets_pattern.unwrap();
    assert_eq!((lost.count, lost.of), (1, 1));
}

#[test]
fn the_phq9_uses_its_own_pattern_and_rules_and_the_gad7_has_no_pattern() {
    // PHQ-9 18 → 0: reliable (≥ 6.93) and below 10 → recovered; all nine items at 2 meet the PHQ algorithm's
    // major-depressive-syndrome pattern, all at 0 do not.
    let r = summarize(
        ins("phq-9"),
        &[vec![score("phq-9", &[2; 9]), score("phq-9", &[0; 9])]],
    );
    assert_eq!(r.recovered.count, 1);
    let lost = r.no_longer_meets_pattern.unwrap();
    assert_eq!((lost.count, lost.of), (1, 1));
    assert!(r.change.is_none(), "one pair is too few for an effect size");
    let g = summarize(
        ins("gad-7"),
        &[vec![score("gad-7", &[3; 7]), score("gad-7", &[1; 7])]],
    );
    assert!(g.no_longer_meets_pattern.is_none());
    let empty = summarize(ins("gad-7"), &[]);
    assert_eq!(empty.clients, 0);
    assert_eq!(empty.reliable_improvement.proportion, None);
}

#[test]
fn dropout_counts_those_who_left_after_treatment_began_not_those_screened_out_or_still_at_intake() {
    use ferd_core::journey::Phase;
    use ferd_core::outcomes::report::{JourneyEnd, ReportBuilder};
    let mut b = ReportBuilder::new();
    b.journey(JourneyEnd::Ongoing, Phase::Intake); // not started treatment
    b.journey(JourneyEnd::Withdrawn, Phase::Intake); // left before treatment: not a dropout
    b.journey(JourneyEnd::Referred, Phase::Screening); // screened out and referred on
    b.journey(JourneyEnd::Ongoing, Phase::Preparation); // in treatment
    b.journey(JourneyEnd::Withdrawn, Phase::Medicine); // a dropout
    b.journey(JourneyEnd::Completed, Phase::FollowUp);
    let r = b.finish();
    // Hand count: 3 began treatment (preparation, medicine, completed), 1 of them left → 1/3.
    assert_eq!((r.dropout.count, r.dropout.of), (1, 3));
    assert!((r.dropout.proportion.unwrap() - 1.0 / 3.0).abs() < 1e-12);
    assert!(r.to_csv().lines().nth(1).unwrap().ends_with(",0.3333,3"));
    assert_eq!(r.to_json()["dropout"]["of"], 3);
}

#[test]
fn a_mean_s_confidence_interval_uses_the_t_distribution_with_n_minus_one_degrees_of_freedom() {
    use ferd_core::stats::effect::mean_ci;
    // Hand-computed: mean 10, SD 2, n 4 → SE 1; t(0.975, 3) = 3.182446 (standard t table) → 10 ± 3.182446.
    let (lo, hi) = mean_ci(10.0, 2.0, 4).unwrap();
    assert!(
        (lo - 6.817554).abs() < 1e-6 && (hi - 13.182446).abs() < 1e-6,
        "{lo} {hi}"
    );
    // MAPP1's MDMA arm (−24.4, SD 11.6, n 42): t(0.975, 41) = 2.019541 → −24.4 ± 3.6150 = (−28.015, −20.785).
    let (lo, hi) = mean_ci(-24.4, 11.6, 42).unwrap();
    assert!(
        (lo + 28.0150).abs() < 1e-3 && (hi + 20.7850).abs() < 1e-3,
        "{lo} {hi}"
    );
    assert!(mean_ci(1.0, 1.0, 1).is_none());
}

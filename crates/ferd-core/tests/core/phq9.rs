//! PHQ-9 and PHQ-2. Worked examples E1–E3 and the change example are from shared/domain/instruments.md §15.2.
//! Bands 0–4 / 5–9 / 10–14 / 15–19 / 20–27 and the cut-off 10: Kroenke, Spitzer & Williams 2001. PHQ-2 ≥ 3:
//! Arroll 2010. Item 9 > 0 → suicidal-ideation (product safety rule; Corson 2004). MCID 5 = 2·SEM: Löwe 2004, so the
//! Jacobson–Truax threshold is 1.96·√2·2.5 = 6.93 points.

use ferd_core::instruments::ChangeClass;

use crate::common::{answers_with_total, change_between_totals, ins, score};

const E1: [i64; 9] = [1, 1, 0, 1, 0, 0, 1, 0, 0];
const E2: [i64; 9] = [2, 2, 1, 2, 1, 1, 1, 0, 0];
const E3: [i64; 9] = [3, 3, 3, 3, 2, 3, 2, 1, 1];

fn flags(answers: &[i64]) -> Vec<String> {
    score("phq-9", answers)
        .flags()
        .map(|f| f.id.clone())
        .collect()
}

#[test]
fn e1_totals_4_at_the_upper_edge_of_minimal() {
    let s = score("phq-9", &E1);
    assert_eq!(s.total(), 4);
    assert_eq!(s.band().unwrap().id, "minimal");
    assert_eq!(s.score("phq-2"), Some(2));
    let phq2 = s.cutoffs().find(|(c, _)| c.id == "phq-2-positive").unwrap();
    assert!(!phq2.1, "PHQ-2 of 2 is negative at ≥ 3");
    assert!(flags(&E1).is_empty());
}

#[test]
fn e2_totals_10_at_the_lower_edge_of_moderate() {
    let s = score("phq-9", &E2);
    assert_eq!(s.total(), 10);
    assert_eq!(s.band().unwrap().id, "moderate");
    assert_eq!(s.score("phq-2"), Some(4));
    assert_eq!(s.cutoff_met(), Some(true));
    // Three items at ≥ 2 (items 1, 2, 4) with item 1 among them → other depressive syndrome, not major.
    let pattern = |id: &str| s.patterns().find(|(p, _)| p.id == id).unwrap().1;
    assert!(!pattern("major-depressive-syndrome"));
    assert!(pattern("other-depressive-syndrome"));
    assert_eq!(s.provisional_diagnosis(), Some(false));
    assert!(flags(&E2).is_empty());
}

#[test]
fn e3_totals_21_severe_and_raises_the_suicidal_ideation_flag() {
    let s = score("phq-9", &E3);
    assert_eq!(s.total(), 21);
    assert_eq!(s.band().unwrap().id, "severe");
    assert_eq!(s.score("phq-2"), Some(6));
    assert_eq!(flags(&E3), ["suicidal-ideation"]);
    // Seven items at ≥ 2 including items 1 and 2 → major depressive syndrome suggested.
    assert_eq!(s.provisional_diagnosis(), Some(true));
}

#[test]
fn every_band_boundary_falls_on_the_right_side() {
    let cases = [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately-severe"),
        (19, "moderately-severe"),
        (20, "severe"),
        (27, "severe"),
    ];
    for (total, band) in cases {
        let s = score("phq-9", &answers_with_total("phq-9", total));
        assert_eq!(i64::from(s.total()), total);
        assert_eq!(s.band().unwrap().id, band, "total {total}");
        assert_eq!(s.cutoff_met(), Some(total >= 10), "total {total}");
    }
}

#[test]
fn any_answer_above_not_at_all_on_item_9_raises_the_flag_and_zero_does_not() {
    for v in 0..=3 {
        let mut a = [0i64; 9];
        a[8] = v;
        assert_eq!(flags(&a).len(), usize::from(v > 0), "item 9 = {v}");
    }
    // Item 9 alone, with everything else 0: total 1, minimal — the flag does not depend on the total.
    let mut a = [0i64; 9];
    a[8] = 1;
    let s = score("phq-9", &a);
    assert_eq!((s.total(), s.band().unwrap().id.as_str()), (1, "minimal"));
    assert_eq!(s.summary().flags, ["suicidal-ideation"]);
}

#[test]
fn the_unscored_difficulty_item_is_optional_and_never_counts() {
    let ins = ins("phq-9");
    let mut with_10: Vec<Option<i64>> = E2.iter().copied().map(Some).collect();
    with_10.push(Some(3));
    assert_eq!(ins.response(&with_10).unwrap().score().total(), 10);
    let without: Vec<Option<i64>> = E2.iter().copied().map(Some).collect();
    assert_eq!(ins.response(&without).unwrap().score().total(), 10);
}

#[test]
fn major_depression_needs_five_items_at_two_including_item_1_or_2() {
    let pattern = |a: &[i64]| score("phq-9", a).provisional_diagnosis().unwrap();
    // Items 3–7 at 2, items 1 and 2 at 1: five items but neither 1 nor 2 → not suggested.
    assert!(!pattern(&[1, 1, 2, 2, 2, 2, 2, 0, 0]));
    // Item 1 at 2 and items 3–6 at 2: five including item 1 → suggested.
    assert!(pattern(&[2, 0, 2, 2, 2, 2, 0, 0, 0]));
    // Only four → other depressive syndrome.
    let s = score("phq-9", &[2, 0, 2, 2, 2, 0, 0, 0, 0]);
    assert!(!s.provisional_diagnosis().unwrap());
    assert!(
        s.patterns()
            .find(|(p, _)| p.id == "other-depressive-syndrome")
            .unwrap()
            .1
    );
}

#[test]
fn all_minimum_and_all_maximum_answers_give_0_and_27() {
    assert_eq!(score("phq-9", &[0; 9]).total(), 0);
    let max = score("phq-9", &[3; 9]);
    assert_eq!((max.total(), max.score("phq-2").unwrap()), (27, 6));
}

#[test]
fn e3_to_e2_is_reliable_and_meaningful_but_not_recovered() {
    let c = ins("phq-9")
        .change(&score("phq-9", &E3), &score("phq-9", &E2))
        .unwrap();
    assert_eq!(c.difference, -11);
    assert!(c.clinically_meaningful, "11 ≥ 5 (Löwe 2004)");
    assert!(c.reliable, "11 ≥ 6.93");
    assert!((c.reliable_threshold - 6.930).abs() < 0.001);
    assert!((c.reliable_change_index - -11.0 / 3.5355).abs() < 0.001);
    // 10 is not below the cut-off of 10, so the client has not left the clinical range.
    assert_eq!(c.classification, ChangeClass::Improved);
}

#[test]
fn the_jacobson_truax_threshold_of_6_93_separates_6_and_7_point_changes() {
    let change = |a: i64, b: i64| change_between_totals("phq-9", a, b);
    assert!(!change(16, 10).reliable, "6 < 6.93");
    assert!(change(16, 10).clinically_meaningful, "6 ≥ 5");
    let c = change(16, 9);
    assert!(c.reliable, "7 ≥ 6.93");
    assert_eq!(
        c.classification,
        ChangeClass::Recovered,
        "9 is below the cut-off of 10"
    );
    assert_eq!(change(5, 12).classification, ChangeClass::Deteriorated);
}

//! PCL-5. Worked examples P1–P4 and the change example are from shared/domain/instruments.md §15.1 (hand-computed
//! from the NCPTSD scoring rules: total = sum of 20 items; clusters B 1–5, C 6–7, D 8–14, E 15–20; an item rated
//! ≥ 2 is endorsed; DSM-5 pattern needs ≥1 B, ≥1 C, ≥2 D, ≥2 E). Cut-offs 31 and 33: Bovin 2016, Forkus 2022.
//! Change thresholds: Marx 2022 (reliable 15, functional ≤ 28), NCPTSD (clinically meaningful 10).

use ferd_core::instruments::{ChangeClass, Direction};

use crate::common::{answers_with_total, change_between_totals, ins, score};

const P1: [i64; 20] = [0; 20];
const P2: [i64; 20] = [2, 0, 0, 0, 0, 2, 0, 0, 2, 2, 0, 0, 0, 0, 0, 0, 2, 2, 0, 0];
const P3: [i64; 20] = [3, 3, 4, 2, 3, 4, 3, 1, 3, 4, 3, 2, 3, 2, 2, 1, 4, 3, 2, 4];
const P4: [i64; 20] = [2, 2, 2, 2, 2, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2];

fn clusters(answers: &[i64]) -> [i32; 4] {
    let s = score("pcl-5", answers);
    ["B", "C", "D", "E"].map(|c| s.score(c).unwrap())
}

#[test]
fn p1_all_zero_scores_zero_with_no_pattern_and_no_cutoff() {
    let s = score("pcl-5", &P1);
    assert_eq!(s.total(), 0);
    assert_eq!(clusters(&P1), [0, 0, 0, 0]);
    assert_eq!(s.provisional_diagnosis(), Some(false));
    assert_eq!(s.cutoff_met(), Some(false));
}

#[test]
fn p2_meets_the_symptom_pattern_at_a_total_of_only_12() {
    let s = score("pcl-5", &P2);
    assert_eq!(s.total(), 12);
    assert_eq!(clusters(&P2), [2, 2, 4, 4]);
    assert_eq!(s.provisional_diagnosis(), Some(true));
    assert_eq!(s.cutoff_met(), Some(false), "12 is far below 33");
    let screen = s
        .cutoffs()
        .find(|(c, _)| c.id == "probable-ptsd-screen")
        .unwrap();
    assert!(!screen.1, "12 is below 31 as well");
}

#[test]
fn p3_scores_56_with_clusters_15_7_18_16_and_meets_both_rules() {
    let s = score("pcl-5", &P3);
    assert_eq!(s.total(), 56);
    assert_eq!(clusters(&P3), [15, 7, 18, 16]);
    assert_eq!(s.provisional_diagnosis(), Some(true));
    assert_eq!(s.cutoff_met(), Some(true));
    assert!(s.cutoffs().all(|(_, met)| met));
}

#[test]
fn p4_is_above_the_cutoff_but_misses_the_pattern_for_want_of_a_c_symptom() {
    let s = score("pcl-5", &P4);
    assert_eq!(s.total(), 36);
    assert_eq!(clusters(&P4), [10, 0, 14, 12]);
    assert_eq!(s.provisional_diagnosis(), Some(false));
    assert_eq!(s.cutoff_met(), Some(true));
}

#[test]
fn all_minimum_and_all_maximum_answers_give_0_and_80() {
    assert_eq!(score("pcl-5", &[0; 20]).total(), 0);
    let max = score("pcl-5", &[4; 20]);
    assert_eq!(max.total(), 80);
    assert_eq!(clusters(&[4; 20]), [20, 8, 28, 24]);
    assert_eq!(max.provisional_diagnosis(), Some(true));
}

#[test]
fn cutoff_boundaries_30_31_32_33_fall_on_the_right_sides() {
    // (total, ≥31 screen, ≥33 probable PTSD)
    for (total, screen, primary) in [
        (30, false, false),
        (31, true, false),
        (32, true, false),
        (33, true, true),
    ] {
        let s = score("pcl-5", &answers_with_total("pcl-5", total));
        assert_eq!(i64::from(s.total()), total);
        let met = |id: &str| s.cutoffs().find(|(c, _)| c.id == id).unwrap().1;
        assert_eq!(met("probable-ptsd-screen"), screen, "total {total}");
        assert_eq!(met("probable-ptsd"), primary, "total {total}");
        assert_eq!(s.cutoff_met(), Some(primary));
    }
}

#[test]
fn items_rated_1_never_count_as_endorsed_symptoms() {
    // Total 20 from twenty "A little bit" answers: no item is endorsed.
    let s = score("pcl-5", &[1; 20]);
    assert_eq!(s.total(), 20);
    assert_eq!(s.provisional_diagnosis(), Some(false));
}

#[test]
fn pcl5_with_two_d_items_but_one_e_item_misses_the_e_criterion() {
    let mut a = [0i64; 20];
    a[0] = 2; // B
    a[5] = 2; // C
    a[7] = 2; // D item 8
    a[8] = 2; // D item 9
    a[14] = 2; // E item 15 only
    assert_eq!(score("pcl-5", &a).provisional_diagnosis(), Some(false));
    a[15] = 2; // E item 16: now 2 E items
    assert_eq!(score("pcl-5", &a).provisional_diagnosis(), Some(true));
    a[8] = 1; // D item 9 drops below "Moderately": 1 D item
    assert_eq!(score("pcl-5", &a).provisional_diagnosis(), Some(false));
}

#[test]
fn p3_to_a_36_is_reliable_and_meaningful_but_not_recovered() {
    let ins = ins("pcl-5");
    let before = score("pcl-5", &P3);
    let after = score("pcl-5", &answers_with_total("pcl-5", 36));
    let c = ins.change(&before, &after).unwrap();
    assert_eq!((c.from, c.to, c.difference), (56, 36, -20));
    assert_eq!(c.direction, Direction::Improved);
    assert!(c.reliable, "20 ≥ 15 (Marx 2022)");
    assert!(c.clinically_meaningful, "20 ≥ 10 (NCPTSD)");
    // RC = −20 / 7.01 = −2.85 with the illustrative SD 12.40 and r .84 (instruments.md §15.1).
    assert!(
        (c.reliable_change_index - -2.851).abs() < 0.001,
        "{}",
        c.reliable_change_index
    );
    assert_eq!(
        c.classification,
        ChangeClass::Improved,
        "36 > 28 is not recovered"
    );
    assert!(c.rule.contains("not in the functional range"), "{}", c.rule);
}

#[test]
fn change_classification_follows_jacobson_truax_with_marx_thresholds() {
    let change = |from: i64, to: i64| change_between_totals("pcl-5", from, to);
    // 56 → 28: reliable fall ending at 28 (≤ 28) → recovered.
    assert_eq!(change(56, 28).classification, ChangeClass::Recovered);
    // 43 → 29: a 14-point fall is below 15 → unchanged, though clinically meaningful (≥ 10).
    let c = change(43, 29);
    assert_eq!(c.classification, ChangeClass::Unchanged);
    assert!(!c.reliable && c.clinically_meaningful);
    // 44 → 29: exactly 15 → reliable; 29 is outside ≤ 28 → improved.
    assert_eq!(change(44, 29).classification, ChangeClass::Improved);
    // 27 → 10: reliable, but the first score was already in the functional range → improved, not recovered.
    assert_eq!(change(27, 10).classification, ChangeClass::Improved);
    // 20 → 36: a 16-point rise → deteriorated.
    let c = change(20, 36);
    assert_eq!(c.classification, ChangeClass::Deteriorated);
    assert_eq!(c.direction, Direction::Worsened);
    // 30 → 39: a 9-point rise is neither reliable nor clinically meaningful.
    let c = change(30, 39);
    assert_eq!(c.classification, ChangeClass::Unchanged);
    assert!(!c.clinically_meaningful);
    // No change at all.
    assert_eq!(change(40, 40).direction, Direction::NoChange);
}

#[test]
fn the_past_week_form_scores_like_the_standard_form_without_cutoffs_or_pattern() {
    let week = score("pcl-5-week", &P3);
    assert_eq!(week.total(), 56);
    assert_eq!(week.score("D"), Some(18));
    assert_eq!(
        week.cutoff_met(),
        None,
        "cut-offs were validated for a one-month recall"
    );
    assert_eq!(week.provisional_diagnosis(), None);
    let summary = week.summary();
    assert!(summary.cutoff_met.is_none() && summary.provisional_diagnosis.is_none());
    assert_eq!(ins("pcl-5-week").recall.days, 7);
    assert!(ins("pcl-5-week").text["en"].stem.contains("past week"));
}

#[test]
fn change_between_the_two_forms_of_the_pcl5_is_allowed_but_not_with_another_scale() {
    let month = score("pcl-5", &P3);
    let week = score("pcl-5-week", &answers_with_total("pcl-5-week", 30));
    assert_eq!(
        ins("pcl-5-week").change(&month, &week).unwrap().difference,
        -26
    );
    let phq = score("phq-9", &[0; 9]);
    assert!(ins("pcl-5").change(&month, &phq).is_err());
}

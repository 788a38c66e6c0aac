//! GAD-7 and GAD-2. Worked examples G1–G3 and the change example: shared/domain/instruments.md §15.3. Bands
//! 0–4 / 5–9 / 10–14 / 15–21 and cut-off 10: Spitzer 2006. MCID 4: Toussaint 2020. RCI 6: Bischoff 2020.

use ferd_core::instruments::ChangeClass;

use crate::common::{answers_with_total, change_between_totals, ins, score};

#[test]
fn g1_g2_g3_give_the_hand_computed_totals_bands_and_gad2() {
    // (answers, total, band, GAD-2, ≥ 10)
    let cases: [([i64; 7], i32, &str, i32, bool); 3] = [
        ([0, 1, 0, 1, 0, 1, 0], 3, "minimal", 1, false),
        ([1, 1, 1, 1, 0, 0, 1], 5, "mild", 2, false),
        ([3, 3, 3, 2, 2, 3, 2], 18, "severe", 6, true),
    ];
    for (answers, total, band, gad2, cutoff) in cases {
        let s = score("gad-7", &answers);
        assert_eq!(s.total(), total);
        assert_eq!(s.band().unwrap().id, band);
        assert_eq!(s.score("gad-2"), Some(gad2));
        assert_eq!(s.cutoff_met(), Some(cutoff));
    }
}

#[test]
fn every_band_boundary_falls_on_the_right_side() {
    for (total, band) in [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ] {
        let s = score("gad-7", &answers_with_total("gad-7", total));
        assert_eq!(s.band().unwrap().id, band, "total {total}");
        assert_eq!(s.cutoff_met(), Some(total >= 10));
    }
}

#[test]
fn all_minimum_and_all_maximum_answers_give_0_and_21() {
    assert_eq!(score("gad-7", &[0; 7]).total(), 0);
    assert_eq!(score("gad-7", &[3; 7]).total(), 21);
    assert_eq!(
        score("gad-7", &[3; 7]).summary().severity.as_deref(),
        Some("severe")
    );
}

#[test]
fn gad2_is_positive_from_3() {
    let positive = |a: [i64; 7]| {
        score("gad-7", &a)
            .cutoffs()
            .find(|(c, _)| c.id == "gad-2-positive")
            .unwrap()
            .1
    };
    assert!(!positive([1, 1, 3, 3, 3, 3, 3]));
    assert!(positive([2, 1, 0, 0, 0, 0, 0]));
}

#[test]
fn g3_to_g2_is_reliable_meaningful_and_recovered() {
    let c = ins("gad-7")
        .change(
            &score("gad-7", &[3, 3, 3, 2, 2, 3, 2]),
            &score("gad-7", &[1, 1, 1, 1, 0, 0, 1]),
        )
        .unwrap();
    assert_eq!(c.difference, -13);
    assert!(c.reliable && c.clinically_meaningful);
    assert_eq!(
        c.classification,
        ChangeClass::Recovered,
        "5 is below the cut-off of 10"
    );
    // With S_diff = 6 / 1.96, a 13-point fall has RCI = −13 · 1.96 / 6 = −4.25.
    assert!(
        (c.reliable_change_index - -4.2467).abs() < 0.001,
        "{}",
        c.reliable_change_index
    );
}

#[test]
fn a_5_point_change_is_meaningful_but_not_reliable_and_6_is_both() {
    let change = |a: i64, b: i64| change_between_totals("gad-7", a, b);
    let c = change(15, 10);
    assert!(!c.reliable && c.clinically_meaningful);
    assert_eq!(c.classification, ChangeClass::Unchanged);
    let c = change(15, 9);
    assert!(c.reliable);
    assert_eq!(c.classification, ChangeClass::Recovered);
    assert!(!change(8, 11).clinically_meaningful, "3 < 4");
}

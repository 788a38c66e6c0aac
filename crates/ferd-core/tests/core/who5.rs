//! WHO-5. Raw score 0–25, percentage = raw × 4; raw below 13 = poor well-being; percentage ≤ 28 suggests depression;
//! a 10-point difference on the percentage scale is a significant change (Valant guidance, SMAAT; see the data
//! file's sources). Higher is better.

use ferd_core::instruments::{ChangeClass, Direction};

use crate::common::{ins, score};

#[test]
fn all_minimum_and_all_maximum_answers_give_0_and_25_raw_and_0_and_100_percent() {
    let min = score("who-5", &[0; 5]);
    assert_eq!((min.total(), min.score("percentage").unwrap()), (0, 0));
    let max = score("who-5", &[5; 5]);
    assert_eq!((max.total(), max.score("percentage").unwrap()), (25, 100));
    assert_eq!(max.cutoff_met(), Some(false));
}

#[test]
fn poor_well_being_is_a_raw_score_below_13() {
    let s12 = score("who-5", &[3, 3, 2, 2, 2]);
    assert_eq!((s12.total(), s12.score("percentage").unwrap()), (12, 48));
    assert_eq!(s12.cutoff_met(), Some(true));
    let s13 = score("who-5", &[3, 3, 3, 2, 2]);
    assert_eq!(s13.total(), 13);
    assert_eq!(s13.cutoff_met(), Some(false));
}

#[test]
fn likely_depression_is_a_percentage_of_28_or_lower() {
    let likely = |a: [i64; 5]| {
        score("who-5", &a)
            .cutoffs()
            .find(|(c, _)| c.id == "likely-depression")
            .unwrap()
            .1
    };
    assert!(likely([2, 2, 1, 1, 1]), "raw 7 → 28 %");
    assert!(!likely([2, 2, 2, 1, 1]), "raw 8 → 32 %");
}

#[test]
fn change_is_read_on_the_percentage_scale_and_a_rise_is_an_improvement() {
    let ins = ins("who-5");
    // 40 % → 60 %: +20 points, reliable (≥ 10), and 60 > 50 leaves the range used to detect depression.
    let c = ins
        .change(
            &score("who-5", &[2, 2, 2, 2, 2]),
            &score("who-5", &[3, 3, 3, 3, 3]),
        )
        .unwrap();
    assert_eq!(
        (c.score.as_str(), c.from, c.to, c.difference),
        ("percentage", 40, 60, 20)
    );
    assert_eq!(c.direction, Direction::Improved);
    assert_eq!(c.classification, ChangeClass::Recovered);
    // 40 % → 48 %: +8 is below 10.
    let c = ins
        .change(
            &score("who-5", &[2, 2, 2, 2, 2]),
            &score("who-5", &[3, 3, 2, 2, 2]),
        )
        .unwrap();
    assert_eq!(c.classification, ChangeClass::Unchanged);
    // 60 % → 40 %: a fall is a deterioration on a well-being scale.
    let c = ins
        .change(
            &score("who-5", &[3, 3, 3, 3, 3]),
            &score("who-5", &[2, 2, 2, 2, 2]),
        )
        .unwrap();
    assert_eq!(c.classification, ChangeClass::Deteriorated);
}

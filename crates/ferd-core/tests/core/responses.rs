//! Bad responses: wrong counts, out-of-range values, missing items. Nothing is prorated.

use ferd_core::instruments::{parse_positional, ResponseError};

use crate::common::ins;

#[test]
fn a_missing_item_makes_the_response_incomplete_and_names_every_missing_item() {
    let mut a: Vec<Option<i64>> = vec![Some(2); 20];
    a[2] = None;
    a[16] = None;
    match ins("pcl-5").response(&a) {
        Err(ResponseError::Incomplete { missing, .. }) => assert_eq!(missing, ["3", "17"]),
        other => panic!("expected incomplete, got {other:?}"),
    }
}

#[test]
fn values_outside_the_items_options_are_rejected_with_the_item_and_the_allowed_range() {
    let cases: [(&str, usize, i64, &str); 5] = [
        (
            "pcl-5",
            20,
            5,
            "pcl-5 item 1: 5 is not an allowed answer (allowed: 0–4)",
        ),
        (
            "pcl-5",
            20,
            -1,
            "pcl-5 item 1: -1 is not an allowed answer (allowed: 0–4)",
        ),
        (
            "phq-9",
            9,
            4,
            "phq-9 item 1: 4 is not an allowed answer (allowed: 0–3)",
        ),
        (
            "gad-7",
            7,
            300,
            "gad-7 item 1: 300 is not an allowed answer (allowed: 0–3)",
        ),
        (
            "who-5",
            5,
            6,
            "who-5 item 1: 6 is not an allowed answer (allowed: 0–5)",
        ),
    ];
    for (id, n, bad, message) in cases {
        let mut a = vec![Some(0); n];
        a[0] = Some(bad);
        assert_eq!(ins(id).response(&a).unwrap_err().to_string(), message);
    }
    let mut a = vec![Some(0); 20];
    a[19] = Some(i64::MAX);
    assert!(ins("pcl-5")
        .response(&a)
        .unwrap_err()
        .to_string()
        .contains("item 20"));
}

#[test]
fn too_few_or_too_many_answers_are_a_wrong_count() {
    let e = ins("pcl-5").response(&[Some(1); 19]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "pcl-5 has 20 items, but 19 answers were given"
    );
    let e = ins("pcl-5").response(&[Some(1); 21]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "pcl-5 has 20 items, but 21 answers were given"
    );
    // The PHQ-9 takes 9 answers, or 10 with the optional difficulty item.
    let e = ins("phq-9").response(&[Some(1); 11]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "phq-9 has 9–10 items, but 11 answers were given"
    );
    let e = ins("phq-9").response(&[Some(1); 8]).unwrap_err();
    assert!(matches!(e, ResponseError::WrongCount { got: 8, .. }));
    assert!(ins("phq-9").response(&[]).is_err());
}

#[test]
fn positional_lists_parse_blanks_as_unanswered_and_reject_words() {
    assert_eq!(
        parse_positional("1, 2,,3").unwrap(),
        [Some(1), Some(2), None, Some(3)]
    );
    assert_eq!(
        parse_positional("1,two,3").unwrap_err().to_string(),
        "answer 2: 'two' is not a whole number"
    );
    assert!(parse_positional("1.5").is_err());
    assert!(parse_positional("99999999999999999999999").is_err());
}

//! PC-PTSD-5. Exposure "No" ends the screen with a score of 0; otherwise the count of "Yes" answers (0–5). Cut-off 4
//! (VA; best balance overall), 3 optimally sensitive (ISTSS; Prins 2016).

use crate::common::ins;

#[test]
fn no_exposure_ends_the_screen_with_zero_and_nothing_else_may_be_answered() {
    let ins = ins("pc-ptsd-5");
    let s = ins.response(&[Some(0)]).unwrap().score();
    assert_eq!(s.total(), 0);
    assert!(s.gate_closed());
    assert_eq!(s.cutoff_met(), Some(false));
    let err = ins
        .response(&[Some(0), Some(1), Some(1), None, None, None])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("items 1, 2 must be left unanswered") && err.contains("'No'"),
        "{err}"
    );
}

#[test]
fn exposure_yes_requires_all_five_items() {
    let ins = ins("pc-ptsd-5");
    let err = ins.response(&[Some(1)]).unwrap_err().to_string();
    assert!(err.contains("has 6 items, but 1 answers"), "{err}");
    let err = ins
        .response(&[Some(1), Some(1), None, Some(1), Some(1), Some(1)])
        .unwrap_err()
        .to_string();
    assert!(err.contains("item 2 not answered"), "{err}");
}

#[test]
fn the_score_is_the_count_of_yes_answers_and_the_cutoffs_are_3_and_4() {
    let ins = ins("pc-ptsd-5");
    for yes in 0..=5usize {
        let mut a = vec![Some(1i64)];
        a.extend((0..5).map(|i| Some(i64::from(i < yes))));
        let s = ins.response(&a).unwrap().score();
        assert_eq!(s.total() as usize, yes);
        assert!(!s.gate_closed());
        assert_eq!(s.cutoff_met(), Some(yes >= 4), "{yes} yes");
        let sensitive = s
            .cutoffs()
            .find(|(c, _)| c.id == "positive-screen-sensitive")
            .unwrap()
            .1;
        assert_eq!(sensitive, yes >= 3);
    }
}

#[test]
fn answers_other_than_yes_and_no_are_rejected() {
    let err = ins("pc-ptsd-5")
        .response(&[Some(1), Some(2), Some(0), Some(0), Some(0), Some(0)])
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "pc-ptsd-5 item 1: 2 is not an allowed answer (allowed: 0–1)"
    );
}

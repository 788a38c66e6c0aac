//! Helpers shared by the test modules.

use ferd_core::instruments::{Change, Response, Scored};
use ferd_core::{Catalogue, Instrument};

pub fn ins(id: &str) -> &'static Instrument {
    Catalogue::builtin()
        .get(id)
        .unwrap_or_else(|| panic!("no instrument {id}"))
}

/// Scores answers given in item order; panics with the error for a test that expects a valid response.
pub fn score(id: &str, answers: &[i64]) -> Scored<'static> {
    response(id, answers).score()
}

pub fn response(id: &str, answers: &[i64]) -> Response<'static> {
    let answers: Vec<Option<i64>> = answers.iter().copied().map(Some).collect();
    ins(id)
        .response(&answers)
        .unwrap_or_else(|e| panic!("{id} {answers:?}: {e}"))
}

/// Answers (in item order, scored items only) whose total is `total`: items filled from the first, each up to the
/// answer set's maximum. For instruments whose scored items all share one 0-based answer set.
pub fn answers_with_total(id: &str, total: i64) -> Vec<i64> {
    let ins = ins(id);
    let mut left = total;
    ins.items
        .iter()
        .filter(|i| i.scored)
        .map(|item| {
            let max = i64::from(ins.answers_of(item).max);
            let v = left.min(max);
            left -= v;
            v
        })
        .collect()
}

/// The change between two responses whose totals are `from` and `to` (built with [`answers_with_total`]).
pub fn change_between_totals(id: &str, from: i64, to: i64) -> Change {
    let before = score(id, &answers_with_total(id, from));
    let after = score(id, &answers_with_total(id, to));
    ins(id).change(&before, &after).unwrap()
}

//! Properties that must hold for every valid response, checked on random answers.

use ferd_core::instruments::ScoreKind;
use ferd_core::Catalogue;
use proptest::prelude::*;

/// Random valid answers for an instrument: each item gets a value of its own answer set. Gates are left open
/// (the gate item gets a value that does not close it) so the other items are scored.
fn answers(id: &'static str) -> impl Strategy<Value = Vec<Option<i64>>> {
    let ins = Catalogue::builtin().get(id).unwrap();
    let per_item: Vec<BoxedStrategy<Option<i64>>> = ins
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let set = ins.answers_of(item);
            let (lo, hi) = (i64::from(set.min), i64::from(set.max));
            match &ins.gate {
                Some(g) if g.item == i => {
                    let open = set
                        .options
                        .iter()
                        .find(|o| o.value != g.closes_when)
                        .unwrap()
                        .value;
                    Just(Some(i64::from(open))).boxed()
                }
                _ if !item.required => proptest::option::of(lo..=hi).boxed(),
                _ => (lo..=hi).prop_map(Some).boxed(),
            }
        })
        .collect();
    per_item
}

fn check(id: &'static str, answers: &[Option<i64>]) {
    let ins = Catalogue::builtin().get(id).unwrap();
    let s = ins
        .response(answers)
        .expect("random answers are valid")
        .score();
    // The total is the sum of the scored answers.
    let sum: i64 = ins
        .items
        .iter()
        .zip(answers)
        .filter(|(i, _)| i.scored)
        .map(|(_, a)| a.unwrap())
        .sum();
    assert_eq!(i64::from(s.total()), sum);
    assert!(ins.total().min <= s.total() && s.total() <= ins.total().max);
    // Where subscales partition the items, the total is the sum of the subscales.
    let subs: Vec<i32> = s
        .scores()
        .filter(|(d, _)| d.kind == ScoreKind::Subscale)
        .map(|(_, v)| v)
        .collect();
    if !subs.is_empty() {
        assert_eq!(subs.iter().sum::<i32>(), s.total());
    }
    // The band, where bands exist, always contains the total.
    if ins.has_bands() {
        let band = s.band().expect("bands cover the whole range");
        assert!(band.min <= s.total() && s.total() <= band.max);
    }
    // Every score lies within its range.
    for (d, v) in s.scores() {
        assert!(d.min <= v && v <= d.max, "{} {}", d.id, v);
    }
    // A cut-off is met exactly when its threshold says so.
    for (c, met) in s.cutoffs() {
        assert_eq!(met, c.threshold.met(s.score_at(c.score)));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn pcl5_totals_and_clusters_add_up(a in answers("pcl-5")) { check("pcl-5", &a) }

    #[test]
    fn pcl5_week_totals_and_clusters_add_up(a in answers("pcl-5-week")) { check("pcl-5-week", &a) }

    #[test]
    fn phq9_band_contains_the_total(a in answers("phq-9")) { check("phq-9", &a) }

    #[test]
    fn gad7_band_contains_the_total(a in answers("gad-7")) { check("gad-7", &a) }

    #[test]
    fn who5_scores_stay_in_range(a in answers("who-5")) { check("who-5", &a) }

    #[test]
    fn pc_ptsd5_counts_yes_answers(a in answers("pc-ptsd-5")) { check("pc-ptsd-5", &a) }

    #[test]
    fn the_pcl5_pattern_never_holds_with_fewer_than_six_endorsed_items(a in answers("pcl-5")) {
        let s = Catalogue::builtin().get("pcl-5").unwrap().response(&a).unwrap().score();
        let endorsed = a.iter().filter(|v| v.unwrap() >= 2).count();
        if endorsed < 6 {
            prop_assert_eq!(s.provisional_diagnosis(), Some(false));
        }
    }

    #[test]
    fn change_is_antisymmetric_in_its_difference(a in answers("phq-9"), b in answers("phq-9")) {
        let ins = Catalogue::builtin().get("phq-9").unwrap();
        let (sa, sb) = (ins.response(&a).unwrap().score(), ins.response(&b).unwrap().score());
        let (ab, ba) = (ins.change(&sa, &sb).unwrap(), ins.change(&sb, &sa).unwrap());
        prop_assert_eq!(ab.difference, -ba.difference);
        prop_assert_eq!(ab.reliable, ba.reliable);
        prop_assert!((ab.reliable_change_index + ba.reliable_change_index).abs() < 1e-12);
    }

    #[test]
    fn arbitrary_integers_never_panic_and_are_either_scored_or_refused(
        a in proptest::collection::vec(proptest::option::of(any::<i64>()), 0..25)
    ) {
        for ins in Catalogue::builtin().iter() {
            let _ = ins.response(&a).map(|r| r.score().summary());
        }
    }
}

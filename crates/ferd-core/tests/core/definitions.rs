//! The bundled instrument files, and the checks that refuse a bad definition.

use ferd_core::instruments::{DefinitionError, ScoreKind, BUILTIN_FILES};
use ferd_core::Catalogue;

use crate::common::ins;

#[test]
fn every_bundled_file_loads_and_the_ids_are_the_stable_cli_names() {
    let catalogue = Catalogue::load(BUILTIN_FILES).expect("bundled definitions are valid");
    assert_eq!(
        catalogue.ids(),
        [
            "pcl-5",
            "pcl-5-week",
            "pc-ptsd-5",
            "phq-9",
            "gad-7",
            "who-5"
        ]
    );
}

#[test]
fn item_counts_ranges_and_recall_match_the_published_instruments() {
    // (id, items, scored items, total min, total max, recall days)
    for (id, items, scored, min, max, days) in [
        ("pcl-5", 20, 20, 0, 80, 30),
        ("pcl-5-week", 20, 20, 0, 80, 7),
        ("pc-ptsd-5", 6, 5, 0, 5, 30),
        ("phq-9", 10, 9, 0, 27, 14),
        ("gad-7", 7, 7, 0, 21, 14),
        ("who-5", 5, 5, 0, 25, 14),
    ] {
        let i = ins(id);
        assert_eq!(i.items.len(), items, "{id}");
        assert_eq!(i.scored_item_count(), scored, "{id}");
        assert_eq!((i.total().min, i.total().max), (min, max), "{id}");
        assert_eq!(i.recall.days, days, "{id}");
    }
}

#[test]
fn pcl5_clusters_are_b_1_5_c_6_7_d_8_14_e_15_20() {
    let pcl = ins("pcl-5");
    let keys = |id: &str| {
        pcl.keys_of(pcl.scores[pcl.score_index(id).unwrap()].items)
            .join(",")
    };
    assert_eq!(keys("B"), "1,2,3,4,5");
    assert_eq!(keys("C"), "6,7");
    assert_eq!(keys("D"), "8,9,10,11,12,13,14");
    assert_eq!(keys("E"), "15,16,17,18,19,20");
}

#[test]
fn item_text_is_the_exact_published_wording() {
    // Spot checks against shared/domain/instruments.md §1.1, §3.1, §4, §2 (punctuation and typographic marks included).
    let text = |id: &str, key: &str| {
        let i = ins(id);
        i.items[i.item_index(key).unwrap()].text.en().to_string()
    };
    assert_eq!(
        text("pcl-5", "1"),
        "Repeated, disturbing, and unwanted memories of the stressful experience?"
    );
    assert_eq!(
        text("pcl-5", "17"),
        "Being “superalert” or watchful or on guard?"
    );
    assert_eq!(text("pcl-5", "18"), "Feeling jumpy or easily startled?");
    assert_eq!(
        text("pcl-5", "9"),
        "Having strong negative beliefs about yourself, other people, or the world (for example, having thoughts such as: I am bad, there is something seriously wrong with me, no one can be trusted, the world is completely dangerous)?"
    );
    assert_eq!(
        text("pcl-5-week", "20"),
        "Trouble falling or staying asleep?"
    );
    assert_eq!(
        text("phq-9", "6"),
        "Feeling bad about yourself — or that you are a failure or have let yourself or your family down"
    );
    assert_eq!(
        text("phq-9", "9"),
        "Thoughts that you would be better off dead or of hurting yourself in some way"
    );
    assert_eq!(text("gad-7", "1"), "Feeling nervous, anxious or on edge");
    assert_eq!(
        text("gad-7", "7"),
        "Feeling afraid as if something awful might happen"
    );
    assert_eq!(
        text("pc-ptsd-5", "exposure"),
        "Have you ever experienced this kind of event?"
    );
    assert_eq!(text("who-5", "4"), "I woke up feeling fresh and rested.");
    assert_eq!(
        ins("pcl-5").text["en"].stem,
        "In the past month, how much were you bothered by:"
    );
    assert_eq!(
        ins("phq-9").text["en"].stem,
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    );
}

#[test]
fn answer_anchors_are_the_published_ones() {
    let labels = |id: &str| {
        let i = ins(id);
        i.answers_of(&i.items[0])
            .options
            .iter()
            .map(|o| (o.value, o.label.en().to_string()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        labels("pcl-5"),
        [
            (0, "Not at all"),
            (1, "A little bit"),
            (2, "Moderately"),
            (3, "Quite a bit"),
            (4, "Extremely")
        ]
        .map(|(v, l)| (v, l.to_string()))
    );
    // GAD-7's 0 anchor is "Not at all", not the often misprinted "Not at all sure".
    assert_eq!(labels("gad-7")[0], (0, "Not at all".to_string()));
    assert_eq!(labels("phq-9")[3], (3, "Nearly every day".to_string()));
    assert_eq!(labels("who-5")[0], (5, "All of the time".to_string()));
}

#[test]
fn loinc_codes_are_the_verified_ones() {
    // instruments.md: PCL-5 101697-1 / 101698-9; PHQ-9 44249-1 / 44261-6 and items 44250-9 … 44260-8; PHQ-2 55758-7;
    // GAD-7 69737-5 / 70274-6 and items; answer list LL358-3 codes.
    let pcl = ins("pcl-5");
    assert_eq!(pcl.fhir.loinc_panel.as_deref(), Some("101697-1"));
    assert_eq!(pcl.fhir.loinc_total.as_deref(), Some("101698-9"));
    assert!(
        pcl.items.iter().all(|i| i.loinc.is_none()),
        "PCL-5 item codes are unverified"
    );
    assert!(
        ins("pcl-5-week").fhir.loinc_total.is_none(),
        "LOINC's PCL-5 terms are one-month"
    );
    let phq = ins("phq-9");
    assert_eq!(phq.fhir.loinc_total.as_deref(), Some("44261-6"));
    let item_codes: Vec<_> = phq
        .items
        .iter()
        .map(|i| i.loinc.as_deref().unwrap())
        .collect();
    assert_eq!(
        item_codes,
        [
            "44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3",
            "44260-8", "69722-7"
        ]
    );
    assert_eq!(
        phq.scores[phq.score_index("phq-2").unwrap()]
            .loinc
            .as_deref(),
        Some("55758-7")
    );
    let codes: Vec<_> = phq
        .answers_of(&phq.items[0])
        .options
        .iter()
        .map(|o| o.code.as_str())
        .collect();
    assert_eq!(codes, ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]);
    let gad = ins("gad-7");
    assert_eq!(gad.fhir.loinc_total.as_deref(), Some("70274-6"));
    assert_eq!(gad.items[1].loinc.as_deref(), Some("68509-9"));
    for id in ["pc-ptsd-5", "who-5"] {
        assert!(
            ins(id).fhir.loinc_total.is_none() && ins(id).fhir.note.is_some(),
            "{id}"
        );
    }
}

#[test]
fn licences_and_citations_are_stated_and_pfizer_instruments_carry_the_exact_notice() {
    let pfizer = "Copyright © Pfizer Inc. All rights reserved. Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute.";
    for id in ["phq-9", "gad-7"] {
        assert_eq!(ins(id).licence.copyright.as_deref(), Some(pfizer));
    }
    for i in Catalogue::builtin().iter() {
        assert!(i.licence.item_text_may_be_shipped, "{}", i.id);
        assert!(
            !i.citation.is_empty() && !i.licence.statement.is_empty(),
            "{}",
            i.id
        );
    }
    // Licensed instruments whose text may not be shipped are not bundled.
    for licensed in ["c-ssrs", "sds", "isi"] {
        assert!(Catalogue::builtin().get(licensed).is_none());
    }
}

#[test]
fn no_norwegian_item_text_is_bundled_and_each_file_says_why() {
    for i in Catalogue::builtin().iter() {
        let nb = i
            .translations
            .get("nb")
            .unwrap_or_else(|| panic!("{} says nothing about Norwegian", i.id));
        assert!(!nb.bundled && !nb.note.is_empty(), "{}", i.id);
        assert!(i.items.iter().all(|item| !item.text.has("nb")), "{}", i.id);
    }
}

#[test]
fn every_threshold_cites_a_source_listed_in_its_file() {
    for i in Catalogue::builtin().iter() {
        let cited = i
            .bands
            .iter()
            .map(|b| &b.source)
            .chain(i.cutoffs.iter().map(|c| &c.source))
            .chain(i.patterns.iter().map(|p| &p.source))
            .chain(i.flags.iter().map(|f| &f.source))
            .chain(i.scores.iter().map(|s| &s.source));
        for s in cited {
            assert!(i.source(s).is_some(), "{}: {s}", i.id);
        }
        for s in &i.sources {
            assert!(s.url.starts_with("http"), "{}: {}", i.id, s.id);
        }
    }
}

#[test]
fn subscales_partition_the_total_wherever_they_exist() {
    for i in Catalogue::builtin().iter() {
        let subs: Vec<u64> = i
            .scores
            .iter()
            .filter(|s| s.kind == ScoreKind::Subscale)
            .map(|s| s.items)
            .collect();
        if subs.is_empty() {
            continue;
        }
        assert_eq!(
            subs.iter().fold(0, |a, m| a | m),
            i.total().items,
            "{}",
            i.id
        );
        assert_eq!(
            subs.iter().map(|m| m.count_ones()).sum::<u32>(),
            i.total().items.count_ones()
        );
    }
}

/// A small valid definition to mutate in the tests below.
const MINIMAL: &str = r#"
id = "toy"
version = "1"
name = "Toy"
short_name = "TOY"
url = "https://ferd.health/fhir/Questionnaire/toy"
purpose = "test"
higher_is_worse = true
citation = "c"
title = { en = "Toy" }
recall = { en = "Past week", days = 7 }
licence = { kind = "public-domain", item_text_may_be_shipped = true, statement = "s", source = "S1" }
text.en = { source = "S1", stem = "How much:" }
[[answer_sets]]
id = "a"
options = [ { value = 0, code = "0", label = { en = "No" } }, { value = 1, code = "1", label = { en = "Some" } }, { value = 2, code = "2", label = { en = "Much" } } ]
source = "S1"
[[items]]
key = "1"
answers = "a"
text = { en = "One" }
[[items]]
key = "2"
answers = "a"
text = { en = "Two" }
[[scores]]
id = "total"
kind = "total"
name = { en = "Total" }
items = "1-2"
source = "S1"
[[bands]]
id = "low"
score = "total"
min = 0
max = 1
label = { en = "Low" }
source = "S1"
[[bands]]
id = "high"
score = "total"
min = 2
max = 4
label = { en = "High" }
source = "S1"
[[sources]]
id = "S1"
citation = "A source"
url = "https://example.org"
"#;

fn load(text: &str) -> Result<Catalogue, DefinitionError> {
    Catalogue::load(&[("toy.toml", text)])
}

fn rejected(text: &str) -> String {
    load(text)
        .expect_err("definition should be refused")
        .to_string()
}

#[test]
fn the_minimal_definition_is_accepted() {
    let c = load(MINIMAL).unwrap();
    assert_eq!(c.get("toy").unwrap().total().max, 4);
}

#[test]
fn bands_that_leave_a_gap_overlap_or_stop_short_are_refused() {
    let gap = MINIMAL.replace("min = 2\nmax = 4", "min = 3\nmax = 4");
    assert!(rejected(&gap).contains("starts at 3 but the previous band ends at 1"));
    let overlap = MINIMAL.replace("min = 2\nmax = 4", "min = 1\nmax = 4");
    assert!(rejected(&overlap).contains("bands.high"));
    let short = MINIMAL.replace("min = 2\nmax = 4", "min = 2\nmax = 3");
    assert!(rejected(&short).contains("end at 3 but the score reaches 4"));
}

#[test]
fn a_number_without_a_listed_source_is_refused() {
    let text = MINIMAL.replace(
        "label = { en = \"High\" }\nsource = \"S1\"",
        "label = { en = \"High\" }\nsource = \"S9\"",
    );
    assert!(rejected(&text).contains("cites source 'S9', which is not in [[sources]]"));
}

#[test]
fn references_to_unknown_items_answer_sets_and_scores_are_refused() {
    assert!(
        rejected(&MINIMAL.replace("items = \"1-2\"", "items = \"1-3\""))
            .contains("item '3', which does not exist")
    );
    assert!(
        rejected(&MINIMAL.replacen("answers = \"a\"", "answers = \"b\"", 1))
            .contains("answer set 'b' does not exist")
    );
    assert!(
        rejected(&MINIMAL.replace("score = \"total\"\nmin = 0", "score = \"sum\"\nmin = 0"))
            .contains("score 'sum' does not exist")
    );
}

#[test]
fn subscales_that_do_not_partition_the_total_are_refused() {
    let text = MINIMAL.replace(
        "[[bands]]\nid = \"low\"",
        "[[scores]]\nid = \"s\"\nkind = \"subscale\"\nname = { en = \"S\" }\nitems = \"1\"\nsource = \"S1\"\n[[bands]]\nid = \"low\"",
    );
    assert!(rejected(&text).contains("subscales must partition the total's items"));
}

#[test]
fn non_consecutive_answer_values_duplicate_keys_and_bad_thresholds_are_refused() {
    assert!(
        rejected(&MINIMAL.replace("{ value = 2, code = \"2\"", "{ value = 3, code = \"2\""))
            .contains("consecutive")
    );
    assert!(rejected(&MINIMAL.replace("key = \"2\"", "key = \"1\"")).contains("unique"));
    let cutoff = format!(
        "{MINIMAL}\n[[cutoffs]]\nid = \"c\"\nscore = \"total\"\nat_least = 9\nlabel = {{ en = \"C\" }}\nsource = \"S1\"\n"
    );
    // TOML requires the array of tables to come before [[sources]]' trailing position only syntactically; the
    // threshold 9 lies outside 0–4.
    assert!(rejected(&cutoff).contains("does not split the range 0–4"));
}

#[test]
fn unknown_fields_and_broken_toml_are_refused_with_the_file_name() {
    let unknown = MINIMAL.replace("purpose = \"test\"", "purpose = \"test\"\nscore_bonus = 3");
    assert!(rejected(&unknown).contains("score_bonus"));
    assert!(rejected("id = ").starts_with("instrument file toy.toml:"));
}

#[test]
fn a_change_threshold_without_its_source_is_refused() {
    let text = MINIMAL.replace(
        "[[sources]]",
        "[change]\nscore = \"total\"\nreliable_points = 2\nclinically_meaningful_points = 2\nclinically_meaningful_source = \"S1\"\n[[sources]]",
    );
    assert!(rejected(&text).contains("a number without its source"));
}

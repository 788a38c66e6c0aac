//! The safety screening rules: the bundled data, every rule on its own examples, the tricky medicine matches, the
//! windows and thresholds, and the checks that refuse a broken rule file.

use std::collections::BTreeSet;

use ferd_core::screening::{
    screen, BloodPressure, Day, Detail, EpisodeKind, FamilyCondition, FamilyHistory, Finding,
    HistoryQuestion, IntakeFacts, Medication, PastEpisode, Relative, Remission, RuleSet,
    ScreeningError, Setting, Severity, SubstanceUse, Trigger, UseDisorder, UseSeverity,
    BUILTIN_FILES,
};
use proptest::prelude::*;

fn today() -> Day {
    Day::from_ymd(2026, 5, 1).unwrap()
}

fn rules() -> &'static RuleSet {
    RuleSet::builtin()
}

fn meds(names: &[&str]) -> IntakeFacts {
    let mut facts = IntakeFacts::new(today());
    facts.medications = names.iter().map(|n| Medication::current(*n)).collect();
    facts
}

fn conditions(entries: &[&str]) -> IntakeFacts {
    let mut facts = IntakeFacts::new(today());
    facts.conditions = entries.iter().map(|c| c.to_string()).collect();
    facts
}

fn stopped(name: &str, days_ago: i64) -> IntakeFacts {
    let mut facts = IntakeFacts::new(today());
    facts.medications = vec![Medication {
        name: name.into(),
        stopped: Some(today().plus(-days_ago)),
    }];
    facts
}

fn fired(facts: &IntakeFacts) -> Vec<&'static str> {
    screen(facts).iter().map(Finding::rule_id).collect()
}

// ----------------------------------------------------------------------------------------------------------------
// The bundled data

#[test]
fn the_bundled_screening_files_load_with_rules_of_every_severity() {
    let set = RuleSet::load(BUILTIN_FILES).expect("bundled screening files are valid");
    for severity in Severity::ALL {
        assert!(
            set.rules().iter().any(|r| r.severity == severity),
            "no {severity:?} rule"
        );
    }
    let ids: BTreeSet<&str> = set.rules().iter().map(|r| r.id.as_str()).collect();
    for id in [
        "maoi",
        "maoi-washout",
        "ritonavir-cobicistat",
        "ssri-snri",
        "ssri-snri-recently-tapered",
        "cyp2d6-inhibitor",
        "stimulant",
        "serotonergic-opioid",
        "st-johns-wort",
        "serotonin-precursor",
        "lithium",
        "qt-prolonging",
        "cyp2d6-substrate-after-session",
        "under-18",
        "pregnancy",
        "breastfeeding",
        "psychotic-disorder",
        "bipolar-1",
        "dissociative-identity-disorder",
        "eating-disorder-purging",
        "mdd-psychotic-features",
        "personality-disorder",
        "substance-use-disorder",
        "suicide-risk-imminent",
        "hypertension-uncontrolled",
        "blood-pressure-uncontrolled",
        "arrhythmia",
        "qt-prolongation",
        "liver-disease-symptomatic",
        "hyponatremia-history",
        "hyperthermia-history",
        "heart-disease",
        "hypertension",
        "hepatitis-c",
        "diabetes",
        "hyperthyroidism",
        "glaucoma",
        "family-history-psychosis-bipolar",
        "family-history-psychosis",
        "family-history-bipolar",
        "psychotic-episode",
        "psychotic-episode-substance",
        "manic-episode",
        "manic-episode-substance",
        "hypomanic-episode",
        "hypomanic-episode-substance",
        "psychiatric-history-unknown",
        "unrecognised-medicine",
        "unrecognised-condition",
    ] {
        assert!(ids.contains(id), "the issue asks for a rule '{id}'");
    }
}

/// The test that exists for every rule: each rule's data carries the intakes it must fire on (at least one, which
/// loading enforces) and those it must not; this runs all of them.
#[test]
fn every_rule_fires_on_each_of_its_examples_and_not_on_its_counter_examples() {
    let mut checked = 0;
    for rule in rules().rules() {
        assert!(!rule.examples.is_empty(), "{} has no example", rule.id);
        for example in &rule.examples {
            let facts = example.facts(today());
            let ids = fired(&facts);
            assert!(
                ids.contains(&rule.id.as_str()),
                "{} did not fire on {example:?}; fired: {ids:?}",
                rule.id
            );
            checked += 1;
        }
        for example in &rule.counter_examples {
            let facts = example.facts(today());
            let ids = fired(&facts);
            assert!(
                !ids.contains(&rule.id.as_str()),
                "{} fired on its counter-example {example:?}",
                rule.id
            );
        }
    }
    assert!(checked >= rules().rules().len());
}

#[test]
fn every_rule_cites_a_source_explains_itself_in_both_languages_and_names_its_setting() {
    for rule in rules().rules() {
        assert!(!rule.source.citation.is_empty(), "{}", rule.id);
        for lang in ["en", "nb"] {
            assert!(
                rule.explanation.has(lang) && !rule.explanation.get(lang).is_empty(),
                "{} has no {lang} explanation",
                rule.id
            );
        }
        assert_ne!(
            rule.explanation.get("en"),
            rule.explanation.get("nb"),
            "{}: the Norwegian text is a copy of the English",
            rule.id
        );
        assert!(!rule.effective_for.is_empty(), "{}", rule.id);
        if !rule.verified {
            assert!(
                rule.note.is_some()
                    || rule.source.citation.contains("UNVERIFIED")
                    || rule.source.citation.contains("INFERRED")
                    || rule.source.citation.contains("secondary"),
                "{} is unverified without saying why",
                rule.id
            );
        }
    }
}

#[test]
fn rules_that_mdma_at_marks_unverified_or_inferred_are_unverified_here() {
    for id in [
        "maoi-washout",
        "ssri-snri-recently-tapered",
        "serotonergic-opioid",
        "st-johns-wort",
        "serotonin-precursor",
        "lithium",
        "blood-pressure-uncontrolled",
        "bipolar-2",
        "heart-disease",
    ] {
        assert!(!rules().rule(id).unwrap().verified, "{id}");
    }
    for id in [
        "maoi",
        "ritonavir-cobicistat",
        "psychotic-disorder",
        "pregnancy",
        "under-18",
    ] {
        assert!(rules().rule(id).unwrap().verified, "{id}");
    }
}

#[test]
fn the_trial_criteria_are_marked_as_mapps_and_the_practice_cautions_as_the_clinics() {
    let settings = |id: &str| rules().rule(id).unwrap().effective_for.clone();
    assert_eq!(
        settings("psychotic-disorder"),
        [Setting::Mapp1, Setting::Mapp2]
    );
    assert_eq!(settings("liver-disease-symptomatic"), [Setting::Mapp2]);
    assert_eq!(
        settings("family-history-psychosis-bipolar"),
        [Setting::Clinic]
    );
}

#[test]
fn every_medicine_name_brand_and_code_is_recognised_in_any_case_spacing_and_with_a_dose() {
    for m in rules().medicines() {
        for name in m.names.iter().chain(&m.brands) {
            let mut variants = vec![
                name.clone(),
                name.to_uppercase(),
                name.to_lowercase(),
                format!("  {name}  "),
                name.replace('-', " "),
                name.replace([' ', '-'], ""),
            ];
            // Names of three letters or fewer ("øl", "THC") count only as the whole entry: inside longer text they
            // are too often something else.
            if name.chars().filter(|c| c.is_alphanumeric()).count() > 3 {
                variants.push(format!("  {name}  50 mg "));
                variants.push(format!("{name} 100mg"));
            }
            for v in variants {
                let found: Vec<&str> = rules()
                    .recognise(&v)
                    .iter()
                    .map(|x| x.id.as_str())
                    .collect();
                assert_eq!(found, [m.id.as_str()], "'{v}' should be {}", m.id);
            }
        }
        for code in &m.atc {
            for v in [code.clone(), code.to_lowercase(), format!("{code} 20 mg")] {
                let found: Vec<&str> = rules()
                    .recognise(&v)
                    .iter()
                    .map(|x| x.id.as_str())
                    .collect();
                assert_eq!(found, [m.id.as_str()], "'{v}' should be {}", m.id);
            }
        }
    }
}

#[test]
fn every_interaction_class_has_members_or_an_atc_group_and_a_rule() {
    for (i, class) in rules().classes().iter().enumerate() {
        let members = rules()
            .medicines()
            .iter()
            .filter(|m| m.classes.contains(&i))
            .count();
        assert!(
            members > 0 || !class.atc.is_empty(),
            "{} is empty",
            class.id
        );
        assert!(
            rules()
                .rules()
                .iter()
                .any(|r| r.class == class.id && r.trigger == Trigger::Taking),
            "{}",
            class.id
        );
        assert!(class.name.has("en") && class.name.has("nb"), "{}", class.id);
    }
}

// ----------------------------------------------------------------------------------------------------------------
// Medicine matching: the cases the issue names

fn findings_for(name: &str) -> Vec<(&'static str, Severity, String)> {
    screen(&meds(&[name]))
        .iter()
        .map(|f| {
            (
                f.rule_id(),
                f.severity(),
                f.recognised_as.clone().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn sertraline_is_recognised_in_capitals_with_spaces_and_doses_by_brand_and_by_atc_code() {
    for entry in [
        "SERTRALIN",
        " sertraline 50mg ",
        "sertralin 100mg",
        "Zoloft",
        "Zoloft 50 mg",
        "N06AB06",
        "n06ab06",
    ] {
        assert_eq!(
            findings_for(entry),
            [("ssri-snri", Severity::Caution, "sertraline".to_string())],
            "{entry:?}"
        );
        let f = &screen(&meds(&[entry]))[0];
        assert_eq!(f.matched, entry.trim(), "matched is the entry as given");
    }
}

#[test]
fn moclobemide_by_its_norwegian_name_its_brand_or_its_code_is_an_maoi_exclusion() {
    for entry in ["moklobemid", "MOCLOBEMIDE", "Aurorix 150 mg", "N06AG02"] {
        let f = screen(&meds(&[entry]));
        assert_eq!(f.len(), 1, "{entry}");
        assert_eq!(f[0].rule_id(), "maoi");
        assert_eq!(f[0].severity(), Severity::Exclusion);
        assert_eq!(f[0].class(), "maoi");
        assert!(f[0].verified);
        assert!(f[0].source().citation.contains("Vuori"));
    }
}

#[test]
fn paroxetine_gives_both_the_ssri_finding_and_the_cyp2d6_inhibitor_finding() {
    for entry in ["Seroxat 20 mg", "paroksetin", "paroxetine"] {
        let ids = fired(&meds(&[entry]));
        assert_eq!(
            ids,
            ["cyp2d6-inhibitor", "ssri-snri"],
            "{entry}: sorted by severity"
        );
    }
    assert_eq!(fired(&meds(&["Fontex"])), ["cyp2d6-inhibitor", "ssri-snri"]);
    assert_eq!(fired(&meds(&["Wellbutrin"])), ["cyp2d6-inhibitor"]);
}

#[test]
fn an_unknown_name_gets_an_info_finding_asking_for_a_check_by_hand() {
    let f = screen(&meds(&["Paracet 500 mg"]));
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].rule_id(), "unrecognised-medicine");
    assert_eq!(f[0].severity(), Severity::Info);
    assert_eq!(f[0].matched, "Paracet 500 mg");
    assert!(f[0].explanation("en").contains("by hand"));
    assert!(f[0].explanation("nb").contains("manuelt"));
    let c = screen(&conditions(&["migrene"]));
    assert_eq!(c[0].rule_id(), "unrecognised-condition");
}

#[test]
fn empty_input_gives_no_findings_and_blank_entries_are_skipped() {
    assert!(screen(&IntakeFacts::new(today())).is_empty());
    assert!(screen(&meds(&["", "   "])).is_empty());
    assert!(screen(&conditions(&[" "])).is_empty());
}

#[test]
fn hyphens_spacing_and_norwegian_letters_do_not_matter() {
    for entry in ["Selo-Zok", "Selo Zok", "SELOZOK 50 mg", "selo-zok®"] {
        assert_eq!(findings_for(entry)[0].2, "metoprolol", "{entry}");
    }
    for entry in [
        "høyt blodtrykk",
        "HØYT BLODTRYKK",
        "hoyt blodtrykk",
        "Høyt  blod-trykk",
    ] {
        let hits: Vec<&str> = fired(&conditions(&[entry]));
        assert_eq!(hits, ["hypertension"], "{entry}");
    }
    for entry in [
        "St. John's Wort",
        "St Johns wort",
        "johannesurt",
        "Johannes-urt",
    ] {
        assert_eq!(fired(&meds(&[entry])), ["st-johns-wort"], "{entry}");
    }
}

#[test]
fn escitalopram_is_not_citalopram_and_lisdexamfetamine_is_not_dexamfetamine() {
    assert_eq!(findings_for("escitalopram")[0].2, "escitalopram");
    assert_eq!(findings_for("citalopram")[0].2, "citalopram");
    assert_eq!(findings_for("Elvanse")[0].2, "lisdexamfetamine");
    assert_eq!(rules().recognise("lisdeksamfetamin").len(), 1);
}

#[test]
fn an_atc_group_code_with_no_medicine_of_its_own_falls_to_the_most_specific_class() {
    let f = screen(&meds(&["N06AB"]));
    assert_eq!(f[0].rule_id(), "ssri-snri");
    assert_eq!(f[0].recognised_as.as_deref(), Some("ATC group N06AB"));
    // N05BA99 is no real code, but it lies in N05B (anxiolytics): another psychiatric medicine.
    assert_eq!(fired(&meds(&["N05BA99"])), ["psychiatric-other"]);
    // A whole code that is in no group and names no medicine is unknown.
    assert_eq!(fired(&meds(&["C09AA05"])), ["unrecognised-medicine"]);
}

#[test]
fn two_medicines_in_one_entry_are_both_found() {
    let f = screen(&meds(&["Zoloft + Aurorix"]));
    let ids: Vec<&str> = f.iter().map(Finding::rule_id).collect();
    assert_eq!(ids, ["maoi", "ssri-snri"]);
    assert!(f.iter().all(|x| x.matched == "Zoloft + Aurorix"));
}

#[test]
fn findings_are_sorted_most_serious_first() {
    let mut facts = meds(&["Selo-Zok", "Zoloft", "Aurorix", "Wellbutrin", "xyzzy"]);
    facts.conditions = vec!["diabetes".into()];
    let severities: Vec<Severity> = screen(&facts).iter().map(Finding::severity).collect();
    let mut sorted = severities.clone();
    sorted.sort();
    assert_eq!(severities, sorted);
    assert_eq!(severities.first(), Some(&Severity::Exclusion));
    assert_eq!(severities.last(), Some(&Severity::Info));
}

#[test]
fn a_finding_is_verified_only_when_the_rule_and_the_membership_are() {
    let verified = |name: &str, rule: &str| {
        screen(&meds(&[name]))
            .iter()
            .find(|f| f.rule_id() == rule)
            .unwrap_or_else(|| panic!("{name}: no {rule}"))
            .verified
    };
    assert!(verified("dextromethorphan", "cyp2d6-substrate"));
    assert!(
        !verified("Selo-Zok", "cyp2d6-substrate"),
        "metoprolol's membership is recalled"
    );
    assert!(verified("Cipramil", "ssri-snri"));
    assert!(!verified("Cipramil", "qt-dose-dependent"));
    assert!(!verified("ayahuasca", "maoi"));
    assert!(
        !verified("Nobligan", "serotonergic-opioid"),
        "the rule itself is inferred"
    );
}

// ----------------------------------------------------------------------------------------------------------------
// Stop dates, windows, sessions

#[test]
fn a_stopped_ssri_counts_as_recently_tapered_only_inside_its_window() {
    assert_eq!(fired(&stopped("Zoloft", 0)), ["ssri-snri-recently-tapered"]);
    assert_eq!(
        fired(&stopped("Zoloft", 13)),
        ["ssri-snri-recently-tapered"]
    );
    assert!(fired(&stopped("Zoloft", 14)).is_empty());
    // Fluoxetine lingers: six weeks, for the SSRI and the CYP2D6 findings alike.
    assert_eq!(
        fired(&stopped("Fontex", 41)),
        [
            "cyp2d6-inhibitor-recently-stopped",
            "ssri-snri-recently-tapered"
        ]
    );
    assert!(fired(&stopped("Fontex", 42)).is_empty());
    let f = &screen(&stopped("Zoloft", 10))[0];
    assert_eq!(
        f.detail,
        Some(Detail::Stopped {
            on: today().plus(-10),
            days_ago: 10,
            window_days: 14
        })
    );
    assert!(f.detail.unwrap().text("en").contains("10 days ago"));
    assert!(f.detail.unwrap().text("nb").contains("10 dager siden"));
}

#[test]
fn a_stopped_maoi_stays_an_exclusion_until_two_weeks_have_passed() {
    let ids = fired(&stopped("Nardil", 7));
    assert_eq!(ids, ["maoi-washout"]);
    assert_eq!(
        screen(&stopped("Nardil", 7))[0].severity(),
        Severity::Exclusion
    );
    assert!(fired(&stopped("Nardil", 14)).is_empty());
}

#[test]
fn a_class_without_a_recently_stopped_rule_treats_a_recent_stop_as_still_taken() {
    let f = screen(&stopped("Norvir", 3));
    assert_eq!(f[0].rule_id(), "ritonavir-cobicistat");
    assert!(matches!(
        f[0].detail,
        Some(Detail::Stopped { days_ago: 3, .. })
    ));
    // CYP2D6 substrates matter only while taken.
    assert!(fired(&stopped("Selo-Zok", 1)).is_empty());
}

#[test]
fn a_stop_date_in_the_future_is_a_taper_still_running_and_is_shown() {
    let mut facts = IntakeFacts::new(today());
    let end = today().plus(21);
    facts.medications = vec![Medication {
        name: "Cipralex 10 mg".into(),
        stopped: Some(end),
    }];
    let f = screen(&facts);
    let ssri = f.iter().find(|x| x.rule_id() == "ssri-snri").unwrap();
    assert_eq!(ssri.detail, Some(Detail::TaperEnds { on: end }));
    assert_eq!(ssri.detail.unwrap().text("en"), "taper ends 2026-05-22");
}

#[test]
fn the_cyp2d6_warning_after_a_medicine_session_lasts_ten_days() {
    let after = |days: u32| {
        let mut facts = meds(&["Paralgin forte"]);
        facts.days_since_last_medicine_session = Some(days);
        fired(&facts)
    };
    assert_eq!(
        after(0),
        ["cyp2d6-substrate-after-session", "cyp2d6-substrate"]
    );
    assert_eq!(
        after(10),
        ["cyp2d6-substrate-after-session", "cyp2d6-substrate"]
    );
    assert_eq!(after(11), ["cyp2d6-substrate"]);
}

// ----------------------------------------------------------------------------------------------------------------
// Facts: age, pregnancy, blood pressure, substance use, conditions

#[test]
fn under_18_is_an_exclusion_and_18_is_not() {
    let at = |age: u32| {
        let mut facts = IntakeFacts::new(today());
        facts.age = Some(age);
        screen(&facts)
    };
    let f = at(17);
    assert_eq!(f[0].rule_id(), "under-18");
    assert_eq!(f[0].severity(), Severity::Exclusion);
    assert_eq!(f[0].matched, "age 17");
    assert!(at(18).is_empty());
}

#[test]
fn pregnancy_given_as_a_flag_and_as_a_condition_is_one_finding() {
    let mut facts = conditions(&["gravid"]);
    facts.pregnant = true;
    facts.breastfeeding = true;
    assert_eq!(fired(&facts), ["pregnancy", "breastfeeding"]);
}

#[test]
fn blood_pressure_reports_only_the_highest_limit_reached() {
    let reading = |bp: &str| {
        let mut facts = IntakeFacts::new(today());
        facts.blood_pressure = Some(BloodPressure::parse(bp).unwrap());
        screen(&facts)
            .iter()
            .map(|f| (f.rule_id(), f.severity()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        reading("165/100"),
        [("blood-pressure-uncontrolled", Severity::ClearanceRequired)]
    );
    assert_eq!(
        reading("150/101"),
        [("blood-pressure-uncontrolled", Severity::ClearanceRequired)]
    );
    assert_eq!(
        reading("145/85"),
        [("blood-pressure-raised", Severity::Caution)]
    );
    assert!(reading("139/89").is_empty());
}

#[test]
fn blood_pressure_readings_are_parsed_strictly() {
    assert_eq!(
        BloodPressure::parse(" 135 / 85 mmHg").unwrap(),
        BloodPressure {
            systolic: 135,
            diastolic: 85
        }
    );
    for bad in ["135", "85/135", "135-85", "abc/def", "400/100", ""] {
        assert!(BloodPressure::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_substance_use_disorder_is_graded_as_mapp2_graded_it() {
    use Remission::{Early, None as NotIn, Sustained};
    use UseSeverity::{Mild, Moderate, Severe};
    for (substance, severity, remission, expected) in [
        ("alkohol", Severe, NotIn, "use-disorder-excluded"),
        ("alkohol", Severe, Early, "use-disorder-excluded"),
        ("alkohol", Severe, Sustained, "use-disorder-allowed"),
        ("alkohol", Moderate, NotIn, "use-disorder-excluded"),
        ("alkohol", Moderate, Early, "use-disorder-allowed"),
        ("alkohol", Mild, NotIn, "use-disorder-allowed"),
        ("cannabis", Moderate, NotIn, "use-disorder-excluded"),
        ("cannabis", Mild, NotIn, "use-disorder-allowed"),
        ("kokain", Mild, NotIn, "use-disorder-excluded"),
        ("kokain", Mild, Early, "use-disorder-excluded"),
        ("kokain", Severe, Sustained, "use-disorder-allowed"),
    ] {
        let mut facts = IntakeFacts::new(today());
        facts.substances = vec![SubstanceUse {
            substance: substance.into(),
            last_used: None,
            disorder: Some(UseDisorder {
                severity,
                remission,
            }),
        }];
        let ids = fired(&facts);
        assert!(
            ids.contains(&expected),
            "{substance} {severity:?} {remission:?}: {ids:?}"
        );
    }
}

#[test]
fn substances_are_checked_against_the_interaction_classes_too() {
    let mut facts = IntakeFacts::new(today());
    facts.substances = vec![
        SubstanceUse {
            substance: "ayahuasca".into(),
            last_used: None,
            disorder: None,
        },
        SubstanceUse {
            substance: "kokain".into(),
            last_used: Some(today().plus(-100)),
            disorder: None,
        },
    ];
    assert_eq!(
        fired(&facts),
        ["maoi"],
        "cocaine last used 100 days ago is past its window"
    );
}

#[test]
fn a_longer_condition_wins_over_a_term_inside_it() {
    assert_eq!(
        fired(&conditions(&["psykose i familien"])),
        ["family-history-psychosis-bipolar"]
    );
    assert_eq!(
        fired(&conditions(&["bipolar i familien"])),
        ["family-history-psychosis-bipolar"]
    );
    assert_eq!(
        fired(&conditions(&["uncontrolled hypertension"])),
        ["hypertension-uncontrolled"]
    );
    assert_eq!(
        fired(&conditions(&["psykotisk depresjon"])),
        ["mdd-psychotic-features"]
    );
    assert_eq!(
        fired(&conditions(&["heat stroke"])),
        ["hyperthermia-history"]
    );
    assert_eq!(fired(&conditions(&["bipolar"])), ["bipolar-unspecified"]);
    assert_eq!(fired(&conditions(&["bipolar-1"])), ["bipolar-1"]);
    assert_eq!(fired(&conditions(&["Bipolar II"])), ["bipolar-2"]);
}

/// Swedish clients fill in the same health form: what they write must reach the same rule as the Norwegian or
/// English words for it, and a relative's illness must stay the relative's.
#[test]
fn swedish_condition_entries_fire_the_same_rules_as_norwegian_and_english_ones() {
    // (Swedish entry, the Norwegian or English entry for the same thing, the one rule both must fire)
    let cases = [
        ("Gravid vecka 14", "gravid i uke 14", "pregnancy"),
        ("väntar barn i augusti", "pregnant", "pregnancy"),
        ("Ammar", "ammer", "breastfeeding"),
        ("psykos 2019", "psykose 2019", "psychotic-disorder"),
        (
            "psykotisk sjukdom",
            "psykotisk lidelse",
            "psychotic-disorder",
        ),
        (
            "schizoaffektivt syndrom",
            "schizoaffektiv lidelse",
            "psychotic-disorder",
        ),
        (
            "Bipolär sjukdom typ 1",
            "bipolar lidelse type 1",
            "bipolar-1",
        ),
        ("bipolärt syndrom typ I", "bipolar type I", "bipolar-1"),
        ("maniskt skov 2020", "manisk episode", "bipolar-1"),
        ("mani", "mania", "bipolar-1"),
        ("bipolär typ 2", "bipolar lidelse type 2", "bipolar-2"),
        ("bipolär sjukdom", "bipolar lidelse", "bipolar-unspecified"),
        ("manodepressiv", "manisk depressiv", "bipolar-unspecified"),
        (
            "dissociativ identitetsstörning",
            "dissosiativ identitetsforstyrrelse",
            "dissociative-identity-disorder",
        ),
        (
            "multipel personlighetsstörning",
            "multiple personality disorder",
            "dissociative-identity-disorder",
        ),
        (
            "ätstörning med kräkningar",
            "spiseforstyrrelse med oppkast",
            "eating-disorder-purging",
        ),
        (
            "ätstörning",
            "spiseforstyrrelse",
            "eating-disorder-unspecified",
        ),
        ("anorexi", "anoreksi", "eating-disorder-unspecified"),
        (
            "psykotisk depression",
            "psykotisk depresjon",
            "mdd-psychotic-features",
        ),
        (
            "depression med psykotiska symtom",
            "depresjon med psykotiske symptomer",
            "mdd-psychotic-features",
        ),
        (
            "personlighetsstörning",
            "personlighetsforstyrrelse",
            "personality-disorder",
        ),
        (
            "emotionellt instabilt personlighetssyndrom",
            "emosjonelt ustabil personlighetsforstyrrelse",
            "personality-disorder",
        ),
        (
            "alkoholberoende",
            "alkoholavhengighet",
            "substance-use-disorder",
        ),
        ("missbruk", "rusmisbruk", "substance-use-disorder"),
        (
            "tidigare missbruk",
            "tidligere rusmisbruk",
            "past-substance-use-disorder",
        ),
        (
            "akut självmordsrisk",
            "akutt selvmordsrisiko",
            "suicide-risk-imminent",
        ),
        ("självmordstankar", "selvmordstanker", "suicidal-ideation"),
        (
            "psykos i familjen",
            "psykose i familien",
            "family-history-psychosis-bipolar",
        ),
        (
            "bipolär sjukdom i släkten",
            "bipolar lidelse i familien",
            "family-history-psychosis-bipolar",
        ),
        (
            "mamma med psykos",
            "mor med psykose",
            "family-history-psychosis-bipolar",
        ),
        (
            "mamma med bipolär sjukdom",
            "mor med bipolar lidelse",
            "family-history-psychosis-bipolar",
        ),
        (
            "hjärtsjukdom i släkten",
            "hjertesykdom i familien",
            "family-history-cardiovascular",
        ),
        (
            "depressiv episod",
            "depressiv lidelse",
            "comorbidity-allowed",
        ),
        (
            "sexuellt missbruk som barn",
            "childhood trauma",
            "comorbidity-allowed",
        ),
        ("posttraumatiskt stressyndrom", "PTSD", "ptsd"),
        (
            "okontrollerat högt blodtryck",
            "ukontrollert høyt blodtrykk",
            "hypertension-uncontrolled",
        ),
        ("högt blodtryck", "høyt blodtrykk", "hypertension"),
        ("hypertoni", "hypertensjon", "hypertension"),
        ("förmaksflimmer", "atrieflimmer", "arrhythmia"),
        ("hjärtrytmrubbning", "hjerterytmeforstyrrelse", "arrhythmia"),
        ("långt QT", "lang QT", "qt-prolongation"),
        ("hjärtsjukdom", "hjertesykdom", "heart-disease"),
        ("hjärtinfarkt 2021", "hjerteinfarkt 2021", "heart-disease"),
        ("kärlkramp", "hjertekrampe", "heart-disease"),
        ("stroke", "hjerneslag", "heart-disease"),
        ("levercirros", "levercirrhose", "liver-disease-symptomatic"),
        ("leversjukdom", "leversykdom", "liver-disease-unspecified"),
        ("hepatit C", "hepatitt C", "hepatitis-c"),
        ("lågt natrium", "lavt natrium", "hyponatremia-history"),
        ("värmeslag", "heteslag", "hyperthermia-history"),
        ("diabetes typ 1", "diabetes type 1", "diabetes"),
        ("sockersjuka", "sukkersyke", "diabetes"),
        ("giftstruma", "høyt stoffskifte", "hyperthyroidism"),
        (
            "överaktiv sköldkörtel",
            "overactive thyroid",
            "hyperthyroidism",
        ),
        ("grön starr", "grønn stær", "glaucoma"),
        (
            "långsam metaboliserare",
            "langsom omsetter",
            "cyp2d6-poor-metabolizer",
        ),
    ];
    for (swedish, other, rule) in cases {
        assert_eq!(fired(&conditions(&[swedish])), [rule], "{swedish}");
        assert_eq!(fired(&conditions(&[other])), [rule], "{other}");
    }
    // A relative's psychosis or bipolar disorder is not the person's own: the family phrase is the longer term, so
    // the person's own rule stays silent.
    for family in [
        "psykos i familjen",
        "psykos i släkten",
        "pappa med psykos",
        "schizofreni i släkten",
        "mamma med bipolär sjukdom",
        "bipolär i släkten",
        "hereditet för bipolär sjukdom",
    ] {
        let ids = fired(&conditions(&[family]));
        assert_eq!(ids, ["family-history-psychosis-bipolar"], "{family}");
    }
    // … while the same illness written alone is the person's own.
    assert_eq!(fired(&conditions(&["psykos"])), ["psychotic-disorder"]);
    assert_eq!(
        fired(&conditions(&["bipolär sjukdom"])),
        ["bipolar-unspecified"]
    );
    assert_eq!(
        fired(&conditions(&["stroke i familjen"])),
        ["family-history-cardiovascular"]
    );
}

#[test]
fn findings_carry_the_rule_text_in_both_languages_and_serialise_with_the_agreed_fields() {
    let f = &screen(&meds(&["Aurorix 150 mg"]))[0];
    assert_ne!(f.explanation("en"), f.explanation("nb"));
    assert_eq!(f.class_name("nb"), Some("MAO-hemmere"));
    let json = f.to_json("en");
    for key in [
        "rule",
        "severity",
        "matched",
        "class",
        "source",
        "explanation",
        "verified",
    ] {
        assert!(json.get(key).is_some(), "{key} missing: {json}");
    }
    assert_eq!(json["severity"], "exclusion");
    assert_eq!(json["matched"], "Aurorix 150 mg");
    assert_eq!(json["recognised_as"], "moclobemide");
    assert!(json["membership_source"]
        .as_str()
        .unwrap()
        .contains("Vuori"));
    let paroxetine = screen(&meds(&["Seroxat"]));
    assert!(paroxetine[0].to_json("en")["membership_source"]
        .as_str()
        .unwrap()
        .contains("FDA"));
    assert_eq!(
        json["effective_for"],
        serde_json::json!(["MAPP2", "clinic"])
    );
    let clearance = screen(&meds(&["Wellbutrin"]));
    assert_eq!(clearance[0].to_json("nb")["severity"], "clearance-required");
}

proptest! {
    #[test]
    fn any_text_screens_without_panicking(name in "\\PC{0,40}", condition in "\\PC{0,40}") {
        let mut facts = meds(&[&name]);
        facts.conditions = vec![condition];
        let _ = screen(&facts);
    }
}

// ----------------------------------------------------------------------------------------------------------------
// Refusing broken files

const MINIMAL: &str = r#"
identification_source = "s"

[[classes]]
id = "maoi"
name = { en = "MAOIs", nb = "MAO-hemmere" }
recent_days = 14
recent_source = "s"

[[medicines]]
id = "moclobemide"
names = ["moclobemide"]
brands = ["Aurorix"]
atc = ["N06AG02"]
classes = ["maoi"]
verified = true
source = "s"

[[rules]]
id = "maoi"
severity = "exclusion"
class = "maoi"
trigger = "taking"
explanation = { en = "Dangerous.", nb = "Farlig." }
source = "s"
verified = true
effective_for = ["clinic"]
examples = [{ medications = ["Aurorix"] }]

[[rules]]
id = "unrecognised-medicine"
severity = "info"
class = "unrecognised"
trigger = "unrecognised-medicine"
explanation = { en = "Unknown.", nb = "Ukjent." }
source = "s"
verified = true
effective_for = ["clinic"]
examples = [{ medications = ["xyzzy"] }]

[[rules]]
id = "unrecognised-condition"
severity = "info"
class = "unrecognised"
trigger = "unrecognised-condition"
explanation = { en = "Unknown.", nb = "Ukjent." }
source = "s"
verified = true
effective_for = ["clinic"]
examples = [{ conditions = ["xyzzy"] }]

[[sources]]
id = "s"
citation = "A source."
"#;

fn load(text: &str) -> Result<RuleSet, ScreeningError> {
    RuleSet::load(&[("test.toml", text)])
}

fn rejected(text: &str) -> ScreeningError {
    load(text).expect_err("should be refused")
}

// ----------------------------------------------------------------------------------------------------------------
// The health form's psychiatric history (issue 9): family history in first-degree relatives, own episodes

fn history(family: &[&str], episodes: &[&str], unknown: &[HistoryQuestion]) -> IntakeFacts {
    let mut facts = IntakeFacts::new(today());
    facts.family_history = family
        .iter()
        .map(|t| FamilyHistory::parse(t).unwrap())
        .collect();
    facts.episodes = episodes
        .iter()
        .map(|t| PastEpisode::parse(t).unwrap())
        .collect();
    facts.unknown_history = unknown.to_vec();
    facts
}

#[test]
fn bipolar_disorder_in_a_parent_and_psychosis_in_a_sibling_are_two_findings_that_need_a_clinicians_clearance_citing_the_trial_protocols(
) {
    let facts = history(&["parent:bipolar", "sibling:psychosis"], &[], &[]);
    let findings = screen(&facts);
    let got: Vec<(&str, &str, Severity)> = findings
        .iter()
        .map(|f| (f.rule_id(), f.matched.as_str(), f.severity()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "family-history-bipolar",
                "parent:bipolar",
                Severity::ClearanceRequired
            ),
            (
                "family-history-psychosis",
                "sibling:psychosis",
                Severity::ClearanceRequired
            ),
        ]
    );
    for f in &findings {
        // The issue: "it is an exclusion criterion in many psychedelic trial protocols; say which".
        for protocol in ["NCT02243813", "MDLSD", "Trials 22:302"] {
            assert!(
                f.source().citation.contains(protocol),
                "{}: {protocol}",
                f.rule_id()
            );
        }
        assert!(f.explanation("en").contains("NCT02243813"));
        assert!(f.explanation("nb").contains("NCT02243813"));
        assert!(f.rule().effective_for == [Setting::Clinic]);
    }
    assert_eq!(
        findings[0].detail.map(|d| d.text("nb")).as_deref(),
        Some("en forelder har hatt bipolar lidelse")
    );
    assert_eq!(
        findings[1].detail.map(|d| d.text("en")).as_deref(),
        Some("a brother or sister has had psychosis or another psychotic disorder")
    );
}

#[test]
fn the_same_relative_and_illness_given_twice_is_one_finding_and_a_child_counts_as_first_degree() {
    let facts = history(
        &["child:bipolar", "daughter:bipolar", "sønn:psykose"],
        &[],
        &[],
    );
    assert_eq!(
        fired(&facts),
        ["family-history-bipolar", "family-history-psychosis"]
    );
}

#[test]
fn an_own_psychotic_or_manic_episode_is_an_exclusion_unless_it_came_only_with_a_substance() {
    // MAPP1 excluded primary psychotic disorder and bipolar I (mdma-at.md §2); one manic episode is bipolar I in
    // DSM-5. Episodes that came only with a substance need a psychiatrist's view instead.
    let cases = [
        ("psychosis", "psychotic-episode", Severity::Exclusion),
        (
            "psychosis:substance",
            "psychotic-episode-substance",
            Severity::ClearanceRequired,
        ),
        ("mania", "manic-episode", Severity::Exclusion),
        (
            "mania:substance",
            "manic-episode-substance",
            Severity::ClearanceRequired,
        ),
        (
            "hypomania",
            "hypomanic-episode",
            Severity::ClearanceRequired,
        ),
        (
            "hypomania:substance",
            "hypomanic-episode-substance",
            Severity::Caution,
        ),
    ];
    for (episode, rule, severity) in cases {
        let findings = screen(&history(&[], &[episode], &[]));
        assert_eq!(findings.len(), 1, "{episode}");
        assert_eq!(findings[0].rule_id(), rule, "{episode}");
        assert_eq!(findings[0].severity(), severity, "{episode}");
        assert_eq!(findings[0].matched, episode);
    }
    let f = &screen(&history(&[], &["psychosis:substance"], &[]))[0];
    assert!(
        !f.verified,
        "the substance-induced psychosis rule is inferred"
    );
    assert!(f.detail.unwrap().text("en").contains("only with alcohol"));
}

#[test]
fn an_answer_of_i_dont_know_is_reported_for_each_question_so_it_is_asked_in_the_interview() {
    let facts = history(&[], &[], &[HistoryQuestion::Family, HistoryQuestion::Mania]);
    let findings = screen(&facts);
    assert_eq!(
        findings
            .iter()
            .map(|f| (f.rule_id(), f.severity(), f.matched.as_str()))
            .collect::<Vec<_>>(),
        [
            (
                "psychiatric-history-unknown",
                Severity::Info,
                "unknown:family"
            ),
            (
                "psychiatric-history-unknown",
                Severity::Info,
                "unknown:mania"
            ),
        ]
    );
    assert_eq!(
        findings[0].detail.map(|d| d.text("nb")).as_deref(),
        Some("vet ikke: psykose eller bipolar lidelse hos foreldre, søsken eller barn")
    );
}

#[test]
fn family_and_episode_entries_are_read_in_english_and_norwegian_and_anything_else_is_refused_naming_the_text(
) {
    assert_eq!(
        FamilyHistory::parse(" Mor : Bipolar lidelse ").unwrap(),
        FamilyHistory {
            relative: Relative::Parent,
            condition: FamilyCondition::Bipolar
        }
    );
    assert_eq!(
        FamilyHistory::parse("søster:schizofreni")
            .unwrap()
            .condition,
        FamilyCondition::Psychosis
    );
    assert_eq!(
        PastEpisode::parse("mani:rus").unwrap(),
        PastEpisode {
            kind: EpisodeKind::Mania,
            substance_induced: true
        }
    );
    for bad in ["cousin:psychosis", "parent:depression", "parent", ""] {
        let e = FamilyHistory::parse(bad).unwrap_err();
        assert!(e.to_string().contains(&format!("'{bad}'")), "{e}");
    }
    for bad in ["panic", "mania:stress", "psychosis:"] {
        assert!(PastEpisode::parse(bad).is_err(), "{bad}");
    }
    assert!(HistoryQuestion::parse("cousins").is_err());
    for e in ["psychosis", "mania:substance", "hypomania"] {
        assert_eq!(PastEpisode::parse(e).unwrap().to_string(), e);
    }
}

/// A rule set with history rules must answer every answer the form can give: here the file covers everything but
/// substance-induced hypomania.
#[test]
fn a_rule_set_that_leaves_a_history_answer_without_a_rule_is_refused_naming_the_missing_one() {
    let mut text = MINIMAL.to_string();
    let rule = |id: &str, trigger: &str, extra: &str, example: &str| {
        format!(
            "\n[[rules]]\nid = \"{id}\"\nseverity = \"info\"\nclass = \"psychiatric\"\ntrigger = \"{trigger}\"\n{extra}explanation = {{ en = \"E.\", nb = \"N.\" }}\nsource = \"s\"\nverified = true\neffective_for = [\"clinic\"]\nexamples = [{example}]\n"
        )
    };
    let mut rules = String::new();
    rules += &rule(
        "fp",
        "family-history",
        "family_condition = \"psychosis\"\n",
        "{ family = [\"parent:psychosis\"] }",
    );
    rules += &rule(
        "fb",
        "family-history",
        "family_condition = \"bipolar\"\n",
        "{ family = [\"parent:bipolar\"] }",
    );
    for (kind, substance) in [
        ("psychosis", false),
        ("psychosis", true),
        ("mania", false),
        ("mania", true),
        ("hypomania", false),
    ] {
        let tag = if substance { ":substance" } else { "" };
        rules += &rule(
            &format!("e-{kind}{}", if substance { "-s" } else { "" }),
            "episode",
            &format!("episode = \"{kind}\"\nsubstance_induced = {substance}\n"),
            &format!("{{ episodes = [\"{kind}{tag}\"] }}"),
        );
    }
    rules += &rule("u", "history-unknown", "", "{ unknown = [\"family\"] }");
    text = text.replacen("[[sources]]", &format!("{rules}\n[[sources]]"), 1);
    let e = rejected(&text);
    assert_eq!(e.field, "rules");
    assert!(
        e.message
            .contains("episode = \"hypomania\" and substance_induced = true"),
        "{e}"
    );
    // With the missing rule added, the same file loads, and a second rule for an answer is refused.
    let complete = text.replacen(
        "[[sources]]",
        &format!(
            "{}\n[[sources]]",
            rule(
                "e-hypo-s",
                "episode",
                "episode = \"hypomania\"\nsubstance_induced = true\n",
                "{ episodes = [\"hypomania:substance\"] }"
            )
        ),
        1,
    );
    let set = load(&complete).expect("complete history rules load");
    assert_eq!(
        set.screen(&history(&["sibling:bipolar"], &[], &[]))[0].rule_id(),
        "fb"
    );
    let twice = complete.replacen(
        "[[sources]]",
        &format!(
            "{}\n[[sources]]",
            rule(
                "fb2",
                "family-history",
                "family_condition = \"bipolar\"\n",
                "{ family = [\"child:bipolar\"] }"
            )
        ),
        1,
    );
    let e = rejected(&twice);
    assert_eq!(e.field, "rules.fb2.trigger");
    // A history field on a rule of another trigger, and a bad example entry, are refused by name.
    let stray = MINIMAL.replacen(
        "trigger = \"taking\"\n",
        "trigger = \"taking\"\nepisode = \"mania\"\n",
        1,
    );
    assert_eq!(rejected(&stray).field, "rules.maoi.episode");
    let bad_example = complete.replacen(
        "{ family = [\"parent:bipolar\"] }",
        "{ family = [\"cousin:bipolar\"] }",
        1,
    );
    let e = rejected(&bad_example);
    assert_eq!(e.field, "rules.fb.examples.family");
    assert!(e.message.contains("'cousin:bipolar'"), "{e}");
}

#[test]
fn the_minimal_rule_file_is_accepted() {
    let set = load(MINIMAL).unwrap();
    assert_eq!(set.rules().len(), 3);
    assert_eq!(set.screen(&meds(&["Aurorix"]))[0].rule_id(), "maoi");
}

#[test]
fn a_rule_or_medicine_whose_source_is_not_listed_is_refused_naming_the_field() {
    let e = rejected(&MINIMAL.replacen(
        "source = \"s\"\nverified = true\neffective_for",
        "source = \"nope\"\nverified = true\neffective_for",
        1,
    ));
    assert_eq!(e.field, "rules.maoi.source");
    assert!(e.message.contains("'nope'"), "{e}");
    let e = rejected(&MINIMAL.replacen(
        "verified = true\nsource = \"s\"",
        "verified = true\nsource = \"x\"",
        1,
    ));
    assert_eq!(e.field, "medicines.moclobemide.source");
    assert!(
        e.to_string().starts_with("screening file test.toml: "),
        "{e}"
    );
}

#[test]
fn an_explanation_without_norwegian_is_refused() {
    let e = rejected(&MINIMAL.replacen(
        "explanation = { en = \"Dangerous.\", nb = \"Farlig.\" }",
        "explanation = { en = \"Dangerous.\" }",
        1,
    ));
    assert_eq!(e.field, "rules.maoi.explanation");
    assert!(e.message.contains("'nb'"));
}

#[test]
fn a_name_shared_by_two_medicines_or_a_code_used_twice_is_refused() {
    let second = "\n[[medicines]]\nid = \"other\"\nnames = [\"AURORIX\"]\nclasses = [\"maoi\"]\nverified = true\nsource = \"s\"\n";
    let e = rejected(&format!("{MINIMAL}{second}"));
    assert_eq!(e.field, "medicines.other.names");
    assert!(e.message.contains("moclobemide"), "{e}");
    let code = "\n[[medicines]]\nid = \"other\"\nnames = [\"other\"]\natc = [\"n06ag02\"]\nclasses = [\"maoi\"]\nverified = true\nsource = \"s\"\n";
    assert_eq!(
        rejected(&format!("{MINIMAL}{code}")).field,
        "medicines.other.atc"
    );
}

#[test]
fn a_class_without_a_taking_rule_and_a_rule_without_an_example_are_refused() {
    let class = "\n[[classes]]\nid = \"lonely\"\nname = { en = \"L\", nb = \"L\" }\nrecent_days = 0\nrecent_source = \"s\"\n";
    let e = rejected(&format!("{MINIMAL}{class}"));
    assert_eq!(e.field, "classes.lonely");
    let e = rejected(&MINIMAL.replacen("examples = [{ medications = [\"Aurorix\"] }]", "", 1));
    assert_eq!(e.field, "rules.maoi.examples");
}

#[test]
fn a_term_claimed_by_two_condition_rules_is_refused() {
    let rule = |id: &str| {
        format!(
            "\n[[rules]]\nid = \"{id}\"\nseverity = \"caution\"\nclass = \"x\"\ntrigger = \"condition\"\nterms = [\"High blood-pressure\"]\nexplanation = {{ en = \"a\", nb = \"b\" }}\nsource = \"s\"\nverified = true\neffective_for = [\"clinic\"]\nexamples = [{{ conditions = [\"high blood pressure\"] }}]\n"
        )
    };
    let e = rejected(&format!("{MINIMAL}{}{}", rule("one"), rule("two")));
    assert_eq!(e.field, "rules.two.terms");
    assert!(e.message.contains("one"), "{e}");
}

#[test]
fn a_file_without_the_rules_for_unrecognised_entries_is_refused() {
    let e = rejected(&MINIMAL.replacen(
        "trigger = \"unrecognised-condition\"",
        "trigger = \"unrecognised-medicine\"",
        1,
    ));
    assert_eq!(e.field, "rules");
    assert!(e.message.contains("silently"), "{e}");
}

#[test]
fn parameters_that_do_not_belong_to_the_trigger_and_unknown_fields_are_refused() {
    let e = rejected(&MINIMAL.replacen(
        "trigger = \"taking\"",
        "trigger = \"taking\"\nwithin_days = 10",
        1,
    ));
    assert_eq!(e.field, "rules.maoi.within_days");
    let e = rejected(&MINIMAL.replacen(
        "trigger = \"taking\"",
        "trigger = \"taking\"\nseverety = \"info\"",
        1,
    ));
    assert!(e.message.contains("severety"), "{e}");
    let e = rejected(&MINIMAL.replacen("severity = \"exclusion\"", "severity = \"stop\"", 1));
    assert!(e.message.contains("stop"), "{e}");
    let e = rejected(&MINIMAL.replacen(
        "effective_for = [\"clinic\"]",
        "effective_for = [\"MAPP3\"]",
        1,
    ));
    assert!(e.message.contains("MAPP3"), "{e}");
}

#[test]
fn norwegian_generic_product_names_keep_the_x_and_are_recognised() {
    for (entry, medicine) in [
        ("Fluoxetin Sandoz 20 mg", "fluoxetine"),
        ("Venlafaxin Krka 75 mg", "venlafaxine"),
        ("Paroxetin Mylan", "paroxetine"),
        ("Moclobemid", "moclobemide"),
    ] {
        assert_eq!(findings_for(entry).last().unwrap().2, medicine, "{entry}");
    }
}

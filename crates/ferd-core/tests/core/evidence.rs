//! The bundled evidence: valid and retracted studies, and numbers that agree with each other.

use ferd_core::evidence::{Evidence, Status, BUILTIN_FILES};
use ferd_core::stats::effect::{cohens_d, Group};

#[test]
fn the_bundled_evidence_loads_and_retracted_results_are_never_benchmarks() {
    let e = Evidence::load(BUILTIN_FILES).expect("bundled evidence is valid");
    assert_eq!(e.studies().len(), 5);
    let benchmarks: Vec<&str> = e.benchmarks().map(|s| s.id.as_str()).collect();
    assert_eq!(benchmarks, ["mapp1", "mapp2", "amoroso-2016-vs-pe"]);
    for id in ["mithoefer-2019-pooled", "jerome-2020-followup"] {
        let s = e.get(id).unwrap();
        assert_eq!(s.status, Status::Retracted);
        assert_eq!(s.retracted_on.as_deref(), Some("2024-08-10"));
        assert!(!benchmarks.contains(&id));
    }
}

// MAPP1 (Mitchell 2021): CAPS-5 change −24.4 (SD 11.6, n 42) vs −13.9 (SD 11.5, n 37). Hand-computed: pooled SD
// √((41·134.56 + 36·132.25)/77) = 11.5532; d = −10.5/11.5532 = −0.909, the published 0.91 in magnitude.
#[test]
fn mapp1s_published_effect_size_follows_from_its_arm_summaries() {
    let s = Evidence::builtin().get("mapp1").unwrap();
    let arm = |id: &str| s.arms.iter().find(|a| a.id == id).unwrap();
    let group = |id: &str| {
        let a = arm(id);
        Group {
            mean: a.change_mean.unwrap(),
            sd: a.change_sd.unwrap(),
            n: f64::from(a.n_analysed.unwrap()),
        }
    };
    let d = cohens_d(group("mdma"), group("placebo")).unwrap();
    assert!((d.estimate - -0.9088).abs() < 5e-4, "{}", d.estimate);
    assert_eq!(s.between_group_d, Some(0.91));
    assert!((d.estimate.abs() - 0.91).abs() < 0.005);
}

#[test]
fn both_arms_of_the_phase_3_trials_are_kept_because_the_control_arm_improved_too() {
    for id in ["mapp1", "mapp2"] {
        let s = Evidence::builtin().get(id).unwrap();
        let placebo = s.arms.iter().find(|a| a.id == "placebo").unwrap();
        assert!(
            placebo.change_mean.unwrap() < -10.0,
            "{id}: the placebo-with-therapy arm improved substantially"
        );
        assert!(s.clinician_rated);
    }
    let mapp2 = Evidence::builtin().get("mapp2").unwrap();
    let dropout: Vec<f64> = mapp2.arms.iter().map(|a| a.dropout.unwrap()).collect();
    // 1/53 = 1.9 % and 9/51 = 17.6 % (ClinicalTrials.gov: 52/53 and 42/51 completed).
    assert!((dropout[0] - 1.0 / 53.0).abs() < 0.001 && (dropout[1] - 9.0 / 51.0).abs() < 0.001);
}

#[test]
fn malformed_evidence_is_refused() {
    let retracted_without_reason = r#"
id = "x"
short_name = "X"
title = "T"
citation = "C"
year = 2020
status = "retracted"
design = "D"
outcome = "O"
clinician_rated = true
source = "S1"
[[arms]]
id = "a"
label = "A"
[[sources]]
id = "S1"
citation = "C"
url = "https://example.org"
"#;
    let e = Evidence::load(&[("x.toml", retracted_without_reason)]).unwrap_err();
    assert!(e
        .to_string()
        .contains("a retracted study needs retracted_on and retraction_reason"));
    let bad_share = retracted_without_reason
        .replace("status = \"retracted\"", "status = \"valid\"")
        .replace("label = \"A\"", "label = \"A\"\nremission = 46.2");
    assert!(Evidence::load(&[("x.toml", &bad_share)])
        .unwrap_err()
        .to_string()
        .contains("remission is a proportion"));
}

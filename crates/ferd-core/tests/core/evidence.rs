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

#[test]
fn the_prolonged_exposure_comparison_has_approximate_intervals_that_show_how_imprecise_32_people_are(
) {
    use ferd_core::evidence::prolonged_exposure_comparison;
    // Hand-computed with V = (n1+n2)/(n1·n2) + g²/(2(n1+n2)) (Borenstein 2009, eq. 4.20) and z = 1.959964:
    // MDMA-AP (20 vs 12): g 1.17 → (0.399053, 1.940947), self-report 0.87 → (0.123257, 1.616743);
    // prolonged exposure (675, taken as 337.5 vs 337.5): 1.08 → (0.918497, 1.241503), 0.77 → (0.613631, 0.926369).
    let rows = prolonged_exposure_comparison();
    let expect = [
        ("clinician", 1.17, 0.399053, 1.940947),
        ("clinician", 1.08, 0.918497, 1.241503),
        ("self-report", 0.87, 0.123257, 1.616743),
        ("self-report", 0.77, 0.613631, 0.926369),
    ];
    assert_eq!(rows.len(), 4);
    for (row, (rating, g, lo, hi)) in rows.iter().zip(expect) {
        assert_eq!(row.rating, rating);
        assert_eq!(row.estimate, g);
        assert!(
            (row.ci_low - lo).abs() < 1e-5 && (row.ci_high - hi).abs() < 1e-5,
            "{row:?}"
        );
        assert!(row.approximate);
    }
}

#[test]
fn the_phase3_effects_reproduce_mapp1_from_its_arms_and_bound_mapp2_s_published_d() {
    use ferd_core::evidence::phase3_effects;
    let rows = phase3_effects();
    assert_eq!(rows.len(), 2, "{rows:?}");
    // MAPP1 (§4.1): −24.4 (SD 11.6, n 42) vs −13.9 (SD 11.5, n 37): pooled SD 11.553, d = 10.5/11.553 = 0.9088
    // (the paper's 0.91), CI (0.444749, 1.372905).
    let m1 = rows.iter().find(|r| r.study == "mapp1").unwrap();
    assert!((m1.estimate - 0.908827).abs() < 1e-6 && !m1.approximate);
    assert!((m1.ci_low - 0.444749).abs() < 1e-5 && (m1.ci_high - 1.372905).abs() < 1e-5);
    // MAPP2: the published d 0.7 with completers 52 vs 42 → (0.281252, 1.118748), marked approximate.
    let m2 = rows.iter().find(|r| r.study == "mapp2").unwrap();
    assert!(m2.approximate && m2.estimate == 0.7);
    assert!((m2.ci_low - 0.281252).abs() < 1e-5 && (m2.ci_high - 1.118748).abs() < 1e-5);
}

//! The real `ferd` binary, run as a user or another tool would run it.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

const P3: &str = "3,3,4,2,3,4,3,1,3,4,3,2,3,2,2,1,4,3,2,4";

fn ferd(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ferd"))
        .args(args)
        .output()
        .expect("run ferd")
}

fn ferd_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ferd"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ferd");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn ok_json(args: &[&str]) -> Value {
    let out = ferd(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// Asserts exit code 2, one line `error: …` on stderr containing `want`, nothing on stdout, and no panic.
fn fails_with(out: Output, want: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert!(
        stderr.starts_with("error: ") && stderr.contains(want),
        "\n got: {stderr}want: {want}"
    );
}

#[test]
fn instruments_lists_every_id_with_name_item_count_and_licence() {
    let list = ok_json(&["instruments", "--format", "json"]);
    let rows: Vec<(String, u64, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().into(),
                r["items"].as_u64().unwrap(),
                r["licence"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        rows.iter().map(|r| (r.0.as_str(), r.1)).collect::<Vec<_>>(),
        [
            ("pcl-5", 20),
            ("pcl-5-week", 20),
            ("pc-ptsd-5", 6),
            ("phq-9", 10),
            ("gad-7", 7),
            ("who-5", 5)
        ]
    );
    assert_eq!(rows[3].2, "free-to-reproduce");
    let text = String::from_utf8(ferd(&["instruments"]).stdout).unwrap();
    assert!(
        text.contains("pcl-5 ")
            && text.contains("PTSD Checklist for DSM-5")
            && text.contains("public-domain")
    );
}

#[test]
fn instrument_show_prints_the_definition_and_its_fhir_questionnaire() {
    let out = ferd(&["instrument", "show", "phq-9"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text
        .contains("Thoughts that you would be better off dead or of hurting yourself in some way"));
    assert!(text.contains("Safety flag suicidal-ideation"));
    assert!(text.contains("10–14: Moderate"));
    let q = ok_json(&["instrument", "show", "pcl-5", "--fhir"]);
    assert_eq!(q["resourceType"], "Questionnaire");
    assert_eq!(q["code"][0]["code"], "101697-1");
    let def = ok_json(&["instrument", "show", "gad-7", "--format", "json"]);
    assert_eq!(def["items"].as_array().unwrap().len(), 7);
    assert_eq!(def["bands"][3]["id"], "severe");
}

#[test]
fn score_json_for_the_pcl5_reports_total_clusters_pattern_and_cutoff_separately() {
    let s = ok_json(&["score", "pcl-5", "--answers", P3, "--format", "json"]);
    assert_eq!(s["instrument"], "pcl-5");
    assert_eq!(s["total"], 56);
    assert_eq!(s["subscales"], json!({ "B": 15, "C": 7, "D": 18, "E": 16 }));
    assert_eq!(s["provisional_diagnosis"], true);
    assert_eq!(s["cutoff_met"], true);
    assert_eq!(s["flags"], json!([]));
    assert!(s.get("severity").is_none(), "the PCL-5 defines no bands");
    // P4 (instruments.md §15.1): over the cut-off without the DSM-5 pattern.
    let p4 = ok_json(&[
        "score",
        "pcl-5",
        "--answers",
        "2,2,2,2,2,0,0,2,2,2,2,2,2,2,2,2,2,2,2,2",
        "--format",
        "json",
    ]);
    assert_eq!(
        (
            p4["total"].as_i64(),
            p4["provisional_diagnosis"].as_bool(),
            p4["cutoff_met"].as_bool()
        ),
        (Some(36), Some(false), Some(true))
    );
}

#[test]
fn score_json_uses_the_documented_severity_ids_and_flags() {
    for (id, answers, severity) in [
        ("phq-9", "0,0,0,0,0,0,0,0,0", "minimal"),
        ("phq-9", "1,1,1,1,1,0,0,0,0", "mild"),
        ("phq-9", "2,2,1,2,1,1,1,0,0", "moderate"),
        ("phq-9", "2,2,2,2,2,2,2,1,0", "moderately-severe"),
        ("phq-9", "3,3,3,3,2,3,2,1,1", "severe"),
        ("gad-7", "0,1,0,1,0,1,0", "minimal"),
        ("gad-7", "1,1,1,1,0,0,1", "mild"),
        ("gad-7", "2,2,2,2,2,0,0", "moderate"),
        ("gad-7", "3,3,3,2,2,3,2", "severe"),
    ] {
        let s = ok_json(&["score", id, "--answers", answers, "--format", "json"]);
        assert_eq!(s["severity"], severity, "{id} {answers}");
    }
    let e3 = ok_json(&[
        "score",
        "phq-9",
        "--answers",
        "3,3,3,3,2,3,2,1,1",
        "--format",
        "json",
    ]);
    assert_eq!(e3["flags"], json!(["suicidal-ideation"]));
    assert_eq!(e3["derived_scores"]["phq-2"], 6);
    assert_eq!(e3["cutoff_met"], true);
}

#[test]
fn change_json_reports_difference_index_reliability_meaning_and_class() {
    let c = ok_json(&[
        "change",
        "pcl-5",
        "--from",
        P3,
        "--to",
        "2,2,2,2,2,1,1,1,2,2,2,2,2,2,2,1,2,2,2,2",
        "--format",
        "json",
    ]);
    assert_eq!(c["difference"], -20);
    assert!((c["reliable_change_index"].as_f64().unwrap() - -2.851).abs() < 0.001);
    assert_eq!(c["reliable"], true);
    assert_eq!(c["clinically_meaningful"], true);
    assert_eq!(c["classification"], "improved");
    assert!(c["rule"]
        .as_str()
        .unwrap()
        .contains("not in the functional range"));
    let text = String::from_utf8(
        ferd(&[
            "change",
            "gad-7",
            "--from",
            "3,3,3,2,2,3,2",
            "--to",
            "1,1,1,1,0,0,1",
        ])
        .stdout,
    )
    .unwrap();
    assert!(text.contains("Classification: recovered"), "{text}");
}

#[test]
fn score_reads_a_fhir_questionnaire_response_from_a_file_or_stdin() {
    let qr = json!({
        "resourceType": "QuestionnaireResponse", "id": "r1", "status": "completed",
        "questionnaire": "https://ferd.health/fhir/Questionnaire/gad-7",
        "subject": { "reference": "Patient/p1" }, "authored": "2026-03-01T09:00:00Z",
        "item": (1..=7).map(|k| json!({ "linkId": format!("gad-7-{k}"), "answer": [{ "valueInteger": 2 }] })).collect::<Vec<_>>(),
    });
    let path = std::env::temp_dir().join(format!("ferd-cli-qr-{}.json", std::process::id()));
    std::fs::write(&path, qr.to_string()).unwrap();
    let s = ok_json(&[
        "score",
        "--fhir",
        path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(
        (
            s["instrument"].as_str(),
            s["total"].as_i64(),
            s["severity"].as_str()
        ),
        (Some("gad-7"), Some(14), Some("moderate"))
    );
    let out = ferd_stdin(
        &["score", "gad-7", "--fhir", "-", "--format", "json"],
        &qr.to_string(),
    );
    assert!(out.status.success());
    // The wrong instrument named on the command line.
    fails_with(
        ferd(&["score", "phq-9", "--fhir", path.to_str().unwrap()]),
        "QuestionnaireResponse.questionnaire is gad-7, not phq-9",
    );
    let _ = std::fs::remove_file(path);
}

#[test]
fn observations_come_as_a_collection_bundle_whose_references_resolve() {
    // From answers: the response is generated and included in the Bundle.
    let b = ok_json(&[
        "score",
        "phq-9",
        "--answers",
        "3,3,3,3,2,3,2,1,1",
        "--observations",
    ]);
    assert_eq!(
        (b["resourceType"].as_str(), b["type"].as_str()),
        (Some("Bundle"), Some("collection"))
    );
    let entries = b["entry"].as_array().unwrap();
    assert_eq!(
        entries.len(),
        3,
        "the response, the PHQ-9 total and the PHQ-2"
    );
    assert_eq!(
        entries[0]["resource"]["resourceType"],
        "QuestionnaireResponse"
    );
    let qr_url = entries[0]["fullUrl"].as_str().unwrap();
    assert!(qr_url.starts_with("urn:uuid:"));
    for e in &entries[1..] {
        assert_eq!(e["resource"]["resourceType"], "Observation");
        assert_eq!(e["resource"]["derivedFrom"][0]["reference"], qr_url);
    }
    assert_eq!(entries[1]["resource"]["valueInteger"], 21);
    // From a response with a server id: the Observations refer to it and it is not repeated.
    let qr = json!({
        "resourceType": "QuestionnaireResponse", "id": "abc", "status": "completed",
        "questionnaire": "https://ferd.health/fhir/Questionnaire/pc-ptsd-5",
        "item": [{ "linkId": "pc-ptsd-5-exposure", "answer": [{ "valueBoolean": false }] }],
    });
    let out = ferd_stdin(&["score", "--fhir", "-", "--observations"], &qr.to_string());
    let b: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(b["entry"].as_array().unwrap().len(), 1);
    assert_eq!(
        b["entry"][0]["resource"]["derivedFrom"][0]["reference"],
        "QuestionnaireResponse/abc"
    );
    assert_eq!(b["entry"][0]["resource"]["valueInteger"], 0);
}

#[test]
fn bad_input_gets_one_line_naming_the_problem_and_exit_code_2() {
    fails_with(
        ferd(&["score", "pcl-5", "--answers", "1,2,3"]),
        "pcl-5 has 20 items, but 3 answers were given",
    );
    fails_with(
        ferd(&["score", "phq-9", "--answers", "0,0,0,0,0,0,0,0,4"]),
        "phq-9 item 9: 4 is not an allowed answer (allowed: 0–3)",
    );
    fails_with(
        ferd(&["score", "gad-7", "--answers", "1,1,,1,1,1,1"]),
        "gad-7 response is incomplete: item 3 not answered",
    );
    fails_with(
        ferd(&["score", "gad-7", "--answers", "1,x,1,1,1,1,1"]),
        "answer 2: 'x' is not a whole number",
    );
    fails_with(
        ferd(&["score", "bdi-2", "--answers", "1"]),
        "unknown instrument 'bdi-2' (known: pcl-5, pcl-5-week, pc-ptsd-5, phq-9, gad-7, who-5)",
    );
    fails_with(
        ferd(&["instrument", "show", "isi"]),
        "unknown instrument 'isi'",
    );
    fails_with(
        ferd_stdin(
            &["score", "--fhir", "-"],
            "{\"resourceType\": \"QuestionnaireResponse\",",
        ),
        "QuestionnaireResponse is not valid FHIR JSON",
    );
    fails_with(
        ferd_stdin(&["score", "--fhir", "-"], "not json at all"),
        "not valid FHIR JSON",
    );
    fails_with(
        ferd(&["score", "--fhir", "/nonexistent/qr.json"]),
        "cannot read /nonexistent/qr.json",
    );
    fails_with(ferd(&["score", "pcl-5"]), "score needs either --answers");
    fails_with(
        ferd(&["change", "pc-ptsd-5", "--from", "1,1,1,1,1,1", "--to", "0"]),
        "pc-ptsd-5 defines no change thresholds",
    );
    fails_with(
        ferd(&[
            "change",
            "phq-9",
            "--from",
            "1,1,1",
            "--to",
            "0,0,0,0,0,0,0,0,0",
        ]),
        "--from: phq-9 has 9–10 items, but 3 answers were given",
    );
    // Usage errors from the argument parser also exit with 2.
    assert_eq!(ferd(&["score", "--bogus"]).status.code(), Some(2));
}

#[test]
fn the_readme_commands_are_the_ones_tested_here() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .unwrap();
    assert!(readme.contains("cargo run --release -p ferd -- demo"));
    assert!(readme.contains("cargo test --workspace"));
    // The main command starts a demo practice, prints where it is and how to sign in, and serves the sign-in page.
    use std::io::{BufRead, BufReader, Read, Write};
    let mut child = Command::new(env!("CARGO_BIN_EXE_ferd"))
        .args(["demo", "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = String::new();
    let mut address = None;
    while let Some(Ok(line)) = lines.next() {
        printed.push_str(&line);
        printed.push('\n');
        if let Some(rest) = line.trim().strip_prefix("Open http://") {
            address = rest.split('/').next().map(str::to_string);
        }
        if line.contains("Ctrl-C") {
            break;
        }
    }
    let address = address.unwrap_or_else(|| panic!("no address printed:\n{printed}"));
    assert!(
        printed.contains("therapist") && printed.contains("password"),
        "{printed}"
    );
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    stream
        .write_all(b"GET /login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    // …and the public site, in the practice's name.
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    stream
        .write_all(b"GET /nb/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut site = String::new();
    stream.read_to_string(&mut site).unwrap();
    assert!(site.starts_with("HTTP/1.1 200"), "{site}");
    assert!(
        site.contains("Fjordlys") && site.contains("/nb/contact"),
        "{site}"
    );
    // SIGTERM, so that the demo removes its temporary folder as it does on Ctrl-C.
    let _ = Command::new("kill").arg(child.id().to_string()).status();
    let stopped = child.wait().unwrap();
    assert!(
        stopped.success(),
        "the demo stops cleanly on SIGTERM: {stopped:?}"
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("name=\"password\""));
    // The scoring command the README used to show still works.
    let text = String::from_utf8(ferd(&["score", "pcl-5", "--answers", P3]).stdout).unwrap();
    assert!(
        text.contains("Total: 56 (range 0–80)")
            && text.contains("Subscales: B 15 · C 7 · D 18 · E 16"),
        "{text}"
    );
}

/// The Bundles the CLI prints, checked by the two independent validators (see ferd-core's fhir_validators test for
/// when this runs and when it skips).
#[test]
fn observation_bundles_validate_with_fhir_resources_and_medplum() {
    let harness = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fhir-validators");
    let installed = Command::new("bash")
        .arg(harness.join("setup.sh"))
        .arg("--check")
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        assert!(
            std::env::var("FERD_REQUIRE_FHIR_VALIDATORS").map_or(true, |v| v != "1"),
            "FERD_REQUIRE_FHIR_VALIDATORS=1 but the validators are not installed"
        );
        eprintln!("SKIPPED: FHIR validators not installed (run tests/fhir-validators/setup.sh)");
        return;
    }
    let dir = std::env::temp_dir().join(format!("ferd-cli-fhir-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases = [
        ("pcl-5", P3),
        ("phq-9", "3,3,3,3,2,3,2,1,1,2"),
        ("pc-ptsd-5", "0"),
        ("who-5", "5,4,3,2,1"),
    ];
    for (id, answers) in cases {
        let b = ok_json(&["score", id, "--answers", answers, "--observations"]);
        std::fs::write(dir.join(format!("bundle-{id}.json")), b.to_string()).unwrap();
    }
    let out = Command::new("bash")
        .arg(harness.join("validate.sh"))
        .arg(&dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("fhir validators: 4 files, fhir.resources ok, medplum ok"),
        "{stdout}"
    );
}

/// `ferd meta` on the BCG trials (metafor's dat.bcg) reproduces metafor's published REML analysis
/// (Viechtbauer 2010, J Stat Softw 36(3)): −0.7145 (SE 0.1798), τ² 0.3132, I² 92.22 %.
#[test]
fn meta_reproduces_the_published_bcg_analysis_and_names_bad_input() {
    let rows = [
        (4, 119, 11, 128),
        (6, 300, 29, 274),
        (3, 228, 11, 209),
        (62, 13536, 248, 12619),
        (33, 5036, 47, 5761),
        (180, 1361, 372, 1079),
        (8, 2537, 10, 619),
        (505, 87886, 499, 87892),
        (29, 7470, 45, 7232),
        (17, 1699, 65, 1600),
        (186, 50448, 141, 27197),
        (5, 2493, 3, 2338),
        (27, 16886, 29, 17825),
    ];
    let mut text = String::from("study,ai,bi,ci,di\n");
    for (i, (a, b, c, d)) in rows.iter().enumerate() {
        text.push_str(&format!("trial {},{a},{b},{c},{d}\n", i + 1));
    }
    let path = std::env::temp_dir().join(format!("ferd-bcg-{}.csv", std::process::id()));
    std::fs::write(&path, &text).unwrap();
    let p = path.to_str().unwrap();
    let r = ok_json(&[
        "meta",
        p,
        "--measure",
        "RR",
        "--method",
        "REML",
        "--format",
        "json",
    ]);
    let round = |v: &Value, d: i32| (v.as_f64().unwrap() * 10f64.powi(d)).round() / 10f64.powi(d);
    assert_eq!(r["k"], 13);
    assert_eq!(round(&r["estimate"], 4), -0.7145);
    assert_eq!(round(&r["se"], 4), 0.1798);
    assert_eq!(
        (round(&r["ci_low"], 4), round(&r["ci_high"], 4)),
        (-1.0669, -0.3622)
    );
    assert_eq!(round(&r["tau2"], 4), 0.3132);
    assert_eq!(round(&r["q"], 4), 152.2330);
    assert_eq!(round(&r["i2"], 4), 0.9222);
    for key in ["z", "p", "h2", "pi_low", "pi_high"] {
        assert!(r[key].is_number(), "{key}");
    }
    assert_eq!(r["studies"][0]["study"], "trial 1");
    let text_out = String::from_utf8(ferd(&["meta", p, "--measure", "rr"]).stdout).unwrap();
    assert!(
        text_out.contains("estimate -0.7145, SE 0.1798"),
        "{text_out}"
    );
    // GEN input from the same effects gives the same pool.
    let gen: String = std::iter::once("yi,vi\n".to_string())
        .chain(
            r["studies"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| format!("{},{}\n", s["yi"], s["vi"])),
        )
        .collect();
    std::fs::write(&path, gen).unwrap();
    let g = ok_json(&["meta", p, "--format", "json"]);
    assert_eq!(round(&g["estimate"], 10), round(&r["estimate"], 10));
    // Bad input: a missing column, a word where a number belongs, one study.
    std::fs::write(&path, "yi\n0.1\n").unwrap();
    fails_with(
        ferd(&["meta", p]),
        "column 'vi' is missing (GEN needs yi,vi)",
    );
    std::fs::write(&path, "yi,vi\n0.1,0.02\n0.3,abc\n").unwrap();
    fails_with(
        ferd(&["meta", p]),
        "line 3, column vi: 'abc' is not a number",
    );
    std::fs::write(&path, "yi,vi\n0.1,0.02\n").unwrap();
    fails_with(
        ferd(&["meta", p]),
        "a meta-analysis needs at least 2 studies, got 1",
    );
    fails_with(
        ferd(&["meta", "/nonexistent.csv"]),
        "cannot read /nonexistent.csv",
    );
    let _ = std::fs::remove_file(path);
}

// ferd screen: the safety screening rules on the command line.

fn screen_json(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["screen", "--today", "2026-05-01", "--format", "json"];
    all.extend_from_slice(args);
    ok_json(&all).as_array().expect("a JSON array").clone()
}

#[test]
fn screen_json_finds_the_maoi_exclusion_and_the_ssri_with_the_agreed_fields() {
    let findings = screen_json(&["--medications", "Aurorix, Zoloft 50 mg"]);
    for f in &findings {
        for key in [
            "rule",
            "severity",
            "matched",
            "class",
            "source",
            "explanation",
            "verified",
        ] {
            assert!(f.get(key).is_some(), "{key} missing in {f}");
        }
    }
    let maoi = findings
        .iter()
        .find(|f| f["severity"] == "exclusion" && f["class"] == "maoi")
        .expect("an MAOI exclusion");
    assert_eq!(maoi["matched"], "Aurorix");
    assert_eq!(maoi["recognised_as"], "moclobemide");
    assert!(maoi["source"].as_str().unwrap().contains("Vuori"));
    let ssri = findings
        .iter()
        .find(|f| f["class"] == "ssri-snri")
        .expect("a finding for the SSRI");
    assert_eq!(ssri["matched"], "Zoloft 50 mg");
    assert_eq!(ssri["severity"], "caution");
    assert_eq!(findings[0]["severity"], "exclusion", "most serious first");
}

#[test]
fn screen_uses_only_the_four_severity_ids() {
    let findings = screen_json(&[
        "--medications",
        "Aurorix, Wellbutrin, Zoloft, Selo-Zok, xyzzy",
        "--conditions",
        "schizofreni, høyt blodtrykk, migrene",
        "--age",
        "17",
        "--blood-pressure",
        "165/100",
        "--pregnant",
    ]);
    let severities: std::collections::BTreeSet<&str> = findings
        .iter()
        .map(|f| f["severity"].as_str().unwrap())
        .collect();
    assert_eq!(
        severities.into_iter().collect::<Vec<_>>(),
        ["caution", "clearance-required", "exclusion", "info"]
    );
    let rules: Vec<&str> = findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for rule in [
        "maoi",
        "cyp2d6-inhibitor",
        "psychotic-disorder",
        "hypertension",
        "under-18",
        "blood-pressure-uncontrolled",
        "pregnancy",
        "unrecognised-medicine",
        "unrecognised-condition",
    ] {
        assert!(rules.contains(&rule), "{rule} missing: {rules:?}");
    }
}

#[test]
fn screen_reads_stop_dates_and_taper_ends_from_the_entries() {
    let findings = screen_json(&["--medications", "Zoloft (stopped 2026-04-25)"]);
    assert_eq!(findings[0]["rule"], "ssri-snri-recently-tapered");
    assert_eq!(findings[0]["matched"], "Zoloft");
    assert!(findings[0]["detail"]
        .as_str()
        .unwrap()
        .contains("6 days ago"));
    let findings = screen_json(&["--medications", "Cipralex 10 mg until 2026-06-01"]);
    let ssri = findings.iter().find(|f| f["rule"] == "ssri-snri").unwrap();
    assert_eq!(ssri["detail"], "taper ends 2026-06-01");
    assert!(screen_json(&["--medications", "Zoloft stopped 2026-01-01"]).is_empty());
}

#[test]
fn screen_text_is_readable_says_it_is_decision_support_and_speaks_norwegian() {
    let out = ferd(&[
        "screen",
        "--today",
        "2026-05-01",
        "--medications",
        "Aurorix 150 mg, Zoloft 50 mg",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("decision support, not a clearance. A clinician decides."),
        "{text}"
    );
    assert!(text.contains("EXCLUSION (1)"), "{text}");
    assert!(text.contains("\"Aurorix 150 mg\" → moclobemide"), "{text}");
    assert!(text.contains("Source: Vuori et al. 2003"), "{text}");
    assert!(
        text.contains("1 exclusion, 0 clearance-required, 1 caution, 0 info."),
        "{text}"
    );
    let nb =
        String::from_utf8(ferd(&["screen", "--lang", "nb", "--medications", "Aurorix"]).stdout)
            .unwrap();
    assert!(
        nb.contains("beslutningsstøtte") && nb.contains("EKSKLUSJON (1)"),
        "{nb}"
    );
    let none = String::from_utf8(ferd(&["screen", "--conditions", "PTSD"]).stdout).unwrap();
    assert!(none.contains("INFORMATION (1)"), "{none}");
    let empty = String::from_utf8(ferd(&["screen", "--age", "40"]).stdout).unwrap();
    assert!(
        empty.contains("does not mean the person is cleared"),
        "{empty}"
    );
}

#[test]
fn screen_takes_family_history_and_own_episodes_and_names_the_trial_protocols() {
    let findings = screen_json(&[
        "--family",
        "mor:bipolar, sibling:psychosis",
        "--episodes",
        "hypomania",
        "--unknown-history",
        "psychosis",
    ]);
    let rules: Vec<&str> = findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "family-history-bipolar",
            "family-history-psychosis",
            "hypomanic-episode",
            "psychiatric-history-unknown"
        ]
    );
    assert_eq!(findings[0]["matched"], "parent:bipolar");
    assert_eq!(findings[0]["detail"], "a parent has had bipolar disorder");
    assert!(findings[0]["source"]
        .as_str()
        .unwrap()
        .contains("NCT02243813"));
}

#[test]
fn screen_bad_input_gets_one_line_naming_the_problem_and_exit_code_2() {
    fails_with(ferd(&["screen"]), "nothing to screen");
    fails_with(
        ferd(&["screen", "--medications", ""]),
        "--medications is empty",
    );
    fails_with(
        ferd(&["screen", "--medications", "Zoloft,,Aurorix"]),
        "--medications: entry 2 of 3 is empty",
    );
    fails_with(
        ferd(&["screen", "--conditions", " "]),
        "--conditions is empty",
    );
    fails_with(
        ferd(&["screen", "--medications", "Zoloft stopped 2026-02-30"]),
        "'2026-02-30' is not a date",
    );
    fails_with(
        ferd(&[
            "screen",
            "--medications",
            "Zoloft",
            "--blood-pressure",
            "85/135",
        ]),
        "--blood-pressure: '85/135' is not a blood pressure",
    );
    fails_with(
        ferd(&["screen", "--medications", "Zoloft", "--today", "1.5.2026"]),
        "--today: '1.5.2026' is not a date",
    );
    fails_with(
        ferd(&["screen", "--substances", "alkohol:heavy"]),
        "severity 'heavy' is not mild, moderate or severe",
    );
    fails_with(
        ferd(&["screen", "--family", "cousin:psychosis"]),
        "--family: 'cousin:psychosis' is not a relative and an illness",
    );
    fails_with(
        ferd(&["screen", "--episodes", "mania:stress"]),
        "--episodes: 'mania:stress' is not an episode",
    );
    assert_eq!(
        ferd(&["screen", "--medications", "Zoloft", "--format", "xml"])
            .status
            .code(),
        Some(2)
    );
}

//! Scoring throughput, in three steps of the pipeline:
//!
//! - `score_parsed/<id>`: `Response::score()` on an already validated response (the allocation-free hot path);
//! - `validate_and_score/<id>`: `Instrument::response(&[Option<i64>])` then `score()`;
//! - `score_fhir_json/<id>`: `fhir::score_questionnaire_response` on a realistic QuestionnaireResponse JSON text
//!   (id, subject, authored, one item per question with its `valueCoding`, as ferd itself emits them).
//!
//! Each iteration takes the next of 64 precomputed answer sets (cycled), so the optimiser cannot fold the work into a
//! constant and the branch predictor cannot learn a single answer pattern. Every benchmark reports one response per
//! iteration (`Throughput::Elements(1)`), so criterion prints responses per second as `thrpt`.
//!
//! Run on one core: `taskset -c 0 cargo bench -p ferd-core --bench scoring` (the whole run takes about 35 s).
//! Targets: ≥ 5,000,000 PCL-5 scorings/s from parsed answers and ≥ 100,000/s from QuestionnaireResponse JSON.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};
use ferd_core::fhir::{questionnaire_response, score_questionnaire_response};
use ferd_core::{Catalogue, Instrument};

/// How many distinct answer sets each benchmark cycles through (a power of two, so the index is a mask).
const VARIANTS: usize = 64;

/// The instruments benchmarked.
const INSTRUMENTS: [&str; 2] = ["pcl-5", "phq-9"];

/// A small deterministic generator (SplitMix64), so every run scores the same answers.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// `VARIANTS` complete, valid answer lists for `ins`: every item answered with one of its options, chosen at random,
/// with the first set all-lowest and the second all-highest so both ends of the range are covered.
fn answer_sets(ins: &Instrument) -> Vec<Vec<Option<i64>>> {
    let mut rng = SplitMix64(0x5EED ^ ins.id.len() as u64);
    (0..VARIANTS)
        .map(|n| {
            ins.items
                .iter()
                .map(|item| {
                    let options = &ins.answers_of(item).options;
                    let pick = match n {
                        0 => options.iter().min_by_key(|o| o.value),
                        1 => options.iter().max_by_key(|o| o.value),
                        _ => options.get(rng.next() as usize % options.len()),
                    };
                    pick.map(|o| i64::from(o.value))
                })
                .collect()
        })
        .collect()
}

/// A realistic QuestionnaireResponse for one answer list: ferd's own `questionnaire_response`, with an id, a subject
/// and an authored time added as a sender would.
fn questionnaire_response_json(ins: &Instrument, answers: &[Option<i64>], n: usize) -> String {
    let response = ins.response(answers).expect("generated answers are valid");
    let mut qr = serde_json::to_value(questionnaire_response(&response, None, None))
        .expect("a QuestionnaireResponse serialises");
    let map = qr.as_object_mut().expect("a resource is a JSON object");
    map.insert(
        "id".into(),
        format!("qr-{}-{n:04}", ins.id.replace('-', "")).into(),
    );
    map.insert(
        "subject".into(),
        serde_json::json!({ "reference": format!("Patient/p-{:06}", 100_000 + n * 37), "display": "Test Patient" }),
    );
    map.insert(
        "authored".into(),
        format!(
            "2026-{:02}-{:02}T{:02}:{:02}:00+01:00",
            1 + n % 12,
            1 + n % 28,
            8 + n % 10,
            n % 60
        )
        .into(),
    );
    serde_json::to_string(&qr).expect("JSON serialises")
}

fn configure(group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    group
        .throughput(Throughput::Elements(1))
        .warm_up_time(Duration::from_millis(1000))
        .measurement_time(Duration::from_secs(4))
        .sample_size(60);
}

fn score_parsed(c: &mut Criterion) {
    let catalogue = Catalogue::builtin();
    let mut group = c.benchmark_group("score_parsed");
    configure(&mut group);
    for id in INSTRUMENTS {
        let ins = catalogue.get(id).expect("builtin instrument");
        let sets = answer_sets(ins);
        let responses: Vec<_> = sets
            .iter()
            .map(|a| ins.response(a).expect("valid answers"))
            .collect();
        let mut n = 0usize;
        group.bench_function(id, |b| {
            b.iter(|| {
                n = (n + 1) & (VARIANTS - 1);
                black_box(&responses[n]).score()
            })
        });
    }
    group.finish();
}

fn validate_and_score(c: &mut Criterion) {
    let catalogue = Catalogue::builtin();
    let mut group = c.benchmark_group("validate_and_score");
    configure(&mut group);
    for id in INSTRUMENTS {
        let ins = catalogue.get(id).expect("builtin instrument");
        let sets = answer_sets(ins);
        let mut n = 0usize;
        group.bench_function(id, |b| {
            b.iter(|| {
                n = (n + 1) & (VARIANTS - 1);
                ins.response(black_box(&sets[n]))
                    .map(|r| r.score())
                    .expect("valid answers")
            })
        });
    }
    group.finish();
}

fn score_fhir_json(c: &mut Criterion) {
    let catalogue = Catalogue::builtin();
    let mut group = c.benchmark_group("score_fhir_json");
    configure(&mut group);
    for id in INSTRUMENTS {
        let ins = catalogue.get(id).expect("builtin instrument");
        let jsons: Vec<String> = answer_sets(ins)
            .iter()
            .enumerate()
            .map(|(n, a)| questionnaire_response_json(ins, a, n))
            .collect();
        // The inputs must score, and to the totals of their answers: a benchmark of the error path would flatter.
        for (json, answers) in jsons.iter().zip(answer_sets(ins)) {
            let parsed = score_questionnaire_response(catalogue, json, None).expect("input scores");
            let expected = ins.response(&answers).expect("valid answers").score();
            assert_eq!(parsed.scored.total(), expected.total());
            assert!(parsed.id.is_some() && parsed.subject.is_some() && parsed.authored.is_some());
        }
        let mut n = 0usize;
        group.bench_function(id, |b| {
            b.iter(|| {
                n = (n + 1) & (VARIANTS - 1);
                score_questionnaire_response(catalogue, black_box(jsons[n].as_str()), None)
                    .map(|p| p.scored)
                    .expect("input scores")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, score_parsed, validate_and_score, score_fhir_json);
criterion_main!(benches);

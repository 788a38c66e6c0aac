//! `ferd meta`: a meta-analysis of a CSV file. Parsing lives here; every number is computed by ferd-core.

use std::path::Path;

use ferd_core::stats::effect::{hedges_g, Estimate, Group, TwoByTwo};
use ferd_core::stats::meta::{meta_analysis, Method};
use serde_json::json;

use crate::Failure;

/// The effect measure of the input rows.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[allow(clippy::upper_case_acronyms)]
pub enum Measure {
    /// Log risk ratio from ai,bi,ci,di.
    RR,
    /// Log odds ratio from ai,bi,ci,di.
    OR,
    /// Risk difference from ai,bi,ci,di.
    RD,
    /// Hedges' g from m1i,sd1i,n1i,m2i,sd2i,n2i.
    SMD,
    /// Effects and sampling variances given as yi,vi.
    GEN,
}

/// The τ² estimator.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[allow(clippy::upper_case_acronyms)]
pub enum MethodArg {
    FE,
    DL,
    REML,
    PM,
}

fn columns(measure: Measure) -> &'static [&'static str] {
    match measure {
        Measure::RR | Measure::OR | Measure::RD => &["ai", "bi", "ci", "di"],
        Measure::SMD => &["m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"],
        Measure::GEN => &["yi", "vi"],
    }
}

/// Reads the CSV, computes each study's effect, pools them, and renders the result.
pub fn run(
    path: &Path,
    measure: Measure,
    method: MethodArg,
    knha: bool,
    json_out: bool,
) -> Result<String, Failure> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| Failure::input(format!("cannot read {}: {e}", path.display())))?;
    let header = reader
        .headers()
        .map_err(|e| Failure::input(format!("{}: {e}", path.display())))?
        .clone();
    let wanted = columns(measure);
    let index = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let mut at = Vec::with_capacity(wanted.len());
    for name in wanted {
        at.push(index(name).ok_or_else(|| {
            Failure::input(format!(
                "column '{name}' is missing ({measure:?} needs {})",
                wanted.join(",")
            ))
        })?);
    }
    let study_col = index("study");
    let mut labels = Vec::new();
    let mut effects: Vec<Estimate> = Vec::new();
    for (row_no, record) in reader.records().enumerate() {
        let row = row_no + 2; // the header is line 1
        let record = record.map_err(|e| Failure::input(format!("line {row}: {e}")))?;
        let mut values = Vec::with_capacity(at.len());
        for (name, &i) in wanted.iter().zip(&at) {
            let text = record.get(i).unwrap_or("");
            let v: f64 = text
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| {
                    Failure::input(format!(
                        "line {row}, column {name}: '{text}' is not a number"
                    ))
                })?;
            values.push(v);
        }
        let effect = match measure {
            Measure::GEN => {
                if values[1] <= 0.0 {
                    return Err(Failure::input(format!(
                        "line {row}, column vi: a sampling variance must be greater than 0"
                    )));
                }
                Some(Estimate::new(values[0], values[1]))
            }
            Measure::RR | Measure::OR | Measure::RD => {
                let t = TwoByTwo {
                    a: values[0],
                    b: values[1],
                    c: values[2],
                    d: values[3],
                };
                match measure {
                    Measure::RR => t.log_risk_ratio(),
                    Measure::OR => t.log_odds_ratio(),
                    _ => t.risk_difference(),
                }
            }
            Measure::SMD => hedges_g(
                Group {
                    mean: values[0],
                    sd: values[1],
                    n: values[2],
                },
                Group {
                    mean: values[3],
                    sd: values[4],
                    n: values[5],
                },
            ),
        };
        let effect = effect
            .filter(|e| e.variance > 0.0 && e.estimate.is_finite())
            .ok_or_else(|| Failure::input(format!("line {row}: these values give no usable {measure:?} effect (counts must be ≥ 0, SDs > 0, groups of 2 or more)")))?;
        labels.push(
            study_col
                .and_then(|i| record.get(i))
                .map_or_else(|| format!("study {}", row - 1), str::to_string),
        );
        effects.push(effect);
    }
    let y: Vec<f64> = effects.iter().map(|e| e.estimate).collect();
    let v: Vec<f64> = effects.iter().map(|e| e.variance).collect();
    let method = match method {
        MethodArg::FE => Method::FE,
        MethodArg::DL => Method::DL,
        MethodArg::REML => Method::REML,
        MethodArg::PM => Method::PM,
    };
    let r = meta_analysis(&y, &v, method, knha).map_err(|e| Failure::input(e.to_string()))?;
    let weights: Vec<f64> = v.iter().map(|v| 1.0 / (v + r.tau2)).collect();
    let total: f64 = weights.iter().sum();
    if json_out {
        let mut out = serde_json::to_value(&r).map_err(|e| Failure::input(e.to_string()))?;
        out["measure"] = json!(format!("{measure:?}"));
        out["studies"] = json!(labels
            .iter()
            .zip(&effects)
            .zip(&weights)
            .map(|((l, e), w)| json!({ "study": l, "yi": e.estimate, "vi": e.variance, "ci_low": e.ci_low, "ci_high": e.ci_high, "weight": 100.0 * w / total }))
            .collect::<Vec<_>>());
        return serde_json::to_string_pretty(&out).map_err(|e| Failure::input(e.to_string()));
    }
    let mut o = format!(
        "{:<28} {:>10} {:>22} {:>8}\n",
        "STUDY", "EFFECT", "95% CI", "WEIGHT"
    );
    for ((l, e), w) in labels.iter().zip(&effects).zip(&weights) {
        o.push_str(&format!(
            "{:<28} {:>10.4} {:>22} {:>7.2}%\n",
            l,
            e.estimate,
            format!("[{:.4}, {:.4}]", e.ci_low, e.ci_high),
            100.0 * w / total
        ));
    }
    let scale = match measure {
        Measure::RR => " (log risk ratio)",
        Measure::OR => " (log odds ratio)",
        _ => "",
    };
    o.push_str(&format!(
        "\n{method:?}{} model, k = {}{scale}\nestimate {:.4}, SE {:.4}, {} = {:.4}, p {}, 95% CI [{:.4}, {:.4}]\n",
        if knha { " with Knapp–Hartung" } else { "" },
        r.k,
        r.estimate,
        r.se,
        if knha { "t" } else { "z" },
        r.z,
        p_text(r.p),
        r.ci_low,
        r.ci_high
    ));
    o.push_str(&format!(
        "tau² = {:.4}, Q({}) = {:.4} (p {}), I² = {:.2}%, H² = {:.2}",
        r.tau2,
        r.q_df,
        r.q,
        p_text(r.q_p),
        100.0 * r.i2,
        r.h2
    ));
    if let (Some(lo), Some(hi)) = (r.pi_low, r.pi_high) {
        o.push_str(&format!("\n95% prediction interval [{lo:.4}, {hi:.4}]"));
    }
    Ok(o)
}

fn p_text(p: f64) -> String {
    if p < 0.0001 {
        "< 0.0001".into()
    } else {
        format!("= {p:.4}")
    }
}

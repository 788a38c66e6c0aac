//! Screening findings as ferd keeps them: ferd-core's findings with their texts in every interface language, so a
//! screening stored once reads right in Norwegian and in English.

use ferd_core::screening::Finding;
use serde_json::Value;

/// The interface languages whose texts are kept with each finding.
const LANGS: [&str; 2] = ["nb", "en"];

/// The findings as stored (JSON array; `explanation`, `detail` and `note` as objects by language) and the most
/// serious severity among them.
pub fn findings_record(findings: &[Finding<'_>]) -> (Value, Option<String>) {
    let list: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut v = f.to_json("en");
            for field in ["explanation", "detail", "note", "class_name"] {
                let by_lang: serde_json::Map<String, Value> = LANGS
                    .iter()
                    .map(|l| {
                        (
                            l.to_string(),
                            f.to_json(l).get(field).cloned().unwrap_or(Value::Null),
                        )
                    })
                    .collect();
                v[field] = Value::Object(by_lang);
            }
            v
        })
        .collect();
    // Findings come sorted by severity, most serious first.
    let worst = findings.first().map(|f| f.severity().id().to_string());
    (Value::Array(list), worst)
}

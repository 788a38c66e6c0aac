//! An instrument as an R4 `Questionnaire`.

use super::types::*;
use super::{CALCULATED_EXPRESSION, ITEM_WEIGHT, LOINC, ORDINAL_VALUE, SCORE_SYSTEM};
use crate::instruments::{AnswerSet, Instrument};

/// The instrument as a FHIR R4 `Questionnaire` in English: instructions as a display item, one `choice` item per
/// question with its answer options (each carrying both `ordinalValue` and `itemWeight` where the item is scored),
/// LOINC codes where verified, and a read-only total with an SDC calculated expression. The total a client sends
/// back is never trusted: ferd recomputes it.
pub fn questionnaire(ins: &Instrument) -> Questionnaire {
    let text = &ins.text["en"];
    let mut items = Vec::with_capacity(ins.items.len() + 3);
    if let Some(instructions) = &text.instructions {
        items.push(display(
            format!("{}-instructions", ins.id),
            instructions.clone(),
        ));
    }
    let stem = display(format!("{}-stem", ins.id), text.stem.clone());
    let gate = ins.gate.as_ref();
    if gate.is_none() {
        items.push(stem.clone());
    }
    for (i, item) in ins.items.iter().enumerate() {
        if gate.is_some_and(|g| g.item + 1 == i) {
            items.push(stem.clone());
        }
        let set = ins.answers_of(item);
        let enable_when = match gate {
            Some(g) if g.item != i => {
                let gate_item = &ins.items[g.item];
                let gate_set = ins.answers_of(gate_item);
                gate_set
                    .options
                    .iter()
                    .find(|o| o.value != g.closes_when)
                    .map(|open| {
                        vec![EnableWhen {
                            question: gate_item.link_id.clone(),
                            operator: "=",
                            answer_coding: option_coding(gate_set, &open.code, open.label.en()),
                        }]
                    })
                    .unwrap_or_default()
            }
            _ => Vec::new(),
        };
        items.push(QuestionnaireItem {
            extension: Vec::new(),
            link_id: item.link_id.clone(),
            code: item
                .loinc
                .iter()
                .map(|code| Coding::new(LOINC, code, ""))
                .collect(),
            prefix: item.key.parse::<u32>().ok().map(|n| format!("{n}.")),
            text: item.text.en().to_string(),
            type_: "choice",
            enable_when,
            required: Some(item.required),
            read_only: None,
            answer_option: set
                .options
                .iter()
                .map(|o| AnswerOption {
                    extension: if item.scored {
                        let weight = serde_json::Number::from(o.value);
                        vec![
                            Extension {
                                url: ORDINAL_VALUE.to_string(),
                                value_decimal: Some(weight.clone()),
                                value_expression: None,
                            },
                            Extension {
                                url: ITEM_WEIGHT.to_string(),
                                value_decimal: Some(weight),
                                value_expression: None,
                            },
                        ]
                    } else {
                        Vec::new()
                    },
                    value_coding: option_coding(set, &o.code, o.label.en()),
                })
                .collect(),
        });
    }
    let scored: Vec<String> = ins
        .items
        .iter()
        .enumerate()
        .filter(|(i, _)| ins.total().items & (1 << i) != 0)
        .map(|(_, item)| format!("'{}'", item.link_id))
        .collect();
    let total = ins.total();
    items.push(QuestionnaireItem {
        extension: vec![Extension {
            url: CALCULATED_EXPRESSION.to_string(),
            value_decimal: None,
            value_expression: Some(Expression {
                language: "text/fhirpath".to_string(),
                expression: format!(
                    "%resource.item.where(linkId in ({})).answer.value.weight().sum()",
                    scored.join(" | ")
                ),
            }),
        }],
        link_id: ins.total_link_id.clone(),
        code: match &ins.fhir.loinc_total {
            Some(code) => vec![Coding::new(
                LOINC,
                code,
                ins.fhir.loinc_total_display.clone().unwrap_or_default(),
            )],
            None => vec![Coding::new(
                SCORE_SYSTEM,
                &format!("{}.total", ins.id),
                total.name.en(),
            )],
        },
        prefix: None,
        text: format!("{} ({}–{})", total.name.en(), total.min, total.max),
        type_: "integer",
        enable_when: Vec::new(),
        required: Some(false),
        read_only: Some(true),
        answer_option: Vec::new(),
    });
    Questionnaire {
        resource_type: "Questionnaire",
        id: ins.id.clone(),
        language: "en".to_string(),
        url: ins.url.clone(),
        version: ins.version.clone(),
        name: computable_name(&ins.id),
        title: ins.title.en().to_string(),
        status: "active",
        experimental: false,
        subject_type: vec!["Patient"],
        publisher: "ferd".to_string(),
        description: format!(
            "{} Recall period: {}. {}",
            ins.purpose,
            ins.recall.text.en(),
            ins.citation
        ),
        copyright: Some(
            ins.licence
                .copyright
                .clone()
                .unwrap_or_else(|| ins.licence.statement.clone()),
        ),
        code: ins
            .fhir
            .loinc_panel
            .iter()
            .map(|code| {
                Coding::new(
                    LOINC,
                    code,
                    ins.fhir.loinc_panel_display.clone().unwrap_or_default(),
                )
            })
            .collect(),
        item: items,
    }
}

fn display(link_id: String, text: String) -> QuestionnaireItem {
    QuestionnaireItem {
        extension: Vec::new(),
        link_id,
        code: Vec::new(),
        prefix: None,
        text,
        type_: "display",
        enable_when: Vec::new(),
        required: None,
        read_only: None,
        answer_option: Vec::new(),
    }
}

fn option_coding(set: &AnswerSet, code: &str, display: &str) -> Coding {
    Coding::new(&set.code_system, code, display)
}

/// `pcl-5-week` → `Pcl5Week`: FHIR's computer-friendly name (starts with a capital, letters and digits only).
fn computable_name(id: &str) -> String {
    id.split('-')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// A valid response as an R4 `QuestionnaireResponse` (status `completed`), each answer as its option's coding.
/// Unanswered items (optional ones, or those a closed gate skipped) are left out.
pub fn questionnaire_response(
    response: &crate::instruments::Response<'_>,
    subject: Option<Reference>,
    authored: Option<String>,
) -> QuestionnaireResponse {
    let ins = response.instrument();
    let item = ins
        .items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let value = response.value(i)?;
            let set = ins.answers_of(item);
            let option = set.option(value)?;
            Some(ResponseItem {
                link_id: item.link_id.clone(),
                text: item.text.en().to_string(),
                answer: vec![ResponseAnswer {
                    value_coding: option_coding(set, &option.code, option.label.en()),
                }],
            })
        })
        .collect();
    QuestionnaireResponse {
        resource_type: "QuestionnaireResponse",
        id: None,
        questionnaire: format!("{}|{}", ins.url, ins.version),
        status: "completed",
        subject,
        authored,
        item,
    }
}

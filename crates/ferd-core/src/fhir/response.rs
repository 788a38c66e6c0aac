//! Parsing and scoring a FHIR R4 `QuestionnaireResponse`.
//!
//! The response is read strictly: unknown elements, modifier extensions, empty arrays, an unknown status, a linkId
//! the questionnaire does not have, a code that is not one of the item's options — each is rejected with the path of
//! the element and what is allowed. The questionnaire is identified by its canonical URL (ferd's, or LOINC's
//! `http://loinc.org/q/<panel>`). Any total the sender computed is ignored: ferd scores the answers itself.

use std::borrow::Cow;

use serde::de::IgnoredAny;
use serde::Deserialize;

use super::types::Reference;
use crate::instruments::{Catalogue, Instrument, Response, ResponseError, Scored};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct QrIn<'a> {
    #[serde(borrow)]
    resource_type: Cow<'a, str>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    meta: Option<IgnoredAny>,
    #[serde(default)]
    implicit_rules: Option<IgnoredAny>,
    #[serde(default)]
    language: Option<IgnoredAny>,
    #[serde(default)]
    text: Option<IgnoredAny>,
    #[serde(default)]
    contained: Option<IgnoredAny>,
    #[serde(default)]
    extension: Option<IgnoredAny>,
    #[serde(default)]
    modifier_extension: Option<Vec<IgnoredAny>>,
    #[serde(default)]
    identifier: Option<serde_json::Value>,
    #[serde(default)]
    based_on: Option<IgnoredAny>,
    #[serde(default)]
    part_of: Option<IgnoredAny>,
    #[serde(default, borrow)]
    questionnaire: Option<Cow<'a, str>>,
    #[serde(borrow)]
    status: Cow<'a, str>,
    #[serde(default)]
    subject: Option<Reference>,
    #[serde(default)]
    encounter: Option<Reference>,
    #[serde(default)]
    authored: Option<String>,
    #[serde(default)]
    author: Option<IgnoredAny>,
    #[serde(default)]
    source: Option<IgnoredAny>,
    #[serde(default, borrow)]
    item: Option<Vec<ItemIn<'a>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ItemIn<'a> {
    #[serde(default)]
    id: Option<IgnoredAny>,
    #[serde(default)]
    extension: Option<IgnoredAny>,
    #[serde(default)]
    modifier_extension: Option<Vec<IgnoredAny>>,
    #[serde(borrow)]
    link_id: Cow<'a, str>,
    #[serde(default)]
    definition: Option<IgnoredAny>,
    #[serde(default)]
    text: Option<IgnoredAny>,
    #[serde(default, borrow)]
    answer: Option<Vec<AnswerIn<'a>>>,
    #[serde(default, borrow)]
    item: Option<Vec<ItemIn<'a>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct AnswerIn<'a> {
    #[serde(default)]
    id: Option<IgnoredAny>,
    #[serde(default)]
    extension: Option<IgnoredAny>,
    #[serde(default)]
    modifier_extension: Option<Vec<IgnoredAny>>,
    #[serde(default)]
    value_boolean: Option<bool>,
    #[serde(default)]
    value_decimal: Option<f64>,
    #[serde(default)]
    value_integer: Option<i64>,
    #[serde(default, borrow)]
    value_coding: Option<CodingIn<'a>>,
    #[serde(default)]
    value_date: Option<IgnoredAny>,
    #[serde(default)]
    value_date_time: Option<IgnoredAny>,
    #[serde(default)]
    value_time: Option<IgnoredAny>,
    #[serde(default)]
    value_string: Option<IgnoredAny>,
    #[serde(default)]
    value_uri: Option<IgnoredAny>,
    #[serde(default)]
    value_attachment: Option<IgnoredAny>,
    #[serde(default)]
    value_quantity: Option<IgnoredAny>,
    #[serde(default)]
    value_reference: Option<IgnoredAny>,
    #[serde(default, borrow)]
    item: Option<Vec<ItemIn<'a>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CodingIn<'a> {
    #[serde(default)]
    id: Option<IgnoredAny>,
    #[serde(default)]
    extension: Option<IgnoredAny>,
    #[serde(default, borrow)]
    system: Option<Cow<'a, str>>,
    #[serde(default)]
    version: Option<IgnoredAny>,
    #[serde(default, borrow)]
    code: Option<Cow<'a, str>>,
    #[serde(default)]
    display: Option<IgnoredAny>,
    #[serde(default)]
    user_selected: Option<IgnoredAny>,
}

/// Why a QuestionnaireResponse cannot be scored. Each message is one line naming the element and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FhirError {
    /// Not JSON, or JSON of the wrong shape (an unknown element, a string where a number belongs …).
    #[error("QuestionnaireResponse is not valid FHIR JSON: {0}")]
    Json(String),
    /// Another resource type.
    #[error("resourceType is '{0}', expected 'QuestionnaireResponse'")]
    ResourceType(String),
    /// An element breaks a FHIR rule or is something ferd cannot score.
    #[error("{path}: {message}")]
    Element { path: String, message: String },
    /// The canonical names no questionnaire ferd knows.
    #[error("QuestionnaireResponse.questionnaire '{canonical}' is not a questionnaire ferd knows (known: {known})")]
    UnknownQuestionnaire { canonical: String, known: String },
    /// The response is for another instrument than the one asked for.
    #[error("QuestionnaireResponse.questionnaire is {found}, not {expected}")]
    WrongQuestionnaire { expected: String, found: String },
    /// The answers break the instrument's rules (out of range, incomplete …).
    #[error(transparent)]
    Answers(#[from] ResponseError),
}

fn element(path: impl Into<String>, message: impl Into<String>) -> FhirError {
    FhirError::Element {
        path: path.into(),
        message: message.into(),
    }
}

/// A QuestionnaireResponse that was parsed and scored, with what the Observations need from it.
#[derive(Debug, Clone)]
pub struct ParsedResponse<'c> {
    pub response: Response<'c>,
    pub scored: Scored<'c>,
    /// `QuestionnaireResponse.id`, if the sender gave one.
    pub id: Option<String>,
    pub identifier: Option<serde_json::Value>,
    pub subject: Option<Reference>,
    pub encounter: Option<Reference>,
    pub authored: Option<String>,
    pub status: String,
}

const STATUSES: [&str; 5] = [
    "in-progress",
    "completed",
    "amended",
    "entered-in-error",
    "stopped",
];

/// Parses a QuestionnaireResponse (JSON text), identifies its instrument in `catalogue`, checks and scores it. With
/// `expected`, the response must be for that instrument.
pub fn score_questionnaire_response<'c>(
    catalogue: &'c Catalogue,
    json: &str,
    expected: Option<&Instrument>,
) -> Result<ParsedResponse<'c>, FhirError> {
    let qr: QrIn = serde_json::from_str(json).map_err(|e| json_error(json, &e))?;
    if qr.resource_type != "QuestionnaireResponse" {
        return Err(FhirError::ResourceType(clip(&qr.resource_type)));
    }
    let _ = (
        &qr.meta,
        &qr.implicit_rules,
        &qr.language,
        &qr.text,
        &qr.contained,
        &qr.extension,
    );
    let _ = (&qr.based_on, &qr.part_of, &qr.author, &qr.source);
    if qr.modifier_extension.is_some() {
        return Err(element(
            "QuestionnaireResponse.modifierExtension",
            "modifier extensions change the meaning of a response and ferd does not understand them",
        ));
    }
    if let Some(id) = &qr.id {
        if !is_fhir_id(id) {
            return Err(element(
                "QuestionnaireResponse.id",
                "must be 1–64 characters of A–Z, a–z, 0–9, '-' and '.'",
            ));
        }
    }
    if !STATUSES.contains(&&*qr.status) {
        return Err(element(
            "QuestionnaireResponse.status",
            format!(
                "'{}' is not a status code (allowed: {})",
                clip(&qr.status),
                STATUSES.join(", ")
            ),
        ));
    }
    if qr.status != "completed" && qr.status != "amended" {
        return Err(element(
            "QuestionnaireResponse.status",
            format!(
                "is '{}'; only completed or amended responses are scored",
                qr.status
            ),
        ));
    }
    if let Some(authored) = &qr.authored {
        if !is_fhir_date_time(authored) {
            return Err(element(
                "QuestionnaireResponse.authored",
                format!(
                    "'{}' is not a FHIR dateTime (e.g. 2026-01-15T10:00:00+01:00)",
                    clip(authored)
                ),
            ));
        }
    }
    let canonical = qr.questionnaire.as_deref().ok_or_else(|| {
        element(
            "QuestionnaireResponse.questionnaire",
            "is missing: it must name the questionnaire (ferd's canonical URL or http://loinc.org/q/<panel>)",
        )
    })?;
    let ins = catalogue
        .by_canonical(canonical)
        .ok_or_else(|| FhirError::UnknownQuestionnaire {
            canonical: clip(canonical),
            known: catalogue
                .iter()
                .map(|i| i.url.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    if let Some(expected) = expected {
        if expected.id != ins.id {
            return Err(FhirError::WrongQuestionnaire {
                expected: expected.id.clone(),
                found: ins.id.clone(),
            });
        }
    }

    let mut answers: Vec<Option<i64>> = vec![None; ins.items.len()];
    let items = qr.item.as_deref().unwrap_or_default();
    if qr.item.as_ref().is_some_and(Vec::is_empty) {
        return Err(element(
            "QuestionnaireResponse.item",
            "an empty array is not allowed in FHIR JSON",
        ));
    }
    collect(ins, items, None, &mut answers)?;
    let response = ins.response(&answers)?;
    Ok(ParsedResponse {
        scored: response.score(),
        response,
        id: qr.id,
        identifier: qr.identifier,
        subject: qr.subject,
        encounter: qr.encounter,
        authored: qr.authored,
        status: qr.status.into_owned(),
    })
}

/// Where an item stands in the response (`QuestionnaireResponse.item[3].item[0]`), built into text only for an
/// error message: valid responses never pay for it.
#[derive(Clone, Copy)]
struct At<'p> {
    parent: Option<&'p At<'p>>,
    index: usize,
}

impl At<'_> {
    fn render(&self) -> String {
        let mut indices = vec![self.index];
        let mut up = self.parent;
        while let Some(at) = up {
            indices.push(at.index);
            up = at.parent;
        }
        let mut path = String::from("QuestionnaireResponse");
        for i in indices.iter().rev() {
            path.push_str(&format!(".item[{i}]"));
        }
        path
    }

    fn then(&self, suffix: &str) -> String {
        self.render() + suffix
    }
}

/// Walks the items (groups included) and puts each answer at its item's position.
fn collect(
    ins: &Instrument,
    items: &[ItemIn<'_>],
    parent: Option<&At<'_>>,
    answers: &mut [Option<i64>],
) -> Result<(), FhirError> {
    for (n, item) in items.iter().enumerate() {
        let at = At { parent, index: n };
        let _ = (&item.id, &item.extension, &item.definition, &item.text);
        if item.modifier_extension.is_some() {
            return Err(element(
                at.then(".modifierExtension"),
                "is not understood by ferd",
            ));
        }
        if item.answer.as_ref().is_some_and(Vec::is_empty)
            || item.item.as_ref().is_some_and(Vec::is_empty)
        {
            return Err(element(
                at.render(),
                "an empty array is not allowed in FHIR JSON",
            ));
        }
        let link: &str = &item.link_id;
        let loinc_link = link.strip_prefix('/');
        let is_total = link == ins.total_link_id
            || loinc_link.is_some_and(|code| ins.fhir.loinc_total.as_deref() == Some(code));
        if is_total {
            continue; // A sender's total is never trusted; ferd computes its own.
        }
        if let Some(children) = &item.item {
            collect(ins, children, Some(&at), answers)?;
        }
        let matches = |i: &crate::instruments::Item| {
            i.link_id == link || (loinc_link.is_some() && i.loinc.as_deref() == loinc_link)
        };
        // Responses usually list items in the questionnaire's order: try the n-th item before searching.
        let index = match ins.items.get(n) {
            Some(i) if matches(i) => Some(n),
            _ => ins.items.iter().position(matches),
        };
        let Some(index) = index else {
            let is_display = link
                .strip_prefix(ins.id.as_str())
                .is_some_and(|rest| rest == "-instructions" || rest == "-stem");
            if item.answer.is_none() && (item.item.is_some() || is_display) {
                continue; // a group or a display item
            }
            return Err(element(
                at.then(".linkId"),
                format!(
                    "'{}' is not an item of {} (items: {}-1 … as in its Questionnaire)",
                    clip(link),
                    ins.id,
                    ins.id
                ),
            ));
        };
        let Some(given) = item.answer.as_deref() else {
            continue; // unanswered; completeness is checked afterwards
        };
        if answers[index].is_some() {
            return Err(element(
                at.then(".linkId"),
                format!("'{}' is answered twice", clip(link)),
            ));
        }
        if given.len() != 1 {
            return Err(element(
                at.then(".answer"),
                format!(
                    "{} answers given; item {} takes exactly one",
                    given.len(),
                    ins.items[index].key
                ),
            ));
        }
        answers[index] = Some(answer_value(ins, index, &given[0], &at)?);
    }
    Ok(())
}

/// The numeric value of one answer: a coding of one of the item's options, an integer, or a boolean for yes/no.
fn answer_value(
    ins: &Instrument,
    index: usize,
    a: &AnswerIn<'_>,
    at: &At<'_>,
) -> Result<i64, FhirError> {
    let path = || at.then(".answer[0]");
    let _ = (&a.id, &a.extension);
    if a.modifier_extension.is_some() {
        return Err(element(
            path() + ".modifierExtension",
            "is not understood by ferd",
        ));
    }
    if a.item.is_some() {
        return Err(element(
            path() + ".item",
            "nested items under an answer are not part of this questionnaire",
        ));
    }
    let item = &ins.items[index];
    let set = ins.answers_of(item);
    let given = [
        a.value_coding.is_some(),
        a.value_integer.is_some(),
        a.value_decimal.is_some(),
        a.value_boolean.is_some(),
        a.value_date.is_some(),
        a.value_date_time.is_some(),
        a.value_time.is_some(),
        a.value_string.is_some(),
        a.value_uri.is_some(),
        a.value_attachment.is_some(),
        a.value_quantity.is_some(),
        a.value_reference.is_some(),
    ];
    let allowed = "valueCoding (one of the item's answer options) or valueInteger";
    if given.iter().filter(|b| **b).count() != 1 {
        return Err(element(
            path(),
            format!("needs exactly one value[x]: {allowed}"),
        ));
    }
    if let Some(coding) = &a.value_coding {
        let _ = (
            &coding.id,
            &coding.extension,
            &coding.version,
            &coding.display,
            &coding.user_selected,
        );
        if let Some(system) = coding.system.as_deref() {
            if system != set.code_system {
                return Err(element(
                    path() + ".valueCoding.system",
                    format!(
                        "'{}' is not the system of item {}'s options ({})",
                        clip(system),
                        item.key,
                        set.code_system
                    ),
                ));
            }
        }
        let code = coding.code.as_deref().unwrap_or("");
        return set
            .options
            .iter()
            .find(|o| o.code == code)
            .map(|o| i64::from(o.value))
            .ok_or_else(|| {
                let codes: Vec<&str> = set.options.iter().map(|o| o.code.as_str()).collect();
                element(
                    path() + ".valueCoding.code",
                    format!(
                        "'{}' is not an answer option of {} item {} (allowed codes: {})",
                        clip(code),
                        ins.id,
                        item.key,
                        codes.join(", ")
                    ),
                )
            });
    }
    if let Some(v) = a.value_integer {
        return Ok(v);
    }
    if let Some(v) = a.value_decimal {
        if v.fract() == 0.0 && v.abs() < 1e9 {
            return Ok(v as i64);
        }
        return Err(element(
            path() + ".valueDecimal",
            format!(
                "{v} is not a whole-number answer (allowed: {})",
                set.range_text()
            ),
        ));
    }
    if let Some(b) = a.value_boolean {
        if set.min == 0 && set.max == 1 {
            return Ok(i64::from(b));
        }
        return Err(element(
            path() + ".valueBoolean",
            format!("item {} is not a yes/no item; use {allowed}", item.key),
        ));
    }
    Err(element(
        path(),
        format!(
            "this value type cannot answer item {}; use {allowed}",
            item.key
        ),
    ))
}

/// A serde_json error as one short line: "unknown field `score`" rather than the list of every allowed field.
fn json_error(json: &str, e: &serde_json::Error) -> FhirError {
    // A resource of another type usually fails on its first unknown field; say what it is instead.
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(json) {
        match map.get("resourceType").and_then(|v| v.as_str()) {
            Some(rt) if rt != "QuestionnaireResponse" => return FhirError::ResourceType(clip(rt)),
            None => return element("QuestionnaireResponse.resourceType", "is missing"),
            _ => {}
        }
    }
    let text = e.to_string();
    let short = match text.split_once(", expected one of") {
        Some((head, _)) => format!("{head} (at line {}, column {})", e.line(), e.column()),
        None => text,
    };
    FhirError::Json(short)
}

/// At most 60 characters of user input in a message.
fn clip(s: &str) -> String {
    if s.chars().count() > 60 {
        s.chars().take(60).collect::<String>() + "…"
    } else {
        s.to_string()
    }
}

/// FHIR `id`: 1–64 of `[A-Za-z0-9\-\.]`.
fn is_fhir_id(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

/// Whether `s` is a FHIR `dateTime`: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or `YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)`, with
/// real calendar dates (a time requires a zone, as FHIR does).
pub fn is_fhir_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|x| x.iter().all(u8::is_ascii_digit))
    };
    let num = |r: std::ops::Range<usize>| -> u32 {
        s.get(r).and_then(|x| x.parse().ok()).unwrap_or(u32::MAX)
    };
    if !digits(0..4) || num(0..4) == 0 {
        return false;
    }
    if b.len() == 4 {
        return true;
    }
    if b.get(4) != Some(&b'-') || !digits(5..7) || !(1..=12).contains(&num(5..7)) {
        return false;
    }
    if b.len() == 7 {
        return true;
    }
    if b.get(7) != Some(&b'-') || !digits(8..10) {
        return false;
    }
    let (year, month, day) = (num(0..4), num(5..7), num(8..10));
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][month as usize - 1];
    if day == 0 || day > days {
        return false;
    }
    if b.len() == 10 {
        return true;
    }
    if b.get(10) != Some(&b'T')
        || !digits(11..13)
        || b.get(13) != Some(&b':')
        || !digits(14..16)
        || b.get(16) != Some(&b':')
        || !digits(17..19)
        || num(11..13) > 23
        || num(14..16) > 59
        || num(17..19) > 60
    {
        return false;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    match rest.as_bytes() {
        [b'Z'] => true,
        [sign, h1, h2, b':', m1, m2] if (*sign == b'+' || *sign == b'-') => {
            [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()) && {
                let hours = u32::from(*h1 - b'0') * 10 + u32::from(*h2 - b'0');
                let minutes = u32::from(*m1 - b'0') * 10 + u32::from(*m2 - b'0');
                // FHIR's pattern: zones from -14:00 to +14:00; at hour 14 only :00.
                hours < 14 && minutes <= 59 || hours == 14 && minutes == 0
            }
        }
        _ => false,
    }
}

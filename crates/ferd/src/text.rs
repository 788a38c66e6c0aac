//! Plain-text renderings for the terminal.

use std::fmt::Write;

use ferd_core::instruments::{Change, Instrument, Scored, SdiffBasis};
use ferd_core::Catalogue;

pub fn instrument_list(catalogue: &Catalogue) -> String {
    let mut out = format!(
        "{:<11} {:<52} {:>5}  {}\n",
        "ID", "NAME", "ITEMS", "LICENCE"
    );
    for i in catalogue.iter() {
        let _ = writeln!(
            out,
            "{:<11} {:<52} {:>5}  {}",
            i.id,
            i.title.en(),
            i.items.len(),
            i.licence.kind
        );
    }
    out.trim_end().to_string()
}

pub fn instrument(ins: &Instrument) -> String {
    let mut o = String::new();
    let text = &ins.text["en"];
    let _ = writeln!(
        o,
        "{} — {} (version {})",
        ins.id,
        ins.title.en(),
        ins.version
    );
    let _ = writeln!(o, "{}", ins.purpose);
    let _ = writeln!(o, "Recall period: {}", ins.recall.text.en());
    let _ = writeln!(o, "Canonical URL: {}", ins.url);
    if let Some(base) = &ins.variant_of {
        let _ = writeln!(o, "A form of: {base}");
    }
    let _ = writeln!(o);
    if let Some(instructions) = &text.instructions {
        let _ = writeln!(o, "Instructions: {instructions}");
    }
    let _ = writeln!(o, "Stem: {}", text.stem);
    if !text.verified {
        let _ = writeln!(
            o,
            "Note: {}",
            text.note
                .as_deref()
                .unwrap_or("wording not yet verified against the official form")
        );
    }
    let _ = writeln!(o, "\nItems:");
    for item in &ins.items {
        let set = ins.answers_of(item);
        let mut notes = Vec::new();
        if !item.scored {
            notes.push("not scored");
        }
        if !item.required {
            notes.push("optional");
        }
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(" [{}]", notes.join(", "))
        };
        let _ = writeln!(
            o,
            "  {:>8}. {}{} ({})",
            item.key,
            item.text.en(),
            notes,
            set.id
        );
    }
    let _ = writeln!(o, "\nAnswer options:");
    for set in &ins.answer_sets {
        let options: Vec<String> = set
            .options
            .iter()
            .map(|op| format!("{} = {}", op.value, op.label.en()))
            .collect();
        let _ = writeln!(o, "  {}: {}", set.id, options.join("; "));
    }
    let _ = writeln!(o, "\nScores:");
    for s in &ins.scores {
        let keys = ins.keys_of(s.items).join(", ");
        let mult = if s.multiplier != 1 {
            format!(" × {}", s.multiplier)
        } else {
            String::new()
        };
        let _ = writeln!(
            o,
            "  {} — {}: items {}{} ({}–{}) [{}]",
            s.id,
            s.name.en(),
            keys,
            mult,
            s.min,
            s.max,
            s.source
        );
    }
    if let Some(gate) = &ins.gate {
        let _ = writeln!(
            o,
            "  A '{}' answer to item {} ends the screen with every score 0 [{}]",
            gate.closes_when, ins.items[gate.item].key, gate.source
        );
    }
    if !ins.bands.is_empty() {
        let _ = writeln!(o, "\nSeverity bands:");
        for b in &ins.bands {
            let _ = writeln!(
                o,
                "  {}–{}: {} ({}) [{}]",
                b.min,
                b.max,
                b.label.en(),
                b.id,
                b.source
            );
        }
    } else {
        let _ = writeln!(o, "\nSeverity bands: none defined by the authors");
    }
    if !ins.cutoffs.is_empty() {
        let _ = writeln!(o, "\nCut-offs:");
        for c in &ins.cutoffs {
            let primary = if c.primary { " (primary)" } else { "" };
            let _ = writeln!(
                o,
                "  {} {} {}: {}{} [{}]",
                ins.scores[c.score].id,
                c.threshold,
                c.id,
                c.label.en(),
                primary,
                c.source
            );
        }
    }
    for p in &ins.patterns {
        let criteria: Vec<String> = p
            .criteria
            .iter()
            .map(|c| match c.at_most {
                Some(m) => format!("{}–{} of items {}", c.at_least, m, c.items_text),
                None => format!("≥ {} of items {}", c.at_least, c.items_text),
            })
            .collect();
        let diag = if p.provisional_diagnosis {
            " (provisional diagnosis)"
        } else {
            ""
        };
        let _ = writeln!(
            o,
            "\nPattern {}{}: {}\n  an item counts at ≥ {}; needs {} [{}]",
            p.id,
            diag,
            p.label.en(),
            p.endorsed_at,
            criteria.join(", "),
            p.source
        );
    }
    for f in &ins.flags {
        let _ = writeln!(
            o,
            "\nSafety flag {} ({}): item {} ≥ {} — {} [{}]",
            f.id,
            f.severity,
            ins.items[f.item].key,
            f.at_least,
            f.label.en(),
            f.source
        );
    }
    match &ins.change {
        Some(c) => {
            let _ = writeln!(o, "\nChange (on {}):", ins.scores[c.score].id);
            let basis = match &c.s_diff_basis {
                SdiffBasis::SdAndReliability {
                    sd,
                    sd_source,
                    reliability,
                    reliability_source,
                } => {
                    format!("SD {sd} [{sd_source}], r {reliability} [{reliability_source}]")
                }
                SdiffBasis::Sem { sem, source } => format!("SEM {sem} [{source}]"),
                SdiffBasis::PublishedThreshold { points, source } => {
                    format!("published threshold {points} [{source}]")
                }
            };
            let _ = writeln!(o, "  Jacobson–Truax S_diff {:.2} from {basis}", c.s_diff);
            match &c.reliable_points {
                Some((p, s)) => {
                    let _ = writeln!(o, "  Reliable change: ≥ {p} points [{s}]");
                }
                None => {
                    let _ = writeln!(
                        o,
                        "  Reliable change: ≥ {:.1} points (|RCI| ≥ 1.96)",
                        1.96 * c.s_diff
                    );
                }
            }
            let _ = writeln!(
                o,
                "  Clinically meaningful: ≥ {} points [{}]",
                c.clinically_meaningful_points, c.clinically_meaningful_source
            );
            if let Some((t, s)) = &c.functional {
                let range = t.to_string();
                let _ = writeln!(o, "  Functional range (recovery): {range} [{s}]");
            }
        }
        None => {
            let _ = writeln!(
                o,
                "\nChange: no thresholds (a screen, not a measure of change)"
            );
        }
    }
    let _ = writeln!(o, "\nLOINC: {}", loinc_line(ins));
    let _ = writeln!(
        o,
        "Licence: {} — {} [{}]",
        ins.licence.kind, ins.licence.statement, ins.licence.source
    );
    for (lang, t) in &ins.translations {
        let _ = writeln!(o, "Translation ({lang}): {}", t.note);
    }
    let _ = writeln!(o, "Citation: {}", ins.citation);
    let _ = writeln!(o, "\nSources:");
    for s in &ins.sources {
        let _ = writeln!(o, "  [{}] {} {}", s.id, s.citation, s.url);
    }
    o.trim_end().to_string()
}

fn loinc_line(ins: &Instrument) -> String {
    match (&ins.fhir.loinc_panel, &ins.fhir.loinc_total) {
        (None, None) => ins.fhir.note.clone().unwrap_or_else(|| "none".into()),
        (panel, total) => format!(
            "panel {}, total {}",
            panel.as_deref().unwrap_or("—"),
            total.as_deref().unwrap_or("—")
        ),
    }
}

pub fn instrument_json(ins: &Instrument) -> serde_json::Value {
    let text = &ins.text["en"];
    serde_json::json!({
        "id": ins.id,
        "variant_of": ins.variant_of,
        "version": ins.version,
        "name": ins.name,
        "short_name": ins.short_name,
        "title": ins.title.0,
        "url": ins.url,
        "purpose": ins.purpose,
        "recall": { "days": ins.recall.days, "text": ins.recall.text.0 },
        "instructions": text.instructions,
        "stem": text.stem,
        "text_verified": text.verified,
        "items": ins.items.iter().map(|i| serde_json::json!({
            "key": i.key, "link_id": i.link_id, "text": i.text.0, "answers": ins.answer_sets[i.answer_set].id,
            "required": i.required, "scored": i.scored, "loinc": i.loinc,
        })).collect::<Vec<_>>(),
        "answer_sets": ins.answer_sets.iter().map(|s| serde_json::json!({
            "id": s.id, "system": s.system,
            "options": s.options.iter().map(|o| serde_json::json!({"value": o.value, "code": o.code, "label": o.label.0})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "scores": ins.scores.iter().map(|s| serde_json::json!({
            "id": s.id, "name": s.name.0, "items": ins.keys_of(s.items), "min": s.min, "max": s.max,
            "multiplier": s.multiplier, "loinc": s.loinc, "source": s.source,
        })).collect::<Vec<_>>(),
        "bands": ins.bands.iter().map(|b| serde_json::json!({
            "id": b.id, "score": ins.scores[b.score].id, "min": b.min, "max": b.max, "label": b.label.0, "source": b.source,
        })).collect::<Vec<_>>(),
        "cutoffs": ins.cutoffs.iter().map(|c| serde_json::json!({
            "id": c.id, "primary": c.primary, "score": ins.scores[c.score].id, "threshold": c.threshold.to_string(),
            "label": c.label.0, "source": c.source,
        })).collect::<Vec<_>>(),
        "flags": ins.flags.iter().map(|f| serde_json::json!({
            "id": f.id, "item": ins.items[f.item].key, "at_least": f.at_least, "severity": f.severity, "source": f.source,
        })).collect::<Vec<_>>(),
        "licence": { "kind": ins.licence.kind, "statement": ins.licence.statement, "copyright": ins.licence.copyright },
        "loinc": { "panel": ins.fhir.loinc_panel, "total": ins.fhir.loinc_total },
        "citation": ins.citation,
        "sources": ins.sources.iter().map(|s| serde_json::json!({"id": s.id, "citation": s.citation, "url": s.url})).collect::<Vec<_>>(),
    })
}

pub fn score(scored: &Scored<'_>) -> String {
    let ins = scored.instrument();
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} ({}, version {})",
        ins.title.en(),
        ins.id,
        ins.version
    );
    if scored.gate_closed() {
        let _ = writeln!(
            o,
            "The screen ended at the first question: every score is 0."
        );
    }
    let total = ins.total();
    let _ = writeln!(
        o,
        "Total: {} (range {}–{})",
        scored.total(),
        total.min,
        total.max
    );
    let subs: Vec<String> = scored
        .subscales()
        .map(|(d, v)| format!("{} {}", d.id, v))
        .collect();
    if !subs.is_empty() {
        let _ = writeln!(o, "Subscales: {}", subs.join(" · "));
    }
    for (d, v) in scored.derived() {
        let _ = writeln!(o, "{}: {} (range {}–{})", d.name.en(), v, d.min, d.max);
    }
    if let Some(band) = scored.band() {
        let _ = writeln!(
            o,
            "Severity: {} ({}–{})",
            band.label.en(),
            band.min,
            band.max
        );
    }
    for (c, met) in scored.cutoffs() {
        let _ = writeln!(
            o,
            "Cut-off {} ({} {}): {}",
            c.id,
            ins.scores[c.score].id,
            c.threshold,
            if met { "met" } else { "not met" }
        );
    }
    for (p, met) in scored.patterns() {
        let _ = writeln!(o, "{}: {}", p.label.en(), if met { "yes" } else { "no" });
    }
    let flags: Vec<_> = scored.flags().collect();
    if flags.is_empty() {
        let _ = writeln!(o, "Safety flags: none");
    }
    for f in flags {
        let _ = writeln!(o, "SAFETY FLAG {}: {}", f.id, f.label.en());
    }
    o.trim_end().to_string()
}

pub fn change(ins: &Instrument, c: &Change) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} ({}): {} → {} (difference {:+})",
        ins.title.en(),
        c.score,
        c.from,
        c.to,
        c.difference
    );
    let _ = writeln!(
        o,
        "Reliable change index: {:.2} (S_diff {:.2})",
        c.reliable_change_index, c.s_diff
    );
    let _ = writeln!(
        o,
        "Reliable: {} (threshold {:.1} points)",
        yes_no(c.reliable),
        c.reliable_threshold
    );
    let _ = writeln!(
        o,
        "Clinically meaningful: {} (threshold {} points)",
        yes_no(c.clinically_meaningful),
        c.clinically_meaningful_threshold
    );
    let class = serde_json::to_value(c.classification)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default();
    let _ = writeln!(o, "Classification: {class}");
    let _ = writeln!(o, "Rule: {}", c.rule);
    o.trim_end().to_string()
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

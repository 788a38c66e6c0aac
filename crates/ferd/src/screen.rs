//! `ferd screen`: a quick safety check of medicines, conditions and a few facts against ferd's screening rules.
//!
//! Parsing the command line lives here; recognising names and applying the rules is ferd-core's
//! ([`ferd_core::screening`]). The output says plainly that it is decision support: a clinician decides.

use ferd_core::screening::{
    BloodPressure, Day, FamilyHistory, Finding, HistoryQuestion, IntakeFacts, Medication,
    PastEpisode, Remission, RuleSet, Severity, SubstanceUse, UseDisorder, UseSeverity,
};

use crate::{Failure, Format};

/// The arguments of `ferd screen`.
#[derive(clap::Args, Debug)]
pub struct ScreenArgs {
    /// Medicines, herbal products and supplements, comma-separated ("Zoloft 50 mg, johannesurt"). An entry may end
    /// with "stopped YYYY-MM-DD" (or "stoppet") for a medicine already stopped, or "until YYYY-MM-DD" (or "til")
    /// for the planned end of a taper.
    #[arg(long, value_name = "LIST")]
    medications: Option<String>,
    /// Conditions and diagnoses, comma-separated, in Norwegian or English ("schizofreni, høyt blodtrykk").
    #[arg(long, value_name = "LIST")]
    conditions: Option<String>,
    /// Recreational substances and alcohol, comma-separated. A diagnosed use disorder follows a colon:
    /// "alkohol:moderate:early" (severity mild|moderate|severe, remission early|sustained); "last YYYY-MM-DD"
    /// gives the last use.
    #[arg(long, value_name = "LIST")]
    substances: Option<String>,
    /// Psychosis or bipolar disorder in first-degree relatives, comma-separated relative:illness pairs
    /// ("parent:bipolar, sibling:psychosis"; relatives parent|sibling|child, illnesses psychosis|bipolar).
    #[arg(long, value_name = "LIST")]
    family: Option<String>,
    /// The person's own episodes, comma-separated: psychosis, mania or hypomania, each with ":substance" when it
    /// came only with a drug, alcohol or a medicine ("psychosis:substance, hypomania").
    #[arg(long, value_name = "LIST")]
    episodes: Option<String>,
    /// History questions the person could not answer, comma-separated: family, psychosis, mania.
    #[arg(long, value_name = "LIST")]
    unknown_history: Option<String>,
    /// Age in years.
    #[arg(long)]
    age: Option<u32>,
    /// A known blood pressure, systolic/diastolic in mmHg ("135/85").
    #[arg(long, value_name = "SYS/DIA")]
    blood_pressure: Option<String>,
    /// Pregnant now.
    #[arg(long)]
    pregnant: bool,
    /// Breastfeeding now.
    #[arg(long)]
    breastfeeding: bool,
    /// Days since the last medicine session, for a client already in treatment.
    #[arg(long, value_name = "DAYS")]
    days_since_session: Option<u32>,
    /// The day to screen for (stop dates and washout windows count from it); today by default.
    #[arg(long, value_name = "YYYY-MM-DD")]
    today: Option<String>,
    /// Language of the explanations: en or nb.
    #[arg(long, default_value = "en", value_parser = ["en", "nb"])]
    lang: String,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Runs the screening and renders the findings.
pub fn run(args: &ScreenArgs) -> Result<String, Failure> {
    let facts = facts(args)?;
    let findings = RuleSet::builtin().screen(&facts);
    Ok(match args.format {
        Format::Json => serde_json::to_string_pretty(&serde_json::Value::Array(
            findings.iter().map(|f| f.to_json(&args.lang)).collect(),
        ))?,
        Format::Text => text(&facts, &findings, &args.lang),
    })
}

fn facts(args: &ScreenArgs) -> Result<IntakeFacts, Failure> {
    let nothing = args.medications.is_none()
        && args.conditions.is_none()
        && args.substances.is_none()
        && args.family.is_none()
        && args.episodes.is_none()
        && args.unknown_history.is_none()
        && args.age.is_none()
        && args.blood_pressure.is_none()
        && !args.pregnant
        && !args.breastfeeding;
    if nothing {
        return Err(Failure::input(
            "nothing to screen: give --medications and/or --conditions (or --substances, --family, --episodes, --unknown-history, --age, --blood-pressure, --pregnant, --breastfeeding)",
        ));
    }
    let today = match &args.today {
        Some(t) => Day::parse(t).map_err(|e| Failure::input(format!("--today: {e}")))?,
        None => local_today()?,
    };
    let mut facts = IntakeFacts::new(today);
    if let Some(list) = &args.medications {
        for entry in entries("--medications", list)? {
            let (name, stopped) = dated("--medications", &entry)?;
            facts.medications.push(Medication { name, stopped });
        }
    }
    if let Some(list) = &args.conditions {
        facts.conditions = entries("--conditions", list)?;
    }
    if let Some(list) = &args.substances {
        for entry in entries("--substances", list)? {
            facts.substances.push(substance(&entry)?);
        }
    }
    if let Some(list) = &args.family {
        for entry in entries("--family", list)? {
            facts.family_history.push(
                FamilyHistory::parse(&entry)
                    .map_err(|e| Failure::input(format!("--family: {e}")))?,
            );
        }
    }
    if let Some(list) = &args.episodes {
        for entry in entries("--episodes", list)? {
            facts.episodes.push(
                PastEpisode::parse(&entry)
                    .map_err(|e| Failure::input(format!("--episodes: {e}")))?,
            );
        }
    }
    if let Some(list) = &args.unknown_history {
        for entry in entries("--unknown-history", list)? {
            facts.unknown_history.push(
                HistoryQuestion::parse(&entry)
                    .map_err(|e| Failure::input(format!("--unknown-history: {e}")))?,
            );
        }
    }
    if let Some(bp) = &args.blood_pressure {
        facts.blood_pressure = Some(
            BloodPressure::parse(bp)
                .map_err(|e| Failure::input(format!("--blood-pressure: {e}")))?,
        );
    }
    facts.age = args.age;
    facts.pregnant = args.pregnant;
    facts.breastfeeding = args.breastfeeding;
    facts.days_since_last_medicine_session = args.days_since_session;
    Ok(facts)
}

/// Today in the machine's time zone: the day a person at this computer calls today.
fn local_today() -> Result<Day, Failure> {
    let date = jiff::ZonedDateTime::now().date();
    Day::from_ymd(
        i32::from(date.year()),
        u32::try_from(date.month()).unwrap_or(0),
        u32::try_from(date.day()).unwrap_or(0),
    )
    .ok_or_else(|| Failure {
        message: "cannot tell today's date; give --today YYYY-MM-DD".into(),
        code: 1,
    })
}

/// Splits a comma- (or semicolon-) separated list. A decimal comma inside a dose ("Lithionit 0,5 g") is kept; an
/// empty entry is an error rather than something to skip, so that a stray comma is noticed.
fn entries(flag: &str, list: &str) -> Result<Vec<String>, Failure> {
    if list.trim().is_empty() {
        return Err(Failure::input(format!(
            "{flag} is empty: give at least one name, e.g. {flag} \"Zoloft 50 mg, Aurorix\""
        )));
    }
    let mut out: Vec<String> = Vec::new();
    for (i, piece) in list.split([',', ';']).enumerate() {
        let decimal = |p: &str| p.starts_with(|c: char| c.is_ascii_digit());
        match out.last_mut() {
            Some(prev)
                if i > 0 && decimal(piece) && prev.ends_with(|c: char| c.is_ascii_digit()) =>
            {
                prev.push(',');
                prev.push_str(piece);
            }
            _ => out.push(piece.to_string()),
        }
    }
    for (i, entry) in out.iter_mut().enumerate() {
        *entry = entry.trim().to_string();
        if entry.is_empty() {
            return Err(Failure::input(format!(
                "{flag}: entry {} of {} is empty (a stray comma?)",
                i + 1,
                list.split([',', ';']).count()
            )));
        }
    }
    Ok(out)
}

/// Takes "stopped 2025-03-01", "stoppet …", "until …", "til …" or "last …" out of an entry. The keyword counts only
/// when a date follows, so "Paracet til natten" stays a name.
fn dated(flag: &str, entry: &str) -> Result<(String, Option<Day>), Failure> {
    const KEYWORDS: [&str; 5] = ["stopped", "stoppet", "until", "til", "last"];
    let strip = |t: &str| {
        t.trim_matches(|c: char| c == '(' || c == ')' || c == ',')
            .to_string()
    };
    let tokens: Vec<&str> = entry.split_whitespace().collect();
    let mut name = Vec::with_capacity(tokens.len());
    let mut day = None;
    let mut i = 0;
    while i < tokens.len() {
        let word = strip(tokens[i]).to_lowercase();
        let next = tokens.get(i + 1).map(|t| strip(t));
        if let (true, Some(date)) = (KEYWORDS.contains(&word.as_str()), next) {
            if date.starts_with(|c: char| c.is_ascii_digit()) && date.contains('-') {
                if day.is_some() {
                    return Err(Failure::input(format!("{flag}: '{entry}' has two dates")));
                }
                day = Some(
                    Day::parse(&date)
                        .map_err(|e| Failure::input(format!("{flag}: '{entry}': {e}")))?,
                );
                i += 2;
                continue;
            }
        }
        name.push(tokens[i]);
        i += 1;
    }
    let name = name.join(" ");
    let name = name.trim_end_matches(['(', ' ']).trim().to_string();
    if name.is_empty() {
        return Err(Failure::input(format!(
            "{flag}: '{entry}' has a date but no name"
        )));
    }
    Ok((name, day))
}

/// "alkohol:moderate:early last 2026-01-10" → the substance, its last use and its use disorder.
fn substance(entry: &str) -> Result<SubstanceUse, Failure> {
    let (text, last_used) = dated("--substances", entry)?;
    let mut parts = text.split(':').map(str::trim);
    let name = parts.next().unwrap_or_default().to_string();
    let severity = parts
        .next()
        .map(|s| match s.to_lowercase().as_str() {
            "mild" => Ok(UseSeverity::Mild),
            "moderate" | "moderat" => Ok(UseSeverity::Moderate),
            "severe" | "alvorlig" => Ok(UseSeverity::Severe),
            other => Err(Failure::input(format!(
                "--substances: '{entry}': use-disorder severity '{other}' is not mild, moderate or severe"
            ))),
        })
        .transpose()?;
    let remission = match parts.next().map(str::to_lowercase).as_deref() {
        None | Some("none") => Remission::None,
        Some("early") | Some("tidlig") => Remission::Early,
        Some("sustained") | Some("vedvarende") => Remission::Sustained,
        Some(other) => {
            return Err(Failure::input(format!(
                "--substances: '{entry}': remission '{other}' is not early or sustained"
            )))
        }
    };
    if parts.next().is_some()
        || name.is_empty()
        || (severity.is_none() && remission != Remission::None)
    {
        return Err(Failure::input(format!(
            "--substances: '{entry}' is not name[:severity[:remission]], e.g. alkohol:moderate:early"
        )));
    }
    Ok(SubstanceUse {
        substance: name,
        last_used,
        disorder: severity.map(|severity| UseDisorder {
            severity,
            remission,
        }),
    })
}

/// The findings for a reader: grouped by severity, each with the entry it came from, why it matters, and its
/// source, between two plain statements that this is decision support.
fn text(facts: &IntakeFacts, findings: &[Finding<'_>], lang: &str) -> String {
    let nb = lang == "nb";
    let mut out = String::new();
    out.push_str(if nb {
        "Screening av sikkerhet — beslutningsstøtte, ikke en klarering. En kliniker avgjør.\n"
    } else {
        "Safety screening — decision support, not a clearance. A clinician decides.\n"
    });
    let screened = if nb {
        format!(
            "Screenet {}: {} legemidler, {} stoffer, {} tilstander.\n",
            facts.today,
            facts.medications.len(),
            facts.substances.len(),
            facts.conditions.len()
        )
    } else {
        format!(
            "Screened for {}: {} medicines, {} substances, {} conditions.\n",
            facts.today,
            facts.medications.len(),
            facts.substances.len(),
            facts.conditions.len()
        )
    };
    out.push_str(&screened);
    for severity in Severity::ALL {
        let group: Vec<&Finding<'_>> = findings
            .iter()
            .filter(|f| f.severity() == severity)
            .collect();
        if group.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n{} ({})\n",
            severity.label(lang).to_uppercase(),
            group.len()
        ));
        for f in group {
            let class = f.class_name(lang).unwrap_or(f.class());
            out.push_str(&format!("\n  {} · {class}\n", f.rule_id()));
            let entry = match &f.recognised_as {
                Some(r) => format!("\"{}\" → {r}", f.matched),
                None => format!("\"{}\"", f.matched),
            };
            out.push_str(&format!(
                "    {}: {entry}\n",
                if nb { "Oppføring" } else { "Entry" }
            ));
            if let Some(d) = f.detail {
                out.push_str(&format!("    {}\n", d.text(lang)));
            }
            out.push_str(&wrap(f.explanation(lang), "    "));
            if let Some(note) = f.note(lang) {
                out.push_str(&wrap(&format!("({note})"), "    "));
            }
            let source = &f.source().citation;
            out.push_str(&wrap(
                &format!("{}: {source}", if nb { "Kilde" } else { "Source" }),
                "    ",
            ));
            if !f.verified {
                out.push_str(if nb {
                    "    [ikke verifisert: bygger på en sekundærkilde eller en slutning — kontroller]\n"
                } else {
                    "    [unverified: rests on a secondary source or an inference — check it]\n"
                });
            }
        }
    }
    let count = |s: Severity| findings.iter().filter(|f| f.severity() == s).count();
    out.push('\n');
    if findings.is_empty() {
        out.push_str(if nb {
            "Ingen regel slo til. Det betyr ikke at personen er klarert.\n"
        } else {
            "No rule fired. That does not mean the person is cleared.\n"
        });
    } else if nb {
        out.push_str(&format!(
            "{} eksklusjon, {} krever klarering, {} forsiktighet, {} informasjon.\n",
            count(Severity::Exclusion),
            count(Severity::ClearanceRequired),
            count(Severity::Caution),
            count(Severity::Info)
        ));
    } else {
        out.push_str(&format!(
            "{} exclusion, {} clearance-required, {} caution, {} info.\n",
            count(Severity::Exclusion),
            count(Severity::ClearanceRequired),
            count(Severity::Caution),
            count(Severity::Info)
        ));
    }
    out.push_str(if nb {
        "ferd klarerer ingen: en navngitt kliniker vurderer funnene og registrerer klarering eller avslag."
    } else {
        "ferd clears no one: a named clinician reviews the findings and records a clearance or a refusal."
    });
    out
}

/// Wraps text at about 100 columns, every line indented.
fn wrap(text: &str, indent: &str) -> String {
    const WIDTH: usize = 100;
    let mut out = String::new();
    let mut line = String::from(indent);
    for word in text.split_whitespace() {
        if line.len() > indent.len() && line.chars().count() + 1 + word.chars().count() > WIDTH {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(indent);
        }
        if line.len() > indent.len() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if line.len() > indent.len() {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Failure` has no `Debug` (it is printed as one line by `main`), so tests unwrap through its message.
    fn ok<T>(r: Result<T, Failure>) -> T {
        r.unwrap_or_else(|e| panic!("{}", e.message))
    }

    #[test]
    fn a_decimal_comma_stays_inside_its_entry_and_an_empty_entry_is_an_error() {
        assert_eq!(
            ok(entries("--medications", "Lithionit 0,5 g, Zoloft")),
            ["Lithionit 0,5 g", "Zoloft"]
        );
        assert_eq!(ok(entries("--medications", "a; b")), ["a", "b"]);
        assert!(entries("--medications", "a,,b").is_err());
        assert!(entries("--medications", "  ").is_err());
    }

    #[test]
    fn stop_and_taper_dates_are_taken_out_of_the_name() {
        let (name, day) = ok(dated("--medications", "Zoloft 50 mg (stopped 2026-03-01)"));
        assert_eq!(
            (name.as_str(), day),
            ("Zoloft 50 mg", Day::from_ymd(2026, 3, 1))
        );
        let (name, day) = ok(dated("--medications", "Cipralex til 2026-06-01"));
        assert_eq!(
            (name.as_str(), day),
            ("Cipralex", Day::from_ymd(2026, 6, 1))
        );
        let (name, day) = ok(dated("--medications", "Paracet til natten"));
        assert_eq!((name.as_str(), day), ("Paracet til natten", None));
        assert!(dated("--medications", "Zoloft stopped 2026-02-30").is_err());
        assert!(dated("--medications", "stopped 2026-02-01").is_err());
    }

    #[test]
    fn a_substance_may_carry_its_use_disorder() {
        let s = ok(substance("alkohol:moderate:early"));
        assert_eq!(s.substance, "alkohol");
        assert_eq!(
            s.disorder,
            Some(UseDisorder {
                severity: UseSeverity::Moderate,
                remission: Remission::Early
            })
        );
        assert_eq!(ok(substance("cannabis")).disorder, None);
        assert!(substance("alkohol:heavy").is_err());
        assert!(substance("alkohol::early").is_err());
    }

    #[test]
    fn long_text_wraps_with_its_indent() {
        let w = wrap(&"word ".repeat(50), "    ");
        assert!(w
            .lines()
            .all(|l| l.starts_with("    ") && l.chars().count() <= 100));
    }
}

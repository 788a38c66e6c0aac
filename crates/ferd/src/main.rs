//! `ferd`: the command-line interface. A thin layer: it parses arguments, calls `ferd-core`, and prints.
//!
//! Every failure caused by input prints one line `error: …` naming what is wrong and exits with code 2.

use std::io::Read;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use ferd_core::fhir::{self, ObservationContext, Reference};
use ferd_core::instruments::{parse_positional, Change, Instrument, Scored};
use ferd_core::Catalogue;

mod text;

/// ferd: measurement-based care for psychedelic-assisted therapy of PTSD.
#[derive(Parser, Debug)]
#[command(name = "ferd", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// List the bundled questionnaires: id, name, item count, licence.
    Instruments {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Show one questionnaire.
    Instrument {
        #[command(subcommand)]
        action: InstrumentAction,
    },
    /// Score a response, given as answers in item order or as a FHIR QuestionnaireResponse.
    Score {
        /// Instrument id (pcl-5, pcl-5-week, pc-ptsd-5, phq-9, gad-7, who-5). Optional with --fhir.
        id: Option<String>,
        /// Answers in item order, comma-separated (an empty entry is an unanswered item), e.g. 3,3,4,2,…
        #[arg(long, conflicts_with = "fhir", allow_hyphen_values = true)]
        answers: Option<String>,
        /// A FHIR R4 QuestionnaireResponse (JSON) to score: a file, or - for standard input.
        #[arg(long, value_name = "FILE|-")]
        fhir: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Print the FHIR Observations (a Bundle of type collection) instead of the scores.
        #[arg(long)]
        observations: bool,
    },
    /// Interpret the change between two responses to one instrument.
    Change {
        id: String,
        /// The earlier answers, in item order.
        #[arg(long, allow_hyphen_values = true)]
        from: String,
        /// The later answers, in item order.
        #[arg(long, allow_hyphen_values = true)]
        to: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Subcommand, Debug)]
enum InstrumentAction {
    /// The definition: items, answers, scoring, interpretation, change thresholds, licence and sources.
    Show {
        id: String,
        /// Print the FHIR R4 Questionnaire (JSON) instead.
        #[arg(long)]
        fhir: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

/// A failure to report: one line, exit code 2.
struct Failure(String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(Failure(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<String, Failure> {
    let catalogue = Catalogue::builtin();
    match cli.command {
        Command::Instruments { format } => Ok(match format {
            Format::Text => text::instrument_list(catalogue),
            Format::Json => pretty(&serde_json::Value::Array(
                catalogue
                    .iter()
                    .map(|i| {
                        serde_json::json!({
                            "id": i.id,
                            "name": i.name,
                            "short_name": i.short_name,
                            "version": i.version,
                            "items": i.items.len(),
                            "scored_items": i.scored_item_count(),
                            "recall": i.recall.text.en(),
                            "licence": i.licence.kind,
                            "url": i.url,
                        })
                    })
                    .collect(),
            ))?,
        }),
        Command::Instrument {
            action: InstrumentAction::Show { id, fhir, format },
        } => {
            let ins = catalogue.require(&id)?;
            if fhir {
                return pretty(&fhir::questionnaire(ins));
            }
            Ok(match format {
                Format::Text => text::instrument(ins),
                Format::Json => pretty(&text::instrument_json(ins))?,
            })
        }
        Command::Score {
            id,
            answers,
            fhir,
            format,
            observations,
        } => {
            let expected = id.as_deref().map(|id| catalogue.require(id)).transpose()?;
            match (answers, fhir) {
                (Some(answers), None) => {
                    let ins = expected.ok_or_else(|| Failure("score --answers needs an instrument id, e.g. `ferd score phq-9 --answers …`".into()))?;
                    let response = ins.response(&parse_positional(&answers)?)?;
                    let scored = response.score();
                    if observations {
                        let qr = fhir::questionnaire_response(&response, None, None);
                        return observation_bundle(&scored, serde_json::to_value(qr)?, None, None, None);
                    }
                    render_score(&scored, format)
                }
                (None, Some(source)) => {
                    let json = read_input(&source)?;
                    let parsed = fhir::score_questionnaire_response(catalogue, &json, expected)?;
                    if observations {
                        let original: serde_json::Value = serde_json::from_str(&json)?;
                        return observation_bundle(
                            &parsed.scored,
                            original,
                            parsed.id.clone(),
                            parsed.subject.clone(),
                            parsed.authored.clone(),
                        );
                    }
                    render_score(&parsed.scored, format)
                }
                _ => Err(Failure(
                    "score needs either --answers <list> (with an instrument id) or --fhir <file|->".into(),
                )),
            }
        }
        Command::Change {
            id,
            from,
            to,
            format,
        } => {
            let ins = catalogue.require(&id)?;
            let before = scored_from(ins, &from, "--from")?;
            let after = scored_from(ins, &to, "--to")?;
            let change: Change = ins.change(&before, &after)?;
            Ok(match format {
                Format::Text => text::change(ins, &change),
                Format::Json => pretty(&change)?,
            })
        }
    }
}

fn scored_from<'c>(ins: &'c Instrument, list: &str, flag: &str) -> Result<Scored<'c>, Failure> {
    let answers = parse_positional(list).map_err(|e| Failure(format!("{flag}: {e}")))?;
    let response = ins
        .response(&answers)
        .map_err(|e| Failure(format!("{flag}: {e}")))?;
    Ok(response.score())
}

fn render_score(scored: &Scored<'_>, format: Format) -> Result<String, Failure> {
    Ok(match format {
        Format::Text => text::score(scored),
        Format::Json => pretty(&scored.summary())?,
    })
}

/// The Observations in a FHIR Bundle of type `collection`. When the response has a server id, the Observations
/// refer to `QuestionnaireResponse/<id>`; otherwise the response itself is put in the Bundle under a `urn:uuid:` and
/// referred to by that, so every reference resolves.
fn observation_bundle(
    scored: &Scored<'_>,
    response: serde_json::Value,
    id: Option<String>,
    subject: Option<Reference>,
    authored: Option<String>,
) -> Result<String, Failure> {
    let urn = || format!("urn:uuid:{}", uuid::Uuid::new_v4());
    let mut entries = Vec::new();
    let derived_from = match id {
        Some(id) => Reference::to(format!("QuestionnaireResponse/{id}")),
        None => {
            let full_url = urn();
            entries.push(serde_json::json!({ "fullUrl": full_url, "resource": response }));
            Reference::to(full_url)
        }
    };
    let ctx = ObservationContext {
        derived_from,
        subject,
        effective: authored,
        issued: None,
    };
    for observation in fhir::observations(scored, &ctx) {
        entries.push(serde_json::json!({ "fullUrl": urn(), "resource": observation }));
    }
    pretty(&serde_json::json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": entries,
    }))
}

/// Reads a file, or standard input for `-`, refusing anything over 4 MiB.
fn read_input(source: &str) -> Result<String, Failure> {
    const LIMIT: u64 = 4 << 20;
    let mut bytes = Vec::new();
    let read = if source == "-" {
        std::io::stdin().take(LIMIT + 1).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(source).and_then(|f| f.take(LIMIT + 1).read_to_end(&mut bytes))
    };
    read.map_err(|e| Failure(format!("cannot read {source}: {e}")))?;
    if bytes.len() as u64 > LIMIT {
        return Err(Failure(format!(
            "{source} is larger than 4 MiB; a QuestionnaireResponse is far smaller"
        )));
    }
    String::from_utf8(bytes).map_err(|_| Failure(format!("{source} is not UTF-8 text")))
}

fn pretty<T: serde::Serialize>(value: &T) -> Result<String, Failure> {
    Ok(serde_json::to_string_pretty(value)?)
}

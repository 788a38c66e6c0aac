//! `ferd`: the command-line interface. A thin layer: it parses arguments, calls `ferd-core`, and prints.
//!
//! Every failure caused by input prints one line `error: …` naming what is wrong and exits with code 2.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use ferd_core::fhir::{self, ObservationContext, Reference};
use ferd_core::instruments::{parse_positional, Change, Instrument, Scored};
use ferd_core::Catalogue;

mod admin;
mod demo;
mod meta;
mod report;
mod research;
mod screen;
mod serve;
mod text;
mod token;
mod worker;

/// ferd: measurement-based care for psychedelic-assisted therapy of PTSD.
#[derive(Parser, Debug)]
#[command(name = "ferd", version, about, long_about = None)]
struct Cli {
    /// Where the practice's configuration, key file and SQLite database live.
    #[arg(
        long,
        global = true,
        env = "FERD_DATA_DIR",
        default_value = "ferd-data"
    )]
    data_dir: PathBuf,
    /// The database (overrides ferd.toml): sqlite://path or postgres://… for PostgreSQL.
    #[arg(long, global = true, env = "FERD_DATABASE_URL")]
    database_url: Option<String>,
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
    /// Serve the web application (therapist workspace and client portal) for the practice in --data-dir.
    Serve {
        /// Where to listen, host:port.
        #[arg(long, env = "FERD_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
    },
    /// Start a demo practice with invented clients on a fresh SQLite database in a temporary folder, and serve it
    /// until stopped (Ctrl-C). Nothing real is read or written; the folder is removed when ferd stops.
    Demo {
        /// Where to listen, host:port.
        #[arg(long, env = "FERD_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
    },
    /// Create a practice: data folder, config file, key file (0600), database, and the first admin.
    Init {
        /// The practice's name.
        #[arg(long)]
        practice: String,
        /// The first admin's e-mail address (their sign-in).
        #[arg(long)]
        admin_email: String,
        #[arg(long, default_value = "Administrator")]
        admin_name: String,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Check the audit trail.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Manage the data keys.
    Keys {
        #[command(subcommand)]
        action: KeysAction,
    },
    /// Write a consistent backup (a portable archive) while ferd runs.
    Backup { file: PathBuf },
    /// Restore a backup into an empty database.
    Restore { file: PathBuf },
    /// Move the practice's data between databases.
    Db {
        #[command(subcommand)]
        action: DbAction,
    },
    /// Reports on the practice.
    Report {
        #[command(subcommand)]
        action: ReportAction,
    },
    /// Research exports.
    Research {
        #[command(subcommand)]
        action: ResearchAction,
    },
    /// GDPR export and erasure of one client.
    Client {
        #[command(subcommand)]
        action: ClientAction,
    },
    /// Meta-analysis of a CSV file (header row; an optional `study` column labels rows).
    Meta {
        csv: PathBuf,
        /// GEN: yi,vi; RR/OR/RD: ai,bi,ci,di; SMD: m1i,sd1i,n1i,m2i,sd2i,n2i.
        #[arg(long, value_enum, default_value = "GEN", ignore_case = true)]
        measure: meta::Measure,
        /// FE (fixed effect) or the tau² estimator: DL, REML, PM.
        #[arg(long, value_enum, default_value = "REML", ignore_case = true)]
        method: meta::MethodArg,
        /// Knapp–Hartung adjustment of the standard error, with t(k−1).
        #[arg(long)]
        knha: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Check medicines, conditions and facts against the safety screening rules (decision support: a clinician
    /// decides). E.g. ferd screen --medications "Aurorix, Zoloft 50 mg" --conditions "høyt blodtrykk".
    Screen(screen::ScreenArgs),
    /// API tokens for the FHIR and JSON APIs: create one (printed once), list them, revoke one.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// The public site's pages: check the practice's own, or print a built-in one to start from.
    Content {
        #[command(subcommand)]
        action: ContentAction,
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
enum UserAction {
    /// Add an admin or a therapist; prints a generated password once.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin or therapist.
        #[arg(long, default_value = "therapist")]
        role: String,
        /// A therapist who sees every client of the practice.
        #[arg(long)]
        practice_admin: bool,
    },
    /// List the users.
    List,
    /// Stop a user from signing in.
    Disable { email: String },
    /// Let a disabled user sign in again.
    Enable { email: String },
    /// Set a new generated password; prints it once.
    ResetPassword { email: String },
}

#[derive(Subcommand, Debug)]
enum TokenAction {
    /// Create a token for the practice and print it (once, alone on standard output).
    Create {
        /// What uses it, e.g. "DIPS integration".
        #[arg(long)]
        name: String,
        /// read (read only) or write (read, create and change).
        #[arg(long)]
        scope: String,
        /// The practice admin it is made for (needed when there are several).
        #[arg(long)]
        admin: Option<String>,
    },
    /// List the practice's tokens: id, first characters, scope, when created and last used, live or revoked.
    List {
        #[arg(long)]
        admin: Option<String>,
    },
    /// Revoke a token (by its id, from `ferd token list`): it stops working at once.
    Revoke {
        id: String,
        #[arg(long)]
        admin: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum ContentAction {
    /// Check the practice's pages and articles (the content folder in --data-dir, or content_dir) as `ferd serve`
    /// would, and list every page with its languages and every article.
    Check,
    /// Print a built-in page or article, e.g. `ferd content show nb/about > ferd-data/content/nb/about.md`, to make
    /// it the practice's own.
    Show {
        /// <lang>/<slug>, e.g. nb/about, or <lang>/articles/<slug> for an article.
        page: String,
    },
}

#[derive(Subcommand, Debug)]
enum AuditAction {
    /// Walk the audit hash chain; name the first event that was changed, removed or reordered.
    Verify,
}

#[derive(Subcommand, Debug)]
enum KeysAction {
    /// Encrypt with a new key from now on and re-encrypt everything under it.
    Rotate,
}

#[derive(Subcommand, Debug)]
enum DbAction {
    /// Write the whole practice to a portable archive (moves a practice between SQLite and PostgreSQL).
    Export { file: PathBuf },
    /// Read an archive into an empty database.
    Import { file: PathBuf },
}

#[derive(Subcommand, Debug)]
enum ReportAction {
    /// The practice's outcomes on the PCL-5, PHQ-9 and GAD-7, beside the published trial arms.
    Outcomes {
        #[arg(long, value_enum, default_value_t = ReportFormat::Json)]
        format: ReportFormat,
    },
}

#[derive(Subcommand, Debug)]
enum ResearchAction {
    /// Pseudonymous data for research (CSV files and a FHIR Bundle) into a folder; audited.
    Export { dir: PathBuf },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ReportFormat {
    Json,
    Csv,
}

#[derive(Subcommand, Debug)]
enum ClientAction {
    /// Everything held about a client as a FHIR R4 Bundle (GDPR access and portability).
    Export {
        id: String,
        /// Write to this file (mode 0600) instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Erase a client's personal and clinical data (GDPR erasure). Needs --yes.
    Erase {
        id: String,
        #[arg(long)]
        yes: bool,
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

/// Loads the pages as `ferd serve` would and lists them; a malformed file is named with what is wrong.
fn content_check(settings: &admin::Settings) -> Result<String, Failure> {
    let config = settings.config()?;
    let site = ferd_web::site::Site::load(config.content_dir.as_deref())
        .map_err(|e| Failure::input(e.to_string()))?;
    let mut out = match &config.content_dir {
        Some(dir) => format!("the practice's pages in {} are in order\n", dir.display()),
        None => "no content folder: the built-in pages are used\n".to_string(),
    };
    for slug in site.slugs() {
        let langs: Vec<String> = ferd_web::i18n::Lang::ALL
            .iter()
            .filter_map(|l| {
                site.page(*l, &slug).filter(|s| !s.fallback).map(|s| {
                    format!(
                        "{} ({}, reviewed {})",
                        l.tag(),
                        s.page.source,
                        s.page.reviewed
                    )
                })
            })
            .collect();
        out.push_str(&format!("  {slug}: {}\n", langs.join("; ")));
    }
    out.push_str("articles (a practice's own from the admin interface take the place of these):\n");
    for a in site.file_articles() {
        let source = match &a.origin {
            ferd_web::site::ArticleOrigin::File(s) => s.as_str(),
            ferd_web::site::ArticleOrigin::Practice { .. } => "admin",
        };
        out.push_str(&format!(
            "  {}/articles/{}: {source}, published {}, reviewed {}{}\n",
            a.lang.tag(),
            a.slug,
            a.published,
            a.reviewed,
            if a.draft { ", draft" } else { "" }
        ));
    }
    Ok(out.trim_end().to_string())
}

/// The text of a built-in page.
fn content_show(page: &str) -> Result<String, Failure> {
    ferd_web::site::embedded_text(page)
        .map(|t| t.trim_end().to_string())
        .ok_or_else(|| {
            Failure::input(format!(
                "no built-in page '{page}': give <lang>/<slug>, e.g. nb/about (`ferd content check` lists them)"
            ))
        })
}

/// A failure to report: one line, and the exit code (2 for bad input, 1 for a failed check or the database).
pub struct Failure {
    pub message: String,
    pub code: u8,
}

impl Failure {
    /// Bad input: exit code 2.
    pub fn input(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: 2,
        }
    }

    /// A store error: input errors (not found, invalid, forbidden) exit with 2, database failures with 1.
    pub fn from_store(e: ferd_store::StoreError) -> Failure {
        use ferd_store::StoreError as E;
        let code = match e {
            E::Database(_) | E::Migration(_) | E::Crypto(_) => 1,
            _ => 2,
        };
        Failure {
            message: e.to_string(),
            code,
        }
    }
}

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure::input(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(Failure { message, code }) => {
            eprintln!("error: {message}");
            ExitCode::from(code)
        }
    }
}

fn run(cli: Cli) -> Result<String, Failure> {
    let catalogue = Catalogue::builtin();
    let settings = admin::Settings {
        data_dir: cli.data_dir.clone(),
        database_url: cli.database_url.clone(),
    };
    let block_on =
        |f: std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, Failure>> + '_>>| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| Failure {
                    message: format!("cannot start the runtime: {e}"),
                    code: 1,
                })?
                .block_on(f)
        };
    match cli.command {
        Command::Serve { listen } => serve::serve(&settings, &listen),
        Command::Demo { listen } => serve::demo(&listen),
        Command::Init {
            practice,
            admin_email,
            admin_name,
        } => block_on(Box::pin(admin::init(
            &settings,
            &practice,
            &admin_email,
            &admin_name,
        ))),
        Command::User { action } => block_on(match &action {
            UserAction::Add {
                email,
                name,
                role,
                practice_admin,
            } => Box::pin(admin::user_add(
                &settings,
                email,
                name,
                role,
                *practice_admin,
            )),
            UserAction::List => Box::pin(admin::user_list(&settings)),
            UserAction::Disable { email } => {
                Box::pin(admin::user_update(&settings, email, Some(true), false))
            }
            UserAction::Enable { email } => {
                Box::pin(admin::user_update(&settings, email, Some(false), false))
            }
            UserAction::ResetPassword { email } => {
                Box::pin(admin::user_update(&settings, email, None, true))
            }
        }),
        Command::Audit {
            action: AuditAction::Verify,
        } => block_on(Box::pin(admin::audit_verify(&settings))),
        Command::Keys {
            action: KeysAction::Rotate,
        } => block_on(Box::pin(admin::keys_rotate(&settings))),
        Command::Backup { file }
        | Command::Db {
            action: DbAction::Export { file },
        } => block_on(Box::pin(admin::export(&settings, &file))),
        Command::Restore { file }
        | Command::Db {
            action: DbAction::Import { file },
        } => block_on(Box::pin(admin::import(&settings, &file))),
        Command::Report {
            action: ReportAction::Outcomes { format },
        } => block_on(Box::pin(report::outcomes(
            &settings,
            format == ReportFormat::Csv,
        ))),
        Command::Research {
            action: ResearchAction::Export { dir },
        } => block_on(Box::pin(research::export(&settings, &dir))),
        Command::Client {
            action: ClientAction::Export { id, out },
        } => block_on(Box::pin(admin::client_export(
            &settings,
            &id,
            out.as_deref(),
        ))),
        Command::Client {
            action: ClientAction::Erase { id, yes },
        } => {
            if !yes {
                return Err(Failure::input(format!(
                    "erasing client {id} cannot be undone: repeat with --yes to confirm"
                )));
            }
            block_on(Box::pin(admin::client_erase(&settings, &id)))
        }
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
                    let ins = expected.ok_or_else(|| Failure::input("score --answers needs an instrument id, e.g. `ferd score phq-9 --answers …`"))?;
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
                _ => Err(Failure::input(
                    "score needs either --answers <list> (with an instrument id) or --fhir <file|->",
                )),
            }
        }
        Command::Meta {
            csv,
            measure,
            method,
            knha,
            format,
        } => meta::run(&csv, measure, method, knha, format == Format::Json),
        Command::Screen(args) => screen::run(&args),
        Command::Token { action } => block_on(match &action {
            TokenAction::Create { name, scope, admin } => {
                Box::pin(token::create(&settings, name, scope, admin.as_deref()))
            }
            TokenAction::List { admin } => Box::pin(token::list(&settings, admin.as_deref())),
            TokenAction::Revoke { id, admin } => {
                Box::pin(token::revoke(&settings, id, admin.as_deref()))
            }
        }),
        Command::Content { action } => match action {
            ContentAction::Check => content_check(&settings),
            ContentAction::Show { page } => content_show(&page),
        },
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
    let answers = parse_positional(list).map_err(|e| Failure::input(format!("{flag}: {e}")))?;
    let response = ins
        .response(&answers)
        .map_err(|e| Failure::input(format!("{flag}: {e}")))?;
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
    read.map_err(|e| Failure::input(format!("cannot read {source}: {e}")))?;
    if bytes.len() as u64 > LIMIT {
        return Err(Failure::input(format!(
            "{source} is larger than 4 MiB; a QuestionnaireResponse is far smaller"
        )));
    }
    String::from_utf8(bytes).map_err(|_| Failure::input(format!("{source} is not UTF-8 text")))
}

fn pretty<T: serde::Serialize>(value: &T) -> Result<String, Failure> {
    Ok(serde_json::to_string_pretty(value)?)
}

//! The command line: one module per subcommand. `anyhow` lives here, at the
//! edge; the library returns typed errors.

mod demo;
mod export;
mod extract;
mod ingest;
mod merge;
mod migrate;
mod query;
mod report;
mod show;
mod unmerge;

use crate::input::Overrides;
use clap::{Args, Parser, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "conflictdb",
    version,
    about = "Turn news articles about armed conflict into a queryable database of events, places, groups, sources and casualty figures",
    long_about = "conflictdb reads news articles (plain text, news-please/trafilatura JSON or JSON Lines, HTML) in French and English, \
extracts events, places, armed groups, cited sources and casualty figures, each tied to the sentence it was read from, \
and stores them in SQLite. Reports sum each event's best total once, so restated figures are never counted twice.\n\n\
Start with `conflictdb demo`, then `conflictdb ingest PATH...`, `conflictdb report --list` and `conflictdb query \"SELECT ...\"`.",
    after_help = "Exit codes: 0 all good, 1 some inputs failed (the others went through), 2 could not run."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ingest the bundled example articles into the database and print a short report.
    Demo(demo::DemoArgs),
    /// Extract articles and store them in the database (each article whole or not at all), then merge the reports of the same incidents.
    Ingest(ingest::IngestArgs),
    /// Print what would be stored for each article (JSON Lines), without touching a database.
    Extract(extract::ExtractArgs),
    /// Run a named aggregate report (see `report --list`).
    Report(report::ReportArgs),
    /// Run read-only SQL on the database.
    Query(query::QueryArgs),
    /// Write the events as CSV, JSON Lines, ACLED- or UCDP-style CSV, or GeoJSON.
    Export(export::ExportArgs),
    /// Print an event with every article's report of it (figures, sources, evidence, why merged), or an article.
    Show(show::ShowArgs),
    /// Merge the reports of the same incidents now (ingest does it after storing).
    Merge(merge::MergeArgs),
    /// Take an article's report out of the event it was merged into, for good.
    Unmerge(unmerge::UnmergeArgs),
    /// Apply the schema migrations, or show their status.
    Migrate(migrate::MigrateArgs),
}

/// Which events a report or an export covers; every filter is optional.
#[derive(Debug, Args)]
pub struct EventFilterArgs {
    /// Only events on or after this date (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    pub from: Option<chrono::NaiveDate>,
    /// Only events on or before this date (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    pub to: Option<chrono::NaiveDate>,
    /// Only events in this country (ISO 3166 alpha-2 code, e.g. SY).
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// Only events at this place or inside it (name or alias, e.g. Aleppo, Alep).
    #[arg(long, value_name = "NAME")]
    pub location: Option<String>,
    /// Only events this group took part in (name or alias).
    #[arg(long, value_name = "NAME")]
    pub group: Option<String>,
    /// Only events of this type or sub-type (ACLED's: battles, explosions_remote_violence, violence_against_civilians, protests, riots, strategic_developments; or e.g. air_drone_strike).
    #[arg(long = "type", value_name = "TYPE")]
    pub event_type: Option<String>,
    /// Only events with a casualty figure of this victims' category (civilian, combatant, security_forces, unknown).
    #[arg(long, value_name = "CATEGORY", value_parser = ["civilian", "combatant", "security_forces", "unknown"])]
    pub category: Option<String>,
    /// Only events reported by an article that cites this source or was published by it (name or alias, e.g. SOHR, Reuters).
    #[arg(long, value_name = "NAME")]
    pub source: Option<String>,
    /// Which fatality figure of an event reported by several articles to count: best (UCDP-style: the latest exact report, else the median) or conservative (ACLED's: the lowest).
    #[arg(long, value_enum, default_value_t)]
    pub fatalities: crate::db::FatalityRule,
}

impl EventFilterArgs {
    pub fn filters(&self) -> crate::db::ReportFilters {
        crate::db::ReportFilters {
            from: self.from,
            to: self.to,
            country: self.country.clone(),
            location: self.location.clone(),
            group: self.group.clone(),
            event_type: self.event_type.clone(),
            category: self.category.clone(),
            source: self.source.clone(),
            fatalities: self.fatalities,
            period: Default::default(),
        }
    }
}

/// Where a file is written before it is renamed over `path`, so that an
/// interrupted write never leaves half a file under its name.
pub(crate) fn partial_path(path: &std::path::Path) -> std::path::PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("'{s}' is not a date like 2024-04-26"))
}

/// Which database to use.
#[derive(Debug, Args)]
pub struct DbArgs {
    /// Database URL. Also read from DATABASE_URL (environment or .env). Created if missing.
    #[arg(long, global = true, env = "DATABASE_URL", default_value = crate::db::DEFAULT_DATABASE_URL, value_name = "URL")]
    pub database_url: String,
}

/// A runtime for the database's async driver; extraction itself is synchronous.
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}

/// Inputs and their overrides, shared by `extract` and `ingest`.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files or folders to read (.txt, .json, .jsonl, .html; folders recursively), or `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// Publication date and time to use instead of the input's (RFC 3339, e.g. 2024-04-26T02:48:00+03:00, or YYYY-MM-DD).
    #[arg(long, value_name = "DATETIME")]
    pub published: Option<String>,
    /// URL of the article, instead of the input's.
    #[arg(long)]
    pub url: Option<String>,
    /// Name of the publishing outlet, instead of the input's.
    #[arg(long, value_name = "NAME")]
    pub outlet: Option<String>,
    /// Language of the articles (fr, en, ar), instead of detecting it.
    #[arg(long, value_parser = ["fr", "en", "ar"])]
    pub language: Option<String>,
}

impl InputArgs {
    pub fn overrides(&self) -> anyhow::Result<Overrides> {
        let published = match &self.published {
            None => None,
            Some(s) => Some(crate::input::parse_datetime(s).ok_or_else(|| {
                anyhow::anyhow!("--published: cannot read '{s}' (expected e.g. 2024-04-26T02:48:00+03:00 or 2024-04-26)")
            })?),
        };
        Ok(Overrides {
            published,
            url: self.url.clone(),
            outlet: self.outlet.clone(),
            language: self.language.clone(),
        })
    }
}

/// What a command did with its inputs.
#[derive(Debug, Default)]
pub struct Outcome {
    pub articles: usize,
    pub failed: usize,
}

pub(crate) fn report_input_error(e: &crate::Error, outcome: &mut Outcome) {
    eprintln!("conflictdb: error: {e}");
    outcome.failed += 1;
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        let io = c
            .downcast_ref::<std::io::Error>()
            .or(match c.downcast_ref::<crate::Error>() {
                Some(crate::Error::Io { source, .. }) => Some(source),
                _ => None,
            });
        io.is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

pub fn run() -> ExitCode {
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Demo(a) => demo::run(a),
        Command::Ingest(a) => ingest::run(a),
        Command::Extract(a) => extract::run(a),
        Command::Report(a) => report::run(a),
        Command::Query(a) => query::run(a),
        Command::Export(a) => export::run(a),
        Command::Show(a) => show::run(a),
        Command::Merge(a) => merge::run(a),
        Command::Unmerge(a) => unmerge::run(a),
        Command::Migrate(a) => migrate::run(a),
    };
    match result {
        Ok(o) if o.failed > 0 => ExitCode::from(1),
        Ok(_) => ExitCode::SUCCESS,
        // The reader went away (`… | head`): stop quietly, as Unix tools do.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("conflictdb: error: {e}");
            // Causes whose text the message already shows are not repeated.
            let mut shown = e.to_string();
            for cause in e.chain().skip(1) {
                let c = cause.to_string();
                if !shown.contains(&c) {
                    eprintln!("  caused by: {c}");
                    shown.push_str(&c);
                }
            }
            ExitCode::from(2)
        }
    }
}

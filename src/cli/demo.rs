//! `conflictdb demo`: the main job on the embedded default: ingest the
//! bundled example articles into SQLite and print a short report.

use super::ingest::{ingest_article, IngestSummary};
use super::{runtime, DbArgs, Outcome};
use crate::db::{run_report, Db, ReportFilters};
use crate::input::{format_of, parse_html, parse_json_object, parse_text, Format};
use crate::knowledge::{Knowledge, SAMPLE_ARTICLES};
use crate::output::{write_table, TableFormat};
use clap::Args;
use std::path::Path;

#[derive(Debug, Args)]
#[command(
    after_help = "The example articles are built into the binary (the folder samples/ of the repository).\nRun it twice: the second time every article is unchanged and nothing is stored twice."
)]
pub struct DemoArgs {
    #[command(flatten)]
    pub db: DbArgs,
    #[arg(long, value_enum, default_value_t)]
    pub format: TableFormat,
}

pub fn run(args: &DemoArgs) -> anyhow::Result<Outcome> {
    let k = Knowledge::embedded()?;
    runtime()?.block_on(async {
        let db = Db::connect(&args.db.database_url).await?;
        let mut summary = IngestSummary::default();
        for (file, contents) in SAMPLE_ARTICLES {
            let name = format!("samples/{file}");
            let article = match format_of(Path::new(file)) {
                Format::Json => parse_json_object(&name, contents)?,
                Format::Html => parse_html(&name, contents),
                _ => parse_text(&name, contents),
            };
            ingest_article(&db, k, &article, false, &mut summary).await?;
        }
        summary.merge = db.merge_pending().await?;
        eprintln!("conflictdb: {summary} in {}", db.url());
        let mut out = std::io::stdout().lock();
        for report in ["summary", "casualties-by-location"] {
            let t = run_report(&db.pool, report, &ReportFilters::default()).await?;
            println!("{report}:");
            write_table(&t, args.format, &mut out)?;
        }
        db.close().await;
        Ok(Outcome {
            articles: SAMPLE_ARTICLES.len(),
            failed: 0,
        })
    })
}

//! `conflictdb ingest`: extract articles and store them, one transaction each.

use super::{report_input_error, runtime, DbArgs, InputArgs, Outcome};
use crate::db::{Db, StoreOutcome};
use crate::input::{discover, read_input, Input};
use crate::knowledge::Knowledge;
use crate::model::Article;
use crate::pipeline::extract;
use crate::text::article_text;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  conflictdb ingest articles/\n  conflictdb ingest feed.jsonl --database-url sqlite://war.db\n  conflictdb ingest --force samples/almanar-hanano.txt   # re-extract an article already stored"
)]
pub struct IngestArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
    #[command(flatten)]
    pub db: DbArgs,
    /// Extract and store again articles whose text is already stored (after the rules changed).
    #[arg(long)]
    pub force: bool,
    /// No progress bar and no summary line.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Running totals of an ingest, printed as its summary line.
#[derive(Debug, Default)]
pub struct IngestSummary {
    pub new: usize,
    pub unchanged: usize,
    pub replaced: usize,
    pub failed: usize,
    pub events: usize,
    pub figures: usize,
}

impl std::fmt::Display for IngestSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} articles: {} new, {} unchanged, {} replaced, {} failed; {} events and {} casualty figures stored",
            self.new + self.unchanged + self.replaced + self.failed,
            self.new,
            self.unchanged,
            self.replaced,
            self.failed,
            self.events,
            self.figures
        )
    }
}

/// Extracts and stores one article.
pub async fn ingest_article(
    db: &Db,
    k: &Knowledge,
    a: &Article,
    force: bool,
    summary: &mut IngestSummary,
) -> crate::Result<()> {
    let text = article_text(&a.title, &a.body);
    if !force && db.has_text(&text).await? {
        summary.unchanged += 1;
        return Ok(());
    }
    let x = extract(a, k);
    let stored = db.store(&x, &text, force).await?;
    match stored.outcome {
        StoreOutcome::New => summary.new += 1,
        StoreOutcome::Unchanged => summary.unchanged += 1,
        StoreOutcome::Replaced => summary.replaced += 1,
    }
    summary.events += stored.events;
    summary.figures += stored.figures;
    Ok(())
}

pub fn progress(len: usize, quiet: bool) -> ProgressBar {
    if quiet || len < 2 {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    pb.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} inputs ({per_sec}, eta {eta}) {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb
}

pub fn run(args: &IngestArgs) -> anyhow::Result<Outcome> {
    let k = Knowledge::embedded()?;
    let overrides = args.inputs.overrides()?;
    runtime()?.block_on(async {
        let db = Db::connect(&args.db.database_url).await?;
        let inputs: Vec<crate::Result<Input>> = discover(&args.inputs.paths);
        let pb = progress(inputs.len(), args.quiet);
        let mut summary = IngestSummary::default();
        let mut outcome = Outcome::default();
        for input in &inputs {
            let input = match input {
                Ok(i) => i,
                Err(e) => {
                    pb.suspend(|| report_input_error(e, &mut outcome));
                    summary.failed += 1;
                    pb.inc(1);
                    continue;
                }
            };
            pb.set_message(input.name().to_string());
            for article in read_input(input, &overrides) {
                let result = match article {
                    Ok(a) => ingest_article(&db, k, &a, args.force, &mut summary)
                        .await
                        .map(|_| outcome.articles += 1),
                    Err(e) => Err(e),
                };
                if let Err(e) = result {
                    // A database failure stops the run; a bad input does not.
                    if matches!(e, crate::Error::Database(_)) {
                        pb.finish_and_clear();
                        return Err(anyhow::Error::new(e).context(
                            "storing an article failed; nothing of that article was written",
                        ));
                    }
                    pb.suspend(|| report_input_error(&e, &mut outcome));
                    summary.failed += 1;
                }
            }
            pb.inc(1);
        }
        pb.finish_and_clear();
        if !args.quiet {
            eprintln!("conflictdb: {summary} in {}", db.url());
        }
        db.close().await;
        Ok(outcome)
    })
}

//! `conflictdb ingest`: extract articles, store them in batches (each article whole or not at all), then merge.

use super::{report_input_error, runtime, DbArgs, InputArgs, Outcome};
use crate::batch::run_in_order;
use crate::db::short_hash;
use crate::db::{Db, MergeSummary, StoreOutcome, Stored, INCIDENT_TABLES, STORED_TABLES};
use crate::input::{discover, format_of, read_input, Format, Input};
use crate::knowledge::Knowledge;
use crate::model::Article;
use crate::model::Extraction;
use crate::pipeline::extract;
use crate::text::article_text;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rustc_hash::FxHashSet as HashSet;
use std::time::{Duration, Instant};

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
    pub merge: MergeSummary,
}

/// The wall time of an ingest's phases, for a user to see where a long
/// ingest went (the summary line ends with them).
#[derive(Debug, Clone, Copy)]
pub struct Phases {
    /// Extracting and storing the articles (the two overlap).
    pub storing: Duration,
    /// Building the indexes deferred while storing into an empty database.
    pub indexing: Option<Duration>,
    /// Merging the reports of the same incidents.
    pub merging: Duration,
}

impl IngestSummary {
    /// Counts one stored article.
    fn count(&mut self, stored: &Stored) {
        match stored.outcome {
            StoreOutcome::New => self.new += 1,
            StoreOutcome::Unchanged => self.unchanged += 1,
            StoreOutcome::Replaced => self.replaced += 1,
        }
        self.events += stored.events;
        self.figures += stored.figures;
    }
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
        )?;
        if self.merge.merged > 0 {
            write!(
                f,
                "; {} reports merged into events other articles reported (see `conflictdb show event ID`)",
                self.merge.merged
            )?;
        }
        Ok(())
    }
}

impl std::fmt::Display for Phases {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let indexing = self.indexing.unwrap_or_default();
        write!(
            f,
            "took {:.1} s (extracting and storing {:.1} s, ",
            (self.storing + indexing + self.merging).as_secs_f64(),
            self.storing.as_secs_f64()
        )?;
        if self.indexing.is_some() {
            write!(f, "indexing {:.1} s, ", indexing.as_secs_f64())?;
        }
        write!(f, "merging {:.1} s)", self.merging.as_secs_f64())
    }
}

/// Merges the reports of the same incidents (after storing), with a spinner.
pub fn merge_with_progress(
    rt: &tokio::runtime::Runtime,
    db: &Db,
    quiet: bool,
) -> anyhow::Result<MergeSummary> {
    let pb = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new_spinner().with_message("merging the reports of the same incidents")
    };
    pb.enable_steady_tick(Duration::from_millis(200));
    let merged = rt.block_on(db.merge_pending());
    pb.finish_and_clear();
    merged.map_err(|e| {
        anyhow::Error::new(e).context(
            "merging failed; the articles are stored, and the next `conflictdb ingest` or `conflictdb merge` merges them",
        )
    })
}

/// Builds the indexes of `tables` that a bulk load deferred, with a spinner.
fn build_indexes_with_progress(
    rt: &tokio::runtime::Runtime,
    db: &Db,
    tables: &[&str],
    quiet: bool,
) -> anyhow::Result<()> {
    let pb = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new_spinner().with_message(format!("indexing {}", tables.join(", ")))
    };
    pb.enable_steady_tick(Duration::from_millis(200));
    let built = rt.block_on(db.build_deferred_indexes(Some(tables)));
    pb.finish_and_clear();
    built.map(|_| ()).map_err(|e| {
        anyhow::Error::new(e).context(
            "building the indexes failed; the data is stored, and the next command that opens the database builds them",
        )
    })
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
    summary.count(&db.store(&x, &text, force).await?);
    Ok(())
}

/// A running count of articles, for inputs whose size is not known ahead.
fn progress_counter(quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    pb.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {pos} articles ({per_sec}) {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    pb
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

/// What a worker hands the writer for one article.
enum Work {
    /// Already stored with the same text: nothing to do.
    Known,
    Extracted(Box<Extraction>, String),
}

/// How many articles the writer stores per transaction, at most.
const BATCH: usize = 256;

pub fn run(args: &IngestArgs) -> anyhow::Result<Outcome> {
    let k = Knowledge::embedded()?;
    let overrides = args.inputs.overrides()?;
    let rt = runtime()?;
    let db = rt.block_on(Db::connect(&args.db.database_url))?;
    // Articles already stored are skipped before extraction (by a short hash;
    // the full hash is checked again when storing).
    let known: HashSet<u64> = if args.force {
        HashSet::default()
    } else {
        rt.block_on(db.known_hashes())?
    };
    // Into an empty database, the indexes are built once at the end (see db::bulk).
    let tables: Vec<&str> = STORED_TABLES
        .iter()
        .chain(INCIDENT_TABLES)
        .copied()
        .collect();
    let deferred = rt.block_on(db.defer_indexes_if_empty(&tables))? > 0;
    // A bar over the inputs when each is one article; a counter for JSON Lines.
    let inputs: Vec<crate::Result<Input>> = discover(&args.inputs.paths);
    let one_each = inputs.iter().all(
        |i| !matches!(i, Ok(Input::File { path, .. }) if format_of(path) == Format::JsonLines),
    );
    let pb = if one_each {
        progress(inputs.len(), args.quiet)
    } else {
        progress_counter(args.quiet)
    };
    let force = args.force;
    let started = Instant::now();
    let mut summary = IngestSummary::default();
    let mut outcome = Outcome::default();

    // The writer stores batches on its own thread while the workers extract
    // the next ones; the bounded channel keeps memory flat when it falls behind.
    let (to_writer, batches) = std::sync::mpsc::sync_channel::<Vec<(Extraction, String)>>(2);
    let extractors = crate::batch::yielding_pool()?;
    let written = std::thread::scope(|scope| {
        let pb_writer = pb.clone();
        let (rt, db) = (&rt, &db);
        // Named, so that a profile tells its time from the reader's.
        let writer = std::thread::Builder::new()
            .name("writer".into())
            .spawn_scoped(scope, move || -> anyhow::Result<(IngestSummary, usize)> {
                let mut summary = IngestSummary::default();
                let mut failed = 0;
                for batch in batches {
                    let results = rt.block_on(db.store_batch(&batch, force)).map_err(|e| {
                        anyhow::Error::new(e).context(
                            "storing a batch of articles failed; none of the batch was written",
                        )
                    })?;
                    for ((x, _), r) in batch.iter().zip(results) {
                        match r {
                            Ok(s) => summary.count(&s),
                            Err(e) => {
                                pb_writer
                                    .suspend(|| eprintln!("conflictdb: error: {}: {e}", x.input));
                                summary.failed += 1;
                                failed += 1;
                            }
                        }
                    }
                }
                Ok((summary, failed))
            })?;
        let mut pending: Vec<(Extraction, String)> = Vec::with_capacity(BATCH);
        let mut last_sent = Instant::now();
        let articles = inputs.into_iter().flat_map(
            |input| -> Box<dyn Iterator<Item = crate::Result<Article>> + Send + '_> {
                match input {
                    Err(e) => Box::new(std::iter::once(Err(e))),
                    Ok(i) => read_input(i, &overrides),
                }
            },
        );
        let extracted = extractors.install(|| {
            run_in_order(
                articles,
                |a| {
                    let text = article_text(&a.title, &a.body);
                    if known.contains(&short_hash(&text)) {
                        Work::Known
                    } else {
                        Work::Extracted(Box::new(extract(&a, k)), text)
                    }
                },
                |r| {
                    pb.inc(1);
                    match r {
                        Ok(Work::Known) => {
                            summary.unchanged += 1;
                            outcome.articles += 1;
                        }
                        Ok(Work::Extracted(x, text)) => {
                            outcome.articles += 1;
                            pb.set_message(x.input.clone());
                            pending.push((*x, text));
                            if pending.len() >= BATCH
                                || last_sent.elapsed() > Duration::from_millis(500)
                            {
                                let batch =
                                    std::mem::replace(&mut pending, Vec::with_capacity(BATCH));
                                // A closed channel means the writer stopped on an error, returned below.
                                to_writer.send(batch).map_err(|_| {
                                    crate::Error::Query("the writer stopped".into())
                                })?;
                                last_sent = Instant::now();
                            }
                        }
                        Err(e) => {
                            pb.suspend(|| report_input_error(&e, &mut outcome));
                            summary.failed += 1;
                        }
                    }
                    Ok(())
                },
            )
        });
        if !pending.is_empty() && extracted.is_ok() {
            let _ = to_writer.send(std::mem::take(&mut pending));
        }
        drop(to_writer);
        let written = writer
            .join()
            .map_err(|_| anyhow::anyhow!("the writer thread panicked"))?;
        match (written, extracted) {
            (Err(e), _) => Err(e),
            (Ok(_), Err(e)) => Err(e.into()),
            (Ok(w), Ok(())) => Ok(w),
        }
    });
    pb.finish_and_clear();
    let storing = started.elapsed();
    let mut indexing = Duration::ZERO;
    if deferred {
        // Merging reads the events by place, date and incident.
        let started = Instant::now();
        build_indexes_with_progress(&rt, &db, STORED_TABLES, args.quiet)?;
        indexing += started.elapsed();
    }
    let (stored, failed) = written?;
    summary.new += stored.new;
    summary.unchanged += stored.unchanged;
    summary.replaced += stored.replaced;
    summary.failed += stored.failed;
    summary.events += stored.events;
    summary.figures += stored.figures;
    outcome.failed += failed;
    // Merging's error waits until the incidents' indexes are built.
    let started = Instant::now();
    let merged = merge_with_progress(&rt, &db, args.quiet);
    let merging = started.elapsed();
    if deferred {
        let started = Instant::now();
        build_indexes_with_progress(&rt, &db, INCIDENT_TABLES, args.quiet)?;
        indexing += started.elapsed();
    }
    summary.merge = merged?;
    let phases = Phases {
        storing,
        indexing: deferred.then_some(indexing),
        merging,
    };
    if !args.quiet {
        eprintln!("conflictdb: {summary} in {}; {phases}", db.url());
    }
    rt.block_on(db.close());
    Ok(outcome)
}

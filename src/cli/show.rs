//! `conflictdb show`: one event with every report of it, or one article.

use super::{runtime, DbArgs, Outcome};
use crate::db::{Db, ShownArticle, ShownEvent, ShownFigure, ShownReport};
use clap::{Args, Subcommand, ValueEnum};
use std::io::Write;

#[derive(Debug, Args)]
#[command(
    after_help = "Event ids are those of `report top-events`, `export` and `query \"SELECT * FROM incident_view\"`; \
the id of any article event of it (event_view.event_id) works too.\n\n\
Examples:\n  conflictdb show event 12\n  conflictdb show article 3 --format json"
)]
pub struct ShowArgs {
    #[command(subcommand)]
    pub what: ShowWhat,
    #[arg(long, value_enum, default_value_t, global = true)]
    pub format: ShowFormat,
    #[command(flatten)]
    pub db: DbArgs,
}

#[derive(Debug, Subcommand)]
pub enum ShowWhat {
    /// An event: its combined figures, and every article's report of it with outlet, cited sources, figures, evidence and why it was merged.
    Event {
        /// The event's id (or the id of any of its reports).
        id: i64,
    },
    /// An article: where it comes from, and each of its events with the event it was merged into.
    Article {
        /// The article's id (articles.id).
        id: i64,
    },
}

#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum ShowFormat {
    /// Readable text.
    #[default]
    Text,
    /// One JSON document.
    Json,
}

pub fn run(args: &ShowArgs) -> anyhow::Result<Outcome> {
    let rt = runtime()?;
    let db = rt.block_on(Db::connect(&args.db.database_url))?;
    let mut out = std::io::stdout().lock();
    match args.what {
        ShowWhat::Event { id } => {
            let e = rt.block_on(db.show_event(id))?;
            match args.format {
                ShowFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&e)?)?,
                ShowFormat::Text => write_event(&mut out, &e)?,
            }
        }
        ShowWhat::Article { id } => {
            let a = rt.block_on(db.show_article(id))?;
            match args.format {
                ShowFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&a)?)?,
                ShowFormat::Text => write_article(&mut out, &a)?,
            }
        }
    }
    out.flush()?;
    rt.block_on(db.close());
    Ok(Outcome::default())
}

fn or_dash<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map_or_else(|| "-".to_string(), T::to_string)
}

fn kind(t: &str, sub: &Option<String>) -> String {
    match sub {
        Some(s) => format!("{t} / {s}"),
        None => t.to_string(),
    }
}

fn range(best: Option<i64>, low: Option<i64>, high: Option<i64>) -> String {
    match (best, low, high) {
        (None, _, _) => "-".to_string(),
        (Some(b), l, h) if l == Some(b) && h == Some(b) => b.to_string(),
        (Some(b), l, h) => format!("{b} (low {}, high {})", or_dash(&l), or_dash(&h)),
    }
}

fn write_event(out: &mut dyn Write, e: &ShownEvent) -> std::io::Result<()> {
    let place = [
        e.location.as_deref(),
        e.admin1.as_deref(),
        e.country.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    writeln!(out, "Event {}: {}", e.id, kind(&e.event_type, &e.sub_type))?;
    writeln!(
        out,
        "  when:     {} ({} precision)",
        or_dash(&e.event_date),
        or_dash(&e.date_precision)
    )?;
    writeln!(
        out,
        "  where:    {} (location precision {})",
        if place.is_empty() { "-".into() } else { place },
        or_dash(&e.location_precision)
    )?;
    writeln!(
        out,
        "  killed:   {} [best by {}; conservative {}]",
        range(e.killed_best, e.killed_low, e.killed_high),
        or_dash(&e.best_rule),
        or_dash(&e.killed_conservative)
    )?;
    writeln!(
        out,
        "  wounded:  {}",
        range(e.wounded_best, e.wounded_low, e.wounded_high)
    )?;
    writeln!(out, "  groups:   {}", or_dash(&e.actors))?;
    writeln!(
        out,
        "  reported: {} report(s) in {} article(s)",
        e.reports.len(),
        e.articles
    )?;
    for r in &e.reports {
        writeln!(out)?;
        write_report(out, r, true)?;
    }
    Ok(())
}

fn write_report(out: &mut dyn Write, r: &ShownReport, in_event: bool) -> std::io::Result<()> {
    writeln!(
        out,
        "  Report {} from article {}: {}",
        r.event_id,
        r.article_id,
        r.outlet.as_deref().unwrap_or(&r.input)
    )?;
    writeln!(out, "    title:     {}", r.title)?;
    if let Some(u) = &r.url {
        writeln!(out, "    url:       {u}")?;
    }
    writeln!(
        out,
        "    published: {} ({})",
        or_dash(&r.published_at),
        r.language
    )?;
    writeln!(
        out,
        "    says:      {}, {} ({}), {} (precision {}), killed {}, wounded {}",
        kind(&r.event_type, &r.sub_type),
        or_dash(&r.event_date),
        or_dash(&r.date_precision),
        or_dash(&r.location),
        or_dash(&r.location_precision),
        range(r.killed_best, r.killed_low, r.killed_high),
        or_dash(&r.wounded_best)
    )?;
    if let Some(a) = &r.actors {
        writeln!(out, "    groups:    {a}")?;
    }
    match (&r.merged_with, &r.merge_reason, in_event) {
        (Some(w), Some(why), _) => writeln!(out, "    merged with report {w}: {why}")?,
        (None, _, true) => writeln!(out, "    the event's first report")?,
        (None, _, false) => match r.incident_id {
            Some(i) if i != r.event_id => writeln!(out, "    part of event {i}")?,
            Some(_) => writeln!(
                out,
                "    event {} (see `conflictdb show event {}`)",
                r.event_id, r.event_id
            )?,
            None => writeln!(out, "    not merged yet")?,
        },
        _ => {}
    }
    if !in_event {
        if let (Some(i), Some(_)) = (r.incident_id, &r.merged_with) {
            writeln!(
                out,
                "    part of event {i} (see `conflictdb show event {i}`)"
            )?;
        }
    }
    writeln!(out, "    passage:   \"{}\"", one_line(&r.passage))?;
    for f in &r.figures {
        write_figure(out, f)?;
    }
    Ok(())
}

fn write_figure(out: &mut dyn Write, f: &ShownFigure) -> std::io::Result<()> {
    let count = match (f.count, f.low, f.high) {
        (Some(c), _, _) => c.to_string(),
        (None, Some(l), Some(h)) => format!("{l}-{h}"),
        _ => "?".to_string(),
    };
    writeln!(
        out,
        "    - {} {count} ({}, {}){}: \"{}\"{}",
        f.kind,
        f.qualifier,
        f.category,
        f.victims
            .as_ref()
            .map(|v| format!(" [{v}]"))
            .unwrap_or_default(),
        one_line(&f.wording),
        f.duplicate_of
            .map(|d| format!(" (restates figure {d}, counted once)"))
            .unwrap_or_default()
    )?;
    writeln!(out, "      source:   {}", or_dash(&f.source))?;
    writeln!(out, "      evidence: \"{}\"", one_line(&f.evidence))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn write_article(out: &mut dyn Write, a: &ShownArticle) -> std::io::Result<()> {
    writeln!(out, "Article {}: {}", a.id, a.title)?;
    writeln!(out, "  input:     {}", a.input)?;
    if let Some(u) = &a.url {
        writeln!(out, "  url:       {u}")?;
    }
    writeln!(out, "  outlet:    {}", or_dash(&a.outlet))?;
    writeln!(
        out,
        "  published: {} ({})",
        or_dash(&a.published_at),
        a.language
    )?;
    writeln!(out, "  cites:     {}", or_dash(&a.cited_sources))?;
    writeln!(
        out,
        "  stored:    {} by {}",
        a.ingested_at, a.extractor_version
    )?;
    writeln!(out, "  events:    {}", a.events.len())?;
    for r in &a.events {
        writeln!(out)?;
        write_report(out, r, false)?;
    }
    Ok(())
}

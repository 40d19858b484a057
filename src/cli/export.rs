//! `conflictdb export`: the stored events in the formats analysts load
//! elsewhere: plain CSV and JSON Lines, ACLED- and UCDP-GED-style CSV, and
//! GeoJSON for QGIS or a web map.

use super::{partial_path, runtime, DbArgs, EventFilterArgs, Outcome};
use crate::db::{export_events, Db, ExportEvent};
use crate::html_map::{render_html_map, MapEvent};
use anyhow::Context;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Every field of every event, one row each.
    Csv,
    /// One JSON object per event and line.
    Jsonl,
    /// ACLED's column names and labels (event_date, event_type, actor1, …, fatalities).
    Acled,
    /// UCDP-GED's column names (side_a, side_b, where_prec, date_prec, deaths_*, low, best, high).
    Ucdp,
    /// A FeatureCollection with a Point per located event (events without coordinates are left out).
    Geojson,
    /// One self-contained HTML page (no network needed) mapping the located events, with a table.
    HtmlMap,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  conflictdb export --format acled --country SY > syria.csv\n  conflictdb export --format geojson --from 2024-01-01 -o events.geojson\n  conflictdb export --format ucdp --group \"Islamic State\" -o is.csv\n\n\
ACLED and UCDP-GED conventions: actor1 is the first attacker, actor2 the first target, the \
others go in assoc_actor_*; side_a is a government actor and side_b the other side; \
deaths_a are security forces killed, deaths_b combatants, and deaths_unknown what the \
categories leave of the best total. ACLED's fatalities is the event's best total; \
fatalities_low/high and UCDP's low/high come from the qualifiers (\"at least\", \"up to\")."
)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    /// Write to this file (replaced only once the export is complete) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub filters: EventFilterArgs,
    #[command(flatten)]
    pub db: DbArgs,
}

pub fn run(args: &ExportArgs) -> anyhow::Result<Outcome> {
    match &args.output {
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            export(args, &mut out)?;
            out.flush()?;
        }
        Some(path) => {
            // A partial file next to the target, renamed over it at the end:
            // an interrupted export never leaves half a file under its name.
            let partial = partial_path(path);
            let file = std::fs::File::create(&partial)
                .with_context(|| format!("cannot write {}", partial.display()))?;
            let mut out = std::io::BufWriter::new(file);
            let written = export(args, &mut out).and_then(|n| Ok((n, out.flush()?)));
            if let Err(e) = written {
                let _ = std::fs::remove_file(&partial);
                return Err(e);
            }
            std::fs::rename(&partial, path)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    Ok(Outcome::default())
}

/// Writes the events; returns how many.
fn export(args: &ExportArgs, out: &mut dyn Write) -> anyhow::Result<usize> {
    let filters = args.filters.filters();
    let rt = runtime()?;
    let db = rt.block_on(Db::connect(&args.db.database_url))?;
    let dest = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("<stdout>"));
    let mut writer = EventWriter::new(args.format, out)?;
    let n = rt.block_on(export_events(&db.pool, &filters, |e| {
        writer.write(&e).map_err(|source| crate::Error::Io {
            path: dest.clone(),
            source,
        })
    }));
    rt.block_on(db.close());
    let n = n?;
    let skipped = writer.finish()?;
    if skipped > 0 {
        eprintln!("conflictdb: {skipped} of {n} events have no coordinates and are not on the map");
    }
    Ok(n)
}

/// One of the formats, written an event at a time.
enum EventWriter<'a> {
    Csv(Box<csv::Writer<&'a mut dyn Write>>, ExportFormat),
    Jsonl(&'a mut dyn Write),
    Geojson {
        out: &'a mut dyn Write,
        features: usize,
        skipped: usize,
    },
    /// The page needs every event before it can be drawn; only located
    /// events are kept, with the few fields the map shows.
    HtmlMap {
        out: &'a mut dyn Write,
        events: Vec<MapEvent>,
        skipped: usize,
    },
}

impl<'a> EventWriter<'a> {
    fn new(format: ExportFormat, out: &'a mut dyn Write) -> std::io::Result<EventWriter<'a>> {
        Ok(match format {
            ExportFormat::Csv | ExportFormat::Acled | ExportFormat::Ucdp => {
                // The header is written here, so that an export of no
                // events still has one.
                let mut w = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(out);
                let header: &[&str] = match format {
                    ExportFormat::Acled => ACLED_COLUMNS,
                    ExportFormat::Ucdp => UCDP_COLUMNS,
                    _ => CSV_COLUMNS,
                };
                w.write_record(header)?;
                EventWriter::Csv(Box::new(w), format)
            }
            ExportFormat::Jsonl => EventWriter::Jsonl(out),
            ExportFormat::HtmlMap => EventWriter::HtmlMap {
                out,
                events: Vec::new(),
                skipped: 0,
            },
            ExportFormat::Geojson => {
                out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n")?;
                EventWriter::Geojson {
                    out,
                    features: 0,
                    skipped: 0,
                }
            }
        })
    }

    fn write(&mut self, e: &ExportEvent) -> std::io::Result<()> {
        match self {
            EventWriter::Csv(w, ExportFormat::Acled) => w.write_record(acled_record(e))?,
            EventWriter::Csv(w, ExportFormat::Ucdp) => w.write_record(ucdp_record(e))?,
            EventWriter::Csv(w, _) => w.serialize(e)?,
            EventWriter::Jsonl(out) => {
                serde_json::to_writer(&mut *out, e)?;
                out.write_all(b"\n")?;
            }
            EventWriter::Geojson {
                out,
                features,
                skipped,
            } => {
                let (Some(lat), Some(lon)) = (e.lat, e.lon) else {
                    *skipped += 1;
                    return Ok(());
                };
                if *features > 0 {
                    out.write_all(b",\n")?;
                }
                let feature = serde_json::json!({
                    "type": "Feature",
                    "id": e.event_id,
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "properties": e,
                });
                serde_json::to_writer(&mut *out, &feature)?;
                *features += 1;
            }
            EventWriter::HtmlMap {
                events, skipped, ..
            } => {
                let (Some(lat), Some(lon)) = (e.lat, e.lon) else {
                    *skipped += 1;
                    return Ok(());
                };
                events.push(MapEvent {
                    id: e.event_id,
                    date: e.event_date.clone(),
                    event_type: e.event_type.clone(),
                    sub_type: e.sub_type.clone(),
                    location: e.location.clone().unwrap_or_default(),
                    country: e.country_name.clone().or_else(|| e.country.clone()),
                    lat,
                    lon,
                    precision: e.location_precision,
                    killed: e.killed,
                    killed_low: e.killed_low,
                    killed_high: e.killed_high,
                    wounded: e.wounded,
                    actors: match (&e.attackers, &e.targets) {
                        (Some(a), Some(t)) => Some(format!("{a} against {t}")),
                        (a, t) => a.clone().or_else(|| t.clone()),
                    },
                    sources: sources_list(e),
                    reports: e.articles,
                });
            }
        }
        Ok(())
    }

    /// Closes the output; returns how many events had no coordinates (GeoJSON).
    fn finish(self) -> std::io::Result<usize> {
        match self {
            EventWriter::Csv(mut w, _) => w.flush().map(|_| 0),
            EventWriter::Jsonl(out) => out.flush().map(|_| 0),
            EventWriter::Geojson { out, skipped, .. } => {
                out.write_all(b"\n]}\n")?;
                out.flush()?;
                Ok(skipped)
            }
            EventWriter::HtmlMap {
                out,
                events,
                skipped,
            } => {
                let title = format!("conflictdb: {} events", events.len() + skipped);
                out.write_all(render_html_map(&title, &events).as_bytes())?;
                out.flush()?;
                Ok(skipped)
            }
        }
    }
}

const CSV_COLUMNS: &[&str] = &[
    "event_id",
    "event_date",
    "date_precision",
    "type",
    "sub_type",
    "attackers",
    "targets",
    "side_a",
    "side_b",
    "country",
    "country_name",
    "admin1",
    "admin2",
    "location",
    "location_kind",
    "lat",
    "lon",
    "location_precision",
    "cited_sources",
    "outlet",
    "url",
    "title",
    "published_at",
    "notes",
    "killed",
    "killed_low",
    "killed_high",
    "killed_best",
    "killed_conservative",
    "wounded",
    "reports",
    "articles",
    "deaths_security_forces",
    "deaths_combatants",
    "deaths_civilians",
];

const ACLED_COLUMNS: &[&str] = &[
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
];

const UCDP_COLUMNS: &[&str] = &[
    "id",
    "year",
    "side_a",
    "side_b",
    "where_prec",
    "where_coordinates",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "country",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "source_article",
    "source_office",
    "source_headline",
    "source_original",
];

/// ACLED's labels for our snake_case event types and sub-types.
const ACLED_LABELS: &[(&str, &str)] = &[
    ("battles", "Battles"),
    ("armed_clash", "Armed clash"),
    (
        "government_regains_territory",
        "Government regains territory",
    ),
    (
        "non_state_actor_overtakes_territory",
        "Non-state actor overtakes territory",
    ),
    ("explosions_remote_violence", "Explosions/Remote violence"),
    (
        "shelling_artillery_missile_attack",
        "Shelling/artillery/missile attack",
    ),
    ("air_drone_strike", "Air/drone strike"),
    (
        "remote_explosive_landmine_ied",
        "Remote explosive/landmine/IED",
    ),
    ("suicide_bomb", "Suicide bomb"),
    ("grenade", "Grenade"),
    ("chemical_weapon", "Chemical weapon"),
    ("violence_against_civilians", "Violence against civilians"),
    ("attack", "Attack"),
    (
        "abduction_forced_disappearance",
        "Abduction/forced disappearance",
    ),
    ("sexual_violence", "Sexual violence"),
    ("protests", "Protests"),
    ("riots", "Riots"),
    ("strategic_developments", "Strategic developments"),
];

fn acled_label(code: &str) -> String {
    ACLED_LABELS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| code.to_string(), |(_, label)| label.to_string())
}

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn number<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// The first of a "; "-separated list, and the rest.
fn first_and_rest(list: &Option<String>) -> (String, String) {
    match list.as_deref() {
        None => (String::new(), String::new()),
        Some(l) => match l.split_once("; ") {
            Some((first, rest)) => (first.to_string(), rest.to_string()),
            None => (l.to_string(), String::new()),
        },
    }
}

fn year(e: &ExportEvent) -> String {
    e.event_date
        .as_deref()
        .and_then(|d| d.get(..4))
        .unwrap_or_default()
        .to_string()
}

/// The outlets and the sources they cite, or `None`.
fn sources_list(e: &ExportEvent) -> Option<String> {
    Some(sources(e)).filter(|s| !s.is_empty())
}

/// The outlet, then the sources it cites.
fn sources(e: &ExportEvent) -> String {
    [e.outlet.as_deref(), e.cited_sources.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("; ")
}

fn acled_record(e: &ExportEvent) -> Vec<String> {
    let (actor1, assoc1) = first_and_rest(&e.attackers);
    let (actor2, assoc2) = first_and_rest(&e.targets);
    // ACLED: 1 the day is known, 2 the week, 3 the month or less precise.
    let time_precision = match e.date_precision.as_deref() {
        Some("day") => "1",
        Some("week") => "2",
        Some(_) => "3",
        None => "",
    };
    vec![
        e.event_id.to_string(),
        text(&e.event_date),
        year(e),
        time_precision.to_string(),
        acled_label(&e.event_type),
        e.sub_type.as_deref().map(acled_label).unwrap_or_default(),
        actor1,
        assoc1,
        actor2,
        assoc2,
        e.country_name
            .clone()
            .or_else(|| e.country.clone())
            .unwrap_or_default(),
        text(&e.admin1),
        text(&e.admin2),
        text(&e.location),
        number(e.lat),
        number(e.lon),
        number(e.location_precision),
        sources(e),
        String::new(),
        text(&e.notes),
        number(Some(e.killed.unwrap_or(0))),
        number(e.killed_low),
        number(e.killed_high),
    ]
}

fn ucdp_record(e: &ExportEvent) -> Vec<String> {
    // UCDP: 1 exact place, 3 within a second-order division, 4 within a
    // first-order division, 6 only the country.
    let where_prec = match (e.location_precision, e.location_kind.as_deref()) {
        (_, Some("country")) => "6",
        (Some(1), _) => "1",
        (Some(2), _) => "3",
        (Some(_), Some("admin2")) => "3",
        (Some(_), _) => "4",
        (None, _) => "",
    };
    // UCDP: 1 the day, 3 the week, 4 the month, 5 the year.
    let date_prec = match e.date_precision.as_deref() {
        Some("day") => "1",
        Some("week") => "3",
        Some("month") => "4",
        Some("year") => "5",
        _ => "",
    };
    let best = e.killed.unwrap_or(0);
    let known = e.deaths_security_forces + e.deaths_combatants + e.deaths_civilians;
    vec![
        e.event_id.to_string(),
        year(e),
        text(&e.side_a),
        text(&e.side_b),
        where_prec.to_string(),
        text(&e.location),
        text(&e.admin1),
        text(&e.admin2),
        number(e.lat),
        number(e.lon),
        e.country_name
            .clone()
            .or_else(|| e.country.clone())
            .unwrap_or_default(),
        date_prec.to_string(),
        text(&e.event_date),
        text(&e.event_date),
        e.deaths_security_forces.to_string(),
        e.deaths_combatants.to_string(),
        e.deaths_civilians.to_string(),
        (best - known).max(0).to_string(),
        best.to_string(),
        number(Some(e.killed_high.unwrap_or(best))),
        number(Some(e.killed_low.unwrap_or(best))),
        text(&e.url),
        text(&e.outlet),
        e.title.clone(),
        text(&e.cited_sources),
    ]
}

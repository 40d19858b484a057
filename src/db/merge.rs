//! Storing incidents: loads the article events that may report the same
//! incidents as the events not merged yet, merges them with
//! [`crate::merge::merge_reports`], and writes only what changed.
//!
//! An event is "not merged yet" while its `incident_id` is NULL: a new
//! event, the reports of an incident one of whose articles was replaced or
//! unmerged, or everything after an interrupted ingest. They are merged one
//! country and one year of days at a time (`SLICE_DAYS`); the window loaded
//! is that slice with 40 days on each side (a month-precise report spans 31
//! days), plus every other report of the incidents found there, so the
//! incidents rewritten are always whole.

use super::{raw, Db};
use crate::error::Result;
use crate::merge::{
    merge_reports, DatePrecision, EventReport, Group, Incident, MergeContext, Place, ReportedCount,
};
use chrono::{Duration, NaiveDate};
use rusqlite::OptionalExtension;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use sqlx::{Connection, QueryBuilder, Row, Sqlite, SqliteConnection, Transaction};
use std::sync::Arc;

/// What a merge run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct MergeSummary {
    /// Article events looked at (the new ones and those around them).
    pub reports: usize,
    /// Incidents written (new or changed).
    pub incidents_written: usize,
    /// Events that joined another report's incident (new or changed).
    pub merged: usize,
}

/// The ids of the article events that merging reads; a condition on `e`
/// (events) and `l` (its place) follows. Their rows are then read by id,
/// in id order (see [`Loaded::load`]).
const REPORT_IDS: &str =
    "SELECT e.id FROM events e LEFT JOIN locations l ON l.id = e.location_id WHERE ";

/// One article event, by id, in the column order [`read_report`] reads.
const REPORT_ROW: &str = "SELECT article_id, local_id, type, sub_type, event_date, date_precision, \
location_id, location_precision, fatalities_best, fatalities_low, fatalities_high, \
wounded_best, wounded_low, wounded_high, incident_id, merged_with, merge_reason FROM events WHERE id = ?1";

/// An event's actors (the primary key's index has them all).
const REPORT_ACTORS: &str = "SELECT group_id, role FROM event_actors WHERE event_id = ?1";

/// What a report's key and recency come from: its article's content hash
/// (the start) and publication time (an index has both).
const REPORT_ARTICLE: &str = "SELECT substr(content_hash, 1, 16), published_at \
FROM articles INDEXED BY idx_articles_merge WHERE id = ?1";

/// Days of pending events merged at a time (see `merge_pending`).
const SLICE_DAYS: i64 = 365;

/// Reports merged between two commits, at least (see `merge_pending`).
const REPORTS_PER_COMMIT: usize = 200_000;

/// Events of a country in a date range: for each of its places, a range of
/// the (place, date) index.
const WINDOW: &str = "l.country = ?1 AND e.event_date BETWEEN ?2 AND ?3";

/// New events that can merge with nothing (no date, no place or no country).
const UNPLACED: &str = "e.incident_id IS NULL AND (e.event_date IS NULL OR l.country IS NULL)";

/// What a report was before this run: (incident, merged_with, reason).
type Stored = (Option<i64>, Option<i64>, Option<String>);

impl Db {
    /// Merges the events not merged yet into incidents (see [`crate::merge`]).
    pub async fn merge_pending(&self) -> Result<MergeSummary> {
        // One connection held throughout, not one per query: the pool once
        // lent two, and reading the pending countries on one and merging on
        // the other kept two page caches of the events table (100k
        // articles: 40 MB more, and 50 s instead of 64 s).
        let mut conn = self.pool.acquire().await?;
        let merged = merge_pending_on(&mut conn).await?;
        // The pool keeps the connection idle: its pages back to the allocator.
        sqlx::query("PRAGMA shrink_memory")
            .execute(&mut *conn)
            .await?;
        Ok(merged)
    }

    /// Marks every event as not merged yet (`conflictdb merge --all`).
    pub async fn forget_all_incidents(&self) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query(
            "UPDATE events SET incident_id = NULL, merged_with = NULL, merge_reason = NULL",
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM incidents")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes an article event out of the incident it was merged into, and
    /// keeps it apart from that incident's other reports from now on (the
    /// decision is stored by article content and event id, so re-ingesting
    /// keeps it). Returns the other reports it was merged with.
    pub async fn unmerge(&self, event_id: i64) -> Result<Vec<i64>> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let incident: Option<Option<i64>> =
            sqlx::query_scalar("SELECT incident_id FROM events WHERE id = ?")
                .bind(event_id)
                .fetch_optional(&mut *tx)
                .await?;
        let incident = match incident {
            None => return Err(crate::Error::NotFound(format!("event {event_id}"))),
            Some(None) => {
                return Err(crate::Error::Usage(format!(
                    "event {event_id} is not merged yet; run `conflictdb merge` first"
                )))
            }
            Some(Some(i)) => i,
        };
        let members: Vec<(i64, String)> = sqlx::query_as(
            "SELECT e.id, substr(a.content_hash, 1, 16) || ':' || e.local_id FROM events e \
             JOIN articles a ON a.id = e.article_id WHERE e.incident_id = ? ORDER BY e.id",
        )
        .bind(incident)
        .fetch_all(&mut *tx)
        .await?;
        let Some((_, key)) = members.iter().find(|(id, _)| *id == event_id).cloned() else {
            return Err(crate::Error::NotFound(format!("event {event_id}")));
        };
        let others: Vec<(i64, String)> = members
            .into_iter()
            .filter(|(id, _)| *id != event_id)
            .collect();
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        for (_, other) in &others {
            sqlx::query(
                "INSERT INTO merge_decisions (event_key, other_key, decision, decided_at) \
                 VALUES (?, ?, 'apart', ?) ON CONFLICT (event_key, other_key) DO UPDATE SET decision = 'apart', decided_at = excluded.decided_at",
            )
            .bind(&key)
            .bind(other)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
        forget_incidents(&mut tx, &[incident]).await?;
        tx.commit().await?;
        self.merge_pending().await?;
        Ok(others.into_iter().map(|(id, _)| id).collect())
    }
}

/// [`Db::merge_pending`] on one connection.
async fn merge_pending_on(conn: &mut SqliteConnection) -> Result<MergeSummary> {
    let pending: Vec<(Option<String>, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT l.country, min(e.event_date), max(e.event_date) FROM events e \
         LEFT JOIN locations l ON l.id = e.location_id \
         WHERE e.incident_id IS NULL GROUP BY l.country ORDER BY l.country",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut total = MergeSummary::default();
    if pending.is_empty() {
        return Ok(total);
    }
    let ctx = Arc::new(merge_context(conn).await?);
    {
        let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
        let s = merge_where(&mut tx, &ctx, UNPLACED, &[]).await?;
        tx.commit().await?;
        add(&mut total, s);
    }
    let windows = windows(pending);
    // Slices share a transaction until it has written many events: each
    // commit writes every page it touched, and the events of a slice lie
    // on pages all over the table, so a commit per slice wrote the same
    // pages again and again (a third of the merge's time).
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    let mut written = 0;
    let mut prefetched: Option<Loaded> = None;
    for (n, window) in windows.iter().enumerate() {
        let loaded = match prefetched.take() {
            Some(loaded) => loaded,
            None => Loaded::window(&mut tx, window).await?,
        };
        if loaded.reports.is_empty() {
            continue;
        }
        let Loaded {
            reports,
            stored,
            index,
        } = loaded;
        // SQLite reads the next window while this one is clustered on
        // another core (the merge's two halves, each on one core, used to
        // take turns). Only another country's window: this one's writes
        // touch only the reports it loaded, and the next slice of the same
        // country shares its margin. In case a place changed country since
        // its incidents were merged, the two windows must share no report.
        let task_ctx = Arc::clone(&ctx);
        let clustering = tokio::task::spawn_blocking(move || merge_reports(&task_ctx, &reports));
        if let Some(next) = windows.get(n + 1).filter(|w| w.country != window.country) {
            let next = Loaded::window(&mut tx, next).await?;
            if next.index.keys().all(|id| !index.contains_key(id)) {
                prefetched = Some(next);
            }
        }
        let incidents = clustering
            .await
            .map_err(|e| crate::Error::Query(format!("merging reports failed: {e}")))?;
        let s = write_incidents(&mut tx, &incidents, &stored).await?;
        written += s.reports;
        if written >= REPORTS_PER_COMMIT {
            tx.commit().await?;
            tx = conn.begin_with("BEGIN IMMEDIATE").await?;
            written = 0;
        }
        add(&mut total, s);
    }
    tx.commit().await?;
    Ok(total)
}

/// Days of one country's events that are merged together: a slice and
/// 40 days on each side (see `merge_pending`).
struct Window {
    country: String,
    from: String,
    to: String,
}

/// The windows of the countries with events not merged yet (country,
/// first and last day), one slice of each country in turn, so that two
/// windows in a row are of two countries while there are two.
fn windows(pending: Vec<(Option<String>, Option<String>, Option<String>)>) -> Vec<Window> {
    let mut by_country: Vec<Vec<Window>> = Vec::new();
    for (country, first, last) in pending {
        let (Some(country), Some(first), Some(last)) = (country, first, last) else {
            continue;
        };
        let day = |s: &str| NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d");
        let (Ok(first), Ok(last)) = (day(&first), day(&last)) else {
            continue;
        };
        // One slice of days at a time, each with 40 days around it, so
        // that memory follows a slice's events, not a country's years.
        // A report near a slice's end is looked at again, with its
        // incident, by the next slice, as by a later ingest.
        let mut slices = Vec::new();
        let mut start = first;
        while start <= last {
            let end = (start + Duration::days(SLICE_DAYS - 1)).min(last);
            slices.push(Window {
                country: country.clone(),
                from: (start - Duration::days(40)).to_string(),
                to: (end + Duration::days(40)).to_string(),
            });
            start = end + Duration::days(1);
        }
        by_country.push(slices);
    }
    let rounds = by_country.iter().map(Vec::len).max().unwrap_or(0);
    let mut iters: Vec<_> = by_country.into_iter().map(Vec::into_iter).collect();
    let mut windows = Vec::new();
    for _ in 0..rounds {
        windows.extend(iters.iter_mut().filter_map(Iterator::next));
    }
    windows
}

/// Places, groups and the merges people undid.
async fn merge_context(conn: &mut SqliteConnection) -> Result<MergeContext> {
    let mut ctx = MergeContext::default();
    let places = sqlx::query("SELECT id, name, parent_id, kind, country FROM locations")
        .fetch_all(&mut *conn)
        .await?;
    for r in places {
        let place = Place {
            name: r.get(1),
            parent: r.get(2),
            kind: r.get(3),
            country: r.get(4),
        };
        ctx.places.insert(r.get(0), place);
    }
    let groups = sqlx::query("SELECT id, name, parent_id, side, country FROM groups")
        .fetch_all(&mut *conn)
        .await?;
    for r in groups {
        let group = Group {
            name: r.get(1),
            parent: r.get(2),
            side: r.get(3),
            country: r.get(4),
        };
        ctx.groups.insert(r.get(0), group);
    }
    let apart: Vec<(String, String)> =
        sqlx::query_as("SELECT event_key, other_key FROM merge_decisions WHERE decision = 'apart'")
            .fetch_all(&mut *conn)
            .await?;
    for (a, b) in apart {
        ctx.apart.insert((b.clone(), a.clone()));
        ctx.apart.insert((a, b));
    }
    Ok(ctx)
}

fn add(total: &mut MergeSummary, s: MergeSummary) {
    total.reports += s.reports;
    total.incidents_written += s.incidents_written;
    total.merged += s.merged;
}

/// Deletes incidents and marks their reports as not merged yet.
pub(super) async fn forget_incidents(tx: &mut Transaction<'_, Sqlite>, ids: &[i64]) -> Result<()> {
    for chunk in ids.chunks(10_000) {
        for sql in [
            "UPDATE events SET incident_id = NULL, merged_with = NULL, merge_reason = NULL WHERE incident_id IN (",
            "DELETE FROM incidents WHERE id IN (",
        ] {
            let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(sql);
            let mut sep = qb.separated(", ");
            for id in chunk {
                sep.push_bind(*id);
            }
            qb.push(")");
            qb.build().persistent(false).execute(&mut **tx).await?;
        }
    }
    Ok(())
}

fn parse_published(s: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|d| d.timestamp())
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc().timestamp())
        })
}

/// The reports a merge works on, and what they were before it.
#[derive(Default)]
struct Loaded {
    reports: Vec<EventReport>,
    stored: HashMap<i64, Stored>,
    index: HashMap<i64, usize>,
}

impl Loaded {
    /// The reports `condition` selects, with the rest of their incidents.
    async fn reports_where(
        tx: &mut Transaction<'_, Sqlite>,
        condition: &str,
        binds: &[String],
    ) -> Result<Loaded> {
        let mut loaded = Loaded::default();
        loaded.load(tx, condition, binds).await?;
        if !loaded.reports.is_empty() {
            loaded.complete_incidents(tx).await?;
        }
        Ok(loaded)
    }

    /// The reports of a window, with the rest of their incidents.
    async fn window(tx: &mut Transaction<'_, Sqlite>, w: &Window) -> Result<Loaded> {
        let binds = [w.country.clone(), w.from.clone(), w.to.clone()];
        Loaded::reports_where(tx, WINDOW, &binds).await
    }

    /// Adds the events `condition` selects, with their actors. Their ids
    /// come first, then their rows one by one in id order, through rusqlite
    /// on this thread: one query joining events, articles and actors in
    /// the order of the (place, date) index went back and forth across the
    /// events table, and its rows, handed over as one JSON value (sqlx's
    /// cost per row was four times SQLite's), were built then parsed.
    async fn load(
        &mut self,
        tx: &mut Transaction<'_, Sqlite>,
        condition: &str,
        binds: &[String],
    ) -> Result<()> {
        let mut handle = tx.lock_handle().await?;
        raw::on_connection(&mut handle, |db| self.load_on(db, condition, binds))
    }

    fn load_on(
        &mut self,
        db: &rusqlite::Connection,
        condition: &str,
        binds: &[String],
    ) -> Result<()> {
        let mut ids: Vec<i64> = raw::column(db, &format!("{REPORT_IDS}{condition}"), binds)?;
        ids.retain(|id| !self.index.contains_key(id));
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(());
        }
        let prepare = |sql| db.prepare(sql).map_err(raw::error);
        let (mut event, mut actors) = (prepare(REPORT_ROW)?, prepare(REPORT_ACTORS)?);
        let mut article = prepare(REPORT_ARTICLE)?;
        // Most articles report several events of a window.
        let mut articles: HashMap<i64, (String, Option<i64>)> = HashMap::default();
        for id in ids {
            let report = read_report(id, &mut event, &mut actors, &mut article, &mut articles)
                .map_err(raw::error)?;
            let Some((report, stored)) = report else {
                continue;
            };
            self.index.insert(id, self.reports.len());
            self.stored.insert(id, stored);
            self.reports.push(report);
        }
        Ok(())
    }

    /// Adds the other reports of the incidents found, so that every
    /// incident rewritten is whole.
    async fn complete_incidents(&mut self, tx: &mut Transaction<'_, Sqlite>) -> Result<()> {
        let mut incidents: Vec<i64> = self.stored.values().filter_map(|s| s.0).collect();
        incidents.sort_unstable();
        incidents.dedup();
        for chunk in incidents.chunks(5_000) {
            let list: Vec<String> = chunk.iter().map(i64::to_string).collect();
            // Integers we read from the database, so listing them is safe.
            let condition = format!("e.incident_id IN ({})", list.join(", "));
            self.load(tx, &condition, &[]).await?;
        }
        Ok(())
    }
}

/// The report of event `id` and what it was, from its row, its actors and
/// its article (`articles` keeps those read); `None` if it is gone.
fn read_report(
    id: i64,
    event: &mut rusqlite::Statement<'_>,
    actors: &mut rusqlite::Statement<'_>,
    article: &mut rusqlite::Statement<'_>,
    articles: &mut HashMap<i64, (String, Option<i64>)>,
) -> rusqlite::Result<Option<(EventReport, Stored)>> {
    let mut rows = event.query([id])?;
    let Some(r) = rows.next()? else {
        return Ok(None);
    };
    let article_id: i64 = r.get(0)?;
    let local_id: String = r.get(1)?;
    let count = |at: usize| -> rusqlite::Result<ReportedCount> {
        Ok(ReportedCount {
            best: r.get(at)?,
            low: r.get(at + 1)?,
            high: r.get(at + 2)?,
        })
    };
    let (killed, wounded) = (count(8)?, count(11)?);
    let date: Option<String> = r.get(4)?;
    let precision: Option<String> = r.get(5)?;
    let mut report = EventReport {
        id,
        key: String::new(),
        article_id,
        published: None,
        event_type: r.get(2)?,
        sub_type: r.get(3)?,
        date: date.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        date_precision: precision.as_deref().and_then(DatePrecision::parse),
        place: r.get(6)?,
        location_precision: r.get(7)?,
        actors: Vec::new(),
        killed,
        wounded,
    };
    let stored: Stored = (r.get(14)?, r.get(15)?, r.get(16)?);
    drop(rows);
    let (hash, published) = match articles.get(&article_id) {
        Some(known) => known.clone(),
        None => {
            // An event outlives its article only if foreign keys were off.
            let Some(read): Option<(String, Option<String>)> = article
                .query_row([article_id], |a| Ok((a.get(0)?, a.get(1)?)))
                .optional()?
            else {
                return Ok(None);
            };
            let known = (read.0, read.1.as_deref().and_then(parse_published));
            articles.insert(article_id, known.clone());
            known
        }
    };
    report.key = format!("{hash}:{local_id}");
    report.published = published;
    let mut listed = actors.query([id])?;
    while let Some(a) = listed.next()? {
        report.actors.push((a.get(0)?, a.get(1)?));
    }
    report.actors.sort();
    report.actors.dedup();
    Ok(Some((report, stored)))
}

/// Merges the reports `condition` selects (with the rest of their
/// incidents), and writes what changed.
async fn merge_where(
    tx: &mut Transaction<'_, Sqlite>,
    ctx: &MergeContext,
    condition: &str,
    binds: &[String],
) -> Result<MergeSummary> {
    let loaded = Loaded::reports_where(tx, condition, binds).await?;
    if loaded.reports.is_empty() {
        return Ok(MergeSummary::default());
    }
    let Loaded {
        reports, stored, ..
    } = loaded;
    let incidents = merge_reports(ctx, &reports);
    drop(reports);
    write_incidents(tx, &incidents, &stored).await
}

/// Writes the incidents of a merge whose reports or links changed, and
/// each changed report's incident; `stored` is what the reports were.
async fn write_incidents(
    tx: &mut Transaction<'_, Sqlite>,
    incidents: &[Incident],
    stored: &HashMap<i64, Stored>,
) -> Result<MergeSummary> {
    // Only incidents whose reports or links changed are rewritten.
    let mut old_members: HashMap<i64, Vec<i64>> = HashMap::default();
    for (id, (incident, _, _)) in stored {
        if let Some(i) = incident {
            old_members.entry(*i).or_default().push(*id);
        }
    }
    for v in old_members.values_mut() {
        v.sort_unstable();
    }
    let mut kept: HashSet<i64> = HashSet::default();
    let mut changed: Vec<&Incident> = Vec::new();
    let mut updates: Vec<(i64, i64, Option<i64>, Option<&str>)> = Vec::new();
    for inc in incidents {
        let ids: Vec<i64> = inc.members.iter().map(|m| m.event_id).collect();
        let same_links = inc.members.iter().all(|m| {
            stored.get(&m.event_id).is_some_and(|(i, w, r)| {
                *i == Some(inc.id) && *w == m.merged_with && r.as_deref() == m.reason.as_deref()
            })
        });
        if same_links && old_members.get(&inc.id) == Some(&ids) {
            kept.insert(inc.id);
            continue;
        }
        changed.push(inc);
        for m in &inc.members {
            let new = (Some(inc.id), m.merged_with, m.reason.clone());
            if stored.get(&m.event_id) != Some(&new) {
                updates.push((m.event_id, inc.id, m.merged_with, m.reason.as_deref()));
            }
        }
    }
    // In id order, so that each statement writes neighbouring pages.
    changed.sort_unstable_by_key(|inc| inc.id);
    updates.sort_unstable_by_key(|u| u.0);
    let gone: Vec<i64> = old_members
        .keys()
        .copied()
        .filter(|i| !kept.contains(i))
        .collect();
    for chunk in gone.chunks(10_000) {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("DELETE FROM incidents WHERE id IN (");
        let mut sep = qb.separated(", ");
        for id in chunk {
            sep.push_bind(*id);
        }
        qb.push(")");
        qb.build().persistent(false).execute(&mut **tx).await?;
    }
    // Each group's first role carries the incident's figures (migration 4)
    // and the sides the group was on in it (migration 5). Actors are sorted
    // by group, so a group's roles are together.
    let actors: Vec<(&Incident, i64, &str, bool, bool, bool)> = changed
        .iter()
        .flat_map(|inc| {
            inc.actors.iter().enumerate().map(move |(n, (g, role))| {
                let first = n == 0 || inc.actors[n - 1].0 != *g;
                let has = |wanted: &[&str]| {
                    first
                        && inc
                            .actors
                            .iter()
                            .any(|(o, r)| o == g && wanted.contains(&r.as_str()))
                };
                (
                    *inc,
                    *g,
                    role.as_str(),
                    first,
                    has(&["attacker"]),
                    has(&["target", "victim"]),
                )
            })
        })
        .collect();
    // Bound and run on this thread, as storing does (see `raw`).
    let mut handle = tx.lock_handle().await?;
    raw::on_connection(&mut handle, |db| {
        raw::insert_rows(
            db,
            "INSERT INTO incidents (id, type, sub_type, event_date, date_precision, location_id, location_precision, \
             fatalities_best, fatalities_low, fatalities_high, fatalities_conservative, \
             wounded_best, wounded_low, wounded_high, wounded_conservative, best_rule, reports, articles) ",
            "",
            18,
            &changed,
            |b, inc| {
                b.int(inc.id)
                    .text(&inc.event_type)
                    .opt_text(inc.sub_type.as_deref())
                    .opt_text(inc.date.map(|d| d.to_string()).as_deref())
                    .opt_text(inc.date_precision.map(DatePrecision::as_str))
                    .opt_int(inc.place)
                    .opt_int(inc.location_precision);
                b.opt_int(inc.killed.best)
                    .opt_int(inc.killed.low)
                    .opt_int(inc.killed.high)
                    .opt_int(inc.killed.conservative);
                b.opt_int(inc.wounded.best)
                    .opt_int(inc.wounded.low)
                    .opt_int(inc.wounded.high)
                    .opt_int(inc.wounded.conservative);
                b.opt_text(inc.killed.rule.map(|r| r.as_str()))
                    .int(inc.members.len() as i64)
                    .int(inc.articles as i64);
            },
        )?;
        raw::insert_rows(
            db,
            "INSERT INTO incident_actors (incident_id, group_id, role, counts_incident, as_attacker, as_target, incident_fatalities_best, incident_fatalities_conservative) ",
            "",
            8,
            &actors,
            |b, (inc, g, role, first, attacker, target)| {
                b.int(inc.id)
                    .int(*g)
                    .text(role)
                    .int(i64::from(*first))
                    .int(i64::from(*attacker))
                    .int(i64::from(*target))
                    .opt_int(inc.killed.best)
                    .opt_int(inc.killed.conservative);
            },
        )?;
        raw::insert_rows(
            db,
            "WITH v(id, incident_id, merged_with, merge_reason) AS (",
            ") UPDATE events SET incident_id = v.incident_id, merged_with = v.merged_with, merge_reason = v.merge_reason FROM v WHERE events.id = v.id",
            4,
            &updates,
            |b, (id, incident, with, reason)| {
                b.int(*id).int(*incident).opt_int(*with).opt_text(*reason);
            },
        )
    })?;
    drop(handle);
    Ok(MergeSummary {
        reports: stored.len(),
        incidents_written: changed.len(),
        merged: updates.iter().filter(|u| u.2.is_some()).count(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each event as merging reads it, against what plain SQL says of it.
    #[tokio::test]
    async fn reports_are_read_back_with_their_key_actors_and_incident() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let db = Db::connect(&url).await.unwrap();
        let items = super::super::store::tests::batch();
        for r in db.store_batch(&items, false).await.unwrap() {
            r.unwrap();
        }
        db.merge_pending().await.unwrap();
        let mut tx = db.pool.begin().await.unwrap();
        let loaded = Loaded::reports_where(&mut tx, "e.id > 0", &[])
            .await
            .unwrap();
        type Expected = (
            i64,
            String,
            String,
            Option<String>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            Option<String>,
        );
        let expected: Vec<Expected> = sqlx::query_as(
            "SELECT e.id, substr(a.content_hash, 1, 16) || ':' || e.local_id, e.type, e.event_date, \
             e.location_id, e.fatalities_best, e.incident_id, \
             (SELECT group_concat(group_id || ' ' || role, ';') FROM \
               (SELECT DISTINCT group_id, role FROM event_actors WHERE event_id = e.id ORDER BY group_id, role)) \
             FROM events e JOIN articles a ON a.id = e.article_id ORDER BY e.id",
        )
        .fetch_all(&mut *tx)
        .await
        .unwrap();
        let events: usize = items.iter().map(|(x, _)| x.events.len()).sum();
        assert_eq!(expected.len(), events);
        assert_eq!(loaded.reports.len(), events);
        assert!(
            expected.iter().any(|e| e.7.is_some()),
            "no event has actors"
        );
        for (id, key, event_type, date, place, killed, incident, actors) in expected {
            let r = &loaded.reports[loaded.index[&id]];
            let listed: Vec<String> = r
                .actors
                .iter()
                .map(|(g, role)| format!("{g} {role}"))
                .collect();
            assert_eq!(
                (
                    &r.key,
                    &r.event_type,
                    r.date.map(|d| d.to_string()),
                    r.place,
                    r.killed.best
                ),
                (&key, &event_type, date, place, killed),
                "event {id}"
            );
            assert_eq!(listed.join(";"), actors.unwrap_or_default(), "event {id}");
            // Merged, so each is in an incident, and merging knows which.
            assert!(incident.is_some());
            assert_eq!(loaded.stored[&id].0, incident, "event {id}");
        }
    }

    #[test]
    fn windows_take_one_slice_of_each_country_in_turn_and_cover_every_day() {
        let pending = |c: &str, first: &str, last: &str| {
            (
                Some(c.to_string()),
                Some(first.to_string()),
                Some(last.to_string()),
            )
        };
        let windows = windows(vec![
            (None, Some("2020-01-01".into()), Some("2020-02-01".into())),
            pending("IQ", "2019-12-30", "2022-03-01"),
            pending("LB", "2021-05-05", "2021-05-05"),
            pending("SY", "2020-01-01T10:00:00Z", "2021-06-30"),
            pending("YE", "someday", "2021-01-01"),
        ]);
        let listed: Vec<(&str, &str, &str)> = windows
            .iter()
            .map(|w| (w.country.as_str(), w.from.as_str(), w.to.as_str()))
            .collect();
        // Events without a country or a readable date are merged apart
        // (UNPLACED); each slice is 365 days (2020 has 366) with 40 days
        // on each side, and the next slice starts the day after.
        assert_eq!(
            listed,
            [
                ("IQ", "2019-11-20", "2021-02-06"),
                ("LB", "2021-03-26", "2021-06-14"),
                ("SY", "2019-11-22", "2021-02-08"),
                ("IQ", "2020-11-19", "2022-02-06"),
                ("SY", "2020-11-21", "2021-08-09"),
                ("IQ", "2021-11-19", "2022-04-10"),
            ]
        );
    }
}

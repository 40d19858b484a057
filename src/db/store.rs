//! Storing extractions. A batch of articles is stored in one transaction
//! with a handful of multi-row statements: every article of a batch is
//! stored whole or not at all, and a crash loses the batch, never half an
//! article. The same text twice is a no-op (its content hash is unique);
//! `force` replaces the stored extraction.
//!
//! Speed: entity ids come from an in-memory cache (reference rows never
//! change id, unlisted rows are never deleted), unlisted entities are
//! inserted in bulk, and row ids are assigned here while the write lock is
//! held, so that one statement per table carries a whole batch.

use super::{raw, Db};
use crate::error::Result;
use crate::knowledge::{name_key, Knowledge};
use crate::model::Extraction;
use rustc_hash::FxHashMap as HashMap;
use sqlx::query_builder::Separated;
use sqlx::{QueryBuilder, Sqlite, Transaction};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreOutcome {
    /// Stored for the first time.
    New,
    /// Already stored with the same text: nothing done.
    Unchanged,
    /// Already stored, extracted again and replaced (`--force`).
    Replaced,
}

#[derive(Debug, Clone, Copy)]
pub struct Stored {
    pub outcome: StoreOutcome,
    pub article_id: i64,
    pub events: usize,
    pub figures: usize,
}

/// SQLITE_BUSY or SQLITE_LOCKED: another connection holds the lock.
pub(crate) fn is_busy(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => matches!(
            d.code().as_deref(),
            Some("5") | Some("6") | Some("517") | Some("261")
        ),
        _ => false,
    }
}

/// The first 64 bits of an article's content hash, to tell quickly whether
/// it may be stored already.
pub fn short_hash(text: &str) -> u64 {
    let h = blake3::hash(text.as_bytes());
    u64::from_le_bytes(h.as_bytes()[..8].try_into().expect("32-byte hash"))
}

/// The content hash that identifies an article's text.
pub fn content_hash(text: &str) -> String {
    blake3::hash(text.as_bytes()).to_hex().to_string()
}

/// Ids of locations, groups and sources by `ref_key`, as far as this process knows them.
#[derive(Debug, Default)]
pub(crate) struct RefCache {
    loaded: bool,
    tables: [HashMap<String, i64>; 3],
}

#[derive(Clone, Copy)]
enum RefTable {
    Locations = 0,
    Groups = 1,
    Sources = 2,
}

impl RefTable {
    fn name(self) -> &'static str {
        match self {
            RefTable::Locations => "locations",
            RefTable::Groups => "groups",
            RefTable::Sources => "sources",
        }
    }
}

/// SQLite's limit on bound values per statement, with room to spare.
pub(super) const MAX_VARIABLES: usize = 30_000;

/// Inserts rows with few statements, each of a fixed shape.
pub(super) async fn insert_rows<'r, R>(
    tx: &mut Transaction<'_, Sqlite>,
    head: &str,
    tail: &str,
    columns: usize,
    rows: &'r [R],
    bind: impl Fn(&mut Separated<'_, 'r, Sqlite, &'static str>, &'r R) + Copy,
) -> Result<()> {
    // A few fixed shapes (1024, 256, 64, 16, 4 and 1 rows) so that sqlx
    // keeps each statement prepared instead of parsing a new one per batch.
    // Big ones, because each statement is a round trip to sqlx's worker
    // thread, and with 64 rows those trips cost an eighth of storing.
    let mut rest = rows;
    while !rest.is_empty() {
        let n = [1024usize, 256, 64, 16, 4, 1]
            .into_iter()
            .find(|&n| n <= rest.len() && n * columns <= MAX_VARIABLES)
            .unwrap_or(1);
        let (chunk, tail_rows) = rest.split_at(n);
        let mut qb: QueryBuilder<'r, Sqlite> = QueryBuilder::new(head);
        qb.push_values(chunk, |mut b, r| bind(&mut b, r));
        qb.push(tail);
        qb.build().execute(&mut **tx).await?;
        rest = tail_rows;
    }
    Ok(())
}

/// Character offsets to byte offsets of a text, for slicing many spans.
struct CharIndex<'t> {
    text: &'t str,
    bytes: Vec<usize>,
}

impl<'t> CharIndex<'t> {
    fn new(text: &'t str) -> Self {
        let mut bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        bytes.push(text.len());
        CharIndex { text, bytes }
    }

    fn slice(&self, start: usize, end: usize) -> &'t str {
        let b = |c: usize| self.bytes[c.min(self.bytes.len() - 1)];
        &self.text[b(start)..b(end.max(start))]
    }
}

impl Db {
    /// The short hashes of every stored article's text.
    pub async fn known_hashes(&self) -> Result<rustc_hash::FxHashSet<u64>> {
        use futures::TryStreamExt;
        let mut set = rustc_hash::FxHashSet::default();
        let mut rows =
            sqlx::query_scalar::<_, String>("SELECT content_hash FROM articles").fetch(&self.pool);
        while let Some(h) = rows.try_next().await? {
            // The hex of the first 8 bytes, read back as `short_hash` reads them.
            if let Some(v) = h.get(..16).and_then(|x| u64::from_str_radix(x, 16).ok()) {
                set.insert(u64::from_le_bytes(v.to_be_bytes()));
            }
        }
        Ok(set)
    }

    /// Whether an article with this text is already stored.
    pub async fn has_text(&self, text: &str) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM articles WHERE content_hash = ?")
            .bind(content_hash(text))
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    /// Stores one extraction of `text` (the article's title and body as the extractor read them).
    pub async fn store(&self, x: &Extraction, text: &str, force: bool) -> Result<Stored> {
        let items = [(x.clone(), text.to_string())];
        let mut out = self.store_batch(&items, force).await?;
        out.pop().expect("one result per article")
    }

    /// Stores many extractions in one transaction. Another process writing
    /// at the same time makes it wait (busy timeout) and, if the lock stays
    /// taken, retry with backoff. If the batch fails for another reason, its
    /// halves are stored apart, down to the article at fault, which alone
    /// gets the error.
    pub async fn store_batch(
        &self,
        items: &[(Extraction, String)],
        force: bool,
    ) -> Result<Vec<Result<Stored>>> {
        let mut delay = std::time::Duration::from_millis(50);
        let mut attempt = 0;
        loop {
            match self.store_batch_once(items, force).await {
                Ok(v) => return Ok(v.into_iter().map(Ok).collect()),
                Err(crate::Error::Database(e)) if is_busy(&e) && attempt < 8 => {
                    attempt += 1;
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(std::time::Duration::from_secs(5));
                }
                Err(e @ crate::Error::Database(_)) if items.len() == 1 => return Ok(vec![Err(e)]),
                Err(e @ crate::Error::Database(_)) => {
                    if let crate::Error::Database(d) = &e {
                        if is_busy(d) {
                            return Err(e);
                        }
                    }
                    let (a, b) = items.split_at(items.len() / 2);
                    let mut out = Box::pin(self.store_batch(a, force)).await?;
                    out.extend(Box::pin(self.store_batch(b, force)).await?);
                    return Ok(out);
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Ids of `keys` in a reference table: from the cache, else from the
    /// database (rows this process has not seen yet).
    async fn ref_ids(
        &self,
        tx: &mut Transaction<'_, Sqlite>,
        table: RefTable,
        keys: &[&str],
    ) -> Result<HashMap<String, i64>> {
        let mut found = HashMap::default();
        let mut missing: Vec<&str> = Vec::new();
        {
            let cache = self.refs.lock().expect("reference cache");
            for k in keys {
                match cache.tables[table as usize].get(*k) {
                    Some(id) => {
                        found.insert((*k).to_string(), *id);
                    }
                    None => missing.push(k),
                }
            }
        }
        missing.sort_unstable();
        missing.dedup();
        for chunk in missing.chunks(MAX_VARIABLES) {
            let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
                "SELECT ref_key, id FROM {} WHERE ref_key IN (",
                table.name()
            ));
            let mut sep = qb.separated(", ");
            for k in chunk {
                sep.push_bind(*k);
            }
            qb.push(")");
            let rows: Vec<(String, i64)> = qb
                .build_query_as()
                .persistent(false)
                .fetch_all(&mut **tx)
                .await?;
            found.extend(rows);
        }
        Ok(found)
    }

    async fn load_ref_cache(&self) -> Result<()> {
        if self.refs.lock().expect("reference cache").loaded {
            return Ok(());
        }
        let mut tables: [HashMap<String, i64>; 3] = Default::default();
        for t in [RefTable::Locations, RefTable::Groups, RefTable::Sources] {
            let rows: Vec<(String, i64)> =
                sqlx::query_as(&format!("SELECT ref_key, id FROM {}", t.name()))
                    .fetch_all(&self.pool)
                    .await?;
            tables[t as usize] = rows.into_iter().collect();
        }
        let mut cache = self.refs.lock().expect("reference cache");
        cache.tables = tables;
        cache.loaded = true;
        Ok(())
    }

    async fn store_batch_once(
        &self,
        items: &[(Extraction, String)],
        force: bool,
    ) -> Result<Vec<Stored>> {
        self.load_ref_cache().await?;
        let k = Knowledge::embedded()?;
        // IMMEDIATE: take the write lock now, so that two writers queue
        // instead of failing when one upgrades a read to a write.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;

        // 1. Which articles are stored already.
        let hashes: Vec<String> = items.iter().map(|(_, t)| content_hash(t)).collect();
        let mut existing: HashMap<String, i64> = HashMap::default();
        for chunk in hashes.chunks(MAX_VARIABLES) {
            let mut qb: QueryBuilder<Sqlite> =
                QueryBuilder::new("SELECT content_hash, id FROM articles WHERE content_hash IN (");
            let mut sep = qb.separated(", ");
            for h in chunk {
                sep.push_bind(h.as_str());
            }
            qb.push(")");
            let rows: Vec<(String, i64)> = qb
                .build_query_as()
                .persistent(false)
                .fetch_all(&mut *tx)
                .await?;
            existing.extend(rows);
        }
        let mut outcome: Vec<StoreOutcome> = Vec::with_capacity(items.len());
        let mut seen_in_batch: rustc_hash::FxHashSet<&str> = Default::default();
        let mut replaced: Vec<i64> = Vec::new();
        for h in &hashes {
            let first_time_in_batch = seen_in_batch.insert(h.as_str());
            outcome.push(match (existing.get(h), first_time_in_batch) {
                (_, false) => StoreOutcome::Unchanged,
                (None, true) => StoreOutcome::New,
                (Some(_), true) if !force => StoreOutcome::Unchanged,
                (Some(id), true) => {
                    replaced.push(*id);
                    StoreOutcome::Replaced
                }
            });
        }
        // The incidents a replaced article reported are merged again, with
        // its new events, once the batch is stored.
        let mut incidents: Vec<i64> = Vec::new();
        for chunk in replaced.chunks(MAX_VARIABLES) {
            let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
                "SELECT DISTINCT incident_id FROM events WHERE incident_id IS NOT NULL AND article_id IN (",
            );
            let mut sep = qb.separated(", ");
            for id in chunk {
                sep.push_bind(*id);
            }
            qb.push(")");
            incidents.extend(
                qb.build_query_scalar::<i64>()
                    .persistent(false)
                    .fetch_all(&mut *tx)
                    .await?,
            );
        }
        super::merge::forget_incidents(&mut tx, &incidents).await?;
        for chunk in replaced.chunks(MAX_VARIABLES) {
            let mut qb: QueryBuilder<Sqlite> =
                QueryBuilder::new("DELETE FROM articles WHERE id IN (");
            let mut sep = qb.separated(", ");
            for id in chunk {
                sep.push_bind(*id);
            }
            qb.push(")");
            qb.build().persistent(false).execute(&mut *tx).await?;
        }
        let stored: Vec<usize> = (0..items.len())
            .filter(|&i| outcome[i] != StoreOutcome::Unchanged)
            .collect();

        // 2. Entity ids: reference rows from the cache, unlisted ones inserted in bulk.
        struct Unlisted<'a> {
            ref_key: String,
            name: &'a str,
            kind: &'static str,
            side: &'static str,
            country: Option<&'a str>,
            admin1: Option<&'a str>,
            lat: Option<f64>,
            lon: Option<f64>,
            parent: Option<&'a str>,
        }
        let location_key = |l: &crate::model::LocationOut| match &l.key {
            Some(k) => k.clone(),
            None => format!(
                "unlisted:{}:{}",
                l.country.as_deref().unwrap_or("-"),
                name_key(&l.canonical)
            ),
        };
        let group_key = |g: &crate::model::GroupOut| match &g.key {
            Some(k) => k.clone(),
            None => format!(
                "generic:{}:{}",
                name_key(&g.canonical),
                g.country.as_deref().unwrap_or("-")
            ),
        };
        let source_key = |s: &crate::model::SourceOut| match &s.key {
            Some(k) => k.clone(),
            None => format!("unlisted:{}", name_key(&s.canonical)),
        };
        let outlet_key = |x: &Extraction| {
            x.article
                .url
                .as_deref()
                .and_then(|u| k.source_by_url(u))
                .or_else(|| x.article.outlet.as_deref().and_then(|o| k.source_by_url(o)))
                .map(|i| k.sources[i].key.clone())
        };
        let mut place_rows: Vec<Unlisted> = Vec::new();
        let mut group_rows: Vec<Unlisted> = Vec::new();
        let mut source_rows: Vec<Unlisted> = Vec::new();
        let (mut place_keys, mut group_keys, mut source_keys) =
            (Vec::new(), Vec::new(), Vec::new());
        for &i in &stored {
            let x = &items[i].0;
            for l in &x.locations {
                let key = location_key(l);
                if l.key.is_none() {
                    place_rows.push(Unlisted {
                        ref_key: key.clone(),
                        name: &l.canonical,
                        kind: l.kind.as_str(),
                        side: "",
                        country: l.country.as_deref(),
                        admin1: l.admin1.as_deref(),
                        lat: l.lat,
                        lon: l.lon,
                        parent: l.parent.as_deref(),
                    });
                }
                if let Some(p) = &l.parent {
                    place_keys.push(p.clone());
                }
                place_keys.push(key);
            }
            for g in &x.groups {
                let key = group_key(g);
                if g.key.is_none() {
                    group_rows.push(Unlisted {
                        ref_key: key.clone(),
                        name: &g.canonical,
                        kind: g.kind.as_str(),
                        side: g.side.as_str(),
                        country: g.country.as_deref(),
                        admin1: None,
                        lat: None,
                        lon: None,
                        parent: None,
                    });
                }
                group_keys.push(key);
            }
            for s in &x.sources {
                let key = source_key(s);
                if s.key.is_none() {
                    source_rows.push(Unlisted {
                        ref_key: key.clone(),
                        name: &s.canonical,
                        kind: s.kind.as_str(),
                        side: "",
                        country: None,
                        admin1: None,
                        lat: None,
                        lon: None,
                        parent: None,
                    });
                }
                source_keys.push(key);
            }
            if let Some(o) = outlet_key(x) {
                source_keys.push(o);
            }
        }
        // Parents of unlisted places first, so the rows can point at them.
        let keys: Vec<&str> = place_keys.iter().map(String::as_str).collect();
        let mut place_ids = self.ref_ids(&mut tx, RefTable::Locations, &keys).await?;
        place_rows.retain(|r| !place_ids.contains_key(&r.ref_key));
        let parents: Vec<Option<i64>> = place_rows
            .iter()
            .map(|r| r.parent.and_then(|p| place_ids.get(p).copied()))
            .collect();
        let rows: Vec<(&Unlisted, Option<i64>)> = place_rows.iter().zip(parents).collect();
        insert_rows(
            &mut tx,
            "INSERT INTO locations (ref_key, name, kind, country, admin1, lat, lon, parent_id, approximate) ",
            " ON CONFLICT (ref_key) DO NOTHING",
            9,
            &rows,
            |b, (r, parent)| {
                b.push_bind(r.ref_key.as_str()).push_bind(r.name).push_bind(r.kind).push_bind(r.country).push_bind(r.admin1);
                b.push_bind(r.lat).push_bind(r.lon).push_bind(*parent).push_bind(1i64);
            },
        )
        .await?;
        group_rows.retain(|r| {
            !self.refs.lock().expect("reference cache").tables[RefTable::Groups as usize]
                .contains_key(&r.ref_key)
        });
        insert_rows(
            &mut tx,
            "INSERT INTO groups (ref_key, name, kind, side, country) ",
            " ON CONFLICT (ref_key) DO NOTHING",
            5,
            &group_rows,
            |b, r| {
                let name = match r.country {
                    Some(c) => format!("{} ({c})", r.name),
                    None => r.name.to_string(),
                };
                b.push_bind(r.ref_key.as_str())
                    .push_bind(name)
                    .push_bind(r.kind)
                    .push_bind(r.side)
                    .push_bind(r.country);
            },
        )
        .await?;
        source_rows.retain(|r| {
            !self.refs.lock().expect("reference cache").tables[RefTable::Sources as usize]
                .contains_key(&r.ref_key)
        });
        insert_rows(
            &mut tx,
            "INSERT INTO sources (ref_key, name, kind) ",
            " ON CONFLICT (ref_key) DO NOTHING",
            3,
            &source_rows,
            |b, r| {
                b.push_bind(r.ref_key.as_str())
                    .push_bind(r.name)
                    .push_bind(r.kind);
            },
        )
        .await?;
        let new_places: Vec<&str> = place_rows.iter().map(|r| r.ref_key.as_str()).collect();
        place_ids.extend(
            self.ref_ids(&mut tx, RefTable::Locations, &new_places)
                .await?,
        );
        let keys: Vec<&str> = group_keys.iter().map(String::as_str).collect();
        let group_ids = self.ref_ids(&mut tx, RefTable::Groups, &keys).await?;
        let keys: Vec<&str> = source_keys.iter().map(String::as_str).collect();
        let source_ids = self.ref_ids(&mut tx, RefTable::Sources, &keys).await?;

        // 3. Row ids, assigned while the write lock is held.
        let mut article_id: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM articles")
            .fetch_one(&mut *tx)
            .await?;
        let mut event_id: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM events")
            .fetch_one(&mut *tx)
            .await?;
        let mut figure_id: i64 =
            sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM casualty_figures")
                .fetch_one(&mut *tx)
                .await?;

        // 4. The rows of every table, then one statement (or a few) per table.
        type Mention<'a> = (i64, i64, &'a str, i64, i64);
        /// article, source, role, quote, start and end of the attribution.
        /// event, article, group, role, counts_event, event_fatalities_best.
        type EventActor = (i64, i64, i64, &'static str, bool, Option<i64>);
        type ArticleSource = (i64, i64, &'static str, String, Option<i64>, Option<i64>);
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let mut articles = Vec::new();
        let mut article_sources: Vec<ArticleSource> = Vec::new();
        let mut location_mentions: Vec<Mention> = Vec::new();
        let mut group_mentions: Vec<Mention> = Vec::new();
        let mut events = Vec::new();
        let mut actors: Vec<EventActor> = Vec::new();
        let mut figures = Vec::new();
        let mut results: Vec<Stored> = Vec::with_capacity(items.len());
        for (i, (x, text)) in items.iter().enumerate() {
            if outcome[i] == StoreOutcome::Unchanged {
                results.push(Stored {
                    outcome: outcome[i],
                    article_id: existing.get(&hashes[i]).copied().unwrap_or(0),
                    events: 0,
                    figures: 0,
                });
                continue;
            }
            article_id += 1;
            let aid = article_id;
            let chars = CharIndex::new(text);
            let outlet_id = outlet_key(x).and_then(|key| source_ids.get(&key).copied());
            articles.push((aid, &hashes[i], x, text, outlet_id));
            if let Some(o) = outlet_id {
                article_sources.push((
                    aid,
                    o,
                    "outlet",
                    x.article.outlet.clone().unwrap_or_default(),
                    None,
                    None,
                ));
            }
            let mut loc: HashMap<&str, i64> = HashMap::default();
            for l in &x.locations {
                let id = place_ids[&location_key(l)];
                loc.insert(&l.id, id);
                for s in &l.spans {
                    location_mentions.push((
                        aid,
                        id,
                        chars.slice(s[0], s[1]),
                        s[0] as i64,
                        s[1] as i64,
                    ));
                }
            }
            let mut grp: HashMap<&str, i64> = HashMap::default();
            for g in &x.groups {
                let id = group_ids[&group_key(g)];
                grp.insert(&g.id, id);
                for s in &g.spans {
                    group_mentions.push((
                        aid,
                        id,
                        chars.slice(s[0], s[1]),
                        s[0] as i64,
                        s[1] as i64,
                    ));
                }
            }
            let mut src: HashMap<&str, i64> = HashMap::default();
            for s in &x.sources {
                let id = source_ids[&source_key(s)];
                src.insert(&s.id, id);
                let first = s.spans.first().copied();
                article_sources.push((
                    aid,
                    id,
                    "cited",
                    s.name.clone(),
                    first.map(|f| f[0] as i64),
                    first.map(|f| f[1] as i64),
                ));
            }
            let mut ev: HashMap<&str, i64> = HashMap::default();
            for e in &x.events {
                event_id += 1;
                ev.insert(&e.id, event_id);
                events.push((
                    event_id,
                    aid,
                    e,
                    e.location.as_deref().and_then(|l| loc.get(l).copied()),
                ));
                // The first role of each group carries the event's count and
                // figure for events-by-group (see migration 3).
                let mut counted: Vec<i64> = Vec::new();
                for a in &e.actors {
                    if let Some(g) = grp.get(a.group.as_str()) {
                        let first = !counted.contains(g);
                        counted.push(*g);
                        let fatalities = e.fatalities.best.filter(|_| first).map(|v| v as i64);
                        actors.push((event_id, aid, *g, a.role.as_str(), first, fatalities));
                    }
                }
            }
            let first_figure = figure_id + 1;
            for (pos, c) in x.casualties.iter().enumerate() {
                figure_id += 1;
                figures.push((
                    figure_id,
                    aid,
                    pos as i64,
                    c,
                    c.event.as_deref().and_then(|e| ev.get(e).copied()),
                    c.group.as_deref().and_then(|g| grp.get(g).copied()),
                    c.location.as_deref().and_then(|l| loc.get(l).copied()),
                    c.source.as_deref().and_then(|s| src.get(s).copied()),
                    chars.slice(c.sentence[0], c.sentence[1]),
                    c.duplicate_of.map(|d| first_figure + d as i64),
                    c.part_of.map(|p| first_figure + p as i64),
                ));
            }
            results.push(Stored {
                outcome: outcome[i],
                article_id: aid,
                events: x.events.len(),
                figures: x.casualties.len(),
            });
        }
        // The rows of the batch go in through SQLite's C API (see `raw`),
        // on this thread, while it holds the connection.
        {
            let mut handle = tx.lock_handle().await?;
            raw::on_connection(&mut handle, |db| {
                raw::insert_rows(
                db,
                "INSERT INTO articles (id, content_hash, input, title, text, url, outlet_id, outlet_name, published_at, reference_date, language, extractor_version, ingested_at) ",
                "",
                13,
                &articles,
                |b, (id, hash, x, text, outlet)| {
                    b.int(*id).text(hash).text(&x.input).text(&x.article.title).text(text);
                    b.opt_text(x.article.url.as_deref()).opt_int(*outlet).opt_text(x.article.outlet.as_deref()).opt_text(x.article.published.as_deref());
                    b.opt_text(x.article.reference_date.map(|d| d.to_string()).as_deref()).text(x.article.language.as_str()).text(&x.extractor_version);
                    b.text(&now);
                },
            )?;
                raw::insert_rows(
                db,
                "INSERT INTO article_sources (article_id, source_id, role, name, span_start, span_end) ",
                " ON CONFLICT DO NOTHING",
                6,
                &article_sources,
                |b, (a, s, role, name, start, end)| {
                    b.int(*a).int(*s).text(role).text(name).opt_int(*start).opt_int(*end);
                },
            )?;
                for (head, rows) in [
                ("INSERT INTO location_mentions (article_id, location_id, name, span_start, span_end) ", &location_mentions),
                ("INSERT INTO group_mentions (article_id, group_id, name, span_start, span_end) ", &group_mentions),
            ] {
                raw::insert_rows(db, head, " ON CONFLICT DO NOTHING", 5, rows, |b, (a, id, name, s, e)| {
                    b.int(*a).int(*id).text(name).int(*s).int(*e);
                })?;
            }
                raw::insert_rows(
                db,
                "INSERT INTO events (id, article_id, local_id, type, sub_type, event_date, date_precision, location_id, location_precision, \
                 fatalities_best, fatalities_low, fatalities_high, wounded_best, wounded_low, wounded_high, span_start, span_end) ",
                "",
                17,
                &events,
                |b, (id, a, e, location)| {
                    let n = |v: Option<u64>| v.map(|v| v as i64);
                    b.int(*id).int(*a).text(&e.id).text(e.event_type.as_str()).opt_text(e.sub_type.map(|s| s.as_str()));
                    b.opt_text(e.date.map(|d| d.to_string()).as_deref()).opt_text(e.date_precision.map(|p| p.as_str())).opt_int(*location);
                    b.opt_int(e.location_precision.map(i64::from)).opt_int(n(e.fatalities.best)).opt_int(n(e.fatalities.low));
                    b.opt_int(n(e.fatalities.high)).opt_int(n(e.wounded.best)).opt_int(n(e.wounded.low)).opt_int(n(e.wounded.high));
                    b.int(e.span[0] as i64).int(e.span[1] as i64);
                },
            )?;
                raw::insert_rows(
                db,
                "INSERT INTO event_actors (event_id, article_id, group_id, role, counts_event, event_fatalities_best) ",
                " ON CONFLICT DO NOTHING",
                6,
                &actors,
                |b, (e, a, g, role, first, fatalities)| {
                    b.int(*e).int(*a).int(*g).text(role).int(i64::from(*first)).opt_int(*fatalities);
                },
            )?;
                raw::insert_rows(
                db,
                "INSERT INTO casualty_figures (id, article_id, position, event_id, kind, count, qualifier, low, high, conventional_count, \
                 category, victims, group_id, location_id, source_id, span_start, span_end, evidence, duplicate_of, part_of) ",
                "",
                20,
                &figures,
                |b, (id, a, pos, c, event, group, location, source, evidence, dup, part)| {
                    let n = |v: Option<u64>| v.map(|v| v as i64);
                    b.int(*id).int(*a).int(*pos).opt_int(*event).text(c.kind.as_str()).opt_int(n(c.count));
                    b.text(c.qualifier.as_str()).opt_int(n(c.low)).opt_int(n(c.high)).opt_int(n(c.conventional_count));
                    b.text(c.category.as_str()).opt_text(c.victims.as_deref()).opt_int(*group).opt_int(*location).opt_int(*source);
                    b.int(c.span[0] as i64).int(c.span[1] as i64).text(evidence).opt_int(*dup).opt_int(*part);
                },
            )
            })?;
        }
        tx.commit().await?;
        // Only committed ids enter the cache.
        let mut cache = self.refs.lock().expect("reference cache");
        cache.tables[RefTable::Locations as usize].extend(place_ids);
        cache.tables[RefTable::Groups as usize].extend(group_ids);
        cache.tables[RefTable::Sources as usize].extend(source_ids);
        Ok(results)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::model::Article;
    use crate::text::article_text;

    /// Three real articles, extracted, with the text each was read from.
    pub(in crate::db) fn batch() -> Vec<(Extraction, String)> {
        let k = Knowledge::embedded().unwrap();
        [
            ("en-gaza-air-strike.txt", "en"),
            ("fr-idleb-raid-aerien.txt", "fr"),
            ("almanar-hanano.txt", "fr"),
        ]
        .iter()
        .map(|(file, lang)| {
            let path = format!("{}/samples/{file}", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(path).unwrap();
            let (title, body) = text.split_once('\n').unwrap();
            let article = Article {
                input: (*file).into(),
                title: title.into(),
                body: body.into(),
                language: Some((*lang).into()),
                ..Default::default()
            };
            let x = crate::pipeline::extract(&article, k);
            (x, article_text(&article.title, &article.body))
        })
        .collect()
    }

    #[tokio::test]
    async fn an_article_whose_rows_fail_is_left_out_alone_with_sqlites_reason() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let db = Db::connect(&url).await.unwrap();
        let mut items = batch();
        let figures: usize = items.iter().map(|(x, _)| x.casualties.len()).sum();
        assert!(items.iter().all(|(x, _)| !x.events.is_empty()));
        // The same event twice in the middle article: (article, local id)
        // is unique, so its events cannot be stored.
        let twice = items[1].0.events[0].clone();
        items[1].0.events.push(twice);
        let results = db.store_batch(&items, false).await.unwrap();
        assert!(results[0].is_ok() && results[2].is_ok(), "{results:?}");
        let err = results[1].as_ref().unwrap_err().to_string();
        assert!(
            err.contains("UNIQUE constraint failed: events.article_id, events.local_id"),
            "{err}"
        );
        let stored: Vec<String> = sqlx::query_scalar("SELECT input FROM articles ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .unwrap();
        assert_eq!(stored, ["en-gaza-air-strike.txt", "almanar-hanano.txt"]);
        // Nothing of the failed article is left: its figures are not stored.
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM casualty_figures")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(n as usize, figures - items[1].0.casualties.len());
        // Stored again without the duplicate, it goes in.
        items[1].0.events.pop();
        let again = db.store_batch(&items, false).await.unwrap();
        assert_eq!(again[1].as_ref().unwrap().outcome, StoreOutcome::New);
        assert_eq!(again[0].as_ref().unwrap().outcome, StoreOutcome::Unchanged);
    }
}

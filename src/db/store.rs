//! Storing one article's extraction, in one transaction: all of it or
//! nothing. The same text twice is a no-op (its content hash is unique);
//! `force` replaces the stored extraction.

use super::Db;
use crate::error::Result;
use crate::knowledge::{name_key, Knowledge};
use crate::model::Extraction;
use sqlx::{Sqlite, Transaction};
use std::collections::HashMap;

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

/// The content hash that identifies an article's text.
pub fn content_hash(text: &str) -> String {
    blake3::hash(text.as_bytes()).to_hex().to_string()
}

fn chars_slice(text: &str, start: usize, end: usize) -> String {
    text.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}

async fn known_id(
    tx: &mut Transaction<'_, Sqlite>,
    table: &str,
    key: &Option<String>,
) -> Result<Option<i64>> {
    match key {
        Some(key) => ref_id(tx, table, key).await,
        None => Ok(None),
    }
}

/// One row per mention span of an entity in an article.
async fn insert_mentions(
    tx: &mut Transaction<'_, Sqlite>,
    table: &str,
    owner: &str,
    article_id: i64,
    id: i64,
    spans: &[[usize; 2]],
    text: &str,
) -> Result<()> {
    // `table` and `owner` are our constant names.
    let sql = format!("INSERT INTO {table} (article_id, {owner}, name, span_start, span_end) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
    for s in spans {
        sqlx::query(&sql)
            .bind(article_id)
            .bind(id)
            .bind(chars_slice(text, s[0], s[1]))
            .bind(s[0] as i64)
            .bind(s[1] as i64)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

async fn ref_id(tx: &mut Transaction<'_, Sqlite>, table: &str, key: &str) -> Result<Option<i64>> {
    // `table` is one of our constant table names.
    Ok(
        sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE ref_key = ?"))
            .bind(key)
            .fetch_optional(&mut **tx)
            .await?,
    )
}

impl Db {
    /// Whether an article with this text is already stored.
    pub async fn has_text(&self, text: &str) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM articles WHERE content_hash = ?")
            .bind(content_hash(text))
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    /// Stores an extraction of `text` (the article's title and body as the
    /// extractor read them). Another process writing at the same time makes
    /// it wait (busy timeout) and, if the lock stays taken, retry with backoff.
    pub async fn store(&self, x: &Extraction, text: &str, force: bool) -> Result<Stored> {
        let mut delay = std::time::Duration::from_millis(50);
        let mut attempt = 0;
        loop {
            match self.store_once(x, text, force).await {
                Err(crate::Error::Database(e)) if is_busy(&e) && attempt < 8 => {
                    attempt += 1;
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(std::time::Duration::from_secs(5));
                }
                other => return other,
            }
        }
    }

    async fn store_once(&self, x: &Extraction, text: &str, force: bool) -> Result<Stored> {
        let k = Knowledge::embedded()?;
        let hash = content_hash(text);
        // IMMEDIATE: take the write lock now, so that two writers queue
        // instead of failing when one upgrades a read to a write.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let existing: Option<i64> =
            sqlx::query_scalar("SELECT id FROM articles WHERE content_hash = ?")
                .bind(&hash)
                .fetch_optional(&mut *tx)
                .await?;
        let outcome = match existing {
            Some(id) if !force => {
                tx.rollback().await?;
                return Ok(Stored {
                    outcome: StoreOutcome::Unchanged,
                    article_id: id,
                    events: 0,
                    figures: 0,
                });
            }
            Some(id) => {
                sqlx::query("DELETE FROM articles WHERE id = ?")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                StoreOutcome::Replaced
            }
            None => StoreOutcome::New,
        };

        // The outlet, when the dictionary knows it.
        let outlet_key = x
            .article
            .url
            .as_deref()
            .and_then(|u| k.source_by_url(u))
            .or_else(|| x.article.outlet.as_deref().and_then(|o| k.source_by_url(o)))
            .map(|i| k.sources[i].key.clone());
        let outlet_id = match &outlet_key {
            Some(key) => ref_id(&mut tx, "sources", key).await?,
            None => None,
        };
        let article_id: i64 = sqlx::query_scalar(
            "INSERT INTO articles (content_hash, input, title, text, url, outlet_id, outlet_name, published_at, reference_date, language, extractor_version, ingested_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&hash)
        .bind(&x.input)
        .bind(&x.article.title)
        .bind(text)
        .bind(&x.article.url)
        .bind(outlet_id)
        .bind(&x.article.outlet)
        .bind(&x.article.published)
        .bind(x.article.reference_date.map(|d| d.to_string()))
        .bind(&x.article.language)
        .bind(&x.extractor_version)
        .bind(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .fetch_one(&mut *tx)
        .await?;
        if let Some(id) = outlet_id {
            sqlx::query("INSERT INTO article_sources (article_id, source_id, role, name) VALUES (?, ?, 'outlet', ?)")
                .bind(article_id)
                .bind(id)
                .bind(x.article.outlet.as_deref().unwrap_or(""))
                .execute(&mut *tx)
                .await?;
        }

        // Places.
        let mut location_ids: HashMap<&str, i64> = HashMap::new();
        for l in &x.locations {
            let id = known_id(&mut tx, "locations", &l.key).await?;
            let id = match id {
                Some(id) => id,
                None => {
                    let ref_key = format!(
                        "unlisted:{}:{}",
                        l.country.as_deref().unwrap_or("-"),
                        name_key(&l.canonical)
                    );
                    let parent = known_id(&mut tx, "locations", &l.parent).await?;
                    sqlx::query(
                        "INSERT INTO locations (ref_key, name, kind, country, admin1, lat, lon, parent_id, approximate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1) \
                         ON CONFLICT (ref_key) DO NOTHING",
                    )
                    .bind(&ref_key)
                    .bind(&l.canonical)
                    .bind(l.kind.as_str())
                    .bind(&l.country)
                    .bind(&l.admin1)
                    .bind(l.lat)
                    .bind(l.lon)
                    .bind(parent)
                    .execute(&mut *tx)
                    .await?;
                    ref_id(&mut tx, "locations", &ref_key)
                        .await?
                        .expect("just inserted")
                }
            };
            location_ids.insert(&l.id, id);
            insert_mentions(
                &mut tx,
                "location_mentions",
                "location_id",
                article_id,
                id,
                &l.spans,
                text,
            )
            .await?;
        }

        // Groups.
        let mut group_ids: HashMap<&str, i64> = HashMap::new();
        for g in &x.groups {
            let id = known_id(&mut tx, "groups", &g.key).await?;
            let id = match id {
                Some(id) => id,
                None => {
                    let ref_key = format!(
                        "generic:{}:{}",
                        name_key(&g.canonical),
                        g.country.as_deref().unwrap_or("-")
                    );
                    let name = match &g.country {
                        Some(c) => format!("{} ({c})", g.canonical),
                        None => g.canonical.clone(),
                    };
                    sqlx::query("INSERT INTO groups (ref_key, name, kind, side, country) VALUES (?, ?, ?, ?, ?) ON CONFLICT (ref_key) DO NOTHING")
                        .bind(&ref_key)
                        .bind(name)
                        .bind(g.kind.as_str())
                        .bind(g.side.as_str())
                        .bind(&g.country)
                        .execute(&mut *tx)
                        .await?;
                    ref_id(&mut tx, "groups", &ref_key)
                        .await?
                        .expect("just inserted")
                }
            };
            group_ids.insert(&g.id, id);
            insert_mentions(
                &mut tx,
                "group_mentions",
                "group_id",
                article_id,
                id,
                &g.spans,
                text,
            )
            .await?;
        }

        // Cited sources.
        let mut source_ids: HashMap<&str, i64> = HashMap::new();
        for s in &x.sources {
            let id = known_id(&mut tx, "sources", &s.key).await?;
            let id = match id {
                Some(id) => id,
                None => {
                    let ref_key = format!("unlisted:{}", name_key(&s.canonical));
                    sqlx::query("INSERT INTO sources (ref_key, name, kind) VALUES (?, ?, ?) ON CONFLICT (ref_key) DO NOTHING")
                        .bind(&ref_key)
                        .bind(&s.canonical)
                        .bind(s.kind.as_str())
                        .execute(&mut *tx)
                        .await?;
                    ref_id(&mut tx, "sources", &ref_key)
                        .await?
                        .expect("just inserted")
                }
            };
            source_ids.insert(&s.id, id);
            let first = s.spans.first().copied().unwrap_or([0, 0]);
            sqlx::query("INSERT INTO article_sources (article_id, source_id, role, name, span_start, span_end) VALUES (?, ?, 'cited', ?, ?, ?) ON CONFLICT DO NOTHING")
                .bind(article_id)
                .bind(id)
                .bind(&s.name)
                .bind(first[0] as i64)
                .bind(first[1] as i64)
                .execute(&mut *tx)
                .await?;
        }

        // Events and their actors.
        let mut event_ids: HashMap<&str, i64> = HashMap::new();
        for e in &x.events {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO events (article_id, local_id, type, sub_type, event_date, date_precision, location_id, location_precision, \
                 fatalities_best, fatalities_low, fatalities_high, wounded_best, wounded_low, wounded_high, span_start, span_end) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(article_id)
            .bind(&e.id)
            .bind(e.event_type.as_str())
            .bind(e.sub_type.map(|s| s.as_str()))
            .bind(e.date.map(|d| d.to_string()))
            .bind(e.date_precision.map(|p| p.as_str()))
            .bind(e.location.as_deref().and_then(|l| location_ids.get(l)))
            .bind(e.location_precision.map(i64::from))
            .bind(e.fatalities.best.map(|v| v as i64))
            .bind(e.fatalities.low.map(|v| v as i64))
            .bind(e.fatalities.high.map(|v| v as i64))
            .bind(e.wounded.best.map(|v| v as i64))
            .bind(e.wounded.low.map(|v| v as i64))
            .bind(e.wounded.high.map(|v| v as i64))
            .bind(e.span[0] as i64)
            .bind(e.span[1] as i64)
            .fetch_one(&mut *tx)
            .await?;
            event_ids.insert(&e.id, id);
            for a in &e.actors {
                if let Some(g) = group_ids.get(a.group.as_str()) {
                    sqlx::query("INSERT INTO event_actors (event_id, article_id, group_id, role) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
                        .bind(id)
                        .bind(article_id)
                        .bind(g)
                        .bind(a.role.as_str())
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }

        // Casualty figures, in the extraction's order.
        let mut figure_ids: Vec<i64> = Vec::with_capacity(x.casualties.len());
        for (pos, c) in x.casualties.iter().enumerate() {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO casualty_figures (article_id, position, event_id, kind, count, qualifier, low, high, conventional_count, \
                 category, victims, group_id, location_id, source_id, span_start, span_end, evidence, duplicate_of, part_of) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(article_id)
            .bind(pos as i64)
            .bind(c.event.as_deref().and_then(|e| event_ids.get(e)))
            .bind(c.kind.as_str())
            .bind(c.count.map(|v| v as i64))
            .bind(c.qualifier.as_str())
            .bind(c.low.map(|v| v as i64))
            .bind(c.high.map(|v| v as i64))
            .bind(c.conventional_count.map(|v| v as i64))
            .bind(c.category.as_str())
            .bind(&c.victims)
            .bind(c.group.as_deref().and_then(|g| group_ids.get(g)))
            .bind(c.location.as_deref().and_then(|l| location_ids.get(l)))
            .bind(c.source.as_deref().and_then(|s| source_ids.get(s)))
            .bind(c.span[0] as i64)
            .bind(c.span[1] as i64)
            .bind(chars_slice(text, c.sentence[0], c.sentence[1]))
            .bind(c.duplicate_of.and_then(|d| figure_ids.get(d)))
            .bind(c.part_of.and_then(|p| figure_ids.get(p)))
            .fetch_one(&mut *tx)
            .await?;
            figure_ids.push(id);
        }
        tx.commit().await?;
        Ok(Stored {
            outcome,
            article_id,
            events: x.events.len(),
            figures: x.casualties.len(),
        })
    }
}

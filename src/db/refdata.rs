//! Loading the reference data (gazetteer, groups, sources) into the
//! database, keyed by `ref_key` so that ids never change. Reloaded only when
//! the embedded data's hash differs from the one stored in `meta`.

use crate::error::Result;
use crate::knowledge::Knowledge;
use sqlx::{QueryBuilder, Sqlite, SqlitePool, Transaction};
use std::collections::HashMap;

const HASH_KEY: &str = "reference_data_hash";
const BATCH: usize = 400;

pub async fn load_if_changed(
    pool: &SqlitePool,
    data_hash: &str,
    knowledge: impl FnOnce() -> Result<&'static Knowledge>,
) -> Result<()> {
    let current: Option<String> = sqlx::query_scalar("SELECT value FROM meta WHERE key = ?")
        .bind(HASH_KEY)
        .fetch_optional(pool)
        .await?;
    if current.as_deref() == Some(data_hash) {
        return Ok(());
    }
    let k = knowledge()?;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    // Another process may have loaded it while this one waited for the lock.
    let current: Option<String> = sqlx::query_scalar("SELECT value FROM meta WHERE key = ?")
        .bind(HASH_KEY)
        .fetch_optional(&mut *tx)
        .await?;
    if current.as_deref() == Some(data_hash) {
        tx.rollback().await?;
        return Ok(());
    }
    load_places(&mut tx, k).await?;
    load_groups(&mut tx, k).await?;
    load_sources(&mut tx, k).await?;
    sqlx::query("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(HASH_KEY)
        .bind(data_hash)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

async fn ids(tx: &mut Transaction<'_, Sqlite>, table: &str) -> Result<HashMap<String, i64>> {
    // `table` is one of our three constant table names, never user input.
    let rows: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT ref_key, id FROM {table} WHERE from_reference = 1"
    ))
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().collect())
}

async fn set_parents(
    tx: &mut Transaction<'_, Sqlite>,
    table: &str,
    links: &[(&str, &str)],
) -> Result<()> {
    for chunk in links.chunks(BATCH) {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("WITH v(child, parent) AS (");
        qb.push_values(chunk, |mut b, (c, p)| {
            b.push_bind(*c).push_bind(*p);
        });
        qb.push(format!(
            ") UPDATE {table} SET parent_id = (SELECT p.id FROM {table} p JOIN v ON p.ref_key = v.parent WHERE v.child = {table}.ref_key) \
             WHERE ref_key IN (SELECT child FROM v)"
        ));
        qb.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// `table`: locations, groups or sources; `alias_table`/`owner`: its aliases and their key column.
async fn replace_aliases(
    tx: &mut Transaction<'_, Sqlite>,
    table: &str,
    alias_table: &str,
    owner: &str,
    aliases: &[(i64, &str)],
) -> Result<()> {
    sqlx::query(&format!("DELETE FROM {alias_table} WHERE {owner} IN (SELECT id FROM {table} WHERE from_reference = 1)"))
        .execute(&mut **tx)
        .await?;
    for chunk in aliases.chunks(BATCH * 2) {
        let mut qb: QueryBuilder<Sqlite> =
            QueryBuilder::new(format!("INSERT INTO {alias_table} ({owner}, alias) "));
        qb.push_values(chunk, |mut b, (id, a)| {
            b.push_bind(*id).push_bind(*a);
        });
        qb.push(" ON CONFLICT DO NOTHING");
        qb.build().execute(&mut **tx).await?;
    }
    Ok(())
}

async fn load_places(tx: &mut Transaction<'_, Sqlite>, k: &Knowledge) -> Result<()> {
    for chunk in k.places.chunks(BATCH) {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO locations (ref_key, name, kind, country, admin1, admin2, lat, lon, geonames_id, population, approximate, from_reference) ",
        );
        qb.push_values(chunk, |mut b, p| {
            b.push_bind(&p.key)
                .push_bind(&p.name)
                .push_bind(p.kind.as_str())
                .push_bind(&p.country)
                .push_bind(&p.admin1)
                .push_bind(&p.admin2)
                .push_bind(p.lat)
                .push_bind(p.lon)
                .push_bind(p.geonames_id)
                .push_bind(p.population)
                .push_bind(p.lat.is_none())
                .push_bind(true);
        });
        qb.push(
            " ON CONFLICT (ref_key) DO UPDATE SET name = excluded.name, kind = excluded.kind, country = excluded.country, \
             admin1 = excluded.admin1, admin2 = excluded.admin2, lat = excluded.lat, lon = excluded.lon, \
             geonames_id = excluded.geonames_id, population = excluded.population, approximate = excluded.approximate, from_reference = 1",
        );
        qb.build().execute(&mut **tx).await?;
    }
    let links: Vec<(&str, &str)> = k
        .places
        .iter()
        .filter_map(|p| p.parent_key.as_deref().map(|pk| (p.key.as_str(), pk)))
        .collect();
    set_parents(tx, "locations", &links).await?;
    let ids = ids(tx, "locations").await?;
    let aliases: Vec<(i64, &str)> = k
        .places
        .iter()
        .flat_map(|p| p.aliases.iter().map(|a| (ids[&p.key], a.as_str())))
        .collect();
    replace_aliases(tx, "locations", "location_aliases", "location_id", &aliases).await
}

async fn load_groups(tx: &mut Transaction<'_, Sqlite>, k: &Knowledge) -> Result<()> {
    for chunk in k.groups.chunks(BATCH) {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO groups (ref_key, name, kind, side, country, category, from_reference) ",
        );
        qb.push_values(chunk, |mut b, g| {
            b.push_bind(&g.key)
                .push_bind(&g.name)
                .push_bind(g.kind.as_str())
                .push_bind(g.side.as_str())
                .push_bind(&g.country)
                .push_bind(g.category.as_str())
                .push_bind(true);
        });
        qb.push(
            " ON CONFLICT (ref_key) DO UPDATE SET name = excluded.name, kind = excluded.kind, side = excluded.side, \
             country = excluded.country, category = excluded.category, from_reference = 1",
        );
        qb.build().execute(&mut **tx).await?;
    }
    let links: Vec<(&str, &str)> = k
        .groups
        .iter()
        .filter_map(|g| g.parent_key.as_deref().map(|pk| (g.key.as_str(), pk)))
        .collect();
    set_parents(tx, "groups", &links).await?;
    let ids = ids(tx, "groups").await?;
    let aliases: Vec<(i64, &str)> = k
        .groups
        .iter()
        .flat_map(|g| g.aliases.iter().map(|a| (ids[&g.key], a.as_str())))
        .collect();
    replace_aliases(tx, "groups", "group_aliases", "group_id", &aliases).await
}

async fn load_sources(tx: &mut Transaction<'_, Sqlite>, k: &Knowledge) -> Result<()> {
    for chunk in k.sources.chunks(BATCH) {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO sources (ref_key, name, kind, country, domains, from_reference) ",
        );
        qb.push_values(chunk, |mut b, s| {
            b.push_bind(&s.key)
                .push_bind(&s.name)
                .push_bind(s.kind.as_str())
                .push_bind(&s.country)
                .push_bind(s.domains.join("|"))
                .push_bind(true);
        });
        qb.push(
            " ON CONFLICT (ref_key) DO UPDATE SET name = excluded.name, kind = excluded.kind, country = excluded.country, \
             domains = excluded.domains, from_reference = 1",
        );
        qb.build().execute(&mut **tx).await?;
    }
    let ids = ids(tx, "sources").await?;
    let aliases: Vec<(i64, &str)> = k
        .sources
        .iter()
        .flat_map(|s| s.aliases.iter().map(|a| (ids[&s.key], a.as_str())))
        .collect();
    replace_aliases(tx, "sources", "source_aliases", "source_id", &aliases).await
}

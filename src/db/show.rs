//! One event (incident) with every report of it, or one article with its
//! events: what `conflictdb show` prints, read with plain queries.

use super::Db;
use crate::error::{Error, Result};
use serde::Serialize;

/// An incident and its reports.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ShownEvent {
    pub id: i64,
    #[sqlx(rename = "type")]
    #[serde(rename = "type")]
    pub event_type: String,
    pub sub_type: Option<String>,
    pub event_date: Option<String>,
    pub date_precision: Option<String>,
    pub location: Option<String>,
    pub admin1: Option<String>,
    pub country: Option<String>,
    pub location_precision: Option<i64>,
    pub killed_best: Option<i64>,
    pub killed_low: Option<i64>,
    pub killed_high: Option<i64>,
    pub killed_conservative: Option<i64>,
    pub best_rule: Option<String>,
    pub wounded_best: Option<i64>,
    pub wounded_low: Option<i64>,
    pub wounded_high: Option<i64>,
    pub articles: i64,
    /// "Group (role)", in name order.
    pub actors: Option<String>,
    #[sqlx(skip)]
    pub reports: Vec<ShownReport>,
}

/// One article's account of the event.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ShownReport {
    pub event_id: i64,
    pub incident_id: Option<i64>,
    pub article_id: i64,
    pub outlet: Option<String>,
    pub title: String,
    pub url: Option<String>,
    pub input: String,
    pub published_at: Option<String>,
    pub language: String,
    #[sqlx(rename = "type")]
    #[serde(rename = "type")]
    pub event_type: String,
    pub sub_type: Option<String>,
    pub event_date: Option<String>,
    pub date_precision: Option<String>,
    pub location: Option<String>,
    pub location_precision: Option<i64>,
    pub killed_best: Option<i64>,
    pub killed_low: Option<i64>,
    pub killed_high: Option<i64>,
    pub wounded_best: Option<i64>,
    pub merged_with: Option<i64>,
    pub merge_reason: Option<String>,
    /// The event's passage in the article.
    pub passage: String,
    pub actors: Option<String>,
    #[sqlx(skip)]
    pub figures: Vec<ShownFigure>,
}

/// A casualty figure with its wording, evidence sentence and source.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ShownFigure {
    pub figure_id: i64,
    pub kind: String,
    pub count: Option<i64>,
    pub qualifier: String,
    pub low: Option<i64>,
    pub high: Option<i64>,
    pub category: String,
    pub victims: Option<String>,
    pub source: Option<String>,
    pub wording: String,
    pub evidence: String,
    /// The figure restates another (counted once), by id.
    pub duplicate_of: Option<i64>,
}

/// An article with its events.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ShownArticle {
    pub id: i64,
    pub title: String,
    pub url: Option<String>,
    pub input: String,
    pub outlet: Option<String>,
    pub published_at: Option<String>,
    pub language: String,
    pub extractor_version: String,
    pub ingested_at: String,
    pub cited_sources: Option<String>,
    #[sqlx(skip)]
    pub events: Vec<ShownReport>,
}

const REPORTS: &str = "SELECT e.id AS event_id, e.incident_id, e.article_id, a.outlet_name AS outlet, a.title, a.url, a.input, \
a.published_at, a.language, e.type, e.sub_type, e.event_date, e.date_precision, l.name AS location, e.location_precision, \
e.fatalities_best AS killed_best, e.fatalities_low AS killed_low, e.fatalities_high AS killed_high, \
e.wounded_best, e.merged_with, e.merge_reason, \
substr(a.text, e.span_start + 1, min(e.span_end - e.span_start, 400)) AS passage, \
(SELECT group_concat(g.name || ' (' || ea.role || ')', '; ') FROM \
   (SELECT * FROM event_actors ea2 WHERE ea2.event_id = e.id ORDER BY ea2.role, ea2.group_id) ea \
   JOIN groups g ON g.id = ea.group_id) AS actors \
FROM events e JOIN articles a ON a.id = e.article_id LEFT JOIN locations l ON l.id = e.location_id ";

impl Db {
    /// The incident that event `id` reports (`id` may be any of its reports).
    pub async fn show_event(&self, id: i64) -> Result<ShownEvent> {
        let incident: Option<Option<i64>> =
            sqlx::query_scalar("SELECT incident_id FROM events WHERE id = ?")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        let incident = match incident {
            None => return Err(Error::NotFound(format!("event {id}"))),
            Some(None) => {
                return Err(Error::Usage(format!(
                    "event {id} is not merged yet; run `conflictdb merge` first"
                )))
            }
            Some(Some(i)) => i,
        };
        let mut event: ShownEvent = sqlx::query_as(
            "SELECT i.id, i.type, i.sub_type, i.event_date, i.date_precision, l.name AS location, l.admin1, l.country, \
             i.location_precision, i.fatalities_best AS killed_best, i.fatalities_low AS killed_low, \
             i.fatalities_high AS killed_high, i.fatalities_conservative AS killed_conservative, i.best_rule, \
             i.wounded_best, i.wounded_low, i.wounded_high, i.articles, \
             (SELECT group_concat(g.name || ' (' || ia.role || ')', '; ') FROM \
                (SELECT * FROM incident_actors ia2 WHERE ia2.incident_id = i.id ORDER BY ia2.role, ia2.group_id) ia \
                JOIN groups g ON g.id = ia.group_id) AS actors \
             FROM incidents i LEFT JOIN locations l ON l.id = i.location_id WHERE i.id = ?",
        )
        .bind(incident)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| Error::NotFound(format!("event {incident}")))?;
        event.reports = self
            .reports_where("WHERE e.incident_id = ? ORDER BY e.id", incident)
            .await?;
        Ok(event)
    }

    /// An article and its events, each with the incident it reports.
    pub async fn show_article(&self, id: i64) -> Result<ShownArticle> {
        let mut article: ShownArticle = sqlx::query_as(
            "SELECT a.id, a.title, a.url, a.input, a.outlet_name AS outlet, a.published_at, a.language, \
             a.extractor_version, a.ingested_at, \
             (SELECT group_concat(name, '; ') FROM (SELECT s.name FROM article_sources s \
               WHERE s.article_id = a.id AND s.role = 'cited' ORDER BY s.name)) AS cited_sources \
             FROM articles a WHERE a.id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| Error::NotFound(format!("article {id}")))?;
        article.events = self
            .reports_where("WHERE e.article_id = ? ORDER BY e.id", id)
            .await?;
        Ok(article)
    }

    async fn reports_where(&self, condition: &str, id: i64) -> Result<Vec<ShownReport>> {
        let mut reports: Vec<ShownReport> = sqlx::query_as(&format!("{REPORTS}{condition}"))
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        for r in &mut reports {
            r.figures = sqlx::query_as(
                "SELECT f.id AS figure_id, f.kind, f.count, f.qualifier, f.low, f.high, f.category, f.victims, \
                 s.name AS source, substr(a.text, f.span_start + 1, f.span_end - f.span_start) AS wording, \
                 f.evidence, f.duplicate_of \
                 FROM casualty_figures f JOIN articles a ON a.id = f.article_id \
                 LEFT JOIN sources s ON s.id = f.source_id WHERE f.event_id = ? ORDER BY f.position",
            )
            .bind(r.event_id)
            .fetch_all(&self.pool)
            .await?;
        }
        Ok(reports)
    }
}

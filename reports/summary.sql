-- name: summary
-- description: One row: articles, events, people killed and wounded (each event's best total, counted once), places, groups, cited sources, first and last event date.
SELECT
    (SELECT count(*) FROM articles
      WHERE (?1 IS NULL AND ?2 IS NULL AND ?3 IS NULL AND ?4 IS NULL AND ?5 IS NULL)
         OR id IN (SELECT article_id FROM filtered_events)) AS articles,
    (SELECT count(*) FROM filtered_events) AS events,
    (SELECT coalesce(sum(fatalities_best), 0) FROM filtered_events) AS killed,
    (SELECT coalesce(sum(wounded_best), 0) FROM filtered_events) AS wounded,
    (SELECT count(DISTINCT location_id) FROM filtered_events) AS locations,
    (SELECT count(DISTINCT ea.group_id) FROM event_actors ea JOIN filtered_events e ON e.id = ea.event_id) AS "groups",
    (SELECT count(DISTINCT f.source_id) FROM casualty_figures f JOIN filtered_events e ON e.id = f.event_id) AS sources,
    (SELECT min(event_date) FROM filtered_events) AS first_date,
    (SELECT max(event_date) FROM filtered_events) AS last_date

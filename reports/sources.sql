-- name: sources
-- description: Cited sources: how many articles cite them and how many casualty figures are attributed to them.
-- Unfiltered, neither count needs the events at all: the IN lists are only
-- built when a filter is given.
WITH cited AS (
    SELECT asrc.source_id, count(*) AS articles
      FROM article_sources asrc
     WHERE asrc.role = 'cited'
       AND ((?1 IS NULL AND ?2 IS NULL AND ?3 IS NULL AND ?4 IS NULL AND ?5 IS NULL AND ?6 IS NULL AND ?7 IS NULL AND ?8 IS NULL)
            OR asrc.article_id IN (SELECT ev.article_id FROM events ev
                                    WHERE ev.incident_id IN (SELECT id FROM filtered_events)))
     GROUP BY asrc.source_id
),
attributed AS (
    SELECT f.source_id, count(*) AS figures
      FROM casualty_figures f
     WHERE f.source_id IS NOT NULL
       AND f.event_id IS NOT NULL
       AND ((?1 IS NULL AND ?2 IS NULL AND ?3 IS NULL AND ?4 IS NULL AND ?5 IS NULL AND ?6 IS NULL AND ?7 IS NULL AND ?8 IS NULL)
            OR f.event_id IN (SELECT ev.id FROM events ev
                               WHERE ev.incident_id IN (SELECT id FROM filtered_events)))
     GROUP BY f.source_id
)
SELECT
    s.name AS source,
    s.kind,
    c.articles,
    coalesce(a.figures, 0) AS figures
FROM cited c
JOIN sources s ON s.id = c.source_id
LEFT JOIN attributed a ON a.source_id = c.source_id
ORDER BY figures DESC, articles DESC, source

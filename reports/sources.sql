-- name: sources
-- description: Cited sources: how many articles cite them and how many casualty figures are attributed to them.
SELECT
    s.name AS source,
    s.kind,
    count(DISTINCT asrc.article_id) AS articles,
    (SELECT count(*) FROM casualty_figures f JOIN filtered_events e ON e.id = f.event_id
      WHERE f.source_id = s.id) AS figures
FROM article_sources asrc
JOIN sources s ON s.id = asrc.source_id
WHERE asrc.role = 'cited'
  AND asrc.article_id IN (SELECT article_id FROM filtered_events)
GROUP BY s.id, s.name, s.kind
ORDER BY figures DESC, articles DESC, source

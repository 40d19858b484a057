-- name: precision
-- description: How precisely events are placed (1 the place itself, 2 near it or its district, 3 only the province or country) and dated (day, week, month, year): events and people killed for each pair.
SELECT
    e.location_precision,
    e.date_precision,
    count(*) AS events,
    coalesce(sum(e.killed), 0) AS killed
FROM filtered_events e
GROUP BY e.location_precision, e.date_precision
ORDER BY e.location_precision IS NULL, e.location_precision,
         CASE e.date_precision WHEN 'day' THEN 1 WHEN 'week' THEN 2 WHEN 'month' THEN 3 WHEN 'year' THEN 4 ELSE 5 END

-- name: casualties-by-location
-- description: Events and people killed and wounded per event location, deadliest first.
-- Totals per place id first (a walk of the place index, no sort), then names.
SELECT
    coalesce(l.name, '(unknown)') AS location,
    l.country,
    l.admin1,
    x.events,
    x.killed,
    x.wounded
FROM (
    SELECT e.location_id,
           count(*) AS events,
           coalesce(sum(e.killed), 0) AS killed,
           coalesce(sum(e.wounded), 0) AS wounded
      FROM filtered_events e
     GROUP BY e.location_id
) x
LEFT JOIN locations l ON l.id = x.location_id
ORDER BY killed DESC, wounded DESC, events DESC, location, l.country, l.admin1

-- name: casualties-by-location
-- description: Events and people killed and wounded per event location, deadliest first.
SELECT
    coalesce(l.name, '(unknown)') AS location,
    l.country,
    l.admin1,
    count(*) AS events,
    coalesce(sum(e.fatalities_best), 0) AS killed,
    coalesce(sum(e.wounded_best), 0) AS wounded
FROM filtered_events e
LEFT JOIN locations l ON l.id = e.location_id
GROUP BY l.id, l.name, l.country, l.admin1
ORDER BY killed DESC, wounded DESC, events DESC, location

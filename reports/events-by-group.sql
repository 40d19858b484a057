-- name: events-by-group
-- description: Events each group took part in (any role) and people killed in them.
SELECT
    g.name AS "group",
    g.kind,
    g.side,
    count(DISTINCT e.id) AS events,
    coalesce(sum(e.fatalities_best), 0) AS killed
FROM filtered_events e
JOIN (SELECT DISTINCT event_id, group_id FROM event_actors) ea ON ea.event_id = e.id
JOIN groups g ON g.id = ea.group_id
GROUP BY g.id, g.name, g.kind, g.side
ORDER BY events DESC, killed DESC, "group"

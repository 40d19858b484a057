-- name: events-by-group
-- description: Events each group took part in (any role) and people killed in them.
-- Each (event, group) pair is counted once, by the row that carries
-- `counts_event` and the event's figure (migration 3): one walk of the
-- group index, with no event rows read unless a filter is given.
SELECT
    g.name AS "group",
    g.kind,
    g.side,
    x.events,
    x.killed
FROM (
    SELECT ea.group_id,
           sum(ea.counts_event) AS events,
           coalesce(sum(ea.event_fatalities_best), 0) AS killed
      FROM event_actors ea
     WHERE (?1 IS NULL AND ?2 IS NULL AND ?3 IS NULL AND ?4 IS NULL AND ?5 IS NULL)
        OR ea.event_id IN (SELECT id FROM filtered_events)
     GROUP BY ea.group_id
) x
JOIN groups g ON g.id = x.group_id
ORDER BY events DESC, killed DESC, "group"

-- name: events-by-group
-- description: Events each group took part in (any role) and people killed in them.
-- Each (event, group) pair is counted once, by the row that carries
-- `counts_incident` (migration 4): one walk of the group index, with no
-- event rows read unless a filter is given.
SELECT
    g.name AS "group",
    g.kind,
    g.side,
    x.events,
    x.killed
FROM (
    SELECT ia.group_id,
           count(*) AS events,
           coalesce(sum(CASE WHEN ?9 = 'conservative'
                        THEN ia.incident_fatalities_conservative
                        ELSE ia.incident_fatalities_best END), 0) AS killed
      FROM incident_actors ia
     WHERE ia.counts_incident = 1
       AND ((?1 IS NULL AND ?2 IS NULL AND ?3 IS NULL AND ?4 IS NULL AND ?5 IS NULL AND ?6 IS NULL AND ?7 IS NULL AND ?8 IS NULL)
            OR ia.incident_id IN (SELECT id FROM filtered_events))
     GROUP BY ia.group_id
) x
JOIN groups g ON g.id = x.group_id
ORDER BY events DESC, killed DESC, "group"

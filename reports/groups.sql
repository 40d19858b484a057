-- name: groups
-- description: Each group's events and people killed as attacker, and as target or victim.
-- One walk of the group index, in (group, event) order: each event counts
-- once per side the group was on.
SELECT
    g.name AS "group",
    g.kind,
    g.side,
    sum(x.attacker) AS events_as_attacker,
    coalesce(sum(CASE WHEN x.attacker THEN x.killed END), 0) AS killed_as_attacker,
    sum(x.target) AS events_as_target,
    coalesce(sum(CASE WHEN x.target THEN x.killed END), 0) AS killed_as_target
FROM (
    SELECT ia.group_id,
           max(ia.role = 'attacker') AS attacker,
           max(ia.role IN ('target', 'victim')) AS target,
           max(CASE WHEN ?9 = 'conservative' THEN ia.incident_fatalities_conservative
                    ELSE ia.incident_fatalities_best END) AS killed
      FROM incident_actors ia
     WHERE (?1 IS NULL AND ?2 IS NULL AND ?3 IS NULL AND ?4 IS NULL AND ?5 IS NULL AND ?6 IS NULL AND ?7 IS NULL AND ?8 IS NULL)
        OR ia.incident_id IN (SELECT id FROM filtered_events)
     GROUP BY ia.group_id, ia.incident_id
) x
JOIN groups g ON g.id = x.group_id
GROUP BY x.group_id
HAVING sum(x.attacker) + sum(x.target) > 0
ORDER BY events_as_attacker + events_as_target DESC, "group"

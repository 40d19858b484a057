-- name: groups
-- description: Each group's events and people killed as attacker, and as target or victim.
-- One walk of the group index: the row of each (group, event) pair that
-- carries `counts_incident` says which sides the group was on (migration 5),
-- so each event counts once per side.
SELECT
    g.name AS "group",
    g.kind,
    g.side,
    x.events_as_attacker,
    x.killed_as_attacker,
    x.events_as_target,
    x.killed_as_target
FROM (
    SELECT ia.group_id,
           sum(ia.as_attacker) AS events_as_attacker,
           coalesce(sum(ia.as_attacker * CASE WHEN ?9 = 'conservative' THEN ia.incident_fatalities_conservative
                                              ELSE ia.incident_fatalities_best END), 0) AS killed_as_attacker,
           sum(ia.as_target) AS events_as_target,
           coalesce(sum(ia.as_target * CASE WHEN ?9 = 'conservative' THEN ia.incident_fatalities_conservative
                                            ELSE ia.incident_fatalities_best END), 0) AS killed_as_target
      FROM incident_actors ia
     WHERE ia.counts_incident = 1
       AND ((?1 IS NULL AND ?2 IS NULL AND ?3 IS NULL AND ?4 IS NULL AND ?5 IS NULL AND ?6 IS NULL AND ?7 IS NULL AND ?8 IS NULL)
            OR ia.incident_id IN (SELECT id FROM filtered_events))
     GROUP BY ia.group_id
) x
JOIN groups g ON g.id = x.group_id
WHERE x.events_as_attacker + x.events_as_target > 0
ORDER BY x.events_as_attacker + x.events_as_target DESC, "group"

-- name: top-events
-- description: The 25 deadliest events, with their place, groups, how many articles reported them, the outlets and the sources they cite.
-- The 25 are picked from the narrow filtered rows first; only they are
-- joined to their groups, articles and sources.
SELECT
    e.id AS event,
    e.event_date AS date,
    e.type,
    e.sub_type,
    l.name AS location,
    l.country,
    e.killed,
    i.fatalities_low AS killed_low,
    i.fatalities_high AS killed_high,
    e.wounded,
    i.articles,
    (SELECT group_concat(name, '; ') FROM (
        SELECT DISTINCT g.name FROM incident_actors ia JOIN groups g ON g.id = ia.group_id
         WHERE ia.incident_id = e.id ORDER BY g.name)) AS "groups",
    (SELECT group_concat(name, '; ') FROM (
        SELECT DISTINCT coalesce(a.outlet_name, a.url, a.input) AS name FROM events ev
          JOIN articles a ON a.id = ev.article_id
         WHERE ev.incident_id = e.id ORDER BY 1)) AS outlets,
    (SELECT group_concat(name, '; ') FROM (
        SELECT DISTINCT s.name FROM events ev
          JOIN casualty_figures f ON f.event_id = ev.id
          JOIN sources s ON s.id = f.source_id
         WHERE ev.incident_id = e.id ORDER BY s.name)) AS sources
FROM (
    SELECT fe.id, fe.event_date, fe.type, fe.sub_type, fe.location_id, fe.killed, fe.wounded
      FROM filtered_events fe
     WHERE fe.killed > 0
     ORDER BY fe.killed DESC, fe.event_date, fe.id
     LIMIT 25
) e
JOIN incidents i ON i.id = e.id
LEFT JOIN locations l ON l.id = e.location_id
ORDER BY e.killed DESC, e.event_date, e.id

-- One row per event (an incident: the reports of it by several articles are
-- merged), with everything the export formats need (CSV, JSON Lines,
-- ACLED-style, UCDP-GED-style, GeoJSON). The filter of reports/_filter.sql
-- is put in front, so exports take the same bound parameters as the reports.
--
-- Outlets, URLs and cited sources list every report's; the title, notes
-- and publication time are the first report's (the event's id is its id).
--
-- Deaths by side (UCDP): killed figures that are not restatements
-- (duplicate_of IS NULL), by the victims' category: security forces are
-- side A's dead, combatants side B's, civilians their own column. With
-- several reports, each category takes the largest count one report gives
-- (adding them up would count the same dead once per article); what the
-- categories do not explain of the event's best total is "unknown".
SELECT
    e.id AS event_id,
    i.event_date,
    i.date_precision,
    i.type,
    i.sub_type,
    (SELECT group_concat(name, '; ') FROM (
        SELECT DISTINCT g.name FROM incident_actors ia JOIN groups g ON g.id = ia.group_id
         WHERE ia.incident_id = e.id AND ia.role = 'attacker' ORDER BY g.name)) AS attackers,
    (SELECT group_concat(name, '; ') FROM (
        SELECT DISTINCT g.name FROM incident_actors ia JOIN groups g ON g.id = ia.group_id
         WHERE ia.incident_id = e.id AND ia.role <> 'attacker' ORDER BY g.name)) AS targets,
    (SELECT g.name FROM incident_actors ia JOIN groups g ON g.id = ia.group_id
      WHERE ia.incident_id = e.id AND g.side = 'government' ORDER BY ia.role, g.name LIMIT 1) AS side_a,
    (SELECT g.name FROM incident_actors ia JOIN groups g ON g.id = ia.group_id
      WHERE ia.incident_id = e.id AND coalesce(g.side, '') <> 'government' ORDER BY ia.role, g.name LIMIT 1) AS side_b,
    l.country,
    (SELECT c.name FROM locations c WHERE c.kind = 'country' AND c.country = l.country
      ORDER BY c.from_reference DESC, c.id LIMIT 1) AS country_name,
    l.admin1,
    l.admin2,
    l.name AS location,
    l.kind AS location_kind,
    l.lat,
    l.lon,
    i.location_precision,
    (SELECT group_concat(name, '; ') FROM (
        SELECT DISTINCT s.name FROM events ev
          JOIN casualty_figures f ON f.event_id = ev.id
          JOIN sources s ON s.id = f.source_id
         WHERE ev.incident_id = e.id ORDER BY s.name)) AS cited_sources,
    (SELECT group_concat(name, '; ') FROM (
        SELECT DISTINCT ar.outlet_name AS name FROM events ev JOIN articles ar ON ar.id = ev.article_id
         WHERE ev.incident_id = e.id AND ar.outlet_name IS NOT NULL ORDER BY 1)) AS outlet,
    (SELECT group_concat(url, ' ') FROM (
        SELECT DISTINCT ar.url FROM events ev JOIN articles ar ON ar.id = ev.article_id
         WHERE ev.incident_id = e.id AND ar.url IS NOT NULL ORDER BY 1)) AS url,
    a.title,
    a.published_at,
    substr(a.text, first.span_start + 1, min(first.span_end - first.span_start, 600)) AS notes,
    e.killed,
    i.fatalities_low AS killed_low,
    i.fatalities_high AS killed_high,
    i.fatalities_best AS killed_best,
    i.fatalities_conservative AS killed_conservative,
    i.wounded_best AS wounded,
    i.reports,
    i.articles,
    (SELECT coalesce(max(n), 0) FROM (
        SELECT sum(f.count) AS n FROM events ev JOIN casualty_figures f ON f.event_id = ev.id
         WHERE ev.incident_id = e.id AND f.kind = 'killed' AND f.duplicate_of IS NULL
           AND f.category = 'security_forces' GROUP BY ev.id)) AS deaths_security_forces,
    (SELECT coalesce(max(n), 0) FROM (
        SELECT sum(f.count) AS n FROM events ev JOIN casualty_figures f ON f.event_id = ev.id
         WHERE ev.incident_id = e.id AND f.kind = 'killed' AND f.duplicate_of IS NULL
           AND f.category = 'combatant' GROUP BY ev.id)) AS deaths_combatants,
    (SELECT coalesce(max(n), 0) FROM (
        SELECT sum(f.count) AS n FROM events ev JOIN casualty_figures f ON f.event_id = ev.id
         WHERE ev.incident_id = e.id AND f.kind = 'killed' AND f.duplicate_of IS NULL
           AND f.category = 'civilian' GROUP BY ev.id)) AS deaths_civilians
FROM filtered_events e
JOIN incidents i ON i.id = e.id
JOIN events first ON first.id = e.id
JOIN articles a ON a.id = first.article_id
LEFT JOIN locations l ON l.id = i.location_id
ORDER BY i.event_date, e.id

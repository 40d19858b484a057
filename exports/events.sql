-- One row per event, with everything the export formats need (CSV, JSON
-- Lines, ACLED-style, UCDP-GED-style, GeoJSON). The filter of
-- reports/_filter.sql is put in front, so exports take the same bound
-- parameters as the reports.
--
-- Deaths by side (UCDP): killed figures that are not restatements
-- (duplicate_of IS NULL), by the victims' category: security forces are
-- side A's dead, combatants side B's, civilians their own column; what the
-- categories do not explain of the event's best total is "unknown".
SELECT
    e.id AS event_id,
    ev.event_date,
    ev.date_precision,
    ev.type,
    ev.sub_type,
    (SELECT group_concat(name, '; ') FROM (
        SELECT DISTINCT g.name FROM event_actors ea JOIN groups g ON g.id = ea.group_id
         WHERE ea.event_id = e.id AND ea.role = 'attacker' ORDER BY g.name)) AS attackers,
    (SELECT group_concat(name, '; ') FROM (
        SELECT DISTINCT g.name FROM event_actors ea JOIN groups g ON g.id = ea.group_id
         WHERE ea.event_id = e.id AND ea.role <> 'attacker' ORDER BY g.name)) AS targets,
    (SELECT g.name FROM event_actors ea JOIN groups g ON g.id = ea.group_id
      WHERE ea.event_id = e.id AND g.side = 'government' ORDER BY ea.role, g.name LIMIT 1) AS side_a,
    (SELECT g.name FROM event_actors ea JOIN groups g ON g.id = ea.group_id
      WHERE ea.event_id = e.id AND coalesce(g.side, '') <> 'government' ORDER BY ea.role, g.name LIMIT 1) AS side_b,
    l.country,
    (SELECT c.name FROM locations c WHERE c.kind = 'country' AND c.country = l.country
      ORDER BY c.from_reference DESC, c.id LIMIT 1) AS country_name,
    l.admin1,
    l.admin2,
    l.name AS location,
    l.kind AS location_kind,
    l.lat,
    l.lon,
    ev.location_precision,
    (SELECT group_concat(name, '; ') FROM (
        SELECT DISTINCT s.name FROM casualty_figures f JOIN sources s ON s.id = f.source_id
         WHERE f.event_id = e.id ORDER BY s.name)) AS cited_sources,
    a.outlet_name AS outlet,
    a.url,
    a.title,
    a.published_at,
    substr(a.text, ev.span_start + 1, min(ev.span_end - ev.span_start, 600)) AS notes,
    ev.fatalities_best AS killed,
    ev.fatalities_low AS killed_low,
    ev.fatalities_high AS killed_high,
    ev.wounded_best AS wounded,
    (SELECT coalesce(sum(f.count), 0) FROM casualty_figures f
      WHERE f.event_id = e.id AND f.kind = 'killed' AND f.duplicate_of IS NULL
        AND f.category = 'security_forces') AS deaths_security_forces,
    (SELECT coalesce(sum(f.count), 0) FROM casualty_figures f
      WHERE f.event_id = e.id AND f.kind = 'killed' AND f.duplicate_of IS NULL
        AND f.category = 'combatant') AS deaths_combatants,
    (SELECT coalesce(sum(f.count), 0) FROM casualty_figures f
      WHERE f.event_id = e.id AND f.kind = 'killed' AND f.duplicate_of IS NULL
        AND f.category = 'civilian') AS deaths_civilians
FROM filtered_events e
JOIN events ev ON ev.id = e.id
JOIN articles a ON a.id = ev.article_id
LEFT JOIN locations l ON l.id = ev.location_id
ORDER BY ev.event_date, e.id

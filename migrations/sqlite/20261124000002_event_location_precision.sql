-- How closely an event's location places it, as ACLED's geo-precision:
-- 1 the place itself, 2 near it or in its district/region, 3 province or country.
ALTER TABLE events ADD COLUMN location_precision INTEGER;

DROP VIEW event_view;
CREATE VIEW event_view AS
SELECT
    e.id AS event_id,
    e.article_id,
    e.type,
    e.sub_type,
    e.event_date,
    e.date_precision,
    l.name AS location,
    l.kind AS location_kind,
    e.location_precision,
    l.country,
    l.admin1,
    l.lat,
    l.lon,
    e.fatalities_best AS killed,
    e.fatalities_low AS killed_low,
    e.fatalities_high AS killed_high,
    e.wounded_best AS wounded,
    (SELECT group_concat(g.name || ' (' || ea.role || ')', '; ')
       FROM event_actors ea JOIN groups g ON g.id = ea.group_id
      WHERE ea.event_id = e.id) AS actors,
    (SELECT group_concat(DISTINCT s.name)
       FROM casualty_figures f JOIN sources s ON s.id = f.source_id
      WHERE f.event_id = e.id) AS sources,
    a.title,
    a.url,
    a.outlet_name AS outlet,
    a.published_at
FROM events e
JOIN articles a ON a.id = e.article_id
LEFT JOIN locations l ON l.id = e.location_id;

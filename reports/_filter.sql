-- The events every report counts, after the command line's filters. An
-- event here is an incident: the reports of it by several articles are
-- merged (migration 4, src/merge.rs), so nothing is counted twice.
-- Parameters (bound, never pasted; a NULL parameter filters nothing):
--   ?1 from date, ?2 to date (YYYY-MM-DD), ?3 country (ISO alpha-2),
--   ?4 location name or alias (with the places inside it),
--   ?5 group name or alias, ?6 event type or sub-type,
--   ?7 victims' category of a casualty figure (civilian, security_forces…),
--   ?8 source or outlet name or alias (an article of the event cites it or
--      published it),
--   ?9 which fatality figure: 'best' (UCDP-style, the default) or
--      'conservative' (ACLED's: the lowest figure any report gives),
--   ?10 the period of `timeline`: 'day' (default), 'week' (its Monday) or 'month'.
-- The report runner puts this in front of each report's query.
--
-- `filtered_events` is NOT MATERIALIZED so that each use is folded into the
-- query around it: the planner then walks the covering indexes of
-- migration 4 (by month, date, type, place) instead of copying every event
-- into a temporary table, which keeps reports fast on millions of figures.
-- It has only the columns reports use, all in those indexes.
WITH RECURSIVE
location_filter(id) AS (
    SELECT id FROM locations
     WHERE ?4 IS NOT NULL
       AND (lower(name) = lower(?4)
            OR id IN (SELECT location_id FROM location_aliases WHERE lower(alias) = lower(?4)))
    UNION
    SELECT l.id FROM locations l JOIN location_filter f ON l.parent_id = f.id
),
group_filter(id) AS (
    SELECT id FROM groups
     WHERE ?5 IS NOT NULL
       AND (lower(name) = lower(?5)
            OR id IN (SELECT group_id FROM group_aliases WHERE lower(alias) = lower(?5)))
),
source_filter(id) AS (
    SELECT id FROM sources
     WHERE ?8 IS NOT NULL
       AND (lower(name) = lower(?8)
            OR id IN (SELECT source_id FROM source_aliases WHERE lower(alias) = lower(?8)))
),
filtered_events AS NOT MATERIALIZED (
    SELECT e.id, e.type, e.sub_type, e.event_date, e.location_id,
           e.location_precision, e.date_precision,
           CASE WHEN ?9 = 'conservative' THEN e.fatalities_conservative ELSE e.fatalities_best END AS killed,
           e.wounded_best AS wounded,
           CASE ?10 WHEN 'month' THEN substr(e.event_date, 1, 7)
                    WHEN 'week' THEN date(e.event_date, 'weekday 0', '-6 days')
                    ELSE e.event_date END AS period
      FROM incidents e
     WHERE (?1 IS NULL OR e.event_date >= ?1)
       AND (?2 IS NULL OR e.event_date <= ?2)
       AND (?3 IS NULL OR e.location_id IN (SELECT id FROM locations WHERE country = upper(?3)))
       AND (?4 IS NULL OR e.location_id IN (SELECT id FROM location_filter))
       AND (?5 IS NULL OR e.id IN (SELECT ia.incident_id FROM incident_actors ia
                                    WHERE ia.group_id IN (SELECT id FROM group_filter)))
       AND (?6 IS NULL OR e.type = lower(?6) OR e.sub_type = lower(?6))
       AND (?7 IS NULL OR e.id IN (SELECT ev.incident_id FROM casualty_figures f
                                     JOIN events ev ON ev.id = f.event_id
                                    WHERE f.category = lower(?7)))
       AND (?8 IS NULL OR e.id IN (SELECT ev.incident_id FROM article_sources s
                                     JOIN events ev ON ev.article_id = s.article_id
                                    WHERE s.source_id IN (SELECT id FROM source_filter)))
)

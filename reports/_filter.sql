-- The events every report counts, after the command line's filters.
-- Parameters (bound, never pasted): ?1 from date, ?2 to date (YYYY-MM-DD),
-- ?3 country (ISO alpha-2), ?4 location name or alias (with the places
-- inside it), ?5 group name or alias. A NULL parameter filters nothing.
-- The report runner puts this in front of each report's query.
--
-- `filtered_events` is NOT MATERIALIZED so that each use is folded into the
-- query around it: the planner then walks the covering indexes of
-- migration 3 (by month, type, place) instead of copying every event into a
-- temporary table, which keeps reports fast on millions of figures.
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
filtered_events AS NOT MATERIALIZED (
    SELECT e.id, e.article_id, e.type, e.sub_type, e.event_date, e.location_id,
           e.fatalities_best, e.wounded_best
      FROM events e
     WHERE (?1 IS NULL OR e.event_date >= ?1)
       AND (?2 IS NULL OR e.event_date <= ?2)
       AND (?3 IS NULL OR e.location_id IN (SELECT id FROM locations WHERE country = upper(?3)))
       AND (?4 IS NULL OR e.location_id IN (SELECT id FROM location_filter))
       AND (?5 IS NULL OR e.id IN (SELECT ea.event_id FROM event_actors ea
                                    WHERE ea.group_id IN (SELECT id FROM group_filter)))
)

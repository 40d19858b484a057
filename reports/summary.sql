-- name: summary
-- description: One row: articles, events (an incident reported by several articles is one event), the article reports merged into them, people killed and wounded (each event's best total, counted once), places, groups, cited sources, first and last event date.
-- One pass over the events for the totals; articles, groups and sources are
-- counted by probing for one matching event each, which stays cheap when
-- nothing is filtered (the first probe matches).
SELECT
    (SELECT count(*) FROM articles a
      WHERE (?1 IS NULL AND ?2 IS NULL AND ?3 IS NULL AND ?4 IS NULL AND ?5 IS NULL AND ?6 IS NULL AND ?7 IS NULL AND ?8 IS NULL)
         OR EXISTS (SELECT 1 FROM events ev JOIN filtered_events fe ON fe.id = ev.incident_id
                     WHERE ev.article_id = a.id)) AS articles,
    count(*) AS events,
    CASE WHEN (?1 IS NULL AND ?2 IS NULL AND ?3 IS NULL AND ?4 IS NULL AND ?5 IS NULL AND ?6 IS NULL AND ?7 IS NULL AND ?8 IS NULL)
         THEN (SELECT count(*) FROM events ev WHERE ev.incident_id IS NOT NULL)
         ELSE (SELECT count(*) FROM events ev WHERE ev.incident_id IN (SELECT id FROM filtered_events))
    END AS reports,
    coalesce(sum(e.killed), 0) AS killed,
    coalesce(sum(e.wounded), 0) AS wounded,
    (SELECT count(*) FROM locations l
      WHERE EXISTS (SELECT 1 FROM filtered_events fe WHERE fe.location_id = l.id)) AS locations,
    (SELECT count(*) FROM groups g
      WHERE EXISTS (SELECT 1 FROM incident_actors ia JOIN filtered_events fe ON fe.id = ia.incident_id
                     WHERE ia.group_id = g.id)) AS "groups",
    (SELECT count(*) FROM sources s
      WHERE EXISTS (SELECT 1 FROM casualty_figures f
                      JOIN events ev ON ev.id = f.event_id
                      JOIN filtered_events fe ON fe.id = ev.incident_id
                     WHERE f.source_id = s.id)) AS sources,
    min(e.event_date) AS first_date,
    max(e.event_date) AS last_date
FROM filtered_events e

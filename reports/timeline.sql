-- name: timeline
-- description: Events and people killed and wounded per day of the event date, or per week (from its Monday) or month with --by.
-- Days first, walking the date index in its order (no sort of every event),
-- then the few thousand days into weeks or months.
SELECT
    coalesce(CASE ?10 WHEN 'month' THEN substr(d.day, 1, 7)
                      WHEN 'week' THEN date(d.day, 'weekday 0', '-6 days')
                      ELSE d.day END, '(unknown)') AS period,
    sum(d.events) AS events,
    coalesce(sum(d.killed), 0) AS killed,
    coalesce(sum(d.wounded), 0) AS wounded
FROM (
    SELECT e.event_date AS day, count(*) AS events, sum(e.killed) AS killed, sum(e.wounded) AS wounded
      FROM filtered_events e
     GROUP BY e.event_date
) d
GROUP BY 1
ORDER BY period

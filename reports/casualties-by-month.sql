-- name: casualties-by-month
-- description: Events and people killed and wounded per month of the event date.
-- Days first, walking the date index in its order, then days into months.
SELECT
    coalesce(substr(d.day, 1, 7), '(unknown)') AS month,
    sum(d.events) AS events,
    coalesce(sum(d.killed), 0) AS killed,
    coalesce(sum(d.wounded), 0) AS wounded
FROM (
    SELECT e.event_date AS day, count(*) AS events, sum(e.killed) AS killed, sum(e.wounded) AS wounded
      FROM filtered_events e
     GROUP BY e.event_date
) d
GROUP BY 1
ORDER BY month

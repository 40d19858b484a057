-- name: casualties-by-month
-- description: Events and people killed and wounded per month of the event date.
SELECT
    coalesce(substr(e.event_date, 1, 7), '(unknown)') AS month,
    count(*) AS events,
    coalesce(sum(e.killed), 0) AS killed,
    coalesce(sum(e.wounded), 0) AS wounded
FROM filtered_events e
GROUP BY substr(e.event_date, 1, 7)
ORDER BY month

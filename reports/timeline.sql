-- name: timeline
-- description: Events and people killed and wounded per day of the event date, or per week (from its Monday) or month with --by.
SELECT
    coalesce(e.period, '(unknown)') AS period,
    count(*) AS events,
    coalesce(sum(e.killed), 0) AS killed,
    coalesce(sum(e.wounded), 0) AS wounded
FROM filtered_events e
GROUP BY e.period
ORDER BY period

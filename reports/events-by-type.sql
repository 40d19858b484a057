-- name: events-by-type
-- description: Events and people killed per ACLED event type and sub-type.
SELECT
    e.type,
    e.sub_type,
    count(*) AS events,
    coalesce(sum(e.killed), 0) AS killed
FROM filtered_events e
GROUP BY e.type, e.sub_type
ORDER BY events DESC, killed DESC, e.type, e.sub_type

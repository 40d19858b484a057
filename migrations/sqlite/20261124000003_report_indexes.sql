-- Covering indexes for the reports, so that each report walks one index in
-- the order of its GROUP BY instead of reading every event row and sorting
-- (measured in BENCHMARKS.md: on 1,000,000 figures a report went from
-- seconds to tens of milliseconds). Each holds every column that
-- `reports/_filter.sql` tests (date, place), so filtered reports use them too.

-- casualties-by-month groups by the month of the event date.
CREATE INDEX idx_events_month ON events (
    substr(event_date, 1, 7), event_date, location_id, fatalities_best, wounded_best
);

-- events-by-type; replaces the narrower index on (type, sub_type).
DROP INDEX idx_events_type;
CREATE INDEX idx_events_type ON events (
    type, sub_type, event_date, location_id, fatalities_best, wounded_best
);

-- casualties-by-location, and the country and place filters; replaces the
-- index on location_id alone.
DROP INDEX idx_events_location;
CREATE INDEX idx_events_location ON events (
    location_id, event_date, fatalities_best, wounded_best
);

-- Figures per source (the sources report, the summary's source count)
-- without reading figure rows, which carry their evidence sentence.
DROP INDEX idx_figures_source;
CREATE INDEX idx_figures_source ON casualty_figures (source_id, event_id);

-- Articles citing each source (the sources report) from the index alone.
DROP INDEX idx_article_sources_source;
CREATE INDEX idx_article_sources_source ON article_sources (source_id, role, article_id);

-- events-by-group sums each event's best fatalities once per group. Reading
-- them from `events` meant a million random row lookups on a large database
-- (most of a second), so the first row of each (event, group) pair carries
-- the event's figure, written with the event: `counts_event` is 1 on that
-- row and 0 on the group's other roles in the same event, and
-- `event_fatalities_best` is NULL on those. The report sums both from the
-- index alone.
ALTER TABLE event_actors ADD COLUMN counts_event INTEGER NOT NULL DEFAULT 1;
ALTER TABLE event_actors ADD COLUMN event_fatalities_best INTEGER;
UPDATE event_actors
   SET counts_event = (role = (SELECT min(b.role) FROM event_actors b
                                WHERE b.event_id = event_actors.event_id
                                  AND b.group_id = event_actors.group_id));
UPDATE event_actors
   SET event_fatalities_best = (SELECT e.fatalities_best FROM events e WHERE e.id = event_actors.event_id)
 WHERE counts_event = 1;
DROP INDEX idx_event_actors_group;
CREATE INDEX idx_event_actors_group
    ON event_actors (group_id, event_id, counts_event, event_fatalities_best);

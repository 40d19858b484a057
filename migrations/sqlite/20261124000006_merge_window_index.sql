-- Faster ingest (issue 6).
--
-- Merging loads the events of one country and one slice of days at a time.
-- With an index on location_id alone, each slice read every event of the
-- country's places and looked each row up to check its date, so a country
-- with fourteen years of reports was read fourteen times. With the date in
-- the index, each place gives only the slice's days.
DROP INDEX idx_events_location;
CREATE INDEX idx_events_location ON events (location_id, event_date);

-- The UNIQUE (article_id, local_id) constraint already indexes events by
-- article; this second index only cost an insert per event.
DROP INDEX idx_events_article;

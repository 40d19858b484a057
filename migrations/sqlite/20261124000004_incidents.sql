-- One incident reported by many articles is one event in the reports.
--
-- `events` stay what each article says (its own date, place, type and
-- figures, with evidence). `incidents` are the real-world events: each
-- groups the article events that report it, with fatalities combined by the
-- rules in src/merge.rs (low = lowest reported, high = highest, best = the
-- latest exact report or else the median, conservative = ACLED's lowest).
-- An incident's id is the id of its first report (its smallest event id),
-- so `conflictdb show event ID` takes either.
--
-- The merge stage (after each ingest) fills `events.incident_id`; a NULL
-- there means "not merged yet", which is how an interrupted ingest resumes.
CREATE TABLE incidents (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    sub_type TEXT,
    event_date TEXT,
    date_precision TEXT,
    location_id INTEGER REFERENCES locations(id),
    location_precision INTEGER,
    fatalities_best INTEGER,
    fatalities_low INTEGER,
    fatalities_high INTEGER,
    -- ACLED's convention: the lowest best figure any report gives.
    fatalities_conservative INTEGER,
    wounded_best INTEGER,
    wounded_low INTEGER,
    wounded_high INTEGER,
    wounded_conservative INTEGER,
    -- How `fatalities_best` was chosen: single report, latest exact report, median of reports.
    best_rule TEXT,
    reports INTEGER NOT NULL,
    articles INTEGER NOT NULL
);

-- Which incident each article event reports, the report it was linked to
-- and why (e.g. "same day 2024-10-12; Hanano is inside Aleppo; ...").
ALTER TABLE events ADD COLUMN incident_id INTEGER;
ALTER TABLE events ADD COLUMN merged_with INTEGER;
ALTER TABLE events ADD COLUMN merge_reason TEXT;
CREATE INDEX idx_events_incident ON events (incident_id);

-- The groups of an incident (every role any report gives them), with the
-- incident's figures copied, so the group reports read this index alone.
-- The first role of each group carries `counts_incident` = 1, so that
-- events-by-group counts a group once per incident.
CREATE TABLE incident_actors (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES groups(id),
    role TEXT NOT NULL,
    counts_incident INTEGER NOT NULL,
    incident_fatalities_best INTEGER,
    incident_fatalities_conservative INTEGER,
    PRIMARY KEY (incident_id, group_id, role)
);
CREATE INDEX idx_incident_actors_group ON incident_actors (
    group_id, incident_id, role, counts_incident, incident_fatalities_best, incident_fatalities_conservative
);

-- Merges a person undid (`conflictdb unmerge`): these two reports are kept
-- apart. Keyed by article content hash and the event's id in the article,
-- so the decision outlives re-ingesting the articles.
CREATE TABLE merge_decisions (
    event_key TEXT NOT NULL,
    other_key TEXT NOT NULL,
    decision TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (event_key, other_key)
);

-- The reports now read incidents; their covering indexes move here (see
-- migration 3 for why each exists), and the event-level ones go, which
-- makes ingest cheaper.
DROP INDEX idx_events_month;
DROP INDEX idx_events_type;
DROP INDEX idx_events_location;
CREATE INDEX idx_events_location ON events (location_id);
DROP INDEX idx_event_actors_group;
CREATE INDEX idx_event_actors_group ON event_actors (group_id);

CREATE INDEX idx_incidents_date ON incidents (
    event_date, location_id, fatalities_best, fatalities_conservative, wounded_best
);
CREATE INDEX idx_incidents_type ON incidents (
    type, sub_type, event_date, location_id, fatalities_best, fatalities_conservative, wounded_best
);
CREATE INDEX idx_incidents_location ON incidents (
    location_id, event_date, fatalities_best, fatalities_conservative, wounded_best
);
-- Merging reads each event's article key and publication time; the article
-- row holds its text first, so this spares reading the whole text.
CREATE INDEX idx_articles_merge ON articles (id, content_hash, published_at);

-- One row per incident: where, when, what, who, how many, how many reports.
CREATE VIEW incident_view AS
SELECT
    i.id AS incident_id,
    i.type,
    i.sub_type,
    i.event_date,
    i.date_precision,
    l.name AS location,
    l.kind AS location_kind,
    i.location_precision,
    l.country,
    l.admin1,
    l.lat,
    l.lon,
    i.fatalities_best AS killed,
    i.fatalities_low AS killed_low,
    i.fatalities_high AS killed_high,
    i.fatalities_conservative AS killed_conservative,
    i.best_rule,
    i.wounded_best AS wounded,
    i.reports,
    i.articles,
    (SELECT group_concat(g.name || ' (' || ia.role || ')', '; ')
       FROM incident_actors ia JOIN groups g ON g.id = ia.group_id
      WHERE ia.incident_id = i.id) AS actors
FROM incidents i
LEFT JOIN locations l ON l.id = i.location_id;

-- event_view gains the incident each article event reports.
DROP VIEW event_view;
CREATE VIEW event_view AS
SELECT
    e.id AS event_id,
    e.incident_id,
    e.article_id,
    e.type,
    e.sub_type,
    e.event_date,
    e.date_precision,
    l.name AS location,
    l.kind AS location_kind,
    e.location_precision,
    l.country,
    l.admin1,
    l.lat,
    l.lon,
    e.fatalities_best AS killed,
    e.fatalities_low AS killed_low,
    e.fatalities_high AS killed_high,
    e.wounded_best AS wounded,
    (SELECT group_concat(g.name || ' (' || ea.role || ')', '; ')
       FROM event_actors ea JOIN groups g ON g.id = ea.group_id
      WHERE ea.event_id = e.id) AS actors,
    (SELECT group_concat(DISTINCT s.name)
       FROM casualty_figures f JOIN sources s ON s.id = f.source_id
      WHERE f.event_id = e.id) AS sources,
    e.merged_with,
    e.merge_reason,
    a.title,
    a.url,
    a.outlet_name AS outlet,
    a.published_at
FROM events e
JOIN articles a ON a.id = e.article_id
LEFT JOIN locations l ON l.id = e.location_id;

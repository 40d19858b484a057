-- The five things conflictdb is about (articles, sources, locations, groups,
-- events with their casualty figures) and what links them.
-- Portable SQL: PostgreSQL gets its own folder beside this one.

-- Reference data and entities found in text share these tables; `ref_key`
-- is stable (GeoNames id, dictionary key, or "unlisted:..." for names the
-- reference data lacks) so ids stay stable across ingests.
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    ref_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    country TEXT,
    domains TEXT,
    from_reference INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE source_aliases (
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    PRIMARY KEY (source_id, alias)
);

CREATE TABLE locations (
    id INTEGER PRIMARY KEY,
    ref_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    country TEXT,
    admin1 TEXT,
    admin2 TEXT,
    lat REAL,
    lon REAL,
    geonames_id INTEGER,
    parent_id INTEGER REFERENCES locations(id),
    population INTEGER,
    approximate INTEGER NOT NULL DEFAULT 0,
    from_reference INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE location_aliases (
    location_id INTEGER NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    PRIMARY KEY (location_id, alias)
);

CREATE TABLE groups (
    id INTEGER PRIMARY KEY,
    ref_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    side TEXT NOT NULL,
    country TEXT,
    parent_id INTEGER REFERENCES groups(id),
    category TEXT,
    from_reference INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE group_aliases (
    group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    PRIMARY KEY (group_id, alias)
);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    input TEXT NOT NULL,
    title TEXT NOT NULL,
    -- The text spans index into: title + blank line + body.
    text TEXT NOT NULL,
    url TEXT,
    outlet_id INTEGER REFERENCES sources(id),
    outlet_name TEXT,
    published_at TEXT,
    reference_date TEXT,
    language TEXT NOT NULL,
    extractor_version TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);

-- Sources an article cites, and the outlet that published it.
CREATE TABLE article_sources (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    span_start INTEGER,
    span_end INTEGER,
    PRIMARY KEY (article_id, source_id, role)
);

CREATE TABLE location_mentions (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    location_id INTEGER NOT NULL REFERENCES locations(id),
    name TEXT NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    PRIMARY KEY (article_id, span_start)
);

CREATE TABLE group_mentions (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES groups(id),
    name TEXT NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    PRIMARY KEY (article_id, span_start)
);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    local_id TEXT NOT NULL,
    type TEXT NOT NULL,
    sub_type TEXT,
    event_date TEXT,
    date_precision TEXT,
    location_id INTEGER REFERENCES locations(id),
    fatalities_best INTEGER,
    fatalities_low INTEGER,
    fatalities_high INTEGER,
    wounded_best INTEGER,
    wounded_low INTEGER,
    wounded_high INTEGER,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    UNIQUE (article_id, local_id)
);

CREATE TABLE event_actors (
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES groups(id),
    role TEXT NOT NULL,
    PRIMARY KEY (event_id, group_id, role)
);

CREATE TABLE casualty_figures (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    -- Position in the article's list of figures (the extract output's order).
    position INTEGER NOT NULL,
    event_id INTEGER REFERENCES events(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    count INTEGER,
    qualifier TEXT NOT NULL,
    low INTEGER,
    high INTEGER,
    conventional_count INTEGER,
    category TEXT NOT NULL,
    victims TEXT,
    group_id INTEGER REFERENCES groups(id),
    location_id INTEGER REFERENCES locations(id),
    source_id INTEGER REFERENCES sources(id),
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    -- The sentence the figure was read from, as evidence.
    evidence TEXT NOT NULL,
    duplicate_of INTEGER REFERENCES casualty_figures(id),
    part_of INTEGER REFERENCES casualty_figures(id),
    UNIQUE (article_id, position)
);

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE INDEX idx_locations_parent ON locations(parent_id);
CREATE INDEX idx_locations_country ON locations(country);
CREATE INDEX idx_location_aliases_alias ON location_aliases(alias);
CREATE INDEX idx_group_aliases_alias ON group_aliases(alias);
CREATE INDEX idx_article_sources_source ON article_sources(source_id);
CREATE INDEX idx_location_mentions_location ON location_mentions(location_id);
CREATE INDEX idx_group_mentions_group ON group_mentions(group_id);
CREATE INDEX idx_events_article ON events(article_id);
CREATE INDEX idx_events_date ON events(event_date);
CREATE INDEX idx_events_location ON events(location_id);
CREATE INDEX idx_events_type ON events(type, sub_type);
CREATE INDEX idx_event_actors_group ON event_actors(group_id);
CREATE INDEX idx_event_actors_article ON event_actors(article_id);
CREATE INDEX idx_figures_event ON casualty_figures(event_id);
CREATE INDEX idx_figures_source ON casualty_figures(source_id);

-- One row per event: where, when, what, who, how many, from which article.
CREATE VIEW event_view AS
SELECT
    e.id AS event_id,
    e.article_id,
    e.type,
    e.sub_type,
    e.event_date,
    e.date_precision,
    l.name AS location,
    l.kind AS location_kind,
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
    a.title,
    a.url,
    a.outlet_name AS outlet,
    a.published_at
FROM events e
JOIN articles a ON a.id = e.article_id
LEFT JOIN locations l ON l.id = e.location_id;

-- One row per casualty figure, with its evidence sentence and its source.
CREATE VIEW figure_view AS
SELECT
    f.id AS figure_id,
    f.article_id,
    f.event_id,
    e.type AS event_type,
    e.event_date,
    f.kind,
    f.count,
    f.qualifier,
    f.low,
    f.high,
    f.category,
    f.victims,
    g.name AS "group",
    l.name AS location,
    l.country,
    s.name AS source,
    s.kind AS source_kind,
    f.evidence,
    substr(a.text, f.span_start + 1, f.span_end - f.span_start) AS wording,
    f.duplicate_of,
    f.part_of,
    a.title,
    a.url,
    a.outlet_name AS outlet,
    a.published_at
FROM casualty_figures f
JOIN articles a ON a.id = f.article_id
LEFT JOIN events e ON e.id = f.event_id
LEFT JOIN groups g ON g.id = f.group_id
LEFT JOIN locations l ON l.id = f.location_id
LEFT JOIN sources s ON s.id = f.source_id;

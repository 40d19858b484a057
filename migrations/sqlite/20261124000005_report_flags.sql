-- Reports under 200 ms on a million casualty figures (issues 5 and 6).
--
-- `groups` counted each (group, incident) once by grouping every actor row
-- by group and incident first (420,000 rows on the benchmark database,
-- 0.5 s). The row that carries `counts_incident` now also says whether the
-- group was an attacker and whether it was a target or victim in that
-- incident, so the report is one flat walk of the group index.
ALTER TABLE incident_actors ADD COLUMN as_attacker INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incident_actors ADD COLUMN as_target INTEGER NOT NULL DEFAULT 0;

UPDATE incident_actors SET
    as_attacker = EXISTS (SELECT 1 FROM incident_actors o
                           WHERE o.incident_id = incident_actors.incident_id
                             AND o.group_id = incident_actors.group_id
                             AND o.role = 'attacker'),
    as_target = EXISTS (SELECT 1 FROM incident_actors o
                         WHERE o.incident_id = incident_actors.incident_id
                           AND o.group_id = incident_actors.group_id
                           AND o.role IN ('target', 'victim'))
WHERE counts_incident = 1;

DROP INDEX idx_incident_actors_group;
-- counts_incident second: `groups` and `events-by-group` read only the
-- counting rows of each group, a range of the index.
CREATE INDEX idx_incident_actors_group ON incident_actors (
    group_id, counts_incident, as_attacker, as_target,
    incident_fatalities_best, incident_fatalities_conservative, incident_id, role
);

-- `precision` grouped every incident by its two precisions in a temporary
-- B-tree; this index hands them over in order.
CREATE INDEX idx_incidents_precision ON incidents (
    location_precision, date_precision, fatalities_best, fatalities_conservative
);

-- kam schema, version 2: visits, their series, participants, and history.

-- A recurring plan: every `every` days/weeks/months until a date. Its
-- occurrences are ordinary visits carrying the series id.
CREATE TABLE visit_series (
    id          INTEGER PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customer(id),
    kind        TEXT NOT NULL,
    every       INTEGER NOT NULL CHECK (every >= 1),
    unit        TEXT NOT NULL CHECK (unit IN ('days','weeks','months')),
    until       TEXT NOT NULL,
    created_by  INTEGER NOT NULL REFERENCES staff(id),
    created_at  TEXT NOT NULL
);

CREATE TABLE visit (
    id              INTEGER PRIMARY KEY,
    customer_id     TEXT NOT NULL REFERENCES customer(id),
    kind            TEXT NOT NULL CHECK (kind IN ('in_person','phone','holiday_greeting','senior_visit','exchange','gift','survey')),
    state           TEXT NOT NULL DEFAULT 'planned' CHECK (state IN ('planned','done','cancelled')),
    planned_at      TEXT NOT NULL,
    duration_min    INTEGER NOT NULL DEFAULT 60 CHECK (duration_min > 0),
    done_at         TEXT,
    cancel_reason   TEXT,
    purpose         TEXT,
    business        TEXT,   -- how the customer's business runs
    opinions        TEXT,
    problems        TEXT,   -- problems and agreed solutions
    new_needs       TEXT,
    next_step       TEXT,
    next_due        TEXT,
    series_id       INTEGER REFERENCES visit_series(id),
    -- the visit planned as this one's next step
    follows_id      INTEGER REFERENCES visit(id),
    owner_id        INTEGER NOT NULL REFERENCES staff(id),   -- whose diary it is in
    version         INTEGER NOT NULL DEFAULT 1,
    created_by      INTEGER NOT NULL REFERENCES staff(id),
    created_at      TEXT NOT NULL,
    updated_by      INTEGER NOT NULL REFERENCES staff(id),
    updated_at      TEXT NOT NULL,
    CHECK (state <> 'done' OR done_at IS NOT NULL),
    CHECK (state <> 'cancelled' OR cancel_reason IS NOT NULL)
);
-- The calendar and Today read by time; compliance reads by customer and time.
CREATE INDEX visit_planned ON visit(planned_at, state);
CREATE INDEX visit_owner_planned ON visit(owner_id, planned_at);
CREATE INDEX visit_customer_planned ON visit(customer_id, planned_at);
CREATE INDEX visit_customer_done ON visit(customer_id, state, done_at);
CREATE INDEX visit_series_idx ON visit(series_id) WHERE series_id IS NOT NULL;

-- Our participants and their part in the visit.
CREATE TABLE visit_staff (
    visit_id INTEGER NOT NULL REFERENCES visit(id),
    staff_id INTEGER NOT NULL REFERENCES staff(id),
    role     TEXT NOT NULL CHECK (role IN ('account_manager','supervisor','leader')),
    PRIMARY KEY (visit_id, staff_id)
) WITHOUT ROWID;
CREATE INDEX visit_staff_staff ON visit_staff(staff_id, visit_id);

-- The customer's people met (key persons from the dossier).
CREATE TABLE visit_person (
    visit_id  INTEGER NOT NULL REFERENCES visit(id),
    person_id INTEGER NOT NULL REFERENCES key_person(id),
    PRIMARY KEY (visit_id, person_id)
) WITHOUT ROWID;

-- Today reads every key person's birthday and important dates of a manager's
-- customers; this index answers that without reading the wide person rows.
CREATE INDEX key_person_occasions ON key_person(customer_id, archived, birthday, name, important_dates);

CREATE TRIGGER visit_no_delete BEFORE DELETE ON visit
BEGIN SELECT RAISE(ABORT, 'visits are cancelled, never deleted'); END;

CREATE TRIGGER visit_created AFTER INSERT ON visit
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, new_value, changed_by, changed_at)
    VALUES ('visit', new.id, new.customer_id, 'create', new.kind || ' ' || new.planned_at, new.created_by, new.created_at);
END;

CREATE TRIGGER visit_updated AFTER UPDATE ON visit
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'visit', new.id, new.customer_id, 'update', f, o, n, new.updated_by, new.updated_at FROM (
        SELECT 'kind' AS f, old.kind AS o, new.kind AS n
        UNION ALL SELECT 'state', old.state, new.state
        UNION ALL SELECT 'planned_at', old.planned_at, new.planned_at
        UNION ALL SELECT 'duration_min', old.duration_min, new.duration_min
        UNION ALL SELECT 'done_at', old.done_at, new.done_at
        UNION ALL SELECT 'cancel_reason', old.cancel_reason, new.cancel_reason
        UNION ALL SELECT 'purpose', old.purpose, new.purpose
        UNION ALL SELECT 'business', old.business, new.business
        UNION ALL SELECT 'opinions', old.opinions, new.opinions
        UNION ALL SELECT 'problems', old.problems, new.problems
        UNION ALL SELECT 'new_needs', old.new_needs, new.new_needs
        UNION ALL SELECT 'next_step', old.next_step, new.next_step
        UNION ALL SELECT 'next_due', old.next_due, new.next_due
        UNION ALL SELECT 'owner_id', old.owner_id, new.owner_id
    ) WHERE o IS NOT n;
END;

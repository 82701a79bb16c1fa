-- kam schema, version 3: the marketing log (SPEC §6) and complaints (SPEC §8).

CREATE TABLE marketing_log (
    id            INTEGER PRIMARY KEY,
    customer_id   TEXT NOT NULL REFERENCES customer(id),
    logged_on     TEXT NOT NULL,
    method        TEXT NOT NULL CHECK (method IN ('visit','phone','meeting','email','other')),
    stage         TEXT NOT NULL CHECK (stage IN ('initial_contact','proposal_negotiation','quotation','agreement')),
    content       TEXT NOT NULL CHECK (content <> ''),
    needs         TEXT,
    cooperation   TEXT,
    satisfaction  TEXT CHECK (satisfaction IS NULL OR satisfaction IN ('satisfied','basically_satisfied','unsatisfied')),
    next_step     TEXT,
    next_due      TEXT,
    our_people    TEXT,   -- names of our participants besides the author
    their_people  TEXT,   -- the customer's people met
    visit_id      INTEGER REFERENCES visit(id),
    author_id     INTEGER NOT NULL REFERENCES staff(id),
    archived      INTEGER NOT NULL DEFAULT 0,
    version       INTEGER NOT NULL DEFAULT 1,
    created_by    INTEGER NOT NULL REFERENCES staff(id),
    created_at    TEXT NOT NULL,
    updated_by    INTEGER NOT NULL REFERENCES staff(id),
    updated_at    TEXT NOT NULL
);
CREATE INDEX marketing_log_customer ON marketing_log(customer_id, logged_on);
CREATE INDEX marketing_log_author ON marketing_log(author_id, logged_on);
CREATE INDEX marketing_log_day ON marketing_log(logged_on);

-- A supervisor's reading and comments on log entries.
CREATE TABLE log_comment (
    id          INTEGER PRIMARY KEY,
    log_id      INTEGER NOT NULL REFERENCES marketing_log(id),
    author_id   INTEGER NOT NULL REFERENCES staff(id),
    comment     TEXT,          -- NULL: marked as read without a comment
    created_at  TEXT NOT NULL,
    seen_at     TEXT           -- when the log's author saw it
);
CREATE INDEX log_comment_log ON log_comment(log_id);

CREATE TABLE complaint (
    id                 INTEGER PRIMARY KEY,
    number             TEXT NOT NULL UNIQUE,
    received_at        TEXT NOT NULL,
    channel            TEXT NOT NULL CHECK (channel IN ('phone','hotline','visit','letter','email','other')),
    received_by        INTEGER NOT NULL REFERENCES staff(id),   -- the first-responsible person
    customer_id        TEXT NOT NULL REFERENCES customer(id),
    complainant        TEXT NOT NULL CHECK (complainant <> ''),
    contact            TEXT,
    category           TEXT NOT NULL CHECK (category IN ('delay','loss_damage','wrong_address','returned_mail','billing','service_attitude','other')),
    description        TEXT NOT NULL CHECK (description <> ''),
    severity           TEXT NOT NULL DEFAULT 'normal' CHECK (severity IN ('low','normal','high')),
    locality           TEXT NOT NULL DEFAULT 'city' CHECK (locality IN ('city','rural','special')),
    department         TEXT,
    handler_id         INTEGER REFERENCES staff(id),
    deadline           TEXT NOT NULL,
    state              TEXT NOT NULL DEFAULT 'received'
                       CHECK (state IN ('received','assigned','in_progress','escalated','resolved','confirmed','closed')),
    result             TEXT,
    satisfaction       TEXT CHECK (satisfaction IS NULL OR satisfaction IN ('satisfied','basically_satisfied','unsatisfied')),
    first_phone_at     TEXT,
    team               TEXT,   -- the cross-department team for platinum-and-above customers
    follow_up          INTEGER NOT NULL DEFAULT 0,   -- still affecting business: monthly notes due
    impact_cleared_at  TEXT,
    closed_at          TEXT,
    version            INTEGER NOT NULL DEFAULT 1,
    created_by         INTEGER NOT NULL REFERENCES staff(id),
    created_at         TEXT NOT NULL,
    updated_by         INTEGER NOT NULL REFERENCES staff(id),
    updated_at         TEXT NOT NULL,
    CHECK (state <> 'closed' OR satisfaction IS NOT NULL)
);
CREATE INDEX complaint_state_deadline ON complaint(state, deadline);
CREATE INDEX complaint_customer ON complaint(customer_id, received_at);
CREATE INDEX complaint_handler ON complaint(handler_id, state);

-- The timeline: every transition and action, with who, when and a note.
CREATE TABLE complaint_event (
    id            INTEGER PRIMARY KEY,
    complaint_id  INTEGER NOT NULL REFERENCES complaint(id),
    kind          TEXT NOT NULL,   -- a transition code, or note / follow_up / phone_contact
    from_state    TEXT,
    to_state      TEXT,
    note          TEXT,
    by_id         INTEGER NOT NULL REFERENCES staff(id),
    at            TEXT NOT NULL
);
CREATE INDEX complaint_event_complaint ON complaint_event(complaint_id, id);

CREATE TRIGGER marketing_log_no_delete BEFORE DELETE ON marketing_log
BEGIN SELECT RAISE(ABORT, 'log entries are archived, never deleted'); END;
CREATE TRIGGER complaint_no_delete BEFORE DELETE ON complaint
BEGIN SELECT RAISE(ABORT, 'complaints are closed, never deleted'); END;
CREATE TRIGGER complaint_event_append_only BEFORE UPDATE ON complaint_event
BEGIN SELECT RAISE(ABORT, 'the complaint timeline is append-only'); END;
CREATE TRIGGER complaint_event_no_delete BEFORE DELETE ON complaint_event
BEGIN SELECT RAISE(ABORT, 'the complaint timeline is append-only'); END;

CREATE TRIGGER marketing_log_created AFTER INSERT ON marketing_log
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, new_value, changed_by, changed_at)
    VALUES ('marketing_log', new.id, new.customer_id, 'create', new.stage, new.created_by, new.created_at);
END;
CREATE TRIGGER marketing_log_updated AFTER UPDATE ON marketing_log
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'marketing_log', new.id, new.customer_id, 'update', f, o, n, new.updated_by, new.updated_at FROM (
        SELECT 'logged_on' AS f, old.logged_on AS o, new.logged_on AS n
        UNION ALL SELECT 'method', old.method, new.method
        UNION ALL SELECT 'stage', old.stage, new.stage
        UNION ALL SELECT 'content', old.content, new.content
        UNION ALL SELECT 'needs', old.needs, new.needs
        UNION ALL SELECT 'cooperation', old.cooperation, new.cooperation
        UNION ALL SELECT 'satisfaction', old.satisfaction, new.satisfaction
        UNION ALL SELECT 'next_step', old.next_step, new.next_step
        UNION ALL SELECT 'next_due', old.next_due, new.next_due
        UNION ALL SELECT 'archived', old.archived, new.archived
    ) WHERE o IS NOT n;
END;
CREATE TRIGGER complaint_created AFTER INSERT ON complaint
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, new_value, changed_by, changed_at)
    VALUES ('complaint', new.id, new.customer_id, 'create', new.number, new.created_by, new.created_at);
END;
CREATE TRIGGER complaint_updated AFTER UPDATE ON complaint
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'complaint', new.id, new.customer_id, 'update', f, o, n, new.updated_by, new.updated_at FROM (
        SELECT 'state' AS f, old.state AS o, new.state AS n
        UNION ALL SELECT 'handler_id', old.handler_id, new.handler_id
        UNION ALL SELECT 'department', old.department, new.department
        UNION ALL SELECT 'deadline', old.deadline, new.deadline
        UNION ALL SELECT 'result', old.result, new.result
        UNION ALL SELECT 'satisfaction', old.satisfaction, new.satisfaction
        UNION ALL SELECT 'team', old.team, new.team
        UNION ALL SELECT 'follow_up', old.follow_up, new.follow_up
        UNION ALL SELECT 'severity', old.severity, new.severity
        UNION ALL SELECT 'category', old.category, new.category
        UNION ALL SELECT 'description', old.description, new.description
        UNION ALL SELECT 'closed_at', old.closed_at, new.closed_at
    ) WHERE o IS NOT n;
END;

-- Issue 18: service requests (限时服务 · 随呼随到 · 主动服务, SPEC §9). A
-- customer asks the post to act (collect mail, serve on site, answer a query);
-- whoever receives it files it with a number (FW2026-000001), its area (city or
-- rural, preset from the address) and its due time (end of the due day), and
-- the customer's account manager works it: notified, phoned, started, done
-- with its result, or cancelled with a reason. Every step is on its timeline;
-- nothing is deleted. The bureau's proactive-service days and day count are
-- settings (`setting`: request_quiet_days, request_day_count), with history.

CREATE TABLE service_request (
    id               INTEGER PRIMARY KEY,
    number           TEXT NOT NULL UNIQUE,
    received_at      TEXT NOT NULL,
    channel          TEXT NOT NULL CHECK (channel IN ('service_centre','call','visit','other')),
    received_by      INTEGER NOT NULL REFERENCES staff(id),
    customer_id      TEXT NOT NULL REFERENCES customer(id),
    requester        TEXT NOT NULL CHECK (length(trim(requester)) > 0),
    contact          TEXT,
    kind             TEXT NOT NULL CHECK (kind IN ('pickup','on_site','query','consultation','other')),
    mode             TEXT NOT NULL CHECK (mode IN ('proactive','on_call','time_limited')),
    area             TEXT NOT NULL CHECK (area IN ('city','rural')),
    special          INTEGER NOT NULL DEFAULT 0 CHECK (special IN (0, 1)),
    special_reason   TEXT,
    description      TEXT NOT NULL CHECK (length(trim(description)) > 0),
    -- The end of the due day, fixed at receipt (a later change of the
    -- bureau's day count moves no request already received).
    due_at           TEXT NOT NULL,
    notified_at      TEXT,
    phone_contact_at TEXT,
    done_at          TEXT,
    result           TEXT,
    status           TEXT NOT NULL DEFAULT 'open'
                     CHECK (status IN ('open','notified','in_progress','done','cancelled')),
    cancel_reason    TEXT,
    version          INTEGER NOT NULL DEFAULT 1,
    created_by       INTEGER NOT NULL REFERENCES staff(id),
    created_at       TEXT NOT NULL,
    updated_by       INTEGER NOT NULL REFERENCES staff(id),
    updated_at       TEXT NOT NULL,
    CHECK (special = 0 OR length(trim(coalesce(special_reason, ''))) > 0),
    CHECK (status <> 'done' OR (done_at IS NOT NULL AND length(trim(coalesce(result, ''))) > 0)),
    CHECK (status <> 'done' OR special = 0 OR phone_contact_at IS NOT NULL),
    CHECK (status <> 'cancelled' OR length(trim(coalesce(cancel_reason, ''))) > 0)
);
-- Open requests by due time (Today, the overdue list): few of all.
CREATE INDEX service_request_open ON service_request(due_at)
WHERE status IN ('open','notified','in_progress');
CREATE INDEX service_request_customer ON service_request(customer_id, received_at);
-- A customer's last pickup (proactive service).
CREATE INDEX service_request_pickup ON service_request(customer_id, received_at)
WHERE kind = 'pickup' AND status <> 'cancelled';

-- The timeline: receipt and every step, with who, when and a note (the
-- result of a done step, the reason of a cancel).
CREATE TABLE service_request_event (
    id           INTEGER PRIMARY KEY,
    request_id   INTEGER NOT NULL REFERENCES service_request(id),
    kind         TEXT NOT NULL CHECK (kind = 'received' OR kind IN ('notify','phone_contact','start','done','cancel')),
    from_status  TEXT CHECK (from_status IS NULL OR from_status IN ('open','notified','in_progress','done','cancelled')),
    to_status    TEXT CHECK (to_status IS NULL OR to_status IN ('open','notified','in_progress','done','cancelled')),
    note         TEXT,
    by_id        INTEGER NOT NULL REFERENCES staff(id),
    at           TEXT NOT NULL
);
CREATE INDEX service_request_event_request ON service_request_event(request_id, id);

CREATE TRIGGER service_request_no_delete BEFORE DELETE ON service_request
BEGIN SELECT RAISE(ABORT, 'service requests are done or cancelled, never deleted'); END;
CREATE TRIGGER service_request_keeps_place BEFORE UPDATE ON service_request
WHEN old.number IS NOT new.number OR old.customer_id IS NOT new.customer_id
  OR old.received_by IS NOT new.received_by OR old.created_by IS NOT new.created_by
  OR old.created_at IS NOT new.created_at
BEGIN SELECT RAISE(ABORT, 'a service request keeps its number, customer and receiver'); END;
CREATE TRIGGER service_request_event_append_only BEFORE UPDATE ON service_request_event
BEGIN SELECT RAISE(ABORT, 'the service request timeline is append-only'); END;
CREATE TRIGGER service_request_event_no_delete BEFORE DELETE ON service_request_event
BEGIN SELECT RAISE(ABORT, 'the service request timeline is append-only'); END;

CREATE TRIGGER service_request_created AFTER INSERT ON service_request
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, new_value, changed_by, changed_at)
    VALUES ('service_request', new.id, new.customer_id, 'create', new.number, new.created_by, new.created_at);
END;
CREATE TRIGGER service_request_updated AFTER UPDATE ON service_request
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'service_request', new.id, new.customer_id, 'update', f, o, n, new.updated_by, new.updated_at FROM (
        SELECT 'status' AS f, old.status AS o, new.status AS n
        UNION ALL SELECT 'requester', old.requester, new.requester
        UNION ALL SELECT 'contact', old.contact, new.contact
        UNION ALL SELECT 'kind', old.kind, new.kind
        UNION ALL SELECT 'mode', old.mode, new.mode
        UNION ALL SELECT 'area', old.area, new.area
        UNION ALL SELECT 'special', old.special, new.special
        UNION ALL SELECT 'special_reason', old.special_reason, new.special_reason
        UNION ALL SELECT 'description', old.description, new.description
        UNION ALL SELECT 'due_at', old.due_at, new.due_at
        UNION ALL SELECT 'notified_at', old.notified_at, new.notified_at
        UNION ALL SELECT 'phone_contact_at', old.phone_contact_at, new.phone_contact_at
        UNION ALL SELECT 'done_at', old.done_at, new.done_at
        UNION ALL SELECT 'result', old.result, new.result
        UNION ALL SELECT 'cancel_reason', old.cancel_reason, new.cancel_reason
    ) WHERE o IS NOT n;
END;

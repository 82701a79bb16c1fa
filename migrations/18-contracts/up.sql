-- Issue 18: contracts and agreements (合同、合作协议, SPEC §12). A contract
-- per customer with its terms, the approval chain decided step by step (who,
-- when, opinion; a refusal sends it back to draft, a resubmission starts a
-- new round), the copies and where each went, the province filing of
-- platinum and above, and the marketing log's agreement-stage entries that
-- name it. Money is INTEGER fen; dates are ISO text. Every write names its
-- writer and time; every table keeps its history; nothing is deleted (a
-- contract is ended, never removed).

-- The bureau's approval chain for a tier (JSON of domain::contract::ChainStep
-- steps). A tier without a row takes kam's default chain.
CREATE TABLE contract_chain (
    tier    TEXT PRIMARY KEY CHECK (tier IN ('diamond', 'platinum', 'gold', 'silver', 'vip', 'general',
                                              'district', 'company', 'branch', 'none')),
    steps   TEXT NOT NULL CHECK (length(steps) > 2),
    set_by  INTEGER NOT NULL REFERENCES staff(id),
    set_at  TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;
CREATE TRIGGER contract_chain_no_delete BEFORE DELETE ON contract_chain
BEGIN SELECT RAISE(ABORT, 'an approval chain is replaced, never deleted'); END;
CREATE TRIGGER contract_chain_created AFTER INSERT ON contract_chain
BEGIN
    INSERT INTO history (entity, entity_id, action, field, new_value, changed_by, changed_at)
    VALUES ('contract_chain', new.tier, 'create', 'steps', new.steps, new.set_by, new.set_at);
END;
CREATE TRIGGER contract_chain_updated AFTER UPDATE ON contract_chain
WHEN old.steps IS NOT new.steps
BEGIN
    INSERT INTO history (entity, entity_id, action, field, old_value, new_value, changed_by, changed_at)
    VALUES ('contract_chain', new.tier, 'update', 'steps', old.steps, new.steps, new.set_by, new.set_at);
END;

CREATE TABLE contract (
    id              INTEGER PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE CHECK (length(trim(number)) > 0),
    customer_id     TEXT NOT NULL REFERENCES customer(id),
    kind            TEXT NOT NULL CHECK (kind IN ('contract', 'agreement', 'framework')),
    -- 接入局: the customer's unit or a unit above it (the city bureau that
    -- first registered the customer).
    access_bureau   INTEGER NOT NULL REFERENCES org_unit(id),
    signing_body    TEXT NOT NULL DEFAULT '',
    tier            TEXT NOT NULL CHECK (tier IN ('diamond', 'platinum', 'gold', 'silver', 'vip', 'general',
                                                  'district', 'company', 'branch', 'none')),
    -- Service line ids, comma-separated, in the order chosen.
    service_lines   TEXT NOT NULL DEFAULT '',
    price_terms     TEXT NOT NULL DEFAULT '',
    discount_terms  TEXT NOT NULL DEFAULT '',
    -- SPEC §12 gives no terms: free text.
    term_length     TEXT NOT NULL DEFAULT '',
    renewal         TEXT NOT NULL DEFAULT '',
    payment         TEXT NOT NULL DEFAULT '',
    penalties       TEXT NOT NULL DEFAULT '',
    value           INTEGER CHECK (value IS NULL OR value >= 0),
    start_on        TEXT,
    end_on          TEXT,
    status          TEXT NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'in_approval', 'signed', 'filed', 'ended')),
    -- How many times it was submitted; the step waited on in this round
    -- (NULL: not in approval, or every step approved).
    round           INTEGER NOT NULL DEFAULT 0 CHECK (round >= 0),
    current_step    INTEGER CHECK (current_step IS NULL OR current_step >= 1),
    -- The last refusal's reason, while it is back in draft.
    refusal         TEXT,
    signed_on       TEXT,
    filed_on        TEXT,
    ended_on        TEXT,
    end_reason      TEXT,
    version         INTEGER NOT NULL DEFAULT 1,
    created_by      INTEGER NOT NULL REFERENCES staff(id),
    created_at      TEXT NOT NULL,
    updated_by      INTEGER NOT NULL REFERENCES staff(id),
    updated_at      TEXT NOT NULL,
    CHECK (end_on IS NULL OR start_on IS NULL OR end_on >= start_on),
    CHECK (status = 'in_approval' OR current_step IS NULL),
    CHECK (status IN ('draft', 'ended') OR round >= 1),
    CHECK (status NOT IN ('signed', 'filed') OR signed_on IS NOT NULL),
    CHECK (status <> 'filed' OR (filed_on IS NOT NULL AND tier IN ('diamond', 'platinum', 'district'))),
    CHECK (filed_on IS NULL OR (signed_on IS NOT NULL AND filed_on >= signed_on)),
    CHECK (status <> 'ended' OR ended_on IS NOT NULL)
);
CREATE INDEX contract_customer ON contract(customer_id, id);
-- Waiting for approval (Today) and in force by end date (ending soon).
CREATE INDEX contract_waiting ON contract(current_step) WHERE current_step IS NOT NULL;
CREATE INDEX contract_ending ON contract(end_on) WHERE status IN ('signed', 'filed');

CREATE TRIGGER contract_no_delete BEFORE DELETE ON contract
BEGIN SELECT RAISE(ABORT, 'contracts are ended, never deleted'); END;
CREATE TRIGGER contract_keeps_customer BEFORE UPDATE ON contract
WHEN old.customer_id IS NOT new.customer_id OR old.created_by IS NOT new.created_by
  OR old.created_at IS NOT new.created_at
BEGIN SELECT RAISE(ABORT, 'a contract keeps its customer'); END;
-- Its terms change only while it is a draft.
CREATE TRIGGER contract_terms_in_draft BEFORE UPDATE ON contract
WHEN old.status <> 'draft' AND (
     old.number IS NOT new.number OR old.kind IS NOT new.kind OR old.access_bureau IS NOT new.access_bureau
  OR old.signing_body IS NOT new.signing_body OR old.tier IS NOT new.tier
  OR old.service_lines IS NOT new.service_lines OR old.price_terms IS NOT new.price_terms
  OR old.discount_terms IS NOT new.discount_terms OR old.term_length IS NOT new.term_length
  OR old.renewal IS NOT new.renewal OR old.payment IS NOT new.payment OR old.penalties IS NOT new.penalties
  OR old.value IS NOT new.value OR old.start_on IS NOT new.start_on OR old.end_on IS NOT new.end_on)
BEGIN SELECT RAISE(ABORT, 'only a draft contract''s terms change'); END;
CREATE TRIGGER contract_ended_stays BEFORE UPDATE ON contract
WHEN old.status = 'ended'
BEGIN SELECT RAISE(ABORT, 'an ended contract does not change'); END;

CREATE TRIGGER contract_created AFTER INSERT ON contract
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, new_value, changed_by, changed_at)
    VALUES ('contract', new.id, new.customer_id, 'create', NULL, new.number, new.created_by, new.created_at);
END;
CREATE TRIGGER contract_updated AFTER UPDATE ON contract
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'contract', new.id, new.customer_id, 'update', f, nullif(o, ''), nullif(n, ''), new.updated_by,
           new.updated_at FROM (
        SELECT 'number' AS f, old.number AS o, new.number AS n
        UNION ALL SELECT 'kind', old.kind, new.kind
        UNION ALL SELECT 'access_bureau', old.access_bureau, new.access_bureau
        UNION ALL SELECT 'signing_body', old.signing_body, new.signing_body
        UNION ALL SELECT 'tier', old.tier, new.tier
        UNION ALL SELECT 'service_lines', old.service_lines, new.service_lines
        UNION ALL SELECT 'price_terms', old.price_terms, new.price_terms
        UNION ALL SELECT 'discount_terms', old.discount_terms, new.discount_terms
        UNION ALL SELECT 'term_length', old.term_length, new.term_length
        UNION ALL SELECT 'renewal', old.renewal, new.renewal
        UNION ALL SELECT 'payment', old.payment, new.payment
        UNION ALL SELECT 'penalties', old.penalties, new.penalties
        UNION ALL SELECT 'value', old.value, new.value
        UNION ALL SELECT 'start_on', old.start_on, new.start_on
        UNION ALL SELECT 'end_on', old.end_on, new.end_on
        UNION ALL SELECT 'status', old.status, new.status
        UNION ALL SELECT 'round', old.round, new.round
        UNION ALL SELECT 'refusal', old.refusal, new.refusal
        UNION ALL SELECT 'signed_on', old.signed_on, new.signed_on
        UNION ALL SELECT 'filed_on', old.filed_on, new.filed_on
        UNION ALL SELECT 'ended_on', old.ended_on, new.ended_on
        UNION ALL SELECT 'end_reason', old.end_reason, new.end_reason
    ) WHERE nullif(o, '') IS NOT nullif(n, '');
END;

-- Each round's chain, copied from the tier's chain when the contract is
-- submitted, and each step's decision: who, when, the opinion; on_behalf
-- when the access bureau recorded the answer of a body the database does not
-- hold. Decided once, never changed.
CREATE TABLE contract_step (
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    round       INTEGER NOT NULL CHECK (round >= 1),
    position    INTEGER NOT NULL CHECK (position >= 1),
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    role        TEXT NOT NULL CHECK (role IN ('supervisor', 'leader')),
    scope       TEXT NOT NULL CHECK (scope IN ('customer_unit', 'access_bureau', 'province', 'province_bureau')),
    outcome     TEXT CHECK (outcome IS NULL OR outcome IN ('approved', 'refused')),
    opinion     TEXT,
    decided_by  INTEGER REFERENCES staff(id),
    decided_at  TEXT,
    on_behalf   INTEGER NOT NULL DEFAULT 0 CHECK (on_behalf IN (0, 1)),
    PRIMARY KEY (contract_id, round, position),
    CHECK ((outcome IS NULL) = (decided_by IS NULL) AND (decided_by IS NULL) = (decided_at IS NULL)),
    CHECK (outcome IS NOT 'refused' OR length(trim(coalesce(opinion, ''))) > 0)
) WITHOUT ROWID;
CREATE TRIGGER contract_step_no_delete BEFORE DELETE ON contract_step
BEGIN SELECT RAISE(ABORT, 'approval steps are never deleted'); END;
CREATE TRIGGER contract_step_decided_once BEFORE UPDATE ON contract_step
WHEN old.outcome IS NOT NULL OR new.outcome IS NULL
  OR old.contract_id IS NOT new.contract_id OR old.round IS NOT new.round OR old.position IS NOT new.position
  OR old.name IS NOT new.name OR old.role IS NOT new.role OR old.scope IS NOT new.scope
BEGIN SELECT RAISE(ABORT, 'an approval step is decided once, never changed'); END;
CREATE TRIGGER contract_step_decided AFTER UPDATE ON contract_step
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'contract', new.contract_id, (SELECT customer_id FROM contract WHERE id = new.contract_id), 'update',
           f || ':' || new.round || ':' || new.position, NULL, n, new.decided_by, new.decided_at FROM (
        SELECT 'step' AS f, new.outcome || CASE WHEN new.on_behalf = 1 THEN '/on_behalf' ELSE '' END AS n
        UNION ALL SELECT 'opinion', nullif(new.opinion, '')
    ) WHERE n IS NOT NULL;
END;

-- The copies and where each went (SPEC §12: four copies to the province
-- bureau with a diamond contract, a photocopy filed with the province).
CREATE TABLE contract_copy (
    id          INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contract(id),
    kind        TEXT NOT NULL CHECK (kind IN ('original', 'counterpart', 'photocopy')),
    copies      INTEGER NOT NULL CHECK (copies >= 1),
    sent_to     TEXT NOT NULL CHECK (length(trim(sent_to)) > 0),
    sent_on     TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER NOT NULL REFERENCES staff(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX contract_copy_contract ON contract_copy(contract_id, id);
CREATE TRIGGER contract_copy_no_update BEFORE UPDATE ON contract_copy
BEGIN SELECT RAISE(ABORT, 'a copy sent is recorded once: record a correction as another copy'); END;
CREATE TRIGGER contract_copy_no_delete BEFORE DELETE ON contract_copy
BEGIN SELECT RAISE(ABORT, 'copies sent are never deleted'); END;
CREATE TRIGGER contract_copy_created AFTER INSERT ON contract_copy
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, new_value, changed_by, changed_at)
    SELECT 'contract_copy', new.id, (SELECT customer_id FROM contract WHERE id = new.contract_id), 'create', f, n,
           new.recorded_by, new.recorded_at FROM (
        SELECT 'contract_id' AS f, new.contract_id AS n
        UNION ALL SELECT 'kind', new.kind
        UNION ALL SELECT 'copies', new.copies
        UNION ALL SELECT 'sent_to', new.sent_to
        UNION ALL SELECT 'sent_on', new.sent_on
        UNION ALL SELECT 'note', nullif(new.note, '')
    ) WHERE n IS NOT NULL;
END;

-- The marketing log's "agreement / contract" stage (SPEC §6) names the
-- contract it reached: only an agreement-stage entry, only a contract of
-- the entry's own customer.
ALTER TABLE marketing_log ADD COLUMN contract_id INTEGER REFERENCES contract(id);
CREATE INDEX marketing_log_contract ON marketing_log(contract_id) WHERE contract_id IS NOT NULL;
CREATE TRIGGER marketing_log_contract_insert BEFORE INSERT ON marketing_log
WHEN new.contract_id IS NOT NULL AND (new.stage <> 'agreement'
     OR new.customer_id IS NOT (SELECT customer_id FROM contract WHERE id = new.contract_id))
BEGIN SELECT RAISE(ABORT, 'only an agreement-stage entry names a contract, of its own customer'); END;
CREATE TRIGGER marketing_log_contract_update BEFORE UPDATE ON marketing_log
WHEN new.contract_id IS NOT NULL AND (new.stage <> 'agreement'
     OR new.customer_id IS NOT (SELECT customer_id FROM contract WHERE id = new.contract_id))
BEGIN SELECT RAISE(ABORT, 'only an agreement-stage entry names a contract, of its own customer'); END;

DROP TRIGGER marketing_log_updated;
CREATE TRIGGER marketing_log_updated AFTER UPDATE ON marketing_log
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'marketing_log', new.id, new.customer_id, 'update', f, nullif(o, ''), nullif(n, ''), new.updated_by, new.updated_at FROM (
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
        UNION ALL SELECT 'contract_id', old.contract_id, new.contract_id
    ) WHERE nullif(o, '') IS NOT nullif(n, '');
END;

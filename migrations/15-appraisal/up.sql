-- Issue 17: account-manager appraisal and pay (营销人员绩效考核, SPEC §10) in
-- storage: the bureau's dated rules, each manager's dated terms, what only
-- people know (entries with a reason each), revenue not yet collected
-- (receivables), a unit's month end and the frozen result of each manager's
-- month. Money is INTEGER fen, months yyyymm integers, as in the ledger.
-- Every write names its writer and time; every table keeps its history;
-- nothing is deleted ("deleting" an entry archives it).

-- 考核办法: one dated version of the rules a month (the JSON of
-- domain::appraisal::settings::AppraisalSettings). Written once, never
-- changed: a change is a new version from a later month.
CREATE TABLE appraisal_rules (
    id             INTEGER PRIMARY KEY,
    effective_from INTEGER NOT NULL UNIQUE
                   CHECK (effective_from BETWEEN 190001 AND 999912 AND effective_from % 100 BETWEEN 1 AND 12),
    rules          TEXT NOT NULL CHECK (length(rules) > 0),
    set_by         INTEGER NOT NULL REFERENCES staff(id),
    set_at         TEXT NOT NULL
);
CREATE TRIGGER appraisal_rules_no_update BEFORE UPDATE ON appraisal_rules
BEGIN SELECT RAISE(ABORT, 'appraisal rules are never changed: set a new version from a later month'); END;
CREATE TRIGGER appraisal_rules_no_delete BEFORE DELETE ON appraisal_rules
BEGIN SELECT RAISE(ABORT, 'appraisal rules are never deleted'); END;
CREATE TRIGGER appraisal_rules_created AFTER INSERT ON appraisal_rules
BEGIN
    INSERT INTO history (entity, entity_id, action, field, new_value, changed_by, changed_at)
    SELECT 'appraisal_rules', new.id, 'create', f, n, new.set_by, new.set_at FROM (
        SELECT 'effective_from' AS f, new.effective_from AS n
        UNION ALL SELECT 'rules', new.rules
    );
END;

-- A manager's terms from a month on: the fixed-performance base (固定绩效基数),
-- the month's task (当月任务) and the achievement item's monthly standard
-- (月度标准). The terms of a month are the latest version not after it.
CREATE TABLE appraisal_terms (
    staff_id         INTEGER NOT NULL REFERENCES staff(id),
    effective_from   INTEGER NOT NULL
                     CHECK (effective_from BETWEEN 190001 AND 999912 AND effective_from % 100 BETWEEN 1 AND 12),
    fixed_base       INTEGER NOT NULL CHECK (fixed_base >= 0),
    task             INTEGER NOT NULL CHECK (task >= 0),
    monthly_standard INTEGER NOT NULL CHECK (monthly_standard >= 0),
    -- The post paid (SPEC §10.1, §10.5): an account manager, a team leader
    -- (paid on the team of their unit and the units below, at the accrual
    -- ratio), or a planner (the planner sheet and collected project revenue).
    post             TEXT NOT NULL DEFAULT 'account-manager'
                     CHECK (post IN ('account-manager', 'team-leader', 'planner')),
    accrual_ratio    TEXT NOT NULL DEFAULT '0',
    set_by           INTEGER NOT NULL REFERENCES staff(id),
    set_at           TEXT NOT NULL,
    PRIMARY KEY (staff_id, effective_from)
) WITHOUT ROWID;
CREATE TRIGGER appraisal_terms_no_delete BEFORE DELETE ON appraisal_terms
BEGIN SELECT RAISE(ABORT, 'appraisal terms are never deleted'); END;
CREATE TRIGGER appraisal_terms_keeps_place BEFORE UPDATE ON appraisal_terms
WHEN old.staff_id IS NOT new.staff_id OR old.effective_from IS NOT new.effective_from
BEGIN SELECT RAISE(ABORT, 'appraisal terms keep their account manager and month'); END;
CREATE TRIGGER appraisal_terms_created AFTER INSERT ON appraisal_terms
BEGIN
    INSERT INTO history (entity, entity_id, action, field, new_value, changed_by, changed_at)
    SELECT 'appraisal_terms', new.staff_id || '/' || new.effective_from, 'create', f, n, new.set_by, new.set_at FROM (
        SELECT 'fixed_base' AS f, new.fixed_base AS n
        UNION ALL SELECT 'task', new.task
        UNION ALL SELECT 'monthly_standard', new.monthly_standard
        UNION ALL SELECT 'post', new.post
        UNION ALL SELECT 'accrual_ratio', new.accrual_ratio
    );
END;
CREATE TRIGGER appraisal_terms_updated AFTER UPDATE ON appraisal_terms
BEGIN
    INSERT INTO history (entity, entity_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'appraisal_terms', new.staff_id || '/' || new.effective_from, 'update', f, o, n, new.set_by, new.set_at
    FROM (
        SELECT 'fixed_base' AS f, old.fixed_base AS o, new.fixed_base AS n
        UNION ALL SELECT 'task', old.task, new.task
        UNION ALL SELECT 'monthly_standard', old.monthly_standard, new.monthly_standard
        UNION ALL SELECT 'post', old.post, new.post
        UNION ALL SELECT 'accrual_ratio', old.accrual_ratio, new.accrual_ratio
    ) WHERE o IS NOT n;
END;

-- A unit's month end (月末考核): closed, or reopened with a reason. While a
-- unit's month is closed its managers' entries of that month and their
-- frozen sheets do not change.
CREATE TABLE appraisal_close (
    unit_id    INTEGER NOT NULL REFERENCES org_unit(id),
    month      INTEGER NOT NULL CHECK (month BETWEEN 190001 AND 999912 AND month % 100 BETWEEN 1 AND 12),
    status     TEXT NOT NULL CHECK (status IN ('closed', 'open')),
    decided_by INTEGER NOT NULL REFERENCES staff(id),
    decided_at TEXT NOT NULL,
    reason     TEXT,
    version    INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (unit_id, month),
    CHECK (status = 'closed' OR length(trim(coalesce(reason, ''))) > 0)
) WITHOUT ROWID;
CREATE TRIGGER appraisal_close_no_delete BEFORE DELETE ON appraisal_close
BEGIN SELECT RAISE(ABORT, 'a month end is reopened, never deleted'); END;
CREATE TRIGGER appraisal_close_keeps_place BEFORE UPDATE ON appraisal_close
WHEN old.unit_id IS NOT new.unit_id OR old.month IS NOT new.month
BEGIN SELECT RAISE(ABORT, 'a month end keeps its unit and month'); END;
CREATE TRIGGER appraisal_close_created AFTER INSERT ON appraisal_close
BEGIN
    INSERT INTO history (entity, entity_id, action, field, new_value, changed_by, changed_at)
    SELECT 'appraisal_close', new.unit_id || '/' || new.month, 'create', f, n, new.decided_by, new.decided_at FROM (
        SELECT 'status' AS f, new.status AS n
        UNION ALL SELECT 'reason', nullif(new.reason, '')
    ) WHERE n IS NOT NULL;
END;
CREATE TRIGGER appraisal_close_updated AFTER UPDATE ON appraisal_close
BEGIN
    INSERT INTO history (entity, entity_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'appraisal_close', new.unit_id || '/' || new.month, 'update', f, o, n, new.decided_by, new.decided_at
    FROM (
        SELECT 'status' AS f, old.status AS o, new.status AS n
        UNION ALL SELECT 'reason', nullif(old.reason, ''), nullif(new.reason, '')
    ) WHERE o IS NOT n;
END;

-- The frozen result of one manager's month (the appraisal layer's JSON,
-- opaque here), written when the unit's month is closed and replaced when it
-- is closed again (the history keeps the old one).
CREATE TABLE appraisal_sheet (
    month     INTEGER NOT NULL CHECK (month BETWEEN 190001 AND 999912 AND month % 100 BETWEEN 1 AND 12),
    staff_id  INTEGER NOT NULL REFERENCES staff(id),
    unit_id   INTEGER NOT NULL REFERENCES org_unit(id),
    result    TEXT NOT NULL CHECK (length(result) > 0),
    frozen_by INTEGER NOT NULL REFERENCES staff(id),
    frozen_at TEXT NOT NULL,
    PRIMARY KEY (month, staff_id)
) WITHOUT ROWID;
CREATE INDEX appraisal_sheet_unit ON appraisal_sheet(unit_id, month);
CREATE TRIGGER appraisal_sheet_no_delete BEFORE DELETE ON appraisal_sheet
BEGIN SELECT RAISE(ABORT, 'frozen sheets are never deleted'); END;
CREATE TRIGGER appraisal_sheet_keeps_place BEFORE UPDATE ON appraisal_sheet
WHEN old.month IS NOT new.month OR old.staff_id IS NOT new.staff_id
BEGIN SELECT RAISE(ABORT, 'a frozen sheet keeps its month and account manager'); END;
CREATE TRIGGER appraisal_sheet_frozen_insert BEFORE INSERT ON appraisal_sheet
WHEN EXISTS (SELECT 1 FROM appraisal_close c WHERE c.unit_id = new.unit_id AND c.month = new.month
             AND c.status = 'closed')
BEGIN SELECT RAISE(ABORT, 'the month is closed: its sheets change only after it is reopened'); END;
CREATE TRIGGER appraisal_sheet_frozen_update BEFORE UPDATE ON appraisal_sheet
WHEN EXISTS (SELECT 1 FROM appraisal_close c WHERE c.month = old.month AND c.status = 'closed'
             AND c.unit_id IN (old.unit_id, new.unit_id))
BEGIN SELECT RAISE(ABORT, 'the month is closed: its sheets change only after it is reopened'); END;
CREATE TRIGGER appraisal_sheet_created AFTER INSERT ON appraisal_sheet
BEGIN
    INSERT INTO history (entity, entity_id, action, field, new_value, changed_by, changed_at)
    SELECT 'appraisal_sheet', new.month || '/' || new.staff_id, 'create', f, n, new.frozen_by, new.frozen_at FROM (
        SELECT 'unit_id' AS f, new.unit_id AS n
        UNION ALL SELECT 'result', new.result
    );
END;
CREATE TRIGGER appraisal_sheet_updated AFTER UPDATE ON appraisal_sheet
BEGIN
    INSERT INTO history (entity, entity_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'appraisal_sheet', new.month || '/' || new.staff_id, 'update', f, o, n, new.frozen_by, new.frozen_at
    FROM (
        SELECT 'unit_id' AS f, old.unit_id AS o, new.unit_id AS n
        UNION ALL SELECT 'result', old.result, new.result
    ) WHERE o IS NOT n;
END;

-- What only people know of a manager's month (晨会, 培训, ranks, violations,
-- bonuses, missing plans, discipline), each with its reason. `count`: how
-- many times, or for a rank the rank (1, 2, or 3 = lower); `points`: the
-- points given for a lower rank, or a bonus-other's points (decimal text).
-- Never changed: archived (and entered anew) instead; one live rank per item.
CREATE TABLE appraisal_entry (
    id          INTEGER PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    month       INTEGER NOT NULL CHECK (month BETWEEN 190001 AND 999912 AND month % 100 BETWEEN 1 AND 12),
    kind        TEXT NOT NULL CHECK (kind IN ('meeting-absence', 'meeting-late', 'training-absence',
                    'training-late', 'failed-exam', 'behaviour-rank', 'leader-tasks-rank', 'violation-buying-pieces',
                    'violation-prohibited-items', 'violation-leaking-data', 'violation-grabbing-customer', 'violation-justified-complaint',
                    'bonus-city-case', 'bonus-province-case', 'bonus-other', 'missing-plan', 'discipline',
                    'planner-written-plan', 'planner-results', 'planner-attendance', 'planner-responsibility', 'planner-teamwork', 'planner-innovation', 'planner-initiative', 'planner-case', 'planned-project')),
    count       INTEGER NOT NULL CHECK (count >= 0),
    points      TEXT,
    -- A planned project's revenue collected in the month (fen).
    amount      INTEGER CHECK (amount IS NULL OR amount >= 0),
    reason      TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    entered_by  INTEGER NOT NULL REFERENCES staff(id),
    entered_at  TEXT NOT NULL,
    archived_by INTEGER REFERENCES staff(id),
    archived_at TEXT,
    CHECK ((archived_by IS NULL) = (archived_at IS NULL)),
    CHECK (kind NOT IN ('behaviour-rank', 'leader-tasks-rank') OR count BETWEEN 1 AND 3)
);
CREATE INDEX appraisal_entry_staff ON appraisal_entry(staff_id, month);
CREATE UNIQUE INDEX appraisal_entry_one_rank ON appraisal_entry(staff_id, month, kind)
WHERE archived_at IS NULL AND kind IN ('behaviour-rank', 'leader-tasks-rank');
CREATE TRIGGER appraisal_entry_no_delete BEFORE DELETE ON appraisal_entry
BEGIN SELECT RAISE(ABORT, 'appraisal entries are archived, never deleted'); END;
CREATE TRIGGER appraisal_entry_only_archived BEFORE UPDATE ON appraisal_entry
WHEN old.archived_at IS NOT NULL OR new.archived_at IS NULL
  OR old.staff_id IS NOT new.staff_id OR old.month IS NOT new.month OR old.kind IS NOT new.kind
  OR old.count IS NOT new.count OR old.points IS NOT new.points OR old.reason IS NOT new.reason
  OR old.amount IS NOT new.amount
  OR old.entered_by IS NOT new.entered_by OR old.entered_at IS NOT new.entered_at
BEGIN SELECT RAISE(ABORT, 'an appraisal entry is archived once, never changed'); END;
-- The month is closed for a manager when their unit's month is, or the unit
-- whose closing froze their sheet of the month has it closed.
CREATE TRIGGER appraisal_entry_month_open BEFORE INSERT ON appraisal_entry
WHEN EXISTS (SELECT 1 FROM appraisal_close c WHERE c.month = new.month AND c.status = 'closed'
             AND (c.unit_id = (SELECT unit_id FROM staff WHERE id = new.staff_id)
                  OR c.unit_id = (SELECT unit_id FROM appraisal_sheet s
                                  WHERE s.month = new.month AND s.staff_id = new.staff_id)))
BEGIN SELECT RAISE(ABORT, 'the month is closed for this account manager: reopen it first'); END;
CREATE TRIGGER appraisal_entry_month_open_archive BEFORE UPDATE ON appraisal_entry
WHEN EXISTS (SELECT 1 FROM appraisal_close c WHERE c.month = old.month AND c.status = 'closed'
             AND (c.unit_id = (SELECT unit_id FROM staff WHERE id = old.staff_id)
                  OR c.unit_id = (SELECT unit_id FROM appraisal_sheet s
                                  WHERE s.month = old.month AND s.staff_id = old.staff_id)))
BEGIN SELECT RAISE(ABORT, 'the month is closed for this account manager: reopen it first'); END;
CREATE TRIGGER appraisal_entry_created AFTER INSERT ON appraisal_entry
BEGIN
    INSERT INTO history (entity, entity_id, action, field, new_value, changed_by, changed_at)
    SELECT 'appraisal_entry', new.id, 'create', f, n, new.entered_by, new.entered_at FROM (
        SELECT 'staff_id' AS f, new.staff_id AS n
        UNION ALL SELECT 'month', new.month
        UNION ALL SELECT 'kind', new.kind
        UNION ALL SELECT 'count', new.count
        UNION ALL SELECT 'points', new.points
        UNION ALL SELECT 'amount', new.amount
        UNION ALL SELECT 'reason', new.reason
    ) WHERE n IS NOT NULL;
END;
CREATE TRIGGER appraisal_entry_archived AFTER UPDATE ON appraisal_entry
BEGIN
    INSERT INTO history (entity, entity_id, action, field, old_value, new_value, changed_by, changed_at)
    VALUES ('appraisal_entry', new.id, 'update', 'archived', '0', '1', new.archived_by, new.archived_at);
END;

-- Revenue not yet collected (应收未收): what of a customer's month and line
-- is still owed, and when it was paid. Late money (逾期核减) reads it.
CREATE TABLE receivable (
    customer_id     TEXT NOT NULL REFERENCES customer(id),
    month           INTEGER NOT NULL CHECK (month BETWEEN 190001 AND 999912 AND month % 100 BETWEEN 1 AND 12),
    service_line_id INTEGER NOT NULL REFERENCES service_line(id),
    unpaid          INTEGER NOT NULL CHECK (unpaid >= 0),
    paid_on         TEXT,
    recorded_by     INTEGER NOT NULL REFERENCES staff(id),
    recorded_at     TEXT NOT NULL,
    updated_by      INTEGER NOT NULL REFERENCES staff(id),
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (customer_id, month, service_line_id)
) WITHOUT ROWID;
-- A manager's debts: their customers (customer_owner), then the unpaid rows of each.
CREATE INDEX receivable_unpaid ON receivable(customer_id, month) WHERE unpaid > 0;
CREATE TRIGGER receivable_no_delete BEFORE DELETE ON receivable
BEGIN SELECT RAISE(ABORT, 'receivables are never deleted; set the unpaid amount to 0'); END;
CREATE TRIGGER receivable_keeps_place BEFORE UPDATE ON receivable
WHEN old.customer_id IS NOT new.customer_id OR old.month IS NOT new.month
  OR old.service_line_id IS NOT new.service_line_id
  OR old.recorded_by IS NOT new.recorded_by OR old.recorded_at IS NOT new.recorded_at
BEGIN SELECT RAISE(ABORT, 'a receivable keeps its customer, month and service line'); END;
CREATE TRIGGER receivable_created AFTER INSERT ON receivable
BEGIN
    INSERT INTO history (entity, entity_id, action, field, new_value, changed_by, changed_at)
    SELECT 'receivable', new.customer_id || '/' || new.month || '/' || new.service_line_id, 'create', f, n,
           new.recorded_by, new.recorded_at FROM (
        SELECT 'unpaid' AS f, new.unpaid AS n
        UNION ALL SELECT 'paid_on', new.paid_on
    ) WHERE n IS NOT NULL;
END;
CREATE TRIGGER receivable_updated AFTER UPDATE ON receivable
BEGIN
    INSERT INTO history (entity, entity_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'receivable', new.customer_id || '/' || new.month || '/' || new.service_line_id, 'update', f, o, n,
           new.updated_by, new.updated_at FROM (
        SELECT 'unpaid' AS f, old.unpaid AS o, new.unpaid AS n
        UNION ALL SELECT 'paid_on', old.paid_on, new.paid_on
    ) WHERE o IS NOT n;
END;

-- Issue 16: the monthly analysis report (经营分析报告, SPEC §13.4), one per
-- unit, kind and month (kind 'quarterly': the city centre's diamond and gold
-- analysis, on the quarter's last month).
--
-- The figures are kam's, read from the ledger while the report is a draft;
-- `figures` holds them (JSON, as the report shows them) only once submitted,
-- so a submitted report reads the same later. The parts people write are
-- text columns. A submitted report's text and figures never change; it is
-- reopened (status back to draft) by a supervisor of its unit or above, and
-- the next submission freezes the figures again (the history keeps the old).
CREATE TABLE analysis_report (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES org_unit(id),
    kind          TEXT NOT NULL DEFAULT 'monthly' CHECK (kind IN ('monthly', 'quarterly')),
    month         INTEGER NOT NULL CHECK (month BETWEEN 190001 AND 999912),
    status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
    reasons       TEXT NOT NULL DEFAULT '',
    competition   TEXT NOT NULL DEFAULT '',
    key_customers TEXT NOT NULL DEFAULT '',
    measures      TEXT NOT NULL DEFAULT '',
    plan          TEXT NOT NULL DEFAULT '',
    figures       TEXT,
    submitted_by  INTEGER REFERENCES staff(id),
    submitted_at  TEXT,
    created_by    INTEGER NOT NULL REFERENCES staff(id),
    created_at    TEXT NOT NULL,
    updated_by    INTEGER NOT NULL REFERENCES staff(id),
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (unit_id, kind, month),
    CHECK (status = 'draft' OR (figures IS NOT NULL AND submitted_by IS NOT NULL AND submitted_at IS NOT NULL))
);
CREATE INDEX analysis_report_month ON analysis_report(month, status);

CREATE TRIGGER analysis_report_no_delete BEFORE DELETE ON analysis_report
BEGIN SELECT RAISE(ABORT, 'reports are never deleted'); END;
CREATE TRIGGER analysis_report_keeps_place BEFORE UPDATE ON analysis_report
WHEN old.unit_id IS NOT new.unit_id OR old.kind IS NOT new.kind OR old.month IS NOT new.month
  OR old.created_by IS NOT new.created_by OR old.created_at IS NOT new.created_at
BEGIN SELECT RAISE(ABORT, 'a report keeps its unit, kind and month'); END;
CREATE TRIGGER analysis_report_submitted_stays BEFORE UPDATE ON analysis_report
WHEN old.status = 'submitted' AND new.status = 'submitted'
  AND (old.reasons IS NOT new.reasons OR old.competition IS NOT new.competition
       OR old.key_customers IS NOT new.key_customers OR old.measures IS NOT new.measures
       OR old.plan IS NOT new.plan OR old.figures IS NOT new.figures)
BEGIN SELECT RAISE(ABORT, 'a submitted report is reopened before it changes'); END;

CREATE TRIGGER analysis_report_created AFTER INSERT ON analysis_report
BEGIN
    INSERT INTO history (entity, entity_id, action, field, new_value, changed_by, changed_at)
    SELECT 'analysis_report', new.unit_id || '/' || new.kind || '/' || new.month, 'create', f, n,
           new.created_by, new.created_at FROM (
        SELECT 'status' AS f, new.status AS n
        UNION ALL SELECT 'reasons', nullif(new.reasons, '')
        UNION ALL SELECT 'competition', nullif(new.competition, '')
        UNION ALL SELECT 'key_customers', nullif(new.key_customers, '')
        UNION ALL SELECT 'measures', nullif(new.measures, '')
        UNION ALL SELECT 'plan', nullif(new.plan, '')
        UNION ALL SELECT 'figures', new.figures
    ) WHERE n IS NOT NULL;
END;
CREATE TRIGGER analysis_report_updated AFTER UPDATE ON analysis_report
BEGIN
    INSERT INTO history (entity, entity_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'analysis_report', new.unit_id || '/' || new.kind || '/' || new.month, 'update', f, o, n,
           new.updated_by, new.updated_at FROM (
        SELECT 'status' AS f, old.status AS o, new.status AS n
        UNION ALL SELECT 'reasons', nullif(old.reasons, ''), nullif(new.reasons, '')
        UNION ALL SELECT 'competition', nullif(old.competition, ''), nullif(new.competition, '')
        UNION ALL SELECT 'key_customers', nullif(old.key_customers, ''), nullif(new.key_customers, '')
        UNION ALL SELECT 'measures', nullif(old.measures, ''), nullif(new.measures, '')
        UNION ALL SELECT 'plan', nullif(old.plan, ''), nullif(new.plan, '')
        UNION ALL SELECT 'figures', old.figures, new.figures
    ) WHERE o IS NOT n;
END;

-- Issue 12: history recorded non-changes ("下一步: ∅ →" when a field stayed
-- empty): a planned visit's empty fields are NULL, the recorded outcome writes
-- '' for them, and `NULL IS NOT ''` is true. Every update trigger now treats
-- '' and NULL as the same "empty" and records only real changes, storing an
-- empty value as NULL.

DROP TRIGGER customer_updated;
CREATE TRIGGER customer_updated AFTER UPDATE ON customer
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'customer', new.id, new.id, 'update', f, nullif(o, ''), nullif(n, ''), new.updated_by, new.updated_at FROM (
        SELECT 'short_name' AS f, old.short_name AS o, new.short_name AS n
        UNION ALL SELECT 'full_name', old.full_name, new.full_name
        UNION ALL SELECT 'kind', old.kind, new.kind
        UNION ALL SELECT 'stage', old.stage, new.stage
        UNION ALL SELECT 'status', old.status, new.status
        UNION ALL SELECT 'registration', old.registration, new.registration
        UNION ALL SELECT 'industry_id', old.industry_id, new.industry_id
        UNION ALL SELECT 'unit_id', old.unit_id, new.unit_id
        UNION ALL SELECT 'owner_a', old.owner_a, new.owner_a
        UNION ALL SELECT 'owner_b', old.owner_b, new.owner_b
        UNION ALL SELECT 'annual_revenue', old.annual_revenue, new.annual_revenue
        UNION ALL SELECT 'monthly_payroll', old.monthly_payroll, new.monthly_payroll
        UNION ALL SELECT 'one_off', old.one_off, new.one_off
        UNION ALL SELECT 'tier', old.tier, new.tier
        UNION ALL SELECT 'tier_override', old.tier_override, new.tier_override
        UNION ALL SELECT 'tier_override_reason', old.tier_override_reason, new.tier_override_reason
        UNION ALL SELECT 'archived', old.archived, new.archived
    ) WHERE nullif(o, '') IS NOT nullif(n, '');
END;

DROP TRIGGER customer_profile_updated;
CREATE TRIGGER customer_profile_updated AFTER UPDATE ON customer_profile
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'customer', new.customer_id, new.customer_id, 'update', f, nullif(o, ''), nullif(n, ''), c.updated_by, c.updated_at
    FROM customer c, (
        SELECT 'address' AS f, old.address AS o, new.address AS n
        UNION ALL SELECT 'postal_code', old.postal_code, new.postal_code
        UNION ALL SELECT 'legal_rep', old.legal_rep, new.legal_rep
        UNION ALL SELECT 'contact_dept', old.contact_dept, new.contact_dept
        UNION ALL SELECT 'contact_name', old.contact_name, new.contact_name
        UNION ALL SELECT 'phone', old.phone, new.phone
        UNION ALL SELECT 'email', old.email, new.email
        UNION ALL SELECT 'fax', old.fax, new.fax
        UNION ALL SELECT 'scale', old.scale, new.scale
        UNION ALL SELECT 'business_scope', old.business_scope, new.business_scope
        UNION ALL SELECT 'main_products', old.main_products, new.main_products
        UNION ALL SELECT 'services_used', old.services_used, new.services_used
        UNION ALL SELECT 'postal_spending', old.postal_spending, new.postal_spending
        UNION ALL SELECT 'org_chart', old.org_chart, new.org_chart
        UNION ALL SELECT 'leaders', old.leaders, new.leaders
        UNION ALL SELECT 'registered_capital', old.registered_capital, new.registered_capital
        UNION ALL SELECT 'financial_situation', old.financial_situation, new.financial_situation
        UNION ALL SELECT 'business_plan', old.business_plan, new.business_plan
        UNION ALL SELECT 'employees', old.employees, new.employees
        UNION ALL SELECT 'potential', old.potential, new.potential
        UNION ALL SELECT 'strengths', old.strengths, new.strengths
        UNION ALL SELECT 'weaknesses', old.weaknesses, new.weaknesses
        UNION ALL SELECT 'credit', old.credit, new.credit
    ) WHERE c.id = new.customer_id AND nullif(o, '') IS NOT nullif(n, '');
END;

DROP TRIGGER key_person_updated;
CREATE TRIGGER key_person_updated AFTER UPDATE ON key_person
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'key_person', new.id, new.customer_id, 'update', f, nullif(o, ''), nullif(n, ''), new.updated_by, new.updated_at FROM (
        SELECT 'name' AS f, old.name AS o, new.name AS n
        UNION ALL SELECT 'title', old.title, new.title
        UNION ALL SELECT 'decision_role', old.decision_role, new.decision_role
        UNION ALL SELECT 'birthday', old.birthday, new.birthday
        UNION ALL SELECT 'ethnicity', old.ethnicity, new.ethnicity
        UNION ALL SELECT 'marital_status', old.marital_status, new.marital_status
        UNION ALL SELECT 'phone', old.phone, new.phone
        UNION ALL SELECT 'email', old.email, new.email
        UNION ALL SELECT 'family', old.family, new.family
        UNION ALL SELECT 'education', old.education, new.education
        UNION ALL SELECT 'interests', old.interests, new.interests
        UNION ALL SELECT 'taboos', old.taboos, new.taboos
        UNION ALL SELECT 'important_dates', old.important_dates, new.important_dates
        UNION ALL SELECT 'competitor_ties', old.competitor_ties, new.competitor_ties
        UNION ALL SELECT 'archived', old.archived, new.archived
    ) WHERE nullif(o, '') IS NOT nullif(n, '');
END;

DROP TRIGGER competitor_updated;
CREATE TRIGGER competitor_updated AFTER UPDATE ON competitor
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'competitor', new.id, new.customer_id, 'update', f, nullif(o, ''), nullif(n, ''), new.updated_by, new.updated_at FROM (
        SELECT 'name' AS f, old.name AS o, new.name AS n
        UNION ALL SELECT 'product_price', old.product_price, new.product_price
        UNION ALL SELECT 'volume', old.volume, new.volume
        UNION ALL SELECT 'market_share', old.market_share, new.market_share
        UNION ALL SELECT 'marketing_means', old.marketing_means, new.marketing_means
        UNION ALL SELECT 'personal_ties', old.personal_ties, new.personal_ties
        UNION ALL SELECT 'archived', old.archived, new.archived
    ) WHERE nullif(o, '') IS NOT nullif(n, '');
END;

DROP TRIGGER visit_updated;
CREATE TRIGGER visit_updated AFTER UPDATE ON visit
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'visit', new.id, new.customer_id, 'update', f, nullif(o, ''), nullif(n, ''), new.updated_by, new.updated_at FROM (
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
    ) WHERE nullif(o, '') IS NOT nullif(n, '');
END;

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
    ) WHERE nullif(o, '') IS NOT nullif(n, '');
END;

DROP TRIGGER complaint_updated;
CREATE TRIGGER complaint_updated AFTER UPDATE ON complaint
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'complaint', new.id, new.customer_id, 'update', f, nullif(o, ''), nullif(n, ''), new.updated_by, new.updated_at FROM (
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
    ) WHERE nullif(o, '') IS NOT nullif(n, '');
END;

DROP TRIGGER staff_updated;
CREATE TRIGGER staff_updated AFTER UPDATE ON staff
BEGIN
    INSERT INTO history (entity, entity_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'staff', new.id, 'update', f, nullif(o, ''), nullif(n, ''), coalesce(new.updated_by, new.id),
           coalesce(new.updated_at, strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')) FROM (
        SELECT 'login' AS f, old.login AS o, new.login AS n
        UNION ALL SELECT 'name', old.name, new.name
        UNION ALL SELECT 'unit_id', old.unit_id, new.unit_id
        UNION ALL SELECT 'role', old.role, new.role
        UNION ALL SELECT 'grade', old.grade, new.grade
        UNION ALL SELECT 'phone', old.phone, new.phone
        UNION ALL SELECT 'status', old.status, new.status
    ) WHERE nullif(o, '') IS NOT nullif(n, '');
END;

-- A decision rewritten to itself is not a decision.
DROP TRIGGER registration_decided;
CREATE TRIGGER registration_decided AFTER UPDATE OF decision ON registration
WHEN old.decision IS NOT new.decision
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    VALUES ('registration', new.id, new.customer_id, 'update', 'decision', old.decision, new.decision,
            new.decided_by, new.decided_at);
END;

-- Issue 12: the satisfaction given and the result reached belong to each step
-- of a complaint's timeline, not only to the complaint (a reopen clears its
-- satisfaction), so that a close over the customer's dissatisfaction never
-- reads like a satisfied one.
ALTER TABLE complaint_event ADD COLUMN satisfaction TEXT
    CHECK (satisfaction IS NULL OR satisfaction IN ('satisfied','basically_satisfied','unsatisfied'));
ALTER TABLE complaint_event ADD COLUMN result TEXT;
-- Steps recorded before this: the complaint's satisfaction is that of its
-- confirmation (and close) since the last reopen, its result that of its last
-- resolution; earlier rounds stay unknown. The timeline is append-only, so its
-- guard steps aside for this one fill and comes straight back.
DROP TRIGGER complaint_event_append_only;
UPDATE complaint_event
SET satisfaction = (SELECT k.satisfaction FROM complaint k WHERE k.id = complaint_event.complaint_id)
WHERE kind IN ('confirm', 'close') AND NOT EXISTS (
    SELECT 1 FROM complaint_event r
    WHERE r.complaint_id = complaint_event.complaint_id AND r.kind = 'reopen' AND r.id > complaint_event.id);
UPDATE complaint_event
SET result = (SELECT nullif(k.result, '') FROM complaint k WHERE k.id = complaint_event.complaint_id)
WHERE kind = 'resolve' AND NOT EXISTS (
    SELECT 1 FROM complaint_event r
    WHERE r.complaint_id = complaint_event.complaint_id AND r.kind = 'resolve' AND r.id > complaint_event.id);
CREATE TRIGGER complaint_event_append_only BEFORE UPDATE ON complaint_event
BEGIN SELECT RAISE(ABORT, 'the complaint timeline is append-only'); END;

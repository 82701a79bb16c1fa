-- kam schema, version 1: reference data, customers and their dossier, history.
-- Money is stored as INTEGER fen (1/100 yuan) so that SQL sums stay exact.
-- Dates are ISO-8601 TEXT (YYYY-MM-DD), timestamps 'YYYY-MM-DD HH:MM:SS' local time.

CREATE TABLE org_unit (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('province','city','county','bureau','branch')),
    parent_id     INTEGER REFERENCES org_unit(id),
    division_code TEXT NOT NULL CHECK (length(division_code) = 6),
    archived      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX org_unit_parent ON org_unit(parent_id);

CREATE TABLE staff (
    id         INTEGER PRIMARY KEY,
    login      TEXT UNIQUE,
    name       TEXT NOT NULL,
    unit_id    INTEGER NOT NULL REFERENCES org_unit(id),
    role       TEXT NOT NULL CHECK (role IN ('manager','supervisor','admin','leader')),
    grade      TEXT,
    phone      TEXT,
    start_date TEXT,
    status     TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','leave','left'))
);
CREATE INDEX staff_unit ON staff(unit_id);

CREATE TABLE industry (
    id      INTEGER PRIMARY KEY,
    code    TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL
);

CREATE TABLE service_line (
    id       INTEGER PRIMARY KEY,
    code     TEXT NOT NULL UNIQUE,
    name_zh  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0
);

-- The four tier presets of SPEC §4; the rules themselves live in domain::tier.
CREATE TABLE tier_preset (
    code    TEXT PRIMARY KEY,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL
);
INSERT INTO tier_preset VALUES
    ('guangdong-score', '广东指导意见评分', 'Guangdong guideline score'),
    ('shantou',         '汕头分档评分',     'Shantou bracket score'),
    ('letter-bands',    '广东函件收入分档', 'Guangdong letter-mail revenue bands'),
    ('shibei',          '上海市北管理层级', 'Shanghai Shibei management levels');

INSERT INTO service_line (code, name_zh, name_en) VALUES
    ('letters',     '函件',       'Letters'),
    ('bill',        '帐单',       'Bill mail'),
    ('dm',          '商函',       'Commercial/DM mail'),
    ('express',     '特快/速递',  'Express'),
    ('parcels',     '包件',       'Parcels'),
    ('logistics',   '物流',       'Logistics'),
    ('press',       '报刊',       'Newspapers & periodicals'),
    ('philately',   '集邮',       'Philately'),
    ('savings',     '储汇',       'Savings & remittance'),
    ('agency',      '代理',       'Agency services');

CREATE TABLE customer (
    id                  TEXT PRIMARY KEY CHECK (length(id) = 14 AND id NOT GLOB '*[^0-9]*'),
    short_name          TEXT NOT NULL CHECK (short_name <> ''),
    full_name           TEXT NOT NULL CHECK (full_name <> ''),
    name_norm           TEXT NOT NULL,
    address_norm        TEXT NOT NULL DEFAULT '',
    kind                TEXT NOT NULL DEFAULT 'commercial' CHECK (kind IN ('commercial','policy')),
    stage               TEXT NOT NULL DEFAULT 'target'
                        CHECK (stage IN ('target','developing','signed','maintained','lost')),
    status              TEXT NOT NULL DEFAULT 'normal' CHECK (status IN ('normal','watch','warning','churned')),
    registration        TEXT NOT NULL DEFAULT 'pending' CHECK (registration IN ('pending','approved','rejected')),
    industry_id         INTEGER REFERENCES industry(id),
    unit_id             INTEGER NOT NULL REFERENCES org_unit(id),
    owner_a             INTEGER NOT NULL REFERENCES staff(id),
    owner_b             INTEGER REFERENCES staff(id),
    -- tier inputs until the revenue ledger exists (fen)
    annual_revenue      INTEGER, unit_revenue INTEGER, monthly_payroll INTEGER,
    -- tier, computed under the active preset and cached for sorting and filtering
    tier                TEXT NOT NULL DEFAULT 'general',
    tier_rank           INTEGER NOT NULL DEFAULT 5,
    tier_preset         TEXT NOT NULL DEFAULT 'guangdong-score' REFERENCES tier_preset(code),
    tier_override       TEXT,
    tier_override_reason TEXT,
    -- dossier freshness: the date of the last content update and when it falls due again
    dossier_updated_on  TEXT NOT NULL,
    update_due_on       TEXT NOT NULL,
    archived            INTEGER NOT NULL DEFAULT 0,
    version             INTEGER NOT NULL DEFAULT 1,
    created_by          INTEGER NOT NULL REFERENCES staff(id),
    created_at          TEXT NOT NULL,
    updated_by          INTEGER NOT NULL REFERENCES staff(id),
    updated_at          TEXT NOT NULL,
    CHECK (tier_override IS NULL OR tier_override_reason IS NOT NULL)
);
CREATE INDEX customer_id_live ON customer(archived, id);
CREATE INDEX customer_short_name ON customer(archived, short_name, id);
CREATE INDEX customer_tier ON customer(archived, tier_rank, id);
CREATE INDEX customer_status ON customer(archived, status, id);
CREATE INDEX customer_owner ON customer(archived, owner_a, id);
-- With the index above, "A or B is me" is answered from both indexes (an OR of two lookups).
CREATE INDEX customer_owner_b ON customer(archived, owner_b, id) WHERE owner_b IS NOT NULL;
CREATE INDEX customer_unit ON customer(archived, unit_id, id);
CREATE INDEX customer_industry ON customer(archived, industry_id, id);
CREATE INDEX customer_due ON customer(archived, update_due_on, id);
CREATE INDEX customer_registration ON customer(registration) WHERE registration = 'pending';
CREATE INDEX customer_name_norm ON customer(name_norm);
CREATE INDEX customer_address_norm ON customer(address_norm) WHERE address_norm <> '';

-- The descriptive part of the dossier (SPEC §3 groups 1 and 2), one row per customer.
-- Kept apart so that the customer rows that lists scan, sort and filter stay narrow.
CREATE TABLE customer_profile (
    customer_id         TEXT PRIMARY KEY REFERENCES customer(id),
    address             TEXT, postal_code TEXT, legal_rep TEXT, contact_dept TEXT, contact_name TEXT,
    phone               TEXT, email TEXT, fax TEXT, scale TEXT, business_scope TEXT, main_products TEXT,
    services_used       TEXT, postal_spending TEXT,
    org_chart           TEXT, leaders TEXT, registered_capital INTEGER, financial_situation TEXT,
    business_plan       TEXT, employees INTEGER, potential TEXT, strengths TEXT, weaknesses TEXT, credit TEXT
) WITHOUT ROWID;

-- Search keys (ID, names, their full pinyin and initials), kept narrow and apart from
-- the wide customer rows. The trigram index answers a substring of 3+ characters
-- from the index; shorter ones scan this small table, not the customers.
-- rowid = the customer's rowid.
CREATE VIRTUAL TABLE customer_search USING fts5(key, tokenize = 'trigram');

CREATE TABLE registration (
    id            INTEGER PRIMARY KEY,
    customer_id   TEXT NOT NULL REFERENCES customer(id),
    unit_id       INTEGER NOT NULL REFERENCES org_unit(id),
    owner_id      INTEGER NOT NULL REFERENCES staff(id),
    reason        TEXT NOT NULL,
    filed_by      INTEGER NOT NULL REFERENCES staff(id),
    filed_at      TEXT NOT NULL,
    decision      TEXT NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending','approved','rejected')),
    decided_by    INTEGER REFERENCES staff(id),
    decided_at    TEXT,
    decision_note TEXT
);
CREATE INDEX registration_customer ON registration(customer_id);

CREATE TABLE key_person (
    id              INTEGER PRIMARY KEY,
    customer_id     TEXT NOT NULL REFERENCES customer(id),
    name            TEXT NOT NULL CHECK (name <> ''),
    title           TEXT,
    decision_role   TEXT NOT NULL DEFAULT 'other' CHECK (decision_role IN ('decision_maker','handler','finance','other')),
    birthday        TEXT, ethnicity TEXT, marital_status TEXT, phone TEXT, email TEXT,
    family          TEXT, education TEXT, interests TEXT, taboos TEXT, important_dates TEXT,
    competitor_ties TEXT,
    archived        INTEGER NOT NULL DEFAULT 0,
    version         INTEGER NOT NULL DEFAULT 1,
    created_by      INTEGER NOT NULL REFERENCES staff(id),
    created_at      TEXT NOT NULL,
    updated_by      INTEGER NOT NULL REFERENCES staff(id),
    updated_at      TEXT NOT NULL
);
CREATE INDEX key_person_customer ON key_person(customer_id, archived);

CREATE TABLE competitor (
    id              INTEGER PRIMARY KEY,
    customer_id     TEXT NOT NULL REFERENCES customer(id),
    name            TEXT NOT NULL CHECK (name <> ''),
    product_price   TEXT, volume TEXT, market_share TEXT, marketing_means TEXT, personal_ties TEXT,
    archived        INTEGER NOT NULL DEFAULT 0,
    version         INTEGER NOT NULL DEFAULT 1,
    created_by      INTEGER NOT NULL REFERENCES staff(id),
    created_at      TEXT NOT NULL,
    updated_by      INTEGER NOT NULL REFERENCES staff(id),
    updated_at      TEXT NOT NULL
);
CREATE INDEX competitor_customer ON competitor(customer_id, archived);

-- Append-only change history. Rows are written by the triggers below, in the same
-- transaction as the change, and can be neither updated nor deleted.
CREATE TABLE history (
    id          INTEGER PRIMARY KEY,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    customer_id TEXT,
    action      TEXT NOT NULL CHECK (action IN ('create','update')),
    field       TEXT,
    old_value   TEXT,
    new_value   TEXT,
    changed_by  INTEGER NOT NULL,
    changed_at  TEXT NOT NULL
);
CREATE INDEX history_customer ON history(customer_id, id);
CREATE INDEX history_entity ON history(entity, entity_id, id);

CREATE TRIGGER history_no_update BEFORE UPDATE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER history_no_delete BEFORE DELETE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER customer_no_delete BEFORE DELETE ON customer
BEGIN SELECT RAISE(ABORT, 'customers are archived, never deleted'); END;
CREATE TRIGGER key_person_no_delete BEFORE DELETE ON key_person
BEGIN SELECT RAISE(ABORT, 'key persons are archived, never deleted'); END;
CREATE TRIGGER competitor_no_delete BEFORE DELETE ON competitor
BEGIN SELECT RAISE(ABORT, 'competitors are archived, never deleted'); END;

CREATE TRIGGER customer_created AFTER INSERT ON customer
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, changed_by, changed_at)
    VALUES ('customer', new.id, new.id, 'create', new.created_by, new.created_at);
END;
CREATE TRIGGER key_person_created AFTER INSERT ON key_person
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, new_value, changed_by, changed_at)
    VALUES ('key_person', new.id, new.customer_id, 'create', new.name, new.created_by, new.created_at);
END;
CREATE TRIGGER competitor_created AFTER INSERT ON competitor
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, new_value, changed_by, changed_at)
    VALUES ('competitor', new.id, new.customer_id, 'create', new.name, new.created_by, new.created_at);
END;

-- One history row per changed column. The author is the row's updated_by, which every
-- update sets, so the history names who made the change whichever program wrote it.
CREATE TRIGGER customer_updated AFTER UPDATE ON customer
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'customer', new.id, new.id, 'update', f, o, n, new.updated_by, new.updated_at FROM (
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
        UNION ALL SELECT 'unit_revenue', old.unit_revenue, new.unit_revenue
        UNION ALL SELECT 'monthly_payroll', old.monthly_payroll, new.monthly_payroll
        UNION ALL SELECT 'tier', old.tier, new.tier
        UNION ALL SELECT 'tier_override', old.tier_override, new.tier_override
        UNION ALL SELECT 'tier_override_reason', old.tier_override_reason, new.tier_override_reason
        UNION ALL SELECT 'archived', old.archived, new.archived
    ) WHERE o IS NOT n;
END;

-- Profile edits are stamped by the customer row, which every save updates first.
CREATE TRIGGER customer_profile_updated AFTER UPDATE ON customer_profile
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'customer', new.customer_id, new.customer_id, 'update', f, o, n, c.updated_by, c.updated_at
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
    ) WHERE c.id = new.customer_id AND o IS NOT n;
END;
CREATE TRIGGER customer_profile_no_delete BEFORE DELETE ON customer_profile
BEGIN SELECT RAISE(ABORT, 'customers are archived, never deleted'); END;

CREATE TRIGGER key_person_updated AFTER UPDATE ON key_person
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'key_person', new.id, new.customer_id, 'update', f, o, n, new.updated_by, new.updated_at FROM (
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
    ) WHERE o IS NOT n;
END;

CREATE TRIGGER competitor_updated AFTER UPDATE ON competitor
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'competitor', new.id, new.customer_id, 'update', f, o, n, new.updated_by, new.updated_at FROM (
        SELECT 'name' AS f, old.name AS o, new.name AS n
        UNION ALL SELECT 'product_price', old.product_price, new.product_price
        UNION ALL SELECT 'volume', old.volume, new.volume
        UNION ALL SELECT 'market_share', old.market_share, new.market_share
        UNION ALL SELECT 'marketing_means', old.marketing_means, new.marketing_means
        UNION ALL SELECT 'personal_ties', old.personal_ties, new.personal_ties
        UNION ALL SELECT 'archived', old.archived, new.archived
    ) WHERE o IS NOT n;
END;

CREATE TRIGGER registration_decided AFTER UPDATE OF decision ON registration
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    VALUES ('registration', new.id, new.customer_id, 'update', 'decision', old.decision, new.decision,
            new.decided_by, new.decided_at);
END;

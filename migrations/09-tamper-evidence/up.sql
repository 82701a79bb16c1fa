-- Tamper evidence (src/db/chain.rs): every history row is a link of a hash
-- chain. The link is SHA-256 over the previous link and the row, made by
-- kam_chain_link, a function only kam registers: another SQLite client
-- cannot write to an audited table without first dropping kam's triggers,
-- which `kam check` sees in the schema fingerprint. Links are written once.
-- The history already there is linked by the step's Rust part, in order.

-- Staff added before schema 4 have no history, so nothing says their role
-- was given inside kam: record each one's role as found at this upgrade.
INSERT INTO history (entity, entity_id, action, new_value, changed_by, changed_at)
SELECT 'staff', s.id, 'create', s.name || ' (' || s.role || ')', s.id, strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')
FROM staff s
WHERE NOT EXISTS (SELECT 1 FROM history h WHERE h.entity = 'staff' AND h.entity_id = CAST(s.id AS TEXT));

CREATE TABLE history_chain (
    history_id INTEGER PRIMARY KEY REFERENCES history(id),
    hash       BLOB NOT NULL CHECK (length(hash) = 32)
);

CREATE TRIGGER history_linked AFTER INSERT ON history
BEGIN
    INSERT INTO history_chain (history_id, hash)
    VALUES (new.id, kam_chain_link((SELECT hash FROM history_chain ORDER BY history_id DESC LIMIT 1),
                                   new.id, new.entity, new.entity_id, new.customer_id, new.action, new.field,
                                   new.old_value, new.new_value, new.changed_by, new.changed_at));
END;
CREATE TRIGGER history_chain_no_update BEFORE UPDATE ON history_chain
BEGIN SELECT RAISE(ABORT, 'history links are written once'); END;
CREATE TRIGGER history_chain_no_delete BEFORE DELETE ON history_chain
BEGIN SELECT RAISE(ABORT, 'history links are written once'); END;

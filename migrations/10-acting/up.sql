-- Who acted (src/identity.rs): on a real database only root and the owner of
-- the file may work as another staff member, and then every history row they
-- write says so. The row names the staff member the record is written as
-- (changed_by); history_acted names the system account that acted for them.
-- kam_acting() is the acting account of the connection (NULL for people
-- working as themselves), a function only kam registers. The chain link
-- covers the acting account after the row's own columns, so a note can be
-- neither removed nor added later; rows without one link as before.

CREATE TABLE history_acted (
    history_id INTEGER PRIMARY KEY REFERENCES history(id),
    acted_by   TEXT NOT NULL CHECK (length(acted_by) > 0)
);

CREATE TRIGGER history_acted_no_update BEFORE UPDATE ON history_acted
BEGIN SELECT RAISE(ABORT, 'history is never changed'); END;
CREATE TRIGGER history_acted_no_delete BEFORE DELETE ON history_acted
BEGIN SELECT RAISE(ABORT, 'history is never deleted'); END;

DROP TRIGGER history_linked;
CREATE TRIGGER history_linked AFTER INSERT ON history
BEGIN
    INSERT INTO history_chain (history_id, hash)
    VALUES (new.id, kam_chain_link((SELECT hash FROM history_chain ORDER BY history_id DESC LIMIT 1),
                                   new.id, new.entity, new.entity_id, new.customer_id, new.action, new.field,
                                   new.old_value, new.new_value, new.changed_by, new.changed_at, kam_acting()));
    INSERT INTO history_acted (history_id, acted_by)
    SELECT new.id, kam_acting() WHERE kam_acting() IS NOT NULL;
END;

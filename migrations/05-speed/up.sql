-- Schema 5: indexes for what Today and the calendar read at full scale
-- (a million visits). Nothing but indexes: no data changes.

-- Planned visits are a few thousand among a million done ones: overdue and
-- "what is still to do" read them by time without walking the done ones.
CREATE INDEX visit_open_by_time ON visit(planned_at) WHERE state = 'planned';


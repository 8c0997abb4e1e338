-- The log-wide chain: each event's log_hash covers the previous event's in commit order (its
-- cursor), so an application deleted together with all its events is found by `verify`, not
-- only a changed event inside one application's chain. Events written before this migration
-- have none; the chain starts at the first event after it.
ALTER TABLE application_events ADD COLUMN log_hash TEXT;

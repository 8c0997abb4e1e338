-- Sync cursor: taken from a counter row inside each writing transaction, so cursors are handed
-- out in commit order and a pull never skips an event committed late.
ALTER TABLE application_events ADD COLUMN cursor BIGINT NOT NULL DEFAULT 0;
CREATE INDEX application_events_by_cursor ON application_events (cursor);
INSERT INTO counters (name, value) VALUES ('event_cursor', 0);
CREATE INDEX applications_by_tracking_token ON applications (tracking_token_hash);

-- Deadline state kept by the background job: on_time, at_risk, overdue.
ALTER TABLE applications ADD COLUMN deadline_state TEXT NOT NULL DEFAULT 'on_time';

-- SMS delivery with retries and backoff.
ALTER TABLE sms_outbox ADD COLUMN next_attempt_at TEXT;
ALTER TABLE sms_outbox ADD COLUMN last_error TEXT;
CREATE INDEX sms_outbox_due ON sms_outbox (status, next_attempt_at);

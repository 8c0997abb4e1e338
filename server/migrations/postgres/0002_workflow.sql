-- Workflow facts the time guards need, kept on the projection beside the status.
ALTER TABLE applications ADD COLUMN result_made BIGINT NOT NULL DEFAULT 0;
ALTER TABLE applications ADD COLUMN hearing_at TEXT;
ALTER TABLE applications ADD COLUMN at_con_since TEXT;
CREATE INDEX applications_status ON applications (status, due_on);

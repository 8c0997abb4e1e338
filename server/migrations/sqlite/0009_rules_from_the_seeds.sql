-- Rules from the seeds (conformance audit 2026-12-01): where the result is collected, the
-- objection window of a hearing, the derived deadlines the job watches, and when a college
-- published the digital diploma.
ALTER TABLE applications ADD COLUMN collection_place TEXT NOT NULL DEFAULT 'con';
ALTER TABLE applications ADD COLUMN objection_until TEXT;
ALTER TABLE applications ADD COLUMN register_by TEXT;
ALTER TABLE applications ADD COLUMN review_by TEXT;
ALTER TABLE applications ADD COLUMN recall_by TEXT;
ALTER TABLE applications ADD COLUMN objection_by TEXT;
ALTER TABLE applications ADD COLUMN digital_published_at TEXT;

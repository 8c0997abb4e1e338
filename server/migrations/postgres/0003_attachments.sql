-- Uploaded files (API.md, POST /api/attachments), kept in the database beside the applications
-- that refer to them, so a backup of the database is a backup of everything. An attachment that
-- no application refers to is removed after 24 hours; created_at drives that clean-up.
CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    data BYTEA NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX attachments_by_created_at ON attachments (created_at);

-- Anonymous uploads counted per address and in total, so that nobody can fill the database with
-- files no application will ever refer to. Each upload is written before it is checked.
CREATE TABLE upload_quota (
    id TEXT PRIMARY KEY,
    ip TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX upload_quota_by_ip ON upload_quota (ip, at);
CREATE INDEX upload_quota_by_at ON upload_quota (at);

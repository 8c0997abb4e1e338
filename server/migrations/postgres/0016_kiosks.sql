-- Self-service kiosks in ЦОН halls: registered by an administrator, each with a device token
-- kept only as its SHA-256 (shown once when the kiosk is registered) and revocable. An
-- application sent from a kiosk records which one.
CREATE TABLE kiosks (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    branch TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    revoked_at TEXT
);

ALTER TABLE applications ADD COLUMN kiosk_id TEXT;

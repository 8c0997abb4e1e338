-- Tracking links sent by SMS: each message carries a fresh token of its own, stored only as its
-- SHA-256, so that the link opens the application without the device's tracking token (which is
-- stored hashed too and so cannot be put into a later message).
CREATE TABLE tracking_links (
    token_hash TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id),
    created_at TEXT NOT NULL
);
CREATE INDEX tracking_links_by_application ON tracking_links (application_id);

-- Failed look-ups by application number and tracking code, per address (rate limit).
CREATE TABLE track_failures (
    ip TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX track_failures_by_ip ON track_failures (ip, at);

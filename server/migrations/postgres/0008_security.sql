-- Demo accounts are marked, so that a database that once ran in demo mode refuses them
-- afterwards; administrators can disable an account.
ALTER TABLE staff ADD COLUMN demo BIGINT NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN disabled BIGINT NOT NULL DEFAULT 0;

-- Sessions end after an idle time as well as at their expiry.
ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;
CREATE INDEX sessions_by_staff ON sessions (staff_id);

-- An SMS code may be bound, when issued, to the SHA-256 of the answers it signs.
ALTER TABLE otp_codes ADD COLUMN content_hash TEXT;

-- Growing delays per (login, address): each attempt has an id, written before it is checked;
-- clean-up by age.
ALTER TABLE login_attempts ADD COLUMN id TEXT;
CREATE INDEX login_attempts_by_login_ip ON login_attempts (login, ip, at);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
CREATE INDEX sms_outbox_by_age ON sms_outbox (created_at);
CREATE INDEX otp_codes_by_age ON otp_codes (created_at);
CREATE INDEX track_failures_by_age ON track_failures (at);

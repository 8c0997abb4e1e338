-- Throttling data lives in the database so that every instance applies the same limits.
CREATE TABLE login_attempts (
    login TEXT NOT NULL,
    ip TEXT NOT NULL,
    at TEXT NOT NULL,
    success BIGINT NOT NULL
);
CREATE INDEX login_attempts_by_login ON login_attempts (login, at);
CREATE INDEX login_attempts_by_ip ON login_attempts (ip, at);
ALTER TABLE otp_codes ADD COLUMN ip TEXT NOT NULL DEFAULT '';
CREATE INDEX otp_codes_by_ip ON otp_codes (ip, created_at);

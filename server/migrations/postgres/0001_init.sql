-- Applications: the current-state projection, updated in the same transaction as each event.
CREATE TABLE applications (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    service TEXT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    applicant_iin TEXT NOT NULL,
    applicant_phone TEXT NOT NULL,
    institution TEXT NOT NULL,
    lang TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    registered_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    tracking_token_hash TEXT NOT NULL,
    request_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX applications_queue ON applications (due_on, id);
CREATE INDEX applications_institution ON applications (institution, due_on);

-- The append-only event log; each event's hash covers the previous one of its application.
CREATE TABLE application_events (
    seq BIGSERIAL PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id),
    at TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    actor_id TEXT,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX application_events_by_application ON application_events (application_id, seq);

CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status BIGINT NOT NULL,
    response TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (scope, key)
);

CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('application_number', 0);

CREATE TABLE staff (
    id TEXT PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    full_name TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE staff_institutions (
    staff_id TEXT NOT NULL REFERENCES staff (id),
    institution TEXT NOT NULL,
    PRIMARY KEY (staff_id, institution)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id TEXT NOT NULL REFERENCES staff (id),
    expires_at TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE otp_codes (
    id TEXT PRIMARY KEY,
    phone TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    used BIGINT NOT NULL,
    expires_at TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX otp_codes_by_phone ON otp_codes (phone, created_at);

CREATE TABLE sms_outbox (
    id TEXT PRIMARY KEY,
    phone TEXT NOT NULL,
    text TEXT NOT NULL,
    code TEXT,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX sms_outbox_by_phone ON sms_outbox (phone, created_at);

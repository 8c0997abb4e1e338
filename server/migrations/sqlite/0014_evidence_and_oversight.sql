-- The providers' registers of issued documents (the evidence behind a refusal on "unreliable
-- data"): one per institution, replaced whole by each import; values normalised as the
-- application form normalises them, so a match is an equality on the index.
CREATE TABLE graduate_register (
    institution TEXT NOT NULL,
    line INTEGER NOT NULL,
    last_name TEXT NOT NULL,
    first_name TEXT NOT NULL,
    patronymic TEXT NOT NULL,
    iin TEXT NOT NULL,
    series TEXT NOT NULL,
    number TEXT NOT NULL,
    registration_number TEXT NOT NULL,
    graduation_year INTEGER NOT NULL,
    specialty TEXT NOT NULL,
    PRIMARY KEY (institution, line)
);
CREATE INDEX graduate_register_by_iin ON graduate_register (institution, iin);
CREATE INDEX graduate_register_by_number ON graduate_register (institution, number);

-- The last import of each institution's register.
CREATE TABLE graduate_register_imports (
    institution TEXT PRIMARY KEY,
    records INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL
);

-- Each stage event reported to the state monitoring information system (003 item 64), queued in
-- the event's own transaction and sent by the job with retries and backoff, as SMS are.
CREATE TABLE monitoring_outbox (
    cursor INTEGER PRIMARY KEY,
    application_id TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TEXT,
    last_error TEXT,
    reported_at TEXT
);
CREATE INDEX monitoring_outbox_due ON monitoring_outbox (status, cursor);
CREATE INDEX monitoring_outbox_by_application ON monitoring_outbox (application_id);

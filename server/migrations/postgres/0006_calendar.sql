-- Amendments of the working-day calendar by administrators (a decree adds, moves or cancels a
-- day off), laid over the bundled data; the audit keeps every change with its decree.
CREATE TABLE calendar_amendments (
    date TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE TABLE calendar_audit (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    by_staff TEXT NOT NULL,
    date TEXT NOT NULL,
    old_kind TEXT,
    new_kind TEXT NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL
);
CREATE INDEX calendar_audit_by_date ON calendar_audit (date, at);

-- Intake at the counter (issue 17): a package refused at acceptance (003 item 52, Annex 4) is
-- never stored as an application, so the refusal is recorded here, with a number of its own
-- series, who refused it and when, the package as typed and what was missing or expired, so
-- that its receipt can be printed again and the refusal is accounted for.
CREATE TABLE acceptance_refusals (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    refused_at TEXT NOT NULL,
    by_staff TEXT NOT NULL,
    applicant_iin TEXT NOT NULL,
    package_json TEXT NOT NULL,
    presented TEXT NOT NULL,
    expired TEXT NOT NULL
);
CREATE INDEX acceptance_refusals_by_applicant ON acceptance_refusals (applicant_iin);
INSERT INTO counters (name, value) VALUES ('refusal_number', 0);

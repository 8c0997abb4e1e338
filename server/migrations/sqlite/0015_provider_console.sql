-- The provider's console (issue 15). The head of an office (set by the administrator) may release
-- an application a colleague holds and reads who opened whose personal data.
ALTER TABLE staff ADD COLUMN head INTEGER NOT NULL DEFAULT 0;

-- The staff member who took the application ("assigned to me"); NULL while nobody holds it.
ALTER TABLE applications ADD COLUMN assigned_to TEXT;

-- Every opening of an application's personal data by staff: who and when.
CREATE TABLE personal_data_access (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id TEXT NOT NULL,
    staff_id TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX personal_data_access_by_application ON personal_data_access (application_id, seq);

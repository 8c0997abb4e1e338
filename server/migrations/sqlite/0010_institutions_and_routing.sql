-- Institutions an administrator added or imported from the official register of education
-- organisations, laid over the bundled list (shared/data/institutions.csv) so that the next
-- person finds them; names as the register gives them, aliases `;`-separated.
CREATE TABLE added_institutions (
    code TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    region TEXT NOT NULL,
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    aliases TEXT NOT NULL,
    source TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

-- The name the issuer looks the graduate up by in its register of issued documents: as printed
-- on the original when it differs from the current one (a change of name), else the current one.
ALTER TABLE applications ADD COLUMN register_name TEXT NOT NULL DEFAULT '';

-- An application naming an institution not in the list waits for the region's education
-- authority to route it to its issuer: the region while it waits, NULL otherwise.
ALTER TABLE applications ADD COLUMN routing_region TEXT;
CREATE INDEX applications_routing ON applications (routing_region, due_on);

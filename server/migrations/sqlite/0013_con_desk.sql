-- The ЦОН desk (issue 17). An operator belongs to a ЦОН branch (department number and name),
-- printed on the receipts in place of the blank "№ ____".
ALTER TABLE staff ADD COLUMN branch_number TEXT;
ALTER TABLE staff ADD COLUMN branch_name TEXT;

-- A courier dispatch: the register printed for one provider, whose packages it moved to
-- in_transit (each also by a dispatch event). Packages accepted later wait for the next one.
CREATE TABLE courier_dispatches (
    id TEXT PRIMARY KEY,
    institution TEXT NOT NULL,
    branch_number TEXT,
    dispatched_at TEXT NOT NULL,
    by_staff TEXT NOT NULL
);
CREATE INDEX courier_dispatches_by_institution ON courier_dispatches (institution, dispatched_at);
ALTER TABLE applications ADD COLUMN dispatch_id TEXT;

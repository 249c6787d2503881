-- Erasure and retention (README "Retention and erasure"): the router sends which parts of which decisions to delete.
-- Each decision's keyed digests in the audit trail (rationales, corrections, step notes, comments, final outputs) take
-- its own random salt, kept only here; an erasure deletes it with the words, so the trail's digests no longer confirm
-- a guess. A salt is made with the first digest of the decision.
CREATE TABLE decision_salt (
    decision_id uuid PRIMARY KEY,
    salt        bytea NOT NULL
);
-- Erased decisions, so that a task the router asked for before the erasure but that arrives after it is stored
-- without the erased data (the two messages travel on separate queues).
CREATE TABLE erased_decision (
    decision_id uuid PRIMARY KEY,
    erased_at   timestamptz NOT NULL
);
ALTER TABLE task ADD COLUMN erased_at timestamptz;
ALTER TABLE task ALTER COLUMN output DROP NOT NULL;

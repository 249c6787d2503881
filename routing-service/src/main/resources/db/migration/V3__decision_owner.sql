-- The caller that created a decision (the token's subject): apps read only their own decisions, and an
-- idempotency key belongs to one caller, so two apps on one use case never receive each other's decisions.
ALTER TABLE decision ADD COLUMN owner text NOT NULL DEFAULT '';
ALTER TABLE decision DROP CONSTRAINT decision_idempotency;
ALTER TABLE decision ADD CONSTRAINT decision_idempotency UNIQUE (use_case, owner, idempotency_key);

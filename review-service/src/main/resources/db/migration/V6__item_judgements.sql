-- A task may judge an item of a frozen benchmark again (the router asks, with a judgement id): kind JUDGE_ITEM,
-- idempotent per (judgement, decision); its verdict goes back to the router as a judgement, not a decision outcome.
ALTER TABLE task DROP CONSTRAINT task_kind_check;
ALTER TABLE task ADD CONSTRAINT task_kind_check CHECK (kind IN ('REVIEW', 'ADJUDICATION', 'JUDGE_ITEM'));
ALTER TABLE task ADD COLUMN judgement_id uuid;
CREATE UNIQUE INDEX task_judgement ON task (judgement_id, decision_id) WHERE kind = 'JUDGE_ITEM';

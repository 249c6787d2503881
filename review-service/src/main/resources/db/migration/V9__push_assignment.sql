-- Push assignment: a task of a use case whose policy pushes work (ROUND_ROBIN or LEAST_LOADED) is offered to one
-- qualified reviewer at a time (assigned_to) until offer_expires_at; an offer not started by then goes to the next
-- one. An admin's or senior's assignment does not expire (offer_expires_at NULL). PULL: nobody is offered anything.
ALTER TABLE task ADD COLUMN assignment text NOT NULL DEFAULT 'PULL' CHECK (assignment IN ('PULL', 'ROUND_ROBIN', 'LEAST_LOADED'));
ALTER TABLE task ADD COLUMN offer_seconds integer NOT NULL DEFAULT 600 CHECK (offer_seconds >= 60);
ALTER TABLE task ADD COLUMN offer_expires_at timestamptz;
-- When each reviewer was last offered a task: round robin offers next to whoever waited longest.
ALTER TABLE reviewer ADD COLUMN last_offered_at timestamptz;
CREATE INDEX task_push ON task (created_at) WHERE status = 'OPEN' AND assignment <> 'PULL';

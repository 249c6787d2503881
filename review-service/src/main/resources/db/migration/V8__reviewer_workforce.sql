-- The reviewer workforce. A reviewer's profile: skills and languages (tags), qualifications valid until a day (with
-- the evidence an admin recorded), how many tasks they may hold at once, and whether they review at all. A task
-- carries what its decision requires of its reviewers; only a reviewer who has it on the day may claim the task.
ALTER TABLE reviewer ADD COLUMN skills text[] NOT NULL DEFAULT '{}';
ALTER TABLE reviewer ADD COLUMN languages text[] NOT NULL DEFAULT '{}';
ALTER TABLE reviewer ADD COLUMN max_open_leases integer CHECK (max_open_leases > 0);
ALTER TABLE reviewer ADD COLUMN active boolean NOT NULL DEFAULT true;
ALTER TABLE reviewer ADD COLUMN profiled boolean NOT NULL DEFAULT false;
ALTER TABLE reviewer ADD COLUMN updated_by text;

CREATE TABLE reviewer_qualification (
    reviewer    text NOT NULL REFERENCES reviewer (name),
    name        text NOT NULL,
    valid_until date NOT NULL,
    evidence    text,
    PRIMARY KEY (reviewer, name)
);

ALTER TABLE task ADD COLUMN required_skills text[] NOT NULL DEFAULT '{}';
ALTER TABLE task ADD COLUMN required_languages text[] NOT NULL DEFAULT '{}';
ALTER TABLE task ADD COLUMN required_qualifications text[] NOT NULL DEFAULT '{}';
-- A task assigned to one reviewer: only they may claim it, and it comes first in their claim-next.
ALTER TABLE task ADD COLUMN assigned_to text;
ALTER TABLE task ADD COLUMN assigned_at timestamptz;
CREATE INDEX task_assigned ON task (assigned_to) WHERE status = 'OPEN' AND assigned_to IS NOT NULL;

-- A thread per task for reviewers and seniors; an adjudication shares the thread of the task it settles (thread_id
-- is the first task's id). The text is a person's words: kept here, erasable, and only its digest is audited.
CREATE TABLE task_comment (
    id         bigserial PRIMARY KEY,
    thread_id  uuid NOT NULL REFERENCES task (id),
    task_id    uuid NOT NULL REFERENCES task (id),
    author     text NOT NULL,
    text       text,
    created_at timestamptz NOT NULL,
    erased_at  timestamptz
);
CREATE INDEX task_comment_thread ON task_comment (thread_id, id);

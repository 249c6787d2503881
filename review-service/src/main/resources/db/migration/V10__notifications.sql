-- Notifications by e-mail. A reviewer's address and whether they want mail (an opt-out) are part of their profile;
-- senior marks who is told when an adjudication opens. A use case's owners are told when an SLA step is reached.
-- Each mail is written here in the transaction of what it tells about and sent after it (lose nothing).
ALTER TABLE reviewer ADD COLUMN email text;
ALTER TABLE reviewer ADD COLUMN notify boolean NOT NULL DEFAULT true;
ALTER TABLE reviewer ADD COLUMN senior boolean NOT NULL DEFAULT false;

CREATE TABLE use_case_owner (
    use_case   text PRIMARY KEY,
    emails     text[] NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL
);

CREATE TABLE notification (
    id         bigserial PRIMARY KEY,
    recipient  text NOT NULL,
    subject    text NOT NULL,
    body       text NOT NULL,
    created_at timestamptz NOT NULL,
    sent_at    timestamptz,
    attempts   integer NOT NULL DEFAULT 0,
    last_error text
);
CREATE INDEX notification_pending ON notification (id) WHERE sent_at IS NULL;

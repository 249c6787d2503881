-- Each app's Standard Webhooks secrets (whsec_...). The newest one without expires_at is current; when an admin
-- rotates, the previous ones keep signing until expires_at (the grace period), so apps can switch without a gap.
CREATE TABLE webhook_secret (
    id         bigserial PRIMARY KEY,
    app        text NOT NULL CHECK (length(app) BETWEEN 1 AND 256),
    secret     text NOT NULL CHECK (secret LIKE 'whsec_%'),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL,
    expires_at timestamptz
);
CREATE INDEX webhook_secret_app ON webhook_secret (app, id);

-- The audit log: events with contiguous indexes from 0, their RFC 8785 canonical JSON and RFC 6962 leaf hash.
CREATE TABLE event (
    idx         bigint PRIMARY KEY CHECK (idx >= 0),
    event_id    uuid NOT NULL UNIQUE,
    type        text NOT NULL,
    occurred_at timestamptz NOT NULL,
    actor       text NOT NULL,
    subject_id  text NOT NULL,
    use_case    text,
    trace_id    text,
    decision_id uuid,
    canonical   text NOT NULL,
    leaf_hash   bytea NOT NULL CHECK (length(leaf_hash) = 32),
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX event_type ON event (type, idx);
CREATE INDEX event_subject ON event (subject_id, idx);
CREATE INDEX event_actor ON event (actor, idx);
CREATE INDEX event_use_case ON event (use_case, idx);
CREATE INDEX event_occurred ON event (occurred_at);
CREATE INDEX event_decision ON event (decision_id, idx) WHERE decision_id IS NOT NULL;

-- Hashes of perfect, aligned subtrees: (level, idx) covers leaves [idx * 2^level, (idx + 1) * 2^level).
CREATE TABLE tree_node (
    level smallint NOT NULL CHECK (level >= 0 AND level < 64),
    idx   bigint NOT NULL CHECK (idx >= 0),
    hash  bytea NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, idx)
);

-- Signed tree heads, all kept so that consistency between any two can be proven.
CREATE TABLE checkpoint (
    tree_size  bigint PRIMARY KEY CHECK (tree_size >= 0),
    root_hash  bytea NOT NULL CHECK (length(root_hash) = 32),
    created_at timestamptz NOT NULL,
    key_id     text NOT NULL,
    signature  bytea NOT NULL
);

-- Append-only, whoever asks: triggers that fire even in replica mode (ENABLE ALWAYS) reject every change.
CREATE FUNCTION audit_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['event', 'tree_node', 'checkpoint'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION audit_reject_change()',
                       t || '_append_only', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change()',
                       t || '_no_truncate', t);
        EXECUTE format('ALTER TABLE %I ENABLE ALWAYS TRIGGER %I', t, t || '_append_only');
        EXECUTE format('ALTER TABLE %I ENABLE ALWAYS TRIGGER %I', t, t || '_no_truncate');
    END LOOP;
END
$$;

-- The application role may only read and append. In production the role already exists (created by the
-- database operator); locally and in tests it is created here.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE format('CREATE ROLE %I LOGIN', '${appRole}');
    END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO "${appRole}";
GRANT SELECT, INSERT ON event, tree_node, checkpoint TO "${appRole}";

-- How far verification has got: every pass that ends well records the last signed checkpoint it checked, so the
-- next pass (POST /v1/verify without full=true) starts there instead of at event 0. Append-only like the log.
CREATE TABLE verification (
    id          bigserial PRIMARY KEY,
    tree_size   bigint NOT NULL CHECK (tree_size >= 0),
    root_hash   bytea NOT NULL CHECK (length(root_hash) = 32),
    full_pass   boolean NOT NULL,
    verified_at timestamptz NOT NULL DEFAULT now(),
    verified_by text NOT NULL
);

CREATE TRIGGER verification_append_only BEFORE UPDATE OR DELETE ON verification
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER verification_no_truncate BEFORE TRUNCATE ON verification
    FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
ALTER TABLE verification ENABLE ALWAYS TRIGGER verification_append_only;
ALTER TABLE verification ENABLE ALWAYS TRIGGER verification_no_truncate;

GRANT SELECT, INSERT ON verification TO "${appRole}";
GRANT USAGE ON SEQUENCE verification_id_seq TO "${appRole}";

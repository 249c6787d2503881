-- Witnesses' cosignatures of our checkpoints (C2SP tlog-cosignature lines), and their refusals. Both only grow:
-- the size a witness last cosigned is the largest tree_size of its cosignatures.
CREATE TABLE witness_cosignature (
    id          bigserial PRIMARY KEY,
    witness     text NOT NULL,
    tree_size   bigint NOT NULL CHECK (tree_size >= 0),
    line        text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (witness, tree_size)
);
CREATE TABLE witness_refusal (
    id        bigserial PRIMARY KEY,
    witness   text NOT NULL,
    tree_size bigint NOT NULL,
    status    integer NOT NULL,
    detail    text,
    at        timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT ON witness_cosignature, witness_refusal TO "${appRole}";
GRANT USAGE ON SEQUENCE witness_cosignature_id_seq, witness_refusal_id_seq TO "${appRole}";

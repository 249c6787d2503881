-- A checkpoint's C2SP note signature is made once, when the checkpoint is signed, and stored beside it: the service
-- serves what it signed then and never signs a stored row on request (a row inserted behind its back would otherwise
-- come out signed). Checkpoints signed before this column existed have none and are not served as notes.
ALTER TABLE checkpoint ADD COLUMN note_signature bytea CHECK (note_signature IS NULL OR length(note_signature) = 64);

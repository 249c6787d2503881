-- The review standard of a use case, versioned: instructions (Markdown) and a rubric of criteria, each scored on its
-- own scale of labels. A change is a new version; versions never change.
CREATE TABLE guideline (
    use_case     text NOT NULL,
    version      integer NOT NULL CHECK (version > 0),
    instructions text NOT NULL,
    criteria     json NOT NULL,
    sha256       text NOT NULL,
    created_at   timestamptz NOT NULL,
    created_by   text NOT NULL,
    PRIMARY KEY (use_case, version)
);

-- The guideline version in force when a verdict was given (NULL: the use case had none).
ALTER TABLE verdict ADD COLUMN guideline_version integer;

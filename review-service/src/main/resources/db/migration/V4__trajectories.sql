-- A task may show the steps of the agent run that led to its output or tool call (a JSON array of
-- {kind, name?, content}); a verdict on it may judge the process (SOUND or FLAWED) and single steps
-- (a JSON array of {index, verdict: OK | WRONG, note?}; notes are people's words and stay here).
ALTER TABLE task ADD COLUMN trajectory json;
ALTER TABLE verdict ADD COLUMN process text CHECK (process IN ('SOUND', 'FLAWED'));
ALTER TABLE verdict ADD COLUMN steps jsonb;

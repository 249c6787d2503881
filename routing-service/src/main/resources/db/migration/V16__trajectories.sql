-- The steps of the agent run that led to a decision's output or tool call (a JSON array of {kind, name?, content}),
-- as the app sent them; NULL for a decision without one.
ALTER TABLE decision ADD COLUMN trajectory json;

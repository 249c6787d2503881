-- A task may review an agent's tool call ({"name": ..., "arguments": {...}} as its output); a correction must then
-- be a call of a tool the policy allows (allowed_tools; NULL: any tool).
ALTER TABLE task ADD COLUMN tool_call boolean NOT NULL DEFAULT false;
ALTER TABLE task ADD COLUMN allowed_tools text[];

-- A decision is about a model's output, or about a tool call an agent asks to make (output then holds the call:
-- {"name": ..., "arguments": {...}}).
ALTER TABLE decision ADD COLUMN kind text NOT NULL DEFAULT 'OUTPUT' CHECK (kind IN ('OUTPUT', 'TOOL_CALL'));

-- The trace of the decision a task reviews: the task's events and its outcome continue it.
ALTER TABLE task ADD COLUMN traceparent text;

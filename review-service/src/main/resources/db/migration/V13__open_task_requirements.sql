-- The coverage watch (every 30 s, every instance) counts the open tasks that require a skill, language or
-- qualification of their reviewers. With no index of their own it read every open task on each check: 475 ms a check
-- with about 360,000 open tasks in the benchmark, growing with the queue. Most tasks require nothing, so this partial
-- index holds only the few that do (its predicate is the query's, word for word, so the planner can use it).
CREATE INDEX task_open_required ON task (use_case)
    WHERE status = 'OPEN'
      AND cardinality(required_skills) + cardinality(required_languages) + cardinality(required_qualifications) > 0;

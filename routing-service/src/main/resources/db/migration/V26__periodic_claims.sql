-- Periodic work that one router instance does for all: which instance last ran each job, and when. The oversight
-- gauges' refresh reads every decision of its window (24 h by default) about a dozen times, so every instance doing it
-- every minute multiplied that by the number of instances; the instance that ran it last keeps it, and another takes
-- over when it has not run it for two intervals.
CREATE TABLE periodic_claim (
    job         text PRIMARY KEY,
    instance    text NOT NULL,
    started_at  timestamptz NOT NULL
);

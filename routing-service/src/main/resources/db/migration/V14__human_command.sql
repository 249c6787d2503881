-- Humans stay in command. Who a change's author is, is the token's issuer and subject (a display name can be renamed
-- or repeated): kept beside the name on every change that may wait for a second person.
ALTER TABLE policy ADD COLUMN created_by_issuer text;
ALTER TABLE policy ADD COLUMN created_by_subject text;
ALTER TABLE mode_change ADD COLUMN changed_by_issuer text;
ALTER TABLE mode_change ADD COLUMN changed_by_subject text;

-- Calibrator activations go through the same gate: one that loosens oversight under four eyes waits for a second
-- person (PENDING, then APPROVED), requested over the version then in force.
ALTER TABLE calibrator ADD COLUMN error_rate_upper_bound double precision;
UPDATE calibrator SET error_rate_upper_bound = (report ->> 'errorRateUpperBound')::double precision
 WHERE report IS NOT NULL AND json_typeof(report -> 'errorRateUpperBound') = 'number';
ALTER TABLE calibrator ADD COLUMN approval text CHECK (approval IN ('PENDING', 'APPROVED'));
ALTER TABLE calibrator ADD COLUMN loosens text[];
ALTER TABLE calibrator ADD COLUMN requested_by text;
ALTER TABLE calibrator ADD COLUMN requested_by_issuer text;
ALTER TABLE calibrator ADD COLUMN requested_by_subject text;
ALTER TABLE calibrator ADD COLUMN requested_at timestamptz;
ALTER TABLE calibrator ADD COLUMN requested_over integer;
ALTER TABLE calibrator ADD COLUMN approved_by text;
ALTER TABLE calibrator ADD COLUMN approved_at timestamptz;

-- Labels say who stored them (the token's name) next to where they come from (review, import, ...).
ALTER TABLE label ADD COLUMN actor text;

-- Four eyes: with fourEyes on, a policy version that loosens oversight waits for a second admin. approval is null
-- for versions that took effect when saved; PENDING until approved (then APPROVED) or left behind by a later version.
ALTER TABLE policy ADD COLUMN approval text CHECK (approval IN ('PENDING', 'APPROVED'));
ALTER TABLE policy ADD COLUMN loosens text[];
ALTER TABLE policy ADD COLUMN approved_by text;
ALTER TABLE policy ADD COLUMN approved_at timestamptz;

-- The same for the switch: back to AUTO from HALT or REVIEW_ALL waits for a second admin under four eyes.
ALTER TABLE mode_change ADD COLUMN approval text CHECK (approval IN ('PENDING', 'APPROVED'));
ALTER TABLE mode_change ADD COLUMN approved_by text;
ALTER TABLE mode_change ADD COLUMN approved_at timestamptz;

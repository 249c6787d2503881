-- Calibrations now certify a cut of the raw score (Learn-then-Test on all labels); the router releases on it.
-- Versions fitted before keep their calibrated threshold and no cut.
ALTER TABLE calibrator ADD COLUMN selected_raw_cut double precision;

-- "platt" now names Platt scaling on the raw score, as scikit-learn fits it; the calibrators fitted before on
-- logit(score) keep their behaviour under the name "platt-logit".
UPDATE calibrator SET method = 'platt-logit' WHERE method = 'platt';

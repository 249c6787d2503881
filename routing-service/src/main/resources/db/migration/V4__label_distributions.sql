-- The model's full distribution (label -> probability) when the output came with one: temperature scaling of
-- probabilities rescales every logit, so it is fitted on the whole distribution, not on the top label alone.
ALTER TABLE label ADD COLUMN probabilities jsonb;

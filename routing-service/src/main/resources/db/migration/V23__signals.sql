-- Several confidence signals per output (POST /v1/route "signals": {name: number}, at most 16). A request may carry
-- signals instead of a confidence: its raw confidence is then NULL, and only a calibrator that reads the signals
-- (multi-logistic) gives it a calibrated confidence.
ALTER TABLE decision ADD COLUMN signals jsonb;
ALTER TABLE decision ALTER COLUMN raw_confidence DROP NOT NULL;

-- A label keeps the signals its output was routed with (or an import's), and an imported label may carry the
-- attributes that place it in a segment; a decision's label reads them from its decision, so erasing the decision's
-- attributes leaves no copy here.
ALTER TABLE label ADD COLUMN signals jsonb;
ALTER TABLE label ADD COLUMN attributes jsonb;
ALTER TABLE label ALTER COLUMN confidence DROP NOT NULL;
ALTER TABLE label ADD CONSTRAINT label_confidence_or_signals CHECK (confidence IS NOT NULL OR signals IS NOT NULL);

package dev.oversight.routing.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Calibration fitted per segment (Mondrian style): for each segment that had enough labels, its own calibrator and its
 * own certified cut, each at the policy's α and δ/K over the K segments tested; a segment without a part has no
 * certified cut, and its outputs are reviewed. The router picks the part by the output's segment ({@link SegmentKey}
 * over {@code by}) and routes with it as with any calibrator.
 */
public final class SegmentedCalibrator implements Calibrator {

    public static final String METHOD = "segmented";

    /** One segment's calibrator and what its fit selected (see {@link ActiveCalibrator}). */
    public record Part(Calibrator calibrator, Double selectedThreshold, Double selectedRawCut,
                       Double errorRateUpperBound, int labels) {
    }

    private final SegmentKey key;
    private final Map<String, Part> parts;

    /** @throws RuleCompilationException when {@code by} does not compile */
    public SegmentedCalibrator(String by, Map<String, Part> parts) throws RuleCompilationException {
        this.key = SegmentKey.compile(by);
        this.parts = Map.copyOf(parts);
    }

    /** The segment of an output by the expression this version was fitted with. */
    public String segmentOf(Map<String, Object> attributes) {
        return key.of(attributes);
    }

    /** The part for a segment, or empty when that segment had too few labels (or none) to be certified. */
    public Optional<Part> part(String segment) {
        return Optional.ofNullable(parts.get(segment));
    }

    public String by() {
        return key.expression();
    }

    public Map<String, Part> parts() {
        return parts;
    }

    /** The largest of the parts' certified error bounds: what the version promises every segment at worst. */
    public Double worstErrorRateUpperBound() {
        Double worst = null;
        for (Part p : parts.values()) {
            if (p.errorRateUpperBound() == null) {
                continue;
            }
            worst = worst == null ? p.errorRateUpperBound() : Math.max(worst, p.errorRateUpperBound());
        }
        return worst;
    }

    /**
     * The calibrated confidence of an output by its segment's part (its attributes as CEL values), NaN when its
     * segment has none.
     */
    public double calibrate(double rawConfidence, double[] distribution, Map<String, Double> signals,
                            Map<String, Object> attributes) {
        Part part = parts.get(segmentOf(attributes));
        return part == null ? Double.NaN : part.calibrator().calibrate(rawConfidence, distribution, signals);
    }

    /** Without the output's segment there is no calibrated confidence: NaN, which the router treats as invalid. */
    @Override
    public double calibrate(double rawConfidence) {
        return Double.NaN;
    }

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public Map<String, Object> params() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("by", key.expression());
        Map<String, Object> byName = new java.util.TreeMap<>();
        parts.forEach((name, p) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", p.calibrator().method());
            m.put("params", p.calibrator().params());
            m.put("selectedThreshold", p.selectedThreshold());
            m.put("selectedRawCut", p.selectedRawCut());
            m.put("errorRateUpperBound", p.errorRateUpperBound());
            m.put("labels", p.labels());
            byName.put(name, m);
        });
        out.put("parts", byName);
        return out;
    }

    /** Rebuilds from {@link #params()}; a part that does not rebuild makes the whole version unusable (fails closed). */
    @SuppressWarnings("unchecked")
    static SegmentedCalibrator of(Map<String, Object> params) throws RuleCompilationException {
        Map<String, Part> parts = new LinkedHashMap<>();
        Map<String, Object> stored = (Map<String, Object>) params.get("parts");
        for (Map.Entry<String, Object> e : stored.entrySet()) {
            Map<String, Object> m = (Map<String, Object>) e.getValue();
            String method = (String) m.get("method");
            if (METHOD.equals(method)) {
                throw new IllegalArgumentException("a segment's part is not segmented again");
            }
            Calibrator c = Calibrators.create(method, (Map<String, Object>) m.get("params"))
                    .orElseThrow(() -> new IllegalArgumentException("part " + e.getKey() + " does not rebuild"));
            parts.put(e.getKey(), new Part(c, number(m.get("selectedThreshold")), number(m.get("selectedRawCut")),
                    number(m.get("errorRateUpperBound")), ((Number) m.get("labels")).intValue()));
        }
        return new SegmentedCalibrator((String) params.get("by"), parts);
    }

    private static Double number(Object o) {
        return o == null ? null : ((Number) o).doubleValue();
    }
}

package dev.oversight.routing.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides RELEASE, REVIEW or BLOCK for one output. Every check runs and every reason that applies is reported;
 * the route is the strictest one any reason calls for (BLOCK over REVIEW over RELEASE):
 * <ol>
 *   <li>mode: HALT blocks (HALTED), REVIEW_ALL reviews (REVIEW_ALL_MODE);</li>
 *   <li>a tool call: a tool the policy's list does not name is blocked (TOOL_NOT_ALLOWED), a tool listed with
 *       BLOCK is blocked (TOOL_BLOCKED), one listed with REVIEW is reviewed (TOOL_REVIEW);</li>
 *   <li>block rules (BLOCK_RULE:name);</li>
 *   <li>review rules (RULE:name);</li>
 *   <li>calibration: a missing or broken calibrator fails closed (INVALID_CALIBRATION); an output that carries
 *       signals and no confidence, while no calibrator that reads signals is in force, is reviewed
 *       (SIGNALS_NOT_CALIBRATED); calibrated confidence below the threshold, or no threshold at all, reviews
 *       (LOW_CONFIDENCE). Under a calibrator that reads signals, the certified cut applies to the combined score,
 *       which is the calibrated confidence. Under a calibrator fitted per segment, the output's segment picks the
 *       calibrator and cut; a segment that has none (too few labels when it was fitted) is reviewed
 *       (SEGMENT_NOT_CERTIFIED);</li>
 *   <li>an output that nothing else diverted is audit-sampled at the policy's rate (AUDIT_SAMPLE), so
 *       AUDIT_SAMPLE means "reviewed only because sampled" and its label weighs 1/rate.</li>
 * </ol>
 */
public final class Router {

    public static final String LOW_CONFIDENCE = "LOW_CONFIDENCE";
    public static final String AUDIT_SAMPLE = "AUDIT_SAMPLE";
    public static final String REVIEW_ALL_MODE = "REVIEW_ALL_MODE";
    public static final String HALTED = "HALTED";
    public static final String INVALID_CALIBRATION = "INVALID_CALIBRATION";
    public static final String STALE_CONFIG = "STALE_CONFIG";
    public static final String RULE_PREFIX = "RULE:";
    public static final String BLOCK_RULE_PREFIX = "BLOCK_RULE:";
    public static final String TOOL_NOT_ALLOWED = "TOOL_NOT_ALLOWED";
    /** A model version the policy does not allow, under onNew BLOCK. */
    public static final String MODEL_VERSION_NOT_ALLOWED = "MODEL_VERSION_NOT_ALLOWED";
    /** A model version the policy does not allow yet, under onNew REVIEW_ALL: people see all of its outputs. */
    public static final String MODEL_VERSION_NEW = "MODEL_VERSION_NEW";
    public static final String TOOL_BLOCKED = "TOOL_BLOCKED";
    public static final String TOOL_REVIEW = "TOOL_REVIEW";
    /** The output carries signals and no confidence, and the calibrator in force does not read signals. */
    public static final String SIGNALS_NOT_CALIBRATED = "SIGNALS_NOT_CALIBRATED";
    /** The output's segment has no certified calibration of its own. */
    public static final String SEGMENT_NOT_CERTIFIED = "SEGMENT_NOT_CERTIFIED";

    private Router() {
    }

    /**
     * What one request brings to the decision; {@code toolCall} is null for an output, {@code signals} null when it
     * carries none, {@code rawConfidence} NaN when it carries only signals.
     */
    public record Request(double rawConfidence, double[] distribution, Map<String, Object> attributes,
                          String modelVersion, String sampleKey, ToolCall toolCall, Map<String, Double> signals) {

        public Request(double rawConfidence, double[] distribution, Map<String, Object> attributes,
                       String modelVersion, String sampleKey, ToolCall toolCall) {
            this(rawConfidence, distribution, attributes, modelVersion, sampleKey, toolCall, null);
        }

        public Request(double rawConfidence, double[] distribution, Map<String, Object> attributes,
                       String modelVersion, String sampleKey) {
            this(rawConfidence, distribution, attributes, modelVersion, sampleKey, null, null);
        }
    }

    /**
     * @param sampler     the audit-sample draw; {@code request.sampleKey()} is the stable identity of the request
     *                    (use case and idempotency key, or the decision id), so the draw repeats for a retry
     * @param configStale the configuration could not be refreshed for too long: fail closed (STALE_CONFIG)
     */
    public static RoutingOutcome decide(UseCaseConfig config, Request request, AuditSampler sampler,
                                        boolean configStale) {
        double rawConfidence = request.rawConfidence();
        double[] distribution = request.distribution();
        Map<String, Object> attributes = request.attributes();
        String modelVersion = request.modelVersion();
        List<String> reasons = new ArrayList<>(4);
        boolean block = false;
        boolean review = false;
        Policy policy = config.policy();

        if (configStale) {
            reasons.add(STALE_CONFIG);
            review = true;
        }
        if (config.mode() == Mode.HALT) {
            reasons.add(HALTED);
            block = true;
        } else if (config.mode() == Mode.REVIEW_ALL) {
            reasons.add(REVIEW_ALL_MODE);
            review = true;
        }

        if (policy.modelVersions() != null && !policy.modelVersions().allows(modelVersion)) {
            if (policy.modelVersions().onNew() == ModelVersions.OnNew.BLOCK) {
                reasons.add(MODEL_VERSION_NOT_ALLOWED);
                block = true;
            } else {
                reasons.add(MODEL_VERSION_NEW);
                review = true;
            }
        }

        int requiredReviews = policy.requiredReviews();
        if (request.toolCall() != null) {
            ToolRule tool = policy.tool(request.toolCall().name());
            if (tool == null) {
                reasons.add(TOOL_NOT_ALLOWED);
                block = true;
            } else if (tool.route() == ToolRule.Route.BLOCK) {
                reasons.add(TOOL_BLOCKED);
                block = true;
            } else if (tool.route() == ToolRule.Route.REVIEW) {
                reasons.add(TOOL_REVIEW);
                review = true;
                if (tool.requiredReviews() != null) {
                    requiredReviews = Math.max(requiredReviews, tool.requiredReviews());
                }
            }
        }

        String segment = config.segmentKey() == null ? null : config.segmentKey().of(attributes);
        ActiveCalibrator active = config.calibrator();
        boolean segmentUncertified = false;
        if (active != null && active.calibrator() instanceof SegmentedCalibrator segmented) {
            String own = segment != null && segmented.by().equals(config.segmentKey().expression()) ? segment
                    : segmented.segmentOf(attributes);
            segment = segment == null ? own : segment;
            SegmentedCalibrator.Part part = segmented.part(own).orElse(null);
            segmentUncertified = part == null;
            active = part == null ? null : new ActiveCalibrator(active.version(), part.calibrator(),
                    part.selectedThreshold(), part.selectedRawCut());
        }
        boolean readsSignals = active != null && active.calibrator() != null && active.calibrator().readsSignals();
        boolean uncalibratedSignals = Double.isNaN(rawConfidence) && !readsSignals;
        Double calibrated = uncalibratedSignals ? null
                : calibrate(active, rawConfidence, distribution, request.signals());
        // An output that carries only signals shows rules its combined score as its raw confidence (NaN before a
        // calibrator reads them: comparisons with it are false).
        double ruleRaw = Double.isNaN(rawConfidence) && calibrated != null ? calibrated : rawConfidence;
        RuleInput ruleInput = new RuleInput(attributes, calibrated == null ? ruleRaw : calibrated,
                ruleRaw, modelVersion, request.toolCall());

        for (Rule rule : config.blockRules().matching(ruleInput)) {
            reasons.add(BLOCK_RULE_PREFIX + rule.name());
            block = true;
        }
        for (Rule rule : config.reviewRules().matching(ruleInput)) {
            reasons.add(RULE_PREFIX + rule.name());
            review = true;
            if (rule.requiredReviews() != null) {
                requiredReviews = Math.max(requiredReviews, rule.requiredReviews());
            }
        }

        Double threshold = policy.threshold() != null ? policy.threshold()
                : active == null ? null : active.selectedThreshold();
        // The calibration's own selection is certified as a cut of the raw score: release on that cut itself.
        Double rawCut = policy.threshold() == null && active != null ? active.selectedRawCut() : null;
        double cutScore = readsSignals && calibrated != null ? calibrated : rawConfidence;
        boolean belowThreshold = rawCut != null ? cutScore < rawCut
                : threshold == null || (calibrated != null && calibrated < threshold);
        if (segmentUncertified) {
            reasons.add(SEGMENT_NOT_CERTIFIED);
            review = true;
        } else if (uncalibratedSignals) {
            reasons.add(SIGNALS_NOT_CALIBRATED);
            review = true;
        } else if (calibrated == null) {
            reasons.add(INVALID_CALIBRATION);
            review = true;
        } else if (belowThreshold) {
            reasons.add(LOW_CONFIDENCE);
            review = true;
        } else if (!review && !block && sampler.sampled(request.sampleKey(), policy.auditSampleRate())) {
            reasons.add(AUDIT_SAMPLE);
            review = true;
        }

        Route route = block ? Route.BLOCK : review ? Route.REVIEW : Route.RELEASE;
        return new RoutingOutcome(route, List.copyOf(reasons), calibrated, threshold, requiredReviews, segment);
    }

    /** The calibrated confidence, or null when the calibrator is missing, throws, or leaves [0, 1]. */
    static Double calibrate(ActiveCalibrator active, double rawConfidence, double[] distribution,
                            Map<String, Double> signals) {
        if (active == null || active.calibrator() == null) {
            return null;
        }
        try {
            double p = active.calibrator().calibrate(rawConfidence, distribution, signals);
            return Double.isFinite(p) && p >= 0 && p <= 1 ? p : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}

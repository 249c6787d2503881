package dev.oversight.routing.domain;

/** Maps a model's raw confidence to a calibrated probability that the output is correct. */
public interface Calibrator {

    /** The calibrated probability; implementations may return anything for broken inputs, callers check. */
    double calibrate(double rawConfidence);

    /**
     * The calibrated probability of the top label when the model gave its whole distribution; calibrators that
     * only read the top label's confidence ignore the rest.
     */
    default double calibrate(double rawConfidence, double[] distribution) {
        return calibrate(rawConfidence);
    }

    /**
     * The calibrated probability from everything one output carries: its raw confidence (NaN when it gave only
     * signals), its distribution (or null) and its named signals (or null). Calibrators that read neither the
     * distribution nor the signals ignore them.
     */
    default double calibrate(double rawConfidence, double[] distribution, java.util.Map<String, Double> signals) {
        return calibrate(rawConfidence, distribution);
    }

    /**
     * Whether the calibrated confidence is computed from the output's signals (and not from its raw confidence): the
     * certified cut then applies to the calibrated confidence itself, the combined score.
     */
    default boolean readsSignals() {
        return false;
    }

    /**
     * Whether the calibrated confidence depends on more than the raw confidence (the model's whole distribution):
     * then no raw-score cut describes what a threshold releases.
     */
    default boolean readsDistribution() {
        return false;
    }

    /** The method name as the API spells it ({@code identity}, {@code platt}, …). */
    String method();

    /** The fitted parameters, as stored and shown in reports; {@link Calibrators#create} rebuilds from them. */
    java.util.Map<String, Object> params();
}

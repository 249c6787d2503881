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

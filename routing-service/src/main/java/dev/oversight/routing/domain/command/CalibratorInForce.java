package dev.oversight.routing.domain.command;

import dev.oversight.routing.domain.Calibrator;

/**
 * A calibrator version as the oversight order sees it.
 *
 * @param calibrator          null when it cannot be built: the router then fails closed (reviews everything)
 * @param selectedThreshold   the calibrated confidence its fit selected as the release cut, or null
 * @param selectedRawCut      the certified raw-score cut its fit selected, or null
 * @param errorRateUpperBound the fit's upper confidence bound on the error rate above the selected cut, or null
 */
public record CalibratorInForce(int version, Calibrator calibrator, Double selectedThreshold, Double selectedRawCut,
                                Double errorRateUpperBound) {

    /**
     * Whether its fit certifies a cut for a policy asking {@code targetErrorRate}: a cut was selected and its error-rate
     * bound is within the target.
     */
    public boolean certifiedFor(double targetErrorRate) {
        boolean cuts = selectedRawCut != null || selectedThreshold != null
                || calibrator instanceof dev.oversight.routing.domain.SegmentedCalibrator;
        return cuts && errorRateUpperBound != null
                && errorRateUpperBound <= targetErrorRate;
    }
}

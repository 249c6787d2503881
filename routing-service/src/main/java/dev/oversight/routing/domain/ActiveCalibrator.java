package dev.oversight.routing.domain;

/**
 * The calibrator version a use case routes with, and the release threshold its fit selected (null when the fit
 * selected none, or when there was no fit): {@code selectedRawCut} is the certified raw-score cut the router releases
 * at, {@code selectedThreshold} the calibrated confidence at that cut (what decisions show). Versions fitted before
 * raw cuts existed have only a calibrated threshold, which the router then compares calibrated confidence with.
 */
public record ActiveCalibrator(int version, Calibrator calibrator, Double selectedThreshold, Double selectedRawCut) {

    public ActiveCalibrator(int version, Calibrator calibrator, Double selectedThreshold) {
        this(version, calibrator, selectedThreshold, null);
    }
}

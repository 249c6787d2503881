package dev.oversight.routing.domain.calibration;

/** A fit that cannot be used: too few labels, or a map that is not monotone non-decreasing. */
public class CalibrationException extends Exception {

    public CalibrationException(String message) {
        super(message);
    }
}

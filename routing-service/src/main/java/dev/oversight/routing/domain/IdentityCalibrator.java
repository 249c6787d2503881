package dev.oversight.routing.domain;

/** The calibrator of a use case that has no fitted one yet: the raw confidence is taken at its word. */
public final class IdentityCalibrator implements Calibrator {

    public static final IdentityCalibrator INSTANCE = new IdentityCalibrator();

    private IdentityCalibrator() {
    }

    @Override
    public double calibrate(double rawConfidence) {
        return rawConfidence;
    }

    @Override
    public String method() {
        return "identity";
    }

    @Override
    public java.util.Map<String, Object> params() {
        return java.util.Map.of();
    }
}

package dev.oversight.routing.domain;

import dev.oversight.routing.domain.calibration.MultiSignalCalibrator.Transform;

/**
 * One confidence signal a use case's outputs carry (mean token log-probability, agreement among samples, a judge's
 * score, ...): its name as requests spell it in {@code signals}, and how it is transformed before calibration.
 */
public record Signal(String name, Transform transform) {

    /** What a signal's name may be: a letter, then letters, digits or '_', 64 at most. */
    public static final String NAME = "[A-Za-z][A-Za-z0-9_]{0,63}";
    public static final String NAME_MESSAGE = "must be a letter, then up to 63 letters, digits or '_'";
    /** The most signals one output may carry. */
    public static final int MAX = 16;

    public Signal {
        transform = transform == null ? Transform.NONE : transform;
    }
}

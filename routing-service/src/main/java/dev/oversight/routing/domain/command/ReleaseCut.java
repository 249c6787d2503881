package dev.oversight.routing.domain.command;

import dev.oversight.routing.domain.Calibrator;
import dev.oversight.routing.domain.Policy;
import dev.oversight.routing.domain.SegmentedCalibrator;
import java.util.Locale;

/**
 * Which outputs the calibration part of the router releases, as a set that can be compared: nothing, every raw
 * confidence at or above a raw cut, or every calibrated confidence at or above a threshold of one calibrator version
 * (when the calibrator reads the model's whole distribution or several signals, or is not monotone, no raw cut
 * describes it: a multi-signal calibrator's selected cut is a cut of its combined score, its calibrated confidence).
 */
sealed interface ReleaseCut {

    /** The router releases nothing on confidence: no threshold, no selected cut, or no usable calibrator. */
    record Nothing() implements ReleaseCut {
    }

    /** Released when the raw confidence is at least {@code cut}. */
    record Raw(double cut) implements ReleaseCut {
    }

    /** Released when calibrator {@code version}'s calibrated confidence is at least {@code threshold}. */
    record Calibrated(int version, double threshold) implements ReleaseCut {
    }

    /**
     * Released per segment, on the cuts of calibrator {@code version}'s parts (or at the policy's {@code threshold}
     * when it sets one); comparable only with itself.
     */
    record Segmented(int version, Double threshold) implements ReleaseCut {
    }

    /** Grid on which a calibrator is checked to be non-decreasing before its threshold becomes a raw cut. */
    int MONOTONE_GRID = 1000;

    /** The cut the router applies for this policy and calibrator (see {@code Router.decide}). */
    static ReleaseCut of(Policy policy, CalibratorInForce c) {
        if (c == null || c.calibrator() == null) {
            return new Nothing();
        }
        if (c.calibrator() instanceof SegmentedCalibrator) {
            return new Segmented(c.version(), policy.threshold());
        }
        if (policy.threshold() != null) {
            return ofThreshold(c, policy.threshold());
        }
        if (c.selectedRawCut() != null && c.calibrator().readsSignals()) {
            return c.selectedRawCut() > 1 ? new Nothing() : new Calibrated(c.version(), c.selectedRawCut());
        }
        if (c.selectedRawCut() != null) {
            return c.selectedRawCut() > 1 ? new Nothing() : new Raw(Math.max(0, c.selectedRawCut()));
        }
        return c.selectedThreshold() == null ? new Nothing() : ofThreshold(c, c.selectedThreshold());
    }

    private static ReleaseCut ofThreshold(CalibratorInForce c, double threshold) {
        Calibrator f = c.calibrator();
        if (f.readsDistribution() || f.readsSignals() || !nonDecreasing(f)) {
            return new Calibrated(c.version(), threshold);
        }
        if (!(f.calibrate(1.0) >= threshold)) {
            return new Nothing();
        }
        if (f.calibrate(0.0) >= threshold) {
            return new Raw(0.0);
        }
        double lo = 0;
        double hi = 1;
        for (int i = 0; i < 60; i++) {
            double mid = (lo + hi) / 2;
            if (f.calibrate(mid) >= threshold) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return new Raw(hi);
    }

    private static boolean nonDecreasing(Calibrator f) {
        double previous = f.calibrate(0.0);
        for (int i = 1; i <= MONOTONE_GRID; i++) {
            double next = f.calibrate((double) i / MONOTONE_GRID);
            if (!(next >= previous)) {
                return false;
            }
            previous = next;
        }
        return true;
    }

    /** Whether {@code after} may release an output that {@code before} would not; incomparable cuts count as yes. */
    static boolean releasesMore(ReleaseCut before, ReleaseCut after) {
        if (after instanceof Nothing) {
            return false;
        }
        if (before instanceof Raw b && after instanceof Raw a) {
            return a.cut() < b.cut();
        }
        if (before instanceof Segmented b && after instanceof Segmented a && a.version() == b.version()) {
            if (a.threshold() == null || b.threshold() == null) {
                return !(a.threshold() == null && b.threshold() == null);
            }
            return a.threshold() < b.threshold();
        }
        if (before instanceof Calibrated b && after instanceof Calibrated a && a.version() == b.version()) {
            return a.threshold() < b.threshold();
        }
        return true;
    }

    static String describe(ReleaseCut cut) {
        if (cut instanceof Raw r) {
            return String.format(Locale.ROOT, "raw confidence >= %.4f", r.cut());
        }
        if (cut instanceof Segmented s) {
            return "each segment's own cut (calibrator v" + s.version() + ")"
                    + (s.threshold() == null ? "" : " at threshold " + s.threshold());
        }
        if (cut instanceof Calibrated c) {
            return String.format(Locale.ROOT, "calibrated confidence (calibrator v%d) >= %s", c.version(), c.threshold());
        }
        return "nothing (everything reviewed)";
    }
}

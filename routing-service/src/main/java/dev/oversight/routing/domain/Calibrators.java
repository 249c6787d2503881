package dev.oversight.routing.domain;

import dev.oversight.routing.domain.calibration.CalibrationException;
import dev.oversight.routing.domain.calibration.LogisticCalibrator;
import dev.oversight.routing.domain.calibration.MultiSignalCalibrator;
import dev.oversight.routing.domain.calibration.PiecewiseCalibrator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds a calibrator from its stored method and parameters; unknown or broken ones yield nothing. */
public final class Calibrators {

    private Calibrators() {
    }

    public static Optional<Calibrator> create(String method, Map<String, Object> params) {
        try {
            return Optional.of(switch (method) {
                case "identity" -> IdentityCalibrator.INSTANCE;
                case LogisticCalibrator.PLATT -> LogisticCalibrator.platt(number(params, "a"), number(params, "b"));
                case LogisticCalibrator.PLATT_LOGIT -> LogisticCalibrator.plattLogit(number(params, "a"), number(params, "b"));
                case "beta" -> LogisticCalibrator.beta(number(params, "a"), number(params, "b"), number(params, "c"));
                case "temperature" -> LogisticCalibrator.temperature(number(params, "t"));
                case "isotonic" -> PiecewiseCalibrator.isotonic(array(params, "x"), array(params, "y"));
                case "histogram" -> PiecewiseCalibrator.histogram(array(params, "x"), array(params, "y"));
                case SegmentedCalibrator.METHOD -> SegmentedCalibrator.of(params);
                case MultiSignalCalibrator.METHOD -> MultiSignalCalibrator.of(strings(params, "signals"),
                        strings(params, "transforms"), array(params, "mean"), array(params, "sd"),
                        array(params, "coefficients"));
                default -> throw new CalibrationException("unknown method " + method);
            });
        } catch (CalibrationException | RuleCompilationException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static double number(Map<String, Object> params, String key) {
        double v = ((Number) params.get(key)).doubleValue();
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(key + " is not finite");
        }
        return v;
    }

    private static List<String> strings(Map<String, Object> params, String key) {
        return ((List<?>) params.get(key)).stream().map(o -> (String) o).toList();
    }

    private static double[] array(Map<String, Object> params, String key) {
        Object v = params.get(key);
        if (v instanceof double[] d) {
            return d;
        }
        return ((List<?>) v).stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
    }
}

package dev.oversight.routing.domain.calibration;

import dev.oversight.routing.domain.Calibrator;
import dev.oversight.routing.domain.IdentityCalibrator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fits a calibrator and reports on it honestly: labels are split once, at random but reproducibly; the
 * calibrator is fitted on one half, and every metric and the release threshold come from the other half, which
 * the fit never saw. Where labels carry the model's whole distribution, calibration is evaluated on it, exactly as
 * the router applies it.
 *
 * <p>{@code auto} compares candidates by 5-fold cross-validated log loss on the fitting half and takes the one
 * with the fewest parameters whose loss is within one standard error of the best (scarce labels favour simple
 * maps); histogram binning needs 300 labels, isotonic regression 1000.
 */
public final class CalibrationFitter {

    public static final int MIN_LABELS = 20;
    static final int HISTOGRAM_MAX_BINS = 15;
    static final int HISTOGRAM_MIN_LABELS = 300;
    static final int ISOTONIC_MIN_LABELS = 1000;
    private static final int FOLDS = 5;
    private static final int BOOTSTRAP_RESAMPLES = 200;

    /** In order of how many parameters each has. */
    public enum Method {
        IDENTITY, TEMPERATURE, PLATT, PLATT_LOGIT, BETA, HISTOGRAM, ISOTONIC;

        public String apiName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * @param costReview with costError: release only when calibrated confidence ≥ 1 − costReview/costError
     */
    public record Options(double alpha, double delta, Double costReview, Double costError, long seed) {
    }

    public record Report(
            Calibrator calibrator,
            int n,
            int nFit,
            int nHoldout,
            double ece,
            double[] eceInterval,
            double eceEqualMass,
            double mce,
            double brier,
            double[] brierInterval,
            double logLoss,
            double aurc,
            List<Metrics.Bin> reliability,
            Double selectedThreshold,
            Double errorRateUpperBound,
            double expectedAutomationRate,
            Map<String, Double> crossValidatedLogLoss) {
    }

    private CalibrationFitter() {
    }

    /** @param method one of {@link Method}'s API names, or {@code auto} */
    public static Report fit(Labels labels, String method, Options options) throws CalibrationException {
        int n = labels.size();
        if (n < MIN_LABELS) {
            throw new CalibrationException("calibration needs at least " + MIN_LABELS + " labels, there are " + n);
        }
        int[] order = permutation(n, options.seed());
        int nFit = n / 2;
        int[] fitIdx = java.util.Arrays.copyOfRange(order, 0, nFit);
        int[] holdIdx = java.util.Arrays.copyOfRange(order, nFit, n);
        Labels fitSet = labels.subset(fitIdx);
        Labels holdout = labels.subset(holdIdx);

        Map<String, Double> cv = new LinkedHashMap<>();
        Method chosen;
        if ("auto".equals(method)) {
            chosen = choose(fitSet, n, options.seed(), cv);
        } else {
            chosen = parse(method);
        }
        Calibrator calibrator = fitOne(chosen, fitSet);

        double[] q = new double[holdout.size()];
        for (int i = 0; i < q.length; i++) {
            q[i] = calibrator.calibrate(holdout.score()[i], holdout.distribution(i));
        }
        double[] y = holdout.y();
        double[] w = holdout.weight();
        ThresholdSelection.Result selection = ThresholdSelection.select(q, y, w, options.alpha(), options.delta());
        if (selection.threshold() != null && options.costReview() != null && options.costError() != null) {
            double floor = 1 - options.costReview() / options.costError();
            if (selection.threshold() < floor) {
                selection = ThresholdSelection.at(q, y, w, Math.ceil(floor * 1000) / 1000, options.delta());
            }
        }
        return new Report(calibrator, n, nFit, holdout.size(),
                Metrics.ece(q, y, w), Metrics.bootstrap95(q, y, w, Metrics::ece, BOOTSTRAP_RESAMPLES, options.seed()),
                Metrics.eceEqualMass(q, y, w), Metrics.mce(q, y, w),
                Metrics.brier(q, y, w), Metrics.bootstrap95(q, y, w, Metrics::brier, BOOTSTRAP_RESAMPLES, options.seed()),
                Metrics.logLoss(q, y, w), Metrics.aurc(q, y, w),
                Metrics.reliability(q, y, w, Metrics.ECE_BINS),
                selection.threshold(), selection.errorRateUpperBound(), selection.expectedAutomationRate(), cv);
    }

    public static Method parse(String method) throws CalibrationException {
        for (Method m : Method.values()) {
            if (m.apiName().equals(method)) {
                return m;
            }
        }
        throw new CalibrationException("unknown method '" + method
                + "'; use auto, identity, platt, platt-logit, beta, isotonic, histogram or temperature");
    }

    public static Calibrator fitOne(Method method, Labels labels) throws CalibrationException {
        return switch (method) {
            case IDENTITY -> IdentityCalibrator.INSTANCE;
            case TEMPERATURE -> LogisticCalibrator.fitTemperature(labels);
            case PLATT -> LogisticCalibrator.fitPlatt(labels);
            case PLATT_LOGIT -> LogisticCalibrator.fitPlattLogit(labels);
            case BETA -> LogisticCalibrator.fitBeta(labels);
            case HISTOGRAM -> PiecewiseCalibrator.fitHistogram(labels, HISTOGRAM_MAX_BINS);
            case ISOTONIC -> PiecewiseCalibrator.fitIsotonic(labels);
        };
    }

    private static Method choose(Labels fitSet, int n, long seed, Map<String, Double> cvOut) {
        List<Method> candidates = new ArrayList<>(List.of(Method.IDENTITY, Method.TEMPERATURE, Method.PLATT,
                Method.PLATT_LOGIT, Method.BETA));
        if (n >= HISTOGRAM_MIN_LABELS) {
            candidates.add(Method.HISTOGRAM);
        }
        if (n >= ISOTONIC_MIN_LABELS) {
            candidates.add(Method.ISOTONIC);
        }
        int m = fitSet.size();
        int[] folds = new int[m];
        int[] perm = permutation(m, seed + 1);
        for (int i = 0; i < m; i++) {
            folds[perm[i]] = i % FOLDS;
        }
        Map<Method, double[]> stats = new LinkedHashMap<>();
        for (Method candidate : candidates) {
            double[] losses = crossValidate(candidate, fitSet, folds);
            if (losses != null) {
                stats.put(candidate, losses);
                cvOut.put(candidate.apiName(), losses[0]);
            }
        }
        Method best = Method.IDENTITY;
        double bestLoss = Double.POSITIVE_INFINITY;
        double bestSe = 0;
        for (Map.Entry<Method, double[]> e : stats.entrySet()) {
            if (e.getValue()[0] < bestLoss) {
                best = e.getKey();
                bestLoss = e.getValue()[0];
                bestSe = e.getValue()[1];
            }
        }
        for (Map.Entry<Method, double[]> e : stats.entrySet()) {
            if (e.getValue()[0] <= bestLoss + bestSe) {
                return e.getKey();
            }
        }
        return best;
    }

    /** Mean and standard error of the per-label held-out log loss, or null if any fold's fit is unusable. */
    private static double[] crossValidate(Method method, Labels labels, int[] folds) {
        int m = labels.size();
        double[] loss = new double[m];
        double[] weight = new double[m];
        for (int f = 0; f < FOLDS; f++) {
            List<Integer> train = new ArrayList<>();
            List<Integer> test = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                (folds[i] == f ? test : train).add(i);
            }
            Calibrator c;
            try {
                c = fitOne(method, labels.subset(train.stream().mapToInt(Integer::intValue).toArray()));
            } catch (CalibrationException e) {
                return null;
            }
            for (int i : test) {
                double q = Math.min(Math.max(c.calibrate(labels.score()[i], labels.distribution(i)), 1e-15), 1 - 1e-15);
                double y = labels.y()[i];
                loss[i] = -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
                weight[i] = labels.weight()[i];
            }
        }
        double sw = 0;
        double mean = 0;
        for (int i = 0; i < m; i++) {
            sw += weight[i];
            mean += weight[i] * loss[i];
        }
        mean /= sw;
        double var = 0;
        for (int i = 0; i < m; i++) {
            var += weight[i] * (loss[i] - mean) * (loss[i] - mean);
        }
        var /= sw;
        return new double[] {mean, Math.sqrt(var / m)};
    }

    private static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}

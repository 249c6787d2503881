package dev.oversight.routing.domain.calibration;

import java.util.ArrayList;
import java.util.List;

/**
 * Confidence from several weak signals (mean and minimum token log-probability, agreement among sampled answers, a
 * judge's score, a verbalized confidence, a retrieval score): P(correct | s) = σ(β₀ + Σₖ βₖ·zₖ), a regularised
 * logistic regression on the transformed signals. Each signal is first transformed (logit for a probability, log for a
 * positive score, none for a score already on a log scale), then standardised on the fitting labels,
 * zₖ = (fₖ(sₖ) − μₖ) / σₖ, so that one ridge penalty λ/2·Σₖ βₖ² (the intercept free) pulls every signal's weight alike
 * towards 0: a signal that carries nothing ends near 0 instead of fitting noise.
 *
 * <p>A weight is the change in log-odds of being correct per standard deviation of its transformed signal, with a
 * 95% Wald interval from the inverse of the penalised Hessian at the optimum. Assumptions: labels are independent,
 * and the log-odds are linear in the transformed signals (the out-of-fold comparison with the single-signal methods
 * is what shows whether that holds well enough); under the penalty the interval is that of the penalised estimate.
 */
public final class MultiSignalCalibrator implements dev.oversight.routing.domain.Calibrator {

    /** The method's name as the API spells it. */
    public static final String METHOD = "multi-logistic";

    /** How a signal is put on a scale where its effect on the log-odds is about linear. */
    public enum Transform {
        /** A probability: logit(p), p clipped to [1e-6, 1 − 1e-6]. */
        LOGIT,
        /** A positive score: log(x), x clipped to at least 1e-12. */
        LOG,
        /** A score already on a log scale (a log-probability), or any real number. */
        NONE;

        /** As the API spells it: logit, log, none. */
        @com.fasterxml.jackson.annotation.JsonValue
        public String apiName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        @com.fasterxml.jackson.annotation.JsonCreator
        public static Transform of(String name) {
            return valueOf(name.toUpperCase(java.util.Locale.ROOT));
        }

        public double apply(double x) {
            return switch (this) {
                case LOGIT -> {
                    double p = Math.min(Math.max(x, 1e-6), 1 - 1e-6);
                    yield Math.log(p / (1 - p));
                }
                case LOG -> Math.log(Math.max(x, 1e-12));
                case NONE -> x;
            };
        }
    }

    /** The default ridge penalty, in standardised units (a prior of about N(0, 1) on each weight). */
    public static final double DEFAULT_PENALTY = 1.0;
    private static final double Z95 = 1.959963984540054;

    /** One signal's weight (log-odds per standard deviation) with its 95% interval. */
    public record Weight(String signal, double weight, double lower, double upper) {
    }

    private final List<String> names;
    private final List<Transform> transforms;
    private final double[] mean;
    private final double[] sd;
    private final double[] beta;
    private final double[][] covariance;

    private MultiSignalCalibrator(List<String> names, List<Transform> transforms, double[] mean, double[] sd,
                                  double[] beta, double[][] covariance) {
        this.names = List.copyOf(names);
        this.transforms = List.copyOf(transforms);
        this.mean = mean;
        this.sd = sd;
        this.beta = beta;
        this.covariance = covariance;
    }

    /**
     * Fits on labels: {@code signals[k][i]} is signal k of label i, {@code y[i]} 1 when the output was right, {@code
     * w[i]} its weight.
     *
     * @throws IllegalArgumentException on no signals, mismatched lengths, a non-finite signal or a negative penalty
     */
    public static MultiSignalCalibrator fit(List<String> names, List<Transform> transforms, double[][] signals,
                                            double[] y, double[] w, double penalty) {
        int k = names.size();
        if (k == 0 || transforms.size() != k || signals.length != k) {
            throw new IllegalArgumentException("one name, transform and column per signal, at least one signal");
        }
        if (!(penalty >= 0) || Double.isInfinite(penalty)) {
            throw new IllegalArgumentException("the penalty is a finite number ≥ 0");
        }
        int n = y.length;
        if (w.length != n) {
            throw new IllegalArgumentException("one weight per label");
        }
        double total = 0;
        for (double wi : w) {
            total += wi;
        }
        double[][] columns = new double[k + 1][];
        columns[0] = new double[n];
        java.util.Arrays.fill(columns[0], 1);
        double[] mean = new double[k];
        double[] sd = new double[k];
        for (int a = 0; a < k; a++) {
            if (signals[a].length != n) {
                throw new IllegalArgumentException("signal '" + names.get(a) + "' has " + signals[a].length
                        + " values for " + n + " labels");
            }
            double[] z = new double[n];
            double m = 0;
            for (int i = 0; i < n; i++) {
                if (!Double.isFinite(signals[a][i])) {
                    throw new IllegalArgumentException("signal '" + names.get(a) + "' is not a finite number");
                }
                z[i] = transforms.get(a).apply(signals[a][i]);
                m += w[i] * z[i];
            }
            m /= total;
            double v = 0;
            for (int i = 0; i < n; i++) {
                v += w[i] * (z[i] - m) * (z[i] - m);
            }
            double s = Math.sqrt(v / total);
            // A signal that never varies carries nothing; it keeps weight 0 instead of dividing by 0.
            sd[a] = s > 0 ? s : 1;
            mean[a] = m;
            for (int i = 0; i < n; i++) {
                z[i] = (z[i] - m) / sd[a];
            }
            columns[a + 1] = z;
        }
        double[] pen = new double[k + 1];
        for (int a = 1; a <= k; a++) {
            pen[a] = penalty;
        }
        double[] beta = LogisticFit.fit(columns, y, w, new double[k + 1], pen);
        double[][] cov = LogisticFit.inverse(LogisticFit.hessian(columns, y, w, beta, pen));
        return new MultiSignalCalibrator(names, transforms, mean, sd, beta, cov);
    }

    /** Out-of-fold figures of one calibrator: Brier score, log loss and ECE on labels it was not fitted on. */
    public record OutOfFold(String calibrator, double brier, double logLoss, double ece) {
    }

    /**
     * What combining buys, measured out of fold: the combined calibrator and each signal alone (a one-signal fit of the
     * same form, on the same folds), so that a report shows the combined figures against the best single signal and
     * {@code auto} can choose. {@code best} names the lowest Brier score.
     */
    public record Comparison(OutOfFold combined, List<OutOfFold> singles, String best) {
    }

    public static Comparison compare(List<String> names, List<Transform> transforms, double[][] signals, double[] y,
                                     double[] w, double penalty, int folds, long seed) {
        int n = y.length;
        if (folds < 2 || n < folds) {
            throw new IllegalArgumentException("out-of-fold figures need at least " + Math.max(folds, 2) + " labels");
        }
        int[] fold = Folds.assign(n, folds, seed);
        int k = names.size();
        double[] combined = new double[n];
        double[][] single = new double[k][n];
        for (int f = 0; f < folds; f++) {
            int[][] split = Folds.split(fold, f);
            double[][] train = pick(signals, split[0]);
            double[] yt = pick(y, split[0]);
            double[] wt = pick(w, split[0]);
            double[][] test = pick(signals, split[1]);
            double[] p = fit(names, transforms, train, yt, wt, penalty).predictAll(test);
            for (int j = 0; j < split[1].length; j++) {
                combined[split[1][j]] = p[j];
            }
            for (int a = 0; a < k; a++) {
                double[] q = fit(List.of(names.get(a)), List.of(transforms.get(a)), new double[][] {train[a]}, yt, wt,
                        penalty).predictAll(new double[][] {test[a]});
                for (int j = 0; j < split[1].length; j++) {
                    single[a][split[1][j]] = q[j];
                }
            }
        }
        OutOfFold all = figures("combined", combined, y, w);
        List<OutOfFold> alone = new ArrayList<>();
        OutOfFold best = all;
        for (int a = 0; a < k; a++) {
            OutOfFold o = figures(names.get(a), single[a], y, w);
            alone.add(o);
            if (o.brier() < best.brier()) {
                best = o;
            }
        }
        return new Comparison(all, alone, best.calibrator());
    }

    private static OutOfFold figures(String name, double[] p, double[] y, double[] w) {
        return new OutOfFold(name, Metrics.brier(p, y, w), Metrics.logLoss(p, y, w), Metrics.ece(p, y, w));
    }

    private static double[][] pick(double[][] columns, int[] rows) {
        double[][] out = new double[columns.length][];
        for (int a = 0; a < columns.length; a++) {
            out[a] = pick(columns[a], rows);
        }
        return out;
    }

    private static double[] pick(double[] values, int[] rows) {
        double[] out = new double[rows.length];
        for (int j = 0; j < rows.length; j++) {
            out[j] = values[rows[j]];
        }
        return out;
    }

    /** P(correct) for one output's signals, in the order they were fitted. */
    public double predict(double[] values) {
        if (values.length != names.size()) {
            throw new IllegalArgumentException("expected " + names.size() + " signals, got " + values.length);
        }
        double z = beta[0];
        for (int a = 0; a < values.length; a++) {
            z += beta[a + 1] * (transforms.get(a).apply(values[a]) - mean[a]) / sd[a];
        }
        return LogisticFit.sigmoid(z);
    }

    /** P(correct) for several outputs: {@code signals[k][i]}. */
    public double[] predictAll(double[][] signals) {
        int n = signals[0].length;
        double[] out = new double[n];
        double[] one = new double[signals.length];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < signals.length; a++) {
                one[a] = signals[a][i];
            }
            out[i] = predict(one);
        }
        return out;
    }

    /** Each signal's weight with its 95% Wald interval, in the order they were fitted. */
    public List<Weight> weights() {
        List<Weight> out = new ArrayList<>();
        for (int a = 0; a < names.size(); a++) {
            double se = Math.sqrt(covariance[a + 1][a + 1]);
            out.add(new Weight(names.get(a), beta[a + 1], beta[a + 1] - Z95 * se, beta[a + 1] + Z95 * se));
        }
        return out;
    }

    /** Without its signals an output has no calibrated confidence here: NaN, which the router treats as invalid. */
    @Override
    public double calibrate(double rawConfidence) {
        return Double.NaN;
    }

    /** P(correct) from the named signals; NaN when one this calibrator reads is missing or not finite. */
    @Override
    public double calibrate(double rawConfidence, double[] distribution, java.util.Map<String, Double> signals) {
        if (signals == null) {
            return Double.NaN;
        }
        double[] values = new double[names.size()];
        for (int a = 0; a < values.length; a++) {
            Double v = signals.get(names.get(a));
            if (v == null || !Double.isFinite(v)) {
                return Double.NaN;
            }
            values[a] = v;
        }
        return predict(values);
    }

    @Override
    public boolean readsSignals() {
        return true;
    }

    @Override
    public String method() {
        return METHOD;
    }

    /** Names, transforms, the standardisation and the coefficients (intercept first): all that predicts. */
    @Override
    public java.util.Map<String, Object> params() {
        java.util.Map<String, Object> p = new java.util.LinkedHashMap<>();
        p.put("signals", names);
        p.put("transforms", transforms.stream().map(Transform::apiName).toList());
        p.put("mean", mean.clone());
        p.put("sd", sd.clone());
        p.put("coefficients", beta.clone());
        return p;
    }

    /**
     * Rebuilds a fitted calibrator from its {@link #params()}.
     *
     * @throws IllegalArgumentException when they do not describe one (lengths differ, a number is not finite, an sd
     *                                  is not positive, a transform is unknown)
     */
    public static MultiSignalCalibrator of(List<String> names, List<String> transforms, double[] mean, double[] sd,
                                           double[] coefficients) {
        int k = names.size();
        if (k == 0 || k > dev.oversight.routing.domain.Signal.MAX || transforms.size() != k || mean.length != k
                || sd.length != k || coefficients.length != k + 1) {
            throw new IllegalArgumentException("one transform, mean, sd and coefficient per signal, and an intercept");
        }
        for (int a = 0; a < k; a++) {
            if (!Double.isFinite(mean[a]) || !(sd[a] > 0) || Double.isInfinite(sd[a])) {
                throw new IllegalArgumentException("signal " + names.get(a) + " has a broken standardisation");
            }
        }
        for (double b : coefficients) {
            if (!Double.isFinite(b)) {
                throw new IllegalArgumentException("a coefficient is not finite");
            }
        }
        List<Transform> t = transforms.stream().map(Transform::of).toList();
        double[][] none = new double[k + 1][k + 1];
        return new MultiSignalCalibrator(names, t, mean.clone(), sd.clone(), coefficients.clone(), none);
    }

    /** The log-odds of an output whose every signal is at its mean. */
    public double intercept() {
        return beta[0];
    }

    public List<String> names() {
        return names;
    }
}

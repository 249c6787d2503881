package dev.oversight.routing.domain.calibration;

import dev.oversight.routing.domain.Calibrator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parametric calibrators, each σ(linear function of transformed raw confidence s):
 * <ul>
 *   <li>platt: σ(a·s + b) on the raw score itself, fitted with Platt's smoothed targets exactly as scikit-learn's
 *       {@code _SigmoidCalibration} (whose P = 1/(1 + exp(A·f + B)) has A = −a, B = −b), so that the same labels
 *       give the same map;</li>
 *   <li>platt-logit: the same on logit(s), which suits scores that are already probabilities near 0 or 1;</li>
 *   <li>beta (Kull et al. 2017): σ(a·ln s − b·ln(1 − s) + c), a, b ≥ 0;</li>
 *   <li>temperature: softmax(log p / T) of the top label when the whole distribution p is known, else its
 *       binary form σ(logit(s) / T); T &gt; 0 maximizes the likelihood of the top label's correctness.</li>
 * </ul>
 * Each is monotone non-decreasing exactly when its slope coefficients are non-negative; fits that are not are
 * rejected.
 */
public final class LogisticCalibrator implements Calibrator {

    private final String method;
    private final double[] coef;

    private LogisticCalibrator(String method, double[] coef) {
        this.method = method;
        this.coef = coef;
    }

    public static final String PLATT = "platt";
    public static final String PLATT_LOGIT = "platt-logit";

    public static LogisticCalibrator platt(double a, double b) {
        return new LogisticCalibrator(PLATT, new double[] {a, b});
    }

    public static LogisticCalibrator plattLogit(double a, double b) {
        return new LogisticCalibrator(PLATT_LOGIT, new double[] {a, b});
    }

    public static LogisticCalibrator beta(double a, double b, double c) {
        return new LogisticCalibrator("beta", new double[] {a, b, c});
    }

    public static LogisticCalibrator temperature(double t) {
        return new LogisticCalibrator("temperature", new double[] {t});
    }

    /** Fits Platt scaling on the raw confidence, as scikit-learn's {@code _SigmoidCalibration} does. */
    public static LogisticCalibrator fitPlatt(Labels labels) throws CalibrationException {
        double[] ab = plattOnDecisionValues(labels.score(), labels.y(), labels.weight());
        // P = 1/(1+exp(A f + B)) = σ(−A f − B)
        if (-ab[0] < 0) {
            throw new CalibrationException("platt: the fitted map decreases with confidence (A = " + ab[0] + ")");
        }
        return platt(-ab[0], -ab[1]);
    }

    /** Fits Platt scaling on logit(raw confidence), with Platt's smoothed targets. */
    public static LogisticCalibrator fitPlattLogit(Labels labels) throws CalibrationException {
        double[] f = new double[labels.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = LogisticFit.logit(labels.score()[i]);
        }
        double[] ab = plattOnDecisionValues(f, labels.y(), labels.weight());
        if (-ab[0] < 0) {
            throw new CalibrationException("platt-logit: the fitted map decreases with confidence (A = " + ab[0] + ")");
        }
        return plattLogit(-ab[0], -ab[1]);
    }

    /**
     * Platt's method on decision values f, returning scikit-learn's (A, B) with P(y=1|f) = 1/(1 + exp(A·f + B)):
     * targets (N₊+1)/(N₊+2) and 1/(N₋+2), where N₊ and N₋ are the (weighted) counts of each class.
     */
    public static double[] plattOnDecisionValues(double[] f, double[] y, double[] w) {
        double prior1 = 0;
        double prior0 = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] > 0.5) {
                prior1 += w[i];
            } else {
                prior0 += w[i];
            }
        }
        double hi = (prior1 + 1) / (prior1 + 2);
        double lo = 1 / (prior0 + 2);
        double[] t = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            t[i] = y[i] > 0.5 ? hi : lo;
        }
        double[] ones = new double[f.length];
        java.util.Arrays.fill(ones, 1);
        double[] beta = LogisticFit.fit(new double[][] {f, ones}, t, w,
                new double[] {0, Math.log((prior1 + 1) / (prior0 + 1))});
        return new double[] {-beta[0], -beta[1]};
    }

    /** Beta calibration; a negative shape coefficient means that feature is dropped and the fit repeated. */
    public static LogisticCalibrator fitBeta(Labels labels) throws CalibrationException {
        int n = labels.size();
        double[] lnS = new double[n];
        double[] ln1mS = new double[n];
        for (int i = 0; i < n; i++) {
            double s = clip(labels.score()[i]);
            lnS[i] = Math.log(s);
            ln1mS[i] = -Math.log(1 - s);
        }
        double[] abc = fitLinear(new double[][] {lnS, ln1mS}, labels);
        if (abc[0] < 0 && abc[1] < 0) {
            throw new CalibrationException("beta: the fitted map decreases with confidence");
        }
        if (abc[0] < 0) {
            double[] bc = fitLinear(new double[][] {ln1mS}, labels);
            abc = new double[] {0, bc[0], bc[1]};
        } else if (abc[1] < 0) {
            double[] ac = fitLinear(new double[][] {lnS}, labels);
            abc = new double[] {ac[0], 0, ac[1]};
        }
        if (abc[0] < 0 || abc[1] < 0) {
            throw new CalibrationException("beta: the fitted map decreases with confidence");
        }
        return beta(abc[0], abc[1], abc[2]);
    }

    /** Temperature scaling: the T in [0.01, 100] of least log loss, found by golden-section search on log T. */
    public static LogisticCalibrator fitTemperature(Labels labels) throws CalibrationException {
        if (labels.size() == 0) {
            throw new CalibrationException("temperature: no labels");
        }
        double lo = Math.log(0.01);
        double hi = Math.log(100);
        double golden = (Math.sqrt(5) - 1) / 2;
        double a = hi - golden * (hi - lo);
        double b = lo + golden * (hi - lo);
        double fa = temperatureLoss(labels, Math.exp(a));
        double fb = temperatureLoss(labels, Math.exp(b));
        for (int i = 0; i < 80 && hi - lo > 1e-9; i++) {
            if (fa <= fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - golden * (hi - lo);
                fa = temperatureLoss(labels, Math.exp(a));
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + golden * (hi - lo);
                fb = temperatureLoss(labels, Math.exp(b));
            }
        }
        double t = Math.exp((lo + hi) / 2);
        if (t <= 0.0100001 || t >= 99.99) {
            throw new CalibrationException("temperature: no temperature within [0.01, 100] fits these labels");
        }
        return temperature(t);
    }

    private static double temperatureLoss(Labels labels, double t) {
        double loss = 0;
        for (int i = 0; i < labels.size(); i++) {
            double q = Math.min(Math.max(scaled(labels.score()[i], labels.distribution(i), t), 1e-15), 1 - 1e-15);
            double y = labels.y()[i];
            loss -= labels.weight()[i] * (y * Math.log(q) + (1 - y) * Math.log(1 - q));
        }
        return loss;
    }

    /** The top label's probability after dividing every log-probability by t. */
    static double scaled(double top, double[] distribution, double t) {
        if (distribution == null || distribution.length < 2) {
            return LogisticFit.sigmoid(LogisticFit.logit(top) / t);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double p : distribution) {
            max = Math.max(max, p);
        }
        double logTop = Math.log(Math.max(max, 1e-300)) / t;
        double sum = 0;
        for (double p : distribution) {
            sum += Math.exp(Math.log(Math.max(p, 1e-300)) / t - logTop);
        }
        return 1 / sum;
    }

    /** @param features by column, without the intercept (a column of ones is added) */
    private static double[] fitLinear(double[][] features, Labels labels) {
        int d = features.length;
        double[][] columns = java.util.Arrays.copyOf(features, d + 1);
        columns[d] = new double[labels.size()];
        java.util.Arrays.fill(columns[d], 1);
        return LogisticFit.fit(columns, labels.y(), labels.weight(), new double[d + 1]);
    }

    @Override
    public double calibrate(double raw) {
        return switch (method) {
            case PLATT -> LogisticFit.sigmoid(coef[0] * raw + coef[1]);
            case PLATT_LOGIT -> LogisticFit.sigmoid(coef[0] * LogisticFit.logit(raw) + coef[1]);
            case "beta" -> {
                double s = clip(raw);
                yield LogisticFit.sigmoid(coef[0] * Math.log(s) - coef[1] * Math.log(1 - s) + coef[2]);
            }
            default -> scaled(raw, null, coef[0]);
        };
    }

    @Override
    public double calibrate(double raw, double[] distribution) {
        return "temperature".equals(method) ? scaled(raw, distribution, coef[0]) : calibrate(raw);
    }

    @Override
    public boolean readsDistribution() {
        return "temperature".equals(method);
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        switch (method) {
            case PLATT, PLATT_LOGIT -> {
                p.put("a", coef[0]);
                p.put("b", coef[1]);
            }
            case "beta" -> {
                p.put("a", coef[0]);
                p.put("b", coef[1]);
                p.put("c", coef[2]);
            }
            default -> p.put("t", coef[0]);
        }
        return p;
    }

    private static double clip(double s) {
        return Math.min(Math.max(s, 1e-12), 1 - 1e-12);
    }
}

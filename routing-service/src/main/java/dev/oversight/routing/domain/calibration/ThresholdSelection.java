package dev.oversight.routing.domain.calibration;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * Learn-then-Test threshold selection by fixed-sequence testing (Angelopoulos et al. 2021). For each threshold λ
 * of a grid fixed in advance, from high to low, H₀: "the error rate among outputs released at λ exceeds α" is
 * tested with the exact binomial tail p = P(Bin(n, α) ≤ k) on the labels (n released, k of them wrong); the grid
 * is fixed before any label is seen, so the labels that fit the calibrator may test it.
 * Walking stops at the first λ whose p exceeds δ; the last λ that passed is selected. Thresholds with fewer
 * than ⌈ln δ / ln(1 − α)⌉ released labels cannot pass even with no error and are skipped. Then, with
 * probability at least 1 − δ, the error rate among released outputs is at most α.
 *
 * <p>Weights are not evidence. Audit-sampled labels weigh 1/rate (inverse propensity), so that the weighted error
 * rate estimates the error rate of all released outputs without bias; but ten labels of weight 50 are ten
 * observations, not five hundred. Among the labels released at λ the test therefore uses Kish's effective sample
 * size n = ⌊(Σw)² / Σw²⌋ and k = ⌈n · Σw·error / Σw⌉ errors. With equal weights this is the exact binomial test on
 * the labels themselves (unweighted labels: exactly the classic test). Assumptions: labels are independent, each
 * weight is the inverse of the probability that its output was labelled, and those probabilities do not depend on
 * whether the output was right. The effective-sample-size test is not a theorem for arbitrary weight mixes; it is
 * checked by simulation on the mixes Oversight produces (all outputs below a routing threshold reviewed at weight 1,
 * released outputs audit-sampled at 1%, 2% and 5%), where it keeps P(error rate among released > α) ≤ δ
 * (WeightedThresholdTest); the old rule n = ⌊Σw⌋ broke it in about 30% of trials.
 */
public final class ThresholdSelection {

    /** The grid: 0.999, 0.998, … 0.001 — fixed before any label is seen. */
    public static final double[] GRID = grid();

    private ThresholdSelection() {
    }

    /** The outcome; {@code threshold} null means no λ passed: review everything. */
    public record Result(Double threshold, Double errorRateUpperBound, double expectedAutomationRate,
                         long released, long errors) {
    }

    public static Result select(double[] q, double[] y, double[] w, double alpha, double delta) {
        int minN = minimumSamples(alpha, delta);
        double total = 0;
        for (double wi : w) {
            total += wi;
        }
        // Sort by calibrated confidence, highest first, to sweep the grid in one pass.
        double[] negQ = new double[q.length];
        for (int i = 0; i < q.length; i++) {
            negQ[i] = -q[i];
        }
        double[] ys = y.clone();
        double[] ws = w.clone();
        Sorting.sortByKey(negQ, ys, ws);

        Result best = null;
        int i = 0;
        Evidence e = new Evidence();
        for (double lambda : GRID) {
            while (i < negQ.length && -negQ[i] >= lambda) {
                e.add(ws[i], ys[i]);
                i++;
            }
            long n = e.n();
            long k = e.k();
            if (n < minN) {
                continue;
            }
            if (pValue(n, k, alpha) > delta) {
                break;
            }
            best = new Result(lambda, clopperPearsonUpper(k, n, delta), total > 0 ? e.sumW / total : 0, n, k);
        }
        return best != null ? best : new Result(null, null, 0, 0, 0);
    }

    /** The outcome of releasing at a given λ (used when a cost rule raises the selected threshold). */
    public static Result at(double[] q, double[] y, double[] w, double lambda, double delta) {
        double total = 0;
        Evidence e = new Evidence();
        for (int i = 0; i < q.length; i++) {
            total += w[i];
            if (q[i] >= lambda) {
                e.add(w[i], y[i]);
            }
        }
        long n = e.n();
        long k = e.k();
        return new Result(lambda, n == 0 ? null : clopperPearsonUpper(k, n, delta), total > 0 ? e.sumW / total : 0, n, k);
    }

    /** The labels released at a threshold, as evidence: effective sample size and errors (see the class comment). */
    private static final class Evidence {
        double sumW;
        double sumW2;
        double sumErrW;

        void add(double w, double y) {
            sumW += w;
            sumW2 += w * w;
            sumErrW += w * (1 - y);
        }

        /** ⌊(Σw)² / Σw²⌋: the number of labels for equal weights, fewer for unequal ones. */
        long n() {
            return sumW2 == 0 ? 0 : (long) Math.floor(sumW * sumW / sumW2 + 1e-9);
        }

        /** ⌈n · weighted error rate⌉ */
        long k() {
            return sumW == 0 ? 0 : (long) Math.ceil(n() * sumErrW / sumW - 1e-9);
        }
    }

    /** P(Bin(n, α) ≤ k): how likely this few errors would be if the true error rate were α. */
    public static double pValue(long n, long k, double alpha) {
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many labels for an exact binomial test: " + n);
        }
        return new BinomialDistribution(null, (int) n, alpha).cumulativeProbability((int) Math.min(k, n));
    }

    /** The fewest released labels with which a threshold can pass at all (zero errors). */
    public static int minimumSamples(double alpha, double delta) {
        return (int) Math.ceil(Math.log(delta) / Math.log(1 - alpha));
    }

    /** One-sided Clopper–Pearson upper bound on an error rate, at confidence 1 − δ, after k errors in n. */
    public static double clopperPearsonUpper(long k, long n, double delta) {
        if (k >= n) {
            return 1.0;
        }
        return new BetaDistribution(null, k + 1, n - k).inverseCumulativeProbability(1 - delta);
    }

    private static double[] grid() {
        double[] g = new double[999];
        for (int i = 0; i < g.length; i++) {
            g[i] = (999 - i) / 1000.0;
        }
        return g;
    }
}

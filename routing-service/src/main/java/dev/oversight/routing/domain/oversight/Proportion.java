package dev.oversight.routing.domain.oversight;

import org.apache.commons.math3.distribution.BetaDistribution;

/**
 * A proportion with its n and a two-sided 95% interval.
 *
 * <p>Unweighted: k successes in n trials, with the exact Clopper–Pearson interval (Clopper and Pearson 1934).
 * Assumption: the n outcomes are independent draws with one common probability.
 *
 * <p>Weighted (inverse-propensity weights, such as audit samples at weight 1/rate): the estimate is the Hájek ratio
 * Σw·x / Σw, and the interval is Clopper–Pearson at Kish's effective sample size n* = (Σw)² / Σw² with
 * k* = n*·estimate (Beta quantiles take real-valued counts). With equal weights this is exactly the unweighted
 * interval. Assumptions: outcomes are independent, each weight is the inverse of the probability that the outcome
 * was observed, and that probability does not depend on the outcome. The same effective-sample-size reasoning is
 * what threshold selection uses, and it is checked by simulation there and in {@code ProportionTest}.
 */
public record Proportion(long n, double effectiveN, double estimate, double lower, double upper) {

    private static final double ALPHA = 0.05;

    /** k of n; an empty sample has estimate 0 and the interval [0, 1]. */
    public static Proportion of(long k, long n) {
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("need 0 <= k <= n, got k=" + k + ", n=" + n);
        }
        if (n == 0) {
            return new Proportion(0, 0, 0, 0, 1);
        }
        return new Proportion(n, n, (double) k / n, lower(k, n), upper(k, n));
    }

    /** Observations x[i] in {0, 1} with weights w[i] > 0. */
    public static Proportion weighted(double[] x, double[] w) {
        if (x.length != w.length) {
            throw new IllegalArgumentException("x and w differ in length");
        }
        double sw = 0;
        double sw2 = 0;
        double swx = 0;
        for (int i = 0; i < x.length; i++) {
            if (!(w[i] > 0) || (x[i] != 0 && x[i] != 1)) {
                throw new IllegalArgumentException("weights must be positive and outcomes 0 or 1");
            }
            sw += w[i];
            sw2 += w[i] * w[i];
            swx += w[i] * x[i];
        }
        if (x.length == 0) {
            return new Proportion(0, 0, 0, 0, 1);
        }
        double p = swx / sw;
        double nEff = sw * sw / sw2;
        double k = nEff * p;
        return new Proportion(x.length, nEff, p, lower(k, nEff), upper(k, nEff));
    }

    private static double lower(double k, double n) {
        return k <= 0 ? 0 : new BetaDistribution(null, k, n - k + 1).inverseCumulativeProbability(ALPHA / 2);
    }

    private static double upper(double k, double n) {
        return k >= n ? 1 : new BetaDistribution(null, k + 1, n - k).inverseCumulativeProbability(1 - ALPHA / 2);
    }
}

package dev.oversight.routing.domain.oversight;

import org.apache.commons.math3.special.Beta;

/**
 * A sequential test that the error rate among released outputs has risen above α, valid at any stopping time.
 *
 * <p>H₀: every audit-sampled released output is wrong with probability at most α. Against it, the mixture
 * likelihood ratio M_n(α) = ∫ Π (q/α)^xᵢ ((1−q)/(1−α))^(1−xᵢ) π(dq), with π a Beta(1, b₀) prior truncated to
 * (α, 1) (Robbins' method of mixtures), is a non-negative supermartingale under H₀: for any q &gt; α each factor has
 * expectation p·q/α + (1−p)(1−q)/(1−α) ≤ 1 when p ≤ α. By Ville's inequality P(sup_n M_n ≥ 1/δ) ≤ δ, so an alarm
 * raised when M_n ≥ 1/δ is false with probability at most δ however often and whenever it is checked. With k errors
 * in n samples M_n = [B(k+1, n−k+b₀)·(1 − I_α(k+1, n−k+b₀))] / [B(1, b₀)·(1 − I_α(1, b₀)) · α^k (1−α)^(n−k)].
 * The prior only shapes power (b₀ = 1/α − 1 favours rates a few times α); the guarantee holds for any prior.
 * {@link #lowerBound} inverts the same test: the smallest α' it does not reject, the lower end of a one-sided
 * (1−δ) confidence sequence for the error rate.
 *
 * <p>Assumptions: samples are independent given the past, and each is a uniform draw from the outputs released at its
 * time (the router's audit sample is drawn by a keyed hash, independent of whether the output is right). A sample's
 * weight 1/rate says how many outputs it stands for, which matters when estimating a rate over a window with
 * several sample rates, but not here: under H₀ each draw is wrong with probability at most α whatever rate it was
 * drawn at, so the test uses the samples themselves.
 */
public final class ErrorRateMonitor {

    private ErrorRateMonitor() {
    }

    /** The test's state after k errors in n samples. */
    public record Evidence(long n, long errors, double alpha, double delta, double logLikelihoodRatio,
                           boolean alarm, double lowerBound) {
    }

    public static Evidence check(long n, long errors, double alpha, double delta) {
        if (n < 0 || errors < 0 || errors > n || !(alpha > 0 && alpha < 1) || !(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("need 0 <= errors <= n and alpha, delta in (0, 1)");
        }
        double log = logRatio(n, errors, alpha);
        return new Evidence(n, errors, alpha, delta, log, log >= Math.log(1 / delta), lowerBound(n, errors, delta));
    }

    /** log M_n(α) after k errors in n samples. */
    static double logRatio(long n, long k, double alpha) {
        double a0 = 1.0;
        double b0 = priorB(alpha);
        double priorTail = 1 - Beta.regularizedBeta(alpha, a0, b0);
        double a = k + a0;
        double b = n - k + b0;
        double tail = 1 - Beta.regularizedBeta(alpha, a, b);
        if (!(tail > 0) || !(priorTail > 0)) {
            // All the posterior mass lies below α to machine precision: no evidence against H₀.
            return Double.NEGATIVE_INFINITY;
        }
        return Beta.logBeta(a, b) + Math.log(tail) - Beta.logBeta(a0, b0) - Math.log(priorTail)
                - k * Math.log(alpha) - (n - k) * Math.log(1 - alpha);
    }

    /** The mixing prior Beta(1, b₀) truncated to (α, 1): b₀ = 1/α − 1 puts its weight on rates a few times α. */
    static double priorB(double alpha) {
        return Math.max(1.0, 1 / alpha - 1);
    }

    /** The smallest error rate the test does not reject at level δ (0 when it rejects none). */
    static double lowerBound(long n, long k, double delta) {
        double threshold = Math.log(1 / delta);
        double lo = 1e-9;
        double hi = 1 - 1e-9;
        if (logRatio(n, k, lo) < threshold) {
            return 0;
        }
        for (int i = 0; i < 60; i++) {
            double mid = (lo + hi) / 2;
            if (logRatio(n, k, mid) >= threshold) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}

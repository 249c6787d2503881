package dev.oversight.routing.domain.evaluation;

/**
 * The exact (conditional) McNemar test for paired binary outcomes (McNemar 1947; the exact form as in Fagerland,
 * Lydersen and Laake 2013). Two systems judged on the same items: {@code b} items only the first got right,
 * {@code c} items only the second got right. Under H₀ (both are right equally often) each of the n = b + c
 * discordant items is equally likely to fall either way, so b ~ Bin(n, ½), and the two-sided p-value is
 * min(1, 2·P(X ≤ min(b, c))). Items both got right or both got wrong carry no evidence and are not used.
 *
 * <p>Assumptions: the items are independent of one another, and each item's pair of outcomes comes from the same
 * item (the pairing is real). The test is exact: no normal approximation, valid for any n (n = 0 gives p = 1).
 */
public final class McNemar {

    private McNemar() {
    }

    /** The two-sided exact p-value for b and c discordant pairs. */
    public static double pValue(long b, long c) {
        if (b < 0 || c < 0) {
            throw new IllegalArgumentException("counts must be non-negative, got b=" + b + ", c=" + c);
        }
        long n = b + c;
        if (n == 0) {
            return 1;
        }
        return Math.min(1, 2 * lowerTail(Math.min(b, c), n));
    }

    /**
     * P(X ≤ k) for X ~ Bin(n, ½), summed in log space term by term (C(n, i)·2⁻ⁿ), so that n in the millions neither
     * overflows nor loses the small tail.
     */
    static double lowerTail(long k, long n) {
        double logHalfN = -n * Math.log(2);
        double logTerm = logHalfN; // i = 0: C(n, 0) = 1
        double max = logTerm;
        double[] logs = new double[(int) k + 1];
        logs[0] = logTerm;
        for (long i = 1; i <= k; i++) {
            logTerm += Math.log((double) (n - i + 1) / i);
            logs[(int) i] = logTerm;
            max = Math.max(max, logTerm);
        }
        double sum = 0;
        for (double l : logs) {
            sum += Math.exp(l - max);
        }
        return Math.min(1, Math.exp(max + Math.log(sum)));
    }
}

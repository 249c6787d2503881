package dev.oversight.routing.domain.oversight;

import java.util.Arrays;

/** Empirical quantiles by linear interpolation between order statistics (R type 7, NumPy's default). */
public final class Percentiles {

    private Percentiles() {
    }

    /** The q-quantile (0 ≤ q ≤ 1) of the values; null for none. */
    public static Double of(double[] values, double q) {
        if (values.length == 0) {
            return null;
        }
        if (q < 0 || q > 1) {
            throw new IllegalArgumentException("q must be in [0, 1]");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        double h = (v.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, v.length - 1);
        return v[lo] + (h - lo) * (v[hi] - v[lo]);
    }
}

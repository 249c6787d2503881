package dev.oversight.routing.domain.calibration;

import dev.oversight.routing.domain.Calibrator;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two non-parametric calibrators:
 * <ul>
 *   <li>isotonic: weighted pool-adjacent-violators, as scikit-learn's {@code IsotonicRegression}: equal scores
 *       are merged first, the fit is interpolated linearly between block endpoints and clipped outside the range;</li>
 *   <li>histogram: equal-mass bins over the scores, each mapped to its (weighted) share of correct outputs.</li>
 * </ul>
 */
public final class PiecewiseCalibrator implements Calibrator {

    private final String method;
    private final double[] x;
    private final double[] y;

    private PiecewiseCalibrator(String method, double[] x, double[] y) {
        this.method = method;
        this.x = x;
        this.y = y;
    }

    /** Rebuilds a stored isotonic fit: points (x, y), x strictly increasing, y non-decreasing. */
    public static PiecewiseCalibrator isotonic(double[] x, double[] y) throws CalibrationException {
        check("isotonic", x, y);
        return new PiecewiseCalibrator("isotonic", x, y);
    }

    /** Rebuilds a stored histogram: upper bin edges (last one 1) and each bin's value. */
    public static PiecewiseCalibrator histogram(double[] upperEdges, double[] values) throws CalibrationException {
        check("histogram", upperEdges, values);
        return new PiecewiseCalibrator("histogram", upperEdges, values);
    }

    public static PiecewiseCalibrator fitIsotonic(Labels labels) throws CalibrationException {
        int n = labels.size();
        if (n == 0) {
            throw new CalibrationException("isotonic: no labels");
        }
        double[] s = labels.score().clone();
        double[] wy = new double[n];
        double[] w = labels.weight().clone();
        for (int i = 0; i < n; i++) {
            wy[i] = labels.y()[i] * w[i];
        }
        Sorting.sortByKey(s, wy, w);

        // Merge equal scores (sums of weight and weighted outcome).
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (m > 0 && s[i] == s[m - 1]) {
                wy[m - 1] += wy[i];
                w[m - 1] += w[i];
            } else {
                s[m] = s[i];
                wy[m] = wy[i];
                w[m] = w[i];
                m++;
            }
        }

        // Pool adjacent violators: blocks as (sum wy, sum w, first index), merged while means decrease.
        double[] bwy = new double[m];
        double[] bw = new double[m];
        int[] start = new int[m];
        int blocks = 0;
        for (int i = 0; i < m; i++) {
            bwy[blocks] = wy[i];
            bw[blocks] = w[i];
            start[blocks] = i;
            blocks++;
            while (blocks > 1 && bwy[blocks - 2] * bw[blocks - 1] >= bwy[blocks - 1] * bw[blocks - 2]) {
                bwy[blocks - 2] += bwy[blocks - 1];
                bw[blocks - 2] += bw[blocks - 1];
                blocks--;
            }
        }

        // Keep each block's first and last score: interpolation between them is the fitted function.
        double[] px = new double[2 * blocks];
        double[] py = new double[2 * blocks];
        int k = 0;
        for (int b = 0; b < blocks; b++) {
            int first = start[b];
            int last = b + 1 < blocks ? start[b + 1] - 1 : m - 1;
            double mean = bw[b] > 0 ? bwy[b] / bw[b] : 0;
            px[k] = s[first];
            py[k++] = mean;
            if (last != first) {
                px[k] = s[last];
                py[k++] = mean;
            }
        }
        return isotonic(Arrays.copyOf(px, k), Arrays.copyOf(py, k));
    }

    /**
     * Equal-mass histogram binning with the most bins, up to {@code maxBins}, whose map is monotone: noisy bins
     * of a small sample are merged rather than the method rejected; with no monotone fit even at two bins, it is.
     */
    public static PiecewiseCalibrator fitHistogram(Labels labels, int maxBins) throws CalibrationException {
        CalibrationException last = null;
        for (int bins = maxBins; bins >= 2; bins--) {
            try {
                return fitHistogramWith(labels, bins);
            } catch (CalibrationException e) {
                last = e;
            }
        }
        throw last != null ? last : new CalibrationException("histogram: needs at least two bins");
    }

    private static PiecewiseCalibrator fitHistogramWith(Labels labels, int bins) throws CalibrationException {
        int n = labels.size();
        if (n < bins) {
            throw new CalibrationException("histogram: " + bins + " bins need at least as many labels");
        }
        double[] s = labels.score().clone();
        double[] y = labels.y().clone();
        double[] w = labels.weight().clone();
        Sorting.sortByKey(s, y, w);
        double total = labels.totalWeight();
        double[] edges = new double[bins];
        double[] values = new double[bins];
        int b = 0;
        double sumW = 0;
        double sumWY = 0;
        double cumulative = 0;
        int used = 0;
        for (int i = 0; i < n; i++) {
            sumW += w[i];
            sumWY += w[i] * y[i];
            cumulative += w[i];
            boolean lastOfScore = i == n - 1 || s[i + 1] != s[i];
            boolean full = cumulative >= total * (b + 1) / bins;
            if (lastOfScore && (full || i == n - 1) && sumW > 0) {
                edges[b] = i == n - 1 ? 1.0 : s[i];
                values[b] = sumWY / sumW;
                used = ++b;
                sumW = 0;
                sumWY = 0;
                if (b == bins) {
                    break;
                }
            }
        }
        edges[used - 1] = 1.0;
        return histogram(Arrays.copyOf(edges, used), Arrays.copyOf(values, used));
    }

    @Override
    public double calibrate(double raw) {
        if ("histogram".equals(method)) {
            int i = Arrays.binarySearch(x, raw);
            int bin = i >= 0 ? i : Math.min(-i - 1, x.length - 1);
            return y[bin];
        }
        if (raw <= x[0]) {
            return y[0];
        }
        if (raw >= x[x.length - 1]) {
            return y[y.length - 1];
        }
        int i = Arrays.binarySearch(x, raw);
        if (i >= 0) {
            return y[i];
        }
        int hi = -i - 1;
        int lo = hi - 1;
        return y[lo] + (y[hi] - y[lo]) * (raw - x[lo]) / (x[hi] - x[lo]);
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("x", x);
        p.put("y", y);
        return p;
    }

    private static void check(String method, double[] x, double[] y) throws CalibrationException {
        if (x.length == 0 || x.length != y.length) {
            throw new CalibrationException(method + ": needs as many x as y values, at least one");
        }
        for (int i = 0; i < x.length; i++) {
            if (!(y[i] >= 0 && y[i] <= 1) || !Double.isFinite(x[i])) {
                throw new CalibrationException(method + ": values must be probabilities");
            }
            if (i > 0 && !(x[i] > x[i - 1])) {
                throw new CalibrationException(method + ": x must increase strictly");
            }
            if (i > 0 && y[i] < y[i - 1]) {
                throw new CalibrationException(method + ": the fitted map is not monotone non-decreasing");
            }
        }
    }
}

package dev.oversight.review.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Inter-rater agreement: Cohen's kappa for two raters (Cohen 1960) and Fleiss' kappa for any fixed number of
 * raters per item (Fleiss 1971), each with a 95% percentile bootstrap interval over items (seeded, so a report
 * can be reproduced).
 */
public final class Agreement {

    /** κ with its interval; {@code items} is how many items it rests on. NaN κ when agreement is undefined. */
    public record Kappa(double kappa, double lower, double upper, int items) {
    }

    private static final int RESAMPLES = 1000;

    private Agreement() {
    }

    /** Cohen's κ of two raters' labels for the same items: (pₒ − pₑ) / (1 − pₑ). */
    public static double cohen(List<String> a, List<String> b) {
        int n = a.size();
        if (n == 0 || n != b.size()) {
            return Double.NaN;
        }
        Map<String, Integer> countA = new HashMap<>();
        Map<String, Integer> countB = new HashMap<>();
        int same = 0;
        for (int i = 0; i < n; i++) {
            countA.merge(a.get(i), 1, Integer::sum);
            countB.merge(b.get(i), 1, Integer::sum);
            if (a.get(i).equals(b.get(i))) {
                same++;
            }
        }
        double po = (double) same / n;
        double pe = 0;
        for (Map.Entry<String, Integer> e : countA.entrySet()) {
            pe += (double) e.getValue() / n * countB.getOrDefault(e.getKey(), 0) / n;
        }
        return pe == 1 ? Double.NaN : (po - pe) / (1 - pe);
    }

    public static Kappa cohenWithInterval(List<String> a, List<String> b, long seed) {
        double k = cohen(a, b);
        int n = a.size();
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[RESAMPLES];
        int m = 0;
        for (int r = 0; r < RESAMPLES; r++) {
            List<String> ra = new ArrayList<>(n);
            List<String> rb = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int j = random.nextInt(n);
                ra.add(a.get(j));
                rb.add(b.get(j));
            }
            double v = cohen(ra, rb);
            if (!Double.isNaN(v)) {
                values[m++] = v;
            }
        }
        return interval(k, values, m, n);
    }

    /**
     * Fleiss' κ from a table: counts[i][j] = how many raters put item i in category j; every row sums to the same
     * number of raters m ≥ 2.
     */
    public static double fleiss(int[][] counts) {
        int n = counts.length;
        if (n == 0) {
            return Double.NaN;
        }
        int k = counts[0].length;
        int m = Arrays.stream(counts[0]).sum();
        if (m < 2) {
            return Double.NaN;
        }
        double[] pj = new double[k];
        double pBar = 0;
        for (int[] row : counts) {
            int sum = 0;
            double agree = 0;
            for (int j = 0; j < k; j++) {
                sum += row[j];
                pj[j] += row[j];
                agree += (double) row[j] * (row[j] - 1);
            }
            if (sum != m) {
                throw new IllegalArgumentException("every item needs the same number of ratings (" + m + ")");
            }
            pBar += agree / (m * (m - 1.0));
        }
        pBar /= n;
        double pe = 0;
        for (int j = 0; j < k; j++) {
            pj[j] /= (double) n * m;
            pe += pj[j] * pj[j];
        }
        return pe == 1 ? Double.NaN : (pBar - pe) / (1 - pe);
    }

    public static Kappa fleissWithInterval(int[][] counts, long seed) {
        double k = fleiss(counts);
        int n = counts.length;
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[RESAMPLES];
        int m = 0;
        int[][] sample = new int[n][];
        for (int r = 0; r < RESAMPLES; r++) {
            for (int i = 0; i < n; i++) {
                sample[i] = counts[random.nextInt(n)];
            }
            double v = fleiss(sample);
            if (!Double.isNaN(v)) {
                values[m++] = v;
            }
        }
        return interval(k, values, m, n);
    }

    private static Kappa interval(double k, double[] values, int m, int items) {
        if (m == 0) {
            return new Kappa(k, Double.NaN, Double.NaN, items);
        }
        double[] sorted = Arrays.copyOf(values, m);
        Arrays.sort(sorted);
        return new Kappa(k, sorted[(int) Math.floor(0.025 * (m - 1))], sorted[(int) Math.ceil(0.975 * (m - 1))], items);
    }
}

package dev.oversight.routing.domain.calibration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Calibration quality of predicted probabilities p against outcomes, all weighted. */
public final class Metrics {

    public static final int ECE_BINS = 15;
    private static final double EPS = 1e-15;

    private Metrics() {
    }

    /** One reliability bin: (lo, hi], how many fell in, their mean prediction and their accuracy. */
    public record Bin(double lo, double hi, int count, double weight, Double meanConfidence, Double accuracy) {
    }

    /** Equal-width bins (lo, hi] over [0, 1]; 0 itself falls in the first. */
    public static List<Bin> reliability(double[] p, double[] y, double[] w, int bins) {
        int[] count = new int[bins];
        double[] sw = new double[bins];
        double[] swp = new double[bins];
        double[] swy = new double[bins];
        for (int i = 0; i < p.length; i++) {
            int b = Math.min(bins - 1, Math.max(0, (int) Math.ceil(p[i] * bins) - 1));
            count[b]++;
            sw[b] += w[i];
            swp[b] += w[i] * p[i];
            swy[b] += w[i] * y[i];
        }
        List<Bin> out = new ArrayList<>(bins);
        for (int b = 0; b < bins; b++) {
            out.add(new Bin((double) b / bins, (double) (b + 1) / bins, count[b], sw[b],
                    sw[b] > 0 ? swp[b] / sw[b] : null, sw[b] > 0 ? swy[b] / sw[b] : null));
        }
        return out;
    }

    /** Expected calibration error over 15 equal-width bins (lo, hi]. */
    public static double ece(double[] p, double[] y, double[] w) {
        return gap(reliability(p, y, w, ECE_BINS), false);
    }

    /** Maximum calibration error over the same bins. */
    public static double mce(double[] p, double[] y, double[] w) {
        return gap(reliability(p, y, w, ECE_BINS), true);
    }

    /** ECE over 15 bins holding equal weight of predictions (ties kept together). */
    public static double eceEqualMass(double[] p, double[] y, double[] w) {
        double[] ps = p.clone();
        double[] ys = y.clone();
        double[] ws = w.clone();
        Sorting.sortByKey(ps, ys, ws);
        double total = Arrays.stream(ws).sum();
        double ece = 0;
        double sw = 0;
        double swp = 0;
        double swy = 0;
        double cumulative = 0;
        int b = 0;
        for (int i = 0; i < ps.length; i++) {
            sw += ws[i];
            swp += ws[i] * ps[i];
            swy += ws[i] * ys[i];
            cumulative += ws[i];
            boolean boundary = i == ps.length - 1
                    || (cumulative >= total * (b + 1) / ECE_BINS && ps[i + 1] != ps[i]);
            if (boundary && sw > 0) {
                ece += Math.abs(swp - swy) / total;
                sw = 0;
                swp = 0;
                swy = 0;
                b++;
            }
        }
        return ece;
    }

    public static double brier(double[] p, double[] y, double[] w) {
        double s = 0;
        double sw = 0;
        for (int i = 0; i < p.length; i++) {
            s += w[i] * (p[i] - y[i]) * (p[i] - y[i]);
            sw += w[i];
        }
        return s / sw;
    }

    public static double logLoss(double[] p, double[] y, double[] w) {
        double s = 0;
        double sw = 0;
        for (int i = 0; i < p.length; i++) {
            double q = Math.min(Math.max(p[i], EPS), 1 - EPS);
            s -= w[i] * (y[i] * Math.log(q) + (1 - y[i]) * Math.log(1 - q));
            sw += w[i];
        }
        return s / sw;
    }

    /**
     * Area under the risk–coverage curve: outputs ordered by confidence, highest first; at each coverage the
     * error rate of what is covered; averaged over coverage. Lower means confidence ranks errors last.
     */
    public static double aurc(double[] p, double[] y, double[] w) {
        double[][] sorted = mostConfidentFirst(p, y, w);
        double[] ys = sorted[0];
        double[] ws = sorted[1];
        double total = Arrays.stream(ws).sum();
        double covered = 0;
        double errors = 0;
        double area = 0;
        for (int i = 0; i < ys.length; i++) {
            covered += ws[i];
            errors += ws[i] * (1 - ys[i]);
            area += ws[i] * (errors / covered);
        }
        return area / total;
    }

    /** The error rate among the most confident share of outputs: one point of the risk–coverage curve. */
    public record RiskAt(double coverage, double errorRate) {
    }

    /** The risk–coverage curve at coverages 10%, 20%, … 100% of the (weighted) outputs, most confident first. */
    public static List<RiskAt> riskCoverage(double[] p, double[] y, double[] w) {
        double[][] sorted = mostConfidentFirst(p, y, w);
        double[] ys = sorted[0];
        double[] ws = sorted[1];
        double total = Arrays.stream(ws).sum();
        List<RiskAt> curve = new ArrayList<>();
        double covered = 0;
        double errors = 0;
        int next = 1;
        for (int i = 0; i < ys.length && next <= 10; i++) {
            covered += ws[i];
            errors += ws[i] * (1 - ys[i]);
            while (next <= 10 && covered >= total * next / 10.0 - 1e-9) {
                curve.add(new RiskAt(next / 10.0, errors / covered));
                next++;
            }
        }
        return curve;
    }

    /** Outcomes and weights ordered by confidence, highest first: {ys, ws}. */
    private static double[][] mostConfidentFirst(double[] p, double[] y, double[] w) {
        double[] key = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            key[i] = -p[i];
        }
        double[] ys = y.clone();
        double[] ws = w.clone();
        Sorting.sortByKey(key, ys, ws);
        return new double[][] {ys, ws};
    }

    /** A bootstrap 95% percentile interval of a metric (seeded, so a report can be reproduced). */
    public static double[] bootstrap95(double[] p, double[] y, double[] w, Metric metric, int resamples, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = p.length;
        double[] values = new double[resamples];
        double[] bp = new double[n];
        double[] by = new double[n];
        double[] bw = new double[n];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < n; i++) {
                int j = random.nextInt(n);
                bp[i] = p[j];
                by[i] = y[j];
                bw[i] = w[j];
            }
            values[r] = metric.of(bp, by, bw);
        }
        Arrays.sort(values);
        return new double[] {values[(int) Math.floor(0.025 * (resamples - 1))],
                values[(int) Math.ceil(0.975 * (resamples - 1))]};
    }

    /** A metric of predictions, outcomes and weights. */
    @FunctionalInterface
    public interface Metric {
        double of(double[] p, double[] y, double[] w);
    }

    private static double gap(List<Bin> bins, boolean max) {
        double total = bins.stream().mapToDouble(Bin::weight).sum();
        double result = 0;
        for (Bin b : bins) {
            if (b.weight() > 0) {
                double g = Math.abs(b.accuracy() - b.meanConfidence());
                result = max ? Math.max(result, g) : result + b.weight() / total * g;
            }
        }
        return result;
    }
}

package dev.oversight.routing.domain.calibration;

/**
 * Labelled scores as parallel primitive arrays: raw confidence, outcome (1 correct, 0 incorrect), weight
 * (1/propensity of having been labelled) and, where the model gave one, its full probability distribution
 * ({@code distributions} null, or null per row, when it did not). Arrays keep million-label fits allocation-light.
 */
public record Labels(double[] score, double[] y, double[] weight, double[][] distributions) {

    public Labels {
        if (score.length != y.length || score.length != weight.length
                || (distributions != null && distributions.length != score.length)) {
            throw new IllegalArgumentException("score, y, weight and distributions must have the same length");
        }
    }

    public Labels(double[] score, double[] y, double[] weight) {
        this(score, y, weight, null);
    }

    public double[] distribution(int i) {
        return distributions == null ? null : distributions[i];
    }

    public static Labels unweighted(double[] score, double[] y) {
        double[] w = new double[score.length];
        java.util.Arrays.fill(w, 1.0);
        return new Labels(score, y, w);
    }

    public int size() {
        return score.length;
    }

    public double totalWeight() {
        double s = 0;
        for (double w : weight) {
            s += w;
        }
        return s;
    }

    /** The labels at the given positions, in that order. */
    public Labels subset(int[] idx) {
        double[] s = new double[idx.length];
        double[] yy = new double[idx.length];
        double[] w = new double[idx.length];
        double[][] d = distributions == null ? null : new double[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            s[i] = score[idx[i]];
            yy[i] = y[idx[i]];
            w[i] = weight[idx[i]];
            if (d != null) {
                d[i] = distributions[idx[i]];
            }
        }
        return new Labels(s, yy, w, d);
    }
}

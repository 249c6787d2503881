package dev.oversight.routing.domain.calibration;

/**
 * Labelled scores as parallel primitive arrays: raw confidence (NaN for a label that carries only signals), outcome
 * (1 correct, 0 incorrect), weight (1/propensity of having been labelled), where the model gave one its full
 * probability distribution ({@code distributions} null, or null per row, when it did not), and the named signals of
 * a use case that routes on several ({@code signals[k][i]}: signal k of label i, in the policy's order; null when it
 * names none). Arrays keep million-label fits allocation-light.
 */
public record Labels(double[] score, double[] y, double[] weight, double[][] distributions, double[][] signals) {

    public Labels {
        if (score.length != y.length || score.length != weight.length
                || (distributions != null && distributions.length != score.length)) {
            throw new IllegalArgumentException("score, y, weight and distributions must have the same length");
        }
        if (signals != null) {
            for (double[] column : signals) {
                if (column.length != score.length) {
                    throw new IllegalArgumentException("each signal needs one value per label");
                }
            }
        }
    }

    public Labels(double[] score, double[] y, double[] weight, double[][] distributions) {
        this(score, y, weight, distributions, null);
    }

    public Labels(double[] score, double[] y, double[] weight) {
        this(score, y, weight, null, null);
    }

    /** Whether every label has a raw confidence (single-signal methods need one). */
    public boolean allScored() {
        for (double s : score) {
            if (Double.isNaN(s)) {
                return false;
            }
        }
        return true;
    }

    /** Label i's signals, in the policy's order. */
    public double[] signalsOf(int i) {
        double[] out = new double[signals.length];
        for (int a = 0; a < out.length; a++) {
            out[a] = signals[a][i];
        }
        return out;
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
        double[][] sig = signals == null ? null : new double[signals.length][idx.length];
        for (int i = 0; i < idx.length; i++) {
            s[i] = score[idx[i]];
            yy[i] = y[idx[i]];
            w[i] = weight[idx[i]];
            if (d != null) {
                d[i] = distributions[idx[i]];
            }
            if (sig != null) {
                for (int a = 0; a < sig.length; a++) {
                    sig[a][i] = signals[a][idx[i]];
                }
            }
        }
        return new Labels(s, yy, w, d, sig);
    }
}

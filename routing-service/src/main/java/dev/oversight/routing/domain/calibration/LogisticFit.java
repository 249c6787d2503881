package dev.oversight.routing.domain.calibration;

/**
 * Weighted logistic regression with soft targets, by Newton's method with backtracking line search:
 * minimises −Σ wᵢ [tᵢ log pᵢ + (1 − tᵢ) log(1 − pᵢ)], pᵢ = σ(β·xᵢ). The loss is convex, so the optimum is
 * unique; Platt, beta and temperature scaling are all this fit on different features.
 *
 * <p>Features are stored by column (one array per feature), and each Newton iteration is one pass over the labels
 * that yields the gradient and the Hessian together (one exponential per label). The loss is convex, so along the
 * Newton direction it decreases all the way to a candidate where its slope is still not positive: such a step is
 * accepted without computing the loss, and a full step costs no extra pass; otherwise the step is halved.
 * Iterations stop when the gradient vanishes or the Newton decrement says the loss cannot fall by more than its own
 * rounding.
 */
final class LogisticFit {

    private static final int MAX_ITERATIONS = 200;
    private static final double RIDGE = 1e-12;

    private LogisticFit() {
    }

    /** Gradient and Hessian (lower triangle) at one point. */
    private record Pass(double[] g, double[][] h) {
    }

    /**
     * @param columns features by column: {@code columns[a][i]} is feature a of label i (include a column of ones for
     *                an intercept)
     * @param t       targets in [0, 1]
     * @param w       sample weights
     * @param start   initial coefficients
     */
    static double[] fit(double[][] columns, double[] t, double[] w, double[] start) {
        return fit(columns, t, w, start, new double[start.length]);
    }

    /**
     * The same with an L2 penalty: minimises the loss + ½ Σ penalty[a]·β[a]² (a ridge per coefficient; 0 leaves one
     * free, such as the intercept). Still convex, so still one optimum.
     */
    static double[] fit(double[][] columns, double[] t, double[] w, double[] start, double[] penalty) {
        int d = start.length;
        double scale = 0;
        for (double wi : w) {
            scale += wi;
        }
        double tolerance = 1e-12 * Math.max(1, scale);
        double[] beta = start.clone();
        Pass at = pass(columns, t, w, beta, penalty);
        for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
            double gmax = 0;
            double[][] h = new double[d][d];
            for (int a = 0; a < d; a++) {
                gmax = Math.max(gmax, Math.abs(at.g()[a]));
                for (int b = 0; b <= a; b++) {
                    h[a][b] = at.h()[a][b];
                    h[b][a] = at.h()[a][b];
                }
                h[a][a] += RIDGE;
            }
            if (gmax < tolerance) {
                break;
            }
            double[] step = solve(h, at.g());
            double gd = 0;
            for (int a = 0; a < d; a++) {
                step[a] = -step[a];
                gd += at.g()[a] * step[a];
            }
            // Newton decrement: −gd/2 estimates how much the loss can still fall. Once that is at the level of the
            // sum's rounding, further steps only chase noise (a gradient over a million labels never reaches zero).
            // The loss is at least Σw·min(t, 1 − t)-ish and at most Σw·ln 2 at the start: scale is its magnitude.
            if (-gd / 2 <= 1e-15 * Math.max(1, scale)) {
                break;
            }
            double s = 1;
            Pass next = null;
            double[] candidate = null;
            while (s > 1e-9) {
                candidate = new double[d];
                for (int a = 0; a < d; a++) {
                    candidate[a] = beta[a] + s * step[a];
                }
                next = pass(columns, t, w, candidate, penalty);
                double slope = 0;
                for (int a = 0; a < d; a++) {
                    slope += next.g()[a] * step[a];
                }
                // Near the optimum the slope at a full step is rounding noise of either sign: accept small ones there.
                boolean nearOptimum = -gd / 2 <= 1e-6 * Math.max(1, scale);
                if (slope <= 0 || (nearOptimum && slope <= -gd / 2)) {
                    break;
                }
                next = null;
                s /= 2;
            }
            if (next == null) {
                break;
            }
            beta = candidate;
            at = next;
        }
        return beta;
    }

    /** The penalised loss's Hessian at β (full, symmetric): its inverse is the coefficients' Wald covariance. */
    static double[][] hessian(double[][] columns, double[] t, double[] w, double[] beta, double[] penalty) {
        double[][] lower = pass(columns, t, w, beta, penalty).h();
        int d = beta.length;
        double[][] h = new double[d][d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                h[a][b] = lower[a][b];
                h[b][a] = lower[a][b];
            }
        }
        return h;
    }

    /** The inverse of a small symmetric positive-definite matrix, column by column. */
    static double[][] inverse(double[][] h) {
        int d = h.length;
        double[][] inv = new double[d][d];
        for (int col = 0; col < d; col++) {
            double[] e = new double[d];
            e[col] = 1;
            double[] x = solve(h, e);
            for (int r = 0; r < d; r++) {
                inv[r][col] = x[r];
            }
        }
        return inv;
    }

    /** One pass over the labels: gradient and Hessian (lower triangle) of the penalised loss at β. */
    private static Pass pass(double[][] columns, double[] t, double[] w, double[] beta, double[] penalty) {
        int d = beta.length;
        int n = t.length;
        double[] g = new double[d];
        double[][] h = new double[d][d];
        for (int i = 0; i < n; i++) {
            double z = 0;
            for (int a = 0; a < d; a++) {
                z += columns[a][i] * beta[a];
            }
            // σ(z) from e = exp(−|z|) ∈ (0, 1], without overflow.
            double e = Math.exp(-Math.abs(z));
            double p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
            double r = w[i] * (p - t[i]);
            double v = w[i] * p * (1 - p);
            for (int a = 0; a < d; a++) {
                double xa = columns[a][i];
                g[a] += r * xa;
                for (int b = 0; b <= a; b++) {
                    h[a][b] += v * xa * columns[b][i];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            g[a] += penalty[a] * beta[a];
            h[a][a] += penalty[a];
        }
        return new Pass(g, h);
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    static double logit(double p) {
        double c = Math.min(Math.max(p, 1e-12), 1 - 1e-12);
        return Math.log(c / (1 - c));
    }

    /** Solves h·x = g for a small symmetric positive-definite h (Gaussian elimination with pivoting). */
    private static double[] solve(double[][] h, double[] g) {
        int n = g.length;
        double[][] m = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            System.arraycopy(h[i], 0, m[i], 0, n);
            m[i][n] = g[i];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] tmp = m[col];
            m[col] = m[pivot];
            m[pivot] = tmp;
            for (int r = col + 1; r < n; r++) {
                double f = m[r][col] / m[col][col];
                for (int c = col; c <= n; c++) {
                    m[r][c] -= f * m[col][c];
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = m[r][n];
            for (int c = r + 1; c < n; c++) {
                s -= m[r][c] * x[c];
            }
            x[r] = s / m[r][r];
        }
        return x;
    }
}

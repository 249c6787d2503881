package dev.oversight.routing.domain.calibration;

/**
 * Weighted logistic regression with soft targets, by Newton's method with backtracking line search:
 * minimises −Σ wᵢ [tᵢ log pᵢ + (1 − tᵢ) log(1 − pᵢ)], pᵢ = σ(β·xᵢ). The loss is convex, so the optimum is
 * unique; Platt, beta and temperature scaling are all this fit on different features.
 */
final class LogisticFit {

    private static final int MAX_ITERATIONS = 200;
    private static final double RIDGE = 1e-12;

    private LogisticFit() {
    }

    /**
     * @param x features, x[i] is one sample's feature vector (include a constant 1 for an intercept)
     * @param t targets in [0, 1]
     * @param w sample weights
     * @param start initial coefficients
     */
    static double[] fit(double[][] x, double[] t, double[] w, double[] start) {
        int d = start.length;
        double[] beta = start.clone();
        double loss = loss(x, t, w, beta);
        double scale = 0;
        for (double wi : w) {
            scale += wi;
        }
        double tolerance = 1e-12 * Math.max(1, scale);
        for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
            double[] g = new double[d];
            double[][] h = new double[d][d];
            for (int i = 0; i < x.length; i++) {
                double z = dot(x[i], beta);
                double p = sigmoid(z);
                double r = w[i] * (p - t[i]);
                double v = w[i] * p * (1 - p);
                for (int a = 0; a < d; a++) {
                    g[a] += r * x[i][a];
                    for (int b = 0; b <= a; b++) {
                        h[a][b] += v * x[i][a] * x[i][b];
                    }
                }
            }
            double gmax = 0;
            for (int a = 0; a < d; a++) {
                gmax = Math.max(gmax, Math.abs(g[a]));
                h[a][a] += RIDGE;
                for (int b = 0; b < a; b++) {
                    h[b][a] = h[a][b];
                }
            }
            if (gmax < tolerance) {
                break;
            }
            double[] step = solve(h, g);
            double gd = 0;
            for (int a = 0; a < d; a++) {
                step[a] = -step[a];
                gd += g[a] * step[a];
            }
            double s = 1;
            boolean improved = false;
            while (s > 1e-12) {
                double[] candidate = new double[d];
                for (int a = 0; a < d; a++) {
                    candidate[a] = beta[a] + s * step[a];
                }
                double candidateLoss = loss(x, t, w, candidate);
                if (candidateLoss <= loss + 1e-4 * s * gd) {
                    beta = candidate;
                    improved = loss - candidateLoss > 1e-15 * Math.max(1, Math.abs(loss));
                    loss = candidateLoss;
                    break;
                }
                s /= 2;
            }
            if (!improved) {
                break;
            }
        }
        return beta;
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    static double logit(double p) {
        double c = Math.min(Math.max(p, 1e-12), 1 - 1e-12);
        return Math.log(c / (1 - c));
    }

    private static double loss(double[][] x, double[] t, double[] w, double[] beta) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            double z = dot(x[i], beta);
            // −[t log σ(z) + (1−t) log(1−σ(z))] = log(1 + e^z) − t z, computed without overflow
            double softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
            sum += w[i] * (softplus - t[i] * z);
        }
        return sum;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
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

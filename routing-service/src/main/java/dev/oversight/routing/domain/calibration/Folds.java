package dev.oversight.routing.domain.calibration;

import java.util.SplittableRandom;

/** Cross-validation folds: which fold each label belongs to, and a fold's split into training and held-out labels. */
final class Folds {

    private Folds() {
    }

    /**
     * A fold of {@code count} for every label: a seeded permutation dealt round-robin, so folds differ in size by at
     * most one.
     */
    static int[] assign(int n, int count, long seed) {
        int[] folds = new int[n];
        int[] perm = permutation(n, seed + 1);
        for (int i = 0; i < n; i++) {
            folds[perm[i]] = i % count;
        }
        return folds;
    }

    /** The labels of every fold but {@code f}, and those of fold {@code f}. */
    static int[][] split(int[] folds, int f) {
        int inFold = 0;
        for (int fold : folds) {
            inFold += fold == f ? 1 : 0;
        }
        int[] train = new int[folds.length - inFold];
        int[] test = new int[inFold];
        int a = 0;
        int b = 0;
        for (int i = 0; i < folds.length; i++) {
            if (folds[i] == f) {
                test[b++] = i;
            } else {
                train[a++] = i;
            }
        }
        return new int[][] {train, test};
    }

    private static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}

package dev.oversight.routing.domain.calibration;

/**
 * Sorts parallel arrays by key in place: three-way quicksort, so that the many equal confidences real models
 * produce (rounded scores) cost nothing extra.
 */
final class Sorting {

    private Sorting() {
    }

    static void sortByKey(double[] key, double[] a, double[] b) {
        sort(key, a, b, 0, key.length - 1);
    }

    private static void sort(double[] k, double[] a, double[] b, int lo, int hi) {
        while (hi - lo > 16) {
            double pivot = median(k[lo], k[lo + (hi - lo) / 2], k[hi]);
            int lt = lo;
            int gt = hi;
            int i = lo;
            while (i <= gt) {
                if (k[i] < pivot) {
                    swap(k, a, b, lt++, i++);
                } else if (k[i] > pivot) {
                    swap(k, a, b, i, gt--);
                } else {
                    i++;
                }
            }
            // Recurse into the smaller side, loop on the larger: stack depth stays O(log n).
            if (lt - lo < hi - gt) {
                sort(k, a, b, lo, lt - 1);
                lo = gt + 1;
            } else {
                sort(k, a, b, gt + 1, hi);
                hi = lt - 1;
            }
        }
        for (int i = lo + 1; i <= hi; i++) {
            for (int j = i; j > lo && k[j - 1] > k[j]; j--) {
                swap(k, a, b, j, j - 1);
            }
        }
    }

    private static double median(double x, double y, double z) {
        return Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    }

    private static void swap(double[] k, double[] a, double[] b, int i, int j) {
        double t = k[i];
        k[i] = k[j];
        k[j] = t;
        t = a[i];
        a[i] = a[j];
        a[j] = t;
        t = b[i];
        b[i] = b[j];
        b[j] = t;
    }
}

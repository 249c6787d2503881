package dev.oversight.routing.domain.evaluation;

import dev.oversight.routing.domain.oversight.Proportion;

/**
 * A candidate and a reference model scored on the same items: each item is right or wrong for each of them.
 * {@code regressions} are items the reference got right and the candidate got wrong, {@code fixes} the reverse;
 * the exact McNemar test on those two counts says whether the difference in accuracy could be chance.
 *
 * @param n           the items both were scored on
 * @param candidate   the candidate's accuracy, with its exact 95% interval
 * @param reference   the reference's accuracy on the same items, with its exact 95% interval
 * @param difference  candidate accuracy minus reference accuracy: (fixes − regressions) / n
 * @param pValue      the two-sided exact McNemar p-value
 */
public record PairedComparison(long n, long bothRight, long regressions, long fixes, long bothWrong,
                               Proportion candidate, Proportion reference, double difference, double pValue) {

    /** From the items' outcomes, item by item. */
    public static PairedComparison of(boolean[] reference, boolean[] candidate) {
        if (reference.length != candidate.length) {
            throw new IllegalArgumentException("reference and candidate must score the same items");
        }
        long both = 0;
        long regressions = 0;
        long fixes = 0;
        long neither = 0;
        for (int i = 0; i < reference.length; i++) {
            if (reference[i] && candidate[i]) {
                both++;
            } else if (reference[i]) {
                regressions++;
            } else if (candidate[i]) {
                fixes++;
            } else {
                neither++;
            }
        }
        return of(both, regressions, fixes, neither);
    }

    /** From the four counts of the paired table. */
    public static PairedComparison of(long bothRight, long regressions, long fixes, long bothWrong) {
        long n = bothRight + regressions + fixes + bothWrong;
        return new PairedComparison(n, bothRight, regressions, fixes, bothWrong,
                Proportion.of(bothRight + fixes, n), Proportion.of(bothRight + regressions, n),
                n == 0 ? 0 : (double) (fixes - regressions) / n, McNemar.pValue(regressions, fixes));
    }

    /**
     * Whether the candidate is significantly worse than the reference at this level: more regressions than fixes,
     * and a McNemar p-value below {@code level}. A small benchmark cannot show a regression; it cannot show the
     * absence of one either, which is why a promotion still goes through people.
     */
    public boolean significantRegression(double level) {
        return regressions > fixes && pValue < level;
    }
}

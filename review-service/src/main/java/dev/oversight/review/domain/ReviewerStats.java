package dev.oversight.review.domain;

/** Per reviewer: volume, mean time on task, decided and overturned verdicts, gold score, paused. */
public record ReviewerStats(String reviewer, long volume, Double meanTimeOnTaskMs, long decided, long overturned,
                            long goldCorrect, long goldTotal, boolean paused) {

    /** Share of this reviewer's verdicts on decided tasks that the final outcome went against; null before any. */
    public Double overturnRate() {
        return decided == 0 ? null : (double) overturned / decided;
    }

    /** Share of gold items judged right; null before any. */
    public Double goldAccuracy() {
        return goldTotal == 0 ? null : (double) goldCorrect / goldTotal;
    }
}

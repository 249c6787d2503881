package dev.oversight.review.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * How one reviewer relies on the model, from their verdicts in a use case and period. Automation bias shows as
 * approving more where the routing details are shown (confidence, reasons) than where they are not (blind tasks and
 * gold items), as approvals given faster than anyone can read ({@code minDwellSeconds}, claim to verdict), and as
 * approvals of outputs people later overturned. Figures are shares with their counts; a share of nothing is null.
 * A reviewer above the use case's limits is flagged with the reasons, never paused by this.
 */
public record Reliance(String reviewer, long verdicts, Share approvalShown, Share approvalBlind, Double approvalGap,
                       long approvals, Share fastApprovals, Share approvalsOverturned, List<String> flags) {

    /** {@code count} of {@code of}, and their ratio (null when {@code of} is 0). */
    public record Share(long count, long of, Double rate) {
        public static Share of(long count, long of) {
            return new Share(count, of, of == 0 ? null : (double) count / of);
        }
    }

    /** The limits a use case sets; null fields set none. */
    public record Limits(Integer minDwellSeconds, Double maxFastApprovalRate, Double maxApprovalGap) {
        public static final int DEFAULT_MIN_DWELL_SECONDS = 5;

        public int dwellSeconds() {
            return minDwellSeconds == null ? DEFAULT_MIN_DWELL_SECONDS : minDwellSeconds;
        }
    }

    /**
     * The figures from counts: verdicts and approvals where routing was shown and where it was not, approvals under
     * the dwell floor, approvals of outputs overturned; flagged against {@code limits}.
     */
    public static Reliance of(String reviewer, long shownVerdicts, long shownApprovals, long blindVerdicts,
                              long blindApprovals, long fast, long overturned, Limits limits) {
        Share shown = Share.of(shownApprovals, shownVerdicts);
        Share blind = Share.of(blindApprovals, blindVerdicts);
        Double gap = shown.rate() == null || blind.rate() == null ? null : shown.rate() - blind.rate();
        long approvals = shownApprovals + blindApprovals;
        Share quick = Share.of(fast, approvals);
        List<String> flags = new ArrayList<>();
        if (limits.maxFastApprovalRate() != null && quick.rate() != null && quick.rate() > limits.maxFastApprovalRate()) {
            flags.add("approvals faster than " + limits.dwellSeconds() + " s: " + percent(quick.rate())
                    + " above the limit " + percent(limits.maxFastApprovalRate()));
        }
        if (limits.maxApprovalGap() != null && gap != null && gap > limits.maxApprovalGap()) {
            flags.add("approves " + percent(gap) + " more where routing details are shown than blind, above the limit "
                    + percent(limits.maxApprovalGap()));
        }
        return new Reliance(reviewer, shownVerdicts + blindVerdicts, shown, blind, gap, approvals, quick,
                Share.of(overturned, approvals), List.copyOf(flags));
    }

    private static String percent(double x) {
        return Math.round(x * 1000) / 10.0 + "%";
    }
}

package dev.oversight.review.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RelianceTest {

    private static final Reliance.Limits LIMITS = new Reliance.Limits(null, 0.5, 0.1);

    @Test
    void sharesOfNothingAreNull_andNothingIsFlaggedWithoutEvidence() {
        Reliance r = Reliance.of("ann", 0, 0, 0, 0, 0, 0, LIMITS);
        assertThat(r.approvalShown().rate()).isNull();
        assertThat(r.approvalGap()).isNull();
        assertThat(r.fastApprovals().rate()).isNull();
        assertThat(r.flags()).isEmpty();
    }

    @Test
    void theGapIsShownMinusBlind_andEachLimitFlagsOnItsOwn() {
        // shown 9 of 10 approved, blind 6 of 10: gap 0.3; fast 7 of 15 approvals (0.467 < 0.5): one flag.
        Reliance r = Reliance.of("ann", 10, 9, 10, 6, 7, 2, LIMITS);
        assertThat(r.approvalGap()).isEqualTo(0.3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(r.approvals()).isEqualTo(15);
        assertThat(r.approvalsOverturned().rate()).isEqualTo(2.0 / 15);
        assertThat(r.flags()).singleElement().asString().startsWith("approves 30.0% more");
        // At the limit is not above it.
        assertThat(Reliance.of("bob", 10, 6, 10, 5, 3, 0, new Reliance.Limits(5, 0.5, 0.1)).flags()).isEmpty();
        assertThat(Reliance.of("cid", 10, 10, 0, 0, 6, 0, LIMITS).flags()).singleElement().asString()
                .startsWith("approvals faster than 5 s: 60.0%");
        assertThat(new Reliance.Limits(null, null, null).dwellSeconds()).isEqualTo(5);
    }
}

package dev.oversight.review.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgreementTest {

    /** Fleiss (1971) as worked in the literature: 10 subjects, 14 raters, 5 categories; κ = 0.210. */
    private static final int[][] FLEISS_1971 = {
        {0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0}, {2, 2, 8, 1, 1},
        {7, 7, 0, 0, 0}, {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2}, {6, 5, 2, 1, 0}, {0, 2, 2, 3, 7},
    };

    @Test
    void fleiss_reproducesTheWorkedExample() {
        assertThat(Agreement.fleiss(FLEISS_1971)).isCloseTo(0.210, within(0.0005));
        Agreement.Kappa k = Agreement.fleissWithInterval(FLEISS_1971, 1);
        assertThat(k.lower()).isLessThanOrEqualTo(k.kappa());
        assertThat(k.upper()).isGreaterThanOrEqualTo(k.kappa());
        assertThat(k.items()).isEqualTo(10);
    }

    @Test
    void cohen_reproducesTheTextbookExample() {
        // 50 items: both yes 20, A yes B no 5, A no B yes 10, both no 15 → pₒ = 0.7, pₑ = 0.5, κ = 0.4.
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        add(a, b, "yes", "yes", 20);
        add(a, b, "yes", "no", 5);
        add(a, b, "no", "yes", 10);
        add(a, b, "no", "no", 15);
        assertThat(Agreement.cohen(a, b)).isCloseTo(0.4, within(1e-12));
        Agreement.Kappa k = Agreement.cohenWithInterval(a, b, 7);
        assertThat(k.lower()).isBetween(0.1, 0.4);
        assertThat(k.upper()).isBetween(0.4, 0.7);
    }

    @Test
    void perfectAgreementIsOne_andChanceAgreementIsAboutZero() {
        List<String> same = Collections.nCopies(10, "x").stream().toList();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            labels.add(i % 2 == 0 ? "APPROVE" : "REJECT");
        }
        assertThat(Agreement.cohen(labels, labels)).isEqualTo(1.0);
        assertThat(Agreement.cohen(same, same)).isNaN(); // one category only: κ undefined
        List<String> shifted = new ArrayList<>(labels.subList(1, 40));
        shifted.add(labels.get(0));
        List<String> halfAgree = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            halfAgree.add(i % 4 < 2 ? "APPROVE" : "REJECT");
        }
        assertThat(Agreement.cohen(labels, halfAgree)).isCloseTo(0.0, within(1e-12));
        assertThat(Agreement.cohen(labels, shifted)).isCloseTo(-1.0, within(1e-12));
    }

    @Test
    void consensus_needsTheSameVerdictAndTheSameCorrection() {
        Consensus.Vote approve = new Consensus.Vote(Verdict.APPROVE, null);
        assertThat(Consensus.agreed(List.of(approve, approve))).contains(approve);
        assertThat(Consensus.agreed(List.of(approve, new Consensus.Vote(Verdict.REJECT, null)))).isEmpty();
        assertThat(Consensus.agreed(List.of(new Consensus.Vote(Verdict.CORRECT, "{\"a\":1}"),
                new Consensus.Vote(Verdict.CORRECT, "{\"a\":2}")))).isEmpty();
    }

    @Test
    void sla_escalatesThenTimesOut() {
        java.time.Instant created = java.time.Instant.parse("2026-01-01T00:00:00Z");
        java.time.Duration sla = java.time.Duration.ofHours(1);
        java.time.Instant due = Sla.due(created, sla);
        java.time.Instant hard = Sla.hardDeadline(created, sla);
        assertThat(Sla.next(created.plusSeconds(60), due, hard, 0)).isEqualTo(Sla.Step.NONE);
        assertThat(Sla.next(due, due, hard, 0)).isEqualTo(Sla.Step.RAISE_PRIORITY);
        assertThat(Sla.next(due.plusSeconds(60), due, hard, 1)).isEqualTo(Sla.Step.NONE);
        assertThat(Sla.next(due.plusSeconds(1800), due, hard, 1)).isEqualTo(Sla.Step.TO_SENIORS);
        assertThat(Sla.next(hard, due, hard, 2)).isEqualTo(Sla.Step.TIME_OUT);
    }

    private static void add(List<String> a, List<String> b, String x, String y, int times) {
        for (int i = 0; i < times; i++) {
            a.add(x);
            b.add(y);
        }
    }
}

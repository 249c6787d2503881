package dev.oversight.review.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Every transition a task can make, on the domain type alone: no Quarkus, no database. */
class TaskTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final Duration SLA = Duration.ofHours(1);
    /** Canonical form for the test: whitespace removed (the service sorts keys). */
    private static final UnaryOperator<String> CANONICAL = s -> s.replace(" ", "");

    private static Task task(int requiredReviews, OnReviewTimeout onTimeout, Verdict gold) {
        return new Task(UUID.randomUUID(), UUID.randomUUID(), TaskKind.REVIEW, null, "uc", "m1", "{\"q\":1}",
                "{\"a\":1}", 0.6, 0.5, List.of("LOW_CONFIDENCE"), requiredReviews, true, false, 10, 0, T0,
                Sla.due(T0, SLA), Sla.hardDeadline(T0, SLA), onTimeout, TaskStatus.OPEN, gold, null, null, null, null);
    }

    private static GivenVerdict v(Task t, String who, Verdict verdict, String corrected) {
        return new GivenVerdict(t.id(), who, verdict, corrected, verdict == Verdict.APPROVE ? null : "why", null, 1000L,
                t.goldCorrect(verdict), T0);
    }

    @Test
    void fewerVerdictsThanRequired_waitForMoreReviewers() {
        Task t = task(2, OnReviewTimeout.HOLD, null);
        assertThat(t.afterVerdict(List.of(v(t, "a", Verdict.APPROVE, null)), CANONICAL))
                .isInstanceOf(Task.Outcome.Wait.class);
    }

    @Test
    void agreeingVerdicts_finalize_correctionsComparedInCanonicalForm() {
        Task t = task(2, OnReviewTimeout.HOLD, null);
        assertThat(t.afterVerdict(List.of(v(t, "a", Verdict.APPROVE, null), v(t, "b", Verdict.APPROVE, null)), CANONICAL))
                .isEqualTo(new Task.Outcome.Finalize(Verdict.APPROVE, null));
        List<GivenVerdict> corrections = List.of(v(t, "a", Verdict.CORRECT, "{\"a\": 2}"),
                v(t, "b", Verdict.CORRECT, "{\"a\":2}"));
        assertThat(t.afterVerdict(corrections, CANONICAL)).isEqualTo(new Task.Outcome.Finalize(Verdict.CORRECT, "{\"a\": 2}"));
    }

    @Test
    void disagreement_opensAnAdjudication_asBlindAndAsGoldAsTheTask() {
        Task t = task(2, OnReviewTimeout.REJECT, Verdict.APPROVE);
        assertThat(t.afterVerdict(List.of(v(t, "a", Verdict.APPROVE, null), v(t, "b", Verdict.REJECT, null)), CANONICAL))
                .isInstanceOf(Task.Outcome.Adjudicate.class);
        assertThat(t.afterVerdict(List.of(v(t, "a", Verdict.CORRECT, "{\"a\":2}"), v(t, "b", Verdict.CORRECT, "{\"a\":3}")),
                CANONICAL)).isInstanceOf(Task.Outcome.Adjudicate.class);
        Task adjudication = t.adjudication(UUID.randomUUID(), T0.plusSeconds(60));
        assertThat(adjudication.kind()).isEqualTo(TaskKind.ADJUDICATION);
        assertThat(adjudication.parentTaskId()).isEqualTo(t.id());
        assertThat(adjudication.requiredReviews()).isEqualTo(1);
        assertThat(adjudication.seniorOnly()).isTrue();
        assertThat(adjudication.blindReview()).isTrue();
        assertThat(adjudication.gold()).isTrue();
        assertThat(adjudication.priority()).isEqualTo(t.priority() + Task.ADJUDICATION_PRIORITY_BONUS);
        assertThat(adjudication.status()).isEqualTo(TaskStatus.OPEN);
    }

    @Test
    void theAdjudicatorsVerdict_settlesTheParent() {
        Task adjudication = task(2, OnReviewTimeout.HOLD, null).adjudication(UUID.randomUUID(), T0);
        assertThat(adjudication.afterVerdict(List.of(v(adjudication, "senior", Verdict.CORRECT, "{\"a\":9}")), CANONICAL))
                .isEqualTo(new Task.Outcome.SettleParent(Verdict.CORRECT, "{\"a\":9}"));
    }

    @Test
    void theFinalOutput_isTheModelsWhenApproved_theCorrectionWhenCorrected_noneWhenRejected() {
        Task t = task(1, OnReviewTimeout.HOLD, null);
        assertThat(t.finalOutput(Verdict.APPROVE, null)).isEqualTo("{\"a\":1}");
        assertThat(t.finalOutput(Verdict.CORRECT, "{\"a\":2}")).isEqualTo("{\"a\":2}");
        assertThat(t.finalOutput(Verdict.REJECT, null)).isNull();
    }

    @Test
    void goldItems_scoreEachVerdict_realWorkDoesNot() {
        Task gold = task(1, OnReviewTimeout.HOLD, Verdict.REJECT);
        assertThat(gold.goldCorrect(Verdict.REJECT)).isTrue();
        assertThat(gold.goldCorrect(Verdict.APPROVE)).isFalse();
        assertThat(task(1, OnReviewTimeout.HOLD, null).goldCorrect(Verdict.APPROVE)).isNull();
    }

    @Test
    void poorGoldAccuracy_pausesOnlyAfterEnoughItems() {
        GoldPolicy policy = new GoldPolicy(5, 0.8);
        assertThat(policy.pauseReason(0, 4)).isEmpty();
        assertThat(policy.pauseReason(4, 5)).isEmpty();
        assertThat(policy.pauseReason(3, 5)).contains("gold accuracy 3/5 is below 80%");
    }

    @Test
    void theSlaClock_raisesPriority_thenSeniorsOnly_thenTimesOut_andLeavesHeldTasksAlone() {
        Task t = task(1, OnReviewTimeout.REJECT, null);
        assertThat(t.slaStep(T0.plusSeconds(10))).isEqualTo(Sla.Step.NONE);
        assertThat(t.slaStep(T0.plus(SLA))).isEqualTo(Sla.Step.RAISE_PRIORITY);
        assertThat(t.slaStep(T0.plus(SLA).plus(SLA.dividedBy(2)))).isEqualTo(Sla.Step.TO_SENIORS);
        assertThat(t.slaStep(T0.plus(SLA.multipliedBy(2)))).isEqualTo(Sla.Step.TIME_OUT);
        Task held = new Task(t.id(), t.decisionId(), t.kind(), null, "uc", "m1", null, "{}", null, null, List.of(), 1,
                false, true, 0, Task.HELD, T0, t.dueAt(), t.hardDeadlineAt(), t.onReviewTimeout(), TaskStatus.OPEN,
                null, null, null, null, null);
        assertThat(held.slaStep(T0.plus(SLA.multipliedBy(3)))).isEqualTo(Sla.Step.NONE);
    }

    @Test
    void aTimeoutDecidesOnlyUnjudgedTasks_otherwiseItHolds() {
        assertThat(task(1, OnReviewTimeout.REJECT, null).onTimeout(false))
                .isEqualTo(new Task.Timeout.Decide(Verdict.REJECT));
        assertThat(task(1, OnReviewTimeout.RELEASE_FLAGGED, null).onTimeout(false))
                .isEqualTo(new Task.Timeout.Decide(Verdict.APPROVE));
        assertThat(task(1, OnReviewTimeout.HOLD, null).onTimeout(false)).isInstanceOf(Task.Timeout.Hold.class);
        assertThat(task(2, OnReviewTimeout.REJECT, null).onTimeout(true)).isInstanceOf(Task.Timeout.Hold.class);
        Task adjudication = task(2, OnReviewTimeout.RELEASE_FLAGGED, null).adjudication(UUID.randomUUID(), T0);
        assertThat(adjudication.onTimeout(false)).isInstanceOf(Task.Timeout.Hold.class);
    }

    @Test
    void blindReview_hidesRoutingFromReviewersUntilTheyJudged_neverFromAdmins() {
        Task blind = task(1, OnReviewTimeout.HOLD, null);
        assertThat(blind.hidesRoutingFrom(false, false)).isTrue();
        assertThat(blind.hidesRoutingFrom(false, true)).isFalse();
        assertThat(blind.hidesRoutingFrom(true, false)).isFalse();
    }

    @Test
    void systemVerdicts_areNotHuman() {
        Task t = task(1, OnReviewTimeout.HOLD, null);
        List<GivenVerdict> given = new ArrayList<>();
        given.add(new GivenVerdict(t.id(), "system:sla", Verdict.REJECT, null, "deadline", null, null, null, T0));
        assertThat(given.stream().anyMatch(GivenVerdict::byHuman)).isFalse();
        given.add(v(t, "ann", Verdict.APPROVE, null));
        assertThat(given.stream().anyMatch(GivenVerdict::byHuman)).isTrue();
    }

    @Test
    void onlyAnOpenTask_takesClaimsAndVerdicts() {
        Task open = task(1, OnReviewTimeout.HOLD, null);
        assertThatNoException().isThrownBy(() -> open.requireOpen("it cannot be claimed"));
        for (TaskStatus status : TaskStatus.values()) {
            if (status == TaskStatus.OPEN) {
                continue;
            }
            Task t = new Task(open.id(), open.decisionId(), open.kind(), null, "uc", "m1", open.input(), open.output(),
                    null, null, List.of(), 1, false, false, 0, 0, T0, T0, T0, OnReviewTimeout.HOLD, status, null, null,
                    null, null, null);
            assertThatThrownBy(() -> t.requireOpen("it takes no more verdicts")).isInstanceOf(TaskNotOpen.class)
                    .hasMessage("Task " + t.id() + " is " + status + "; it takes no more verdicts");
        }
    }

    @Test
    void aReviewerJudgesADecisionOnce_onTheTaskOrOnTheTaskAnAdjudicationSettles() {
        Task t = task(2, OnReviewTimeout.HOLD, null);
        List<GivenVerdict> byA = List.of(v(t, "a", Verdict.APPROVE, null));
        assertThatThrownBy(() -> t.requireNotJudgedBy("a", byA, List.of())).isInstanceOf(AlreadyJudged.class)
                .hasMessageContaining("You already judged task " + t.id());
        assertThatNoException().isThrownBy(() -> t.requireNotJudgedBy("b", byA, List.of()));
        Task adjudication = t.adjudication(UUID.randomUUID(), T0);
        assertThatThrownBy(() -> adjudication.requireNotJudgedBy("a", List.of(), byA)).isInstanceOf(AlreadyJudged.class)
                .hasMessageContaining("this adjudication settles");
        assertThatNoException().isThrownBy(() -> adjudication.requireNotJudgedBy("c", List.of(), byA));
    }
}

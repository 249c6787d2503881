package dev.oversight.common.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.oversight.common.failure.Failure;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrajectoryTest {

    private static Failure.Invalid invalid(Runnable r) {
        try {
            r.run();
        } catch (Failure.Invalid e) {
            return e;
        }
        throw new AssertionError("expected a 400");
    }

    @Test
    void judgedSteps_mustBeStepsOfTheTrajectory_eachJudgedOnce() {
        Trajectory.checkJudgedSteps("steps", List.of(0, 3, 1), 4);
        Trajectory.checkJudgedSteps("steps", List.of(), 0);
        assertThat(invalid(() -> Trajectory.checkJudgedSteps("steps", List.of(0, 4), 4)).field())
                .isEqualTo("steps[1].index");
        assertThat(invalid(() -> Trajectory.checkJudgedSteps("steps", List.of(-1), 4)).field())
                .isEqualTo("steps[0].index");
        assertThat(invalid(() -> Trajectory.checkJudgedSteps("steps", List.of(2, 1, 2), 4)).field())
                .isEqualTo("steps[2].index");
    }

    @Test
    void aStepNeedsContent_andNoStepsIsNone() {
        assertThat(Trajectory.checkContent("trajectory", null)).isNull();
        assertThat(Trajectory.checkContent("trajectory", List.of())).isNull();
        List<Step> ok = List.of(new Step(StepKind.MESSAGE, "user", TextNode.valueOf("hi")),
                new Step(StepKind.TOOL_RESULT, null, JsonNodeFactory.instance.objectNode()));
        assertThat(Trajectory.checkContent("trajectory", ok)).isSameAs(ok);
        List<Step> bad = List.of(ok.get(0), new Step(StepKind.REASONING, null, NullNode.getInstance()));
        assertThat(invalid(() -> Trajectory.checkContent("trajectory", bad)).field()).isEqualTo("trajectory[1].content");
    }

    @Test
    void theSizeLimitIsOneMebibyteOfUtf8() {
        Trajectory.checkSize("trajectory", "x".repeat(Trajectory.MAX_BYTES));
        assertThatThrownBy(() -> Trajectory.checkSize("trajectory", "x".repeat(Trajectory.MAX_BYTES + 1)))
                .isInstanceOf(Failure.Invalid.class);
        // Counted in bytes, not characters: 2-byte characters reach the limit at half the length.
        assertThatThrownBy(() -> Trajectory.checkSize("trajectory", "é".repeat(Trajectory.MAX_BYTES / 2 + 1)))
                .isInstanceOf(Failure.Invalid.class);
    }

    @Test
    void aProcessIsFlawedWhenAnyoneFoundItSo_soundWhenAllWhoJudgedIt() {
        assertThat(ProcessJudgement.of(List.of())).isNull();
        assertThat(ProcessJudgement.of(List.of(ProcessJudgement.SOUND))).isEqualTo(ProcessJudgement.SOUND);
        assertThat(ProcessJudgement.of(List.of(ProcessJudgement.SOUND, ProcessJudgement.FLAWED)))
                .isEqualTo(ProcessJudgement.FLAWED);
        assertThat(ProcessJudgement.of(EnumSet.of(ProcessJudgement.FLAWED))).isEqualTo(ProcessJudgement.FLAWED);
    }

    @Test
    void stepKinds_areNamedInLowerCase() {
        assertThat(StepKind.TOOL_CALL).hasToString("tool_call");
    }
}

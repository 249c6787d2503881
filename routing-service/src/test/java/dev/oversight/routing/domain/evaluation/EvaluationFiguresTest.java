package dev.oversight.routing.domain.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.oversight.routing.domain.evaluation.EvaluationFigures.Scored;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationFiguresTest {

    @Test
    void pairsOnlyItemsBothCouldBeJudgedOnAndListsRegressionsAndFixes() {
        List<Scored> items = List.of(
                new Scored("a", "eu", true, true, 0.9),
                new Scored("b", "eu", false, true, 0.6),
                new Scored("c", "us", true, false, 0.8),
                new Scored("d", "us", null, false, 0.5),
                new Scored("e", "us", true, null, 0.7));
        EvaluationFigures f = EvaluationFigures.of(items, 0.05, 0.05);
        assertThat(f.items()).isEqualTo(5);
        assertThat(f.judged()).isEqualTo(3);
        assertThat(f.undecided()).isEqualTo(2);
        assertThat(f.regressions()).containsExactly("b");
        assertThat(f.fixes()).containsExactly("c");
        assertThat(f.overall().candidate().estimate()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(f.strata()).containsOnlyKeys("eu", "us");
        assertThat(f.strata().get("eu").regressions()).isEqualTo(1);
        assertThat(f.strata().get("us").fixes()).isEqualTo(1);
        // Calibration uses every item the candidate could be judged on (a, b, c, e).
        assertThat(f.reliability().stream().mapToInt(b -> b.count()).sum()).isEqualTo(4);
    }

    @Test
    void aCandidateRightWhenConfidentWouldReleaseItsConfidentShare() {
        // 200 items: 150 at confidence 0.99 all right, 50 at 0.3 of which half are right. At α = 5%, δ = 5%, the
        // 150 confident ones pass (0 errors in 150 > ln 0.05 / ln 0.95 ≈ 58.4 needed) and the rest cannot.
        List<Scored> items = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            items.add(new Scored("h" + i, "all", true, true, 0.99));
        }
        for (int i = 0; i < 50; i++) {
            items.add(new Scored("l" + i, "all", i % 2 == 0, true, 0.3));
        }
        EvaluationFigures f = EvaluationFigures.of(items, 0.05, 0.05);
        assertThat(f.automationRate()).isCloseTo(0.75, within(1e-12));
        assertThat(f.threshold()).isNotNull().isGreaterThan(0.3).isLessThanOrEqualTo(0.99);
        assertThat(f.regressions()).hasSize(25);
        assertThat(f.overall().significantRegression(0.05)).isTrue();
    }

    @Test
    void noItemsGiveEmptyFigures() {
        EvaluationFigures f = EvaluationFigures.of(List.of(), 0.05, 0.05);
        assertThat(f.overall().n()).isZero();
        assertThat(f.automationRate()).isZero();
        assertThat(f.threshold()).isNull();
    }
}

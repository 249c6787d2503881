package dev.oversight.routing.domain.command;

import static dev.oversight.routing.domain.command.PolicyBuilder.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.oversight.routing.domain.IdentityCalibrator;
import dev.oversight.routing.domain.Policy;
import dev.oversight.routing.domain.SegmentedCalibrator;
import dev.oversight.routing.domain.calibration.LogisticCalibrator;
import dev.oversight.routing.domain.calibration.MultiSignalCalibrator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a policy and a calibrator release, as a comparable set. */
class ReleaseCutTest {

    private static final Policy AT_08 = with(b -> b.threshold = 0.8);
    private static final Policy NONE = with(b -> b.threshold = null);

    @Test
    void aFixedThresholdThroughAMonotoneCalibrator_isTheRawScoreWhereItIsReached() {
        assertThat(ReleaseCut.of(AT_08, new CalibratorInForce(1, IdentityCalibrator.INSTANCE, null, null, null)))
                .isInstanceOfSatisfying(ReleaseCut.Raw.class, r -> assertThat(r.cut()).isCloseTo(0.8, within(1e-12)));
        // Platt: p = sigmoid(a s + b); p = 0.8 where a s + b = ln 4.
        LogisticCalibrator platt = LogisticCalibrator.platt(10, -5);
        double expected = (Math.log(4) + 5) / 10;
        assertThat(platt.calibrate(expected)).isCloseTo(0.8, within(1e-9));
        assertThat(ReleaseCut.of(AT_08, new CalibratorInForce(2, platt, null, null, null)))
                .isInstanceOfSatisfying(ReleaseCut.Raw.class, r -> assertThat(r.cut()).isCloseTo(expected, within(1e-9)));
    }

    @Test
    void withoutAThreshold_theCertifiedRawCutApplies_elseTheSelectedThreshold_elseNothing() {
        assertThat(ReleaseCut.of(NONE, new CalibratorInForce(2, IdentityCalibrator.INSTANCE, 0.9, 0.7, 0.01)))
                .isEqualTo(new ReleaseCut.Raw(0.7));
        assertThat(ReleaseCut.of(NONE, new CalibratorInForce(2, IdentityCalibrator.INSTANCE, 0.9, null, 0.01)))
                .isInstanceOfSatisfying(ReleaseCut.Raw.class, r -> assertThat(r.cut()).isCloseTo(0.9, within(1e-12)));
        assertThat(ReleaseCut.of(NONE, new CalibratorInForce(1, IdentityCalibrator.INSTANCE, null, null, null)))
                .isEqualTo(new ReleaseCut.Nothing());
    }

    @Test
    void aThresholdNoScoreReaches_andAMissingCalibrator_releaseNothing() {
        assertThat(ReleaseCut.of(AT_08, new CalibratorInForce(2, OversightOrderTest.fn("half", s -> s / 2), null,
                null, null))).isEqualTo(new ReleaseCut.Nothing());
        assertThat(ReleaseCut.of(AT_08, null)).isEqualTo(new ReleaseCut.Nothing());
        assertThat(ReleaseCut.of(AT_08, new CalibratorInForce(2, null, null, null, null)))
                .isEqualTo(new ReleaseCut.Nothing());
    }

    @Test
    void aCalibratorReadingTheDistribution_orNotMonotone_staysInCalibratedTerms() {
        assertThat(ReleaseCut.of(AT_08, new CalibratorInForce(3, LogisticCalibrator.temperature(2), null, null, null)))
                .isEqualTo(new ReleaseCut.Calibrated(3, 0.8));
        assertThat(ReleaseCut.of(AT_08, new CalibratorInForce(4, OversightOrderTest.fn("odd",
                s -> s < 0.5 ? 0.9 : 0.85), null, null, null))).isEqualTo(new ReleaseCut.Calibrated(4, 0.8));
    }

    @Test
    void aCutOfSeveralSignalsCombined_isACalibratedCut_andAFitPerSegmentComparesOnlyWithItself() throws Exception {
        MultiSignalCalibrator combined = MultiSignalCalibrator.of(List.of("judge"), List.of("logit"), new double[] {0},
                new double[] {1}, new double[] {0, 1});
        // Its selected cut is a cut of the combined score, never of the raw confidence.
        assertThat(ReleaseCut.of(NONE, new CalibratorInForce(5, combined, 0.9, 0.9, 0.05)))
                .isEqualTo(new ReleaseCut.Calibrated(5, 0.9));
        assertThat(ReleaseCut.releasesMore(new ReleaseCut.Raw(0.95), ReleaseCut.of(NONE,
                new CalibratorInForce(5, combined, 0.99, 0.99, 0.05)))).as("incomparable: a loosening").isTrue();

        SegmentedCalibrator perSegment = new SegmentedCalibrator("attributes.language", Map.of("en",
                new SegmentedCalibrator.Part(IdentityCalibrator.INSTANCE, 0.9, 0.9, 0.05, 500)));
        ReleaseCut own = ReleaseCut.of(NONE, new CalibratorInForce(6, perSegment, null, null, 0.05));
        assertThat(own).isEqualTo(new ReleaseCut.Segmented(6, null));
        assertThat(ReleaseCut.releasesMore(new ReleaseCut.Raw(0.95), own)).isTrue();
        assertThat(ReleaseCut.releasesMore(own, own)).isFalse();
        assertThat(ReleaseCut.releasesMore(own, new ReleaseCut.Segmented(6, 0.5))).as("a fixed threshold instead")
                .isTrue();
        assertThat(ReleaseCut.releasesMore(new ReleaseCut.Segmented(6, 0.8), new ReleaseCut.Segmented(6, 0.9)))
                .isFalse();
        assertThat(ReleaseCut.releasesMore(new ReleaseCut.Segmented(6, 0.9), new ReleaseCut.Segmented(7, 0.9)))
                .as("another version's parts").isTrue();
        assertThat(new CalibratorInForce(6, perSegment, null, null, 0.05).certifiedFor(0.05)).isTrue();
    }

    @Test
    void releasesMore_comparesOnlyWhatCanBeCompared() {
        assertThat(ReleaseCut.releasesMore(new ReleaseCut.Raw(0.8), new ReleaseCut.Raw(0.7))).isTrue();
        assertThat(ReleaseCut.releasesMore(new ReleaseCut.Raw(0.7), new ReleaseCut.Raw(0.8))).isFalse();
        assertThat(ReleaseCut.releasesMore(new ReleaseCut.Raw(0.7), new ReleaseCut.Raw(0.7))).isFalse();
        assertThat(ReleaseCut.releasesMore(new ReleaseCut.Nothing(), new ReleaseCut.Raw(1.0))).isTrue();
        assertThat(ReleaseCut.releasesMore(new ReleaseCut.Raw(0.0), new ReleaseCut.Nothing())).isFalse();
        assertThat(ReleaseCut.releasesMore(new ReleaseCut.Calibrated(3, 0.8), new ReleaseCut.Calibrated(3, 0.7))).isTrue();
        assertThat(ReleaseCut.releasesMore(new ReleaseCut.Calibrated(3, 0.8), new ReleaseCut.Calibrated(3, 0.9))).isFalse();
        assertThat(ReleaseCut.releasesMore(new ReleaseCut.Calibrated(3, 0.8), new ReleaseCut.Calibrated(4, 0.9))).isTrue();
        assertThat(ReleaseCut.releasesMore(new ReleaseCut.Raw(0.8), new ReleaseCut.Calibrated(3, 0.99))).isTrue();
    }
}

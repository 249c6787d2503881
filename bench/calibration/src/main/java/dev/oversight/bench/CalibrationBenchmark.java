package dev.oversight.bench;

import dev.oversight.routing.domain.calibration.CalibrationException;
import dev.oversight.routing.domain.calibration.Labels;
import dev.oversight.routing.domain.calibration.LogisticCalibrator;
import dev.oversight.routing.domain.calibration.PiecewiseCalibrator;
import dev.oversight.routing.domain.calibration.ThresholdSelection;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Fit time of each calibrator, and threshold selection, on overconfident synthetic labels. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class CalibrationBenchmark {

    @Param({"10000", "100000", "1000000"})
    int labels;

    private Labels data;
    private double[] calibrated;

    @Setup
    public void labels() {
        SplittableRandom r = new SplittableRandom(42);
        double[] s = new double[labels];
        double[] y = new double[labels];
        for (int i = 0; i < labels; i++) {
            s[i] = Math.round((0.5 + 0.5 * r.nextDouble()) * 10_000) / 10_000.0;
            y[i] = r.nextDouble() < Math.pow(s[i], 4) ? 1 : 0;
        }
        data = Labels.unweighted(s, y);
        calibrated = s.clone();
    }

    @Benchmark
    public Object isotonic() throws CalibrationException {
        return PiecewiseCalibrator.fitIsotonic(data);
    }

    @Benchmark
    public Object platt() throws CalibrationException {
        return LogisticCalibrator.fitPlatt(data);
    }

    @Benchmark
    public Object beta() throws CalibrationException {
        return LogisticCalibrator.fitBeta(data);
    }

    @Benchmark
    public Object thresholdSelection() {
        return ThresholdSelection.select(calibrated, data.y(), data.weight(), 0.05, 0.05);
    }
}

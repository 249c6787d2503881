package dev.oversight.routing.domain.calibration;

import dev.oversight.routing.domain.Calibrator;
import dev.oversight.routing.domain.IdentityCalibrator;
import dev.oversight.routing.domain.RuleCompilationException;
import dev.oversight.routing.domain.SegmentedCalibrator;
import dev.oversight.routing.domain.Signal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fits a calibrator on every label and reports on it honestly.
 *
 * <ul>
 *   <li>The deployed calibrator is fitted on all labels.</li>
 *   <li>Every figure of the report comes from 5-fold cross-validation: each label is predicted by a fit that never
 *       saw it (out-of-fold predictions), so nothing in the report is measured on the labels that produced it.</li>
 *   <li>The release threshold needs no labels held away from the fit: calibrators are monotone, so releasing at a
 *       calibrated λ is releasing at a raw-score cut. Learn-then-Test runs on a grid of raw-score cuts fixed before
 *       any label is seen ({@link ThresholdSelection#GRID}), testing each cut on the raw scores of all labels; the
 *       router then releases on the certified cut itself (a flat step of an isotonic or histogram map would
 *       otherwise release scores below it). {@code selectedThreshold} is the calibrated confidence at that cut.</li>
 * </ul>
 *
 * <p>{@code auto} compares candidates by 5-fold cross-validated log loss on all labels and takes the one with the
 * fewest parameters whose loss is within one standard error of the best (scarce labels favour simple maps);
 * histogram binning needs 300 labels, isotonic regression 1000.
 *
 * <p>Several signals ({@code multi-logistic}, {@link MultiSignalCalibrator}): the combined score is learned from the
 * labels, so certifying a cut of it on the labels that taught it would not be a finite-sample guarantee. The deployed
 * calibrator is therefore fitted on one half of the labels (a seeded split) and the cut is certified by Learn-then-Test
 * on the other half's combined scores: given the fitting half, the certifying half is an independent sample, which is
 * all the guarantee assumes. The report's figures stay out-of-fold on all labels, and compare the combination with
 * each signal alone on the same folds. {@code auto} counts multi-logistic among its candidates when the policy names
 * signals (and only it when some labels carry no confidence).
 */
public final class CalibrationFitter {

    public static final int MIN_LABELS = 20;
    static final int HISTOGRAM_MAX_BINS = 15;
    static final int HISTOGRAM_MIN_LABELS = 300;
    static final int ISOTONIC_MIN_LABELS = 1000;
    public static final int FOLDS = 5;
    private static final int BOOTSTRAP_RESAMPLES = 200;
    /** Raw-score cuts listed in the report with their certified bound and automation rate. */
    private static final double[] REPORTED_CUTS = {0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97, 0.99};

    /** In order of how many parameters each has. */
    public enum Method {
        IDENTITY, TEMPERATURE, PLATT, PLATT_LOGIT, BETA, HISTOGRAM, ISOTONIC, MULTI_LOGISTIC;

        public String apiName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * @param costReview with costError: release only when calibrated confidence ≥ 1 − costReview/costError
     */
    public record Options(double alpha, double delta, Double costReview, Double costError, long seed,
                          List<dev.oversight.routing.domain.Signal> signals) {

        /** Options for a use case whose outputs carry one confidence. */
        public Options(double alpha, double delta, Double costReview, Double costError, long seed) {
            this(alpha, delta, costReview, costError, seed, null);
        }
    }

    /** What releasing at one raw-score cut would do: its certified error bound (1 − δ) and the share released. */
    public record Cut(double rawCut, double calibrated, Double errorRateUpperBound, double automationRate,
                      long effectiveLabels) {
    }

    public record Report(
            Calibrator calibrator,
            int n,
            int folds,
            double ece,
            double[] eceInterval,
            double eceEqualMass,
            double[] eceEqualMassInterval,
            double mce,
            double brier,
            double[] brierInterval,
            double logLoss,
            double aurc,
            List<Metrics.Bin> reliability,
            List<Metrics.RiskAt> riskCoverage,
            Double selectedThreshold,
            Double selectedRawCut,
            Double errorRateUpperBound,
            double expectedAutomationRate,
            List<Cut> thresholds,
            Map<String, Double> crossValidatedLogLoss,
            List<MultiSignalCalibrator.Weight> weights,
            MultiSignalCalibrator.Comparison signalComparison,
            int certifiedOn) {
    }

    private CalibrationFitter() {
    }

    /** @param method one of {@link Method}'s API names, or {@code auto} */
    public static Report fit(Labels labels, String method, Options options) throws CalibrationException {
        Certified c = certify(labels, method, options);
        int n = labels.size();
        double[] raw = c.raw();
        double[] y = c.y();
        double[] w = c.w();
        Double rawCut = c.selection().threshold();
        List<Cut> cuts = new ArrayList<>();
        for (double cut : REPORTED_CUTS) {
            ThresholdSelection.Result at = ThresholdSelection.at(raw, y, w, cut, options.delta());
            cuts.add(new Cut(cut, c.atCut().applyAsDouble(cut), at.errorRateUpperBound(), at.expectedAutomationRate(),
                    at.released()));
        }
        long seed = options.seed();
        List<Signal> signals = c.signals();
        MultiSignalCalibrator.Comparison comparison = signals == null ? null
                : MultiSignalCalibrator.compare(signals.stream().map(Signal::name).toList(),
                        signals.stream().map(Signal::transform).toList(), labels.signals(), labels.y(),
                        labels.weight(), MultiSignalCalibrator.DEFAULT_PENALTY, FOLDS, seed);
        double[] q = c.outOfFold();
        y = labels.y();
        w = labels.weight();
        return new Report(c.calibrator(), n, FOLDS,
                Metrics.ece(q, y, w), Metrics.bootstrap95(q, y, w, Metrics::ece, BOOTSTRAP_RESAMPLES, seed),
                Metrics.eceEqualMass(q, y, w),
                Metrics.bootstrap95(q, y, w, Metrics::eceEqualMass, BOOTSTRAP_RESAMPLES, seed),
                Metrics.mce(q, y, w),
                Metrics.brier(q, y, w), Metrics.bootstrap95(q, y, w, Metrics::brier, BOOTSTRAP_RESAMPLES, seed),
                Metrics.logLoss(q, y, w), Metrics.aurc(q, y, w),
                Metrics.reliability(q, y, w, Metrics.ECE_BINS), Metrics.riskCoverage(q, y, w),
                rawCut == null ? null : c.atCut().applyAsDouble(rawCut), rawCut,
                c.selection().errorRateUpperBound(), c.selection().expectedAutomationRate(), cuts, c.crossValidated(),
                c.weights(), comparison, raw.length);
    }

    /**
     * What a fit certifies, before its report's figures: the calibrator, each label's out-of-fold prediction, the
     * scores, outcomes and weights the cut was certified on ({@code raw}, {@code y}, {@code w}: all labels, or the
     * certifying half for multi-logistic), the calibrated confidence at a cut, and the selection.
     */
    private record Certified(Calibrator calibrator, double[] outOfFold, Map<String, Double> crossValidated,
                             double[] raw, double[] y, double[] w, java.util.function.DoubleUnaryOperator atCut,
                             List<MultiSignalCalibrator.Weight> weights, ThresholdSelection.Result selection,
                             List<Signal> signals) {

        SegmentedCalibrator.Part part(int labels) {
            Double rawCut = selection.threshold();
            return new SegmentedCalibrator.Part(calibrator, rawCut == null ? null : atCut.applyAsDouble(rawCut),
                    rawCut, selection.errorRateUpperBound(), labels);
        }
    }

    private static Certified certify(Labels labels, String method, Options options) throws CalibrationException {
        int n = labels.size();
        if (MultiSignalCalibrator.METHOD.equals(method) && options.signals() == null) {
            throw new CalibrationException(NO_SIGNALS);
        }
        if (n < MIN_LABELS) {
            throw new CalibrationException("calibration needs at least " + MIN_LABELS + " labels, there are " + n);
        }
        int[] folds = Folds.assign(n, FOLDS, options.seed());
        Map<String, Double> cv = new LinkedHashMap<>();
        Method chosen;
        double[] q;
        List<Signal> signals = options.signals() != null && labels.signals() != null ? options.signals() : null;
        if ("auto".equals(method)) {
            Map<Method, double[]> predictions = new LinkedHashMap<>();
            chosen = choose(labels, folds, cv, predictions, signals);
            q = predictions.get(chosen);
        } else {
            chosen = parse(method);
            q = outOfFold(chosen, labels, folds, signals);
        }
        Calibrator calibrator;
        double[] y = labels.y();
        double[] w = labels.weight();
        double[] raw;
        java.util.function.DoubleUnaryOperator atCut;
        List<MultiSignalCalibrator.Weight> weights = null;
        if (chosen == Method.MULTI_LOGISTIC) {
            int[][] halves = Folds.split(Folds.assign(n, 2, options.seed() + CERTIFYING_SPLIT), 0);
            Labels certifying = labels.subset(halves[1]);
            MultiSignalCalibrator multi = fitMulti(labels.subset(halves[0]), signals);
            calibrator = multi;
            weights = multi.weights();
            raw = multi.predictAll(certifying.signals());
            y = certifying.y();
            w = certifying.weight();
            atCut = c -> c; // the combined score is the calibrated confidence
        } else {
            calibrator = fitOne(chosen, labels);
            raw = labels.score();
            atCut = calibrator::calibrate;
        }

        ThresholdSelection.Result selection = ThresholdSelection.select(raw, y, w, options.alpha(), options.delta());
        if (selection.threshold() != null && options.costReview() != null && options.costError() != null) {
            double floor = 1 - options.costReview() / options.costError();
            Double cut = lowestCutReaching(atCut, floor);
            if (cut == null) {
                selection = new ThresholdSelection.Result(null, null, 0, 0, 0);
            } else if (selection.threshold() < cut) {
                selection = ThresholdSelection.at(raw, y, w, cut, options.delta());
            }
        }
        return new Certified(calibrator, q, cv, raw, y, w, atCut, weights, selection, signals);
    }

    private static final String NO_SIGNALS = "multi-logistic needs a policy that names signals (policy \"signals\")";

    /** What the seed of the fitting/certifying split adds to the folds' seed, so the two differ. */
    private static final long CERTIFYING_SPLIT = 0x5EED;

    private static MultiSignalCalibrator fitMulti(Labels labels, List<Signal> signals) throws CalibrationException {
        try {
            return MultiSignalCalibrator.fit(signals.stream().map(Signal::name).toList(),
                    signals.stream().map(Signal::transform).toList(), labels.signals(), labels.y(), labels.weight(),
                    MultiSignalCalibrator.DEFAULT_PENALTY);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new CalibrationException("multi-logistic cannot be fitted: " + e.getMessage());
        }
    }

    /**
     * One segment of a fit per segment: how many labels it had, its fit (null when it had fewer than minLabels, or its
     * fit failed: {@code why} says which).
     */
    public record SegmentFit(String segment, int labels, Report report, String why) {
    }

    /**
     * A fit per segment: the calibrator that routes each certified segment with its own part, every segment's fit,
     * how many segments were tested (K) and the δ each was certified at (δ/K).
     */
    public record SegmentedReport(SegmentedCalibrator calibrator, List<SegmentFit> segments, int tested,
                                  double deltaEach) {
    }

    /**
     * Fits calibration and the certified cut per segment (Mondrian style): every segment with at least {@code
     * minLabels} labels is tested, each at the policy's α and at δ/K over the K segments tested (Bonferroni: with
     * probability at least 1 − δ every certified segment's released error is at most α at once, whatever the
     * dependence between segments). A segment with fewer labels, or whose fit fails, gets no part: its outputs are
     * reviewed, never released on a cut certified for others. The same assumptions as one cut hold within each
     * segment: its labels are independent and exchangeable with the outputs its cut will be applied to, and an
     * output's segment is known when it is routed.
     *
     * @param segment each label's segment
     */
    public static SegmentedReport fitSegments(Labels labels, String[] segment, String method, Options options,
                                              String by, int minLabels) throws CalibrationException {
        return fitSegments(labels, segment, method, options, by, minLabels, true);
    }

    /**
     * As {@link #fitSegments(Labels, String[], String, Options, String, int)}; without {@code figures}, each segment
     * is certified only (its {@link SegmentFit#report()} is null), which is what simulations of the guarantee need.
     */
    public static SegmentedReport fitSegments(Labels labels, String[] segment, String method, Options options,
                                              String by, int minLabels, boolean figures)
            throws CalibrationException {
        if (segment.length != labels.size()) {
            throw new IllegalArgumentException("one segment per label");
        }
        Map<String, List<Integer>> members = new java.util.TreeMap<>();
        for (int i = 0; i < segment.length; i++) {
            members.computeIfAbsent(segment[i], k -> new ArrayList<>()).add(i);
        }
        if (members.size() > dev.oversight.routing.domain.Segments.MAX) {
            throw new CalibrationException("the labels fall into " + members.size() + " segments, more than "
                    + dev.oversight.routing.domain.Segments.MAX + "; segments.by must name fewer groups");
        }
        int tested = (int) members.values().stream().filter(m -> m.size() >= minLabels).count();
        if (tested == 0) {
            throw new CalibrationException("no segment has " + minLabels + " labels (segments.minLabels); the largest"
                    + " has " + members.values().stream().mapToInt(List::size).max().orElse(0));
        }
        double each = options.delta() / tested;
        Options segmentOptions = new Options(options.alpha(), each, options.costReview(), options.costError(),
                options.seed(), options.signals());
        List<SegmentFit> fits = new ArrayList<>();
        Map<String, SegmentedCalibrator.Part> parts = new LinkedHashMap<>();
        for (Map.Entry<String, List<Integer>> e : members.entrySet()) {
            int n = e.getValue().size();
            if (n < minLabels) {
                fits.add(new SegmentFit(e.getKey(), n, null, "fewer than " + minLabels + " labels"));
                continue;
            }
            Labels own = labels.subset(e.getValue().stream().mapToInt(Integer::intValue).toArray());
            try {
                if (figures) {
                    Report r = fit(own, method, segmentOptions);
                    fits.add(new SegmentFit(e.getKey(), n, r, null));
                    parts.put(e.getKey(), new SegmentedCalibrator.Part(r.calibrator(), r.selectedThreshold(),
                            r.selectedRawCut(), r.errorRateUpperBound(), n));
                } else {
                    fits.add(new SegmentFit(e.getKey(), n, null, null));
                    parts.put(e.getKey(), certify(own, method, segmentOptions).part(n));
                }
            } catch (CalibrationException failed) {
                fits.add(new SegmentFit(e.getKey(), n, null, failed.getMessage()));
            }
        }
        try {
            return new SegmentedReport(new SegmentedCalibrator(by, parts), fits, tested, each);
        } catch (RuleCompilationException e) {
            throw new CalibrationException("segments.by does not compile: " + e.getMessage());
        }
    }

    /** The lowest grid cut whose calibrated confidence reaches {@code floor} (calibrators are monotone). */
    private static Double lowestCutReaching(java.util.function.DoubleUnaryOperator atCut, double floor) {
        Double lowest = null;
        for (double c : ThresholdSelection.GRID) {
            if (atCut.applyAsDouble(c) >= floor) {
                lowest = c;
            } else {
                break;
            }
        }
        return lowest;
    }

    /** Each label predicted by the method fitted on the other folds. */
    private static double[] outOfFold(Method method, Labels labels, int[] folds, List<Signal> signals)
            throws CalibrationException {
        if (method == Method.MULTI_LOGISTIC && signals == null) {
            throw new CalibrationException(NO_SIGNALS);
        }
        if (method != Method.MULTI_LOGISTIC && !labels.allScored()) {
            throw new CalibrationException(method.apiName() + " needs every label's confidence, and some labels"
                    + " carry only signals; use multi-logistic or auto");
        }
        int m = labels.size();
        double[] q = new double[m];
        for (int f = 0; f < FOLDS; f++) {
            int[][] split = Folds.split(folds, f);
            Calibrator c;
            try {
                c = method == Method.MULTI_LOGISTIC ? fitMulti(labels.subset(split[0]), signals)
                        : fitOne(method, labels.subset(split[0]));
            } catch (CalibrationException e) {
                throw new CalibrationException(method.apiName() + " cannot be cross-validated on these labels ("
                        + e.getMessage() + "); add labels or choose another method");
            }
            for (int i : split[1]) {
                q[i] = c instanceof MultiSignalCalibrator multi ? multi.predict(labels.signalsOf(i))
                        : c.calibrate(labels.score()[i], labels.distribution(i));
            }
        }
        return q;
    }

    public static Method parse(String method) throws CalibrationException {
        for (Method m : Method.values()) {
            if (m.apiName().equals(method)) {
                return m;
            }
        }
        throw new CalibrationException("unknown method '" + method
                + "'; use auto, identity, platt, platt-logit, beta, isotonic, histogram, temperature or"
                + " multi-logistic");
    }

    /** Fits one single-signal method on the labels' raw confidence (multi-logistic needs the policy's signals). */
    public static Calibrator fitOne(Method method, Labels labels) throws CalibrationException {
        return switch (method) {
            case MULTI_LOGISTIC -> throw new CalibrationException("multi-logistic is fitted on the policy's signals");
            case IDENTITY -> IdentityCalibrator.INSTANCE;
            case TEMPERATURE -> LogisticCalibrator.fitTemperature(labels);
            case PLATT -> LogisticCalibrator.fitPlatt(labels);
            case PLATT_LOGIT -> LogisticCalibrator.fitPlattLogit(labels);
            case BETA -> LogisticCalibrator.fitBeta(labels);
            case HISTOGRAM -> PiecewiseCalibrator.fitHistogram(labels, HISTOGRAM_MAX_BINS);
            case ISOTONIC -> PiecewiseCalibrator.fitIsotonic(labels);
        };
    }

    /**
     * The candidate of least cross-validated log loss within one standard error; {@code predictions} receives each
     * usable candidate's out-of-fold predictions, so the chosen one's need not be computed again.
     */
    private static Method choose(Labels labels, int[] folds, Map<String, Double> cvOut,
                                 Map<Method, double[]> predictions, List<Signal> signals)
            throws CalibrationException {
        int n = labels.size();
        List<Method> candidates = new ArrayList<>();
        if (labels.allScored()) {
            candidates.addAll(List.of(Method.IDENTITY, Method.TEMPERATURE, Method.PLATT, Method.PLATT_LOGIT,
                    Method.BETA));
            if (n >= HISTOGRAM_MIN_LABELS) {
                candidates.add(Method.HISTOGRAM);
            }
            if (n >= ISOTONIC_MIN_LABELS) {
                candidates.add(Method.ISOTONIC);
            }
        }
        if (signals != null) {
            candidates.add(Method.MULTI_LOGISTIC);
        }
        Map<Method, double[]> stats = new LinkedHashMap<>();
        for (Method candidate : candidates) {
            double[] q;
            try {
                q = outOfFold(candidate, labels, folds, signals);
            } catch (CalibrationException e) {
                continue; // a candidate some fold cannot fit is not a candidate
            }
            double[] losses = logLossMeanAndError(q, labels);
            predictions.put(candidate, q);
            stats.put(candidate, losses);
            cvOut.put(candidate.apiName(), losses[0]);
        }
        if (stats.isEmpty()) {
            throw new CalibrationException("no method can be fitted on these labels (they carry only signals, and"
                    + " multi-logistic could not be cross-validated on them); add labels");
        }
        Method best = stats.keySet().iterator().next();
        double bestLoss = Double.POSITIVE_INFINITY;
        double bestSe = 0;
        for (Map.Entry<Method, double[]> e : stats.entrySet()) {
            if (e.getValue()[0] < bestLoss) {
                best = e.getKey();
                bestLoss = e.getValue()[0];
                bestSe = e.getValue()[1];
            }
        }
        for (Map.Entry<Method, double[]> e : stats.entrySet()) {
            if (e.getValue()[0] <= bestLoss + bestSe) {
                return e.getKey();
            }
        }
        return best;
    }

    /** Weighted mean and standard error of the per-label log loss of out-of-fold predictions. */
    private static double[] logLossMeanAndError(double[] predictions, Labels labels) {
        int m = labels.size();
        double[] loss = new double[m];
        double[] weight = labels.weight();
        for (int i = 0; i < m; i++) {
            double q = Math.min(Math.max(predictions[i], 1e-15), 1 - 1e-15);
            double y = labels.y()[i];
            loss[i] = -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
        }
        double sw = 0;
        double mean = 0;
        for (int i = 0; i < m; i++) {
            sw += weight[i];
            mean += weight[i] * loss[i];
        }
        mean /= sw;
        double var = 0;
        for (int i = 0; i < m; i++) {
            var += weight[i] * (loss[i] - mean) * (loss[i] - mean);
        }
        var /= sw;
        return new double[] {mean, Math.sqrt(var / m)};
    }
}

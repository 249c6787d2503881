package dev.oversight.console.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.TemplateData;
import java.util.List;

/**
 * A calibrator version's report as the operator reads it: the fit's figures with their 95% intervals, the cut it
 * selected and its certified bound, whether it is in force, and its activation's approval under four eyes. The
 * reliability bins stay the JSON the diagram is drawn from. The identity calibrator has no figures (all null).
 * {@code weights} and {@code signals}: a fit on several signals (null otherwise); {@code segments}: a fit per segment.
 */
@TemplateData
public record CalibrationReport(int version, String method, boolean active, String createdAt, Long n, Integer folds,
                                Double ece, List<Double> eceInterval, Double eceEqualMass,
                                List<Double> eceEqualMassInterval, Double brier, List<Double> brierInterval,
                                Double logLoss, Double targetErrorRate, Double delta, Double selectedThreshold,
                                Double errorRateUpperBound, Double expectedAutomationRate, Approval approval,
                                JsonNode reliability, List<Weight> weights, SignalComparison signals,
                                List<Segment> segments, Double deltaPerSegment) {

    /** One signal's weight: log-odds per standard deviation, with its 95% interval. */
    @TemplateData
    public record Weight(String signal, double weight, double lower, double upper) {
    }

    /** Out-of-fold figures of one calibrator (the combination, or one signal alone). */
    @TemplateData
    public record Figures(String calibrator, double brier, double logLoss, double ece) {
    }

    /** The combination against each signal alone, on the same folds. */
    @TemplateData
    public record SignalComparison(Figures combined, List<Figures> singles, String best) {
    }

    /** One segment of a fit per segment: its labels and, when tested, its own cut and bound. */
    @TemplateData
    public record Segment(String segment, int labels, boolean tested, String why, String method,
                          Double selectedThreshold, Double errorRateUpperBound, Double expectedAutomationRate) {
    }

    /** Four eyes on the activation: who asked, why it waits, who approved. */
    @TemplateData
    public record Approval(String status, List<String> loosens, String requestedBy, String approvedBy) {
    }
}

package dev.oversight.console.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.TemplateData;
import java.util.List;

/**
 * A calibrator version's report as the operator reads it: the fit's figures with their 95% intervals, the cut it
 * selected and its certified bound, whether it is in force, and its activation's approval under four eyes. The
 * reliability bins stay the JSON the diagram is drawn from. The identity calibrator has no figures (all null).
 */
@TemplateData
public record CalibrationReport(int version, String method, boolean active, String createdAt, Long n, Integer folds,
                                Double ece, List<Double> eceInterval, Double eceEqualMass,
                                List<Double> eceEqualMassInterval, Double brier, List<Double> brierInterval,
                                Double logLoss, Double targetErrorRate, Double delta, Double selectedThreshold,
                                Double errorRateUpperBound, Double expectedAutomationRate, Approval approval,
                                JsonNode reliability) {

    /** Four eyes on the activation: who asked, why it waits, who approved. */
    @TemplateData
    public record Approval(String status, List<String> loosens, String requestedBy, String approvedBy) {
    }
}

package dev.oversight.routing.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.common.problem.ProblemException;
import dev.oversight.routing.domain.Router;
import dev.oversight.routing.domain.DecisionRecord;
import dev.oversight.routing.repository.LabelRepository;
import dev.oversight.routing.repository.LabelRepository.DecisionFacts;
import dev.oversight.routing.repository.LabelRepository.NewLabel;
import dev.oversight.routing.repository.PolicyEntity;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Labels for calibration. A decision's label is weighted by the inverse of the chance it had to be reviewed:
 * outputs reviewed only because they were audit-sampled weigh 1/auditSampleRate, so that confident outputs are
 * not under-represented among labels.
 */
@ApplicationScoped
public class LabelService {

    /** One label as the API takes it: a decision's outcome, or an imported one. */
    public record LabelInput(UUID decisionId, Boolean correct, String source, String useCase, String modelVersion,
                             Double confidence, Double weight, Map<String, Double> probabilities) {
    }

    private final LabelRepository labels;
    private final UseCaseRegistry registry;
    private final ObjectMapper json;

    public LabelService(LabelRepository labels, UseCaseRegistry registry, ObjectMapper json) {
        this.labels = labels;
        this.registry = registry;
        this.json = json;
    }

    /** Validates every item first; stores all of them or none. */
    @WithSpan
    public int store(List<LabelInput> inputs) {
        List<NewLabel> rows = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            rows.add(resolve("[" + i + "]", inputs.get(i)));
        }
        try {
            labels.insertAll(rows);
        } catch (SQLException e) {
            throw ProblemException.unavailable("Labels could not be stored; retry (decision labels replace earlier ones).");
        }
        return rows.size();
    }

    private NewLabel resolve(String at, LabelInput in) {
        if (in.correct() == null) {
            throw ProblemException.invalidField(at + ".correct", "is required (true or false)");
        }
        if (in.decisionId() != null) {
            if (in.useCase() != null || in.modelVersion() != null || in.confidence() != null || in.weight() != null
                    || in.probabilities() != null) {
                throw ProblemException.invalidField(at, "a decision label takes decisionId, correct and source only;"
                        + " the rest comes from the decision");
            }
            DecisionFacts d = decision(at, in.decisionId());
            return new NewLabel(d.useCase(), d.modelVersion(), d.id(), d.rawConfidence(), in.correct(),
                    weight(d.useCase(), d.policyVersion(), d.reasons()), in.source() == null ? "review" : in.source(), d.probabilities());
        }
        if (in.useCase() == null || in.modelVersion() == null || in.confidence() == null) {
            throw ProblemException.invalidField(at, "give either decisionId, or useCase, modelVersion and confidence");
        }
        if (!(in.confidence() >= 0 && in.confidence() <= 1)) {
            throw ProblemException.invalidField(at + ".confidence", "must be a number in [0, 1]");
        }
        if (in.weight() != null && !(in.weight() > 0 && in.weight() <= 1e6)) {
            throw ProblemException.invalidField(at + ".weight", "must be a number in (0, 1000000]");
        }
        if (registry.cached(in.useCase()).isEmpty() && registry.load(in.useCase()).isEmpty()) {
            throw PolicyService.unknown(in.useCase());
        }
        return new NewLabel(in.useCase(), in.modelVersion(), null, in.confidence(), in.correct(),
                in.weight() == null ? 1.0 : in.weight(), in.source() == null ? "import" : in.source(),
                distribution(at, in.probabilities()));
    }

    private String distribution(String at, Map<String, Double> probabilities) {
        if (probabilities == null) {
            return null;
        }
        RoutingService.checkDistribution(at + ".probabilities", probabilities);
        try {
            return json.writeValueAsString(probabilities);
        } catch (JsonProcessingException e) {
            throw ProblemException.invalidField(at + ".probabilities", "cannot be stored");
        }
    }

    /** The label a reviewed decision earns, weighted like any decision label. */
    NewLabel reviewLabel(DecisionRecord d, boolean correct) {
        return new NewLabel(d.useCase(), d.modelVersion(), d.id(), d.rawConfidence(), correct,
                weight(d.useCase(), d.policyVersion(), d.reasons()), "review", d.probabilities());
    }

    private DecisionFacts decision(String at, UUID id) {
        try {
            return labels.decision(id).orElseThrow(() -> ProblemException.notFound(at + ".decisionId: no decision " + id));
        } catch (SQLException e) {
            throw ProblemException.unavailable("Decisions cannot be read right now; retry.");
        }
    }

    private double weight(String useCase, int policyVersion, List<String> reasons) {
        if (!reasons.equals(List.of(Router.AUDIT_SAMPLE))) {
            return 1.0;
        }
        double rate = QuarkusTransaction.requiringNew().call(() -> {
            PolicyEntity p = PolicyEntity.find("useCase = ?1 and version = ?2", useCase, policyVersion)
                    .firstResult();
            return registry.readPolicy(p.document).auditSampleRate();
        });
        return rate > 0 ? 1 / rate : 1.0;
    }
}

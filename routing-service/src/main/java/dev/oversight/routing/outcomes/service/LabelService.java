package dev.oversight.routing.outcomes.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.common.crypto.Sha256;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.jdbc.Transactions;
import dev.oversight.routing.config.service.EventOutbox;
import dev.oversight.routing.config.service.UseCaseRegistry;
import dev.oversight.routing.decide.service.RoutingService;
import dev.oversight.routing.domain.UnknownUseCase;
import dev.oversight.routing.domain.DecisionRecord;
import dev.oversight.routing.domain.Router;
import dev.oversight.routing.domain.UseCaseConfig;
import dev.oversight.routing.domain.command.Actor;
import dev.oversight.routing.outcomes.repository.LabelRepository;
import dev.oversight.routing.policy.repository.PolicyEntity;
import dev.oversight.routing.outcomes.repository.LabelRepository.DecisionFacts;
import dev.oversight.routing.outcomes.repository.LabelRepository.NewLabel;
import io.agroal.api.AgroalDataSource;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Labels for calibration. A decision's label is weighted by the inverse of the chance it had to be reviewed:
 * outputs reviewed only because they were audit-sampled weigh 1/auditSampleRate, so that confident outputs are
 * not under-represented among labels.
 *
 * <p>Labels never change what the router does by themselves: they feed fits, and a fit takes effect only by an
 * activation, which goes through the oversight gate. Each label keeps who stored it and where it comes from, and
 * every import is one {@code LABELS_IMPORTED} event in the audit trail (count, digest, actor), in the same
 * transaction as the labels.
 */
@ApplicationScoped
public class LabelService {

    /** One label as the API takes it: a decision's outcome, or an imported one. */
    public record LabelInput(UUID decisionId, Boolean correct, String source, String useCase, String modelVersion,
                             Double confidence, Double weight, Map<String, Double> probabilities,
                             Map<String, Double> signals, com.fasterxml.jackson.databind.JsonNode attributes) {

        public LabelInput(UUID decisionId, Boolean correct, String source, String useCase, String modelVersion,
                          Double confidence, Double weight, Map<String, Double> probabilities) {
            this(decisionId, correct, source, useCase, modelVersion, confidence, weight, probabilities, null, null);
        }
    }

    /** The most characters an imported label's attributes take as JSON. */
    static final int MAX_ATTRIBUTES_CHARS = 16_384;

    private final LabelRepository labels;
    private final UseCaseRegistry registry;
    private final ObjectMapper json;
    private final EventOutbox events;
    private final AgroalDataSource db;

    public LabelService(LabelRepository labels, UseCaseRegistry registry, ObjectMapper json, EventOutbox events,
                        AgroalDataSource db) {
        this.labels = labels;
        this.registry = registry;
        this.json = json;
        this.events = events;
        this.db = db;
    }

    /** Validates every item first; stores all of them and their audit event, or nothing. */
    @WithSpan
    public int store(List<LabelInput> inputs, Actor actor) {
        List<NewLabel> rows = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            rows.add(resolve("[" + i + "]", inputs.get(i), actor.name()));
        }
        Map<String, Object> event = importEvent(rows);
        String useCase = rows.stream().map(NewLabel::useCase).distinct().count() == 1 ? rows.get(0).useCase() : null;
        try {
            Transactions.inTransaction(db, c -> {
                labels.insertAll(c, rows);
                events.record(c, EventOutbox.LABELS_IMPORTED, "labels/" + event.get("sha256"), useCase, actor.name(),
                        event);
                return null;
            });
        } catch (SQLException e) {
            throw new Failure.Unavailable("Labels could not be stored; retry (decision labels replace earlier ones).");
        }
        return rows.size();
    }

    /**
     * What the trail keeps of an import: how many labels, for which use cases and sources, and a SHA-256 digest of
     * the labels as stored (one line each: use case, model version, decision, confidence, correct, weight, source,
     * and its signals' JSON when it carries signals), so that a copy of the import can be shown to be the one that was stored.
     */
    static Map<String, Object> importEvent(List<NewLabel> rows) {
        StringBuilder text = new StringBuilder();
        Map<String, Integer> useCases = new TreeMap<>();
        Map<String, Integer> sources = new TreeMap<>();
        for (NewLabel l : rows) {
            text.append(l.useCase()).append('\t').append(l.modelVersion()).append('\t')
                    .append(l.decisionId() == null ? "" : l.decisionId().toString()).append('\t')
                    .append(String.format(Locale.ROOT, "%s\t%s\t%s", l.confidence(), l.correct(), l.weight()))
                    .append('\t').append(l.source());
            if (l.signals() != null) {
                text.append('\t').append(l.signals());
            }
            text.append('\n');
            useCases.merge(l.useCase(), 1, Integer::sum);
            sources.merge(l.source(), 1, Integer::sum);
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("count", rows.size());
        event.put("useCases", useCases);
        event.put("sources", sources);
        event.put("sha256", Sha256.hex(text.toString()));
        return event;
    }

    private NewLabel resolve(String at, LabelInput in, String actor) {
        if (in.correct() == null) {
            throw new Failure.Invalid(at + ".correct", "is required (true or false)");
        }
        if (in.decisionId() != null) {
            if (in.useCase() != null || in.modelVersion() != null || in.confidence() != null || in.weight() != null
                    || in.probabilities() != null || in.signals() != null
                    || (in.attributes() != null && !in.attributes().isNull())) {
                throw new Failure.Invalid(at, "a decision label takes decisionId, correct and source only;"
                        + " the rest comes from the decision");
            }
            DecisionFacts d = decision(at, in.decisionId());
            return new NewLabel(d.useCase(), d.modelVersion(), d.id(), d.rawConfidence(), in.correct(),
                    weight(d.useCase(), d.policyVersion(), d.reasons()), in.source() == null ? "review" : in.source(),
                    d.probabilities(), actor, d.signals(), null);
        }
        if (in.useCase() == null || in.modelVersion() == null || (in.confidence() == null && in.signals() == null)) {
            throw new Failure.Invalid(at, "give either decisionId, or useCase, modelVersion and confidence (or"
                    + " signals)");
        }
        if (in.confidence() != null && !(in.confidence() >= 0 && in.confidence() <= 1)) {
            throw new Failure.Invalid(at + ".confidence", "must be a number in [0, 1]");
        }
        if (in.weight() != null && !(in.weight() > 0 && in.weight() <= 1e6)) {
            throw new Failure.Invalid(at + ".weight", "must be a number in (0, 1000000]");
        }
        UseCaseConfig config = registry.cached(in.useCase()).or(() -> registry.load(in.useCase()))
                .orElseThrow(() -> new UnknownUseCase(in.useCase()));
        RoutingService.checkSignals(at + ".signals", in.useCase(), config.policy(), in.signals());
        String attributes = null;
        if (in.attributes() != null && !in.attributes().isNull()) {
            if (!in.attributes().isObject()) {
                throw new Failure.Invalid(at + ".attributes", "must be a JSON object, as a route's attributes are");
            }
            attributes = in.attributes().toString();
            if (attributes.length() > MAX_ATTRIBUTES_CHARS) {
                throw new Failure.Invalid(at + ".attributes", "must be at most " + MAX_ATTRIBUTES_CHARS
                        + " characters of JSON");
            }
        }
        return new NewLabel(in.useCase(), in.modelVersion(), null, in.confidence(), in.correct(),
                in.weight() == null ? 1.0 : in.weight(), in.source() == null ? "import" : in.source(),
                distribution(at, in.probabilities()), actor, json(at + ".signals", in.signals()), attributes);
    }

    private String json(String at, Object value) {
        if (value == null) {
            return null;
        }
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new Failure.Invalid(at, "cannot be stored");
        }
    }

    private String distribution(String at, Map<String, Double> probabilities) {
        if (probabilities == null) {
            return null;
        }
        RoutingService.checkDistribution(at + ".probabilities", probabilities);
        try {
            return json.writeValueAsString(probabilities);
        } catch (JsonProcessingException e) {
            throw new Failure.Invalid(at + ".probabilities", "cannot be stored");
        }
    }

    /** The label a reviewed decision earns, weighted like any decision label. */
    NewLabel reviewLabel(DecisionRecord d, boolean correct) {
        return new NewLabel(d.useCase(), d.modelVersion(), d.id(), d.rawConfidence(), correct,
                weight(d.useCase(), d.policyVersion(), d.reasons()), "review", d.probabilities(),
                LabelRepository.VERDICT_ACTOR, d.signals(), null);
    }

    private DecisionFacts decision(String at, UUID id) {
        try {
            return labels.decision(id).orElseThrow(() -> new Failure.NotFound(at + ".decisionId: no decision " + id));
        } catch (SQLException e) {
            throw new Failure.Unavailable("Decisions cannot be read right now; retry.");
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

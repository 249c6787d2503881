package dev.oversight.routing.evaluation.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.http.Page;
import dev.oversight.common.id.Ids;
import dev.oversight.common.jdbc.Transactions;
import dev.oversight.routing.config.service.EventOutbox;
import dev.oversight.routing.config.service.UseCaseRegistry;
import dev.oversight.routing.domain.Policy;
import dev.oversight.routing.domain.UnknownUseCase;
import dev.oversight.routing.domain.command.Actor;
import dev.oversight.routing.domain.evaluation.EvaluationFigures;
import dev.oversight.routing.domain.evaluation.Scoring;
import dev.oversight.routing.evaluation.repository.BenchmarkRepository.Benchmark;
import dev.oversight.routing.evaluation.repository.BenchmarkRepository.Item;
import dev.oversight.routing.evaluation.repository.EvaluationRepository;
import dev.oversight.routing.evaluation.repository.EvaluationRepository.Evaluation;
import dev.oversight.routing.evaluation.repository.EvaluationRepository.Result;
import io.agroal.api.AgroalDataSource;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Evaluations: a candidate model's outputs on every item of a frozen benchmark, scored when submitted by the
 * policy's equivalence rule (or equal JSON) against what people settled on, beside the model in production scored
 * the same way on the same items. The report is computed from the stored scores.
 */
@ApplicationScoped
public class EvaluationService {

    /** How many regressions and fixes a report shows side by side (all are counted). */
    public static final int LISTED = 100;

    /** One candidate output as submitted: {@code output} holds a tool call as {name, arguments}. */
    public record Submitted(UUID itemId, JsonNode output, boolean toolCall, double confidence) {
    }

    /** One item side by side: what people settled on, what production answered, what the candidate answered. */
    public record SideBySide(UUID itemId, String stratum, JsonNode input, JsonNode reference, JsonNode production,
                             JsonNode candidate, double candidateConfidence) {
    }

    /** An evaluation and what it shows. */
    public record Report(Evaluation evaluation, List<String> productionVersions, double level,
                         boolean significantRegression, EvaluationFigures figures, List<SideBySide> regressions,
                         List<SideBySide> fixes) {
    }

    private final EvaluationRepository evaluations;
    private final BenchmarkService benchmarks;
    private final UseCaseRegistry registry;
    private final Scorings scorings;
    private final EventOutbox events;
    private final AgroalDataSource db;
    private final ObjectMapper json;

    public EvaluationService(EvaluationRepository evaluations, BenchmarkService benchmarks, UseCaseRegistry registry,
                             Scorings scorings, EventOutbox events, AgroalDataSource db, ObjectMapper json) {
        this.evaluations = evaluations;
        this.benchmarks = benchmarks;
        this.registry = registry;
        this.scorings = scorings;
        this.events = events;
        this.db = db;
        this.json = json;
    }

    @WithSpan
    public Report submit(String useCase, int benchmarkVersion, String modelVersion, List<Submitted> submitted,
                         Actor actor) {
        Policy policy = policy(useCase);
        Scoring scoring = scorings.of(policy.equivalence());
        try {
            UUID id = Transactions.inTransaction(db, c -> {
                Benchmark benchmark = benchmarks.find(c, useCase, benchmarkVersion);
                Map<UUID, Item> items = new LinkedHashMap<>();
                for (Item item : benchmarks.allItems(c, benchmark.id())) {
                    items.put(item.itemId(), item);
                }
                List<Result> results = score(submitted, items, scoring);
                Evaluation e = new Evaluation(Ids.newId(), useCase, benchmark.id(), benchmarkVersion, modelVersion,
                        policy.equivalence(), Instant.now(), actor.name());
                evaluations.insert(c, e, results);
                long right = results.stream().filter(r -> Boolean.TRUE.equals(r.candidateCorrect())).count();
                long judged = results.stream().filter(r -> r.candidateCorrect() != null).count();
                Map<String, Object> event = new LinkedHashMap<>();
                event.put("useCase", useCase);
                event.put("evaluation", e.id().toString());
                event.put("benchmark", benchmarkVersion);
                event.put("benchmarkSha256", benchmark.digest());
                event.put("modelVersion", modelVersion);
                event.put("items", results.size());
                event.put("judged", judged);
                event.put("right", right);
                events.record(c, EventOutbox.EVALUATION_RECORDED, useCase + "/evaluations/" + e.id(), useCase,
                        actor.name(), event);
                return e.id();
            });
            return report(useCase, id);
        } catch (SQLException e) {
            throw new Failure.Unavailable("The evaluation could not be stored right now; retry.");
        }
    }

    public Report report(String useCase, UUID id) {
        Policy policy = policy(useCase);
        return read(c -> {
            Evaluation e = find(c, useCase, id);
            Map<UUID, Item> items = new HashMap<>();
            for (Item item : benchmarks.allItems(c, e.benchmarkId())) {
                items.put(item.itemId(), item);
            }
            List<Result> results = evaluations.results(c, id);
            List<EvaluationFigures.Scored> scored = new ArrayList<>(results.size());
            Map<UUID, Result> byItem = new HashMap<>();
            for (Result r : results) {
                byItem.put(r.itemId(), r);
                scored.add(new EvaluationFigures.Scored(r.itemId().toString(), items.get(r.itemId()).stratum(),
                        r.candidateCorrect(), r.referenceCorrect(), r.confidence()));
            }
            EvaluationFigures figures = EvaluationFigures.of(scored, policy.targetErrorRate(), policy.delta());
            List<String> production = items.values().stream().map(i -> content(i).path("modelVersion").asText(null))
                    .filter(v -> v != null).distinct().sorted().toList();
            return new Report(e, production, policy.delta(), figures.overall().significantRegression(policy.delta()),
                    figures, sideBySide(figures.regressions(), items, byItem),
                    sideBySide(figures.fixes(), items, byItem));
        });
    }

    public Page<Evaluation> evaluations(String useCase, Instant before, int limit) {
        return read(c -> Page.of(evaluations.list(c, useCase, before, limit), limit, e -> e.createdAt().toString()));
    }

    public List<Result> results(String useCase, UUID id) {
        return read(c -> {
            find(c, useCase, id);
            return evaluations.results(c, id);
        });
    }

    private List<Result> score(List<Submitted> submitted, Map<UUID, Item> items, Scoring scoring) {
        Map<UUID, Integer> seen = new HashMap<>();
        List<Result> results = new ArrayList<>(submitted.size());
        for (int i = 0; i < submitted.size(); i++) {
            Submitted s = submitted.get(i);
            String at = "results[" + i + "]";
            Item item = items.get(s.itemId());
            if (item == null) {
                throw new Failure.Invalid(at + ".itemId", "is not an item of this benchmark");
            }
            if (seen.put(s.itemId(), i) != null) {
                throw new Failure.Invalid(at + ".itemId", "appears twice (also at results[" + seen.get(s.itemId())
                        + "]); give one result per item");
            }
            if (item.content() == null) {
                // Erased: nothing to judge against; kept as undecided.
                results.add(new Result(s.itemId(), text(s.output()), s.confidence(), null, null));
                continue;
            }
            JsonNode content = content(item);
            boolean toolCallItem = "TOOL_CALL".equals(content.path("kind").asText());
            if (s.toolCall() != toolCallItem) {
                throw new Failure.Invalid(at, toolCallItem ? "the item is a tool call: answer with toolCall"
                        : "the item is a model output: answer with output");
            }
            JsonNode reference = content.get("reference");
            JsonNode production = content.get("output");
            JsonNode rejected = reference == null || reference.isNull() ? production : null;
            results.add(new Result(s.itemId(), text(s.output()), s.confidence(),
                    scoring.score(s.output(), reference, rejected), scoring.score(production, reference, rejected)));
        }
        List<UUID> missing = items.values().stream().filter(i -> i.content() != null && !seen.containsKey(i.itemId()))
                .map(Item::itemId).toList();
        if (!missing.isEmpty()) {
            throw new Failure.Invalid("results", "answers " + seen.size() + " of the benchmark's " + items.size()
                    + " items; give a result for every item (missing " + missing.size() + ", first "
                    + missing.get(0) + ")");
        }
        return results;
    }

    private List<SideBySide> sideBySide(List<String> ids, Map<UUID, Item> items, Map<UUID, Result> results) {
        List<SideBySide> out = new ArrayList<>();
        for (String id : ids.subList(0, Math.min(LISTED, ids.size()))) {
            UUID itemId = UUID.fromString(id);
            Item item = items.get(itemId);
            JsonNode content = content(item);
            Result r = results.get(itemId);
            out.add(new SideBySide(itemId, item.stratum(), content.get("input"), content.get("reference"),
                    content.get("output"), parse(r.output()), r.confidence()));
        }
        return out;
    }

    private Evaluation find(Connection c, String useCase, UUID id) throws SQLException {
        return evaluations.find(c, useCase, id).orElseThrow(() -> new Failure.NotFound(
                "Use case '" + useCase + "' has no evaluation " + id));
    }

    private Policy policy(String useCase) {
        return registry.current(useCase).orElseThrow(() -> new UnknownUseCase(useCase)).policy();
    }

    private JsonNode content(Item item) {
        return item.content() == null ? json.createObjectNode() : parse(item.content());
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON always parses", e);
        }
    }

    private String text(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A tree always serializes", e);
        }
    }

    private <T> T read(Transactions.Work<T> work) {
        try {
            return Transactions.inTransaction(db, work);
        } catch (SQLException e) {
            throw new Failure.Unavailable("Evaluations cannot be read right now; retry.");
        }
    }
}

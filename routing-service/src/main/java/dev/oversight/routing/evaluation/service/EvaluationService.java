package dev.oversight.routing.evaluation.service;

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
import dev.oversight.routing.domain.evaluation.EvaluationStatus;
import dev.oversight.routing.domain.evaluation.Scoring;
import dev.oversight.routing.evaluation.repository.BenchmarkRepository.Benchmark;
import dev.oversight.routing.evaluation.repository.BenchmarkRepository.Item;
import dev.oversight.routing.domain.evaluation.ComparisonStatus;
import dev.oversight.routing.evaluation.repository.ComparisonRepository;
import dev.oversight.routing.evaluation.repository.ComparisonRepository.Comparison;
import dev.oversight.routing.evaluation.repository.EvaluationRepository;
import dev.oversight.routing.evaluation.repository.EvaluationRepository.Evaluation;
import dev.oversight.routing.evaluation.repository.EvaluationRepository.Result;
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
 * the same way on the same items. A large benchmark's results may come in parts (each a request within the body
 * limit); the last completes the evaluation. The report is computed from the stored scores.
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
                         List<SideBySide> fixes, List<Comparison> comparisons, int judgedByPeople) {

        /** Whether people are still judging some of its outputs: the figures will move. */
        public boolean comparing() {
            return comparisons.stream().anyMatch(k -> k.status() == ComparisonStatus.OPEN);
        }
    }

    private final EvaluationRepository evaluations;
    private final ComparisonRepository comparisons;
    private final BenchmarkService benchmarks;
    private final UseCaseRegistry registry;
    private final Scorings scorings;
    private final EventOutbox events;
    private final StoredJson stored;
    private final ObjectMapper json;

    public EvaluationService(EvaluationRepository evaluations, ComparisonRepository comparisons,
                             BenchmarkService benchmarks, UseCaseRegistry registry, Scorings scorings,
                             EventOutbox events, StoredJson stored) {
        this.evaluations = evaluations;
        this.comparisons = comparisons;
        this.benchmarks = benchmarks;
        this.registry = registry;
        this.scorings = scorings;
        this.events = events;
        this.stored = stored;
        this.json = stored.mapper();
    }

    /** Where an evaluation stands after a part: its results so far; the report once complete. */
    public record Progress(Evaluation evaluation, int received, int items, Report report) {
    }

    /**
     * Starts an evaluation with its first results; with {@code complete} they must cover every item not erased, and
     * the answer carries the report. Otherwise the evaluation stays OPEN for more parts ({@link #addResults}).
     */
    @WithSpan
    public Progress submit(String useCase, int benchmarkVersion, String modelVersion, List<Submitted> submitted,
                           boolean complete, Actor actor) {
        Policy policy = policy(useCase);
        UUID id = write(c -> {
            Benchmark benchmark = benchmarks.find(c, useCase, benchmarkVersion);
            Evaluation e = new Evaluation(Ids.newId(), useCase, benchmark.id(), benchmarkVersion, modelVersion,
                    policy.equivalence(), EvaluationStatus.OPEN, Instant.now(), actor.name());
            evaluations.insert(c, e);
            accept(c, e, benchmark, submitted, complete, actor);
            return e.id();
        });
        return progress(useCase, id);
    }

    /** Adds a part of an OPEN evaluation's results; {@code complete}: the last part (every item must be answered). */
    @WithSpan
    public Progress addResults(String useCase, UUID id, List<Submitted> submitted, boolean complete, Actor actor) {
        write(c -> {
            Evaluation e = evaluations.find(c, useCase, id, true).orElseThrow(() -> notFound(useCase, id));
            if (e.status() == EvaluationStatus.COMPLETE) {
                throw new Failure.Conflict("Evaluation " + id + " is complete and takes no more results; submit a new"
                        + " evaluation to measure again.");
            }
            accept(c, e, benchmarks.find(c, useCase, e.benchmarkVersion()), submitted, complete, actor);
            return id;
        });
        return progress(useCase, id);
    }

    private Progress progress(String useCase, UUID id) {
        Progress p = reading(c -> {
            Evaluation e = find(c, useCase, id);
            return new Progress(e, evaluations.resultItems(c, id).size(),
                    benchmarks.find(c, useCase, e.benchmarkVersion()).size(), null);
        });
        return p.evaluation().status() == EvaluationStatus.OPEN ? p
                : new Progress(p.evaluation(), p.received(), p.items(), report(useCase, id));
    }

    /**
     * Scores a part by the evaluation's own rule (the policy's equivalence when it started, so that every part is
     * judged alike) and stores it; the last part completes the evaluation and records it in the audit trail.
     */
    private void accept(Connection c, Evaluation e, Benchmark benchmark, List<Submitted> submitted, boolean complete,
                        Actor actor) throws SQLException {
        Map<UUID, Item> items = new LinkedHashMap<>();
        for (Item item : benchmarks.allItems(c, benchmark.id())) {
            items.put(item.itemId(), item);
        }
        java.util.Set<UUID> earlier = evaluations.resultItems(c, e.id());
        List<Result> results = score(submitted, items, earlier, scorings.of(e.equivalence()));
        evaluations.insertResults(c, e.id(), results);
        if (!complete) {
            return;
        }
        java.util.Set<UUID> answered = new java.util.HashSet<>(earlier);
        results.forEach(r -> answered.add(r.itemId()));
        List<UUID> missing = items.values().stream()
                .filter(i -> i.content() != null && !answered.contains(i.itemId())).map(Item::itemId).toList();
        if (!missing.isEmpty()) {
            throw new Failure.Invalid("results", "answer " + answered.size() + " of the benchmark's " + items.size()
                    + " items; give a result for every item (missing " + missing.size() + ", first " + missing.get(0)
                    + "), or send this part with complete: false and the rest after it");
        }
        evaluations.complete(c, e.id());
        List<Result> all = evaluations.results(c, e.id());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("useCase", e.useCase());
        event.put("evaluation", e.id().toString());
        event.put("benchmark", benchmark.version());
        event.put("benchmarkSha256", benchmark.digest());
        event.put("modelVersion", e.modelVersion());
        event.put("items", all.size());
        event.put("judged", all.stream().filter(r -> r.candidateCorrect() != null).count());
        event.put("right", all.stream().filter(r -> Boolean.TRUE.equals(r.candidateCorrect())).count());
        events.record(c, EventOutbox.EVALUATION_RECORDED, e.useCase() + "/evaluations/" + e.id(), e.useCase(),
                actor.name(), event);
    }

    /** The report of a complete evaluation (409 while parts are still to come). */
    public Report report(String useCase, UUID id) {
        Policy policy = policy(useCase);
        return reading(c -> {
            Evaluation e = find(c, useCase, id);
            if (e.status() == EvaluationStatus.OPEN) {
                throw new Failure.Conflict("Evaluation " + id + " is still open: " + evaluations.resultItems(c, id).size()
                        + " results received; send the rest to POST .../evaluations/" + id + "/results with"
                        + " complete: true.");
            }
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
                    sideBySide(figures.fixes(), items, byItem), comparisons.ofEvaluation(c, id),
                    comparisons.judgedSides(c, id));
        });
    }

    public Page<Evaluation> evaluations(String useCase, Instant before, int limit) {
        return reading(c -> Page.of(evaluations.list(c, useCase, before, limit), limit, e -> e.createdAt().toString()));
    }

    public List<Result> results(String useCase, UUID id) {
        return reading(c -> {
            find(c, useCase, id);
            return evaluations.results(c, id);
        });
    }

    private List<Result> score(List<Submitted> submitted, Map<UUID, Item> items, java.util.Set<UUID> earlier,
                               Scoring scoring) {
        Map<UUID, Integer> seen = new HashMap<>();
        List<Result> results = new ArrayList<>(submitted.size());
        for (int i = 0; i < submitted.size(); i++) {
            Submitted s = submitted.get(i);
            String at = "results[" + i + "]";
            Item item = items.get(s.itemId());
            if (item == null) {
                throw new Failure.Invalid(at + ".itemId", "is not an item of this benchmark");
            }
            if (earlier.contains(s.itemId())) {
                throw new Failure.Invalid(at + ".itemId", "was answered in an earlier part of this evaluation");
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
        return evaluations.find(c, useCase, id, false).orElseThrow(() -> notFound(useCase, id));
    }

    private static Failure notFound(String useCase, UUID id) {
        return new Failure.NotFound("Use case '" + useCase + "' has no evaluation " + id);
    }

    private <T> T write(Transactions.Work<T> work) {
        return stored.inTransaction("The evaluation could not be stored right now; retry.", work);
    }

    private Policy policy(String useCase) {
        return registry.current(useCase).orElseThrow(() -> new UnknownUseCase(useCase)).policy();
    }

    private JsonNode content(Item item) {
        return item.content() == null ? json.createObjectNode() : parse(item.content());
    }

    private JsonNode parse(String text) {
        return stored.parse(text);
    }

    private String text(JsonNode node) {
        return stored.text(node);
    }

    private <T> T reading(Transactions.Work<T> work) {
        return stored.inTransaction("Evaluations cannot be read right now; retry.", work);
    }
}

package dev.oversight.routing.evaluation.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.id.Ids;
import dev.oversight.common.outbox.OutboxEvent;
import dev.oversight.common.outbox.OutboxStore;
import dev.oversight.routing.config.service.EventOutbox;
import dev.oversight.routing.config.service.UseCaseRegistry;
import dev.oversight.routing.domain.Policy;
import dev.oversight.routing.domain.ReviewerRequirements;
import dev.oversight.routing.domain.UnknownUseCase;
import dev.oversight.routing.domain.command.Actor;
import dev.oversight.routing.domain.evaluation.ComparedModel;
import dev.oversight.routing.domain.evaluation.ComparisonStatus;
import dev.oversight.routing.domain.evaluation.EvaluationStatus;
import dev.oversight.routing.evaluation.repository.BenchmarkRepository.Item;
import dev.oversight.routing.evaluation.repository.ComparisonRepository;
import dev.oversight.routing.evaluation.repository.ComparisonRepository.Comparison;
import dev.oversight.routing.evaluation.repository.ComparisonRepository.Side;
import dev.oversight.routing.evaluation.repository.EvaluationRepository;
import dev.oversight.routing.evaluation.repository.EvaluationRepository.Evaluation;
import dev.oversight.routing.evaluation.repository.EvaluationRepository.Result;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Blind side-by-side judgements: the items of a complete evaluation that its scoring rule could not decide (people
 * rejected an output without writing a better one and the candidate answered otherwise, or the equivalence rule
 * failed on the item) go to people. Each undecided output, the candidate's or the production model's, becomes one
 * review task whose decision id is a fresh id of its own, without a model version and without the agent's steps
 * (those are the production model's run), beside what people settled on; the tasks are sent in random order. So a
 * reviewer judges each output without being told, or being able to infer from the task, which model made it.
 *
 * <p>A verdict fills only the score the rule left undecided (APPROVE: right, REJECT: wrong); a score the rule decided
 * is never overwritten. The report is computed from the stored scores, so it counts each verdict as it arrives; the
 * last verdict closes the comparison and records the evaluation's new counts in the audit trail.
 */
@ApplicationScoped
public class ComparisonService {

    /** A comparison as the API shows it: how many sides, how many judged, and the counts once done. */
    public record View(Comparison comparison, int judged, int right) {
    }

    private final ComparisonRepository comparisons;
    private final EvaluationRepository evaluations;
    private final BenchmarkService benchmarks;
    private final UseCaseRegistry registry;
    private final StoredJson stored;
    private final EventOutbox events;

    public ComparisonService(ComparisonRepository comparisons, EvaluationRepository evaluations,
                             BenchmarkService benchmarks, UseCaseRegistry registry, StoredJson stored,
                             EventOutbox events) {
        this.comparisons = comparisons;
        this.evaluations = evaluations;
        this.benchmarks = benchmarks;
        this.registry = registry;
        this.stored = stored;
        this.events = events;
    }

    /** Sends the evaluation's undecided outputs to people, one blind task each, in the request's transaction. */
    @WithSpan
    public View request(String useCase, UUID evaluationId, Actor actor) {
        Policy policy = registry.current(useCase).orElseThrow(() -> new UnknownUseCase(useCase)).policy();
        UUID id = stored.inTransaction("The comparison could not be stored right now; retry.", c -> {
            Evaluation e = evaluations.find(c, useCase, evaluationId, true).orElseThrow(() ->
                    new Failure.NotFound("Use case '" + useCase + "' has no evaluation " + evaluationId));
            if (e.status() != EvaluationStatus.COMPLETE) {
                throw new Failure.Conflict("Evaluation " + evaluationId + " is still open: send the rest of its"
                        + " results first; only a complete evaluation's undecided items can be compared.");
            }
            for (Comparison earlier : comparisons.ofEvaluation(c, evaluationId)) {
                if (earlier.status() == ComparisonStatus.OPEN) {
                    throw new Failure.Conflict("Comparison " + earlier.id() + " of this evaluation is still waiting"
                            + " for people; see GET .../evaluations/" + evaluationId + "/comparisons/" + earlier.id());
                }
            }
            Map<UUID, Item> items = new HashMap<>();
            for (Item item : benchmarks.allItems(c, e.benchmarkId())) {
                items.put(item.itemId(), item);
            }
            List<Side> sides = new ArrayList<>();
            List<OutboxEvent> tasks = new ArrayList<>();
            UUID comparisonId = Ids.newId();
            for (Result r : evaluations.results(c, evaluationId)) {
                Item item = items.get(r.itemId());
                if (item == null || item.content() == null) {
                    continue; // erased: there is nothing left to show anyone
                }
                JsonNode content = stored.parse(item.content());
                if (r.candidateCorrect() == null) {
                    sides.add(new Side(Ids.newId(), r.itemId(), ComparedModel.CANDIDATE, null, null));
                    tasks.add(task(comparisonId, sides.get(sides.size() - 1), useCase, content,
                            stored.parse(r.output()), policy, actor));
                }
                if (r.referenceCorrect() == null && content.hasNonNull("output")) {
                    sides.add(new Side(Ids.newId(), r.itemId(), ComparedModel.PRODUCTION, null, null));
                    tasks.add(task(comparisonId, sides.get(sides.size() - 1), useCase, content, content.get("output"),
                            policy, actor));
                }
            }
            if (sides.isEmpty()) {
                throw new Failure.Conflict("Every item of evaluation " + evaluationId + " is decided (or erased):"
                        + " nothing to compare.");
            }
            Comparison comparison = new Comparison(comparisonId, useCase, evaluationId, ComparisonStatus.OPEN,
                    sides.size(), Instant.now(), actor.name());
            comparisons.insert(c, comparison, sides);
            // A candidate's side and the production model's side of an item must not arrive in a telling order.
            Collections.shuffle(tasks);
            OutboxStore.insert(c, tasks);
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("useCase", useCase);
            event.put("evaluation", evaluationId.toString());
            event.put("comparison", comparisonId.toString());
            event.put("sides", sides.size());
            events.record(c, EventOutbox.COMPARISON_REQUESTED, useCase + "/evaluations/" + evaluationId
                    + "/comparisons/" + comparisonId, useCase, actor.name(), event);
            return comparisonId;
        });
        return view(useCase, evaluationId, id);
    }

    /**
     * Records one side's verdict (from the review service's outcome intake, in its transaction): empty when
     * {@code comparisonId} is no comparison (the review service's judgements name rejudges and comparisons alike),
     * else whether it applied. The last one closes the comparison.
     */
    public Optional<Boolean> record(Connection c, UUID comparisonId, UUID sideId, String verdict, Instant judgedAt)
            throws SQLException {
        Comparison k = comparisons.find(c, comparisonId, true).orElse(null);
        if (k == null) {
            return Optional.empty();
        }
        boolean right = "APPROVE".equals(verdict);
        Side side = comparisons.judge(c, comparisonId, sideId, right ? "APPROVE" : "REJECT", judgedAt).orElse(null);
        if (side == null) {
            return Optional.of(false);
        }
        comparisons.score(c, k.evaluationId(), side.itemId(), side.model(), right);
        List<Side> all = comparisons.sides(c, comparisonId);
        if (all.stream().allMatch(s -> s.verdict() != null)) {
            comparisons.done(c, comparisonId);
            List<Result> results = evaluations.results(c, k.evaluationId());
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("useCase", k.useCase());
            event.put("evaluation", k.evaluationId().toString());
            event.put("comparison", comparisonId.toString());
            event.put("sides", all.size());
            event.put("judged", results.stream().filter(r -> r.candidateCorrect() != null).count());
            event.put("right", results.stream().filter(r -> Boolean.TRUE.equals(r.candidateCorrect())).count());
            events.record(c, EventOutbox.COMPARISON_DONE, k.useCase() + "/evaluations/" + k.evaluationId()
                    + "/comparisons/" + comparisonId, k.useCase(), "review", event);
        }
        return Optional.of(true);
    }

    public View view(String useCase, UUID evaluationId, UUID id) {
        return stored.inTransaction("Comparisons cannot be read right now; retry.", c -> {
            Comparison k = comparisons.find(c, id, false)
                    .filter(x -> x.useCase().equals(useCase) && x.evaluationId().equals(evaluationId))
                    .orElseThrow(() -> new Failure.NotFound("Evaluation " + evaluationId + " of '" + useCase
                            + "' has no comparison " + id));
            List<Side> sides = comparisons.sides(c, id);
            return new View(k, (int) sides.stream().filter(s -> s.verdict() != null).count(),
                    (int) sides.stream().filter(s -> "APPROVE".equals(s.verdict())).count());
        });
    }

    /** The review service's task for one side: the output alone, beside what people settled on. */
    private OutboxEvent task(UUID comparisonId, Side side, String useCase, JsonNode content, JsonNode output,
                             Policy policy, Actor actor) {
        ObjectNode t = stored.mapper().createObjectNode();
        t.put("decisionId", side.sideId().toString());
        t.put("judgementId", comparisonId.toString());
        t.put("useCase", useCase);
        t.set("input", content.get("input"));
        t.set("output", output);
        t.putArray("reasons").add("COMPARE");
        t.put("requiredReviews", 1);
        t.put("slaSeconds", policy.reviewSlaSeconds());
        t.put("onReviewTimeout", "HOLD");
        t.put("blindReview", true);
        if ("TOOL_CALL".equals(content.path("kind").asText())) {
            t.put("toolCall", true);
        }
        ReviewerRequirements requires = ReviewerRequirements.of(policy.reviewers());
        if (!requires.requiresNothing()) {
            ObjectNode r = t.putObject("requires");
            requires.skills().forEach(r.putArray("skills")::add);
            requires.languages().forEach(r.putArray("languages")::add);
            requires.qualifications().forEach(r.putArray("qualifications")::add);
        }
        ObjectNode comparison = t.putObject("comparison");
        if (content.hasNonNull("reference")) {
            comparison.set("reference", content.get("reference"));
        }
        return OutboxEvent.of(EventOutbox.REVIEW, EventOutbox.TASK_REQUESTED, side.sideId().toString(), useCase,
                actor.name(), stored.text(t));
    }
}

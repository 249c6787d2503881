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
import dev.oversight.routing.evaluation.repository.BenchmarkRepository.Benchmark;
import dev.oversight.routing.evaluation.repository.BenchmarkRepository.Item;
import dev.oversight.routing.evaluation.repository.JudgementRepository;
import dev.oversight.routing.evaluation.repository.JudgementRepository.Judged;
import dev.oversight.routing.evaluation.repository.JudgementRepository.Judgement;
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
import java.util.Objects;
import java.util.UUID;

/**
 * Rejudging a benchmark: what "good" means moves, so the items judged under an older guideline version go back to
 * people as review tasks under the version in force (JUDGE_ITEM tasks of the review service, asked through the
 * outbox in the request's transaction). Each verdict comes back with the judgement's id; when the last is in, the
 * benchmark's next version is frozen (the same items, the rejudged ones with their new verdict and reference) and
 * the items whose verdict or reference changed are the report of how the standard moved.
 */
@ApplicationScoped
public class JudgementService {

    /** A rejudge as the API shows it: progress, the next version once frozen, and what changed. */
    public record View(Judgement judgement, int benchmarkVersion, int received, List<Change> changed) {
    }

    /** An item whose verdict or reference the new judgement changed. */
    public record Change(UUID itemId, String verdictBefore, String verdictAfter, JsonNode referenceBefore,
                         JsonNode referenceAfter) {
    }

    private final JudgementRepository judgements;
    private final BenchmarkService benchmarks;
    private final UseCaseRegistry registry;
    private final StoredJson stored;
    private final EventOutbox events;

    public JudgementService(JudgementRepository judgements, BenchmarkService benchmarks, UseCaseRegistry registry,
                            StoredJson stored, EventOutbox events) {
        this.judgements = judgements;
        this.benchmarks = benchmarks;
        this.registry = registry;
        this.stored = stored;
        this.events = events;
    }

    /** Sends the benchmark's items not judged under {@code guidelineVersion} back to people under it. */
    @WithSpan
    public View rejudge(String useCase, int version, int guidelineVersion, Actor actor) {
        Policy policy = registry.current(useCase).orElseThrow(() -> new UnknownUseCase(useCase)).policy();
        UUID id = stored.inTransaction("The rejudge could not be stored right now; retry.", c -> {
            Benchmark b = benchmarks.find(c, useCase, version);
            List<Item> stale = new ArrayList<>();
            for (Item item : benchmarks.allItems(c, b.id())) {
                if (item.content() != null && !BenchmarkService.guidelineVersions(stored.parse(item.content())
                        .get("verdicts")).equals(java.util.Set.of(String.valueOf(guidelineVersion)))) {
                    stale.add(item);
                }
            }
            if (stale.isEmpty()) {
                throw new Failure.Conflict("Every item of benchmark " + version + " was judged under guideline version "
                        + guidelineVersion + " already (or erased): nothing to rejudge.");
            }
            Judgement j = new Judgement(Ids.newId(), useCase, b.id(), guidelineVersion, "OPEN", stale.size(), null,
                    Instant.now(), actor.name());
            judgements.insert(c, j, stale.stream().map(Item::itemId).toList());
            List<OutboxEvent> tasks = new ArrayList<>(stale.size());
            for (Item item : stale) {
                tasks.add(OutboxEvent.of(EventOutbox.REVIEW, EventOutbox.TASK_REQUESTED, item.itemId().toString(),
                        useCase, actor.name(), taskRequest(j, stored.parse(item.content()), policy)));
            }
            OutboxStore.insert(c, tasks);
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("useCase", useCase);
            event.put("judgement", j.id().toString());
            event.put("benchmark", version);
            event.put("guidelineVersion", guidelineVersion);
            event.put("items", stale.size());
            events.record(c, EventOutbox.REJUDGE_REQUESTED, useCase + "/judgements/" + j.id(), useCase, actor.name(),
                    event);
            return j.id();
        });
        return view(useCase, id);
    }

    /**
     * Records one item's new judgement (from the review service's outcome intake, in its transaction); answers
     * whether it applied. The last one freezes the next benchmark version.
     */
    public boolean record(Connection c, UUID judgementId, UUID itemId, String verdict, JsonNode finalOutput,
                          JsonNode verdicts, Instant judgedAt) throws SQLException {
        Judgement j = judgements.find(c, judgementId, true).orElse(null);
        if (j == null || !judgements.judge(c, judgementId, new Judged(itemId, verdict,
                finalOutput == null || finalOutput.isNull() ? null : stored.text(finalOutput),
                verdicts == null || verdicts.isNull() ? "[]" : stored.text(verdicts), judgedAt))) {
            return false;
        }
        List<Judged> all = judgements.items(c, judgementId);
        if (all.stream().allMatch(i -> i.verdict() != null)) {
            freezeNext(c, j, all);
        }
        return true;
    }

    public View view(String useCase, UUID id) {
        return stored.inTransaction("Rejudges cannot be read right now; retry.", c -> {
            Judgement j = judgements.find(c, id, false).filter(x -> x.useCase().equals(useCase))
                    .orElseThrow(() -> new Failure.NotFound("Use case '" + useCase + "' has no rejudge " + id));
            List<Judged> all = judgements.items(c, id);
            Map<UUID, Item> before = new HashMap<>();
            for (Item item : benchmarks.allItems(c, j.benchmarkId())) {
                before.put(item.itemId(), item);
            }
            List<Change> changed = new ArrayList<>();
            for (Judged judged : all) {
                Item item = before.get(judged.itemId());
                if (judged.verdict() == null || item == null || item.content() == null) {
                    continue;
                }
                JsonNode old = stored.parse(item.content());
                JsonNode reference = reference(judged, old.get("output"));
                String verdictBefore = old.path("verdict").asText();
                String verdictAfter = status(judged.verdict());
                if (!verdictBefore.equals(verdictAfter) || !Objects.equals(old.get("reference"), reference)) {
                    changed.add(new Change(judged.itemId(), verdictBefore, verdictAfter, old.get("reference"),
                            reference));
                }
            }
            return new View(j, benchmarks.byId(c, j.benchmarkId()).version(), (int) all.stream().filter(i -> i.verdict() != null).count(), changed);
        });
    }

    /** The benchmark's next version: the same items in the same order, the rejudged ones as people now judge them. */
    private void freezeNext(Connection c, Judgement j, List<Judged> all) throws SQLException {
        Map<UUID, Judged> byItem = new HashMap<>();
        all.forEach(i -> byItem.put(i.itemId(), i));
        List<BenchmarkService.Draft> drafts = new ArrayList<>();
        for (Item item : benchmarks.allItems(c, j.benchmarkId())) {
            if (item.content() == null) {
                continue; // erased: its content is gone, and so it is from every later version
            }
            ObjectNode content = (ObjectNode) stored.parse(item.content());
            Judged judged = byItem.get(item.itemId());
            if (judged != null) {
                content.put("verdict", status(judged.verdict()));
                content.set("reference", reference(judged, content.get("output")));
                content.set("verdicts", stored.parse(judged.verdicts()));
                content.put("decidedAt", judged.judgedAt().toString());
            }
            drafts.add(new BenchmarkService.Draft(item.itemId(), item.stratum(), content,
                    Instant.parse(content.get("decidedAt").asText())));
        }
        int version = benchmarks.nextVersion(c, j.useCase());
        Benchmark base = benchmarks.byId(c, j.benchmarkId());
        benchmarks.store(c, j.useCase(), version, base.name(), base.spec(), drafts, j.createdBy(),
                Map.of("rejudge", j.id().toString(), "guidelineVersion", j.guidelineVersion()));
        judgements.done(c, j.id(), version);
    }

    private JsonNode reference(Judged judged, JsonNode output) {
        JsonNode finalOutput = stored.parse(judged.finalOutput());
        return finalOutput.isNull() && "APPROVE".equals(judged.verdict()) ? output : finalOutput;
    }

    private static String status(String verdict) {
        return switch (verdict) {
            case "APPROVE" -> "APPROVED";
            case "REJECT" -> "REJECTED";
            default -> "CORRECTED";
        };
    }

    /** The review service's task request for one item: judged again under the guidelines in force. */
    private String taskRequest(Judgement j, JsonNode content, Policy policy) {
        ObjectNode t = stored.mapper().createObjectNode();
        t.put("decisionId", content.get("itemId").asText());
        t.put("judgementId", j.id().toString());
        t.put("useCase", j.useCase());
        t.put("modelVersion", content.path("modelVersion").asText(null));
        t.set("input", content.get("input"));
        t.set("output", content.get("output"));
        t.putArray("reasons").add("REJUDGE");
        t.put("requiredReviews", 1);
        t.put("slaSeconds", policy.reviewSlaSeconds());
        t.put("onReviewTimeout", "HOLD");
        t.put("blindReview", policy.blindReview());
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
        if (content.hasNonNull("trajectory")) {
            t.set("trajectory", content.get("trajectory"));
        }
        return stored.text(t);
    }
}

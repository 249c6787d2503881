package dev.oversight.routing.evaluation.service;

import dev.oversight.common.crypto.KeyedDigest;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.id.Ids;
import dev.oversight.routing.config.service.EventOutbox;
import dev.oversight.routing.config.service.UseCaseRegistry;
import dev.oversight.routing.domain.Policy;
import dev.oversight.routing.domain.UnknownUseCase;
import dev.oversight.routing.domain.command.Actor;
import dev.oversight.routing.domain.evaluation.PairedComparison;
import dev.oversight.routing.evaluation.repository.EvaluationRepository;
import dev.oversight.routing.evaluation.repository.EvaluationRepository.Promotion;
import dev.oversight.routing.outcomes.repository.LabelRepository;
import dev.oversight.routing.outcomes.repository.LabelRepository.NewLabel;
import dev.oversight.routing.policy.service.PolicyService;
import dev.oversight.routing.policy.service.PolicyVersion;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Promotion of a candidate model version into the policy's {@code modelVersions.allowed}. Nothing new ships on its
 * own: the version must have an evaluation that shows no significant regression against the model in production
 * at the policy's level δ (exact McNemar on the benchmark's items), or a person records an override and its reason;
 * the new policy version then goes through the human-in-command gate like any other (allowing a version loosens
 * oversight: under four eyes it waits for a second admin, and a machine cannot do it). The evaluation's judged
 * results become the new version's first calibration labels (source "evaluation:{id}", weight 1), so that its
 * calibrator is fitted on its own outputs. The labels, the promotion's record and its {@code MODEL_PROMOTED} event are
 * written in the transaction that stores the policy version: all of them exist, or none.
 */
@ApplicationScoped
public class PromotionService {

    /** What a promotion did. */
    public record Promoted(Promotion promotion, PolicyVersion policy, PairedComparison comparison) {
    }

    private final EvaluationService evaluations;
    private final EvaluationRepository repository;
    private final PolicyService policies;
    private final LabelRepository labels;
    private final UseCaseRegistry registry;
    private final EventOutbox events;
    private final KeyedDigest digest;

    public PromotionService(EvaluationService evaluations, EvaluationRepository repository, PolicyService policies,
                            LabelRepository labels, UseCaseRegistry registry, EventOutbox events,
                            KeyedDigest digest) {
        this.digest = digest;
        this.evaluations = evaluations;
        this.repository = repository;
        this.policies = policies;
        this.labels = labels;
        this.registry = registry;
        this.events = events;
    }

    @WithSpan
    public Promoted promote(String useCase, String modelVersion, UUID evaluationId, String overrideReason,
                            Actor actor) {
        EvaluationService.Report report = evaluations.report(useCase, evaluationId);
        if (!report.evaluation().modelVersion().equals(modelVersion)) {
            throw new Failure.Invalid("modelVersion", "evaluation " + evaluationId + " measured '"
                    + report.evaluation().modelVersion() + "', not '" + modelVersion + "'");
        }
        if (report.comparing()) {
            throw new Failure.Conflict("People are still judging outputs of evaluation " + evaluationId + " side by"
                    + " side, so its figures will move: promote once its comparison is done.");
        }
        Policy policy = registry.load(useCase).orElseThrow(() -> new UnknownUseCase(useCase)).policy();
        if (policy.modelVersions() == null) {
            throw new Failure.Conflict("The policy of '" + useCase + "' lists no modelVersions, so every version"
                    + " already routes on confidence; list the versions in production (modelVersions.allowed) first.");
        }
        if (policy.modelVersions().allows(modelVersion)) {
            throw new Failure.Conflict("'" + modelVersion + "' is already allowed by the policy in force");
        }
        PairedComparison c = report.figures().overall();
        if (report.significantRegression() && overrideReason == null) {
            throw new Failure.Unprocessable("regression", "The candidate regressed", String.format(Locale.ROOT,
                    "On benchmark %d, '%s' got %d items wrong that production got right and fixed %d (accuracy %.3f"
                            + " against %.3f, exact McNemar p = %.3g < δ = %s): not promoted. Give override.reason"
                            + " to promote it anyway on your own record.", report.evaluation().benchmarkVersion(),
                    modelVersion, c.regressions(), c.fixes(), c.candidate().estimate(), c.reference().estimate(),
                    c.pValue(), report.level()));
        }
        List<NewLabel> judged = evaluations.results(useCase, evaluationId).stream()
                .filter(r -> r.candidateCorrect() != null)
                .map(r -> new NewLabel(useCase, modelVersion, null, r.confidence(), r.candidateCorrect(), 1.0,
                        "evaluation:" + evaluationId, null, actor.name()))
                .toList();
        java.util.concurrent.atomic.AtomicReference<Promotion> recorded = new java.util.concurrent.atomic.AtomicReference<>();
        // The labels, the promotion's record and its event are written in the transaction of the policy version.
        PolicyVersion saved = policies.putPolicy(useCase,
                policy.withModelVersions(policy.modelVersions().allowing(modelVersion)), actor, (conn, version) -> {
                    Promotion promotion = new Promotion(Ids.newId(), useCase, modelVersion, evaluationId,
                            version.version(), version.pending(), overrideReason, judged.size(), Instant.now(),
                            actor.name());
                    labels.insertAll(conn, judged);
                    repository.insert(conn, promotion);
                    Map<String, Object> event = new LinkedHashMap<>();
                    event.put("useCase", useCase);
                    event.put("modelVersion", modelVersion);
                    event.put("evaluation", evaluationId.toString());
                    event.put("policyVersion", version.version());
                    event.put("pendingApproval", version.pending());
                    event.put("regressions", c.regressions());
                    event.put("fixes", c.fixes());
                    event.put("pValue", c.pValue());
                    event.put("overridden", overrideReason != null);
                    if (overrideReason != null) {
                        event.put("overrideReasonHmac", digest.hex(overrideReason));
                    }
                    event.put("labels", judged.size());
                    events.record(conn, EventOutbox.MODEL_PROMOTED, useCase + "/promotions/" + promotion.id(), useCase,
                            actor.name(), event);
                    recorded.set(promotion);
                });
        if (recorded.get() == null) {
            throw new IllegalStateException("A promotion always stores a new policy version");
        }
        return new Promoted(recorded.get(), saved, c);
    }
}

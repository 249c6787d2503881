package dev.oversight.routing.evaluation.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oversight.routing.config.service.UseCaseRegistry;
import dev.oversight.routing.domain.DecisionRecord;
import dev.oversight.routing.domain.DecisionStatus;
import dev.oversight.routing.domain.Policy;
import dev.oversight.routing.domain.UnknownUseCase;
import dev.oversight.routing.domain.evaluation.EvaluationFigures;
import dev.oversight.routing.domain.evaluation.Scoring;
import dev.oversight.routing.evaluation.repository.EvaluationRepository;
import dev.oversight.routing.evaluation.repository.EvaluationRepository.ShadowScore;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Shadow traffic: candidate outputs sent along with routed outputs are scored when people decide the decision
 * (in the transaction that records the verdict, so a verdict is never without its shadow scores), by the same
 * rule as evaluations, beside the production output's score on the same item. The live comparison is the
 * evaluation figures over those scores, with one stratum per day (the comparison over time).
 */
@ApplicationScoped
public class ShadowService {

    /** The comparison reads at most this many of the newest scores. */
    public static final int MAX_SCORES = 100_000;

    /** A candidate version's live comparison. */
    public record Comparison(String useCase, String modelVersion, double level, boolean significantRegression,
                             Instant first, Instant last, EvaluationFigures figures) {
    }

    private final EvaluationRepository evaluations;
    private final UseCaseRegistry registry;
    private final Scorings scorings;
    private final StoredJson stored;

    public ShadowService(EvaluationRepository evaluations, UseCaseRegistry registry, Scorings scorings,
                         StoredJson stored) {
        this.evaluations = evaluations;
        this.registry = registry;
        this.scorings = scorings;
        this.stored = stored;
    }

    /** Scores a decided decision's shadow outputs on the caller's connection (inside its transaction). */
    public void score(Connection c, DecisionRecord d, Instant at) throws SQLException {
        if (d.shadow() == null) {
            return;
        }
        Scoring scoring = scorings.of(registry.current(d.useCase()).map(u -> u.policy().equivalence()).orElse(null));
        JsonNode production = stored.parse(d.output());
        JsonNode reference = d.finalOutput() != null ? stored.parse(d.finalOutput())
                : d.status() == DecisionStatus.APPROVED ? production : null;
        JsonNode rejected = reference == null ? production : null;
        Boolean productionRight = scoring.score(production, reference, rejected);
        List<ShadowScore> scores = new ArrayList<>();
        for (JsonNode s : stored.parse(d.shadow())) {
            scores.add(new ShadowScore(d.id(), s.get("modelVersion").asText(), d.useCase(),
                    s.get("confidence").asDouble(), scoring.score(s.get("output"), reference, rejected),
                    productionRight, at));
        }
        evaluations.insertShadowScores(c, scores);
    }

    public Comparison comparison(String useCase, String modelVersion) {
        Policy policy = registry.current(useCase).orElseThrow(() -> new UnknownUseCase(useCase)).policy();
        List<ShadowScore> scores = stored.inTransaction("Shadow scores cannot be read right now; retry.",
                c -> evaluations.shadowScores(c, useCase, modelVersion, MAX_SCORES));
        List<EvaluationFigures.Scored> scored = scores.stream().map(s -> new EvaluationFigures.Scored(
                s.decisionId().toString(), s.scoredAt().atOffset(ZoneOffset.UTC).toLocalDate().toString(),
                s.candidateCorrect(), s.referenceCorrect(), s.confidence())).toList();
        EvaluationFigures figures = EvaluationFigures.of(scored, policy.targetErrorRate(), policy.delta());
        return new Comparison(useCase, modelVersion, policy.delta(),
                figures.overall().significantRegression(policy.delta()),
                scores.isEmpty() ? null : scores.get(0).scoredAt(),
                scores.isEmpty() ? null : scores.get(scores.size() - 1).scoredAt(), figures);
    }
}

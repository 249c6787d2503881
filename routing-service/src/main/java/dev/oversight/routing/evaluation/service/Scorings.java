package dev.oversight.routing.evaluation.service;

import dev.oversight.routing.domain.RuleCompilationException;
import dev.oversight.routing.domain.evaluation.Equivalence;
import dev.oversight.routing.domain.evaluation.Scoring;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The scoring of a policy's equivalence rule, compiled once per rule text (policies check it when saved). */
@ApplicationScoped
public class Scorings {

    private static final int MAX_CACHED = 256;
    private final Map<String, Scoring> compiled = new ConcurrentHashMap<>();

    public Scoring of(String equivalence) {
        if (equivalence == null) {
            return Scoring.exact();
        }
        if (compiled.size() > MAX_CACHED) {
            compiled.clear();
        }
        return compiled.computeIfAbsent(equivalence, text -> {
            try {
                return Scoring.by(Equivalence.compile(text));
            } catch (RuleCompilationException e) {
                throw new IllegalStateException("A stored policy's equivalence always compiles", e);
            }
        });
    }
}

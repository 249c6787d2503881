package dev.oversight.review.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oversight.common.crypto.Sha256;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.http.Page;
import dev.oversight.common.json.CanonicalJson;
import dev.oversight.common.outbox.OutboxEvent;
import dev.oversight.common.outbox.OutboxStore;
import dev.oversight.review.domain.Guideline;
import dev.oversight.review.repository.GuidelineRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Versioned review standards. What "good" means changes as a system is used; each version is kept, every verdict
 * records the version it was given under, and each change is a {@code GUIDELINES_CHANGED} event in the audit trail
 * with the SHA-256 of the version's RFC 8785 canonical JSON ({instructions, criteria}), never the words.
 */
@ApplicationScoped
public class Guidelines {

    /** What a save did: the version in force, and whether this call created it. */
    public record Saved(Guideline guideline, boolean created) {
    }

    private final GuidelineRepository guidelines;
    private final ReviewTransactions transactions;
    private final ReviewJson text;
    private final ObjectMapper json;

    public Guidelines(GuidelineRepository guidelines, ReviewTransactions transactions, ReviewJson text,
                      ObjectMapper json) {
        this.guidelines = guidelines;
        this.transactions = transactions;
        this.text = text;
        this.json = json;
    }

    /** Saves a new version, unless it is the version in force already (then nothing changes). */
    public Saved put(String useCase, String instructions, List<Guideline.Criterion> criteria, String actor) {
        Guideline.problemWith(criteria).ifPresent(p -> {
            throw new Failure.Invalid(p.substring(0, p.indexOf(':')), p.substring(p.indexOf(':') + 2));
        });
        ObjectNode content = json.createObjectNode().put("instructions", instructions);
        content.set("criteria", json.valueToTree(criteria));
        String sha256 = Sha256.hex(CanonicalJson.of(content));
        return transactions.inTransaction(c -> {
            int version = guidelines.nextVersion(c, useCase);
            Optional<Guideline> current = guidelines.current(c, useCase);
            if (current.isPresent() && current.get().sha256().equals(sha256)) {
                return new Saved(current.get(), false);
            }
            Guideline g = new Guideline(useCase, version, instructions, criteria, sha256, Instant.now(), actor);
            guidelines.insert(c, g);
            ObjectNode payload = json.createObjectNode().put("useCase", useCase).put("version", version)
                    .put("sha256", sha256);
            ArrayNode names = payload.putArray("criteria");
            criteria.forEach(k -> names.add(k.name()));
            OutboxStore.insert(c, OutboxEvent.of(ReviewOutbox.AUDIT, "GUIDELINES_CHANGED",
                    useCase + "/guidelines/" + version, useCase, actor, text.text(payload)));
            return new Saved(g, true);
        });
    }

    public Optional<Guideline> current(String useCase) {
        return transactions.inTransaction(c -> guidelines.current(c, useCase));
    }

    public Page<Guideline> versions(String useCase, Integer below, int limit) {
        return transactions.inTransaction(c -> Page.of(guidelines.versions(c, useCase,
                below == null ? Integer.MAX_VALUE : below, limit), limit, g -> String.valueOf(g.version())));
    }
}

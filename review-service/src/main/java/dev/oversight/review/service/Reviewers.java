package dev.oversight.review.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oversight.common.crypto.KeyedDigest;
import dev.oversight.common.outbox.OutboxEvent;
import dev.oversight.common.outbox.OutboxStore;
import dev.oversight.review.domain.Qualification;
import dev.oversight.review.domain.Reliance;
import dev.oversight.review.domain.ReviewerProfile;
import dev.oversight.review.repository.RelianceRepository;
import dev.oversight.review.repository.ReviewerRepository;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Reviewers' profiles, as admins describe them: skills, languages, qualifications with their validity and evidence,
 * a limit of open tasks, whether they review at all. Each change is a {@code REVIEWER_CHANGED} event in the audit
 * trail naming who changed whose profile; the evidence is someone's words and reaches the trail as a keyed digest.
 */
@ApplicationScoped
public class Reviewers {

    /** What a save did: the profile now, and whether it changed. */
    public record Saved(ReviewerProfile profile, boolean changed) {
    }

    private final ReviewerRepository reviewers;
    private final ReviewTransactions transactions;
    private final ReviewJson json;
    private final KeyedDigest digest;
    private final RelianceRepository reliance;

    public Reviewers(ReviewerRepository reviewers, ReviewTransactions transactions, ReviewJson json,
                     KeyedDigest digest, RelianceRepository reliance) {
        this.reliance = reliance;
        this.reviewers = reviewers;
        this.transactions = transactions;
        this.json = json;
        this.digest = digest;
    }

    /** Saves the profile; the same profile again changes nothing and records nothing. */
    @WithSpan
    public Saved save(String name, List<String> skills, List<String> languages, List<Qualification> qualifications,
                      Integer maxOpenLeases, boolean active, String email, boolean notifications, boolean senior,
                      String admin) {
        return transactions.inTransaction(c -> {
            ReviewerProfile before = reviewers.profile(c, name);
            ReviewerProfile after = new ReviewerProfile(name, sorted(skills), sorted(languages),
                    qualifications.stream().sorted(java.util.Comparator.comparing(Qualification::name)).toList(),
                    maxOpenLeases, active, before.paused(), before.pausedWhy(), true, Instant.now(), admin, email, notifications,
                    senior);
            if (before.described() && same(before, after)) {
                return new Saved(before, false);
            }
            reviewers.save(c, after);
            ObjectNode payload = JsonNodeFactory.instance.objectNode().put("reviewer", name).put("active", active);
            payload.set("skills", strings(after.skills()));
            payload.set("languages", strings(after.languages()));
            if (maxOpenLeases != null) {
                payload.put("maxOpenLeases", maxOpenLeases);
            }
            payload.put("notifications", notifications).put("senior", senior);
            if (email != null) {
                payload.put("emailHmac", digest.hex(email)); // an address is personal data: its digest only
            }
            ArrayNode held = payload.putArray("qualifications");
            for (Qualification q : after.qualifications()) {
                ObjectNode n = held.addObject().put("name", q.name()).put("validUntil", q.validUntil().toString());
                if (q.evidence() != null) {
                    n.put("evidenceHmac", digest.hex(q.evidence()));
                }
            }
            OutboxStore.insert(c, OutboxEvent.of(ReviewOutbox.AUDIT, "REVIEWER_CHANGED", "reviewers/" + name, null,
                    admin, json.text(payload)));
            return new Saved(reviewers.profile(c, name), true);
        });
    }

    /** Per reviewer: assigned, started, done, overdue and median time per task (admins' view of the workforce). */
    public List<ReviewerRepository.Progress> progress(String useCase) {
        return transactions.inTransaction(c -> reviewers.progress(c, useCase));
    }

    /** The limits in force and each reviewer's reliance figures (one reviewer's when {@code reviewer} is given). */
    public record RelianceReport(String useCase, Instant from, Instant to, Reliance.Limits limits,
                                 List<Reliance> items) {
    }

    public RelianceReport reliance(String useCase, String reviewer, Instant from, Instant to, boolean withGold) {
        return transactions.inTransaction(c -> {
            Reliance.Limits limits = reliance.limits(c, useCase).orElse(new Reliance.Limits(null, null, null));
            return new RelianceReport(useCase, from, to, limits,
                    reliance.figures(c, useCase, reviewer, from, to, withGold, limits));
        });
    }

    public ReviewerProfile get(String name) {
        return transactions.inTransaction(c -> reviewers.profile(c, name));
    }

    /** Every described reviewer, by name. */
    public List<ReviewerProfile> all() {
        return transactions.inTransaction(reviewers::described);
    }

    private static boolean same(ReviewerProfile a, ReviewerProfile b) {
        return a.skills().equals(b.skills()) && a.languages().equals(b.languages())
                && a.qualifications().equals(b.qualifications()) && Objects.equals(a.maxOpenLeases(), b.maxOpenLeases())
                && a.active() == b.active() && Objects.equals(a.email(), b.email()) && a.notifications() == b.notifications()
                && a.senior() == b.senior();
    }

    private static List<String> sorted(List<String> tags) {
        return tags == null ? List.of() : tags.stream().distinct().sorted().toList();
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        values.forEach(a::add);
        return a;
    }
}

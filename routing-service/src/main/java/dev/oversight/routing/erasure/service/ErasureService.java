package dev.oversight.routing.erasure.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.common.crypto.KeyedDigest;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.id.Ids;
import dev.oversight.common.jdbc.Transactions;
import dev.oversight.common.outbox.OutboxEvent;
import dev.oversight.common.outbox.OutboxStore;
import dev.oversight.routing.config.service.EventOutbox;
import dev.oversight.routing.domain.command.Actor;
import dev.oversight.routing.domain.erasure.DataPart;
import dev.oversight.routing.domain.erasure.ErasureKind;
import dev.oversight.routing.erasure.repository.ErasureRepository;
import dev.oversight.routing.erasure.repository.ErasureRepository.Erasure;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Erases a person's data across the services at once: in this service's database in the request's transaction (the
 * decisions' outputs, inputs, trajectories, attributes, people's words, idempotency keys, the request digests, the
 * digest salts, their copies in benchmarks and judgements, and the delivered messages that carried them), and in the
 * review service by a message written in the same transaction (so it cannot be lost). Decisions an incident holds are
 * not erased (their evidence is frozen) and are counted as held. The audit log is never rewritten: ERASURE records
 * what kind and how many, never what; without the salts its digests no longer confirm a guess.
 * {@code oversight_erasure_decisions_total{kind}} counts the decisions erased.
 */
@ApplicationScoped
public class ErasureService {

    public static final int MAX_DECISION_IDS = 1000;
    /** Decisions one call erases at most; a subject with more is erased by calling again (complete: false). */
    public static final int MAX_PER_CALL = 10_000;
    /** Decisions per message to the review service. */
    static final int PER_MESSAGE = 1000;
    /** The outbox destination of the review service's erasure intake. */
    public static final String REVIEW_ERASURE = "erasure";
    public static final String ERASURE = "ERASURE";
    public static final String ERASURE_REQUESTED = "ERASURE_REQUESTED";

    public record Subject(String useCase, List<String> path, String value) {
    }

    /** Exactly one of {@code decisionIds} and {@code subject}. */
    public record Request(List<UUID> decisionIds, Subject subject, String reason) {
    }

    public record Result(Erasure erasure, List<UUID> heldDecisionIds, boolean complete) {
    }

    private final ErasureRepository erasures;
    private final EventOutbox events;
    private final KeyedDigest digest;
    private final ObjectMapper json;
    private final AgroalDataSource db;
    private final MeterRegistry meters;

    public ErasureService(ErasureRepository erasures, EventOutbox events, KeyedDigest digest, ObjectMapper json,
                          AgroalDataSource db, MeterRegistry meters) {
        this.meters = meters;
        this.erasures = erasures;
        this.events = events;
        this.digest = digest;
        this.json = json;
        this.db = db;
    }

    @WithSpan
    public Result erase(Request r, Actor actor) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID id = Ids.newId();
        ErasureKind kind = r.decisionIds() != null ? ErasureKind.DECISIONS : ErasureKind.SUBJECT_ATTRIBUTE;
        String useCase = r.subject() == null ? null : r.subject().useCase();
        Result result = transaction(c -> {
            List<UUID> found = kind == ErasureKind.DECISIONS
                    ? erasures.lockUnerased(c, List.copyOf(new LinkedHashSet<>(r.decisionIds())))
                    : erasures.lockSubject(c, useCase, r.subject().path(), r.subject().value(), MAX_PER_CALL + 1);
            boolean complete = found.size() <= MAX_PER_CALL;
            if (!complete) {
                found = found.subList(0, MAX_PER_CALL);
            }
            Set<UUID> held = erasures.held(c, found);
            List<UUID> erase = found.stream().filter(d -> !held.contains(d)).toList();
            Set<DataPart> all = EnumSet.allOf(DataPart.class);
            erasures.delete(c, erase, all, true, now);
            int labelAttributes = kind == ErasureKind.SUBJECT_ATTRIBUTE ? erasures.eraseLabelAttributes(c, useCase,
                    r.subject().path(), r.subject().value()) : 0;
            OutboxStore.forget(c, erase.stream().map(UUID::toString).toList());
            Erasure e = new Erasure(id, kind, useCase, all, erase.size(), held.size(), actor.name(), now);
            erasures.insert(c, e);
            tellReview(c, e, erase, true);
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("erasureId", id.toString());
            event.put("kind", kind.name());
            event.put("parts", all.stream().map(Enum::name).toList());
            event.put("decisions", erase.size());
            event.put("held", held.size());
            if (labelAttributes > 0) {
                event.put("labelAttributes", labelAttributes);
            }
            event.put("reasonHmac", digest.hex(r.reason()));
            events.record(c, ERASURE, "erasures/" + id, useCase, actor.name(), event);
            return new Result(e, held.stream().sorted().toList(), complete);
        });
        Counter.builder("oversight.erasure.decisions").description("Decisions erased at a person's request")
                .tag("kind", kind.name()).register(meters).increment(result.erasure().decisions());
        return result;
    }

    /**
     * Messages for the review service, in the caller's transaction: delete these parts of the decisions' tasks (and,
     * for an erasure, of tasks that arrive later).
     */
    void tellReview(Connection c, Erasure e, List<UUID> decisions, boolean erase) throws SQLException {
        for (int from = 0; from < decisions.size(); from += PER_MESSAGE) {
            List<UUID> part = decisions.subList(from, Math.min(decisions.size(), from + PER_MESSAGE));
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("erasureId", e.id().toString());
            payload.put("decisionIds", part.stream().map(UUID::toString).toList());
            payload.put("parts", e.parts().stream().map(Enum::name).sorted().toList());
            payload.put("erase", erase);
            payload.put("at", e.createdAt().toString());
            OutboxStore.insert(c, OutboxEvent.of(REVIEW_ERASURE, ERASURE_REQUESTED, "erasures/" + e.id(), e.useCase(),
                    e.requestedBy(), text(payload)));
        }
    }

    public Erasure find(UUID id) {
        return transaction(c -> erasures.find(c, id))
                .orElseThrow(() -> new Failure.NotFound("No erasure with id " + id));
    }

    /** Newest first, {@code limit} of them after the page that ended with {@code before}. */
    public List<Erasure> list(UUID before, ErasureKind kind, int limit) {
        return transaction(c -> erasures.list(c, before, kind, limit));
    }

    private String text(Object payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("A message payload always serializes", ex);
        }
    }

    private <T> T transaction(Transactions.Work<T> work) {
        return Transactions.inTransaction(db, "Erasures cannot be read or stored right now; retry.", work);
    }

}

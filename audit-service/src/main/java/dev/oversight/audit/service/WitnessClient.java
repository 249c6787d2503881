package dev.oversight.audit.service;

import dev.oversight.audit.domain.StoredCheckpoint;
import dev.oversight.audit.domain.note.NoteKey;
import dev.oversight.audit.domain.note.NoteSigner;
import dev.oversight.audit.domain.note.SignedNote;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oversight.audit.repository.WitnessRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import dev.oversight.common.crypto.KeyedDigest;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Offers each new checkpoint to every configured witness (C2SP tlog-witness add-checkpoint): the size that witness
 * last cosigned, the consistency proof from it, and the signed note. A 200 brings cosignatures, each verified against
 * the witness's vkey before it is stored; a 409 names the size the witness holds, and the request is made once more
 * from it; 403, 404 and 422 are refusals, stored, counted ({@code oversight_audit_witness_refusals_total}) and logged
 * as errors; a 422, or a witness holding a larger tree than ours, is what a rewritten history or a split view looks
 * like. The state lives in the database and the job runs on a schedule, so a witness that is down only delays its
 * cosignature; appends never wait for witnesses.
 */
@ApplicationScoped
public class WitnessClient {

    private static final Logger LOG = Logger.getLogger(WitnessClient.class);

    /** What one offer to one witness came to. */
    public record Outcome(String witness, long treeSize, int status, String detail) {
    }

    private final CheckpointService checkpoints;
    private final AuditLog log;
    private final WitnessRepository repository;
    private final List<Configured> witnesses;
    private final MeterRegistry meters;
    private final CanonicalEvents events;
    private final KeyedDigest digest;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private record Configured(String url, NoteKey key) {
    }

    public WitnessClient(CheckpointService checkpoints, AuditLog log, WitnessRepository repository, AuditConfig config,
                         MeterRegistry meters, CanonicalEvents events, KeyedDigest digest) {
        this.digest = digest;
        this.checkpoints = checkpoints;
        this.events = events;
        this.log = log;
        this.repository = repository;
        this.meters = meters;
        List<Configured> list = new ArrayList<>();
        for (AuditConfig.WitnessConfig w : config.witnesses().orElse(List.of())) {
            NoteKey key = NoteKey.parse(w.vkey());
            if (key.type() != NoteKey.COSIGNATURE_V1) {
                throw new IllegalArgumentException("witness " + key.name() + ": a witness vkey has signature type 0x04");
            }
            list.add(new Configured(w.url().replaceAll("/+$", ""), key));
        }
        this.witnesses = List.copyOf(list);
    }

    @Scheduled(every = "${audit.witness-interval:10s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!witnesses.isEmpty()) {
            offerLatest();
        }
    }

    /** Offers the newest checkpoint to every witness that has not cosigned it yet. */
    public synchronized List<Outcome> offerLatest() {
        List<Outcome> outcomes = new ArrayList<>();
        Optional<StoredCheckpoint> latest = checkpoints.latest();
        if (latest.isEmpty()) {
            return outcomes;
        }
        StoredCheckpoint cp = latest.get();
        Optional<SignedNote> note = checkpoints.note(cp);
        if (note.isEmpty()) {
            return outcomes;
        }
        for (Configured w : witnesses) {
            try {
                outcomes.add(offer(w, cp, note.get()));
            } catch (IOException | SQLException e) {
                LOG.warnf("Witness %s not reached (%s); retrying on the next round", w.key().name(), e.getMessage());
                outcomes.add(new Outcome(w.key().name(), cp.treeSize(), 0, e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return outcomes;
    }

    /** The largest reply read from a witness: a cosignature line or a short refusal is far smaller. */
    static final int MAX_REPLY_BYTES = 64 * 1024;

    /** A witness's reply, read up to {@link #MAX_REPLY_BYTES}: a witness cannot make the log read without end. */
    private static String limited(InputStream body) throws IOException {
        try (InputStream in = body) {
            byte[] bytes = in.readNBytes(MAX_REPLY_BYTES + 1);
            if (bytes.length > MAX_REPLY_BYTES) {
                throw new IOException("the witness's reply is larger than " + MAX_REPLY_BYTES + " bytes; not read");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private Outcome offer(Configured w, StoredCheckpoint cp, SignedNote note)
            throws IOException, InterruptedException, SQLException {
        String name = w.key().name();
        long old = repository.cosignedSize(name);
        if (old == cp.treeSize()) {
            return new Outcome(name, cp.treeSize(), 200, "already cosigned");
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            if (old > cp.treeSize()) {
                return refused(w, cp, 409, "the witness holds a tree of size " + old + ", larger than ours ("
                        + cp.treeSize() + "): a rolled-back or split view of the log");
            }
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(w.url() + "/add-checkpoint"))
                            .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body(old, cp, note)))
                            .build(), HttpResponse.BodyHandlers.ofInputStream());
            String reply = limited(r.body());
            if (r.statusCode() == 200) {
                return accept(w, cp, note, reply);
            }
            if (r.statusCode() == 409 && reply.strip().matches("[0-9]{1,19}")) {
                old = Long.parseLong(reply.strip());
                continue;
            }
            return refused(w, cp, r.statusCode(), reply.strip());
        }
        return refused(w, cp, 409, "the witness's size kept changing");
    }

    /**
     * A refusal goes into the log itself, as a WITNESS_REFUSED event: an auditor reading the trail sees that a witness
     * would not vouch for a checkpoint (one id per witness and size, so a refusal repeated on every round is one event).
     */
    private void recordInTheLog(Configured w, StoredCheckpoint cp, int status, String detail) {
        // The witness's reply is its operator's words: the log keeps a keyed digest; the refusal row keeps the text.
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("witness", w.key().name())
                .put("treeSize", cp.treeSize()).put("status", status).put("detailHmac", digest.hex(detail));
        UUID id = UUID.nameUUIDFromBytes(("witness-refusal/" + w.key().name() + "/" + cp.treeSize())
                .getBytes(StandardCharsets.UTF_8));
        try {
            log.append(List.of(events.prepare("witness", id, "WITNESS_REFUSED", cp.createdAt(),
                    "audit-service", w.key().name(), null, null, payload))).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warnf("The witness refusal could not be appended to the log now: %s", e.getMessage());
        }
    }

    private String body(long old, StoredCheckpoint cp, SignedNote note) {
        StringBuilder b = new StringBuilder("old ").append(old).append('\n');
        if (old > 0 && old < cp.treeSize()) {
            log.consistencyProof(old, cp.treeSize()).forEach(h -> b.append(Base64.getEncoder().encodeToString(h)).append('\n'));
        }
        return b.append('\n').append(note.format()).toString();
    }

    private Outcome accept(Configured w, StoredCheckpoint cp, SignedNote note, String response) throws SQLException {
        for (String line : response.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                SignedNote.Line l = SignedNote.Line.parse(line);
                if (NoteSigner.verifiesCosignature(w.key(), l, note.text())) {
                    repository.saveCosignature(w.key().name(), cp.treeSize(), l.format().strip());
                    return new Outcome(w.key().name(), cp.treeSize(), 200, "cosigned");
                }
            } catch (IllegalArgumentException ignored) {
                // not a signature line of ours to use
            }
        }
        return refused(w, cp, 200, "no valid cosignature of " + w.key().name() + " in the answer");
    }

    private Outcome refused(Configured w, StoredCheckpoint cp, int status, String detail) throws SQLException {
        repository.saveRefusal(w.key().name(), cp.treeSize(), status, detail);
        recordInTheLog(w, cp, status, detail);
        Counter.builder("oversight.audit.witness.refusals").description("Checkpoints a witness refused to cosign")
                .tag("witness", w.key().name()).tag("status", String.valueOf(status)).register(meters).increment();
        LOG.errorf("Witness %s refused checkpoint %d (%d): %s", w.key().name(), cp.treeSize(), status, detail);
        return new Outcome(w.key().name(), cp.treeSize(), status, detail);
    }
}

package dev.oversight.common.outbox;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.common.jdbc.Transactions;
import dev.oversight.common.tracing.Traces;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Delivers one destination's outbox rows, at least once, in the order they were written.
 *
 * <p>Each cycle is one transaction that first takes a PostgreSQL advisory lock named after the destination, so
 * with several instances exactly one relays at a time and per-subject order holds; if that instance dies its
 * transaction ends and another takes over. The destination's position ({@link OutboxStore.Position}) moves past the
 * rows in that transaction, only after the receiver answered 2xx, once per round (the rows themselves are not
 * rewritten); receivers de-duplicate on the event id, so a crash between their commit and ours only causes a harmless
 * redelivery. Rows are read in the order their transactions wrote them and only once no earlier transaction can
 * still commit (see db/outbox V0_3), so a position never passes a row that commits late.
 *
 * <p>Ordered destinations get batches; when the receiver is down (5xx, 408, 429, 401, 403, no answer) the relay
 * stops at the first undelivered row and backs off, so nothing overtakes it. A batch the receiver refuses (another
 * 4xx) is retried one row at a time and a row it still refuses is set aside as dead (kept, counted, never
 * deleted). Apps' callbacks have a relay of their own ({@link dev.oversight.common.callback.CallbackRelay}).
 */
public final class OutboxRelay implements Runnable {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /** What the receiver takes. */
    public enum Format {
        /** A JSON array of audit events {eventId, type, occurredAt, actor, subjectId, useCase, traceId, payload}. */
        EVENTS,
        /** A JSON array of the rows' payloads. */
        PAYLOADS,
        /** Each row's payload on its own, to the row's target URL, signed per Standard Webhooks (CallbackRelay). */
        CALLBACK
    }

    public record Settings(String destination, URI url, Format format, int maxBatch, int maxBodyBytes,
                           Duration pollInterval, Duration maxBackoff, int maxAttempts, Duration retention) {
    }

    static final int PRUNE_BATCH = 10_000;
    static final int PRUNE_BATCHES = 20;

    private final DataSource db;
    private final Settings settings;
    private final Supplier<String> token;
    private final HttpClient http;
    private final ObjectMapper json;
    private volatile boolean running = true;
    private volatile Instant pausedUntil = Instant.EPOCH;
    private int consecutiveFailures;
    private Instant nextPrune = Instant.EPOCH;

    public OutboxRelay(DataSource db, Settings settings, Supplier<String> token, ObjectMapper json) {
        this.db = db;
        this.settings = settings;
        this.token = token;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        if (settings.format() == Format.CALLBACK) {
            throw new IllegalArgumentException("callbacks are delivered by CallbackRelay");
        }
    }

    public void stop() {
        running = false;
    }

    @Override
    public void run() {
        while (running) {
            boolean more;
            try {
                more = Instant.now().isAfter(pausedUntil) && cycle();
            } catch (SQLException | RuntimeException e) {
                LOG.warn("outbox relay " + settings.destination() + " failed a cycle: " + e.getMessage());
                more = false;
            }
            if (!more) {
                try {
                    Thread.sleep(settings.pollInterval().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** One delivery round; true when a full batch went out and more may be waiting. */
    boolean cycle() throws SQLException {
        boolean more = Transactions.inTransaction(db, c -> {
            if (!OutboxStore.relayLock(c, settings.destination())) {
                return false;
            }
            OutboxStore.Position from = OutboxStore.position(c, settings.destination());
            List<OutboxStore.Row> rows = OutboxStore.due(c, settings.destination(), from, settings.maxBatch());
            boolean full = rows.size() == settings.maxBatch();
            Delivered delivered = deliverInOrder(c, rows);
            if (delivered.through() != null) {
                OutboxStore.advance(c, settings.destination(), delivered.through());
            }
            return full && delivered.clean();
        });
        pruneWhenDue();
        return more;
    }

    /** How far a round got: the last row delivered or set aside (null: none), and whether every row was. */
    private record Delivered(OutboxStore.Position through, boolean clean) {
    }

    private Delivered deliverInOrder(Connection c, List<OutboxStore.Row> rows) throws SQLException {
        OutboxStore.Position through = null;
        for (List<OutboxStore.Row> chunk : chunks(rows)) {
            Attempt a = post(settings.url(), body(chunk), chunk.get(0).event().traceparent());
            if (a.delivered()) {
                through = chunk.get(chunk.size() - 1).position();
                continue;
            }
            if (a.permanent()) {
                Delivered alone = deliverOneByOne(c, chunk);
                through = alone.through() == null ? through : alone.through();
                if (!alone.clean()) {
                    return new Delivered(through, false);
                }
                continue;
            }
            backOff(a);
            return new Delivered(through, false);
        }
        consecutiveFailures = 0;
        return new Delivered(through, true);
    }

    /** Finds the row the receiver refuses: each row alone, in order; refused rows are set aside as dead. */
    private Delivered deliverOneByOne(Connection c, List<OutboxStore.Row> chunk) throws SQLException {
        OutboxStore.Position through = null;
        for (OutboxStore.Row row : chunk) {
            Attempt a = post(settings.url(), body(List.of(row)), row.event().traceparent());
            if (a.permanent()) {
                LOG.error("outbox " + settings.destination() + " gave up event " + row.event().eventId() + " ("
                        + row.event().type() + "): " + a.error());
                OutboxStore.markFailed(c, row.id(), a.error(), null);
            } else if (!a.delivered()) {
                backOff(a);
                return new Delivered(through, false);
            }
            through = row.position();
        }
        return new Delivered(through, true);
    }

    private void backOff(Attempt a) {
        consecutiveFailures++;
        Duration wait = backoff(consecutiveFailures);
        pausedUntil = Instant.now().plus(wait);
        LOG.warn("outbox " + settings.destination() + ": " + a.error() + "; retrying in " + wait.toMillis() + " ms");
    }

    /** Exponential from 250 ms, capped. */
    private Duration backoff(int failures) {
        long ms = 250L << Math.min(failures - 1, 16);
        return ms > settings.maxBackoff().toMillis() ? settings.maxBackoff() : Duration.ofMillis(ms);
    }

    /**
     * Every 10 minutes, outside the delivery transaction (which holds the destination's lock), the rows delivered
     * longer ago than the retention are deleted, every destination's (any instance's relay may do it; a second finds
     * little to do). A round stops after 20 batches of 10,000 rows and the next comes a second later, so deleting
     * a large backlog of old rows interleaves with delivery instead of holding it up.
     */
    private void pruneWhenDue() throws SQLException {
        if (Instant.now().isAfter(nextPrune)) {
            OutboxStore.Pruned pruned = OutboxStore.prune(db, settings.retention(), PRUNE_BATCH, PRUNE_BATCHES);
            nextPrune = Instant.now().plus(pruned.more() ? Duration.ofSeconds(1) : Duration.ofMinutes(10));
        }
    }

    /** Splits rows, in order, into request bodies under the size limit (a single row always goes alone). */
    private List<List<OutboxStore.Row>> chunks(List<OutboxStore.Row> rows) {
        List<List<OutboxStore.Row>> out = new ArrayList<>();
        List<OutboxStore.Row> current = new ArrayList<>();
        long size = 2;
        for (OutboxStore.Row row : rows) {
            long rowSize = row.event().payload().length() + 400L;
            if (!current.isEmpty() && size + rowSize > settings.maxBodyBytes()) {
                out.add(current);
                current = new ArrayList<>();
                size = 2;
            }
            current.add(row);
            size += rowSize;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    private byte[] body(List<OutboxStore.Row> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            g.writeStartArray();
            for (OutboxStore.Row row : rows) {
                OutboxEvent e = row.event();
                if (settings.format() == Format.PAYLOADS) {
                    g.writeRawValue(e.payload());
                    continue;
                }
                g.writeStartObject();
                g.writeStringField("eventId", e.eventId().toString());
                g.writeStringField("type", e.type());
                g.writeStringField("occurredAt", e.occurredAt().toString());
                g.writeStringField("actor", e.actor() == null ? "system" : e.actor());
                g.writeStringField("subjectId", e.subjectId());
                if (e.useCase() != null) {
                    g.writeStringField("useCase", e.useCase());
                }
                String traceId = Traces.traceId(e.traceparent());
                if (traceId != null) {
                    g.writeStringField("traceId", traceId);
                }
                g.writeFieldName("payload");
                g.writeRawValue(e.payload());
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private record Attempt(boolean delivered, boolean permanent, String error) {
    }

    private Attempt post(URI url, byte[] body, String traceparent) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token.get())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (Traces.isValid(traceparent)) {
            request.header("traceparent", traceparent);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int s = response.statusCode();
            if (s >= 200 && s < 300) {
                return new Attempt(true, false, null);
            }
            String detail = "HTTP " + s + " from " + url + ": " + abbreviate(response.body());
            boolean transientStatus = s >= 500 || s == 401 || s == 403 || s == 404 || s == 408 || s == 429;
            return new Attempt(false, !transientStatus, detail);
        } catch (IOException | RuntimeException e) {
            return new Attempt(false, false, "no answer from " + url + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(false, false, "interrupted");
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}

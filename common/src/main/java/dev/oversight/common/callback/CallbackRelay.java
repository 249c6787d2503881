package dev.oversight.common.callback;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import dev.oversight.common.jdbc.Transactions;
import dev.oversight.common.outbox.OutboxStore;
import dev.oversight.common.tracing.Traces;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Delivers apps' callbacks (outbox rows with a target URL), signed per the Standard Webhooks specification.
 *
 * <p>No delivery happens inside a database transaction or under the relay's lock: a short transaction (under the
 * destination's advisory lock, so instances never take the same row) leases the due rows by moving their
 * {@code next_attempt_at} past the longest a delivery can take; the requests then run on their own threads, at most
 * {@code maxInFlight} in all, each bounded by {@code timeout} (connections by at most 3 s); each result is recorded in
 * a transaction of its own.
 *
 * <p>Deliveries run in lanes, one per receiver (scheme, host and port: two apps' receivers on one host are two
 * lanes), each with at most {@code maxInFlightPerHost} in flight. A lane at its limit has its waiting rows deferred
 * briefly, so it never holds the queue's front; a lane whose delivery failed backs off on its own (exponentially, up
 * to {@code maxBackoff}, reset by a success), so a slow or failing receiver holds back nobody else's callbacks.
 * If this instance dies mid-delivery the lease runs out and another instance sends again: delivery is at least once and apps de-duplicate on {@code webhook-id}, which every retry repeats.
 *
 * <p>Before each attempt the target is checked again ({@link CallbackTargets}), and the request connects to the
 * address that check answered: the name is not resolved a second time, while the Host header, TLS server name and
 * certificate check use the URL's host. What the receiver answers is never stored or shown: only the status code or a
 * short reason of ours.
 */
public final class CallbackRelay implements Runnable {

    private static final Logger LOG = Logger.getLogger(CallbackRelay.class);

    public record Settings(String destination, int maxBatch, Duration pollInterval, Duration maxBackoff,
                           int maxAttempts, Duration timeout, int maxInFlight, int maxInFlightPerHost) {

        /** How long a leased row is left alone: longer than any delivery can take. */
        Duration lease() {
            return timeout.multipliedBy(2).plusSeconds(5);
        }
    }

    private record Attempt(boolean delivered, String error) {
        static final Attempt OK = new Attempt(true, null);

        static Attempt failed(String error) {
            return new Attempt(false, error);
        }
    }

    private final DataSource db;
    private final Settings settings;
    private final CallbackTargets targets;
    private final WebhookKeys keys;
    private final HttpClient http;
    private final ExecutorService senders;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CallbackLanes lanes;
    private volatile boolean running = true;

    public CallbackRelay(DataSource db, Settings settings, CallbackTargets targets, WebhookKeys keys, Vertx vertx) {
        this.db = db;
        this.settings = settings;
        this.targets = targets;
        this.keys = keys;
        this.lanes = new CallbackLanes(settings.maxBackoff());
        Duration connect = settings.timeout().compareTo(Duration.ofSeconds(3)) < 0 ? settings.timeout()
                : Duration.ofSeconds(3);
        // Redirects are not followed (the default); the host's certificate is verified against the URL's host.
        this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) connect.toMillis())
                .setVerifyHost(true).setForceSni(true).setKeepAlive(false).setMaxPoolSize(settings.maxInFlight()));
        this.senders = Executors.newFixedThreadPool(settings.maxInFlight(), r -> {
            Thread t = new Thread(r, "callback-sender");
            t.setDaemon(true);
            return t;
        });
    }

    public void stop() {
        running = false;
        senders.shutdown();
        http.close();
    }

    /** Callbacks this instance is delivering right now. */
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public void run() {
        while (running) {
            int started = 0;
            try {
                started = dispatch();
            } catch (SQLException | RuntimeException e) {
                LOG.warnf("callback relay failed a round: %s", e.getMessage());
            }
            if (started == 0) {
                try {
                    Thread.sleep(settings.pollInterval().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Leases what is due and there is room for, and starts sending it; returns how many were started. */
    int dispatch() throws SQLException {
        int room = settings.maxInFlight() - inFlight.get();
        if (room <= 0) {
            return 0;
        }
        List<OutboxStore.Row> leased = new ArrayList<>();
        boolean leader = Transactions.inTransaction(db, c -> {
            if (!OutboxStore.relayLock(c, settings.destination())) {
                return false;
            }
            Map<String, Integer> taken = new HashMap<>();
            List<Long> deferred = new ArrayList<>();
            Map<Instant, List<Long>> backingOff = new HashMap<>();
            Instant now = Instant.now();
            for (OutboxStore.Row row : OutboxStore.dueCallbacks(c, settings.destination(), settings.maxBatch())) {
                String host = CallbackLanes.of(row);
                Instant until = lanes.backingOffUntil(host, now);
                int busy = lanes.busy(host) + taken.getOrDefault(host, 0);
                if (until != null) {
                    backingOff.computeIfAbsent(until, t -> new ArrayList<>()).add(row.id());
                } else if (busy >= settings.maxInFlightPerHost()) {
                    deferred.add(row.id());
                } else if (leased.size() < room) {
                    leased.add(row);
                    taken.merge(host, 1, Integer::sum);
                }
            }
            OutboxStore.leaseUntil(c, leased.stream().map(OutboxStore.Row::id).toList(),
                    Instant.now().plus(settings.lease()));
            OutboxStore.leaseUntil(c, deferred, Instant.now().plus(settings.pollInterval().multipliedBy(5)));
            for (Map.Entry<Instant, List<Long>> b : backingOff.entrySet()) {
                OutboxStore.leaseUntil(c, b.getValue(), b.getKey());
            }
            return true;
        });
        if (!leader) {
            return 0;
        }
        for (OutboxStore.Row row : leased) {
            String host = CallbackLanes.of(row);
            lanes.started(host);
            inFlight.incrementAndGet();
            CompletableFuture.supplyAsync(() -> send(row), senders)
                    .completeOnTimeout(Attempt.failed("timed out after " + settings.timeout().toSeconds() + " s"),
                            settings.timeout().toMillis() + 2_000, TimeUnit.MILLISECONDS)
                    .exceptionally(e -> Attempt.failed("could not be sent"))
                    .thenAccept(a -> {
                        try {
                            lanes.finished(host, a.delivered());
                            record(row, a);
                        } finally {
                            lanes.left(host);
                            inFlight.decrementAndGet();
                        }
                    });
        }
        return leased.size();
    }

    private Attempt send(OutboxStore.Row row) {
        String url = row.event().targetUrl();
        CallbackTargets.Checked target = targets.check(url);
        if (target.refusal() != null) {
            return Attempt.failed("refused: the callbackUrl " + target.refusal());
        }
        if (target.address() == null) {
            return Attempt.failed("could not resolve the host");
        }
        String app = row.event().actor();
        List<String> secrets = keys.secretsOf(app);
        if (secrets.isEmpty()) {
            return Attempt.failed("no webhook secret for app '" + app + "'; an admin creates one with"
                    + " POST /v1/apps/{app}/webhook-secret");
        }
        String id = row.event().eventId().toString();
        long timestamp = Instant.now().getEpochSecond();
        String body = row.event().payload();
        String signatures;
        try {
            List<String> signed = new ArrayList<>(secrets.size());
            for (String secret : secrets) {
                signed.add(new Webhook(secret).sign(id, timestamp, body));
            }
            signatures = signed.stream().collect(Collectors.joining(" "));
        } catch (WebhookSigningException | RuntimeException e) {
            LOG.errorf("callback %s could not be signed: %s", id, e.getMessage());
            return Attempt.failed("could not be signed");
        }
        // Connect to the address that was checked; the URL's host names the receiver in Host, SNI and the certificate.
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost(target.host())
                .setPort(target.port()).setSsl(target.https()).setURI(target.pathAndQuery())
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(target.address(), target.port())))
                .setIdleTimeout(settings.timeout().toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("webhook-id", id)
                .putHeader("webhook-timestamp", Long.toString(timestamp))
                .putHeader("webhook-signature", signatures);
        if (Traces.isValid(row.event().traceparent())) {
            request.putHeader("traceparent", row.event().traceparent());
        }
        try {
            int status = http.request(request)
                    .compose(r -> r.send(Buffer.buffer(body, StandardCharsets.UTF_8.name())))
                    .compose(response -> {
                        response.handler(ignored -> { });
                        return response.end().map(v -> response.statusCode());
                    })
                    .toCompletionStage().toCompletableFuture()
                    .get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            return status >= 200 && status < 300 ? Attempt.OK : Attempt.failed("HTTP " + status);
        } catch (TimeoutException e) {
            return Attempt.failed("timed out after " + settings.timeout().toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConnectTimeoutException || cause instanceof ConnectException) {
                return Attempt.failed("could not connect");
            }
            if (cause instanceof SSLException) {
                return Attempt.failed("TLS handshake failed");
            }
            // Vert.x reports its idle timeout as a VertxException whose message names the timeout.
            if (cause instanceof TimeoutException
                    || String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("timeout")) {
                return Attempt.failed("timed out after " + settings.timeout().toSeconds() + " s");
            }
            return Attempt.failed("no answer (" + cause.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Attempt.failed("interrupted");
        }
    }

    private void record(OutboxStore.Row row, Attempt a) {
        try (Connection c = db.getConnection()) {
            if (a.delivered()) {
                OutboxStore.markDelivered(c, List.of(row.id()));
            } else {
                int tried = row.attempts() + 1;
                Instant retryAt = tried >= settings.maxAttempts() ? null : Instant.now().plus(lanes.backoff(tried));
                OutboxStore.markFailed(c, row.id(), a.error(), retryAt);
            }
        } catch (SQLException | RuntimeException e) {
            // The lease runs out and the callback is sent again: at least once, de-duplicated by webhook-id.
            LOG.warnf("callback %s: its result could not be recorded (%s); it will be retried", row.event().eventId(),
                    e.getMessage());
        }
    }
}

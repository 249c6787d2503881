package dev.oversight.common.callback;

import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import dev.oversight.common.outbox.OutboxEvent;
import dev.oversight.common.outbox.OutboxStore;
import dev.oversight.common.testing.OutboxTable;
import dev.oversight.common.testing.PostgresResource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Apps' callbacks against real PostgreSQL and real HTTP receivers that can be slow, failing or chatty. */
class CallbackRelayTest {

    private static final String OLD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String NEW_SECRET = "whsec_QGXk4k1cZ3hRHd9aJ5NvZyQ0rS8t2w6uB1eF4iL7oP0=";

    private DataSource db;
    private HttpServer receiver;
    private ExecutorService receiverThreads;
    private String destination;
    private final List<Map.Entry<Map<String, List<String>>, String>> received = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger slowInFlight = new AtomicInteger();
    private final AtomicInteger slowMaxInFlight = new AtomicInteger();
    private volatile int status = 200;
    private volatile Map<String, List<String>> secrets = Map.of("claims-app", List.of(NEW_SECRET, OLD_SECRET));
    private CallbackRelay relay;
    private final io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();

    @BeforeEach
    void setUp() throws Exception {
        db = PostgresResource.server().getPostgresDatabase();
        OutboxTable.create(db);
        destination = "callback-" + UUID.randomUUID();
        receiver = HttpServer.create(new InetSocketAddress(0), 0);
        receiverThreads = Executors.newCachedThreadPool();
        receiver.setExecutor(receiverThreads);
        receiver.createContext("/fast", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(Map.entry(Map.copyOf(exchange.getRequestHeaders()), body));
            byte[] answer = "internal: db password hunter2, stack trace follows".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.createContext("/slow", exchange -> {
            int now = slowInFlight.incrementAndGet();
            slowMaxInFlight.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(4_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            slowInFlight.decrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void tearDown() {
        if (relay != null) {
            relay.stop();
        }
        receiver.stop(0);
        receiverThreads.shutdownNow();
        vertx.close();
    }

    @Test
    void callbacksAreSignedPerStandardWebhooks_withEveryCurrentSecret_verifiableByTheStandardLibrary() throws Exception {
        UUID id = write("http://localhost:" + port() + "/fast", "{\"status\":\"APPROVED\"}", "claims-app");
        assertThat(pending()).isEqualTo(1);
        relay = relay(CallbackTargetsFor.local(), 3);
        relay.dispatch();
        awaitRecorded(1);
        assertThat(received).hasSize(1);
        Map<String, List<String>> headers = lowerCase(received.get(0).getKey());
        String body = received.get(0).getValue();
        assertThat(headers.get("webhook-id")).containsExactly(id.toString());
        assertThat(headers.get("webhook-signature").get(0).split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
        // An app that has either secret verifies the callback with the Standard Webhooks library.
        new Webhook(NEW_SECRET).verify(body, headers);
        new Webhook(OLD_SECRET).verify(body, headers);
        assertThat(pending()).isZero();
    }

    @Test
    void theReceiversAnswerIsNeverStored_onlyItsStatus_andAttemptsEndAtTheLast() throws Exception {
        status = 500;
        write("http://localhost:" + port() + "/fast", "{\"status\":\"REJECTED\"}", "claims-app");
        relay = relay(CallbackTargetsFor.local(), 2);
        relay.dispatch();
        awaitRecorded(1);
        assertThat(lastError()).isEqualTo("HTTP 500");
        retryNow();
        // The failure also backed the receiver's lane off (100 ms here): a round inside that defers the row to the
        // lane's end, so rounds are driven until the second attempt is recorded (a single round raced the back-off).
        awaitRecorded(2, true);
        assertThat(backlog()).extracting(OutboxStore.Backlog::pending, OutboxStore.Backlog::dead)
                .containsExactly(0L, 1L);
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery("SELECT attempts,"
                + " last_error, dead_at IS NOT NULL FROM outbox WHERE destination = '" + destination + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
            assertThat(rs.getString(2)).isEqualTo("HTTP 500").doesNotContain("hunter2");
            assertThat(rs.getBoolean(3)).isTrue();
        }
    }

    @Test
    void aHangingReceiverDelaysOnlyItself_andNoDeliveryHoldsATransactionOrTheLock() throws Exception {
        for (int i = 0; i < 10; i++) {
            write("http://127.0.0.1:" + port() + "/slow", "{\"n\":" + i + "}", "claims-app");
        }
        for (int i = 0; i < 5; i++) {
            write("http://localhost:" + port() + "/fast", "{\"m\":" + i + "}", "claims-app");
        }
        relay = relay(CallbackTargetsFor.local(), 3);
        // A round leases what it may send, at most two per host here, and returns at once: the requests run on the
        // relay's own threads. Rounds driven from this thread, so that none is running when the locks are looked at.
        assertThat(relay.dispatch()).as("two to each host").isEqualTo(4);
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (received.size() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(150);
            relay.dispatch();
        }
        assertThat(received).as("the fast app's callbacks, behind ten to a hanging host").hasSize(5);
        assertThat(slowInFlight.get()).as("the hanging host's callbacks are still in flight").isPositive();
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            ResultSet locks = st.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'");
            locks.next();
            assertThat(locks.getLong(1)).as("advisory locks held during delivery").isZero();
            ResultSet idle = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'");
            idle.next();
            assertThat(idle.getLong(1)).as("transactions open during delivery").isZero();
        }
        assertThat(slowMaxInFlight.get()).as("in flight to one host").isLessThanOrEqualTo(2);
    }

    @Test
    void twoReceiversOnOneHost_areTwoLanes_soAHangingOneHoldsBackNoOther() throws Exception {
        // Another app's receiver on the same host, another port: its own lane.
        HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.CopyOnWriteArrayList<Long> servedAt = new java.util.concurrent.CopyOnWriteArrayList<>();
        other.createContext("/fast", exchange -> {
            exchange.getRequestBody().readAllBytes();
            servedAt.add(System.nanoTime());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        other.start();
        Thread relayThread = null;
        try {
            for (int i = 0; i < 6; i++) {
                write("http://127.0.0.1:" + port() + "/slow", "{\"n\":" + i + "}", "claims-app");
            }
            write("http://127.0.0.1:" + other.getAddress().getPort() + "/fast", "{}", "claims-app");
            relay = relay(CallbackTargetsFor.local(), 3);
            long start = System.nanoTime();
            relayThread = new Thread(relay, "relay-under-test");
            relayThread.start();
            long deadline = start + Duration.ofSeconds(10).toNanos();
            while (servedAt.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(servedAt).as("the other receiver was served").isNotEmpty();
            assertThat(Duration.ofNanos(servedAt.get(0) - start)).as("beside a receiver that takes 4 s")
                    .isLessThan(Duration.ofSeconds(2));
        } finally {
            relay.stop();
            if (relayThread != null) {
                relayThread.join(5_000);
            }
            other.stop(0);
        }
    }

    @Test
    void theDeliveryConnectsToTheAddressThatWasChecked_neverResolvingTheNameAgain() throws Exception {
        // The name exists only in the check's resolver: a second resolution (by the system) would find nothing.
        CallbackTargets pinned = new CallbackTargets(true, List.of("receiver.test:*"), Set.of(),
                host -> "receiver.test".equals(host) ? new InetAddress[] {InetAddress.getByName("127.0.0.1")}
                        : InetAddress.getAllByName(host));
        write("http://receiver.test:" + port() + "/fast?app=claims", "{\"n\":1}", "claims-app");
        relay = relay(pinned, 3);
        relay.dispatch();
        awaitRecorded(1);
        assertThat(lastError()).isNull();
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.getKey().get("Host")).containsExactly("receiver.test:" + port());
            assertThat(r.getValue()).contains("\"n\"");
        });
    }

    @Test
    void aHostThatNowResolvesInside_isRefusedAtDelivery_andNothingIsSent() throws Exception {
        // Public when the decision was routed; a DNS change (rebinding) now points the name at loopback.
        CallbackTargets rebound = new CallbackTargets(true, List.of(), Set.of(),
                host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")});
        write("http://hooks.example.com:" + port() + "/fast", "{}", "claims-app");
        relay = relay(rebound, 3);
        relay.dispatch();
        awaitRecorded(1);
        assertThat(received).isEmpty();
        assertThat(lastError()).startsWith("refused: the callbackUrl resolves to an internal address");
    }

    @Test
    void anAppWithoutAWebhookSecret_getsNothingUnsigned() throws Exception {
        secrets = Map.of();
        write("http://localhost:" + port() + "/fast", "{}", "claims-app");
        relay = relay(CallbackTargetsFor.local(), 3);
        relay.dispatch();
        awaitRecorded(1);
        assertThat(received).isEmpty();
        assertThat(lastError()).contains("no webhook secret for app 'claims-app'");
    }

    /** Callback policies for these tests. */
    private static final class CallbackTargetsFor {
        static CallbackTargets local() {
            return new CallbackTargets(true, List.of("localhost:*", "127.0.0.1:*"), Set.of(), InetAddress::getAllByName);
        }
    }

    private CallbackRelay relay(CallbackTargets targets, int maxAttempts) {
        return new CallbackRelay(db, new CallbackRelay.Settings(destination, 100, Duration.ofMillis(20),
                Duration.ofMillis(100), maxAttempts, Duration.ofSeconds(8), 8, 2), targets,
                app -> secrets.getOrDefault(app, List.of()), vertx);
    }

    private int port() {
        return receiver.getAddress().getPort();
    }

    private UUID write(String target, String payload, String app) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection c = db.getConnection()) {
            OutboxStore.insert(c, new OutboxEvent(id, destination, "OUTCOME_NOTIFIED", "decision-" + id, "uc", app,
                    null, target, Instant.now(), payload));
        }
        return id;
    }

    /** Waits until the relay recorded {@code attempts} attempts in all. */
    private void awaitRecorded(int attempts) throws Exception {
        awaitRecorded(attempts, false);
    }

    /** Waits until {@code attempts} attempts in all are recorded, driving the relay's rounds meanwhile if asked. */
    private void awaitRecorded(int attempts, boolean driveRounds) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (driveRounds) {
                relay.dispatch();
            }
            try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(
                    "SELECT coalesce(sum(attempts), 0) FROM outbox WHERE destination = '" + destination + "'")) {
                rs.next();
                if (rs.getLong(1) >= attempts) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the relay did not record " + attempts + " attempts");
    }

    private void retryNow() throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute("UPDATE outbox SET next_attempt_at = now() WHERE destination = '" + destination + "'");
        }
    }

    private String lastError() throws SQLException {
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT last_error FROM outbox WHERE destination = '" + destination + "' ORDER BY id LIMIT 1")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** What the backlog gauge reads for the destination. */
    private OutboxStore.Backlog backlog() throws SQLException {
        try (Connection c = db.getConnection()) {
            return OutboxStore.callbackBacklog(c, destination);
        }
    }

    private long pending() throws SQLException {
        return backlog().pending();
    }

    private static Map<String, List<String>> lowerCase(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new java.util.HashMap<>();
        headers.forEach((k, v) -> out.put(k.toLowerCase(java.util.Locale.ROOT), v));
        return out;
    }
}

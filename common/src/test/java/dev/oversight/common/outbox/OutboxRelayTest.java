package dev.oversight.common.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.oversight.common.testing.OutboxTable;
import dev.oversight.common.testing.PostgresResource;
import dev.oversight.common.testing.QueryPlans;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay against real PostgreSQL and a real HTTP receiver that can be down, picky or slow. */
class OutboxRelayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DataSource db;
    private HttpServer receiver;
    private final List<String> received = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile Predicate<String> refuses = body -> false;
    private String destination;

    @BeforeEach
    void setUp() throws Exception {
        db = PostgresResource.server().getPostgresDatabase();
        OutboxTable.create(db);
        destination = "test-" + UUID.randomUUID();
        receiver = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        receiver.createContext("/in", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status;
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                status = 503;
            } else if (refuses.test(body)) {
                status = 400;
            } else {
                status = 200;
                received.add(body);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void tearDown() {
        receiver.stop(0);
    }

    /**
     * A destination far behind (its receiver down, or no relay for it) is counted up to the cap, not through its whole
     * backlog: every instance refreshes the gauge every 15 s, and a count of 100,000 rows took PostgreSQL ~150 ms.
     */
    @Test
    void theBacklogGauge_countsUpToItsCap_andStillReadsTheOldestRow() throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (event_id, destination, type, subject_id,"
                     + " occurred_at, payload) SELECT gen_random_uuid(), ?, 'T', 's' || g, now() - interval '1 hour', '{}'"
                     + " FROM generate_series(1, ?) g")) {
            ps.setString(1, destination);
            ps.setInt(2, OutboxStore.BACKLOG_COUNT_CAP + 5);
            ps.executeUpdate();
            OutboxStore.Backlog behind = OutboxStore.backlog(c, destination);
            assertThat(behind.pending()).isEqualTo(10_000).isEqualTo(OutboxStore.BACKLOG_COUNT_CAP);
            assertThat(behind.oldestAgeSeconds()).isGreaterThanOrEqualTo(3600);
        }
    }

    /**
     * A quiet destination (erasure on the local stack) whose name sorts between two busy ones (audit, review): the
     * planner estimated the count's row comparisons from their first column, expected a quarter of the table, and
     * chose a sequential scan expected to stop after the cap's rows, which read the whole outbox to count nothing
     * (667 ms with 1.27 million rows, every 15 s). The busy rows here, interleaved as the router writes them, are
     * written and analyzed in a transaction that is rolled back; heap blocks read: the table's, or none.
     */
    @Test
    void theBacklogOfAQuietDestination_isCountedFromTheIndex_whateverItsNeighboursHold() throws Exception {
        String tag = UUID.randomUUID().toString();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (event_id, destination, type,"
                    + " subject_id, occurred_at, payload) SELECT gen_random_uuid(), CASE WHEN g % 2 = 0 THEN ?"
                    + " ELSE ? END, 'T', 's' || g, now(), '{}' FROM generate_series(1, 100000) g")) {
                ps.setString(1, "a-" + tag);
                ps.setString(2, "z-" + tag);
                ps.executeUpdate();
            }
            c.createStatement().execute("ANALYZE outbox");
            long before = heapBlocksFetched(c);
            OutboxStore.Backlog backlog = OutboxStore.backlog(c, "m-" + tag);
            assertThat(backlog.pending()).isZero();
            assertThat(heapBlocksFetched(c) - before).as("heap blocks of the outbox read to count nothing")
                    .isLessThan(10);
            c.rollback();
        }
    }

    @Test
    void deliversInWriteOrder_afterTheReceiverComesBack_andMarksOnlyWhatWasAcknowledged() throws Exception {
        List<UUID> written = write(1200, i -> "{\"n\":" + i + "}");
        try (Connection c = db.getConnection()) {
            OutboxStore.Backlog waiting = OutboxStore.backlog(c, destination);
            assertThat(waiting.pending()).isEqualTo(1200);
            assertThat(waiting.oldestAgeSeconds()).isGreaterThanOrEqualTo(0);
        }
        OutboxRelay relay = relay(OutboxRelay.Format.EVENTS, 500, 5);
        failNext.set(3);
        for (int i = 0; i < 3; i++) {
            relay.cycle();
        }
        assertThat(received).isEmpty();
        assertThat(pending()).isEqualTo(1200);
        while (pending() > 0) {
            relay.cycle();
        }
        List<UUID> delivered = new ArrayList<>();
        for (String body : received) {
            for (JsonNode e : JSON.readTree(body)) {
                delivered.add(UUID.fromString(e.get("eventId").asText()));
                assertThat(e.get("payload").get("n")).isNotNull();
                assertThat(e.get("traceId").asText()).hasSize(32);
            }
        }
        assertThat(delivered).containsExactlyElementsOf(written);
        assertThat(received).hasSize(3);
    }

    @Test
    void aRowTheReceiverRefuses_isSetAsideAlone_andTheRestStillArriveInOrder() throws Exception {
        List<UUID> written = write(5, i -> "{\"n\":" + i + "}");
        refuses = body -> body.contains("\"n\":2");
        OutboxRelay relay = relay(OutboxRelay.Format.PAYLOADS, 500, 5);
        relay.cycle();
        assertThat(received).containsExactly("[{\"n\":0}]", "[{\"n\":1}]", "[{\"n\":3}]", "[{\"n\":4}]");
        assertThat(pending()).isZero();
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT event_id, attempts, last_error FROM outbox WHERE dead_at IS NOT NULL AND destination = '"
                        + destination + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getObject(1, UUID.class)).isEqualTo(written.get(2));
            assertThat(rs.getString(3)).startsWith("HTTP 400");
            assertThat(rs.next()).isFalse();
        }
        try (Connection c = db.getConnection()) {
            assertThat(OutboxStore.backlog(c, destination)).isEqualTo(new OutboxStore.Backlog(0, 0, 1));
        }
    }

    @Test
    void aPayloadArrivesExactlyAsItsProducerWroteIt() throws Exception {
        // Key order, spacing, a number's spelling, an escape and a duplicate key: jsonb would have rewritten each.
        String payload = "{\"z\":1.50, \"a\":{\"note\":\"caf\u00e9 \\u00e9\"},\"n\":1e3,\"a\":2}";
        write(1, i -> payload);
        relay(OutboxRelay.Format.PAYLOADS, 500, 5).cycle();
        assertThat(received).containsExactly("[" + payload + "]");
        // Still checked to be JSON when it is written.
        assertThatThrownBy(() -> write(1, i -> "{\"unclosed\":"))
                .isInstanceOf(SQLException.class);
    }

    @Test
    void twoInstances_relayingTogether_deliverEveryRowExactlyOnce() throws Exception {
        List<UUID> written = write(2000, i -> "{\"n\":" + i + "}");
        OutboxRelay a = relay(OutboxRelay.Format.EVENTS, 100, 5);
        OutboxRelay b = relay(OutboxRelay.Format.EVENTS, 100, 5);
        Thread ta = new Thread(a);
        Thread tb = new Thread(b);
        ta.start();
        tb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (pending() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        a.stop();
        b.stop();
        ta.join();
        tb.join();
        List<UUID> delivered = new ArrayList<>();
        for (String body : received) {
            for (JsonNode e : JSON.readTree(body)) {
                delivered.add(UUID.fromString(e.get("eventId").asText()));
            }
        }
        assertThat(delivered).containsExactlyElementsOf(written);
    }

    /**
     * With a large backlog behind many delivered rows, the query for due rows must begin at the destination's
     * position, not walk the delivered rows ahead of it (seen in the benchmark before: 350 ms per cycle with 290,000
     * delivered rows ahead of the backlog), nor the backlog behind the batch it takes.
     */
    @Test
    void dueRowsAreFound_withoutWalkingTheDeliveredRowsAheadOfThem() throws Exception {
        write(30_000, i -> "{\"n\":" + i + "}");
        try (Connection c = db.getConnection()) {
            OutboxStore.advance(c, destination, last());
        }
        List<UUID> waiting = write(30_000, i -> "{\"m\":" + i + "}");
        try (Connection c = db.getConnection()) {
            c.createStatement().execute("ANALYZE outbox");
            OutboxStore.Position from = OutboxStore.position(c, destination);
            List<OutboxStore.Row> due = OutboxStore.due(c, destination, from, 500);
            assertThat(due).hasSize(500);
            assertThat(due.get(0).event().eventId()).isEqualTo(waiting.get(0));
            QueryPlans.Plan plan = QueryPlans.explain(c, OutboxStore.DUE,
                    ps -> OutboxStore.bindDue(ps, destination, from, 500));
            assertThat(QueryPlans.sum(plan.json(), QueryPlans::rowsRemoved))
                    .as("rows the plan read and threw away: %s", plan).isLessThan(1_000);
            // 500 rows are a few dozen blocks; stepping over the 30,000 delivered rows' index entries, hundreds.
            assertThat(QueryPlans.blocks(plan)).as("blocks the plan touched: %s", plan).isLessThan(100);
        }
    }

    /**
     * Ids are taken when rows are inserted, but rows become visible when their transaction commits: a row written
     * first may commit after rows written later were delivered. A position that passed it would lose it for good.
     */
    @Test
    void aRowWhoseTransactionCommitsLate_isDeliveredInItsTurn_neverPassedBy() throws Exception {
        OutboxRelay relay = relay(OutboxRelay.Format.PAYLOADS, 500, 5);
        try (Connection slow = db.getConnection()) {
            slow.setAutoCommit(false);
            OutboxStore.insert(slow, event("{\"n\":0}"));
            write(2, i -> "{\"n\":" + (i + 1) + "}");
            try (Connection aborted = db.getConnection()) {
                aborted.setAutoCommit(false);
                OutboxStore.insert(aborted, event("{\"rolledBack\":true}"));
                aborted.rollback();
            }
            relay.cycle();
            assertThat(received).as("rows written after a transaction still running wait for it").isEmpty();
            assertThat(pending()).isEqualTo(2);
            slow.commit();
        }
        drain(relay);
        List<String> delivered = new ArrayList<>();
        for (String body : received) {
            JSON.readTree(body).forEach(p -> delivered.add(p.toString()));
        }
        assertThat(delivered).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
    }

    /** Delivery moves the destination's position; the delivered rows are left exactly as they were written. */
    @Test
    void deliveryLeavesTheRowsAsTheyWereWritten() throws Exception {
        write(600, i -> "{\"n\":" + i + "}");
        String versions = "SELECT string_agg(xmin::text || ':' || ctid::text, ',' ORDER BY id) FROM outbox"
                + " WHERE destination = '" + destination + "'";
        String before = single(versions);
        drain(relay(OutboxRelay.Format.EVENTS, 500, 5));
        assertThat(received).isNotEmpty();
        assertThat(single(versions)).as("each row's version (writing transaction, place)").isEqualTo(before);
    }

    /**
     * An outbox from before positions (V0_3) holds delivered rows, rows delivered out of order and rows still waiting;
     * after the migration exactly the waiting ones are due, in the order they were written, then the new ones.
     */
    @Test
    void anOutboxUpgradedToPositions_deliversExactlyTheRowsItHadNotDelivered() throws Exception {
        try (Connection c = db.getConnection(); var st = c.createStatement()) {
            String schema = "upgrade_" + UUID.randomUUID().toString().replace("-", "");
            st.execute("CREATE SCHEMA " + schema);
            st.execute("SET search_path TO " + schema);
            OutboxTable.apply(c, migration -> migration.compareTo("V0_3") < 0);
            List<UUID> rows = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                rows.add(UUID.randomUUID());
                OutboxStore.insert(c, event(rows.get(i), i, "{\"n\":" + i + "}"));
            }
            st.execute("UPDATE outbox SET delivered_at = now() WHERE event_id IN ('" + rows.get(0) + "', '"
                    + rows.get(1) + "', '" + rows.get(3) + "')");
            st.execute("UPDATE outbox SET dead_at = now() WHERE event_id = '" + rows.get(4) + "'");

            OutboxTable.apply(c, migration -> migration.startsWith("V0_3"));
            UUID later = UUID.randomUUID();
            OutboxStore.insert(c, event(later, 0, "{}"));
            List<UUID> due = OutboxStore.due(c, destination, OutboxStore.position(c, destination), 100).stream()
                    .map(r -> r.event().eventId()).toList();
            assertThat(due).containsExactly(rows.get(2), rows.get(5), later);
            assertThat(OutboxStore.backlog(c, destination)).extracting(OutboxStore.Backlog::pending,
                    OutboxStore.Backlog::dead).containsExactly(3L, 1L);
            st.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    /** An erasure deletes what was delivered about its subjects now, and leaves what is still on its way. */
    @Test
    void forgetting_deletesTheRowsThePositionPassed_andKeepsTheWaitingOnes() throws Exception {
        String subject = "subject-" + UUID.randomUUID();
        List<OutboxEvent> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            events.add(new OutboxEvent(UUID.randomUUID(), destination, "TEST_EVENT", subject, "uc", "tester", null, null,
                    Instant.now(), "{\"n\":" + i + "}"));
        }
        try (Connection c = db.getConnection()) {
            OutboxStore.insert(c, events);
        }
        refuses = body -> body.contains("\"n\":1");
        relay(OutboxRelay.Format.PAYLOADS, 2, 5).cycle();
        assertThat(received).containsExactly("[{\"n\":0}]");
        try (Connection c = db.getConnection()) {
            OutboxStore.forget(c, List.of(subject));
        }
        assertThat(single("SELECT string_agg(payload::text, ',' ORDER BY id) FROM outbox WHERE subject_id = '"
                + subject + "'")).isEqualTo("{\"erased\":true},{\"n\":2},{\"n\":3}");
    }

    @Test
    void pruning_deletesEveryRowDeliveredBeforeTheRetention_andKeepsPendingDeadAndYoungRows() throws Exception {
        // The walk relies on ids growing with time, as they do in service; rows other tests left would come first.
        try (Connection c = db.getConnection()) {
            c.createStatement().execute("TRUNCATE outbox, outbox_cursor");
        }
        List<UUID> old = write(25_000, i -> "{\"n\":" + i + "}");
        List<UUID> dead = write(2, i -> "{}");
        List<UUID> young = write(5, i -> "{}");
        try (Connection c = db.getConnection()) {
            OutboxStore.advance(c, destination, last());
        }
        String relayed = destination;
        destination = "elsewhere-" + UUID.randomUUID();
        List<UUID> pending = write(3, i -> "{}");
        destination = "callback-" + UUID.randomUUID();
        List<UUID> calledBack = write(2, i -> "{}");
        destination = relayed;
        backdate("occurred_at = now() - interval '9 days'", old);
        backdate("occurred_at = now() - interval '9 days'", pending);
        backdate("occurred_at = now() - interval '9 days', dead_at = now() - interval '8 days'", dead);
        backdate("occurred_at = now() - interval '9 days', delivered_at = now() - interval '8 days'", calledBack);

        // A round stops at its limit and says so (the relay comes back a second later instead of in 10 minutes).
        assertThat(OutboxStore.prune(db, Duration.ofDays(7), 10_000, 2))
                .isEqualTo(new OutboxStore.Pruned(20_000, true));
        relay(OutboxRelay.Format.EVENTS, 500, 5).cycle(); // a relay's first round prunes

        assertThat(count(old)).as("rows passed by the position, written 9 days ago, past the 7-day retention")
                .isZero();
        assertThat(count(calledBack)).as("callbacks delivered 8 days ago").isZero();
        assertThat(count(pending)).isEqualTo(3);
        assertThat(count(dead)).as("dead rows behind the position").isEqualTo(2);
        assertThat(count(young)).isEqualTo(5);
        // Nothing old is left: the round reads one batch of the young part and ends.
        assertThat(OutboxStore.prune(db, Duration.ofDays(7), 10_000, 20)).isEqualTo(new OutboxStore.Pruned(0, false));
    }

    private void backdate(String set, List<UUID> ids) throws SQLException {
        try (Connection c = db.getConnection();
             var ps = c.prepareStatement("UPDATE outbox SET " + set + " WHERE event_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            ps.executeUpdate();
        }
    }

    /** Heap blocks of the outbox this backend asked for and has not reported yet (steady within a transaction). */
    private static long heapBlocksFetched(Connection c) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery(
                "SELECT pg_stat_get_xact_blocks_fetched('outbox'::regclass)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long count(List<UUID> ids) throws SQLException {
        try (Connection c = db.getConnection();
             var ps = c.prepareStatement("SELECT count(*) FROM outbox WHERE event_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private OutboxRelay relay(OutboxRelay.Format format, int maxBatch, int maxAttempts) {
        URI url = URI.create("http://localhost:" + receiver.getAddress().getPort() + "/in");
        return new OutboxRelay(db, new OutboxRelay.Settings(destination, url, format, maxBatch, 900_000,
                Duration.ofMillis(20), Duration.ofMillis(100), maxAttempts, Duration.ofDays(7)), () -> "token", JSON);
    }

    private OutboxEvent event(String payload) {
        return event(UUID.randomUUID(), 0, payload);
    }

    private OutboxEvent event(UUID id, int i, String payload) {
        String target = "http://localhost:" + receiver.getAddress().getPort() + "/in";
        return new OutboxEvent(id, destination, "TEST_EVENT", "subject-" + (i % 3), "uc", "tester",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", target, Instant.now(), payload);
    }

    private List<UUID> write(int n, java.util.function.IntFunction<String> payload) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        List<OutboxEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            events.add(event(id, i, payload.apply(i)));
        }
        try (Connection c = db.getConnection()) {
            OutboxStore.insert(c, events);
        }
        return ids;
    }

    private long pending() throws SQLException {
        try (Connection c = db.getConnection()) {
            return OutboxStore.backlog(c, destination).pending();
        }
    }

    /** The position of the destination's last written row. */
    private OutboxStore.Position last() throws SQLException {
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT o.txid::text, o.id FROM outbox o WHERE o.destination = '" + destination
                        + "' ORDER BY o.txid DESC, o.id DESC LIMIT 1")) {
            rs.next();
            return new OutboxStore.Position(Long.parseLong(rs.getString(1)), rs.getLong(2));
        }
    }

    /** Relay rounds until nothing is pending (a transaction elsewhere in the cluster may hold rows back a moment). */
    private void drain(OutboxRelay relay) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (pending() > 0 && System.nanoTime() < deadline) {
            relay.cycle();
        }
        assertThat(pending()).isZero();
    }

    private String single(String sql) throws SQLException {
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

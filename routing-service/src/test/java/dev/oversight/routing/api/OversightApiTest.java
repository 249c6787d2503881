package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.json;
import static dev.oversight.routing.api.Api.putPolicy;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.oversight.common.testing.PostgresResource;
import dev.oversight.routing.config.service.RoutingConfig;
import dev.oversight.routing.oversight.repository.OversightRepository;
import dev.oversight.routing.oversight.repository.PeriodicClaims;
import dev.oversight.routing.oversight.service.OversightMetrics;
import dev.oversight.routing.oversight.service.OversightService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The oversight figures on a seeded history whose every answer is known. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class OversightApiTest {

    @Inject
    AgroalDataSource db;

    @Inject
    OversightMetrics metrics;

    @Test
    void everyFigure_onASeededHistory() throws Exception {
        String uc = uniqueUseCase("oversight");
        putPolicy(uc, "{\"threshold\":0.8,\"reviewSlaSeconds\":3600}").then().statusCode(201);
        Instant t0 = Instant.now().minus(20, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

        // Outside the window: not counted.
        decision(uc, "m1", "RELEASE", "RELEASED", List.of(), t0.minus(2, ChronoUnit.DAYS), 0, null);
        // Ten releases, two of them later reversed by a person.
        for (int i = 0; i < 10; i++) {
            decision(uc, "m1", "RELEASE", i < 2 ? "OVERRIDDEN" : "RELEASED", List.of(), t0.plusSeconds(i), 0, null);
        }
        // Six escalations for low confidence: three approved, two corrected, one rejected; one took two hours.
        String[] verdicts = {"APPROVED", "APPROVED", "APPROVED", "CORRECTED", "CORRECTED", "REJECTED"};
        long[] latency = {60, 120, 180, 240, 300, 7200};
        for (int i = 0; i < 6; i++) {
            decision(uc, "m1", "REVIEW", verdicts[i], List.of("LOW_CONFIDENCE"), t0.plusSeconds(100 + i), latency[i], "ann");
        }
        // Four audit samples of outputs that would have been released: one was wrong. Their labels weigh 1/2%.
        for (int i = 0; i < 4; i++) {
            UUID id = decision(uc, "m1", "REVIEW", i == 0 ? "CORRECTED" : "APPROVED", List.of("AUDIT_SAMPLE"),
                    t0.plusSeconds(200 + i), 100, "bob");
            label(uc, id, i != 0, 50);
        }
        decision(uc, "m1", "BLOCK", "BLOCKED", List.of("BLOCK_RULE:pii"), t0.plusSeconds(300), 0, null);
        decision(uc, "m1", "BLOCK", "BLOCKED", List.of("BLOCK_RULE:pii"), t0.plusSeconds(301), 0, null);
        // Still open long past its SLA, and one that expired: both breaches.
        decision(uc, "m1", "REVIEW", "PENDING_REVIEW", List.of("LOW_CONFIDENCE"), t0.plusSeconds(400), -1, null);
        decision(uc, "m1", "REVIEW", "EXPIRED", List.of("LOW_CONFIDENCE"), t0.plusSeconds(401), 90_000, null);
        // Another model version.
        decision(uc, "m2", "RELEASE", "RELEASED", List.of(), t0.plusSeconds(500), 0, null);
        decision(uc, "m2", "RELEASE", "RELEASED", List.of(), t0.plusSeconds(501), 0, null);

        JsonPath r = json().queryParam("from", t0.minus(1, ChronoUnit.HOURS).toString())
                .queryParam("to", Instant.now().plus(1, ChronoUnit.HOURS).toString()).queryParam("modelVersion", "m1")
                .get("/v1/use-cases/{u}/oversight", uc).then().statusCode(200).extract().jsonPath();

        assertThat(r.getLong("volume")).isEqualTo(24);
        assertThat(r.getLong("routes.RELEASE.n")).isEqualTo(24);
        assertThat(r.getDouble("routes.RELEASE.estimate")).isCloseTo(10 / 24.0, within(1e-6));
        assertThat(r.getDouble("routes.REVIEW.estimate")).isCloseTo(12 / 24.0, within(1e-6));
        assertThat(r.getDouble("routes.BLOCK.estimate")).isCloseTo(2 / 24.0, within(1e-6));
        assertThat(r.getDouble("interventionRate.estimate")).isCloseTo(14 / 24.0, within(1e-6));
        assertThat(r.getList("reasons.reason")).containsExactly("LOW_CONFIDENCE", "AUDIT_SAMPLE", "BLOCK_RULE:pii");
        assertThat(r.getList("reasons.n", Integer.class)).containsExactly(8, 4, 2);
        // Reviewed and decided: 6 approved, 1 rejected, 3 corrected.
        assertThat(r.getLong("overrideRate.n")).isEqualTo(10);
        assertThat(r.getDouble("overrideRate.estimate")).isCloseTo(0.4, within(1e-6));
        assertThat(r.getDouble("releasesReversed.estimate")).isCloseTo(0.2, within(1e-6));
        assertThat(r.getDouble("escalationPrecision.estimate")).isCloseTo(0.5, within(1e-6));
        assertThat(r.getLong("escalationPrecision.n")).isEqualTo(6);
        // Exact Clopper–Pearson for 3 of 6 (R: binom.test(3, 6)$conf.int = 0.1181172 0.8818828).
        assertThat(r.getDouble("escalationPrecision.lower")).isCloseTo(0.1181172, within(1e-6));
        assertThat(r.getDouble("escalationPrecision.upper")).isCloseTo(0.8818828, within(1e-6));
        assertThat(r.getDouble("underEscalation.estimate")).isCloseTo(0.25, within(1e-6));
        assertThat(r.getDouble("underEscalation.effectiveN")).isCloseTo(4, within(1e-6));
        assertThat(r.getLong("review.decided")).isEqualTo(10);
        // Latencies 60 100 100 100 100 120 180 240 300 7200: NumPy's percentiles 110 and 4095.
        assertThat(r.getDouble("review.latencySecondsP50")).isCloseTo(110, within(1e-6));
        assertThat(r.getDouble("review.latencySecondsP95")).isCloseTo(4095, within(1e-6));
        assertThat(r.getLong("review.slaBreaches")).isEqualTo(3);
        assertThat(r.getLong("review.expired")).isEqualTo(1);
        assertThat(r.getLong("review.queueDepth")).isEqualTo(1);
        assertThat(r.getList("reviewerLoad.reviewer")).containsExactly("ann", "bob");
        assertThat(r.getList("reviewerLoad.verdicts", Integer.class)).containsExactly(6, 4);
        // The identity calibrator on the four labels since it was fitted: confidence 0.9, three of four right.
        assertThat(r.getLong("calibration.labels")).isEqualTo(4);
        assertThat(r.getDouble("calibration.ece")).isCloseTo(0.15, within(1e-6));
        assertThat(r.getInt("calibration.calibratorVersion")).isEqualTo(1);

        JsonPath all = json().queryParam("from", t0.minus(1, ChronoUnit.HOURS).toString())
                .get("/v1/use-cases/{u}/oversight", uc).then().statusCode(200).extract().jsonPath();
        assertThat(all.getLong("volume")).isEqualTo(26);
        assertThat(all.getString("modelVersion")).isNull();

        // The same figures as Prometheus gauges over the trailing 24 hours, per use case and model version.
        metrics.refresh();
        String scraped = io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        String m1 = "{model_version=\"m1\",use_case=\"" + uc + "\"}";
        assertThat(scraped).contains("oversight_decisions" + m1 + " 24.0")
                .contains("oversight_override_rate" + m1 + " 0.4")
                .contains("oversight_escalation_precision" + m1 + " 0.5")
                .contains("oversight_under_escalation_rate" + m1 + " 0.25")
                .contains("oversight_sla_breaches" + m1 + " 3.0")
                .contains("oversight_queue_depth" + m1 + " 1.0")
                .contains("oversight_decisions{model_version=\"m2\",use_case=\"" + uc + "\"} 2.0")
                .contains("oversight_use_case_mode{mode=\"AUTO\",use_case=\"" + uc + "\"} 1.0")
                .contains("oversight_reviewer_verdicts{model_version=\"m1\",reviewer=\"ann\",use_case=\"" + uc + "\"} 6.0");
    }

    /**
     * The figures come from one pass that groups decisions by their reasons (whole arrays) and by reviewed tool: a
     * decision with two reasons counts once for each, and once among the escalated; tools rank by rejections and
     * corrections, then by reviews, then by name.
     */
    @Test
    void aDecisionsReasonsCountEach_andToolsRankByOverrides() throws Exception {
        String uc = uniqueUseCase("oversight-pass");
        putPolicy(uc, "{\"threshold\":0.8}").then().statusCode(201);
        Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String[] statuses = {"APPROVED", "APPROVED", "REJECTED"};
        for (int i = 0; i < 3; i++) {
            decision(uc, "m1", "REVIEW", statuses[i], List.of("LOW_CONFIDENCE", "RULE:amount"), t0.plusSeconds(i), 60,
                    "ann");
        }
        decision(uc, "m1", "REVIEW", "APPROVED", List.of("RULE:amount"), t0.plusSeconds(3), 60, "ann");
        // One rejected refund came from another model version: all versions' figures add up.
        String[][] calls = {{"lookup", "APPROVED", "m1"}, {"refund", "REJECTED", "m2"}, {"lookup", "APPROVED", "m1"},
            {"wire", "CORRECTED", "m1"}, {"refund", "APPROVED", "m1"}, {"lookup", "APPROVED", "m1"},
            {"wire", "PENDING_REVIEW", "m1"}};
        for (int i = 0; i < calls.length; i++) {
            UUID id = decision(uc, calls[i][2], "REVIEW", calls[i][1], List.of(), t0.plusSeconds(10 + i), 60, "bob");
            execute("UPDATE decision SET kind = 'TOOL_CALL', output = '{\"name\":\"" + calls[i][0]
                    + "\",\"arguments\":{}}' WHERE id = '" + id + "'");
        }

        JsonPath r = json().queryParam("from", t0.minus(1, ChronoUnit.HOURS).toString())
                .get("/v1/use-cases/{u}/oversight", uc).then().statusCode(200).extract().jsonPath();
        assertThat(r.getLong("volume")).isEqualTo(11);
        assertThat(r.getList("reasons.reason")).containsExactly("RULE:amount", "LOW_CONFIDENCE");
        assertThat(r.getList("reasons.n", Integer.class)).containsExactly(4, 3);
        assertThat(r.getLong("escalationPrecision.n")).isEqualTo(4);
        assertThat(r.getDouble("escalationPrecision.estimate")).isCloseTo(0.25, within(1e-6));
        assertThat(r.getList("tools.tool")).containsExactly("refund", "wire", "lookup");
        assertThat(r.getList("tools.reviewed", Integer.class)).containsExactly(2, 1, 3);
        assertThat(r.getList("tools.rejected", Integer.class)).containsExactly(1, 0, 0);
        assertThat(r.getList("tools.corrected", Integer.class)).containsExactly(0, 1, 0);

        JsonPath m1 = json().queryParam("from", t0.minus(1, ChronoUnit.HOURS).toString()).queryParam("modelVersion", "m1")
                .get("/v1/use-cases/{u}/oversight", uc).then().statusCode(200).extract().jsonPath();
        assertThat(m1.getLong("volume")).isEqualTo(10);
        assertThat(m1.getList("tools.tool")).containsExactly("wire", "lookup", "refund");
        assertThat(m1.getList("tools.reviewed", Integer.class)).containsExactly(1, 3, 1);

        // The gauges, refreshed from one pass over the use case's decisions, split by model version.
        metrics.refresh();
        String scraped = io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(scraped).contains("oversight_decisions{model_version=\"m1\",use_case=\"" + uc + "\"} 10.0")
                .contains("oversight_decisions{model_version=\"m2\",use_case=\"" + uc + "\"} 1.0")
                .contains("oversight_escalation_precision{model_version=\"m1\",use_case=\"" + uc + "\"} 0.25");
    }

    @Test
    void badWindows_are400_andUnknownUseCases404() {
        String uc = uniqueUseCase("oversight-bad");
        putPolicy(uc, "{}").then().statusCode(201);
        json().queryParam("from", "yesterday").get("/v1/use-cases/{u}/oversight", uc).then().statusCode(400);
        json().queryParam("from", "2026-11-25T00:00:00Z").queryParam("to", "2026-11-24T00:00:00Z")
                .get("/v1/use-cases/{u}/oversight", uc).then().statusCode(400);
        json().queryParam("from", "2024-01-01T00:00:00Z").queryParam("to", "2026-01-01T00:00:00Z")
                .get("/v1/use-cases/{u}/oversight", uc).then().statusCode(400);
        json().get("/v1/use-cases/{u}/oversight", "no-such-use-case").then().statusCode(404);
        JsonPath empty = json().get("/v1/use-cases/{u}/oversight", uc).then().statusCode(200).extract().jsonPath();
        assertThat(empty.getLong("volume")).isZero();
        assertThat(empty.getDouble("interventionRate.upper")).isEqualTo(1.0);
    }

    @Inject
    OversightRepository repository;

    @Inject
    OversightService oversight;

    @Inject
    RoutingConfig config;

    @Inject
    PeriodicClaims claims;

    @Test
    void oneInstanceRefreshesTheGaugesForAll_andAnotherTakesOverWhenItStops() throws Exception {
        String uc = uniqueUseCase("oversight-one");
        putPolicy(uc, "{}").then().statusCode(201);
        decision(uc, "m1", "RELEASE", "RELEASED", List.of(), Instant.now().minusSeconds(60), 0, null);
        // Two router instances on one database, each with its own registry (what Prometheus scrapes of it).
        SimpleMeterRegistry scrapedA = new SimpleMeterRegistry();
        SimpleMeterRegistry scrapedB = new SimpleMeterRegistry();
        OversightMetrics a = new OversightMetrics(repository, oversight, scrapedA, config, claims);
        OversightMetrics b = new OversightMetrics(repository, oversight, scrapedB, config, claims);
        execute("DELETE FROM periodic_claim");

        assertThat(a.refreshIfMine()).as("the first to ask").isTrue();
        assertThat(b.refreshIfMine()).as("while the first keeps refreshing").isFalse();
        assertThat(a.refreshIfMine()).isTrue();
        assertThat(decisions(scrapedA, uc)).isEqualTo(1.0);
        assertThat(scrapedB.find("oversight.decisions").gauges()).as("the other reads nothing and exports nothing")
                .isEmpty();

        // The first stops refreshing (stopped, or cut off from the database) for more than two intervals.
        execute("UPDATE periodic_claim SET started_at = now() - interval '3 minutes'");
        assertThat(b.refreshIfMine()).as("another takes over").isTrue();
        assertThat(decisions(scrapedB, uc)).isEqualTo(1.0);
        assertThat(a.refreshIfMine()).as("the first, back, leaves it to the one that took over").isFalse();
        assertThat(scrapedA.find("oversight.decisions").gauges()).as("and drops what it exported: nothing stale")
                .isEmpty();
    }

    private static double decisions(SimpleMeterRegistry scraped, String uc) {
        return scraped.get("oversight.decisions").tag("use_case", uc).tag("model_version", "m1").gauge().value();
    }

    private void execute(String sql) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.execute();
        }
    }

    private UUID decision(String uc, String model, String route, String status, List<String> reasons, Instant at,
                          long latencySeconds, String reviewer) throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO decision (id,"
                + " use_case, owner, model_version, request_hash, route, status, raw_confidence, calibrated_confidence,"
                + " reasons, policy_version, calibrator_version, required_reviews, output, verdicts, created_at,"
                + " decided_at) VALUES (?, ?, 'seed', ?, '\\x00', ?, ?, 0.9, 0.9, ?, 1, 1, 1, '{}', ?::jsonb, ?, ?)")) {
            ps.setObject(1, id);
            ps.setString(2, uc);
            ps.setString(3, model);
            ps.setString(4, route);
            ps.setString(5, status);
            ps.setArray(6, c.createArrayOf("text", reasons.toArray()));
            ps.setString(7, reviewer == null ? "[]" : "[{\"reviewer\":\"" + reviewer + "\",\"verdict\":\"X\"}]");
            ps.setTimestamp(8, Timestamp.from(at));
            ps.setTimestamp(9, latencySeconds < 0 ? null : Timestamp.from(at.plusSeconds(latencySeconds)));
            ps.executeUpdate();
        }
        return id;
    }

    private void label(String uc, UUID decision, boolean correct, double weight) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO label (use_case,"
                + " model_version, decision_id, confidence, correct, weight, source) VALUES (?, 'm1', ?, 0.9, ?, ?, 'review')")) {
            ps.setString(1, uc);
            ps.setObject(2, decision);
            ps.setBoolean(3, correct);
            ps.setDouble(4, weight);
            ps.executeUpdate();
        }
    }
}

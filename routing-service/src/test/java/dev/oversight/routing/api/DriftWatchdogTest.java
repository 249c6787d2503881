package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.json;
import static dev.oversight.routing.api.Api.putPolicy;
import static dev.oversight.routing.api.Api.route;
import static dev.oversight.routing.api.Api.routeBody;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.oversight.common.testing.PostgresResource;
import dev.oversight.routing.calibration.service.DriftWatchdog;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The watchdog acts on drift: evidence in the trail once, and REVIEW_ALL when the policy says so; never back. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class DriftWatchdogTest {

    @Inject
    AgroalDataSource db;

    @Inject
    DriftWatchdog watchdog;

    @Test
    void driftWithOnDriftReviewAll_switchesTheUseCase_recordsTheEvidenceOnce_andNeverSwitchesBack() throws Exception {
        String uc = uniqueUseCase("drift");
        putPolicy(uc, "{\"threshold\":0.8,\"targetErrorRate\":0.05,\"onDrift\":\"REVIEW_ALL\"}").then().statusCode(201);
        json().get("/v1/use-cases/{u}", uc).then().body("activePolicy.policy.onDrift", equalTo("REVIEW_ALL"));
        auditSamples(uc, 60, 15);

        assertThat(watchdog.checkAll()).anySatisfy(a -> assertThat(a.useCase()).isEqualTo(uc));
        json().get("/v1/use-cases/{u}", uc).then().body("mode", equalTo("REVIEW_ALL"))
                .body("modeChangedBy", equalTo("system:drift"))
                .body("modeReason", org.hamcrest.Matchers.startsWith("drift: 15 of 60 audit samples wrong"));
        route(routeBody(uc, 0.99, null)).then().statusCode(200).body("route", equalTo("REVIEW"))
                .body("reasons", hasItem("REVIEW_ALL_MODE"));
        String event = scalar("SELECT payload::text FROM outbox WHERE destination = 'audit' AND type = 'DRIFT_DETECTED'"
                + " AND use_case = '" + uc + "'");
        assertThat(event).contains("\"samples\":60", "\"errors\":15", "\"targetErrorRate\":0.05",
                "\"action\":\"REVIEW_ALL\"", "\"lowerBound\"");
        assertThat(scalar("SELECT actor FROM outbox WHERE type = 'DRIFT_DETECTED' AND use_case = '" + uc + "'"))
                .isEqualTo("system:drift");

        // A person switches it back; the same evidence neither alarms again nor switches it again.
        json().body("{\"mode\":\"AUTO\",\"reason\":\"investigated: tariff feed fixed\"}")
                .post("/v1/use-cases/{u}/mode", uc).then().statusCode(200);
        assertThat(watchdog.checkAll()).noneSatisfy(a -> assertThat(a.useCase()).isEqualTo(uc));
        json().get("/v1/use-cases/{u}", uc).then().body("mode", equalTo("AUTO"));
        assertThat(scalar("SELECT count(*) FROM outbox WHERE type = 'DRIFT_DETECTED' AND use_case = '" + uc + "'"))
                .isEqualTo("1");
    }

    @Test
    void driftNeverLiftsAHalt_thoughThePolicySaysReviewAll() throws Exception {
        String uc = uniqueUseCase("drift-halt");
        putPolicy(uc, "{\"threshold\":0.8,\"targetErrorRate\":0.05,\"onDrift\":\"REVIEW_ALL\"}").then().statusCode(201);
        json().body("{\"mode\":\"HALT\",\"reason\":\"incident 12\"}").post("/v1/use-cases/{u}/mode", uc).then()
                .statusCode(200);
        auditSamples(uc, 60, 15);

        assertThat(watchdog.checkAll()).anySatisfy(a -> assertThat(a.useCase()).isEqualTo(uc));
        json().get("/v1/use-cases/{u}", uc).then().body("mode", equalTo("HALT"))
                .body("modeReason", equalTo("incident 12"));
        route(routeBody(uc, 0.99, null)).then().statusCode(200).body("route", equalTo("BLOCK"));
        assertThat(scalar("SELECT count(*) FROM outbox WHERE type = 'DRIFT_DETECTED' AND use_case = '" + uc + "'"))
                .isEqualTo("1");
    }

    @Test
    void byDefault_driftOnlyAlerts_andAHealthyModelRaisesNothing() throws Exception {
        String alerting = uniqueUseCase("drift-alert");
        putPolicy(alerting, "{\"threshold\":0.8}").then().statusCode(201);
        auditSamples(alerting, 50, 12);
        String healthy = uniqueUseCase("drift-healthy");
        putPolicy(healthy, "{\"threshold\":0.8}").then().statusCode(201);
        auditSamples(healthy, 200, 4);

        var raised = watchdog.checkAll();
        assertThat(raised).anySatisfy(a -> assertThat(a.useCase()).isEqualTo(alerting))
                .noneSatisfy(a -> assertThat(a.useCase()).isEqualTo(healthy));
        json().get("/v1/use-cases/{u}", alerting).then().body("mode", equalTo("AUTO"));
        assertThat(scalar("SELECT action FROM drift_alert WHERE use_case = '" + alerting + "'")).isEqualTo("ALERT");
        String scraped = io.restassured.RestAssured.get("/q/metrics").then().extract().asString();
        assertThat(scraped).contains("oversight_drift_alarm{use_case=\"" + alerting + "\"} 1.0")
                .contains("oversight_drift_alarm{use_case=\"" + healthy + "\"} 0.0");

        // A new policy version starts a new period: the old samples no longer count.
        putPolicy(alerting, "{\"threshold\":0.85}").then().statusCode(200);
        assertThat(watchdog.checkAll()).noneSatisfy(a -> assertThat(a.useCase()).isEqualTo(alerting));
    }

    @Test
    void oneSegmentDrifting_tripsAnAlarmForThatSegment_whileTheUseCaseAsAWholeHolds() throws Exception {
        String uc = uniqueUseCase("drift-segment");
        putPolicy(uc, "{\"threshold\":0.8,\"targetErrorRate\":0.05,"
                + "\"segments\":{\"by\":\"attributes.language\"}}").then().statusCode(201);
        // German: 12 of 60 wrong; English: 4 of 600; together 16 of 660, about 2.4%, under the 5% target.
        auditSamples(uc, 60, 12, "de");
        auditSamples(uc, 600, 4, "en");

        var raised = watchdog.checkAll();
        assertThat(raised).filteredOn(a -> a.useCase().equals(uc)).singleElement()
                .satisfies(a -> assertThat(a.segment()).isEqualTo("de"));
        assertThat(scalar("SELECT segment FROM drift_alert WHERE use_case = '" + uc + "'")).isEqualTo("de");
        assertThat(scalar("SELECT payload::text FROM outbox WHERE type = 'DRIFT_DETECTED' AND use_case = '" + uc
                + "'")).contains("\"segment\":\"de\"");
        String scraped = io.restassured.RestAssured.get("/q/metrics").then().extract().asString();
        assertThat(scraped).contains("oversight_drift_segment_alarm{segment=\"de\",use_case=\"" + uc + "\"} 1.0")
                .contains("oversight_drift_segment_alarm{segment=\"en\",use_case=\"" + uc + "\"} 0.0")
                .contains("oversight_drift_alarm{use_case=\"" + uc + "\"} 0.0");

        // The oversight figures show the same split.
        io.restassured.path.json.JsonPath figures = json().get("/v1/use-cases/{u}/oversight", uc).then()
                .statusCode(200).extract().jsonPath();
        assertThat(figures.getList("segments.segment")).containsExactly("en", "de");
        assertThat(figures.getDouble("segments.find { it.segment == 'de' }.underEscalation.estimate"))
                .isCloseTo(0.2, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(figures.getLong("segments.find { it.segment == 'en' }.volume")).isEqualTo(600);
    }

    /** n audit-sampled decisions routed now, k of them found wrong by reviewers (labels at weight 1/2%). */
    private void auditSamples(String uc, int n, int wrong) throws Exception {
        auditSamples(uc, n, wrong, null);
    }

    /** As above, the decisions in {@code segment} (null: none). */
    private void auditSamples(String uc, int n, int wrong, String segment) throws Exception {
        try (Connection c = db.getConnection()) {
            for (int i = 0; i < n; i++) {
                UUID id = UUID.randomUUID();
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO decision (id, use_case, owner, model_version,"
                        + " request_hash, route, status, raw_confidence, reasons, policy_version, calibrator_version,"
                        + " required_reviews, output, created_at, decided_at, segment) VALUES (?, ?, 'seed', 'm1',"
                        + " '\\x00', 'REVIEW', ?, 0.95, '{AUDIT_SAMPLE}', 1, 1, 1, '{}', ?, ?, ?)")) {
                    Timestamp now = Timestamp.from(Instant.now());
                    ps.setObject(1, id);
                    ps.setString(2, uc);
                    ps.setString(3, i < wrong ? "CORRECTED" : "APPROVED");
                    ps.setTimestamp(4, now);
                    ps.setTimestamp(5, now);
                    ps.setString(6, segment);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO label (use_case, model_version, decision_id,"
                        + " confidence, correct, weight, source) VALUES (?, 'm1', ?, 0.95, ?, 50, 'review')")) {
                    ps.setString(1, uc);
                    ps.setObject(2, id);
                    ps.setBoolean(3, i >= wrong);
                    ps.executeUpdate();
                }
            }
        }
    }

    private String scalar(String sql) throws Exception {
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

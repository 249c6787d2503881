package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.json;
import static dev.oversight.routing.api.Api.putPolicy;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.oversight.common.testing.PostgresResource;
import dev.oversight.routing.calibration.service.Recalibrator;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Recalibration on the policy's schedule: on the window's labels, activated only when allowed, certified and
 * tightening (a machine never loosens oversight: a refit that would release more waits for people).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RecalibrationScheduleTest {

    @Inject
    AgroalDataSource db;

    @Inject
    Recalibrator recalibrator;

    private static String policy(boolean autoActivate) {
        return "{\"targetErrorRate\":0.05,\"recalibration\":{\"every\":\"PT6H\",\"window\":\"P30D\",\"method\":\"platt\","
                + "\"autoActivate\":" + autoActivate + "}}";
    }

    @Test
    void aDueRefit_onTheWindowsLabels_isActivatedWhenAllowedCertifiedAndTightening_andWaitsOtherwise() throws Exception {
        String auto = uniqueUseCase("recal-auto");
        putPolicy(auto, policy(true)).then().statusCode(201);
        json().get("/v1/use-cases/{u}", auto).then()
                .body("activePolicy.policy.recalibration.every", equalTo("PT6H"))
                .body("activePolicy.policy.recalibration.window", equalTo("PT720H"));
        String manual = uniqueUseCase("recal-manual");
        putPolicy(manual, policy(false)).then().statusCode(201);
        String starved = uniqueUseCase("recal-starved");
        putPolicy(starved, policy(true)).then().statusCode(201);
        Instant now = Instant.now();
        for (String uc : List.of(auto, manual)) {
            labels(uc, 3000, now.minus(1, ChronoUnit.DAYS), true);
            // Outside the window, and all wrong: a refit that read them would be a different calibrator.
            labels(uc, 500, now.minus(60, ChronoUnit.DAYS), false);
        }
        labels(starved, 5, now.minus(1, ChronoUnit.DAYS), true);

        List<Recalibrator.Run> runs = recalibrator.runDue(now);
        // The first refit would release outputs where nothing was released before: it waits for a person.
        assertThat(runs).filteredOn(r -> r.useCase().equals(auto)).singleElement()
                .satisfies(r -> assertThat(r.activated()).as(r.outcome()).isFalse())
                .satisfies(r -> assertThat(r.outcome()).contains("waits for people", "releaseCut"))
                .satisfies(r -> assertThat(r.version()).isEqualTo(2));
        json().get("/v1/use-cases/{u}", auto).then().body("calibratorVersion", equalTo(1))
                .body("pendingRecalibration", equalTo(2));
        json().post("/v1/use-cases/{u}/calibrations/2/activate", auto).then().statusCode(200);
        json().get("/v1/use-cases/{u}", auto).then().body("calibratorVersion", equalTo(2))
                .body("pendingRecalibration", nullValue());
        json().get("/v1/use-cases/{u}/calibrations/2", auto).then().body("n", equalTo(3000))
                .body("method", equalTo("platt"));

        assertThat(runs).filteredOn(r -> r.useCase().equals(manual)).singleElement()
                .satisfies(r -> assertThat(r.activated()).isFalse());
        json().get("/v1/use-cases/{u}", manual).then().body("calibratorVersion", equalTo(1))
                .body("pendingRecalibration", equalTo(2));
        assertThat(io.restassured.RestAssured.get("/q/metrics").then().extract().asString())
                .contains("oversight_recalibration_pending{use_case=\"" + manual + "\"} 1.0");

        assertThat(runs).filteredOn(r -> r.useCase().equals(starved)).singleElement()
                .satisfies(r -> assertThat(r.version()).isNull())
                .satisfies(r -> assertThat(r.outcome()).startsWith("not refitted"));
        assertThat(scalar("SELECT outcome FROM recalibration_run WHERE use_case = '" + starved + "'"))
                .startsWith("not refitted");

        // Not due again for six hours; then due, and the same labels give the same cut: not looser, so it applies.
        assertThat(recalibrator.runDue(now.plus(1, ChronoUnit.HOURS))).noneMatch(r -> r.useCase().equals(auto));
        assertThat(recalibrator.runDue(now.plus(7, ChronoUnit.HOURS))).filteredOn(r -> r.useCase().equals(auto))
                .singleElement().satisfies(r -> assertThat(r.version()).isEqualTo(3))
                .satisfies(r -> assertThat(r.activated()).as(r.outcome()).isTrue());
        json().get("/v1/use-cases/{u}", auto).then().body("calibratorVersion", equalTo(3));
    }

    @Test
    void aBadSchedule_is400() {
        String uc = uniqueUseCase("recal-bad");
        putPolicy(uc, "{\"recalibration\":{\"every\":\"often\",\"window\":\"P30D\"}}").then().statusCode(400);
        putPolicy(uc, "{\"recalibration\":{\"every\":\"PT5M\",\"window\":\"P30D\"}}").then().statusCode(400)
                .body("errors[0].field", equalTo("recalibration.every"));
        putPolicy(uc, "{\"recalibration\":{\"window\":\"P30D\"}}").then().statusCode(400);
    }

    /** Labels that a good model earns: always right above 0.8 confidence, 60% of the time below. */
    private void labels(String uc, int n, Instant at, boolean honest) throws Exception {
        SplittableRandom rnd = new SplittableRandom(uc.hashCode());
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO label (use_case,"
                + " model_version, confidence, correct, weight, source, created_at) VALUES (?, 'm1', ?, ?, 1, 'import', ?)")) {
            for (int i = 0; i < n; i++) {
                double conf = 0.5 + 0.5 * rnd.nextDouble();
                boolean correct = honest && (conf > 0.8 || rnd.nextDouble() < 0.6);
                ps.setString(1, uc);
                ps.setDouble(2, conf);
                ps.setBoolean(3, correct);
                ps.setTimestamp(4, Timestamp.from(at));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private String scalar(String sql) throws Exception {
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

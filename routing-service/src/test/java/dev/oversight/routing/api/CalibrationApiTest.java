package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.json;
import static dev.oversight.routing.api.Api.putPolicy;
import static dev.oversight.routing.api.Api.route;
import static dev.oversight.routing.api.Api.routeBody;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import dev.oversight.common.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class CalibrationApiTest {

    @Inject
    AgroalDataSource db;

    private String uc;

    @BeforeEach
    void useCase() {
        uc = uniqueUseCase("calib");
        putPolicy(uc, "{\"threshold\":null,\"auditSampleRate\":0,\"targetErrorRate\":0.1,\"delta\":0.1}")
                .then().statusCode(201);
    }

    /** Scores of 0.9 and more are right 98% of the time; below, the model is overconfident (right with s⁴). */
    private void importLabels(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            double s = 0.5 + 0.5 * r.nextDouble();
            boolean correct = r.nextDouble() < (s >= 0.9 ? 0.98 : Math.pow(s, 4));
            body.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"useCase\":\"%s\",\"modelVersion\":\"m1\",\"confidence\":%.6f,\"correct\":%b}", uc, s, correct));
        }
        json().body(body.append("]").toString()).post("/v1/labels").then().statusCode(200)
                .body("accepted", equalTo(n));
    }

    @Test
    void importFitActivate_andTheNextRouteUsesTheNewCalibratorAndThreshold() throws Exception {
        // Before any fit: identity calibration and no threshold, so everything is reviewed.
        route(routeBody(uc, 0.99, null)).then().body("route", equalTo("REVIEW"))
                .body("reasons", contains("LOW_CONFIDENCE")).body("calibratorVersion", equalTo(1));

        importLabels(4000, 42);
        for (String method : new String[] {"identity", "platt", "platt-logit", "beta", "isotonic", "histogram", "temperature", "auto"}) {
            json().body("{\"method\":\"" + method + "\"}").post("/v1/use-cases/{u}/calibrations", uc).then().log().ifValidationFails()
                    .statusCode(201)
                    .body("n", equalTo(4000))
                    // Fitted on every label; every figure out-of-fold (5-fold cross-validation).
                    .body("folds", equalTo(5))
                    .body("ece", notNullValue())
                    .body("eceInterval", hasSize(2))
                    .body("eceEqualMassInterval", hasSize(2))
                    .body("riskCoverage", hasSize(10))
                    .body("thresholds.size()", org.hamcrest.Matchers.greaterThan(3))
                    .body("brier", notNullValue())
                    .body("logLoss", notNullValue())
                    .body("reliability", hasSize(15))
                    .body("expectedAutomationRate", notNullValue())
                    .body("active", equalTo(false));
        }

        // Scores crowded near 1 with a sharp change in accuracy: Platt on logit(score) fits them (auto would pick it
        // by cross-validated log loss); Platt on the raw score cannot bend that fast.
        JsonPath platt = json().body("{\"method\":\"platt-logit\",\"activate\":true}")
                .post("/v1/use-cases/{u}/calibrations", uc).then().statusCode(201)
                .body("method", equalTo("platt-logit"))
                .body("active", equalTo(true))
                .body("targetErrorRate", equalTo(0.1f))
                .extract().jsonPath();
        int version = platt.getInt("version");
        Float threshold = platt.get("selectedThreshold");
        assertThat(platt.getDouble("selectedRawCut")).as("the certified raw-score cut").isBetween(0.5, 1.0);
        assertThat(threshold).as("a threshold is found for 4000 labels").isNotNull();
        assertThat(platt.getDouble("errorRateUpperBound")).isLessThanOrEqualTo(0.1);
        assertThat(platt.getDouble("ece")).isLessThan(0.05);

        JsonPath decision = route(routeBody(uc, 0.999, null)).then().statusCode(200).extract().jsonPath();
        assertThat(decision.getInt("calibratorVersion")).isEqualTo(version);
        assertThat(decision.getDouble("threshold")).isCloseTo(threshold, within(1e-6));
        // Right 98% of the time at 0.999, 24% at 0.7: the fitted map pulls overconfident scores down.
        assertThat(decision.getDouble("calibratedConfidence")).isGreaterThan(0.9);
        assertThat(decision.getString("route")).isEqualTo("RELEASE");
        JsonPath low = route(routeBody(uc, 0.7, null)).then().extract().jsonPath();
        assertThat(low.getDouble("calibratedConfidence")).isLessThan(0.5);
        assertThat(low.getString("route")).isEqualTo("REVIEW");

        assertThat(outbox("CALIBRATOR_ACTIVATED")).isEqualTo(1);
        json().get("/v1/use-cases/{u}", uc).then().body("calibratorVersion", equalTo(version))
                .body("calibratorMethod", equalTo("platt-logit"));

        // Re-activating the identity (version 1) swaps back at once.
        json().post("/v1/use-cases/{u}/calibrations/1/activate", uc).then().statusCode(200).body("active", equalTo(true));
        route(routeBody(uc, 0.999, null)).then().body("calibratorVersion", equalTo(1));
        json().post("/v1/use-cases/{u}/calibrations/1/activate", uc).then().statusCode(200);
        assertThat(outbox("CALIBRATOR_ACTIVATED")).isEqualTo(2);

        json().queryParam("limit", 3).get("/v1/use-cases/{u}/calibrations", uc).then().statusCode(200)
                .body("items", hasSize(3)).body("items[0].version", equalTo(version))
                .body("nextCursor", notNullValue());
        json().get("/v1/use-cases/{u}/calibrations/{v}", uc, version).then().statusCode(200)
                .body("method", equalTo("platt-logit")).body("params.a", notNullValue());
    }

    @Test
    void temperatureScaling_usesTheWholeDistribution_fromImportToRoute() {
        SplittableRandom r = new SplittableRandom(5);
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 2000; i++) {
            double a = r.nextGaussian() * 1.5;
            double b = r.nextGaussian() * 1.5;
            double c = r.nextGaussian() * 1.5;
            double[] reported = softmax3(a, b, c, 2.0);
            double[] truth = softmax3(a, b, c, 1.0);
            int top = reported[0] >= reported[1] && reported[0] >= reported[2] ? 0 : reported[1] >= reported[2] ? 1 : 2;
            body.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "{\"useCase\":\"%s\",\"modelVersion\":\"m1\","
                    + "\"confidence\":%.6f,\"correct\":%b,\"probabilities\":{\"a\":%.6f,\"b\":%.6f,\"c\":%.6f}}",
                    uc, reported[top], r.nextDouble() < truth[top], reported[0], reported[1], reported[2]));
        }
        json().body(body.append("]").toString()).post("/v1/labels").then().statusCode(200);
        double t = json().body("{\"method\":\"temperature\",\"activate\":true}").post("/v1/use-cases/{u}/calibrations", uc)
                .then().statusCode(201).extract().jsonPath().getDouble("params.t");
        assertThat(t).isBetween(1.6, 2.4);
        double[] reported = softmax3(2.0, 0.5, -1.0, 2.0);
        double expected = softmax3(2.0 / t, 0.5 / t, -1.0 / t, 2.0)[0];
        double calibrated = route(String.format(Locale.ROOT, "{\"useCase\":\"%s\",\"modelVersion\":\"m1\",\"output\":\"a\","
                + "\"probabilities\":{\"a\":%.9f,\"b\":%.9f,\"c\":%.9f}}", uc, reported[0], reported[1], reported[2]))
                .then().statusCode(200).extract().jsonPath().getDouble("calibratedConfidence");
        assertThat(calibrated).isCloseTo(expected, within(1e-6));
    }

    private static double[] softmax3(double a, double b, double c, double scale) {
        double m = Math.max(a, Math.max(b, c)) * scale;
        double ea = Math.exp(a * scale - m);
        double eb = Math.exp(b * scale - m);
        double ec = Math.exp(c * scale - m);
        double sum = ea + eb + ec;
        return new double[] {ea / sum, eb / sum, ec / sum};
    }

    @Test
    void decisionLabels_weighAuditSamplesByTheInverseSamplingRate() throws Exception {
        putPolicy(uc, "{\"threshold\":0.5,\"auditSampleRate\":0.25}").then().statusCode(200);
        String sampled = null;
        String reviewed = route(routeBody(uc, 0.2, null)).then().extract().path("decisionId");
        for (int i = 0; sampled == null && i < 200; i++) {
            JsonPath d = route(routeBody(uc, 0.9, null).replace("}", ",\"idempotencyKey\":\"s" + i + "\"}")
                    .replace("},\"idempotencyKey\"", ",\"idempotencyKey\"")).then().extract().jsonPath();
            if (d.getList("reasons").equals(java.util.List.of("AUDIT_SAMPLE"))) {
                sampled = d.getString("decisionId");
            }
        }
        assertThat(sampled).as("some key is audit-sampled at 25%").isNotNull();
        json().body("[{\"decisionId\":\"" + sampled + "\",\"correct\":true,\"source\":\"review\"},"
                + "{\"decisionId\":\"" + reviewed + "\",\"correct\":false}]").post("/v1/labels").then()
                .statusCode(200).body("accepted", equalTo(2));
        assertThat(weight(sampled)).isEqualTo(4.0);
        assertThat(weight(reviewed)).isEqualTo(1.0);
        // A later verdict replaces the label rather than adding one.
        json().body("[{\"decisionId\":\"" + reviewed + "\",\"correct\":true}]").post("/v1/labels").then().statusCode(200);
        assertThat(labels()).isEqualTo(2);
    }

    @Test
    void badLabelsAndFits_areProblems_andStoreNothing() throws Exception {
        String ok = "{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"confidence\":0.5,\"correct\":true}";
        String[] bad = {
            "[]", "{}", "[" + ok + ",{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"confidence\":0.5}]",
            "[" + ok + ",{\"decisionId\":\"01234567-89ab-7def-8123-456789abcdef\",\"correct\":true}]",
            "[{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"confidence\":1.5,\"correct\":true}]",
            "[{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"confidence\":0.5,\"correct\":true,\"weight\":0}]",
            "[{\"useCase\":\"" + uc + "\",\"correct\":true}]",
            "[{\"useCase\":\"nobody-has-this\",\"modelVersion\":\"m1\",\"confidence\":0.5,\"correct\":true}]",
            "[{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"confidence\":\"0.5\",\"correct\":true}]",
        };
        for (String body : bad) {
            int status = json().body(body).post("/v1/labels").then().contentType("application/problem+json")
                    .extract().statusCode();
            assertThat(status).as(body).isBetween(400, 404);
        }
        assertThat(labels()).isZero();

        json().body("[" + ok + "]").post("/v1/labels").then().statusCode(200);
        json().body("{\"method\":\"platt\"}").post("/v1/use-cases/{u}/calibrations", uc).then().statusCode(422)
                .contentType("application/problem+json");
        json().body("{\"method\":\"magic\"}").post("/v1/use-cases/{u}/calibrations", uc).then().statusCode(400);
        json().body("{\"method\":\"platt\",\"costReview\":5}").post("/v1/use-cases/{u}/calibrations", uc)
                .then().statusCode(400);
        json().body("{\"method\":\"platt\"}").post("/v1/use-cases/{u}/calibrations", "nobody-has-this")
                .then().statusCode(404);
        json().post("/v1/use-cases/{u}/calibrations/99/activate", uc).then().statusCode(404);
        json().get("/v1/use-cases/{u}/calibrations/99", uc).then().statusCode(404);
        json().get("/v1/use-cases/{u}", uc).then().body("calibratorVersion", equalTo(1));
    }

    private double weight(String decisionId) throws Exception {
        return scalar("SELECT weight FROM label WHERE decision_id = '" + decisionId + "'");
    }

    private long labels() throws Exception {
        return (long) scalar("SELECT count(*) FROM label WHERE use_case = '" + uc + "'");
    }

    private long outbox(String type) throws Exception {
        return (long) scalar("SELECT count(*) FROM outbox WHERE use_case = '" + uc + "' AND type = '" + type + "'");
    }

    private double scalar(String sql) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            return rs.getDouble(1);
        }
    }
}

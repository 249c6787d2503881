package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.json;
import static dev.oversight.routing.api.Api.putPolicy;
import static dev.oversight.routing.api.Api.route;
import static dev.oversight.routing.api.Api.routeBody;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.oversight.common.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Several confidence signals per output: policy, route, labels, a multi-logistic fit and routing on it. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SignalsApiTest {

    private static final String SIGNALS = "\"signals\":[{\"name\":\"meanLogprob\"},"
            + "{\"name\":\"agreement\",\"transform\":\"logit\"},{\"name\":\"judge\",\"transform\":\"logit\"}]";

    @Inject
    AgroalDataSource db;

    private String uc;

    @BeforeEach
    void useCase() {
        uc = uniqueUseCase("signals");
        putPolicy(uc, "{\"threshold\":null,\"auditSampleRate\":0,\"targetErrorRate\":0.1,\"delta\":0.1," + SIGNALS
                + "}").then().statusCode(201);
    }

    private static String signals(double meanLogprob, double agreement, double judge) {
        return String.format(Locale.ROOT, "{\"meanLogprob\":%.6f,\"agreement\":%.6f,\"judge\":%.6f}", meanLogprob,
                agreement, judge);
    }

    private String routeSignals(String signals) {
        return "{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"output\":{\"answer\":42},\"signals\":" + signals
                + "}";
    }

    /**
     * A latent quality z decides correctness (P = σ(2z)); each signal sees z through its own noise, so each alone is
     * weakly informative and together they say more.
     */
    private void importLabels(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            double z = r.nextGaussian();
            boolean correct = r.nextDouble() < 1 / (1 + Math.exp(-2 * z));
            double meanLogprob = -1 + 0.3 * (z + 1.5 * r.nextGaussian());
            double agreement = 1 / (1 + Math.exp(-(z + 1.5 * r.nextGaussian())));
            double judge = 1 / (1 + Math.exp(-(z + 1.5 * r.nextGaussian())));
            body.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"useCase\":\"%s\",\"modelVersion\":\"m1\",\"signals\":%s,\"correct\":%b,"
                            + "\"attributes\":{\"language\":\"%s\"}}",
                    uc, signals(meanLogprob, agreement, judge), correct, i % 2 == 0 ? "en" : "de"));
        }
        json().body(body.append("]").toString()).post("/v1/labels").then().statusCode(200)
                .body("accepted", equalTo(n));
    }

    @Test
    void signalsOnly_areReviewedUntilACalibratorReadsThem_thenRouteOnTheCombinedScore() throws Exception {
        JsonPath before = route(routeSignals(signals(-0.5, 0.9, 0.9))).then().statusCode(200)
                .body("route", equalTo("REVIEW"))
                .body("reasons", contains("SIGNALS_NOT_CALIBRATED"))
                .body("rawConfidence", nullValue())
                .body("calibratedConfidence", nullValue())
                .extract().jsonPath();
        json().get("/v1/decisions/{id}", before.getString("decisionId")).then().statusCode(200)
                .body("signals.agreement", equalTo(0.9f));

        // Labels with a confidence only are not labels of these signals.
        json().body("[{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"confidence\":0.9,\"correct\":true,"
                + "\"signals\":{\"meanLogprob\":-1,\"agreement\":0.5,\"judge\":0.5}}]").post("/v1/labels").then()
                .statusCode(200);
        json().body("{\"method\":\"auto\"}").post("/v1/use-cases/{u}/calibrations", uc).then().statusCode(422)
                .body("detail", containsString("labels that carry every signal the policy names (meanLogprob,"
                        + " agreement, judge); there are 1"));
        importLabels(3000, 11);
        // Labels that carry only signals: a single-signal method cannot be fitted on them.
        json().body("{\"method\":\"platt\"}").post("/v1/use-cases/{u}/calibrations", uc).then().statusCode(422)
                .body("detail", containsString("multi-logistic"));
        JsonPath fit = json().body("{\"method\":\"multi-logistic\",\"activate\":true}")
                .post("/v1/use-cases/{u}/calibrations", uc).then().log().ifValidationFails().statusCode(201)
                .body("method", equalTo("multi-logistic"))
                .body("active", equalTo(true))
                .body("weights", hasSize(3))
                .body("weights[1].signal", equalTo("agreement"))
                .body("signals.singles", hasSize(3))
                .extract().jsonPath();
        for (int a = 0; a < 3; a++) {
            // Every signal carries information: each weight's interval lies above 0.
            assertThat(fit.getDouble("weights[" + a + "].lower")).isGreaterThan(0);
            assertThat(fit.getDouble("weights[" + a + "].upper")).isGreaterThan(fit.getDouble("weights[" + a + "].weight"));
            assertThat(fit.getDouble("signals.combined.brier")).as("combined beats signal %d alone out of fold", a)
                    .isLessThan(fit.getDouble("signals.singles[" + a + "].brier"));
        }
        assertThat(fit.getString("signals.best")).isEqualTo("combined");
        // The cut is certified on the half of the labels the calibrator was not fitted on.
        assertThat(fit.getInt("certifiedOn")).isBetween(1500, 1501);
        assertThat(fit.getDouble("errorRateUpperBound")).isLessThanOrEqualTo(0.1);
        double cut = fit.getDouble("selectedRawCut");
        assertThat(fit.getDouble("selectedThreshold")).isEqualTo(cut);

        // auto chooses among what can be fitted: only multi-logistic here.
        json().body("{\"method\":\"auto\"}").post("/v1/use-cases/{u}/calibrations", uc).then().statusCode(201)
                .body("method", equalTo("multi-logistic"));

        JsonPath high = route(routeSignals(signals(-0.1, 0.97, 0.97))).then().statusCode(200)
                .body("route", equalTo("RELEASE")).body("reasons", hasSize(0)).extract().jsonPath();
        assertThat(high.getDouble("calibratedConfidence")).isGreaterThanOrEqualTo(cut);
        assertThat(high.getDouble("threshold")).isEqualTo(cut);
        route(routeSignals(signals(-1.8, 0.1, 0.2))).then().statusCode(200)
                .body("route", equalTo("REVIEW")).body("reasons", contains("LOW_CONFIDENCE"));
        // A confidence sent along is stored, but the cut applies to the combined score.
        route("{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"output\":1,\"confidence\":0.99,\"signals\":"
                + signals(-1.8, 0.1, 0.2) + "}").then().log().ifValidationFails().statusCode(200).body("route", equalTo("REVIEW"))
                .body("rawConfidence", equalTo(0.99f));

        // A decision's label keeps the signals it was routed with.
        String low = route(routeSignals(signals(-1.5, 0.3, 0.4))).then().extract().path("decisionId");
        json().body("[{\"decisionId\":\"" + low + "\",\"correct\":false}]").post("/v1/labels").then().statusCode(200);
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT confidence, signals->>'judge' FROM label"
                     + " WHERE decision_id = ?::uuid")) {
            ps.setString(1, low);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getObject(1)).isNull();
                assertThat(rs.getString(2)).isEqualTo("0.4");
            }
        }
        // The calibration's health reads labels that arrived after the fit through the same signals.
        JsonPath oversight = json().get("/v1/use-cases/{u}/oversight", uc).then().statusCode(200).extract().jsonPath();
        assertThat(oversight.getInt("calibration.labels")).isEqualTo(1);
        assertThat(oversight.getDouble("calibration.ece")).isBetween(0.0, 1.0);
    }

    @Test
    void missingUnknownOrMisplacedSignals_areA400NamingTheField() {
        route(routeSignals("{\"meanLogprob\":-1,\"agreement\":0.5}")).then().statusCode(400)
                .body("detail", containsString("signals.judge"));
        route(routeSignals("{\"meanLogprob\":-1,\"agreement\":0.5,\"judge\":0.5,\"retrieval\":0.3}")).then()
                .statusCode(400).body("detail", containsString("signals.retrieval"));
        route(routeSignals("{\"meanLogprob\":-1,\"agreement\":0.5,\"judge\":null}")).then().statusCode(400)
                .body("detail", containsString("judge"));
        route(routeSignals("{\"meanLogprob\":\"high\",\"agreement\":0.5,\"judge\":0.5}")).then().statusCode(400);
        route(routeSignals("{}")).then().statusCode(400).body("detail", containsString("signals"));
        route("{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"output\":1}").then().statusCode(400)
                .body("detail", containsString("confidence"));

        String plain = uniqueUseCase("nosignals");
        putPolicy(plain, "{}").then().statusCode(201);
        route("{\"useCase\":\"" + plain + "\",\"modelVersion\":\"m1\",\"output\":1,\"signals\":{\"judge\":0.5}}")
                .then().statusCode(400).body("detail", containsString("names no signals"));
        route(routeBody(plain, 0.5, null)).then().statusCode(200);
        json().body("{\"method\":\"multi-logistic\"}").post("/v1/use-cases/{u}/calibrations", plain).then()
                .statusCode(422).body("detail", containsString("names signals"));

        json().body("[{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"correct\":true,\"signals\":"
                + "{\"meanLogprob\":-1,\"agreement\":0.5,\"judge\":0.5,\"other\":1}}]").post("/v1/labels").then()
                .statusCode(400).body("detail", containsString("[0].signals.other"));
        json().body("[{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"correct\":true,\"signals\":"
                + signals(-1, 0.5, 0.5) + ",\"attributes\":[1]}]").post("/v1/labels").then()
                .statusCode(400).body("detail", containsString("[0].attributes"));
        json().body("[{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"correct\":true}]").post("/v1/labels")
                .then().statusCode(400).body("detail", containsString("signals"));

        putPolicy(uc, "{\"signals\":[{\"name\":\"a\"},{\"name\":\"a\"}]}").then().statusCode(400)
                .body("detail", containsString("twice"));
        putPolicy(uc, "{\"signals\":[{\"name\":\"a\",\"transform\":\"sqrt\"}]}").then().statusCode(400)
                .body("detail", containsString("transform"));
        putPolicy(uc, "{\"signals\":[{\"name\":\"9lives\"}]}").then().statusCode(400)
                .body("detail", containsString("name"));
        StringBuilder many = new StringBuilder("{\"signals\":[");
        for (int i = 0; i < 17; i++) {
            many.append(i == 0 ? "" : ",").append("{\"name\":\"s").append(i).append("\"}");
        }
        putPolicy(uc, many.append("]}").toString()).then().statusCode(400).body("detail", containsString("signals"));
        List<Map<String, Object>> stored = json().get("/v1/use-cases/{u}", uc).then().statusCode(200)
                .extract().path("activePolicy.policy.signals");
        assertThat(stored).hasSize(3);
        assertThat(stored.get(1)).containsEntry("transform", "logit");
    }
}

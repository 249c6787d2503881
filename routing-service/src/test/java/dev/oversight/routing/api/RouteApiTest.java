package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.json;
import static dev.oversight.routing.api.Api.putPolicy;
import static dev.oversight.routing.api.Api.route;
import static dev.oversight.routing.api.Api.routeBody;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.oversight.common.testing.PostgresResource;
import dev.oversight.routing.config.service.UseCaseRegistry;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class RouteApiTest {

    private static final String POLICY = "{\"threshold\":0.8,\"auditSampleRate\":0.0,"
            + "\"reviewRules\":[{\"name\":\"high-amount\",\"when\":\"has(attributes.amount) && attributes.amount > 10000\",\"requiredReviews\":2}],"
            + "\"blockRules\":[{\"name\":\"pii\",\"when\":\"has(attributes.pii) && attributes.pii\"}]}";

    @Inject
    AgroalDataSource db;
    @Inject
    UseCaseRegistry registry;

    private String uc;

    @BeforeEach
    void createUseCase() {
        uc = uniqueUseCase("route");
        putPolicy(uc, POLICY).then().statusCode(201);
    }

    @Test
    void confidentOutput_isReleased_andStoredBeforeTheAnswer() throws Exception {
        String id = route(routeBody(uc, 0.93, "{\"amount\":500}")).then().statusCode(200)
                .body("route", equalTo("RELEASE"))
                .body("status", equalTo("RELEASED"))
                .body("reasons", empty())
                .body("rawConfidence", equalTo(0.93f))
                .body("calibratedConfidence", equalTo(0.93f))
                .body("threshold", equalTo(0.8f))
                .body("policyVersion", equalTo(1))
                .body("calibratorVersion", equalTo(1))
                .body("reviewTaskId", nullValue())
                .extract().path("decisionId");
        assertThat(count("id = '" + id + "'")).isEqualTo(1);
        json().get("/v1/decisions/{id}", id).then().statusCode(200)
                .body("decisionId", equalTo(id))
                .body("route", equalTo("RELEASE"))
                .body("output.answer", equalTo(42))
                .body("finalOutput.answer", equalTo(42))
                .body("attributes.amount", equalTo(500))
                .body("verdicts", empty())
                .body("decidedAt", notNullValue())
                .body("links.self", equalTo("/v1/decisions/" + id));
    }

    @Test
    void lowConfidence_goesToReview_withATaskId_andNoFinalOutputYet() {
        String id = route(routeBody(uc, 0.42, null)).then().statusCode(200)
                .body("route", equalTo("REVIEW"))
                .body("status", equalTo("PENDING_REVIEW"))
                .body("reasons", contains("LOW_CONFIDENCE"))
                .body("reviewTaskId", notNullValue())
                .body("requiredReviews", equalTo(1))
                .extract().path("decisionId");
        json().get("/v1/decisions/{id}", id).then().statusCode(200)
                .body("finalOutput", nullValue()).body("decidedAt", nullValue());
    }

    @Test
    void reviewRule_divertsAConfidentOutput_andAsksForMoreReviewers() {
        route(routeBody(uc, 0.99, "{\"amount\":50000}")).then().statusCode(200)
                .body("route", equalTo("REVIEW"))
                .body("reasons", contains("RULE:high-amount"))
                .body("requiredReviews", equalTo(2));
    }

    @Test
    void blockRule_blocks_andAllReasonsAreReported() {
        route(routeBody(uc, 0.5, "{\"amount\":50000,\"pii\":true}")).then().statusCode(200)
                .body("route", equalTo("BLOCK"))
                .body("status", equalTo("BLOCKED"))
                .body("reasons", contains("BLOCK_RULE:pii", "RULE:high-amount", "LOW_CONFIDENCE"));
    }

    @Test
    void ruleThatCannotEvaluate_divertsTheOutput() {
        putPolicy(uc, "{\"threshold\":0.5,\"auditSampleRate\":0,"
                + "\"reviewRules\":[{\"name\":\"unguarded\",\"when\":\"attributes.amount > 10\"}]}").then().statusCode(200);
        route(routeBody(uc, 0.99, "{}")).then().statusCode(200)
                .body("route", equalTo("REVIEW"))
                .body("reasons", contains("RULE:unguarded"));
    }

    @Test
    void auditSampling_reviewsConfidentOutputs_atTheConfiguredRate() {
        putPolicy(uc, "{\"threshold\":0.5,\"auditSampleRate\":1.0}").then().statusCode(200);
        route(routeBody(uc, 0.95, null)).then().statusCode(200)
                .body("route", equalTo("REVIEW"))
                .body("reasons", contains("AUDIT_SAMPLE"))
                .body("policyVersion", equalTo(2));
    }

    @Test
    void probabilities_useTheTopLabel() {
        route("{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"output\":\"cat\","
                + "\"probabilities\":{\"cat\":0.85,\"dog\":0.15}}").then().statusCode(200)
                .body("rawConfidence", equalTo(0.85f))
                .body("route", equalTo("RELEASE"));
    }

    @Test
    void modeSwitch_takesEffectOnTheVeryNextRequest() {
        route(routeBody(uc, 0.99, null)).then().body("route", equalTo("RELEASE"));
        mode("HALT");
        route(routeBody(uc, 0.99, null)).then().body("route", equalTo("BLOCK")).body("reasons", contains("HALTED"));
        mode("REVIEW_ALL");
        route(routeBody(uc, 0.99, null)).then().body("route", equalTo("REVIEW"))
                .body("reasons", contains("REVIEW_ALL_MODE"));
        mode("AUTO");
        route(routeBody(uc, 0.99, null)).then().body("route", equalTo("RELEASE"));
    }

    @Test
    void policyChange_takesEffectOnTheNextRequest_andIsRecordedOnEachDecision() {
        route(routeBody(uc, 0.85, null)).then().body("route", equalTo("RELEASE")).body("policyVersion", equalTo(1));
        putPolicy(uc, "{\"threshold\":0.9,\"auditSampleRate\":0}").then().statusCode(200);
        route(routeBody(uc, 0.85, null)).then().body("route", equalTo("REVIEW")).body("policyVersion", equalTo(2));
    }

    @Test
    void unusableCalibrator_failsClosed() throws Exception {
        // A calibrator version whose method this router cannot build, activated behind the API's back.
        exec("INSERT INTO calibrator (use_case, version, method, params) VALUES ('" + uc + "', 2, 'bogus', '{}')");
        exec("UPDATE use_case SET active_calibrator_version = 2, revision = revision + 1 WHERE name = '" + uc + "'");
        registry.load(uc);
        route(routeBody(uc, 0.99, null)).then().statusCode(200)
                .body("route", equalTo("REVIEW"))
                .body("reasons", contains("INVALID_CALIBRATION"))
                .body("calibratedConfidence", nullValue())
                .body("calibratorVersion", equalTo(2));
    }

    @Test
    void configChangedByAnotherInstance_isPickedUpByTheRefresh() throws Exception {
        route(routeBody(uc, 0.99, null)).then().body("route", equalTo("RELEASE"));
        exec("UPDATE use_case SET mode = 'HALT', revision = revision + 1 WHERE name = '" + uc + "'");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> route(routeBody(uc, 0.99, null)).then().extract().<String>path("route"), "BLOCK"::equals);
    }

    @Test
    void sameIdempotencyKey_returnsTheFirstDecision() throws Exception {
        String body = withKey(routeBody(uc, 0.5, null), "order-1");
        Response first = route(body);
        first.then().statusCode(200).header("Idempotent-Replayed", "false");
        Response second = route(body);
        second.then().statusCode(200).header("Idempotent-Replayed", "true");
        assertThat(second.jsonPath().getString("decisionId")).isEqualTo(first.jsonPath().getString("decisionId"));
        assertThat(second.jsonPath().getString("reviewTaskId")).isEqualTo(first.jsonPath().getString("reviewTaskId"));
        assertThat(count("idempotency_key = 'order-1'")).isEqualTo(1);
    }

    @Test
    void sameIdempotencyKey_underConcurrentDuplicates_yieldsExactlyOneDecision() throws Exception {
        int clients = 40;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            for (int round = 0; round < 5; round++) {
                String body = withKey(routeBody(uc, 0.5, null), "race-" + round);
                List<Callable<String>> calls = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    calls.add(() -> route(body).then().statusCode(200).extract().path("decisionId"));
                }
                Set<String> ids = new HashSet<>();
                for (Future<String> f : pool.invokeAll(calls)) {
                    ids.add(f.get());
                }
                assertThat(ids).hasSize(1);
                assertThat(count("idempotency_key = 'race-" + round + "'")).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reusedIdempotencyKeyWithADifferentRequest_is409() {
        route(withKey(routeBody(uc, 0.5, null), "k-reuse")).then().statusCode(200);
        route(withKey(routeBody(uc, 0.6, null), "k-reuse")).then().statusCode(409)
                .contentType("application/problem+json");
    }

    @Test
    void sameKeyInAnotherUseCase_isAnotherDecision() {
        String other = uniqueUseCase("route-other");
        putPolicy(other, POLICY).then().statusCode(201);
        String a = route(withKey(routeBody(uc, 0.5, null), "shared")).then().extract().path("decisionId");
        String b = route(withKey(routeBody(other, 0.5, null), "shared")).then().extract().path("decisionId");
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void unknownUseCase_is404_andNothingIsStored() throws Exception {
        long before = Api.countDecisions(db);
        route(routeBody("no-such-use-case", 0.9, null)).then().statusCode(404)
                .contentType("application/problem+json");
        assertThat(Api.countDecisions(db)).isEqualTo(before);
    }

    @Test
    void unknownDecision_is404() {
        json().get("/v1/decisions/{id}", "01234567-89ab-7def-8123-456789abcdef").then().statusCode(404)
                .contentType("application/problem+json");
        json().get("/v1/decisions/{id}", "not-a-uuid").then().statusCode(404);
    }

    private void mode(String mode) {
        json().body("{\"mode\":\"" + mode + "\",\"reason\":\"test\"}").post("/v1/use-cases/{u}/mode", uc)
                .then().statusCode(200).body("mode", equalTo(mode));
    }

    private static String withKey(String body, String key) {
        return body.substring(0, body.length() - 1) + ",\"idempotencyKey\":\"" + key + "\"}";
    }

    private long count(String where) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM decision WHERE use_case = ? AND " + where)) {
            ps.setString(1, uc);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void exec(String sql) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.executeUpdate();
        }
    }
}

package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.json;
import static dev.oversight.routing.api.Api.putPolicy;
import static dev.oversight.routing.api.Api.route;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.oversight.common.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An agent's run under review: the steps that led to an output or a tool call go to the reviewers (and as a digest to
 * the audit trail), the reviewers' process judgement comes back to the agent and into the oversight figures.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class TrajectoryApiTest {

    private static final String POLICY = "{\"threshold\":0.8,\"auditSampleRate\":0.0,"
            + "\"tools\":[{\"name\":\"lookup\"},{\"name\":\"refund\",\"route\":\"REVIEW\"}]}";
    private static final String STEPS = "[{\"kind\":\"message\",\"name\":\"user\",\"content\":\"Refund order 17\"},"
            + "{\"kind\":\"reasoning\",\"content\":\"Skip the eligibility check\"},"
            + "{\"kind\":\"tool_call\",\"name\":\"lookup\",\"content\":{\"order\":17}},"
            + "{\"kind\":\"tool_result\",\"name\":\"lookup\",\"content\":{\"paid\":30}}]";

    @Inject
    AgroalDataSource db;

    private String uc;

    @BeforeEach
    void createUseCase() {
        uc = uniqueUseCase("run");
        putPolicy(uc, POLICY).then().statusCode(201);
    }

    private String run(String action, String trajectory, String extra) {
        return "{\"useCase\":\"" + uc + "\",\"modelVersion\":\"agent-1\"," + action + ",\"confidence\":0.95,"
                + "\"trajectory\":" + trajectory + (extra == null ? "" : "," + extra) + "}";
    }

    private static String refund(int amount) {
        return "\"toolCall\":{\"name\":\"refund\",\"arguments\":{\"amount\":" + amount + "}}";
    }

    @Test
    void theStepsGoToTheReviewers_andTheTrailKeepsTheirDigest() throws Exception {
        String id = route(run(refund(30), STEPS, null)).then().statusCode(200).body("route", equalTo("REVIEW"))
                .extract().path("decisionId");
        json().get("/v1/decisions/{id}", id).then().statusCode(200)
                .body("trajectory.kind", contains("message", "reasoning", "tool_call", "tool_result"))
                .body("trajectory[2].content.order", equalTo(17)).body("process", nullValue());
        try (Connection c = db.getConnection()) {
            assertThat(one(c, "SELECT payload::text FROM outbox WHERE destination = 'review' AND subject_id = '" + id
                    + "'")).contains("\"trajectory\":[{").contains("Skip the eligibility check");
            assertThat(one(c, "SELECT payload::text FROM outbox WHERE destination = 'audit' AND subject_id = '" + id
                    + "'")).contains("trajectoryHmac").doesNotContain("eligibility");
        }
        // An output (a finished run to be judged) takes steps as well as a tool call does.
        route(run("\"output\":{\"answer\":\"refunded\"}", STEPS, null)).then().statusCode(200)
                .body("kind", equalTo("OUTPUT"));
    }

    /**
     * The steps are stored (and hashed for idempotency) as the JSON text the router has always written for them: a
     * replay after an upgrade must hash alike. Pins that text for numbers, escapes, non-ASCII text and an absent name.
     */
    @Test
    void theStepsAreStoredInTheTextTheRouterAlwaysWroteForThem() throws Exception {
        String steps = "[{\"kind\":\"message\",\"name\":\"user\",\"content\":{\"price\":1.50,\"big\":1e3,"
                + "\"n\":12345678901234567890,\"neg\":-0.0,\"empty\":{},\"list\":[true,null,\"\\u00e9 \\u2713\"]}},"
                + "{\"kind\":\"reasoning\",\"content\":\"a \\\"quoted\\\"\\nline\\ttab\"}]";
        String id = route(run(refund(2), steps, null)).then().statusCode(200).extract().path("decisionId");
        try (Connection c = db.getConnection()) {
            String stored = one(c, "SELECT trajectory::text FROM decision WHERE id = '" + id + "'");
            assertThat(stored).isEqualTo("[{\"kind\":\"message\","
                    + "\"name\":\"user\",\"content\":{\"price\":1.5,\"big\":1000.0,\"n\":12345678901234567890,\"neg\":-0.0,"
                    + "\"empty\":{},\"list\":[true,null,\"\u00e9 \u2713\"]}},{\"kind\":\"reasoning\",\"content\":"
                    + "\"a \\\"quoted\\\"\\nline\\ttab\"}]");
        }
    }

    @Test
    void badSteps_areProblems_thatNameTheField() {
        route(run(refund(1), "[{\"kind\":\"thought\",\"content\":\"x\"}]", null)).then().statusCode(400)
                .body("errors[0].field", equalTo("trajectory[0].kind"))
                .body("detail", containsString("tool_result"));
        route(run(refund(1), "[{\"kind\":\"message\"}]", null)).then().statusCode(400)
                .body("errors[0].field", equalTo("trajectory[0].content"));
        route(run(refund(1), "[{\"kind\":\"message\",\"content\":\"hi\"},{\"kind\":\"message\",\"content\":null}]",
                null)).then().statusCode(400).body("errors[0].field", equalTo("trajectory[1].content"));
        String many = "[" + String.join(",", java.util.Collections.nCopies(201,
                "{\"kind\":\"message\",\"content\":\"hi\"}")) + "]";
        route(run(refund(1), many, null)).then().statusCode(400).body("errors[0].field", equalTo("trajectory"));
        String big = "[{\"kind\":\"tool_result\",\"content\":\"" + "x".repeat(Integer.valueOf(1 << 20)) + "\"}]";
        route(run(refund(1), big, null)).then().statusCode(400).body("errors[0].field", equalTo("trajectory"))
                .body("detail", containsString("1 MiB"));
    }

    @Test
    void aKeyReusedWithOtherSteps_isAConflict_andTheSameStepsAReplay() {
        String key = "\"idempotencyKey\":\"run-" + UUID.randomUUID() + "\"";
        String first = route(run(refund(3), STEPS, key)).then().statusCode(200).extract().path("decisionId");
        route(run(refund(3), STEPS, key)).then().statusCode(200).body("decisionId", equalTo(first));
        route(run(refund(3), "[{\"kind\":\"message\",\"content\":\"other\"}]", key)).then().statusCode(409);
    }

    @Test
    void theProcessJudgement_goesBackToTheAgent_andIntoTheFigures_withTheToolsPeopleRejected() {
        Instant from = Instant.now().minus(1, ChronoUnit.MINUTES);
        String flawed = route(run(refund(30), STEPS, "\"callbackUrl\":\"http://localhost:9/hook\"")).then()
                .statusCode(200).extract().path("decisionId");
        String sound = route(run(refund(5), STEPS, null)).then().statusCode(200).extract().path("decisionId");
        String rejected = route(run(refund(900), STEPS, null)).then().statusCode(200).extract().path("decisionId");
        String unjudged = route(run("\"toolCall\":{\"name\":\"lookup\",\"arguments\":{}},\"confidence\":0.1",
                "[]", null).replace(",\"confidence\":0.95", "")).then().statusCode(200)
                .body("route", equalTo("REVIEW")).extract().path("decisionId");

        outcome(flawed, "APPROVE", "{\"reviewer\":\"rita\",\"verdict\":\"APPROVE\",\"process\":\"FLAWED\","
                + "\"steps\":[{\"index\":1,\"verdict\":\"WRONG\",\"note\":\"no eligibility check\"}]}");
        outcome(sound, "APPROVE", "{\"reviewer\":\"rita\",\"verdict\":\"APPROVE\",\"process\":\"SOUND\"}");
        outcome(rejected, "REJECT", "{\"reviewer\":\"rita\",\"verdict\":\"REJECT\",\"rationale\":\"too much\","
                + "\"process\":\"SOUND\"}");
        outcome(unjudged, "APPROVE", "{\"reviewer\":\"rita\",\"verdict\":\"APPROVE\"}");

        json().get("/v1/decisions/{id}", flawed).then().statusCode(200)
                .body("status", equalTo("APPROVED")).body("process", equalTo("FLAWED"))
                .body("verdicts[0].steps[0].verdict", equalTo("WRONG"));
        json().get("/v1/decisions/{id}", sound).then().statusCode(200).body("process", equalTo("SOUND"));
        json().get("/v1/decisions/{id}", unjudged).then().statusCode(200).body("process", nullValue())
                .body("trajectory", nullValue());

        JsonPath r = json().queryParam("from", from.toString())
                .queryParam("to", Instant.now().plus(1, ChronoUnit.MINUTES).toString())
                .get("/v1/use-cases/{u}/oversight", uc).then().statusCode(200).extract().jsonPath();
        // Three runs had their process judged (the fourth had no steps); one was flawed.
        assertThat(r.getLong("processFlawRate.n")).isEqualTo(3);
        assertThat(r.getDouble("processFlawRate.estimate")).isCloseTo(1 / 3.0, within(1e-6));
        assertThat(r.getDouble("processFlawRate.lower")).isLessThan(1 / 3.0);
        assertThat(r.getDouble("processFlawRate.upper")).isGreaterThan(1 / 3.0);
        assertThat(r.getList("tools.tool")).containsExactly("refund", "lookup");
        assertThat(r.getLong("tools[0].reviewed")).isEqualTo(3);
        assertThat(r.getLong("tools[0].rejected")).isEqualTo(1);
        assertThat(r.getLong("tools[0].corrected")).isZero();
    }

    private static void outcome(String decisionId, String verdict, String verdictJson) {
        String body = "[{\"eventId\":\"" + UUID.randomUUID() + "\",\"decisionId\":\"" + decisionId + "\",\"taskId\":\""
                + UUID.randomUUID() + "\",\"verdict\":\"" + verdict + "\",\"correct\":" + verdict.equals("APPROVE")
                + ",\"timedOut\":false,\"decidedBy\":\"rita\",\"decidedAt\":\"" + Instant.now() + "\","
                + "\"finalOutput\":null,\"verdicts\":[" + verdictJson + "]}]";
        json().body(body).post("/v1/outcomes").then().statusCode(200);
    }

    private static String one(Connection c, String sql) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}

package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.json;
import static dev.oversight.routing.api.Api.putPolicy;
import static dev.oversight.routing.api.Api.route;
import static dev.oversight.routing.api.Api.routeBody;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.oversight.common.testing.PostgresResource;
import dev.oversight.routing.decide.service.DecisionWaiters;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a decision writes for the other services, and what the review service's final outcome does to it. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class OutcomeApiTest {

    @Inject
    AgroalDataSource db;

    @Inject
    DecisionWaiters waiters;

    private String uc;

    @BeforeEach
    void createUseCase() {
        uc = uniqueUseCase("outcome");
        putPolicy(uc, "{\"threshold\":0.8,\"auditSampleRate\":0.0,\"reviewSlaSeconds\":3600,\"blindReview\":true}")
                .then().statusCode(201);
    }

    @Test
    void aDecision_writesItsAuditEventAndTaskRequest_inItsOwnTransaction_onceEvenWhenReplayed() throws Exception {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        String body = with(routeBody(uc, 0.4, null), "\"idempotencyKey\":\"k1\"");
        String id = json().header("traceparent", "00-" + trace + "-00f067aa0ba902b7-01").body(body)
                .post("/v1/route").then().statusCode(200).body("route", equalTo("REVIEW")).extract().path("decisionId");
        route(body).then().statusCode(200).header("Idempotent-Replayed", "true");
        String released = route(routeBody(uc, 0.95, null)).then().body("route", equalTo("RELEASE"))
                .extract().path("decisionId");

        assertThat(scalar("SELECT count(*) FROM outbox WHERE subject_id = '" + id + "'")).isEqualTo("2");
        assertThat(scalar("SELECT payload->>'outputHmac' FROM outbox WHERE destination = 'audit'"
                + " AND type = 'DECISION_MADE' AND subject_id = '" + id + "'")).matches("[0-9a-f]{64}");
        assertThat(scalar("SELECT traceparent FROM outbox WHERE destination = 'audit' AND subject_id = '" + id + "'"))
                .startsWith("00-" + trace + "-");
        String task = "SELECT payload FROM outbox WHERE destination = 'review' AND type = 'TASK_REQUESTED'"
                + " AND subject_id = '" + id + "'";
        assertThat(scalar(task)).contains("\"blindReview\":true", "\"slaSeconds\":3600", "\"priority\":50",
                "\"onReviewTimeout\":\"HOLD\"", "\"output\":{\"answer\":42}", "\"traceparent\":\"00-" + trace);
        assertThat(scalar("SELECT count(*) FROM outbox WHERE subject_id = '" + released + "'")).isEqualTo("1");
    }

    @Test
    void anOutcome_finalizesTheDecision_labelsIt_andQueuesTheCallback_once() throws Exception {
        String id = route(with(routeBody(uc, 0.4, null), "\"callbackUrl\":\"http://localhost:9/hook\""))
                .then().statusCode(200).extract().path("decisionId");
        json().get("/v1/decisions/{id}", id).then().body("status", equalTo("PENDING_REVIEW"))
                .body("callback.status", equalTo("PENDING")).body("callback.attempts", equalTo(0));
        UUID event = UUID.randomUUID();
        String outcome = outcome(event, id, "CORRECT", false, "{\"answer\":41}");
        json().body(outcome).post("/v1/outcomes").then().statusCode(200)
                .body("items.result", contains("APPLIED"));
        json().body(outcome).post("/v1/outcomes").then().statusCode(200)
                .body("items.result", contains("DUPLICATE"));
        json().get("/v1/decisions/{id}", id).then().statusCode(200)
                .body("status", equalTo("CORRECTED"))
                .body("finalOutput.answer", equalTo(41))
                .body("verdicts[0].reviewer", equalTo("ann"))
                .body("decidedAt", equalTo("2026-11-23T10:15:30Z"));
        assertThat(scalar("SELECT count(*) || ':' || bool_and(NOT correct) || ':' || min(source) FROM label"
                + " WHERE decision_id = '" + id + "'")).isEqualTo("1:true:review");
        assertThat(scalar("SELECT count(*) FROM outbox WHERE destination = 'callback' AND subject_id = '" + id
                + "' AND target_url = 'http://localhost:9/hook' AND actor = 'test-operator' AND payload->>'status' = 'CORRECTED'"
                + " AND payload->>'eventId' = '" + event + "'")).isEqualTo("1");
    }

    /** Batched inserts go to the database as multi-row statements, in which a row may not be updated twice. */
    @Test
    void twoLabelsForOneDecisionInOneBatch_theLastCounts() throws Exception {
        String id = route(routeBody(uc, 0.4, null)).then().statusCode(200).extract().path("decisionId");
        json().body("[{\"decisionId\":\"" + id + "\",\"correct\":true,\"source\":\"first\"},"
                        + "{\"decisionId\":\"" + id + "\",\"correct\":false,\"source\":\"second\"}]")
                .post("/v1/labels").then().statusCode(200).body("accepted", equalTo(2));
        assertThat(scalar("SELECT count(*) || ':' || bool_and(correct) || ':' || min(source) FROM label"
                + " WHERE decision_id = '" + id + "'")).isEqualTo("1:false:second");
    }

    @Test
    void aTimedOutReview_expiresTheDecision_withoutALabel_andUnknownDecisionsAreAcknowledged() throws Exception {
        String id = route(routeBody(uc, 0.4, null)).then().extract().path("decisionId");
        String unknown = UUID.randomUUID().toString();
        json().body("[" + outcome(UUID.randomUUID(), id, "REJECT", true, null).replaceAll("^\\[|\\]$", "") + ","
                        + outcome(UUID.randomUUID(), unknown, "APPROVE", false, null).replaceAll("^\\[|\\]$", "") + "]")
                .post("/v1/outcomes").then().statusCode(200)
                .body("items.result", contains("APPLIED", "UNKNOWN_DECISION"));
        json().get("/v1/decisions/{id}", id).then().body("status", equalTo("EXPIRED")).body("finalOutput", nullValue());
        assertThat(scalar("SELECT count(*) FROM label WHERE decision_id = '" + id + "'")).isEqualTo("0");
    }

    @Test
    void longPoll_answersWhenTheOutcomeArrives_orWhenTheWaitIsOver() throws Exception {
        String id = route(routeBody(uc, 0.4, null)).then().extract().path("decisionId");
        long started = System.nanoTime();
        json().get("/v1/decisions/{id}?waitSeconds=1", id).then().statusCode(200)
                .body("status", equalTo("PENDING_REVIEW"));
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(900);

        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(
                () -> json().get("/v1/decisions/{id}?waitSeconds=30", id));
        await().atMost(Duration.ofSeconds(10)).until(() -> waiters.waitingOn(UUID.fromString(id)) == 1);
        assertThat(waiting).as("the long poll waits for the outcome").isNotDone();
        json().body(outcome(UUID.randomUUID(), id, "APPROVE", false, "{\"answer\":42}")).post("/v1/outcomes")
                .then().statusCode(200);
        waiting.get().then().statusCode(200).body("status", equalTo("APPROVED"));

        json().get("/v1/decisions/{id}?waitSeconds=61", id).then().statusCode(400);
        json().get("/v1/decisions/{id}?waitSeconds=-1", id).then().statusCode(400);
    }

    @Test
    void outcomes_rejectBadInput() {
        json().body("[]").post("/v1/outcomes").then().statusCode(400);
        json().body("[{\"eventId\":\"" + UUID.randomUUID() + "\"}]").post("/v1/outcomes").then().statusCode(400)
                .contentType("application/problem+json");
        json().body(outcome(UUID.randomUUID(), UUID.randomUUID().toString(), "MAYBE", false, null))
                .post("/v1/outcomes").then().statusCode(400);
    }

    private static String outcome(UUID eventId, String decisionId, String verdict, boolean timedOut, String finalOutput) {
        return "[{\"eventId\":\"" + eventId + "\",\"decisionId\":\"" + decisionId + "\",\"taskId\":\"" + UUID.randomUUID()
                + "\",\"verdict\":\"" + verdict + "\",\"correct\":" + "APPROVE".equals(verdict) + ",\"timedOut\":" + timedOut
                + ",\"decidedBy\":\"ann\",\"decidedAt\":\"2026-11-23T10:15:30Z\",\"finalOutput\":" + finalOutput
                + ",\"verdicts\":[{\"reviewer\":\"ann\",\"verdict\":\"" + verdict + "\",\"rationale\":\"r\"}]}]";
    }

    private static String with(String body, String field) {
        return body.substring(0, body.length() - 1) + "," + field + "}";
    }

    private String scalar(String sql) throws Exception {
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

package dev.oversight.review.rest;

import static dev.oversight.review.rest.Review.claim;
import static dev.oversight.review.rest.Review.claimToken;
import static dev.oversight.review.rest.Review.newTask;
import static dev.oversight.review.rest.Review.reviewer;
import static dev.oversight.review.rest.Review.senior;
import static dev.oversight.review.rest.Review.task;
import static dev.oversight.review.rest.Review.uniqueUseCase;
import static dev.oversight.review.rest.Review.verdict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import dev.oversight.common.testing.PostgresResource;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The review queue's promises at their edges, each of which failed before its fix. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class QueueEdgesTest {

    private static final Set<String> DERIVED_FROM_ROUTING = Set.of("rawConfidence", "calibratedConfidence", "reasons",
            "priority", "requiredReviews", "verdictsSubmitted");

    private static final String HELD_AT_TIMEOUT = "\"onReviewTimeout\":\"HOLD\",\"slaSeconds\":60";

    @Inject
    AgroalDataSource db;

    @Inject
    dev.oversight.review.service.SlaSweeper sla;

    @Test
    void aReviewerWhoJudgedATask_neverAdjudicatesItsDisagreement() {
        String uc = uniqueUseCase("own-dispute");
        String id = newTask(uc, 2, null);
        verdict(senior("sid"), id, claimToken(senior("sid"), id), "APPROVE", null).then().statusCode(200);
        String adjudication = verdict(reviewer("ron"), id, claimToken("ron", id), "REJECT", "\"rationale\":\"no\"")
                .then().statusCode(200).extract().path("adjudicationTaskId");
        senior("sid").body("{\"useCase\":\"" + uc + "\"}").post("/v1/tasks/claim-next").then().statusCode(204);
        senior("sid").post("/v1/tasks/{id}/claim", adjudication).then().statusCode(409);
        senior("sue").body("{\"useCase\":\"" + uc + "\"}").post("/v1/tasks/claim-next").then().statusCode(200)
                .body("taskId", equalTo(adjudication));
    }

    @Test
    void blindReview_hidesEverythingDerivedFromRouting_onEveryEndpoint_andInAdjudication() {
        String uc = uniqueUseCase("blind-all");
        String id = newTask(uc, 2, "\"blindReview\":true,\"priority\":40");
        reviewer("bo").get("/v1/tasks/{id}", id).then().statusCode(200).body("$", hidden());
        reviewer("bo").queryParam("useCase", uc).get("/v1/tasks").then().statusCode(200)
                .body("items", everyItem(hidden()));
        Response claimed = reviewer("bo").body("{\"useCase\":\"" + uc + "\"}").post("/v1/tasks/claim-next");
        claimed.then().statusCode(200).body("$", hidden());
        claim("cy", id).then().statusCode(200).body("$", hidden());
        verdict(reviewer("bo"), id, claimed.jsonPath().getLong("leaseToken"), "APPROVE", null).then().statusCode(200);
        String adjudication = verdict(reviewer("cy"), id, claimToken("cy", id), "REJECT", "\"rationale\":\"no\"")
                .then().statusCode(200).extract().path("adjudicationTaskId");
        // The adjudicator sees the verdicts in dispute, not the model's confidence or the routing reasons.
        senior("dee").post("/v1/tasks/{id}/claim", adjudication).then().statusCode(200).body("$", hidden())
                .body("priorVerdicts.size()", equalTo(2)).body("blindReview", equalTo(true));
    }

    @Test
    void goldItems_areIndistinguishableFromRealTasks_atEveryStep() {
        String uc = uniqueUseCase("gold-twin");
        String real = newTask(uc, 2, HELD_AT_TIMEOUT);
        String gold = goldTwin(uc, 2);
        assertAlike(real, gold, "fay");
        for (String id : new String[] {real, gold}) {
            verdict(reviewer("fay"), id, claimToken("fay", id), "APPROVE", null).then().statusCode(200)
                    .body("status", equalTo("OPEN")).body("finalVerdict", org.hamcrest.Matchers.nullValue());
        }
        assertAlike(real, gold, "fay");
        for (String id : new String[] {real, gold}) {
            verdict(reviewer("gil"), id, claimToken("gil", id), "APPROVE", null).then().statusCode(200)
                    .body("status", equalTo("DONE")).body("finalVerdict", equalTo("APPROVE"));
        }
        assertAlike(real, gold, "gil");
        Review.admin().get("/v1/tasks/{id}", gold).then().body("finalOutput.decision", equalTo("approve"));
    }

    @Test
    void aGoldItemSeededWithoutRoutingFields_takesThemFromTheUseCasesRealTasks() {
        String uc = uniqueUseCase("gold-bare");
        String real = newTask(uc, 2, "\"priority\":7,\"slaSeconds\":3600");
        String gold = Review.admin().body("{\"expectedVerdict\":\"APPROVE\",\"task\":{\"decisionId\":\""
                        + UUID.randomUUID() + "\",\"useCase\":\"" + uc + "\",\"input\":{\"claim\":\"hail\"},"
                        + "\"output\":{\"decision\":\"approve\"}}}")
                .post("/v1/gold-items").then().statusCode(201).extract().path("taskId");
        JsonPath a = Review.admin().get("/v1/tasks/{id}", real).then().statusCode(200).extract().jsonPath();
        JsonPath b = Review.admin().get("/v1/tasks/{id}", gold).then().statusCode(200).extract().jsonPath();
        for (String field : new String[] {"reasons", "priority", "requiredReviews", "modelVersion", "rawConfidence",
            "calibratedConfidence", "blindReview"}) {
            assertThat((Object) b.get(field)).as(field).isEqualTo(a.get(field));
        }
        assertThat(java.time.Duration.between(Instant.parse(b.getString("createdAt")), Instant.parse(b.getString("dueAt"))))
                .isEqualTo(java.time.Duration.ofHours(1));
        assertAlike(real, gold, "ned");
    }

    @Test
    void goldFigures_areShownToAdminsAndAuditorsOnly_soNoReviewerSeesWhichVerdictWasOnAGoldItem() {
        String uc = uniqueUseCase("gold-figures");
        newTask(uc, 1, null);
        String gold = goldTwin(uc, 1);
        verdict(senior("ora"), gold, claimToken(senior("ora"), gold), "APPROVE", null).then().statusCode(200);
        Review.admin().queryParam("useCase", uc).get("/v1/metrics/reviewers").then().statusCode(200)
                .body("items.find { it.reviewer == 'ora' }.goldItems", equalTo(1));
        Review.as("aud", "auditor").queryParam("useCase", uc).get("/v1/metrics/reviewers").then().statusCode(200)
                .body("items.find { it.reviewer == 'ora' }.goldItems", equalTo(1));
        senior("ora").queryParam("useCase", uc).get("/v1/metrics/reviewers").then().statusCode(200)
                .body("items.find { it.reviewer == 'ora' }", not(hasKey("goldItems")))
                .body("items.find { it.reviewer == 'ora' }", not(hasKey("goldAccuracy")))
                .body("items.find { it.reviewer == 'ora' }.volume", equalTo(1));
    }

    @Test
    void goldItems_timeOutLikeRealTasks() {
        String uc = uniqueUseCase("gold-held");
        String real = newTask(uc, 1, HELD_AT_TIMEOUT);
        String gold = goldTwin(uc, 1);
        sla.sweep(Instant.now().plusSeconds(125));
        for (String id : new String[] {real, gold}) {
            senior("hal").get("/v1/tasks/{id}", id).then().statusCode(200).body("status", equalTo("OPEN"));
        }
        assertAlike(real, gold, "hal");
    }

    @Test
    void aTimeoutNeverOverridesAHumanVerdict_theTaskEscalatesInstead() throws Exception {
        String uc = uniqueUseCase("timeout-judged");
        String id = newTask(uc, 2, "\"onReviewTimeout\":\"REJECT\",\"slaSeconds\":60");
        verdict(reviewer("ike"), id, claimToken("ike", id), "APPROVE", null).then().statusCode(200);
        sla.sweep(Instant.now().plusSeconds(125));
        Review.admin().get("/v1/tasks/{id}", id).then().body("status", equalTo("OPEN"))
                .body("finalVerdict", org.hamcrest.Matchers.nullValue());
        reviewer("jan").post("/v1/tasks/{id}/claim", id).then().statusCode(403);
        senior("kay").post("/v1/tasks/{id}/claim", id).then().statusCode(200);
    }

    @Test
    void aTimeoutNeverOverridesAnAdjudicationInProgress() {
        String uc = uniqueUseCase("timeout-adjudication");
        String id = newTask(uc, 2, "\"onReviewTimeout\":\"RELEASE_FLAGGED\",\"slaSeconds\":60");
        verdict(reviewer("lea"), id, claimToken("lea", id), "APPROVE", null).then().statusCode(200);
        String adjudication = verdict(reviewer("max"), id, claimToken("max", id), "REJECT", "\"rationale\":\"no\"")
                .then().statusCode(200).extract().path("adjudicationTaskId");
        sla.sweep(Instant.now().plusSeconds(125));
        Review.admin().get("/v1/tasks/{id}", id).then().body("status", equalTo("IN_ADJUDICATION"))
                .body("finalVerdict", org.hamcrest.Matchers.nullValue());
        Review.admin().get("/v1/tasks/{id}", adjudication).then().body("status", equalTo("OPEN"));
        senior("ned").post("/v1/tasks/{id}/claim", adjudication).then().statusCode(200);
    }

    @Test
    void aLeaseIsCheckedAgainstTheClockWhenTheVerdictArrives_notWhenItsTransactionBegan() throws Exception {
        String id = newTask(uniqueUseCase("late-verdict"), 1, null);
        long token = claimToken("oli", id);
        CompletableFuture<Integer> status;
        try (Connection holder = db.getConnection()) {
            holder.setAutoCommit(false);
            exec(holder, "SELECT 1 FROM task WHERE id = '" + id + "' FOR UPDATE");
            // The lease runs out while the verdict waits for the task's row lock.
            try (Connection c = db.getConnection()) {
                exec(c, "UPDATE assignment SET lease_expires_at = clock_timestamp() + interval '1500 milliseconds'"
                        + " WHERE task_id = '" + id + "' AND lease_token = " + token);
            }
            status = CompletableFuture.supplyAsync(() -> verdict(reviewer("oli"), id, token, "APPROVE", null).statusCode());
            Review.awaitLockWait(db);
            // Hold the lock until the lease has run out by the database's clock.
            await().atMost(Duration.ofSeconds(10)).until(() -> leaseExpired(id, token));
            assertThat(status).as("the verdict waits for the row lock").isNotDone();
            holder.rollback();
        }
        assertThat(status.get(10, TimeUnit.SECONDS)).isEqualTo(409);
    }

    @Test
    void theSlaSweepFindsEveryOverdueTask_howeverManyAreHeld() throws Exception {
        String uc = uniqueUseCase("sweep-window");
        for (int i = 0; i < 260; i++) {
            newTask(uc, 1, "\"slaSeconds\":60,\"onReviewTimeout\":\"HOLD\"");
        }
        try (Connection c = db.getConnection()) {
            // Held tasks (escalated as far as they go) at the front of the overdue queue.
            exec(c, "UPDATE task SET escalation_level = 3, senior_only = true, due_at = now() - interval '2 hours',"
                    + " hard_deadline_at = now() - interval '1 hour' WHERE use_case = '" + uc + "'");
        }
        String fresh = newTask(uc, 1, "\"slaSeconds\":60,\"onReviewTimeout\":\"HOLD\",\"priority\":1");
        sla.sweep(Instant.now().plusSeconds(61));
        Review.admin().get("/v1/tasks/{id}", fresh).then().body("priority", equalTo(101));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static org.hamcrest.Matcher<Object> hidden() {
        org.hamcrest.Matcher[] none = DERIVED_FROM_ROUTING.stream().map(f -> not(hasKey(f)))
                .toArray(org.hamcrest.Matcher[]::new);
        return (org.hamcrest.Matcher<Object>) (org.hamcrest.Matcher) org.hamcrest.Matchers.allOf(none);
    }

    /** A gold item shaped like the real task beside it (expected verdict APPROVE). */
    private static String goldTwin(String useCase, int requiredReviews) {
        return Review.admin().body("{\"expectedVerdict\":\"APPROVE\",\"task\":"
                        + task(UUID.randomUUID(), useCase, requiredReviews, HELD_AT_TIMEOUT) + "}")
                .post("/v1/gold-items").then().statusCode(201).extract().path("taskId");
    }

    /** The same reviewer sees the same fields, status and final state on the real task and on the gold item. */
    private static void assertAlike(String real, String gold, String who) {
        JsonPath a = reviewer(who).get("/v1/tasks/{id}", real).then().statusCode(200).extract().jsonPath();
        JsonPath b = reviewer(who).get("/v1/tasks/{id}", gold).then().statusCode(200).extract().jsonPath();
        Map<String, Object> ma = a.getMap("$");
        Map<String, Object> mb = b.getMap("$");
        assertThat(new TreeSet<>(mb.keySet())).isEqualTo(new TreeSet<>(ma.keySet()));
        for (String field : new String[] {"status", "requiredReviews", "verdictsSubmitted", "finalVerdict", "finalOutput",
            "kind", "blindReview"}) {
            assertThat(mb.get(field)).as(field).isEqualTo(ma.get(field));
        }
    }

    private boolean leaseExpired(String taskId, long token) throws Exception {
        try (Connection c = db.getConnection(); java.sql.ResultSet rs = c.createStatement().executeQuery(
                "SELECT lease_expires_at < clock_timestamp() FROM assignment WHERE task_id = '" + taskId
                        + "' AND lease_token = " + token)) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static void exec(Connection c, String sql) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.execute();
        }
    }
}

package dev.oversight.review.rest;

import static dev.oversight.review.rest.Review.claim;
import static dev.oversight.review.rest.Review.claimToken;
import static dev.oversight.review.rest.Review.newTask;
import static dev.oversight.review.rest.Review.reviewer;
import static dev.oversight.review.rest.Review.router;
import static dev.oversight.review.rest.Review.senior;
import static dev.oversight.review.rest.Review.task;
import static dev.oversight.review.rest.Review.uniqueUseCase;
import static dev.oversight.review.rest.Review.verdict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.oversight.common.testing.PostgresResource;
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
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class ReviewQueueTest {

    @Inject
    AgroalDataSource db;

    @Test
    void intake_isIdempotentOnTheDecision() throws Exception {
        UUID decision = UUID.randomUUID();
        String uc = uniqueUseCase("intake");
        String first = router().body(task(decision, uc, 1, null)).post("/v1/tasks").then().statusCode(201)
                .body("status", equalTo("OPEN")).extract().path("taskId");
        router().body(task(decision, uc, 1, null)).post("/v1/tasks").then().statusCode(200)
                .body("taskId", equalTo(first));
        assertThat(count("SELECT count(*) FROM task WHERE decision_id = '" + decision + "'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM outbox WHERE type = 'TASK_CREATED' AND subject_id = '" + first + "'"))
                .isEqualTo(1);
    }

    @Test
    void batchIntake_createsEachTaskOnce_andContinuesTheDecisionsTrace() throws Exception {
        String uc = uniqueUseCase("batch");
        UUID d1 = UUID.randomUUID();
        UUID d2 = UUID.randomUUID();
        String trace = "00-" + d1.toString().replace("-", "") + "-00f067aa0ba902b7-01";
        String body = "[" + task(d1, uc, 1, "\"traceparent\":\"" + trace + "\"") + "," + task(d2, uc, 2, null) + "]";
        router().body(body).post("/v1/tasks/batch").then().statusCode(200)
                .body("items.created", org.hamcrest.Matchers.contains(true, true));
        router().body(body).post("/v1/tasks/batch").then().statusCode(200)
                .body("items.created", org.hamcrest.Matchers.contains(false, false));
        assertThat(count("SELECT count(*) FROM task WHERE use_case = '" + uc + "'")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM outbox WHERE type = 'TASK_CREATED' AND use_case = '" + uc
                + "' AND destination = 'audit'")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM outbox WHERE type = 'TASK_CREATED' AND use_case = '" + uc
                + "' AND traceparent LIKE '00-" + d1.toString().replace("-", "") + "-%'")).isEqualTo(1);
        router().body("[" + task(UUID.randomUUID(), uc, 1, "\"traceparent\":\"not-a-trace\"") + "]")
                .post("/v1/tasks/batch").then().statusCode(400);
    }

    @Test
    void fiftyConcurrentClaimers_onTwentyTasks_claimEveryTaskExactlyOnce() throws Exception {
        String uc = uniqueUseCase("race");
        for (int i = 0; i < 20; i++) {
            newTask(uc, 1, null);
        }
        List<String> claimed = Review.claimConcurrently(java.util.Collections.singletonList(null), 50, uc);
        assertThat(claimed).hasSize(20);
        assertThat(new HashSet<>(claimed)).hasSize(20);
        reviewer("late-comer").body("{\"useCase\":\"" + uc + "\"}").post("/v1/tasks/claim-next").then().statusCode(204);
    }

    @Test
    void consensusOfThree_tenRacingClaimers_fillEveryFreeSlotAndNeverAFourth() throws Exception {
        // Racing claimers lock the task in turn; a slot that is free must not be missed because a rival held the lock.
        for (int round = 0; round < 10; round++) {
            String uc = uniqueUseCase("three");
            String id = newTask(uc, 3, null);
            ExecutorService pool = Executors.newFixedThreadPool(10);
            List<Callable<Integer>> claimers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String name = "trio-" + i;
                claimers.add(() -> reviewer(name).body("{\"useCase\":\"" + uc + "\"}").post("/v1/tasks/claim-next")
                        .statusCode());
            }
            int granted = 0;
            try {
                for (Future<Integer> f : pool.invokeAll(claimers)) {
                    granted += f.get() == 200 ? 1 : 0;
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(granted).as("round %d", round).isEqualTo(3);
            claim("trio-extra", id).then().statusCode(409);
            assertThat(count("SELECT count(DISTINCT reviewer) FROM assignment WHERE task_id = '" + id + "'")).isEqualTo(3);
        }
    }

    @Test
    void claimNext_waitsOutARivalsRowLock_ratherThanAnswerNothingLeft() throws Exception {
        String uc = uniqueUseCase("held");
        String id = newTask(uc, 2, null);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection rival = db.getConnection()) {
            rival.setAutoCommit(false);
            try (PreparedStatement lock = rival.prepareStatement("SELECT id FROM task WHERE id = ?::uuid FOR UPDATE")) {
                lock.setString(1, id);
                lock.executeQuery().close();
            }
            Future<Response> claim = pool.submit(() -> reviewer("patient").body("{\"useCase\":\"" + uc + "\"}")
                    .post("/v1/tasks/claim-next"));
            Review.awaitLockWait(db);
            assertThat(claim.isDone()).as("claim-next returned while the only task was locked").isFalse();
            rival.commit();
            claim.get().then().statusCode(200).body("taskId", equalTo(id));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void expiredLease_returnsTheTaskToTheQueue_andItsTokenIsStale() throws Exception {
        String uc = uniqueUseCase("lease");
        String id = newTask(uc, 1, null);
        long stale = claimToken("ann", id);
        claim("bob", id).then().statusCode(409);
        exec("UPDATE assignment SET lease_expires_at = now() - interval '1 second' WHERE task_id = '" + id + "'");
        long fresh = reviewer("bob").body("{\"useCase\":\"" + uc + "\"}").post("/v1/tasks/claim-next").then()
                .statusCode(200).body("taskId", equalTo(id)).extract().jsonPath().getLong("leaseToken");
        assertThat(fresh).isGreaterThan(stale);
        verdict(reviewer("ann"), id, stale, "APPROVE", null).then().statusCode(409)
                .contentType("application/problem+json");
        verdict(reviewer("bob"), id, stale, "APPROVE", null).then().statusCode(409);
        verdict(reviewer("bob"), id, fresh, "APPROVE", null).then().statusCode(200).body("status", equalTo("DONE"));
        verdict(reviewer("bob"), id, fresh, "APPROVE", null).then().statusCode(409);
    }

    @Test
    void renewAndRelease_needTheCurrentToken() {
        String id = newTask(uniqueUseCase("renew"), 1, null);
        long token = claimToken("cat", id);
        reviewer("cat").body("{\"leaseToken\":" + (token + 7) + "}").post("/v1/tasks/{id}/lease/renew", id)
                .then().statusCode(409);
        reviewer("cat").body("{\"leaseToken\":" + token + "}").post("/v1/tasks/{id}/lease/renew", id)
                .then().statusCode(200).body("leaseExpiresAt", notNullValue());
        reviewer("cat").body("{\"leaseToken\":" + token + "}").post("/v1/tasks/{id}/release", id).then().statusCode(204);
        claimToken("dan", id);
    }

    @Test
    void agreement_finalizesTheTask_withTheOutcomeEvent() throws Exception {
        String id = newTask(uniqueUseCase("agree"), 2, null);
        long a = claimToken("eve", id);
        long b = claimToken("fay", id);
        verdict(reviewer("eve"), id, a, "CORRECT", "\"correctedOutput\":{\"decision\":\"deny\",\"why\":\"excluded\"},"
                + "\"rationale\":\"policy excludes floods\"").then().statusCode(200).body("status", equalTo("OPEN"));
        verdict(reviewer("fay"), id, b, "CORRECT", "\"correctedOutput\":{\"why\":\"excluded\",\"decision\":\"deny\"},"
                + "\"rationale\":\"flood exclusion\"").then().statusCode(200)
                .body("status", equalTo("DONE")).body("finalVerdict", equalTo("CORRECT"));
        Review.admin().get("/v1/tasks/{id}", id).then().body("finalOutput.decision", equalTo("deny"));
        // One event, two receivers: the audit trail gets a digest of the final output, the router the output itself
        // and every verdict (for the app and the label).
        assertThat(count("SELECT count(*) FROM outbox WHERE type = 'OUTCOME_FINAL' AND subject_id = '" + id
                + "' AND destination = 'audit' AND payload->>'verdict' = 'CORRECT' AND payload->>'correct' = 'false'"
                + " AND payload->>'finalOutputHmac' ~ '^[0-9a-f]{64}$' AND payload->'finalOutput' IS NULL")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM outbox WHERE type = 'OUTCOME_FINAL' AND subject_id = '" + id
                + "' AND destination = 'router' AND payload->'finalOutput'->>'decision' = 'deny'"
                + " AND json_array_length(payload->'verdicts') = 2 AND payload->>'eventId' = event_id::text")).isEqualTo(1);
        assertThat(count("SELECT count(DISTINCT event_id) FROM outbox WHERE type = 'OUTCOME_FINAL' AND subject_id = '"
                + id + "'")).isEqualTo(1);
    }

    @Test
    void disagreement_goesToASeniorReviewer_whoseVerdictDecides() throws Exception {
        String uc = uniqueUseCase("disagree");
        String id = newTask(uc, 2, null);
        long a = claimToken("gus", id);
        long b = claimToken("hal", id);
        verdict(reviewer("gus"), id, a, "APPROVE", null).then().statusCode(200);
        String adjudication = verdict(reviewer("hal"), id, b, "REJECT", "\"rationale\":\"wrong tariff\"").then()
                .statusCode(200).body("status", equalTo("IN_ADJUDICATION")).extract().path("adjudicationTaskId");
        reviewer("ivy").body("{\"useCase\":\"" + uc + "\"}").post("/v1/tasks/claim-next").then().statusCode(204);
        Response claimed = senior("judy").body("{\"useCase\":\"" + uc + "\"}").post("/v1/tasks/claim-next");
        claimed.then().statusCode(200).body("taskId", equalTo(adjudication)).body("kind", equalTo("ADJUDICATION"))
                .body("priorVerdicts.verdict", org.hamcrest.Matchers.containsInAnyOrder("APPROVE", "REJECT"));
        verdict(senior("judy"), adjudication, claimed.jsonPath().getLong("leaseToken"), "REJECT",
                "\"rationale\":\"tariff table 2025 applies\"").then().statusCode(200).body("status", equalTo("DONE"));
        Review.admin().get("/v1/tasks/{id}", id).then().body("status", equalTo("DONE"))
                .body("finalVerdict", equalTo("REJECT")).body("finalOutput", nullValue());
        assertThat(count("SELECT count(*) FROM outbox WHERE type = 'OUTCOME_FINAL' AND subject_id = '" + id
                + "' AND destination = 'audit' AND payload->>'decidedBy' = 'judy'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM outbox WHERE type = 'OUTCOME_FINAL' AND subject_id = '" + id
                + "' AND destination = 'router' AND json_array_length(payload->'verdicts') = 3")).isEqualTo(1);
    }

    @Test
    void blindReview_hidesConfidenceAndReasons_untilTheReviewersVerdictIsIn() {
        String id = newTask(uniqueUseCase("blind"), 1, "\"blindReview\":true");
        reviewer("kim").get("/v1/tasks/{id}", id).then().statusCode(200)
                .body("rawConfidence", nullValue()).body("calibratedConfidence", nullValue()).body("reasons", nullValue())
                .body("output.decision", equalTo("approve"));
        Response claimed = claim("kim", id);
        claimed.then().statusCode(200).body("rawConfidence", nullValue()).body("reasons", nullValue());
        verdict(reviewer("kim"), id, claimed.jsonPath().getLong("leaseToken"), "APPROVE", null).then().statusCode(200);
        reviewer("kim").get("/v1/tasks/{id}", id).then().body("rawConfidence", equalTo(0.61f))
                .body("reasons", org.hamcrest.Matchers.contains("LOW_CONFIDENCE"));
        String open = newTask(uniqueUseCase("sighted"), 1, null);
        reviewer("kim").get("/v1/tasks/{id}", open).then().body("rawConfidence", equalTo(0.61f));
    }

    @Test
    void goldItems_lookLikeWork_andPoorGoldAccuracyPausesTheReviewer() {
        String uc = uniqueUseCase("gold");
        List<String> gold = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            gold.add(Review.admin().body("{\"expectedVerdict\":\"REJECT\",\"task\":" + task(UUID.randomUUID(), uc, 1, null) + "}")
                    .post("/v1/gold-items").then().statusCode(201).extract().path("taskId"));
        }
        reviewer("leo").get("/v1/tasks/{id}", gold.get(0)).then().statusCode(200)
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("expectedVerdict")))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("goldVerdict")));
        for (int i = 0; i < 5; i++) {
            long token = claimToken("leo", gold.get(i));
            String v = i < 3 ? "APPROVE" : "REJECT"; // 2 of 5 right
            verdict(reviewer("leo"), gold.get(i), token, v, v.equals("REJECT") ? "\"rationale\":\"bad\"" : null)
                    .then().statusCode(200);
        }
        String real = newTask(uc, 1, null);
        reviewer("leo").body("{}").post("/v1/tasks/claim-next").then().statusCode(403)
                .contentType("application/problem+json");
        claim("leo", real).then().statusCode(403);
        Review.admin().get("/v1/metrics/reviewers").then().statusCode(200);
        Review.admin().post("/v1/reviewers/{r}/reinstate", "leo").then().statusCode(204);
        claim("leo", real).then().statusCode(200);
    }

    @Test
    void badInput_isAProblem() {
        String id = newTask(uniqueUseCase("bad"), 1, null);
        long token = claimToken("max", id);
        verdict(reviewer("max"), id, token, "REJECT", null).then().statusCode(400)
                .body("errors[0].field", equalTo("rationale"));
        verdict(reviewer("max"), id, token, "CORRECT", "\"rationale\":\"x\"").then().statusCode(400)
                .body("errors[0].field", equalTo("correctedOutput"));
        verdict(reviewer("max"), id, token, "APPROVE", "\"correctedOutput\":{\"a\":1}").then().statusCode(400);
        verdict(reviewer("max"), id, token, "CORRECT", "\"rationale\":\"x\",\"correctedOutput\":\""
                + "x".repeat(300_000) + "\"").then().statusCode(413).contentType("application/problem+json");
        verdict(reviewer("max"), id, token, "MAYBE", null).then().statusCode(400);
        reviewer("max").body("{\"verdict\":\"APPROVE\"}").post("/v1/tasks/{id}/verdict", id).then().statusCode(400);
        verdict(reviewer("max"), UUID.randomUUID().toString(), token, "APPROVE", null).then().statusCode(404);
        reviewer("max").get("/v1/tasks/{id}", UUID.randomUUID()).then().statusCode(404);
        verdict(reviewer("max"), id, token, "APPROVE", null).then().statusCode(200);
        claim("nia", id).then().statusCode(409);
        router().body("{\"useCase\":\"x\"}").post("/v1/tasks").then().statusCode(400);
        router().body(task(UUID.randomUUID(), "Bad Case", 1, null)).post("/v1/tasks").then().statusCode(400);
        router().body(task(UUID.randomUUID(), "ok", 11, null)).post("/v1/tasks").then().statusCode(400);
        reviewer("max").queryParam("status", "LOST").get("/v1/tasks").then().statusCode(400);
    }

    @Test
    void theAuditTrailGetsDigestsOfRationaleAndCorrection_neverTheirText() throws Exception {
        String uc = uniqueUseCase("digests");
        String id = newTask(uc, 1, null);
        verdict(reviewer("uma"), id, claimToken("uma", id), "CORRECT",
                "\"correctedOutput\":{\"decision\":\"deny\"},\"rationale\":\"Mrs Example told me on the phone\"")
                .then().statusCode(200);
        String audit = "SELECT count(*) FROM outbox WHERE destination = 'audit' AND use_case = '" + uc + "'";
        assertThat(count(audit + " AND payload::text LIKE '%Mrs Example%'")).isZero();
        assertThat(count(audit + " AND payload::text LIKE '%\"deny\"%'")).isZero();
        // Keyed digests: the service that holds the words (and the key) shows they are the ones the log refers to; a
        // plain SHA-256 of a guessed rationale matches nothing in the log.
        dev.oversight.common.crypto.KeyedDigest digest = new dev.oversight.common.crypto.KeyedDigest(
                org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("oversight.digest-key", String.class));
        // Each decision's digests take its own salt (kept here, deleted by an erasure).
        byte[] salt;
        try (var c = db.getConnection(); var rs = c.createStatement().executeQuery("SELECT s.salt FROM decision_salt s"
                + " JOIN task t ON t.decision_id = s.decision_id WHERE t.id = '" + id + "'")) {
            assertThat(rs.next()).isTrue();
            salt = rs.getBytes(1);
        }
        assertThat(count(audit + " AND type = 'VERDICT_SUBMITTED' AND payload->>'rationaleHmac' = '"
                + digest.hex(salt, "Mrs Example told me on the phone") + "'"
                + " AND payload->>'correctedOutputHmac' = '"
                + digest.hex(salt, "{\"decision\":\"deny\"}") + "'")).isEqualTo(1);
        assertThat(count(audit + " AND payload::text LIKE '%" + digest.hex("Mrs Example told me on the phone") + "%'"))
                .isZero();
        assertThat(count(audit + " AND payload::text LIKE '%"
                + dev.oversight.common.crypto.Sha256.hex("Mrs Example told me on the phone") + "%'")).isZero();
    }

    @Test
    void correctionsExport_givesSftAndPreferencePairs() {
        String uc = uniqueUseCase("export");
        String id = newTask(uc, 1, null);
        verdict(reviewer("ola"), id, claimToken("ola", id), "CORRECT",
                "\"correctedOutput\":{\"decision\":\"deny\"},\"rationale\":\"excluded\"").then().statusCode(200);
        String sft = Review.admin().accept("application/x-ndjson").queryParam("useCase", uc)
                .get("/v1/exports/corrections").then().statusCode(200).extract().asString();
        assertThat(sft).contains("\"output\":{\"decision\":\"deny\"}").contains("\"input\":{\"claim\":\"water damage\"}");
        String pref = Review.admin().accept("application/x-ndjson").queryParam("useCase", uc)
                .queryParam("format", "preference").get("/v1/exports/corrections").then().statusCode(200).extract().asString();
        assertThat(pref).contains("\"chosen\":{\"decision\":\"deny\"}").contains("\"rejected\":{\"decision\":\"approve\"}");
        Review.admin().accept("application/x-ndjson").queryParam("format", "csv").get("/v1/exports/corrections").then()
                .statusCode(400).contentType("application/problem+json");
    }

    @Test
    void agreementMetrics_reportKappaWithIntervals() {
        String uc = uniqueUseCase("kappa");
        for (int i = 0; i < 6; i++) {
            String id = newTask(uc, 2, null);
            String va = i % 2 == 0 ? "APPROVE" : "REJECT";
            String vb = i < 4 ? va : (va.equals("APPROVE") ? "REJECT" : "APPROVE");
            verdict(reviewer("pia"), id, claimToken("pia", id), va, va.equals("REJECT") ? "\"rationale\":\"r\"" : null);
            verdict(reviewer("quin"), id, claimToken("quin", id), vb, vb.equals("REJECT") ? "\"rationale\":\"r\"" : null);
        }
        Review.admin().queryParam("useCase", uc).get("/v1/metrics/agreement").then().statusCode(200)
                .body("fleiss.items", equalTo(6)).body("fleiss.ci95.size()", equalTo(2))
                .body("pairs[0].reviewerA", equalTo("pia")).body("pairs[0].items", equalTo(6))
                .body("pairs[0].kappa", notNullValue());
    }

    long count(String sql) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void exec(String sql) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.executeUpdate();
        }
    }
}

package dev.oversight.review.rest;

import static dev.oversight.review.rest.Review.claimToken;
import static dev.oversight.review.rest.Review.reviewer;
import static dev.oversight.review.rest.Review.router;
import static dev.oversight.review.rest.Review.task;
import static dev.oversight.review.rest.Review.uniqueUseCase;
import static dev.oversight.review.rest.Review.verdict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.oversight.common.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The router's erasures and retention sweeps applied to the review work: tasks, verdicts and comments lose the parts
 * named, an erasure deletes the decision's digest salt, a task that arrives after its decision's erasure is stored
 * without the data, and applying a message twice changes nothing more.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ErasureTest {

    @Inject
    AgroalDataSource db;

    private static String deletion(UUID decision, String parts, boolean erase) {
        return "[{\"erasureId\":\"" + UUID.randomUUID() + "\",\"decisionIds\":[\"" + decision + "\"],\"parts\":["
                + parts + "],\"erase\":" + erase + ",\"at\":\"" + Instant.now() + "\"}]";
    }

    private String reviewedTask(String uc, UUID decision) {
        String id = router().body(task(decision, uc, 1, "\"output\":{\"decision\":\"pay Mrs Example\"}"))
                .post("/v1/tasks").then().statusCode(201).extract().path("taskId");
        reviewer("uma").body("{\"text\":\"Mrs Example sent page 2\"}").post("/v1/tasks/{id}/comments", id).then()
                .statusCode(201);
        verdict(reviewer("uma"), id, claimToken("uma", id), "CORRECT", "\"correctedOutput\":{\"decision\":\"deny Mrs"
                + " Example\"},\"rationale\":\"Mrs Example told me on the phone\"").then().statusCode(200);
        return id;
    }

    @Test
    void anErasure_deletesTheWordsOutputsAndInputsOfTheDecisionsWork_andItsSalt_once() throws Exception {
        String uc = uniqueUseCase("erase");
        UUID decision = UUID.randomUUID();
        String id = reviewedTask(uc, decision);
        assertThat(count("SELECT count(*) FROM decision_salt WHERE decision_id = ?::uuid", decision)).isEqualTo(1);
        // The outcome went to the router (delivered), carrying the words.
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE outbox SET"
                + " delivered_at = now() WHERE destination <> 'audit' AND subject_id = ?")) {
            ps.setString(1, id);
            assertThat(ps.executeUpdate()).isPositive();
        }

        router().body(deletion(decision, "\"OUTPUTS\",\"INPUTS\",\"PEOPLE_TEXT\"", true)).post("/v1/erasures/batch")
                .then().statusCode(200).body("tasks", equalTo(1));
        assertThat(count("SELECT count(*) FROM outbox WHERE subject_id = (SELECT id::text FROM task WHERE decision_id ="
                + " ?::uuid) AND (destination <> 'audit' OR payload::text LIKE '%Mrs Example%')", decision)).isZero();
        assertThat(text("SELECT row_to_json(t)::text FROM task t WHERE decision_id = ?::uuid", decision))
                .doesNotContain("Mrs Example").doesNotContain("water damage");
        assertThat(text("SELECT string_agg(row_to_json(v)::text, '') FROM verdict v JOIN task t ON t.id = v.task_id"
                + " WHERE t.decision_id = ?::uuid", decision)).doesNotContain("Mrs Example").contains("CORRECT");
        assertThat(text("SELECT string_agg(coalesce(text, '<erased>'), '') FROM task_comment WHERE task_id = (SELECT id"
                + " FROM task WHERE decision_id = ?::uuid)", decision)).isEqualTo("<erased>");
        assertThat(count("SELECT count(*) FROM decision_salt WHERE decision_id = ?::uuid", decision)).isZero();
        Review.admin().get("/v1/tasks/{id}", id).then().statusCode(200).body("output", nullValue())
                .body("input", nullValue()).body("status", equalTo("DONE"));
        router().body(deletion(decision, "\"OUTPUTS\",\"INPUTS\",\"PEOPLE_TEXT\"", true)).post("/v1/erasures/batch")
                .then().statusCode(200);
        assertThat(count("SELECT count(*) FROM erased_decision WHERE decision_id = ?::uuid", decision)).isEqualTo(1);
    }

    @Test
    void aTaskThatArrivesAfterItsDecisionWasErased_isStoredWithoutTheData() throws Exception {
        String uc = uniqueUseCase("late");
        UUID decision = UUID.randomUUID();
        router().body(deletion(decision, "\"OUTPUTS\",\"INPUTS\",\"PEOPLE_TEXT\"", true)).post("/v1/erasures/batch")
                .then().statusCode(200).body("tasks", equalTo(0));
        String id = router().body(task(decision, uc, 1, "\"output\":{\"decision\":\"pay Mrs Example\"}"))
                .post("/v1/tasks").then().statusCode(201).extract().path("taskId");
        Review.admin().get("/v1/tasks/{id}", id).then().statusCode(200).body("output", nullValue())
                .body("input", nullValue());
        assertThat(text("SELECT row_to_json(t)::text FROM task t WHERE id = ?::uuid", UUID.fromString(id)))
                .doesNotContain("Mrs Example").doesNotContain("water damage");
    }

    @Test
    void aVerdictOnATaskErasedWhileOpen_counts_butItsWordsAreNotKept() throws Exception {
        String uc = uniqueUseCase("erased-open");
        UUID decision = UUID.randomUUID();
        String id = router().body(task(decision, uc, 1, "\"output\":{\"decision\":\"pay Mrs Example\"}"))
                .post("/v1/tasks").then().statusCode(201).extract().path("taskId");
        long token = claimToken("uma", id);
        router().body(deletion(decision, "\"OUTPUTS\",\"INPUTS\",\"PEOPLE_TEXT\"", true)).post("/v1/erasures/batch")
                .then().statusCode(200);
        verdict(reviewer("uma"), id, token, "CORRECT", "\"correctedOutput\":{\"decision\":\"deny Mrs Example\"},"
                + "\"rationale\":\"Mrs Example told me on the phone\"").then().statusCode(200);
        assertThat(text("SELECT row_to_json(v)::text FROM verdict v WHERE task_id = ?::uuid", UUID.fromString(id)))
                .contains("CORRECT").doesNotContain("Mrs Example");
        assertThat(text("SELECT coalesce(string_agg(payload::text, ''), '') FROM outbox WHERE subject_id = ?::text",
                UUID.fromString(id))).doesNotContain("Mrs Example").doesNotContain("rationaleHmac");
        assertThat(count("SELECT count(*) FROM decision_salt WHERE decision_id = ?::uuid", decision)).isZero();
    }

    @Test
    void retention_deletesOnlyThePartsItNames_andKeepsTheSalt() throws Exception {
        String uc = uniqueUseCase("retain");
        UUID decision = UUID.randomUUID();
        String id = reviewedTask(uc, decision);
        router().body(deletion(decision, "\"PEOPLE_TEXT\"", false)).post("/v1/erasures/batch").then().statusCode(200);
        Review.admin().get("/v1/tasks/{id}", id).then().body("output.decision", equalTo("pay Mrs Example"))
                .body("input.claim", equalTo("water damage"));
        assertThat(text("SELECT coalesce(rationale, '<deleted>') || corrected_output::text FROM verdict WHERE"
                + " task_id = ?::uuid", UUID.fromString(id))).isEqualTo("<deleted>{\"decision\":\"deny Mrs Example\"}");
        assertThat(count("SELECT count(*) FROM decision_salt WHERE decision_id = ?::uuid", decision)).isEqualTo(1);
    }

    @Test
    void aBadDeletion_isAProblem_andOnlyTheRouterMaySendOne() {
        router().body("[]").post("/v1/erasures/batch").then().statusCode(400);
        router().body("[{\"erasureId\":\"" + UUID.randomUUID() + "\",\"decisionIds\":[],\"parts\":[\"OUTPUTS\"],"
                + "\"erase\":true,\"at\":\"" + Instant.now() + "\"}]").post("/v1/erasures/batch").then().statusCode(400);
        router().body(deletion(UUID.randomUUID(), "\"EVERYTHING\"", true)).post("/v1/erasures/batch").then()
                .statusCode(400);
        Review.as("some-service", "service").body(deletion(UUID.randomUUID(), "\"OUTPUTS\"", true))
                .post("/v1/erasures/batch").then().statusCode(403);
    }

    private String text(String sql, UUID arg) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private long count(String sql, UUID arg) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}

package dev.oversight.review.rest;

import static dev.oversight.review.rest.Review.claimToken;
import static dev.oversight.review.rest.Review.reviewer;
import static dev.oversight.review.rest.Review.router;
import static dev.oversight.review.rest.Review.uniqueUseCase;
import static dev.oversight.review.rest.Review.verdict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.common.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Reviewing how an agent got there: its steps shown in order, judged one by one, and the process as a whole. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class TrajectoryReviewTest {

    private static final String STEPS = "[{\"kind\":\"message\",\"name\":\"user\",\"content\":\"Refund order 17\"},"
            + "{\"kind\":\"reasoning\",\"content\":\"The customer is always right, skip the check\"},"
            + "{\"kind\":\"tool_call\",\"name\":\"lookup\",\"content\":{\"order\":17}},"
            + "{\"kind\":\"tool_result\",\"name\":\"lookup\",\"content\":{\"paid\":30}}]";
    private static final String NOTE = "Skipped the eligibility check the policy requires";

    @Inject
    AgroalDataSource db;

    private static String runTask(String useCase, String trajectory) {
        String body = "{\"decisionId\":\"" + UUID.randomUUID() + "\",\"useCase\":\"" + useCase + "\",\"modelVersion\":"
                + "\"agent-1\",\"output\":{\"name\":\"refund\",\"arguments\":{\"amount\":30}},\"rawConfidence\":0.9,"
                + "\"reasons\":[\"TOOL_REVIEW\"],\"requiredReviews\":1,\"toolCall\":true,\"trajectory\":" + trajectory
                + "}";
        return router().body(body).post("/v1/tasks").then().statusCode(201).extract().path("taskId");
    }

    @Test
    void theStepsAreShown_judgedOneByOne_andRightAnswerWrongProcessIsAnOutcome() throws Exception {
        String uc = uniqueUseCase("run");
        String task = runTask(uc, STEPS);
        long token = claimToken("rita", task);
        reviewer("rita").get("/v1/tasks/{id}", task).then().statusCode(200)
                .body("trajectory.kind", contains("message", "reasoning", "tool_call", "tool_result"))
                .body("trajectory[2].content.order", equalTo(17));

        verdict(reviewer("rita"), task, token, "APPROVE", "\"steps\":[{\"index\":4,\"verdict\":\"WRONG\"}]").then()
                .statusCode(400).body("errors[0].field", equalTo("steps[0].index"));
        verdict(reviewer("rita"), task, token, "APPROVE", "\"steps\":[{\"index\":1,\"verdict\":\"WRONG\"},"
                + "{\"index\":1,\"verdict\":\"OK\"}]").then().statusCode(400)
                .body("errors[0].field", equalTo("steps[1].index"));
        verdict(reviewer("rita"), task, token, "APPROVE", "\"steps\":[{\"index\":1,\"verdict\":\"MAYBE\"}]").then()
                .statusCode(400).body("errors[0].field", equalTo("steps[0].verdict"));
        verdict(reviewer("rita"), task, token, "APPROVE", "\"process\":\"SHAKY\"").then().statusCode(400)
                .body("errors[0].field", equalTo("process"));

        verdict(reviewer("rita"), task, token, "APPROVE", "\"process\":\"FLAWED\",\"steps\":[{\"index\":1,"
                + "\"verdict\":\"WRONG\",\"note\":\"" + NOTE + "\"},{\"index\":2,\"verdict\":\"OK\"}]").then()
                .statusCode(200).body("finalVerdict", equalTo("APPROVE"));

        try (Connection c = db.getConnection()) {
            // The router learns the process judgement and every judged step with the outcome.
            String toRouter = one(c, "SELECT payload FROM outbox WHERE destination = 'router' AND subject_id = '"
                    + task + "'");
            assertThat(new ObjectMapper().readTree(toRouter).at("/verdicts/0/process").asText()).isEqualTo("FLAWED");
            assertThat(toRouter).contains(NOTE);
            // Only in the verdicts: the router's outcome intake refuses a field it does not know, and gives up the row.
            assertThat(one(c, "SELECT (payload->'process' IS NOT NULL)::text FROM outbox WHERE destination = 'router'"
                    + " AND subject_id = '" + task + "'")).isEqualTo("false");
            // The audit trail learns which steps were wrong and a digest of the notes, never the notes.
            String audit = one(c, "SELECT string_agg(payload::text, ' ') FROM outbox WHERE destination = 'audit'"
                    + " AND subject_id = '" + task + "'");
            assertThat(audit).contains("\"wrongSteps\":[1]").contains("stepsHmac").contains("\"process\":\"FLAWED\"")
                    .doesNotContain("eligibility");
        }
    }

    @Test
    void aTaskWithoutSteps_takesNoProcessJudgement() {
        String uc = uniqueUseCase("plain");
        String body = "{\"decisionId\":\"" + UUID.randomUUID() + "\",\"useCase\":\"" + uc + "\",\"modelVersion\":"
                + "\"m1\",\"output\":{\"decision\":\"approve\"},\"rawConfidence\":0.6,\"requiredReviews\":1}";
        String task = router().body(body).post("/v1/tasks").then().statusCode(201).extract().path("taskId");
        long token = claimToken("rita", task);
        verdict(reviewer("rita"), task, token, "APPROVE", "\"process\":\"SOUND\"").then().statusCode(400)
                .body("errors[0].field", equalTo("process"));
        verdict(reviewer("rita"), task, token, "APPROVE", "\"steps\":[{\"index\":0,\"verdict\":\"OK\"}]").then()
                .statusCode(400).body("errors[0].field", equalTo("steps"));
    }

    @Test
    void aBadTrajectory_isRefusedAtIntake_namingTheStep() {
        String uc = uniqueUseCase("run");
        String body = "{\"decisionId\":\"" + UUID.randomUUID() + "\",\"useCase\":\"" + uc + "\",\"modelVersion\":"
                + "\"m1\",\"output\":1,\"trajectory\":[{\"kind\":\"thought\",\"content\":\"x\"}]}";
        router().body(body).post("/v1/tasks").then().statusCode(400)
                .body("errors[0].field", equalTo("trajectory[0].kind"))
                .body("detail", containsString("tool_result"));
    }

    @Test
    void theCorrectionsExport_carriesTheStepsAndTheirVerdicts() throws Exception {
        String uc = uniqueUseCase("run");
        String task = runTask(uc, STEPS);
        verdict(reviewer("rita"), task, claimToken("rita", task), "CORRECT", "\"rationale\":\"check first\","
                + "\"correctedOutput\":{\"name\":\"refund\",\"arguments\":{\"amount\":0}},\"process\":\"FLAWED\","
                + "\"steps\":[{\"index\":1,\"verdict\":\"WRONG\",\"note\":\"no check\"}]").then().statusCode(200);
        String sft = Review.admin().accept("application/x-ndjson").queryParam("useCase", uc)
                .get("/v1/exports/corrections").then().statusCode(200).extract().asString();
        JsonNode line = new ObjectMapper().readTree(sft);
        assertThat(line.at("/trajectory/0/kind").asText()).isEqualTo("message");
        assertThat(line.at("/trajectory").size()).isEqualTo(4);
        JsonNode judged = line.at("/stepVerdicts/0");
        assertThat(judged.get("reviewer").asText()).isEqualTo("rita");
        assertThat(judged.get("process").asText()).isEqualTo("FLAWED");
        assertThat(judged.at("/steps/0/index").asInt()).isEqualTo(1);
        assertThat(judged.at("/steps/0/verdict").asText()).isEqualTo("WRONG");
        assertThat(judged.at("/steps/0/note").asText()).isEqualTo("no check");
    }

    private static String one(Connection c, String sql) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}

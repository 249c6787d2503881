package dev.oversight.review.rest;

import static dev.oversight.review.rest.Review.claimToken;
import static dev.oversight.review.rest.Review.reviewer;
import static dev.oversight.review.rest.Review.router;
import static dev.oversight.review.rest.Review.task;
import static dev.oversight.review.rest.Review.uniqueUseCase;
import static dev.oversight.review.rest.Review.verdict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

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

/**
 * A benchmark item judged again: the router asks with a judgement id, the task is a JUDGE_ITEM of its own beside the
 * decision's review, and its verdict goes back as a judgement (ITEM_JUDGED), not as the decision's outcome.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class JudgeItemTest {

    @Inject
    AgroalDataSource db;

    @Test
    void aJudgementTaskStandsBesideTheReview_isIdempotent_andItsVerdictGoesBackAsAJudgement() throws Exception {
        String uc = uniqueUseCase("judge");
        UUID decision = UUID.randomUUID();
        UUID judgement = UUID.randomUUID();
        String review = router().body(task(decision, uc, 1, null)).post("/v1/tasks").then().statusCode(201)
                .extract().path("taskId");
        String asked = task(decision, uc, 1, "\"judgementId\":\"" + judgement + "\",\"reasons\":[\"REJUDGE\"]");
        String judging = router().body(asked).post("/v1/tasks").then().statusCode(201)
                .body("kind", equalTo("JUDGE_ITEM")).body("taskId", not(equalTo(review))).extract().path("taskId");
        router().body(asked).post("/v1/tasks").then().statusCode(200).body("taskId", equalTo(judging));

        // The decision's own review was judged long ago; the judgement carries only its own verdicts.
        verdict(reviewer("ann"), review, claimToken("ann", review), "REJECT", "\"rationale\":\"then\"").then()
                .statusCode(200);
        verdict(reviewer("jo"), judging, claimToken("jo", judging), "APPROVE", null).then().statusCode(200);
        String toRouter = scalar("SELECT payload FROM outbox WHERE destination = 'router' AND subject_id = '" + judging
                + "'");
        var body = new ObjectMapper().readTree(toRouter);
        assertThat(body.get("judgementId").asText()).isEqualTo(judgement.toString());
        assertThat(body.get("verdicts")).hasSize(1);
        assertThat(body.get("verdicts").get(0).get("reviewer").asText()).isEqualTo("jo");
        assertThat(scalar("SELECT string_agg(type, ',' ORDER BY id) FROM outbox WHERE destination = 'audit'"
                + " AND subject_id = '" + judging + "' AND type IN ('ITEM_JUDGED', 'OUTCOME_FINAL')"))
                .isEqualTo("ITEM_JUDGED");
        // The decision's own review keeps its own outcome.
        reviewer("jo").get("/v1/tasks/{id}", review).then().statusCode(200).body("finalVerdict", equalTo("REJECT"));
    }

    @Test
    void oneSideOfABlindComparison_showsTheReference_takesApproveOrReject_andGoesBackAsAJudgement() throws Exception {
        String uc = uniqueUseCase("compare");
        UUID side = UUID.randomUUID();
        UUID comparison = UUID.randomUUID();
        String asked = task(side, uc, 1, "\"judgementId\":\"" + comparison + "\",\"reasons\":[\"COMPARE\"],"
                + "\"comparison\":{\"reference\":{\"answer\":41}}");
        String judging = router().body(asked).post("/v1/tasks").then().statusCode(201)
                .body("kind", equalTo("JUDGE_ITEM")).body("comparison.reference.answer", equalTo(41))
                .extract().path("taskId");
        router().body(asked).post("/v1/tasks").then().statusCode(200).body("taskId", equalTo(judging));
        // Without a reference (people only rejected) the reviewer judges the output on its own.
        UUID bare = UUID.randomUUID();
        router().body(task(bare, uc, 1, "\"judgementId\":\"" + comparison + "\",\"comparison\":{}"))
                .post("/v1/tasks").then().statusCode(201).body("comparison.size()", equalTo(0));
        // A comparison belongs to the router's judgement, and holds nothing but the reference.
        router().body(task(UUID.randomUUID(), uc, 1, "\"comparison\":{}")).post("/v1/tasks").then().statusCode(400)
                .body("errors[0].field", equalTo("comparison"));
        router().body(task(UUID.randomUUID(), uc, 1, "\"judgementId\":\"" + comparison + "\",\"comparison\":"
                + "{\"candidate\":\"m2\"}")).post("/v1/tasks").then().statusCode(400);

        // A correction would be a new reference, not a judgement of this output.
        long token = claimToken("jo", judging);
        verdict(reviewer("jo"), judging, token, "CORRECT", "\"rationale\":\"no\",\"correctedOutput\":{\"a\":1}")
                .then().statusCode(400).body("errors[0].field", equalTo("verdict"));
        verdict(reviewer("jo"), judging, token, "REJECT", "\"rationale\":\"off by one\"").then().statusCode(200);
        var body = new ObjectMapper().readTree(scalar("SELECT payload FROM outbox WHERE destination = 'router'"
                + " AND subject_id = '" + judging + "'"));
        assertThat(body.get("judgementId").asText()).isEqualTo(comparison.toString());
        assertThat(body.get("decisionId").asText()).isEqualTo(side.toString());
        assertThat(body.get("verdict").asText()).isEqualTo("REJECT");
        String audited = scalar("SELECT payload::text FROM outbox WHERE destination = 'audit' AND subject_id = '"
                + judging + "' AND type = 'ITEM_JUDGED'");
        assertThat(new ObjectMapper().readTree(audited).get("comparison").asBoolean()).isTrue();
        assertThat(audited).doesNotContain("off by one").doesNotContain("answer");
    }

    private String scalar(String sql) throws Exception {
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

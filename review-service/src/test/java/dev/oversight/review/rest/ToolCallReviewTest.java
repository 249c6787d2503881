package dev.oversight.review.rest;

import static dev.oversight.review.rest.Review.claimToken;
import static dev.oversight.review.rest.Review.reviewer;
import static dev.oversight.review.rest.Review.router;
import static dev.oversight.review.rest.Review.uniqueUseCase;
import static dev.oversight.review.rest.Review.verdict;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.oversight.common.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Reviewing an agent's tool call: the task says it is a call, and a correction must be a call the agent may make. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ToolCallReviewTest {

    private static String callTask(String useCase) {
        String body = "{\"decisionId\":\"" + UUID.randomUUID() + "\",\"useCase\":\"" + useCase + "\",\"modelVersion\":"
                + "\"agent-1\",\"output\":{\"name\":\"refund\",\"arguments\":{\"amount\":3}},\"rawConfidence\":0.9,"
                + "\"reasons\":[\"TOOL_REVIEW\"],\"requiredReviews\":1,\"toolCall\":true,"
                + "\"allowedTools\":[\"lookup\",\"refund\"]}";
        return router().body(body).post("/v1/tasks").then().statusCode(201).extract().path("taskId");
    }

    @Test
    void theTaskShowsTheCall_andACorrectionMustCallAnAllowedToolWithObjectArguments() {
        String uc = uniqueUseCase("agent");
        String task = callTask(uc);
        long token = claimToken("tess", task);
        reviewer("tess").get("/v1/tasks/{id}", task).then().statusCode(200)
                .body("toolCall", equalTo(true)).body("allowedTools", contains("lookup", "refund"))
                .body("output.name", equalTo("refund"));

        verdict(reviewer("tess"), task, token, "CORRECT", "\"rationale\":\"wrong tool\",\"correctedOutput\":"
                + "{\"name\":\"delete_customer\",\"arguments\":{}}").then().statusCode(400)
                .body("errors[0].field", equalTo("correctedOutput.name"));
        verdict(reviewer("tess"), task, token, "CORRECT", "\"rationale\":\"smaller\",\"correctedOutput\":"
                + "{\"name\":\"refund\",\"arguments\":[1]}").then().statusCode(400)
                .body("errors[0].field", equalTo("correctedOutput.arguments"));
        verdict(reviewer("tess"), task, token, "CORRECT", "\"rationale\":\"refund less\",\"correctedOutput\":"
                + "{\"name\":\"refund\",\"arguments\":{\"amount\":2}}").then().statusCode(200)
                .body("finalVerdict", equalTo("CORRECT"));
    }

    @Test
    void anOutputTask_takesAnyCorrection() {
        String uc = uniqueUseCase("plain");
        String body = "{\"decisionId\":\"" + UUID.randomUUID() + "\",\"useCase\":\"" + uc + "\",\"modelVersion\":"
                + "\"m1\",\"output\":{\"decision\":\"approve\"},\"rawConfidence\":0.6,\"reasons\":[\"LOW_CONFIDENCE\"],"
                + "\"requiredReviews\":1}";
        String task = router().body(body).post("/v1/tasks").then().statusCode(201).extract().path("taskId");
        long token = claimToken("tess", task);
        reviewer("tess").get("/v1/tasks/{id}", task).then().statusCode(200).body("toolCall", equalTo(false));
        verdict(reviewer("tess"), task, token, "CORRECT", "\"rationale\":\"no\",\"correctedOutput\":[1]").then()
                .statusCode(200);
    }
}

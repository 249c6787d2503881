package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.json;
import static dev.oversight.routing.api.Api.putPolicy;
import static dev.oversight.routing.api.Api.route;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import dev.oversight.common.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An agent's next action, gated before it happens: released, reviewed or blocked by its tool and its arguments. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ToolCallApiTest {

    private static final String POLICY = "{\"threshold\":0.8,\"auditSampleRate\":0.0,"
            + "\"blockRules\":[{\"name\":\"big-transfer\","
            + "\"when\":\"toolCall.name == 'transfer' && toolCall.arguments.amount > 1000\"}],"
            + "\"tools\":[{\"name\":\"lookup\"},{\"name\":\"transfer\",\"route\":\"AUTO\"},"
            + "{\"name\":\"refund\",\"route\":\"REVIEW\",\"requiredReviews\":2},{\"name\":\"delete\",\"route\":\"BLOCK\"}]}";

    @jakarta.inject.Inject
    io.agroal.api.AgroalDataSource db;

    private String uc;

    @BeforeEach
    void createUseCase() {
        uc = uniqueUseCase("agent");
        putPolicy(uc, POLICY).then().statusCode(201).body("policy.tools.name", contains("lookup", "transfer", "refund",
                "delete"));
    }

    private String call(String name, String arguments, double confidence) {
        return "{\"useCase\":\"" + uc + "\",\"modelVersion\":\"agent-1\",\"toolCall\":{\"name\":\"" + name
                + "\",\"arguments\":" + arguments + "},\"confidence\":" + confidence + "}";
    }

    @Test
    void aConfidentCallOfAnAllowedTool_isReleased_andTheDecisionIsTheCallToExecute() {
        String id = route(call("transfer", "{\"amount\":20,\"to\":\"acct-7\"}", 0.95)).then().statusCode(200)
                .body("route", equalTo("RELEASE")).body("kind", equalTo("TOOL_CALL")).body("reasons", empty())
                .extract().path("decisionId");
        json().get("/v1/decisions/{id}", id).then().statusCode(200)
                .body("kind", equalTo("TOOL_CALL"))
                .body("output.name", equalTo("transfer")).body("output.arguments.amount", equalTo(20))
                .body("finalOutput.name", equalTo("transfer")).body("finalOutput.arguments.to", equalTo("acct-7"));
    }

    @Test
    void aRuleReadsTheCallsArguments_andBlocksIt() {
        route(call("transfer", "{\"amount\":5000}", 0.99)).then().statusCode(200)
                .body("route", equalTo("BLOCK")).body("reasons", contains("BLOCK_RULE:big-transfer"));
        // The same rule leaves other tools and plain outputs alone.
        route(call("lookup", "{\"amount\":5000}", 0.99)).then().statusCode(200).body("route", equalTo("RELEASE"));
        route("{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m\",\"output\":{\"amount\":5000},\"confidence\":0.99}")
                .then().statusCode(200).body("route", equalTo("RELEASE")).body("kind", equalTo("OUTPUT"));
    }

    @Test
    void aToolTheListDoesNotName_isBlocked_aBlockedToolToo_andAReviewedToolAsksItsReviews() {
        String id = route(call("wire_abroad", "{}", 0.99)).then().statusCode(200)
                .body("route", equalTo("BLOCK")).body("reasons", contains("TOOL_NOT_ALLOWED"))
                .extract().path("decisionId");
        json().get("/v1/decisions/{id}", id).then().statusCode(200).body("finalOutput", nullValue());
        route(call("delete", "{}", 0.99)).then().statusCode(200)
                .body("route", equalTo("BLOCK")).body("reasons", contains("TOOL_BLOCKED"));
        route(call("refund", "{\"amount\":3}", 0.99)).then().statusCode(200)
                .body("route", equalTo("REVIEW")).body("reasons", contains("TOOL_REVIEW"))
                .body("requiredReviews", equalTo(2));
    }

    @Test
    void anUnsureCall_goesToReview_likeAnyOutput() {
        route(call("lookup", "{\"q\":\"balance\"}", 0.3)).then().statusCode(200)
                .body("route", equalTo("REVIEW")).body("reasons", hasItem("LOW_CONFIDENCE"));
    }

    @Test
    void badCalls_areProblems_thatNameTheField() {
        route("{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m\",\"output\":1,\"toolCall\":{\"name\":\"lookup\","
                + "\"arguments\":{}},\"confidence\":0.9}").then().statusCode(400)
                .body("errors[0].field", equalTo("toolCall"));
        route(call("bad name!", "{}", 0.9)).then().statusCode(400).body("errors[0].field", equalTo("toolCall.name"));
        route(call("lookup", "[1,2]", 0.9)).then().statusCode(400)
                .body("errors[0].field", containsString("toolCall.arguments"));
        route("{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m\",\"toolCall\":{\"name\":\"lookup\"},"
                + "\"confidence\":0.9}").then().statusCode(400).body("errors[0].field", equalTo("toolCall.arguments"));
        putPolicy(uniqueUseCase("agent"), "{\"tools\":[{\"name\":\"a\"},{\"name\":\"a\"}]}").then().statusCode(400)
                .body("errors[0].field", equalTo("tools"));
    }

    @Test
    void aReviewedCall_asksForACallOfAnAllowedTool_andARejectionIsFeedbackForTheAgent() throws Exception {
        String body = call("refund", "{\"amount\":3}", 0.99);
        String id = route(body.substring(0, body.length() - 1) + ",\"callbackUrl\":\"http://localhost:9/hook\"}")
                .then().statusCode(200).body("route", equalTo("REVIEW")).extract().path("decisionId");
        // The review task knows it reviews a call, and which tools a correction may call (not the blocked one).
        try (java.sql.Connection c = db.getConnection(); java.sql.ResultSet rs = c.createStatement().executeQuery(
                "SELECT payload FROM outbox WHERE destination = 'review' AND subject_id = '" + id + "'")) {
            rs.next();
            String task = rs.getString(1);
            org.assertj.core.api.Assertions.assertThat(task).contains("\"toolCall\":true")
                    .contains("\"allowedTools\":[\"lookup\",\"transfer\",\"refund\"]");
        }
        String outcome = "[{\"eventId\":\"" + java.util.UUID.randomUUID() + "\",\"decisionId\":\"" + id
                + "\",\"taskId\":\"" + java.util.UUID.randomUUID() + "\",\"verdict\":\"REJECT\",\"correct\":false,"
                + "\"timedOut\":false,\"decidedBy\":\"ann\",\"decidedAt\":\"2026-11-23T10:15:30Z\",\"finalOutput\":null,"
                + "\"verdicts\":[{\"reviewer\":\"ann\",\"verdict\":\"REJECT\",\"rationale\":\"refund the invoice,"
                + " not the card\"}]}]";
        json().body(outcome).post("/v1/outcomes").then().statusCode(200);
        json().get("/v1/decisions/{id}", id).then().statusCode(200)
                .body("status", equalTo("REJECTED")).body("finalOutput", nullValue())
                .body("feedback", equalTo("refund the invoice, not the card"));
        // The agent's callback carries the same feedback.
        try (java.sql.Connection c = db.getConnection(); java.sql.ResultSet rs = c.createStatement().executeQuery(
                "SELECT payload->>'feedback' FROM outbox WHERE destination = 'callback' AND subject_id = '" + id + "'")) {
            org.assertj.core.api.Assertions.assertThat(rs.next()).isTrue();
            org.assertj.core.api.Assertions.assertThat(rs.getString(1)).isEqualTo("refund the invoice, not the card");
        }
    }
}

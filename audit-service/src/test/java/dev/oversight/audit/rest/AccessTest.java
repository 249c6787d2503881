package dev.oversight.audit.rest;

import static dev.oversight.common.testing.AccessMatrix.rule;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.oversight.common.testing.AccessMatrix;
import dev.oversight.audit.testing.AuditDatabase;
import dev.oversight.common.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(AuditDatabase.class)
class AccessTest {

    static final List<AccessMatrix.Rule> RULES = List.of(
            rule("POST", "/v1/events", "/v1/events", "[]", "service"),
            rule("GET", "/v1/events", "/v1/events?limit=1", null, "auditor", "admin"),
            rule("GET", "/v1/events/{index}", "/v1/events/0", null, "auditor", "admin"),
            rule("GET", "/v1/events/{index}/receipt", "/v1/events/0/receipt", null, "auditor", "admin"),
            rule("GET", "/v1/trails/{decisionId}", "/v1/trails/" + UUID.randomUUID(), null, "auditor", "admin"),
            rule("GET", "/v1/receipts/{eventId}", "/v1/receipts/" + UUID.randomUUID(), null, "auditor", "admin",
                    "service"),
            rule("GET", "/v1/trails/{decisionId}/receipt", "/v1/trails/" + UUID.randomUUID() + "/receipt", null,
                    "auditor", "admin", "service"),
            rule("POST", "/v1/verify", "/v1/verify?to=0", null, "auditor", "admin"),
            rule("GET", "/v1/export", "/v1/export?to=0", null, "auditor", "admin"),
            rule("GET", "/v1/checkpoints/latest", "/v1/checkpoints/latest", null, "*"),
            rule("GET", "/v1/checkpoints", "/v1/checkpoints?limit=1", null, "*"),
            rule("GET", "/v1/checkpoints/public-key", "/v1/checkpoints/public-key", null, "*"),
            rule("POST", "/v1/checkpoints", "/v1/checkpoints", null, "admin", "service"),
            rule("GET", "/v1/proofs/inclusion", "/v1/proofs/inclusion?index=0&treeSize=1", null, "*"),
            rule("GET", "/v1/proofs/consistency", "/v1/proofs/consistency?first=0&second=0", null, "*"));

    @BeforeEach
    void logHasAnEvent() {
        AuditApi.json().body("[" + AuditApi.event(UUID.randomUUID(), "POLICY_CHANGED", "access", "{}") + "]")
                .post("/v1/events").then().statusCode(200);
    }

    @Test
    void everyEndpointHasAnAccessRule() {
        AccessMatrix.assertCoversEveryEndpoint(RULES);
    }

    @Test
    void everyRuleIsEnforced_forEveryRoleAndEveryBadToken() {
        RULES.forEach(AccessMatrix::assertEnforced);
    }

    @Test
    void oneIdentityPerService_onlyTheRouterAndTheReviewServiceAppendEvents() {
        for (String producer : new String[] {"routing-service", "review-service"}) {
            given().auth().oauth2(Tokens.of(producer, "service")).contentType("application/json")
                    .body("[" + AuditApi.event(UUID.randomUUID(), "POLICY_CHANGED", "access", "{}") + "]")
                    .post("/v1/events").then().statusCode(200);
        }
        for (String other : new String[] {"console", "audit-service", "someone-else"}) {
            given().auth().oauth2(Tokens.of(other, "service")).contentType("application/json")
                    .body("[" + AuditApi.event(UUID.randomUUID(), "POLICY_CHANGED", "access", "{}") + "]")
                    .post("/v1/events").then().statusCode(403)
                    .body("detail", org.hamcrest.Matchers.containsString("audit.event-producers"));
        }
    }

    @Test
    void theAuditorWhoQueried_isRecordedByName() {
        given().auth().oauth2(Tokens.of("carol", "auditor")).queryParam("type", "MODE_CHANGED").get("/v1/events")
                .then().statusCode(200);
        given().auth().oauth2(Tokens.of("carol", "auditor")).queryParam("actor", "carol").queryParam("type", "AUDIT_QUERY")
                .get("/v1/events").then().statusCode(200)
                .body("items.actor", hasItem("carol"))
                .body("items[0].payload.query", equalTo("GET /v1/events"));
    }
}

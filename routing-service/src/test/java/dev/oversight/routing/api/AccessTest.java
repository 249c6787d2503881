package dev.oversight.routing.api;

import static dev.oversight.common.testing.AccessMatrix.rule;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.oversight.common.testing.AccessMatrix;
import dev.oversight.common.testing.PostgresResource;
import dev.oversight.common.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class AccessTest {

    private static final String UC = "/v1/use-cases/access-matrix";
    private static final String ROUTE = "{\"useCase\":\"access-matrix\",\"modelVersion\":\"m\",\"output\":1,\"confidence\":0.5}";

    static final List<AccessMatrix.Rule> RULES = List.of(
            rule("POST", "/v1/route", "/v1/route", ROUTE, "app"),
            rule("POST", "/v1/route/noop", "/v1/route/noop", ROUTE, "app"),
            rule("GET", "/v1/decisions/{id}", "/v1/decisions/01234567-89ab-7def-8123-456789abcdef", null,
                    "app", "admin", "auditor"),
            rule("GET", "/v1/decisions/{id}/receipt", "/v1/decisions/01234567-89ab-7def-8123-456789abcdef/receipt", null,
                    "app", "admin", "auditor"),
            rule("POST", "/v1/incidents", "/v1/incidents", "{}", "admin"),
            rule("POST", "/v1/erasures", "/v1/erasures", "{}", "admin"),
            rule("GET", "/v1/erasures", "/v1/erasures", null, "admin", "auditor"),
            rule("GET", "/v1/erasures/{id}", "/v1/erasures/" + java.util.UUID.randomUUID(), null, "admin", "auditor"),
            rule("POST", "/v1/erasures/retention-sweep", "/v1/erasures/retention-sweep", null, "admin"),
            rule("GET", "/v1/use-cases/{useCase}/retention", UC + "/retention", null, "admin", "auditor"),
            rule("PUT", "/v1/use-cases/{useCase}/retention", UC + "/retention", "{}", "admin"),
            rule("POST", "/v1/use-cases/{useCase}/reports", UC + "/reports", "{}", "admin", "auditor"),
            rule("GET", "/v1/use-cases/{useCase}/reports", UC + "/reports", null, "admin", "auditor"),
            rule("GET", "/v1/use-cases/{useCase}/reports/{id}", UC + "/reports/" + java.util.UUID.randomUUID(), null,
                    "admin", "auditor"),
            rule("GET", "/v1/incidents", "/v1/incidents", null, "admin", "auditor"),
            rule("GET", "/v1/incidents/{id}", "/v1/incidents/" + java.util.UUID.randomUUID(), null, "admin", "auditor"),
            rule("POST", "/v1/incidents/{id}/status", "/v1/incidents/" + java.util.UUID.randomUUID() + "/status",
                    "{\"status\":\"CLOSED\"}", "admin"),
            rule("GET", "/v1/incidents/{id}/evidence", "/v1/incidents/" + java.util.UUID.randomUUID() + "/evidence",
                    null, "admin", "auditor"),
            rule("POST", "/v1/decisions/{id}/override", "/v1/decisions/01234567-89ab-7def-8123-456789abcdef/override",
                    "{\"reason\":\"matrix\"}", "admin", "senior-reviewer"),
            rule("PUT", "/v1/use-cases/{useCase}/policy", UC + "/policy", "{\"threshold\":0.8,\"apps\":[\"*\"]}", "admin"),
            rule("GET", "/v1/use-cases/{useCase}", UC, null, "admin", "auditor"),
            rule("GET", "/v1/use-cases", "/v1/use-cases?limit=1", null, "admin", "auditor"),
            rule("GET", "/v1/use-cases/{useCase}/oversight", UC + "/oversight", null, "admin", "auditor"),
            rule("POST", "/v1/use-cases/{useCase}/policies/{version}/approve", UC + "/policies/99/approve", null,
                    "admin"),
            rule("POST", "/v1/use-cases/{useCase}/mode-changes/{id}/approve", UC + "/mode-changes/99999/approve", null,
                    "admin"),
            rule("GET", "/v1/use-cases/{useCase}/policies", UC + "/policies", null, "admin", "auditor"),
            rule("POST", "/v1/use-cases/{useCase}/mode", UC + "/mode", "{\"mode\":\"AUTO\",\"reason\":\"matrix\"}", "admin"),
            rule("POST", "/v1/labels", "/v1/labels", "[]", "admin", "service"),
            rule("POST", "/v1/outcomes", "/v1/outcomes", "[]", "service"),
            rule("POST", "/v1/apps/{app}/webhook-secret", "/v1/apps/matrix-app/webhook-secret", null, "admin"),
            rule("POST", "/v1/use-cases/{useCase}/calibrations", UC + "/calibrations", "{\"method\":\"identity\"}", "admin"),
            rule("GET", "/v1/use-cases/{useCase}/calibrations", UC + "/calibrations", null, "admin", "auditor"),
            rule("GET", "/v1/use-cases/{useCase}/calibrations/{version}", UC + "/calibrations/1", null, "admin", "auditor"),
            rule("POST", "/v1/use-cases/{useCase}/calibrations/{version}/activate", UC + "/calibrations/1/activate", null,
                    "admin"),
            rule("POST", "/v1/use-cases/{useCase}/calibrations/{version}/approve", UC + "/calibrations/1/approve", null,
                    "admin"),
            rule("POST", "/v1/use-cases/{useCase}/benchmarks", UC + "/benchmarks", "{\"name\":\"matrix\"}", "admin"),
            rule("GET", "/v1/use-cases/{useCase}/benchmarks", UC + "/benchmarks", null, "admin", "auditor"),
            rule("GET", "/v1/use-cases/{useCase}/benchmarks/{version}", UC + "/benchmarks/1", null, "admin", "auditor"),
            rule("GET", "/v1/use-cases/{useCase}/benchmarks/{version}/items", UC + "/benchmarks/1/items", null,
                    "admin"),
            rule("POST", "/v1/use-cases/{useCase}/benchmarks/{version}/rejudge", UC + "/benchmarks/1/rejudge",
                    "{\"guidelineVersion\":1}", "admin"),
            rule("GET", "/v1/use-cases/{useCase}/benchmarks/rejudges/{id}",
                    UC + "/benchmarks/rejudges/01234567-89ab-7def-8123-456789abcdef", null, "admin", "auditor"),
            rule("POST", "/v1/use-cases/{useCase}/benchmarks/erasures", UC + "/benchmarks/erasures",
                    "{\"itemId\":\"01234567-89ab-7def-8123-456789abcdef\",\"reason\":\"matrix\"}", "admin"),
            rule("POST", "/v1/use-cases/{useCase}/evaluations", UC + "/evaluations",
                    "{\"benchmark\":1,\"modelVersion\":\"m\",\"results\":[{\"itemId\":"
                            + "\"01234567-89ab-7def-8123-456789abcdef\",\"output\":1,\"confidence\":0.5}]}",
                    "admin", "service"),
            rule("POST", "/v1/use-cases/{useCase}/evaluations/{id}/results",
                    UC + "/evaluations/01234567-89ab-7def-8123-456789abcdef/results", "{\"results\":[]}",
                    "admin", "service"),
            rule("GET", "/v1/use-cases/{useCase}/evaluations", UC + "/evaluations", null, "admin", "auditor"),
            rule("GET", "/v1/use-cases/{useCase}/evaluations/{id}",
                    UC + "/evaluations/01234567-89ab-7def-8123-456789abcdef", null, "admin", "auditor"),
            rule("POST", "/v1/use-cases/{useCase}/evaluations/{id}/comparisons",
                    UC + "/evaluations/01234567-89ab-7def-8123-456789abcdef/comparisons", null, "admin"),
            rule("GET", "/v1/use-cases/{useCase}/evaluations/{id}/comparisons/{comparison}",
                    UC + "/evaluations/01234567-89ab-7def-8123-456789abcdef/comparisons/"
                            + "01234567-89ab-7def-8123-456789abcdef", null, "admin", "auditor"),
            rule("GET", "/v1/use-cases/{useCase}/shadow", UC + "/shadow?modelVersion=m", null, "admin", "auditor"),
            rule("POST", "/v1/use-cases/{useCase}/promotions", UC + "/promotions",
                    "{\"modelVersion\":\"m\",\"evaluation\":\"01234567-89ab-7def-8123-456789abcdef\"}", "admin"));

    @Test
    void everyEndpointHasAnAccessRule() {
        AccessMatrix.assertCoversEveryEndpoint(RULES);
    }

    @Test
    void everyRuleIsEnforced_forEveryRoleAndEveryBadToken() {
        RULES.forEach(AccessMatrix::assertEnforced);
    }

    @Test
    void anAppCannotReadAnotherAppsDecision() {
        Api.putPolicy("access-owner", "{\"threshold\":0.5}").then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        String body = "{\"useCase\":\"access-owner\",\"modelVersion\":\"m\",\"output\":1,\"confidence\":0.9}";
        String id = given().auth().oauth2(Tokens.of("app-a", "app")).contentType("application/json").body(body)
                .post("/v1/route").then().statusCode(200).extract().path("decisionId");
        given().auth().oauth2(Tokens.of("app-a", "app")).get("/v1/decisions/{id}", id).then().statusCode(200)
                .body("decisionId", equalTo(id));
        given().auth().oauth2(Tokens.of("app-b", "app")).get("/v1/decisions/{id}", id).then().statusCode(404);
        given().auth().oauth2(Tokens.of("someone", "auditor")).get("/v1/decisions/{id}", id).then().statusCode(200);
        // Its receipt likewise: another app's is 404; the owner passes to the audit service (none here: 503), except
        // for an OUTCOME_FINAL a released decision never has (409) or an event without receipts (400).
        given().auth().oauth2(Tokens.of("app-b", "app")).get("/v1/decisions/{id}/receipt", id).then().statusCode(404);
        given().auth().oauth2(Tokens.of("app-a", "app")).get("/v1/decisions/{id}/receipt", id).then().statusCode(503)
                .body("detail", org.hamcrest.Matchers.containsString("routing.audit-url"));
        given().auth().oauth2(Tokens.of("app-a", "app")).get("/v1/decisions/{id}/receipt?event=OUTCOME_FINAL", id)
                .then().statusCode(409).body("detail", org.hamcrest.Matchers.containsString("not reviewed"));
        given().auth().oauth2(Tokens.of("app-a", "app")).get("/v1/decisions/{id}/receipt?event=POLICY_CHANGED", id)
                .then().statusCode(400);
        // The same idempotency key from two apps yields two decisions: keys belong to their caller.
        String keyed = body.replace("}", ",\"idempotencyKey\":\"shared-key\"}");
        String a = given().auth().oauth2(Tokens.of("app-a", "app")).contentType("application/json").body(keyed)
                .post("/v1/route").then().statusCode(200).extract().path("decisionId");
        String b = given().auth().oauth2(Tokens.of("app-b", "app")).contentType("application/json").body(keyed)
                .post("/v1/route").then().statusCode(200).extract().path("decisionId");
        org.assertj.core.api.Assertions.assertThat(a).isNotEqualTo(b);
    }

    @Test
    void oneIdentityPerService_onlyTheReviewServiceDeliversOutcomesAndLabels() {
        String outcome = "[{\"eventId\":\"" + java.util.UUID.randomUUID() + "\",\"decisionId\":\""
                + java.util.UUID.randomUUID() + "\",\"verdict\":\"APPROVE\",\"decidedAt\":\"2026-12-01T00:00:00Z\"}]";
        String label = "[{\"useCase\":\"access-labels\",\"modelVersion\":\"m\",\"confidence\":0.5,\"correct\":true}]";
        for (String other : new String[] {"audit-service", "routing-service", "console"}) {
            given().auth().oauth2(Tokens.of(other, "service")).contentType("application/json").body(outcome)
                    .post("/v1/outcomes").then().statusCode(403).contentType("application/problem+json")
                    .body("detail", org.hamcrest.Matchers.containsString("routing.intake.outcome-producers"));
            given().auth().oauth2(Tokens.of(other, "service")).contentType("application/json").body(label)
                    .post("/v1/labels").then().statusCode(403);
        }
        given().auth().oauth2(Tokens.of("review-service", "service")).contentType("application/json").body(outcome)
                .post("/v1/outcomes").then().statusCode(200).body("items[0].result", equalTo("UNKNOWN_DECISION"));
    }

    @Test
    void policyChangesRecordWhoMadeThem() {
        given().auth().oauth2(Tokens.of("alice", "admin")).contentType("application/json").body("{\"threshold\":0.7,\"apps\":[\"*\"]}")
                .put("/v1/use-cases/access-actor/policy").then().statusCode(org.hamcrest.Matchers.oneOf(200, 201))
                .body("createdBy", equalTo("alice"));
    }

    @Test
    void problemsForAuthFailures_sayWhatToDo() {
        given().contentType("application/json").body(ROUTE).post("/v1/route").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", "Bearer");
        given().auth().oauth2(Tokens.of("r", "reviewer")).contentType("application/json").body(ROUTE).post("/v1/route")
                .then().statusCode(403).contentType("application/problem+json");
    }
}

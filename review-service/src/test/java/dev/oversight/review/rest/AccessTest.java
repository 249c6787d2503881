package dev.oversight.review.rest;

import static dev.oversight.common.testing.AccessMatrix.rule;

import dev.oversight.common.testing.AccessMatrix;
import dev.oversight.common.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every /v1 endpoint of the review service needs a rule here before it can land. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class AccessTest {

    private static final String TASK = "/v1/tasks/01234567-89ab-7def-8123-456789abcdef";
    private static final String[] REVIEWERS = {"reviewer", "senior-reviewer"};

    static final List<AccessMatrix.Rule> RULES = List.of(
            rule("POST", "/v1/tasks", "/v1/tasks", "{}", "service"),
            rule("POST", "/v1/tasks/batch", "/v1/tasks/batch", "[]", "service"),
            rule("POST", "/v1/erasures/batch", "/v1/erasures/batch", "[]", "service"),
            rule("GET", "/v1/tasks", "/v1/tasks?limit=1", null, "reviewer", "senior-reviewer", "admin"),
            rule("GET", "/v1/tasks/{id}", TASK, null, "reviewer", "senior-reviewer", "admin"),
            rule("GET", "/v1/tasks/queue", "/v1/tasks/queue", null, "reviewer", "senior-reviewer", "admin"),
            rule("POST", "/v1/tasks/claim-next", "/v1/tasks/claim-next", "{\"useCase\":\"access-none\"}", REVIEWERS),
            rule("POST", "/v1/tasks/{id}/claim", TASK + "/claim", null, REVIEWERS),
            rule("POST", "/v1/tasks/{id}/lease/renew", TASK + "/lease/renew", "{\"leaseToken\":1}", REVIEWERS),
            rule("POST", "/v1/tasks/{id}/release", TASK + "/release", "{\"leaseToken\":1}", REVIEWERS),
            rule("POST", "/v1/tasks/{id}/verdict", TASK + "/verdict", "{\"leaseToken\":1,\"verdict\":\"APPROVE\"}",
                    REVIEWERS),
            rule("POST", "/v1/gold-items", "/v1/gold-items", "{}", "admin"),
            rule("POST", "/v1/reviewers/{name}/reinstate", "/v1/reviewers/nobody/reinstate", null, "admin"),
            rule("PUT", "/v1/reviewers/{name}", "/v1/reviewers/access-nobody", "{}", "admin"),
            rule("GET", "/v1/reviewers", "/v1/reviewers", null, "admin", "senior-reviewer", "auditor"),
            rule("PUT", "/v1/use-cases/{useCase}/owners", "/v1/use-cases/access-matrix/owners",
                    "{\"emails\":[\"o@example.org\"]}", "admin"),
            rule("GET", "/v1/use-cases/{useCase}/owners", "/v1/use-cases/access-matrix/owners", null, "admin",
                    "auditor"),
            rule("GET", "/v1/reviewers/over-reliance", "/v1/reviewers/over-reliance?useCase=access-none", null,
                    "admin", "senior-reviewer", "auditor", "reviewer", "service"),
            rule("GET", "/v1/reviewers/progress", "/v1/reviewers/progress", null, "admin", "senior-reviewer",
                    "auditor"),
            // A reviewer reads only their own profile: another's is 403, as for any role not listed.
            rule("GET", "/v1/reviewers/{name}", "/v1/reviewers/access-nobody", null, "admin", "senior-reviewer",
                    "auditor"),
            rule("GET", "/v1/metrics/coverage", "/v1/metrics/coverage", null, "admin", "senior-reviewer", "auditor"),
            rule("POST", "/v1/tasks/{id}/assign", TASK + "/assign", "{}", "admin", "senior-reviewer"),
            rule("POST", "/v1/tasks/{id}/comments", TASK + "/comments", "{\"text\":\"matrix\"}", "reviewer",
                    "senior-reviewer", "admin"),
            rule("GET", "/v1/tasks/{id}/comments", TASK + "/comments", null, "reviewer", "senior-reviewer", "admin"),
            rule("DELETE", "/v1/tasks/{id}/comments/{comment}", TASK + "/comments/1", null, "admin"),
            rule("GET", "/v1/metrics/reviewers", "/v1/metrics/reviewers", null, "admin", "senior-reviewer", "auditor"),
            rule("GET", "/v1/metrics/agreement", "/v1/metrics/agreement?useCase=none", null, "admin", "senior-reviewer",
                    "auditor"),
            rule("GET", "/v1/exports/corrections", "/v1/exports/corrections?useCase=none", null, "admin"),
            rule("PUT", "/v1/use-cases/{useCase}/guidelines", "/v1/use-cases/access-matrix/guidelines",
                    "{\"instructions\":\"matrix\"}", "admin"),
            rule("GET", "/v1/use-cases/{useCase}/guidelines", "/v1/use-cases/access-matrix/guidelines", null,
                    "reviewer", "senior-reviewer", "admin", "auditor"),
            rule("GET", "/v1/use-cases/{useCase}/guidelines/versions", "/v1/use-cases/access-matrix/guidelines/versions",
                    null, "admin", "auditor", "senior-reviewer"));

    @Test
    void everyEndpointHasAnAccessRule() {
        AccessMatrix.assertCoversEveryEndpoint(RULES);
    }

    @Test
    void everyRuleIsEnforced_forEveryRoleAndEveryBadToken() {
        RULES.forEach(AccessMatrix::assertEnforced);
    }

    @Test
    void oneIdentityPerService_onlyTheRouterCreatesReviewTasks() {
        String body = Review.task(java.util.UUID.randomUUID(), "access-producers", 1, null);
        for (String other : new String[] {"audit-service", "review-service", "console"}) {
            io.restassured.RestAssured.given().auth().oauth2(dev.oversight.common.testing.Tokens.of(other, "service"))
                    .contentType("application/json").body(body).post("/v1/tasks").then().statusCode(403)
                    .body("detail", org.hamcrest.Matchers.containsString("review.task-producers"));
            io.restassured.RestAssured.given().auth().oauth2(dev.oversight.common.testing.Tokens.of(other, "service"))
                    .contentType("application/json").body("[" + body + "]").post("/v1/tasks/batch").then()
                    .statusCode(403);
        }
        io.restassured.RestAssured.given().auth()
                .oauth2(dev.oversight.common.testing.Tokens.of("routing-service", "service"))
                .contentType("application/json").body(body).post("/v1/tasks").then().statusCode(201);
    }
}

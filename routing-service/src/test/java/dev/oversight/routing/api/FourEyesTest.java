package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.uniqueUseCase;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.oversight.common.testing.PostgresResource;
import dev.oversight.common.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/** Four eyes: loosening waits for a second admin, the author cannot approve it, tightening applies at once. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class FourEyesTest {

    private static RequestSpecification as(String admin) {
        return given().auth().oauth2(Tokens.of(admin, "admin")).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    private static String policy(double threshold) {
        return "{\"threshold\":" + threshold + ",\"apps\":[\"*\"],\"fourEyes\":true}";
    }

    @Test
    void aLooseningPolicy_waitsForAnotherAdmin_andItsAuthorCannotApproveIt() {
        String uc = uniqueUseCase("four-eyes");
        as("alice").body(policy(0.8)).put("/v1/use-cases/{u}/policy", uc).then().statusCode(201);

        // Tightening applies at once.
        as("alice").body(policy(0.85)).put("/v1/use-cases/{u}/policy", uc).then().statusCode(200)
                .body("version", equalTo(2)).body("approval", nullValue());
        // Loosening is stored, but the version in force stays.
        as("alice").body(policy(0.6)).put("/v1/use-cases/{u}/policy", uc).then().statusCode(202)
                .body("version", equalTo(3)).body("approval.status", equalTo("PENDING"))
                .body("approval.loosens", contains("releaseCut: threshold lowered from 0.85 to 0.6"));
        as("bob").get("/v1/use-cases/{u}", uc).then().body("activePolicy.version", equalTo(2));

        as("alice").post("/v1/use-cases/{u}/policies/3/approve", uc).then().statusCode(403)
                .body("detail", org.hamcrest.Matchers.containsString("cannot approve"));
        as("bob").post("/v1/use-cases/{u}/policies/3/approve", uc).then().statusCode(200)
                .body("approval.status", equalTo("APPROVED")).body("approval.approvedBy", equalTo("bob"));
        as("bob").get("/v1/use-cases/{u}", uc).then().body("activePolicy.version", equalTo(3))
                .body("activePolicy.policy.threshold", equalTo(0.6f));
        as("carol").post("/v1/use-cases/{u}/policies/3/approve", uc).then().statusCode(409);
        as("carol").post("/v1/use-cases/{u}/policies/2/approve", uc).then().statusCode(409);
        as("carol").post("/v1/use-cases/{u}/policies/9/approve", uc).then().statusCode(404);
    }

    @Test
    void backToAutoAfterHalt_waitsForAnotherAdmin_whileHaltingAppliesAtOnce() {
        String uc = uniqueUseCase("four-eyes-mode");
        as("alice").body(policy(0.8)).put("/v1/use-cases/{u}/policy", uc).then().statusCode(201);
        as("alice").body("{\"mode\":\"HALT\",\"reason\":\"incident\"}").post("/v1/use-cases/{u}/mode", uc).then()
                .statusCode(200).body("mode", equalTo("HALT"));
        int change = as("alice").body("{\"mode\":\"AUTO\",\"reason\":\"fixed\"}").post("/v1/use-cases/{u}/mode", uc)
                .then().statusCode(202).body("mode", equalTo("HALT")).body("pendingModeChange.mode", equalTo("AUTO"))
                .extract().path("pendingModeChange.id");
        as("alice").post("/v1/use-cases/{u}/mode-changes/{id}/approve", uc, change).then().statusCode(403);
        as("bob").post("/v1/use-cases/{u}/mode-changes/{id}/approve", uc, change).then().statusCode(200)
                .body("mode", equalTo("AUTO")).body("modeChangedBy", equalTo("alice"))
                .body("pendingModeChange", nullValue());
        as("bob").post("/v1/use-cases/{u}/mode-changes/{id}/approve", uc, change).then().statusCode(409);
    }

    @Test
    void withoutFourEyes_everythingAppliesAtOnce() {
        String uc = uniqueUseCase("two-eyes");
        as("alice").body("{\"threshold\":0.8,\"apps\":[\"*\"]}").put("/v1/use-cases/{u}/policy", uc).then().statusCode(201);
        as("alice").body("{\"threshold\":0.5,\"apps\":[\"*\"]}").put("/v1/use-cases/{u}/policy", uc).then()
                .statusCode(200).body("approval", nullValue());
    }
}

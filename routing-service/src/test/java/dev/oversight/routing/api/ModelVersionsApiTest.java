package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.route;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.oversight.common.testing.PostgresResource;
import dev.oversight.common.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/**
 * A new model version is not released on a calibrator fitted to another: a policy lists the versions it allows, and
 * people allow a new one with a new policy version, which loosens oversight and so waits for a second admin.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ModelVersionsApiTest {

    private static RequestSpecification as(String admin) {
        return given().auth().oauth2(Tokens.of(admin, "admin")).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    private static String policy(String allowed, String onNew) {
        return "{\"threshold\":0.8,\"apps\":[\"*\"],\"auditSampleRate\":0,\"fourEyes\":true,"
                + "\"modelVersions\":{\"allowed\":[" + allowed + "]" + (onNew == null ? "" : ",\"onNew\":\"" + onNew + "\"")
                + "}}";
    }

    private static String output(String uc, String modelVersion) {
        return "{\"useCase\":\"" + uc + "\",\"modelVersion\":\"" + modelVersion + "\",\"output\":{\"label\":\"ok\"},"
                + "\"confidence\":0.99}";
    }

    @Test
    void aVersionNotAllowedIsReviewed_untilPeopleAllowIt_underFourEyes() {
        String uc = uniqueUseCase("versions");
        as("alice").body(policy("\"v1\"", null)).put("/v1/use-cases/{u}/policy", uc).then().statusCode(201)
                .body("policy.modelVersions.allowed", contains("v1"))
                .body("policy.modelVersions.onNew", equalTo("REVIEW_ALL"));
        route(output(uc, "v1")).then().statusCode(200).body("route", equalTo("RELEASE"));
        route(output(uc, "v2")).then().statusCode(200).body("route", equalTo("REVIEW"))
                .body("reasons", contains("MODEL_VERSION_NEW"));

        // Allowing v2 loosens oversight: it waits for another admin, and v2 stays under review meanwhile.
        int version = as("alice").body(policy("\"v1\", \"v2\"", null)).put("/v1/use-cases/{u}/policy", uc).then()
                .statusCode(202).body("approval.loosens", contains("modelVersions: v2 allowed"))
                .extract().path("version");
        route(output(uc, "v2")).then().body("route", equalTo("REVIEW"));
        as("bob").post("/v1/use-cases/{u}/policies/{v}/approve", uc, version).then().statusCode(200);
        route(output(uc, "v2")).then().body("route", equalTo("RELEASE"));
    }

    @Test
    void underBlock_aVersionNotAllowedIsBlocked_andAListNeedsAVersion() {
        String uc = uniqueUseCase("versions");
        as("alice").body(policy("\"v1\"", "BLOCK")).put("/v1/use-cases/{u}/policy", uc).then().statusCode(201);
        route(output(uc, "v2")).then().statusCode(200).body("route", equalTo("BLOCK"))
                .body("reasons", contains("MODEL_VERSION_NOT_ALLOWED"));
        as("alice").body(policy("", null)).put("/v1/use-cases/{u}/policy", uniqueUseCase("versions")).then()
                .statusCode(400).body("errors[0].field", equalTo("modelVersions.allowed"));
        as("alice").body(policy("\"v1\"", "SOMETIMES")).put("/v1/use-cases/{u}/policy", uniqueUseCase("versions"))
                .then().statusCode(400).body("errors[0].field", equalTo("modelVersions.onNew"));
    }
}

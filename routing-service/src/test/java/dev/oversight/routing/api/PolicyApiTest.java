package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.json;
import static dev.oversight.routing.api.Api.putPolicy;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.oversight.common.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class PolicyApiTest {

    @Test
    void firstPolicyCreatesTheUseCase_withDefaultsFilledIn() {
        String uc = uniqueUseCase("create");
        putPolicy(uc, "{\"threshold\":0.8}").then().statusCode(201)
                .contentType("application/json")
                .body("useCase", equalTo(uc))
                .body("version", equalTo(1))
                .body("policy.threshold", equalTo(0.8f))
                .body("policy.targetErrorRate", equalTo(0.05f))
                .body("policy.auditSampleRate", equalTo(0.01f))
                .body("policy.requiredReviews", equalTo(1))
                .body("policy.onReviewTimeout", equalTo("HOLD"))
                .body("policy.blindReview", equalTo(false));
        json().get("/v1/use-cases/{u}", uc).then().statusCode(200)
                .body("mode", equalTo("AUTO"))
                .body("activePolicy.version", equalTo(1))
                .body("calibratorVersion", equalTo(1))
                .body("calibratorMethod", equalTo("identity"));
    }

    @Test
    void changedPolicy_isANewVersion_samePolicyIsNot() {
        String uc = uniqueUseCase("versions");
        putPolicy(uc, "{\"threshold\":0.8}").then().statusCode(201).body("version", equalTo(1));
        putPolicy(uc, "{\"threshold\":0.8}").then().statusCode(200).body("version", equalTo(1));
        putPolicy(uc, "{\"threshold\":0.9}").then().statusCode(200).body("version", equalTo(2));
        putPolicy(uc, "{\"threshold\":null}").then().statusCode(200).body("version", equalTo(3))
                .body("policy.threshold", nullValue());
        json().get("/v1/use-cases/{u}", uc).then().body("activePolicy.version", equalTo(3));
    }

    @Test
    void history_isNewestFirst_andPaginates() {
        String uc = uniqueUseCase("history");
        for (int i = 1; i <= 5; i++) {
            putPolicy(uc, "{\"threshold\":0." + i + "}").then().statusCode(i == 1 ? 201 : 200);
        }
        String cursor = json().queryParam("limit", 2).get("/v1/use-cases/{u}/policies", uc).then().statusCode(200)
                .body("items", hasSize(2))
                .body("items[0].version", equalTo(5))
                .body("items[1].version", equalTo(4))
                .extract().path("nextCursor");
        json().queryParam("limit", 2).queryParam("cursor", cursor).get("/v1/use-cases/{u}/policies", uc).then()
                .body("items.version", org.hamcrest.Matchers.contains(3, 2));
        json().queryParam("limit", 10).get("/v1/use-cases/{u}/policies", uc).then()
                .body("items", hasSize(5)).body("nextCursor", nullValue());
        json().queryParam("limit", 501).get("/v1/use-cases/{u}/policies", uc).then().statusCode(400);
        json().queryParam("cursor", "abc").get("/v1/use-cases/{u}/policies", uc).then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
    }

    @Test
    void ruleThatDoesNotCompile_is400NamingTheRule_andNothingIsStored() {
        String uc = uniqueUseCase("badrule");
        putPolicy(uc, "{\"reviewRules\":[{\"name\":\"fine\",\"when\":\"true\"},"
                + "{\"name\":\"broken\",\"when\":\"attributes.amount >\"}]}")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("reviewRules[1].when"))
                .body("detail", containsString("broken"));
        json().get("/v1/use-cases/{u}", uc).then().statusCode(404);

        putPolicy(uc, "{\"blockRules\":[{\"name\":\"not-bool\",\"when\":\"confidence * 2.0\"}]}")
                .then().statusCode(400).body("detail", containsString("not-bool"));
    }

    @Test
    void aPolicyTooLargeForOneAuditEntry_is413_andNothingIsStored() {
        String uc = uniqueUseCase("huge");
        StringJoiner apps = new StringJoiner(",", "{\"apps\":[", "]}");
        for (int i = 0; i < 260; i++) {
            apps.add("\"app-" + i + "-" + "x".repeat(240) + "\"");
        }
        putPolicy(uc, apps.toString()).then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("POLICY_CHANGED"));
        json().get("/v1/use-cases/{u}", uc).then().statusCode(404);
    }

    @Test
    void invalidPolicies_are400ProblemDocuments() {
        String uc = uniqueUseCase("invalid");
        String[] bodies = {
            "{\"auditSampleRate\":-0.1}",
            "{\"threshold\":1.5}",
            "{\"targetErrorRate\":0}",
            "{\"delta\":1}",
            "{\"requiredReviews\":0}",
            "{\"reviewSlaSeconds\":5}",
            "{\"treshold\":0.5}",
            "{\"onReviewTimeout\":\"LATER\"}",
            "{\"threshold\":\"high\"}",
            "{\"reviewRules\":[{\"name\":\"a b\",\"when\":\"true\"}]}",
            "{\"reviewRules\":[{\"name\":\"dup\",\"when\":\"true\"}],\"blockRules\":[{\"name\":\"dup\",\"when\":\"true\"}]}",
            "{\"blockRules\":[{\"name\":\"b\",\"when\":\"true\",\"requiredReviews\":2}]}",
            "[]",
            "{",
            "",
        };
        for (String body : bodies) {
            putPolicy(uc, body).then().statusCode(400).contentType("application/problem+json")
                    .body("status", equalTo(400)).body("detail", org.hamcrest.Matchers.notNullValue());
        }
        json().get("/v1/use-cases/{u}", uc).then().statusCode(404);
    }

    @Test
    void unknownUseCase_is404_andBadNameIs400() {
        json().get("/v1/use-cases/{u}", "no-such-use-case").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("PUT /v1/use-cases"));
        json().get("/v1/use-cases/{u}/policies", "no-such-use-case").then().statusCode(404);
        json().body("{\"mode\":\"HALT\",\"reason\":\"x\"}").post("/v1/use-cases/{u}/mode", "no-such-use-case")
                .then().statusCode(404);
        json().get("/v1/use-cases/{u}", "Bad_Name").then().statusCode(400);
    }

    @Test
    void modeChange_requiresAReasonAndAKnownMode() {
        String uc = uniqueUseCase("mode");
        putPolicy(uc, "{}").then().statusCode(201);
        json().body("{\"mode\":\"HALT\"}").post("/v1/use-cases/{u}/mode", uc).then().statusCode(400)
                .body("errors[0].field", equalTo("reason"));
        json().body("{\"mode\":\"PAUSE\",\"reason\":\"x\"}").post("/v1/use-cases/{u}/mode", uc).then().statusCode(400);
        json().body("{\"mode\":\"REVIEW_ALL\",\"reason\":\"drift suspected\"}").post("/v1/use-cases/{u}/mode", uc)
                .then().statusCode(200).body("mode", equalTo("REVIEW_ALL")).body("modeReason", equalTo("drift suspected"));
    }

    @Test
    void useCaseList_isByName_withModeAndVersions_andPaginates() {
        String a = uniqueUseCase("list-a");
        String b = uniqueUseCase("list-b");
        putPolicy(a, "{}").then().statusCode(201);
        putPolicy(b, "{}").then().statusCode(201);
        putPolicy(b, "{\"threshold\":0.7}").then().statusCode(200);
        json().body("{\"mode\":\"HALT\",\"reason\":\"incident\"}").post("/v1/use-cases/{u}/mode", b).then().statusCode(200);
        // The use case just before a in name order is the cursor that starts a page at a.
        String before = a.substring(0, a.length() - 1) + (char) (a.charAt(a.length() - 1) - 1);
        io.restassured.path.json.JsonPath page = json().queryParam("cursor", before).queryParam("limit", 500)
                .get("/v1/use-cases").then().statusCode(200).extract().jsonPath();
        java.util.List<String> names = page.getList("items.useCase");
        org.assertj.core.api.Assertions.assertThat(names).contains(a, b).isSorted();
        org.assertj.core.api.Assertions.assertThat(page.getMap("items.find { it.useCase == '" + b + "' }"))
                .containsEntry("mode", "HALT").containsEntry("modeReason", "incident").containsEntry("policyVersion", 2)
                .containsEntry("calibratorVersion", 1);
        String next = json().queryParam("cursor", before).queryParam("limit", 1).get("/v1/use-cases").then()
                .statusCode(200).body("items", hasSize(1)).body("items[0].useCase", equalTo(a))
                .extract().path("nextCursor");
        json().queryParam("cursor", next).queryParam("limit", 1).get("/v1/use-cases").then().statusCode(200)
                .body("items[0].useCase", equalTo(names.get(names.indexOf(a) + 1)));
        json().queryParam("limit", 0).get("/v1/use-cases").then().statusCode(400);
    }
}

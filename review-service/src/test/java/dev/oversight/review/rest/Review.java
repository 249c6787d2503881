package dev.oversight.review.rest;

import static io.restassured.RestAssured.given;

import dev.oversight.common.testing.Tokens;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;

/** Test helpers: who calls, and the requests they make. */
final class Review {

    private Review() {
    }

    static RequestSpecification as(String subject, String... roles) {
        return given().auth().oauth2(Tokens.of(subject, roles)).contentType("application/json").accept("application/json");
    }

    static RequestSpecification router() {
        return as("routing-service", "service");
    }

    static RequestSpecification reviewer(String name) {
        return as(name, "reviewer");
    }

    static RequestSpecification senior(String name) {
        return as(name, "senior-reviewer");
    }

    static RequestSpecification admin() {
        return as("boss", "admin");
    }

    static String task(UUID decisionId, String useCase, int requiredReviews, String extra) {
        return "{\"decisionId\":\"" + decisionId + "\",\"useCase\":\"" + useCase + "\",\"modelVersion\":\"m1\","
                + "\"input\":{\"claim\":\"water damage\"},\"output\":{\"decision\":\"approve\"},\"rawConfidence\":0.61,"
                + "\"calibratedConfidence\":0.52,\"reasons\":[\"LOW_CONFIDENCE\"],\"requiredReviews\":" + requiredReviews
                + (extra == null ? "" : "," + extra) + "}";
    }

    static String newTask(String useCase, int requiredReviews, String extra) {
        return router().body(task(UUID.randomUUID(), useCase, requiredReviews, extra)).post("/v1/tasks")
                .then().statusCode(201).extract().path("taskId");
    }

    static Response claim(String reviewer, String taskId) {
        return reviewer(reviewer).post("/v1/tasks/{id}/claim", taskId);
    }

    static long claimToken(String reviewer, String taskId) {
        return claim(reviewer, taskId).then().statusCode(200).extract().jsonPath().getLong("leaseToken");
    }

    static Response verdict(RequestSpecification who, String taskId, long token, String verdict, String rest) {
        return who.body("{\"leaseToken\":" + token + ",\"verdict\":\"" + verdict + "\"" + (rest == null ? "" : "," + rest) + "}")
                .post("/v1/tasks/{id}/verdict", taskId);
    }

    static String uniqueUseCase(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}

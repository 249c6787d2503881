package dev.oversight.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.oversight.audit.testing.AuditDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(AuditDatabase.class)
class HealthTest {

    @Test
    void readiness_checksTheDatabase() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Database connections health check"));
    }

    @Test
    void unknownPath_isAProblemDocument() {
        given().get("/v1/nothing-here").then().statusCode(404).contentType("application/problem+json");
    }
}

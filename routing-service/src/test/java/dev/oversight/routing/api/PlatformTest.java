package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.putPolicy;
import static dev.oversight.routing.api.Api.route;
import static dev.oversight.routing.api.Api.routeBody;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.oversight.common.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Health, metrics and the API document: what operators and integrators rely on. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PlatformTest {

    @Test
    void readiness_checksTheDatabase() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItem("Database connections health check"));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void metrics_countDecisionsByUseCaseAndRoute() {
        String uc = uniqueUseCase("metrics");
        putPolicy(uc, "{\"threshold\":0.5,\"auditSampleRate\":0}").then().statusCode(201);
        route(routeBody(uc, 0.9, null)).then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("oversight_routing_decisions_total{route=\"RELEASE\",use_case=\"" + uc + "\"} 1.0"))
                .body(containsString("oversight_routing_route_latency_seconds_count"))
                .body(containsString("oversight_routing_writer_queue"));
    }

    @Test
    void openApiDocument_describesTheRouteEndpoint() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body(containsString("/v1/route"))
                .body(containsString("/v1/use-cases/{useCase}/policy"));
    }
}

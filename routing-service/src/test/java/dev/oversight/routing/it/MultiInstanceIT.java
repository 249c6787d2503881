package dev.oversight.routing.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oversight.common.testing.PostgresResource;
import dev.oversight.common.testing.ServiceProcess;
import dev.oversight.common.testing.Tokens;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Two routers on one database: one decision per idempotency key, a mode switch reaches both, and one of them refreshes
 * the oversight gauges for both.
 */
class MultiInstanceIT {

    private static final String BODY = "{\"useCase\":\"multi\",\"modelVersion\":\"m\",\"output\":1,\"confidence\":0.99,"
            + "\"idempotencyKey\":\"%s\"}";

    @Test
    void twoRouters_shareIdempotencyAndTheHumanInCommandSwitch() throws Exception {
        Map<String, String> env = Map.of("ROUTING_DB_URL",
                "jdbc:postgresql://localhost:" + PostgresResource.server().getPort() + "/postgres",
                "ROUTING_OVERSIGHT_METRICS_INTERVAL", "1s");
        try (ServiceProcess a = ServiceProcess.start("routing-a", env);
             ServiceProcess b = ServiceProcess.start("routing-b", env)) {
            given().baseUri(a.url()).auth().oauth2(Tokens.of("it", "admin")).contentType("application/json")
                    .body("{\"threshold\":0.5,\"auditSampleRate\":0,\"apps\":[\"*\"]}").put("/v1/use-cases/multi/policy")
                    .then().statusCode(201);

            ExecutorService pool = Executors.newFixedThreadPool(20);
            for (int round = 0; round < 5; round++) {
                String key = "order-" + round;
                List<Callable<String>> calls = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    String url = i % 2 == 0 ? a.url() : b.url();
                    calls.add(() -> given().baseUri(url).auth().oauth2(Tokens.of("shop", "app"))
                            .contentType("application/json").body(String.format(BODY, key)).post("/v1/route")
                            .then().statusCode(200).extract().path("decisionId"));
                }
                Set<String> ids = new HashSet<>();
                for (Future<String> f : pool.invokeAll(calls)) {
                    ids.add(f.get());
                }
                assertThat(ids).as("round %d", round).hasSize(1);
            }
            pool.shutdownNow();

            given().baseUri(a.url()).auth().oauth2(Tokens.of("it", "admin")).contentType("application/json")
                    .body("{\"mode\":\"HALT\",\"reason\":\"drill\"}").post("/v1/use-cases/multi/mode").then().statusCode(200);
            String route = null;
            long deadline = System.currentTimeMillis() + 5_000;
            while (System.currentTimeMillis() < deadline && !"BLOCK".equals(route)) {
                route = given().baseUri(b.url()).auth().oauth2(Tokens.of("shop", "app")).contentType("application/json")
                        .body(String.format(BODY, "after-halt-" + System.nanoTime())).post("/v1/route")
                        .then().statusCode(200).extract().path("route");
            }
            assertThat(route).as("the other router blocks within its refresh interval").isEqualTo("BLOCK");

            // The oversight gauges (a refresh reads the whole 24-hour window) are refreshed by one of the two, the
            // other exporting none of them; both run the schedule every second, starting 10 s after start-up.
            String gauge = "oversight_decisions{model_version=\"m\",use_case=\"multi\"}";
            deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline && !(scrape(a).contains(gauge) || scrape(b).contains(gauge))) {
                Thread.sleep(250);
            }
            Thread.sleep(3_000);
            assertThat(List.of(scrape(a).contains(gauge), scrape(b).contains(gauge))).as("which router exports it")
                    .containsExactlyInAnyOrder(true, false);
        }
    }

    private static String scrape(ServiceProcess router) {
        return given().baseUri(router.url()).get("/q/metrics").then().statusCode(200).extract().asString();
    }
}

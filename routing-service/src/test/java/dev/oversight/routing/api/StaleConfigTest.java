package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.putPolicy;
import static dev.oversight.routing.api.Api.route;
import static dev.oversight.routing.api.Api.routeBody;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.oversight.common.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An instance that cannot refresh its configuration stops trusting it after routing.config-max-staleness (5 s):
 * a HALT set on another instance in the meantime would otherwise go unenforced.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class StaleConfigTest {

    @Inject
    AgroalDataSource db;

    @Test
    void whenTheConfigurationCannotBeRefreshed_decisionsFailClosedToReview_andRecover() throws Exception {
        String uc = uniqueUseCase("stale");
        putPolicy(uc, "{\"threshold\":0.5,\"auditSampleRate\":0}").then().statusCode(201);
        route(routeBody(uc, 0.9, null)).then().statusCode(200).body("route", equalTo("RELEASE"));

        // The refresh query fails from now on (as when its database is unreachable); decisions are still stored.
        sql("ALTER TABLE use_case RENAME TO use_case_unreachable");
        try {
            // Past routing.config-max-staleness (5 s) without a refresh, decisions fail closed.
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    route(routeBody(uc, 0.9, null)).then().statusCode(200).body("route", equalTo("REVIEW"))
                            .body("reasons", hasItem("STALE_CONFIG")));
        } finally {
            sql("ALTER TABLE use_case_unreachable RENAME TO use_case");
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                route(routeBody(uc, 0.9, null)).then().statusCode(200).body("route", equalTo("RELEASE"))
                        .body("reasons", not(hasItem("STALE_CONFIG"))));
    }

    private void sql(String statement) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}

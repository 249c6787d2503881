package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.json;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.oversight.common.testing.PostgresResource;
import dev.oversight.common.testing.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** Apps are bound to use cases by the policy's {@code apps}: no other app can route into it. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class AppBindingTest {

    @Inject
    AgroalDataSource db;

    @Test
    void aPolicyMustNameItsApps() {
        String uc = uniqueUseCase("apps-required");
        json().body("{\"threshold\":0.8}").put("/v1/use-cases/{u}/policy", uc).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("apps"));
        json().body("{\"threshold\":0.8,\"apps\":[]}").put("/v1/use-cases/{u}/policy", uc).then().statusCode(400)
                .body("errors.field", hasItem("apps"));
        json().body("{\"threshold\":0.8,\"apps\":[\"*\",\"billing\"]}").put("/v1/use-cases/{u}/policy", uc)
                .then().statusCode(400).body("errors.field", hasItem("apps"));
        json().body("{\"threshold\":0.8,\"apps\":[\"billing\",\"claims-bot\"]}").put("/v1/use-cases/{u}/policy", uc)
                .then().statusCode(201).body("policy.apps", equalTo(java.util.List.of("billing", "claims-bot")));
    }

    @Test
    void anAppNotListed_gets403_andNothingIsStored() throws Exception {
        String uc = uniqueUseCase("apps-bound");
        json().body("{\"threshold\":0.5,\"auditSampleRate\":0,\"apps\":[\"claims-bot\"]}")
                .put("/v1/use-cases/{u}/policy", uc).then().statusCode(201);
        String body = "{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m\",\"output\":1,\"confidence\":0.9}";
        given().auth().oauth2(Tokens.of("claims-bot", "app")).contentType("application/json").body(body)
                .post("/v1/route").then().statusCode(200).body("route", equalTo("RELEASE"));
        given().auth().oauth2(Tokens.of("marketing-bot", "app")).contentType("application/json").body(body)
                .post("/v1/route").then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("marketing-bot"));
        assertThat(Api.countDecisions(db, uc)).isEqualTo(1);

        json().body("{\"threshold\":0.5,\"auditSampleRate\":0,\"apps\":[\"*\"]}")
                .put("/v1/use-cases/{u}/policy", uc).then().statusCode(200);
        given().auth().oauth2(Tokens.of("marketing-bot", "app")).contentType("application/json").body(body)
                .post("/v1/route").then().statusCode(200);
    }

    /** The migration gives policy versions stored before "apps" existed an explicit ["*"]. */
    @Test
    void storedPoliciesWithoutApps_becomeAnyAppInTheMigration() throws Exception {
        String database = "apps_migration_" + ProcessHandle.current().pid();
        try (Connection c = PostgresResource.server().getPostgresDatabase().getConnection();
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database);
            s.execute("CREATE DATABASE " + database);
        }
        javax.sql.DataSource target = PostgresResource.server().getDatabase("postgres", database);
        Flyway.configure().dataSource(target).locations("classpath:db/migration", "classpath:db/outbox").target("4")
                .load().migrate();
        try (Connection c = target.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO use_case (name, active_policy_version, active_calibrator_version)"
                    + " VALUES ('legacy', 1, 1)");
            s.execute("INSERT INTO policy (use_case, version, document) VALUES ('legacy', 1, '{\"threshold\": 0.8}')");
        }
        Flyway.configure().dataSource(target).locations("classpath:db/migration", "classpath:db/outbox").outOfOrder(true)
                .load().migrate();
        try (Connection c = target.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT document->'apps' FROM policy WHERE use_case = 'legacy'")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("[\"*\"]");
        }
    }
}

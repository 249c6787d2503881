package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.json;
import static dev.oversight.routing.api.Api.putPolicy;
import static dev.oversight.routing.api.Api.route;
import static dev.oversight.routing.api.Api.routeBody;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.oversight.common.testing.PostgresResource;
import dev.oversight.common.testing.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reversing a release: the decision, the app, the audit trail and the labels all learn of it, once. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class OverrideTest {

    @Inject
    AgroalDataSource db;

    private String uc;

    @BeforeEach
    void createUseCase() {
        uc = uniqueUseCase("override");
        putPolicy(uc, "{\"threshold\":0.8,\"auditSampleRate\":0.0}").then().statusCode(201);
    }

    @Test
    void aReleasedOutput_isOverridden_forTheApp_theTrail_andTheLabels() throws Exception {
        String body = routeBody(uc, 0.95, null);
        String id = route(body.substring(0, body.length() - 1) + ",\"callbackUrl\":\"http://localhost:9/hook\"}")
                .then().statusCode(200).body("status", equalTo("RELEASED")).extract().path("decisionId");

        given().auth().oauth2(Tokens.of("sam", "senior-reviewer")).contentType("application/json")
                .body("{\"reason\":\"Tariff table was stale; customer was quoted the wrong premium.\","
                        + "\"output\":{\"answer\":41}}")
                .post("/v1/decisions/{id}/override", id).then().statusCode(200)
                .body("status", equalTo("OVERRIDDEN")).body("finalOutput.answer", equalTo(41))
                .body("override.overriddenBy", equalTo("sam")).body("override.output.answer", equalTo(41))
                .body("override.reason", containsString("stale"));

        // The app sees it on a long poll (answered at once: the decision is final) and through its callback.
        given().auth().oauth2(Tokens.operator()).queryParam("waitSeconds", 5).get("/v1/decisions/{id}", id).then()
                .statusCode(200).body("status", equalTo("OVERRIDDEN")).body("output.answer", equalTo(42));
        assertThat(scalar("SELECT payload->>'status' || ':' || (payload->'finalOutput'->>'answer') FROM outbox"
                + " WHERE destination = 'callback' AND subject_id = '" + id + "'")).isEqualTo("OVERRIDDEN:41");
        // The trail holds digests, never the reason's words.
        String event = scalar("SELECT payload::text FROM outbox WHERE destination = 'audit'"
                + " AND type = 'DECISION_OVERRIDDEN' AND subject_id = '" + id + "'");
        assertThat(event).contains("\"reasonHmac\"").contains("\"finalOutputHmac\"").contains("\"decisionId\"")
                .doesNotContain("stale");
        assertThat(scalar("SELECT actor FROM outbox WHERE type = 'DECISION_OVERRIDDEN' AND subject_id = '" + id + "'"))
                .isEqualTo("sam");
        // The output was wrong: a label says so.
        assertThat(scalar("SELECT correct || ':' || source || ':' || weight FROM label WHERE decision_id = '" + id + "'"))
                .isEqualTo("false:override:1");

        // Once is enough: a second override is a conflict and changes nothing.
        json().body("{\"reason\":\"again\"}").post("/v1/decisions/{id}/override", id).then().statusCode(409);
        assertThat(scalar("SELECT count(*) FROM outbox WHERE type = 'DECISION_OVERRIDDEN' AND subject_id = '" + id + "'"))
                .isEqualTo("1");
    }

    @Test
    void withoutAReplacement_theOutputIsWithdrawn() {
        String id = route(routeBody(uc, 0.95, null)).then().statusCode(200).extract().path("decisionId");
        json().body("{\"reason\":\"withdrawn pending legal review\"}").post("/v1/decisions/{id}/override", id).then()
                .statusCode(200).body("status", equalTo("OVERRIDDEN")).body("finalOutput", nullValue())
                .body("override.output", nullValue());
    }

    @Test
    void onlyReleasedDecisionsAreOverridden_andAReasonIsRequired() {
        String pending = route(routeBody(uc, 0.4, null)).then().statusCode(200).extract().path("decisionId");
        json().body("{\"reason\":\"x\"}").post("/v1/decisions/{id}/override", pending).then().statusCode(409)
                .body("detail", containsString("PENDING_REVIEW"));
        String released = route(routeBody(uc, 0.95, null)).then().statusCode(200).extract().path("decisionId");
        json().body("{\"output\":{\"a\":1}}").post("/v1/decisions/{id}/override", released).then().statusCode(400)
                .body("errors[0].field", equalTo("reason"));
        json().body("{\"reason\":\"  \"}").post("/v1/decisions/{id}/override", released).then().statusCode(400);
        json().body("{\"reason\":\"x\"}").post("/v1/decisions/{id}/override", "01234567-89ab-7def-8123-456789abcdef")
                .then().statusCode(404);
        json().get("/v1/decisions/{id}", released).then().body("status", equalTo("RELEASED"));
    }

    @Test
    void aReplacementOutput_hasTheSameSizeLimitAndStatusAsARoutedOne() {
        String released = route(routeBody(uc, 0.95, null)).then().statusCode(200).extract().path("decisionId");
        // 140,000 characters, 280,000 bytes of UTF-8: over the 262,144-byte limit, though not in characters.
        String big = "{\"reason\":\"too big\",\"output\":{\"text\":\"" + "\u00e9".repeat(140_000) + "\"}}";
        json().body(big).post("/v1/decisions/{id}/override", released).then().statusCode(413)
                .contentType("application/problem+json").body("detail", containsString("262144 bytes"));
        String routed = "{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"confidence\":0.9,"
                + "\"output\":{\"text\":\"" + "\u00e9".repeat(140_000) + "\"}}";
        route(routed).then().statusCode(413).body("detail", containsString("262144 bytes"));
        json().get("/v1/decisions/{id}", released).then().body("status", equalTo("RELEASED"));
    }

    private String scalar(String sql) throws Exception {
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

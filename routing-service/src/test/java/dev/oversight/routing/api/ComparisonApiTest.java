package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.json;
import static dev.oversight.routing.api.Api.route;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.common.testing.PostgresResource;
import dev.oversight.common.testing.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Outputs an evaluation's rule cannot decide go to people as blind side-by-side tasks: one task per undecided output
 * (the candidate's or production's), without the model's name and under an id of its own; each verdict fills the
 * score the rule left open, and the report counts it.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ComparisonApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource db;

    private static RequestSpecification admin() {
        return given().auth().oauth2(Tokens.of("alice", "admin")).contentType(ContentType.JSON)
                .accept(ContentType.JSON);
    }

    private static String outcome(String decisionId, String verdict, boolean timedOut, String judgementId) {
        return "[{\"eventId\":\"" + UUID.randomUUID() + "\",\"decisionId\":\"" + decisionId + "\",\"verdict\":\""
                + verdict + "\",\"timedOut\":" + timedOut + ",\"decidedAt\":\"2026-12-01T10:00:00Z\","
                + "\"finalOutput\":null,\"verdicts\":[{\"reviewer\":\"ann\",\"verdict\":\"" + verdict + "\"}]"
                + (judgementId == null ? "" : ",\"judgementId\":\"" + judgementId + "\"") + "}]";
    }

    private static String decided(String uc, String output, String verdict, String finalOutput) {
        String id = route("{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"output\":" + output
                + ",\"confidence\":0.4,\"input\":{\"q\":\"" + output.replace("\"", "'") + "\"}}").then()
                .statusCode(200).extract().path("decisionId");
        json().body(outcome(id, verdict, false, null).replace("\"finalOutput\":null", "\"finalOutput\":" + finalOutput))
                .post("/v1/outcomes").then().statusCode(200).body("items.result", contains("APPLIED"));
        return id;
    }

    @Test
    void undecidedOutputsAreJudgedBlind_oneTaskEach_andTheVerdictsCompleteTheReport() throws Exception {
        String uc = uniqueUseCase("compare");
        admin().body("{\"threshold\":0.8,\"apps\":[\"*\"],\"auditSampleRate\":0,\"modelVersions\":{\"allowed\":"
                + "[\"m1\"]},\"equivalence\":\"candidate.answer == reference.answer\"}")
                .put("/v1/use-cases/{u}/policy", uc).then().statusCode(201);
        String a = decided(uc, "{\"answer\":42}", "APPROVE", "{\"answer\":42}");
        String b = decided(uc, "{\"answer\":40}", "REJECT", "null");
        String c = decided(uc, "{\"answer\":42,\"n\":1}", "APPROVE", "{\"answer\":42,\"n\":1}");
        String d = decided(uc, "{\"x\":1}", "APPROVE", "{\"x\":1}");
        admin().body("{\"name\":\"b\"}").post("/v1/use-cases/{u}/benchmarks", uc).then().statusCode(201);
        // a: right by the rule. b: people only rejected, and the candidate answered otherwise: undecided. c: the
        // candidate has no answer, the rule fails: undecided. d: the rule fails on both outputs: both undecided.
        String evaluation = admin().body("{\"benchmark\":1,\"modelVersion\":\"m2\",\"results\":["
                        + result(a, "{\"answer\":42}") + "," + result(b, "{\"answer\":43}") + ","
                        + result(c, "{\"text\":\"forty-two\"}") + "," + result(d, "{\"x\":1}") + "]}")
                .post("/v1/use-cases/{u}/evaluations", uc).then().statusCode(201)
                .body("judged", equalTo(1)).body("undecided", equalTo(3)).body("judgedByPeople", equalTo(0))
                .extract().path("id");

        String comparison = admin().post("/v1/use-cases/{u}/evaluations/{id}/comparisons", uc, evaluation).then()
                .statusCode(202).body("sides", equalTo(4)).body("judged", equalTo(0)).body("status", equalTo("OPEN"))
                .extract().path("id");
        admin().post("/v1/use-cases/{u}/evaluations/{id}/comparisons", uc, evaluation).then().statusCode(409);
        admin().body("{\"modelVersion\":\"m2\",\"evaluation\":\"" + evaluation + "\",\"override\":{\"reason\":\"x\"}}")
                .post("/v1/use-cases/{u}/promotions", uc).then().statusCode(409);

        // Each side is a task of its own: no model version, no item id, the reference people settled on if any.
        Map<String, JsonNode> tasks = new HashMap<>();
        List<String> sideIds = new ArrayList<>();
        try (Connection conn = db.getConnection(); ResultSet rs = conn.createStatement().executeQuery(
                "SELECT payload FROM outbox WHERE destination = 'review' AND type = 'TASK_REQUESTED' AND use_case = '"
                        + uc + "' AND payload::text LIKE '%" + comparison + "%'")) {
            while (rs.next()) {
                JsonNode t = JSON.readTree(rs.getString(1));
                tasks.put(t.get("output").toString(), t);
                sideIds.add(t.get("decisionId").asText());
                assertThat(t.has("modelVersion")).isFalse();
                assertThat(t.get("reasons").toString()).isEqualTo("[\"COMPARE\"]");
            }
        }
        assertThat(tasks).hasSize(3); // d's two sides show the same output
        assertThat(sideIds).hasSize(4).doesNotContain(a, b, c, d);
        assertThat(tasks.get("{\"answer\":43}").get("comparison").size()).isZero(); // b: nothing people settled on
        assertThat(tasks.get("{\"text\":\"forty-two\"}").get("comparison").get("reference"))
                .isEqualTo(JSON.readTree("{\"answer\":42,\"n\":1}"));

        // People: b's candidate right, c's candidate wrong, d's both right.
        String bSide = tasks.get("{\"answer\":43}").get("decisionId").asText();
        String cSide = tasks.get("{\"text\":\"forty-two\"}").get("decisionId").asText();
        json().body(outcome(bSide, "APPROVE", false, comparison)).post("/v1/outcomes").then().statusCode(200)
                .body("items.result", contains("APPLIED"));
        json().body(outcome(bSide, "REJECT", false, comparison)).post("/v1/outcomes").then().statusCode(200)
                .body("items.result", contains("DUPLICATE"));
        json().body(outcome(cSide, "REJECT", true, comparison)).post("/v1/outcomes").then().statusCode(200)
                .body("items.result", contains("DUPLICATE")); // a timeout judged nothing
        admin().get("/v1/use-cases/{u}/evaluations/{id}/comparisons/{k}", uc, evaluation, comparison).then()
                .statusCode(200).body("judged", equalTo(1)).body("right", equalTo(1)).body("status", equalTo("OPEN"));
        json().body(outcome(cSide, "REJECT", false, comparison)).post("/v1/outcomes").then().statusCode(200)
                .body("items.result", contains("APPLIED"));
        for (String side : sideIds) {
            if (!side.equals(bSide) && !side.equals(cSide)) {
                json().body(outcome(side, "APPROVE", false, comparison)).post("/v1/outcomes").then().statusCode(200)
                        .body("items.result", contains("APPLIED"));
            }
        }

        admin().get("/v1/use-cases/{u}/evaluations/{id}/comparisons/{k}", uc, evaluation, comparison).then()
                .statusCode(200).body("judged", equalTo(4)).body("status", equalTo("DONE"));
        // Candidate: a, b, d right, c wrong. Production: a, c, d right (d by people), b wrong (rejected).
        admin().get("/v1/use-cases/{u}/evaluations/{id}", uc, evaluation).then().statusCode(200)
                .body("judged", equalTo(4)).body("undecided", equalTo(0)).body("judgedByPeople", equalTo(4))
                .body("accuracy.candidate.estimate", equalTo(0.75f)).body("accuracy.reference.estimate", equalTo(0.75f))
                .body("regressions.itemId", contains(c)).body("fixes.itemId", contains(b))
                .body("comparisons[0].status", equalTo("DONE"));
        assertThat(scalar("SELECT payload->>'right' FROM outbox WHERE type = 'COMPARISON_DONE' AND use_case = '" + uc
                + "'")).isEqualTo("3");
        assertThat(scalar("SELECT count(*) FROM outbox WHERE type = 'COMPARISON_REQUESTED' AND use_case = '" + uc
                + "'")).isEqualTo("1");
        admin().post("/v1/use-cases/{u}/evaluations/{id}/comparisons", uc, evaluation).then().statusCode(409);
        admin().post("/v1/use-cases/{u}/evaluations/{id}/comparisons", uc, UUID.randomUUID()).then().statusCode(404);
        admin().get("/v1/use-cases/{u}/evaluations/{id}/comparisons/{k}", uc, evaluation, UUID.randomUUID()).then()
                .statusCode(404);
        given().auth().oauth2(Tokens.of("rita", "reviewer")).contentType(ContentType.JSON)
                .post("/v1/use-cases/{u}/evaluations/{id}/comparisons", uc, evaluation).then().statusCode(403);
    }

    private static String result(String itemId, String output) {
        return "{\"itemId\":\"" + itemId + "\",\"output\":" + output + ",\"confidence\":0.9}";
    }

    private String scalar(String sql) throws Exception {
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

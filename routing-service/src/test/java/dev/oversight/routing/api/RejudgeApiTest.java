package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.json;
import static dev.oversight.routing.api.Api.route;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

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
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A benchmark judged under yesterday's guidelines is judged again: its stale items go back to people as tasks, their
 * new verdicts come back as judgements, and the last one freezes the next version with what changed.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RejudgeApiTest {

    @Inject
    AgroalDataSource db;

    private static RequestSpecification admin() {
        return given().auth().oauth2(Tokens.of("alice", "admin")).contentType(ContentType.JSON)
                .accept(ContentType.JSON);
    }

    private static String outcome(String decisionId, String verdict, String finalOutput, Integer guideline,
                                  String judgementId) {
        return "[{\"eventId\":\"" + UUID.randomUUID() + "\",\"decisionId\":\"" + decisionId + "\",\"verdict\":\""
                + verdict + "\",\"timedOut\":false,\"decidedAt\":\"2026-12-01T10:00:00Z\",\"finalOutput\":"
                + finalOutput + ",\"verdicts\":[{\"reviewer\":\"ann\",\"verdict\":\"" + verdict + "\""
                + (guideline == null ? "" : ",\"guidelineVersion\":" + guideline) + "}]"
                + (judgementId == null ? "" : ",\"judgementId\":\"" + judgementId + "\"") + "}]";
    }

    private static String decided(String uc, String verdict, String finalOutput, Integer guideline) {
        String id = route("{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"output\":{\"answer\":42},"
                + "\"confidence\":0.4,\"input\":{\"q\":1}}").then().statusCode(200).extract().path("decisionId");
        json().body(outcome(id, verdict, finalOutput, guideline, null)).post("/v1/outcomes").then().statusCode(200)
                .body("items.result", contains("APPLIED"));
        return id;
    }

    @Test
    void staleItemsAreJudgedAgain_andTheLastJudgementFreezesTheNextVersionWithWhatChanged() throws Exception {
        String uc = uniqueUseCase("rejudge");
        admin().body("{\"threshold\":0.8,\"apps\":[\"*\"],\"auditSampleRate\":0}").put("/v1/use-cases/{u}/policy", uc)
                .then().statusCode(201);
        String a = decided(uc, "APPROVE", "{\"answer\":42}", null);
        String b = decided(uc, "APPROVE", "{\"answer\":42}", 1);
        decided(uc, "APPROVE", "{\"answer\":42}", 2);
        admin().body("{\"name\":\"december\"}").post("/v1/use-cases/{u}/benchmarks", uc).then().statusCode(201)
                .body("guidelineVersions.none", equalTo(1)).body("guidelineVersions.'2'", equalTo(1));

        String judgement = admin().body("{\"guidelineVersion\":2}").post("/v1/use-cases/{u}/benchmarks/1/rejudge", uc)
                .then().statusCode(202).body("items", equalTo(2)).body("status", equalTo("OPEN"))
                .body("received", equalTo(0)).extract().path("id");
        assertThat(scalar("SELECT count(*) FROM outbox WHERE destination = 'review' AND use_case = '" + uc
                + "' AND type = 'TASK_REQUESTED' AND payload::text LIKE '%" + judgement + "%'")).isEqualTo("2");
        assertThat(scalar("SELECT count(*) FROM outbox WHERE type = 'REJUDGE_REQUESTED' AND use_case = '" + uc + "'"))
                .isEqualTo("1");

        json().body(outcome(a, "APPROVE", "{\"answer\":42}", 2, judgement)).post("/v1/outcomes").then()
                .statusCode(200).body("items.result", contains("APPLIED"));
        admin().get("/v1/use-cases/{u}/benchmarks/rejudges/{id}", uc, judgement).then().statusCode(200)
                .body("received", equalTo(1)).body("status", equalTo("OPEN"));
        // Under version 2, b's output is wrong after all.
        json().body(outcome(b, "REJECT", "null", 2, judgement)).post("/v1/outcomes").then().statusCode(200)
                .body("items.result", contains("APPLIED"));
        json().body(outcome(b, "REJECT", "null", 2, judgement)).post("/v1/outcomes").then().statusCode(200)
                .body("items.result", contains("DUPLICATE"));

        admin().get("/v1/use-cases/{u}/benchmarks/rejudges/{id}", uc, judgement).then().statusCode(200)
                .body("status", equalTo("DONE")).body("nextBenchmarkVersion", equalTo(2))
                .body("changed.itemId", contains(b)).body("changed[0].verdictBefore", equalTo("APPROVED"))
                .body("changed[0].verdictAfter", equalTo("REJECTED"));
        admin().get("/v1/use-cases/{u}/benchmarks/2", uc).then().statusCode(200).body("size", equalTo(3))
                .body("guidelineVersions.'2'", equalTo(3));
        assertThat(scalar("SELECT payload->>'rejudge' FROM outbox WHERE type = 'BENCHMARK_FROZEN' AND use_case = '"
                + uc + "' AND payload->>'version' = '2'")).isEqualTo(judgement);
        // The decisions themselves are untouched: a rejudge changes the benchmark, not what was decided.
        json().get("/v1/decisions/{id}", b).then().body("status", equalTo("APPROVED"));
        admin().body("{\"guidelineVersion\":2}").post("/v1/use-cases/{u}/benchmarks/2/rejudge", uc).then()
                .statusCode(409);
        admin().body("{}").post("/v1/use-cases/{u}/benchmarks/2/rejudge", uc).then().statusCode(400);
    }

    private String scalar(String sql) throws Exception {
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

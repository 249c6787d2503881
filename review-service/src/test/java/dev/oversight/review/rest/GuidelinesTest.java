package dev.oversight.review.rest;

import static dev.oversight.review.rest.Review.admin;
import static dev.oversight.review.rest.Review.as;
import static dev.oversight.review.rest.Review.claim;
import static dev.oversight.review.rest.Review.newTask;
import static dev.oversight.review.rest.Review.reviewer;
import static dev.oversight.review.rest.Review.uniqueUseCase;
import static dev.oversight.review.rest.Review.verdict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.common.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/**
 * Versioned review standards: reviewers see the version in force beside the task, verdicts record it and may score
 * its criteria, and every change is audited with its digest, not its words.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class GuidelinesTest {

    private static final String V1 = "{\"instructions\":\"Approve only **covered** damage.\",\"criteria\":["
            + "{\"name\":\"coverage\",\"scale\":[\"wrong\",\"partly\",\"right\"],\"description\":\"Is the cover right?\"},"
            + "{\"name\":\"tone\",\"scale\":[\"poor\",\"good\"]}]}";

    @Inject
    AgroalDataSource db;

    @Test
    void aChangeIsANewVersion_auditedByDigest_andSavingTheSameAgainChangesNothing() throws Exception {
        String uc = uniqueUseCase("guide");
        reviewer("ann").get("/v1/use-cases/{u}/guidelines", uc).then().statusCode(404);
        admin().body(V1).put("/v1/use-cases/{u}/guidelines", uc).then().statusCode(201)
                .body("version", equalTo(1)).body("criteria.name", contains("coverage", "tone"))
                .body("createdBy", equalTo("boss"));
        admin().body(V1).put("/v1/use-cases/{u}/guidelines", uc).then().statusCode(200).body("version", equalTo(1));
        admin().body(V1.replace("covered", "insured")).put("/v1/use-cases/{u}/guidelines", uc).then().statusCode(201)
                .body("version", equalTo(2));
        reviewer("ann").get("/v1/use-cases/{u}/guidelines", uc).then().statusCode(200).body("version", equalTo(2))
                .body("instructions", equalTo("Approve only **insured** damage."));
        admin().get("/v1/use-cases/{u}/guidelines/versions", uc).then().statusCode(200)
                .body("items.version", contains(2, 1));

        assertThat(scalar("SELECT count(*) FROM outbox WHERE type = 'GUIDELINES_CHANGED' AND use_case = '" + uc + "'"))
                .isEqualTo("2");
        String payload = scalar("SELECT payload FROM outbox WHERE type = 'GUIDELINES_CHANGED' AND use_case = '" + uc
                + "' ORDER BY id LIMIT 1");
        JsonNode event = new ObjectMapper().readTree(payload);
        assertThat(event.get("sha256").asText()).hasSize(64);
        assertThat(payload).doesNotContain("covered").doesNotContain("Is the cover");

        admin().body("{\"instructions\":\"x\",\"criteria\":[{\"name\":\"a\",\"scale\":[\"1\",\"2\"]},"
                + "{\"name\":\"a\",\"scale\":[\"1\",\"2\"]}]}").put("/v1/use-cases/{u}/guidelines", uc).then()
                .statusCode(400).body("errors[0].field", equalTo("criteria[1].name"));
        admin().body("{\"instructions\":\"x\",\"criteria\":[{\"name\":\"a\",\"scale\":[\"1\"]}]}")
                .put("/v1/use-cases/{u}/guidelines", uc).then().statusCode(400);
        admin().body("{\"criteria\":[]}").put("/v1/use-cases/{u}/guidelines", uc).then().statusCode(400)
                .body("errors[0].field", equalTo("instructions"));
        reviewer("ann").body(V1).put("/v1/use-cases/{u}/guidelines", uc).then().statusCode(403);
    }

    @Test
    void reviewersSeeTheVersionBesideTheTask_andAVerdictRecordsItAndScoresItsCriteria() throws Exception {
        String uc = uniqueUseCase("guide-task");
        String before = newTask(uc, 1, null);
        claim("bo", before).then().statusCode(200).body("$", not(hasKey("guidelines")));
        admin().body(V1).put("/v1/use-cases/{u}/guidelines", uc).then().statusCode(201);

        String id = newTask(uc, 1, null);
        long token = claim("ann", id).then().statusCode(200).body("guidelines.version", equalTo(1))
                .body("guidelines.criteria[0].scale", contains("wrong", "partly", "right"))
                .extract().jsonPath().getLong("leaseToken");
        verdict(reviewer("ann"), id, token, "APPROVE", "\"scores\":{\"coverage\":\"maybe\"}").then().statusCode(400)
                .body("errors[0].field", equalTo("scores"));
        verdict(reviewer("ann"), id, token, "APPROVE", "\"scores\":{\"speed\":\"good\"}").then().statusCode(400);
        verdict(reviewer("ann"), id, token, "APPROVE", "\"scores\":\"right\"").then().statusCode(400);
        verdict(reviewer("ann"), id, token, "APPROVE", "\"scores\":{\"coverage\":\"right\"}").then().statusCode(200);

        assertThat(scalar("SELECT guideline_version || ':' || (scores->>'coverage') FROM verdict WHERE task_id = '"
                + id + "'")).isEqualTo("1:right");
        String toRouter = scalar("SELECT payload FROM outbox WHERE destination = 'router' AND subject_id = '" + id + "'");
        JsonNode verdicts = new ObjectMapper().readTree(toRouter).get("verdicts");
        assertThat(verdicts.get(0).get("guidelineVersion").asInt()).isEqualTo(1);
        assertThat(verdicts.get(0).get("scores").get("coverage").asText()).isEqualTo("right");
        assertThat(scalar("SELECT payload->>'guidelineVersion' FROM outbox WHERE type = 'VERDICT_SUBMITTED'"
                + " AND subject_id = '" + id + "'")).isEqualTo("1");
        // The auditor reads the standard too.
        as("aud", "auditor").get("/v1/use-cases/{u}/guidelines", uc).then().statusCode(200);
    }

    private String scalar(String sql) throws Exception {
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

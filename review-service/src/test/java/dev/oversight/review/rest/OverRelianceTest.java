package dev.oversight.review.rest;

import static dev.oversight.review.rest.Review.admin;
import static dev.oversight.review.rest.Review.claimToken;
import static dev.oversight.review.rest.Review.newTask;
import static dev.oversight.review.rest.Review.reviewer;
import static dev.oversight.review.rest.Review.senior;
import static dev.oversight.review.rest.Review.uniqueUseCase;
import static dev.oversight.review.rest.Review.verdict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.oversight.common.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Over-reliance on a seeded history with known answers: one reviewer's approvals where routing details were shown,
 * on blind tasks and on gold items, approvals under the dwell floor, approvals later overturned, and the flags above
 * the policy's limits; the reviewer's own view leaves the gold items out.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class OverRelianceTest {

    @Inject
    AgroalDataSource db;

    private static String approve(String who, String task) {
        return verdict(reviewer(who), task, claimToken(who, task), "APPROVE", null).then().statusCode(200).extract()
                .path("adjudicationTaskId");
    }

    @Test
    void theFiguresOfASeededHistoryAreTheKnownAnswers_andAboveTheLimitsTheReviewerIsFlaggedNotPaused()
            throws Exception {
        String uc = uniqueUseCase("reliance");
        String rae = "rae-" + UUID.randomUUID().toString().substring(0, 8);
        String limits = "\"reviewerLimits\":{\"minDwellSeconds\":5,\"maxFastApprovalRate\":0.5,\"maxApprovalGap\":0.2}";
        // Shown (not blind): t1-t3 approved; t4 approved, another reviewer rejects, a senior settles it REJECT.
        String t1 = newTask(uc, 1, limits);
        String t2 = newTask(uc, 1, null);
        String t3 = newTask(uc, 1, null);
        String t4 = newTask(uc, 2, null);
        approve(rae, t1);
        approve(rae, t2);
        approve(rae, t3);
        approve(rae, t4);
        String adjudication = verdict(reviewer("oth"), t4, claimToken("oth", t4), "REJECT", "\"rationale\":\"no\"")
                .then().statusCode(200).extract().path("adjudicationTaskId");
        verdict(senior("sam"), adjudication, claimToken(senior("sam"), adjudication), "REJECT",
                "\"rationale\":\"rule 7\"").then().statusCode(200);
        // Blind: b1 approved, b2 rejected.
        String b1 = newTask(uc, 1, "\"blindReview\":true");
        String b2 = newTask(uc, 1, "\"blindReview\":true");
        approve(rae, b1);
        verdict(reviewer(rae), b2, claimToken(rae, b2), "REJECT", "\"rationale\":\"wrong\"").then().statusCode(200);
        // Gold, expected REJECT, both approved.
        for (int i = 0; i < 2; i++) {
            String gold = admin().body("{\"expectedVerdict\":\"REJECT\",\"task\":" + Review.task(UUID.randomUUID(), uc, 1,
                    "\"blindReview\":true") + "}").post("/v1/gold-items").then().statusCode(201).extract().path("taskId");
            approve(rae, gold);
        }
        // Two approvals took a minute each; the rest were instant.
        try (Connection c = db.getConnection()) {
            c.createStatement().executeUpdate("UPDATE verdict SET time_on_task_ms = 60000 WHERE reviewer = '" + rae
                    + "' AND task_id IN ('" + t1 + "', '" + b1 + "')");
        }

        JsonPath all = admin().queryParam("useCase", uc).get("/v1/reviewers/over-reliance").then().statusCode(200)
                .body("limits.minDwellSeconds", equalTo(5)).extract().jsonPath();
        String me = "items.find { it.reviewer == '" + rae + "' }.";
        assertThat(all.getLong(me + "verdicts")).isEqualTo(8);
        assertThat(all.getLong(me + "approvalShown.of")).isEqualTo(4);
        assertThat(all.getDouble(me + "approvalShown.rate")).isEqualTo(1.0);
        assertThat(all.getLong(me + "approvalBlind.count")).isEqualTo(3);
        assertThat(all.getDouble(me + "approvalBlind.rate")).isEqualTo(0.75);
        assertThat(all.getDouble(me + "approvalGap")).isEqualTo(0.25);
        assertThat(all.getLong(me + "approvals")).isEqualTo(7);
        assertThat(all.getLong(me + "fastApprovals.count")).isEqualTo(5);
        assertThat(all.getLong(me + "approvalsOverturned.count")).isEqualTo(3);
        assertThat(all.getList(me + "flags", String.class)).hasSize(2)
                .anySatisfy(f -> assertThat(f).startsWith("approvals faster than 5 s: 71.4%"))
                .anySatisfy(f -> assertThat(f).startsWith("approves 25.0% more where routing details are shown"));

        // The reviewer's own view: no gold items in it, and nobody else's figures.
        reviewer(rae).queryParam("useCase", uc).get("/v1/reviewers/over-reliance").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].reviewer", equalTo(rae))
                .body("items[0].approvalBlind.of", equalTo(2)).body("items[0].approvals", equalTo(5))
                .body("items[0].fastApprovals.count", equalTo(3)).body("items[0].approvalsOverturned.count", equalTo(1));
        // Flagged, not paused: rae still claims work.
        reviewer(rae).get("/v1/tasks/queue").then().body("paused", equalTo(false));
        admin().queryParam("useCase", uc).queryParam("from", "yesterday").get("/v1/reviewers/over-reliance").then()
                .statusCode(400).body("errors[0].field", equalTo("from"));
        admin().get("/v1/reviewers/over-reliance").then().statusCode(400);
    }
}

package dev.oversight.review.rest;

import static dev.oversight.review.rest.Review.claimToken;
import static dev.oversight.review.rest.Review.newTask;
import static dev.oversight.review.rest.Review.reviewer;
import static dev.oversight.review.rest.Review.uniqueUseCase;
import static dev.oversight.review.rest.Review.verdict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.oversight.common.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The queue as one reviewer sees it (the console's queue page), and a task page that keeps its lease. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class QueueSummaryTest {

    @Inject
    AgroalDataSource db;

    @Test
    void theQueueCountsOpenWork_andWhatThisReviewerMayStillClaim() {
        String uc = uniqueUseCase("summary");
        String first = newTask(uc, 1, null);
        newTask(uc, 1, null);
        newTask(uc, 1, "\"slaSeconds\":60");
        assertThat(line(queue("quinn"), uc)).containsEntry("open", 3).containsEntry("claimable", 3)
                .containsEntry("adjudications", 0);

        // Someone else's live lease takes the task's only slot; once judged it leaves the open work.
        long token = claimToken("rosa", first);
        assertThat(line(queue("quinn"), uc)).containsEntry("open", 3).containsEntry("claimable", 2);
        verdict(reviewer("rosa"), first, token, "APPROVE", null).then().statusCode(200);
        Map<String, Object> after = line(queue("quinn"), uc);
        assertThat(after).containsEntry("open", 2).containsEntry("claimable", 2);
        assertThat(after.get("nextDueAt")).isNotNull();
    }

    @Test
    void aPausedReviewerSeesThatTheyArePaused_andWhy() throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO reviewer (name, paused, paused_why, updated_at) VALUES ('petra', true, 'gold accuracy 40%',"
                        + " now()) ON CONFLICT (name) DO UPDATE SET paused = true, paused_why = EXCLUDED.paused_why")) {
            ps.executeUpdate();
        }
        JsonPath q = queue("petra");
        assertThat(q.getBoolean("paused")).isTrue();
        assertThat(q.getString("pausedWhy")).isEqualTo("gold accuracy 40%");
        assertThat(queue("quinn").getBoolean("paused")).isFalse();
    }

    @Test
    void aTaskReadAgain_carriesTheCallersOwnLease_andNobodyElses() {
        String uc = uniqueUseCase("own-lease");
        String id = newTask(uc, 2, null);
        long token = claimToken("lena", id);
        reviewer("lena").get("/v1/tasks/{id}", id).then().statusCode(200)
                .body("leaseToken", equalTo((int) token));
        reviewer("mark").get("/v1/tasks/{id}", id).then().statusCode(200).body("leaseToken", nullValue());
        reviewer("lena").body("{\"leaseToken\":" + token + "}").post("/v1/tasks/{id}/release", id).then().statusCode(204);
        reviewer("lena").get("/v1/tasks/{id}", id).then().statusCode(200).body("leaseToken", nullValue());
    }

    private static JsonPath queue(String reviewer) {
        return reviewer(reviewer).get("/v1/tasks/queue").then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Object> line(JsonPath queue, String useCase) {
        return queue.getMap("items.find { it.useCase == '" + useCase + "' }");
    }
}

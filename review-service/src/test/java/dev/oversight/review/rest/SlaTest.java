package dev.oversight.review.rest;

import static dev.oversight.review.rest.Review.claim;
import static dev.oversight.review.rest.Review.newTask;
import static dev.oversight.review.rest.Review.uniqueUseCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.oversight.common.testing.PostgresResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The SLA sweep, driven with a clock set ahead rather than by waiting: tasks here have a 60 s SLA. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SlaTest {

    @Inject
    dev.oversight.review.service.SlaSweeper sla;

    @Test
    void overdueTasks_escalate_thenTheTimeoutPolicyDecides() {
        String uc = uniqueUseCase("sla");
        String reject = newTask(uc, 1, "\"slaSeconds\":60,\"onReviewTimeout\":\"REJECT\",\"priority\":5");
        String hold = newTask(uc, 1, "\"slaSeconds\":60,\"onReviewTimeout\":\"HOLD\"");
        String release = newTask(uc, 1, "\"slaSeconds\":60,\"onReviewTimeout\":\"RELEASE_FLAGGED\"");
        Instant start = Instant.now();

        sla.sweep(start.plusSeconds(61));
        Review.admin().get("/v1/tasks/{id}", reject).then().body("priority", equalTo(105)).body("status", equalTo("OPEN"));

        sla.sweep(start.plusSeconds(91));
        claim("rookie", reject).then().statusCode(403);

        sla.sweep(start.plusSeconds(125));
        Review.admin().get("/v1/tasks/{id}", reject).then().body("status", equalTo("EXPIRED"))
                .body("finalVerdict", equalTo("REJECT")).body("finalOutput", nullValue());
        Review.admin().get("/v1/tasks/{id}", release).then().body("status", equalTo("EXPIRED"))
                .body("finalVerdict", equalTo("APPROVE")).body("finalOutput.decision", equalTo("approve"));
        Review.admin().get("/v1/tasks/{id}", hold).then().body("status", equalTo("OPEN"));
        Review.senior("sage").post("/v1/tasks/{id}/claim", hold).then().statusCode(200);
    }
}

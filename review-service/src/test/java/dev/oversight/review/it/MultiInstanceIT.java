package dev.oversight.review.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oversight.common.testing.PostgresResource;
import dev.oversight.common.testing.ServiceProcess;
import dev.oversight.common.testing.Tokens;
import dev.oversight.review.rest.Review;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Two review-service processes on one database: claims through either never hand a task to two reviewers. */
class MultiInstanceIT {

    @Test
    void claimsThroughTwoInstances_claimEveryTaskExactlyOnce() throws Exception {
        Map<String, String> env = Map.of("REVIEW_DB_URL",
                "jdbc:postgresql://localhost:" + PostgresResource.server().getPort() + "/postgres");
        try (ServiceProcess a = ServiceProcess.start("review-a", env);
             ServiceProcess b = ServiceProcess.start("review-b", env)) {
            for (int i = 0; i < 20; i++) {
                given().baseUri(i % 2 == 0 ? a.url() : b.url()).auth().oauth2(Tokens.of("routing-service", "service"))
                        .contentType("application/json")
                        .body("{\"decisionId\":\"" + UUID.randomUUID() + "\",\"useCase\":\"multi\",\"output\":{\"x\":1}}")
                        .post("/v1/tasks").then().statusCode(201);
            }
            List<String> claimed = Review.claimConcurrently(List.of(a.url(), b.url()), 40, "multi");
            assertThat(claimed).hasSize(20);
            assertThat(new HashSet<>(claimed)).hasSize(20);
        }
    }
}

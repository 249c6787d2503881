package dev.oversight.review.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oversight.common.testing.Tokens;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Test helpers: who calls, and the requests they make. */
public final class Review {

    private Review() {
    }

    static RequestSpecification as(String subject, String... roles) {
        return given().auth().oauth2(Tokens.of(subject, roles)).contentType("application/json").accept("application/json");
    }

    static RequestSpecification router() {
        return as("routing-service", "service");
    }

    static RequestSpecification reviewer(String name) {
        return as(name, "reviewer");
    }

    static RequestSpecification senior(String name) {
        return as(name, "senior-reviewer");
    }

    static RequestSpecification admin() {
        return as("boss", "admin");
    }

    static String task(UUID decisionId, String useCase, int requiredReviews, String extra) {
        return "{\"decisionId\":\"" + decisionId + "\",\"useCase\":\"" + useCase + "\",\"modelVersion\":\"m1\","
                + "\"input\":{\"claim\":\"water damage\"},\"output\":{\"decision\":\"approve\"},\"rawConfidence\":0.61,"
                + "\"calibratedConfidence\":0.52,\"reasons\":[\"LOW_CONFIDENCE\"],\"requiredReviews\":" + requiredReviews
                + (extra == null ? "" : "," + extra) + "}";
    }

    static String newTask(String useCase, int requiredReviews, String extra) {
        return router().body(task(UUID.randomUUID(), useCase, requiredReviews, extra)).post("/v1/tasks")
                .then().statusCode(201).extract().path("taskId");
    }

    static Response claim(String reviewer, String taskId) {
        return reviewer(reviewer).post("/v1/tasks/{id}/claim", taskId);
    }

    static long claimToken(RequestSpecification who, String taskId) {
        return who.post("/v1/tasks/{id}/claim", taskId).then().statusCode(200).extract().jsonPath().getLong("leaseToken");
    }

    static long claimToken(String reviewer, String taskId) {
        return claim(reviewer, taskId).then().statusCode(200).extract().jsonPath().getLong("leaseToken");
    }

    static Response verdict(RequestSpecification who, String taskId, long token, String verdict, String rest) {
        return who.body("{\"leaseToken\":" + token + ",\"verdict\":\"" + verdict + "\"" + (rest == null ? "" : "," + rest) + "}")
                .post("/v1/tasks/{id}/verdict", taskId);
    }

    /**
     * Distinct reviewers each call claim-next once, all at the same time, spread round-robin over the given base
     * URLs (null: the test's own service). Returns the ids of the tasks they were given; 200 or 204 only.
     */
    public static List<String> claimConcurrently(List<String> baseUrls, int claimers, String useCase) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < claimers; i++) {
            String url = baseUrls.get(i % baseUrls.size());
            String reviewer = "claimer-" + UUID.randomUUID();
            calls.add(() -> {
                RequestSpecification spec = given().auth().oauth2(Tokens.of(reviewer, "reviewer"))
                        .contentType("application/json");
                if (url != null) {
                    spec = spec.baseUri(url);
                }
                Response r = spec.body("{\"useCase\":\"" + useCase + "\"}").post("/v1/tasks/claim-next");
                assertThat(r.statusCode()).isIn(200, 204);
                return r.statusCode() == 200 ? r.jsonPath().getString("taskId") : null;
            });
        }
        List<String> claimed = new ArrayList<>();
        try {
            for (Future<String> f : pool.invokeAll(calls)) {
                if (f.get() != null) {
                    claimed.add(f.get());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return claimed;
    }

    static String uniqueUseCase(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Waits until some session of this database waits for a row lock (a request blocked behind a test's lock). */
    static void awaitLockWait(javax.sql.DataSource db) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            try (java.sql.Connection c = db.getConnection(); java.sql.ResultSet rs = c.createStatement().executeQuery(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                            + " AND wait_event_type = 'Lock'")) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        });
    }
}

package dev.oversight.review.rest;

import static dev.oversight.review.rest.Review.admin;
import static dev.oversight.review.rest.Review.as;
import static dev.oversight.review.rest.Review.claim;
import static dev.oversight.review.rest.Review.claimToken;
import static dev.oversight.review.rest.Review.newTask;
import static dev.oversight.review.rest.Review.reviewer;
import static dev.oversight.review.rest.Review.uniqueUseCase;
import static dev.oversight.review.rest.Review.verdict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import dev.oversight.common.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The reviewer workforce against real PostgreSQL: profiles with skills, languages and qualifications, claims only of
 * what a reviewer is qualified for on the day, limits, assignment, comment threads kept out of the audit trail, and
 * the coverage gap of work nobody may take.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class WorkforceTest {

    private static final String REQUIRES = "\"requires\":{\"skills\":[\"legal\"],\"languages\":[\"pt\"],"
            + "\"qualifications\":[\"medical\"]}";

    @Inject
    AgroalDataSource db;

    private static String name(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void profile(String name, String body) {
        admin().body(body).put("/v1/reviewers/{n}", name).then().statusCode(201);
    }

    private static String qualified(int validForDays) {
        return "{\"skills\":[\"legal\",\"tax\"],\"languages\":[\"pt\",\"en\"],\"qualifications\":[{\"name\":"
                + "\"medical\",\"validUntil\":\"" + LocalDate.now(ZoneOffset.UTC).plusDays(validForDays)
                + "\",\"evidence\":\"Board certificate 4711 of Dr. Lena Souza\"}]}";
    }

    @Test
    void onlyReviewersQualifiedOnTheDayClaim_anExpiredQualificationStopsNewClaims() throws Exception {
        String uc = uniqueUseCase("qualified");
        String lena = name("lena");
        String otto = name("otto");
        String ivy = name("ivy");
        profile(lena, qualified(0)); // valid through today
        profile(otto, qualified(-1)); // expired yesterday
        String task = newTask(uc, 1, REQUIRES);

        claim(otto, task).then().statusCode(403).body("detail", containsString("qualification medical (expired on"));
        reviewer(otto).body("{\"useCase\":\"" + uc + "\"}").post("/v1/tasks/claim-next").then().statusCode(204);
        claim(ivy, task).then().statusCode(403).body("detail", containsString("skill legal"))
                .body("detail", containsString("language pt"));
        reviewer(ivy).get("/v1/tasks/queue").then().statusCode(200);
        assertThat(reviewer(ivy).get("/v1/tasks/queue").jsonPath().getLong("items.find { it.useCase == '" + uc
                + "' }.claimable")).isZero();
        reviewer(lena).body("{\"useCase\":\"" + uc + "\"}").post("/v1/tasks/claim-next").then().statusCode(200)
                .body("taskId", equalTo(task));
        // Work that requires nothing stays open to anyone with the reviewer role.
        String open = newTask(uc, 1, null);
        claim(ivy, open).then().statusCode(200);

        // The profile is audited with who changed it; the evidence only as a keyed digest. Saving it again is a no-op.
        String audited = scalar("SELECT string_agg(payload::text, '|') FROM outbox WHERE type = 'REVIEWER_CHANGED'"
                + " AND subject_id = 'reviewers/" + lena + "'");
        assertThat(audited).contains("evidenceHmac").contains("\"medical\"").doesNotContain("Lena Souza")
                .doesNotContain("certificate 4711");
        admin().body(qualified(0)).put("/v1/reviewers/{n}", lena).then().statusCode(200);
        assertThat(scalar("SELECT count(*) FROM outbox WHERE type = 'REVIEWER_CHANGED' AND subject_id = 'reviewers/"
                + lena + "'")).isEqualTo("1");
        assertThat(scalar("SELECT actor FROM outbox WHERE type = 'REVIEWER_CHANGED' AND subject_id = 'reviewers/"
                + lena + "'")).isEqualTo("boss");

        // A reviewer reads their own profile, not another's.
        reviewer(otto).get("/v1/reviewers/{n}", otto).then().statusCode(200)
                .body("qualifications[0].valid", equalTo(false));
        reviewer(otto).get("/v1/reviewers/{n}", lena).then().statusCode(403);
        admin().get("/v1/reviewers").then().statusCode(200).body("items.name", hasItem(lena));
        // Bad input names its field.
        admin().body("{\"languages\":[\"Portuguese\"]}").put("/v1/reviewers/{n}", ivy).then().statusCode(400)
                .body("errors[0].field", containsString("languages"));
        admin().body("{\"qualifications\":[{\"name\":\"medical\"}]}").put("/v1/reviewers/{n}", ivy).then()
                .statusCode(400).body("errors[0].field", containsString("validUntil"));
        Review.router().body(Review.task(UUID.randomUUID(), uc, 1, "\"requires\":{\"skills\":[\"Legal Stuff\"]}"))
                .post("/v1/tasks").then().statusCode(400);
    }

    @Test
    void anInactiveReviewerClaimsNothing_andTheLimitOfOpenTasksHolds() {
        String uc = uniqueUseCase("limits");
        String max = name("max");
        profile(max, "{\"maxOpenLeases\":1}");
        String first = newTask(uc, 1, null);
        String second = newTask(uc, 1, null);
        claim(max, first).then().statusCode(200);
        claim(max, second).then().statusCode(409).body("detail", containsString("your limit"));
        admin().body("{\"maxOpenLeases\":1,\"active\":false}").put("/v1/reviewers/{n}", max).then().statusCode(201);
        reviewer(max).body("{\"useCase\":\"" + uc + "\"}").post("/v1/tasks/claim-next").then().statusCode(403)
                .body("detail", containsString("not an active reviewer"));
    }

    @Test
    void anAssignedTaskComesFirstForItsReviewer_andNobodyElseClaimsIt() {
        String uc = uniqueUseCase("assign");
        String lena = name("lena");
        String lina = name("lina");
        String otto = name("otto");
        profile(lena, qualified(30));
        profile(lina, qualified(30));
        profile(otto, qualified(-1));
        String urgent = newTask(uc, 1, "\"priority\":900");
        String task = newTask(uc, 1, REQUIRES);
        admin().body("{\"reviewer\":\"" + otto + "\"}").post("/v1/tasks/{id}/assign", task).then().statusCode(409)
                .body("detail", containsString("expired"));
        as("sara", "senior-reviewer").body("{\"reviewer\":\"" + lena + "\"}").post("/v1/tasks/{id}/assign", task)
                .then().statusCode(200);
        assertThat(reviewer(lena).get("/v1/tasks/queue").jsonPath().getLong("items.find { it.useCase == '" + uc
                + "' }.assignedToYou")).isEqualTo(1);
        claim(lina, task).then().statusCode(409).body("detail", containsString("assigned to another reviewer"));
        reviewer(lena).body("{\"useCase\":\"" + uc + "\"}").post("/v1/tasks/claim-next").then().statusCode(200)
                .body("taskId", equalTo(task));
        reviewer(lina).body("{\"useCase\":\"" + uc + "\"}").post("/v1/tasks/claim-next").then().statusCode(200)
                .body("taskId", equalTo(urgent));
        reviewer(lena).body("{\"reviewer\":\"" + lina + "\"}").post("/v1/tasks/{id}/assign", task).then()
                .statusCode(403);
    }

    @Test
    void aThreadKeepsPeoplesWordsHere_theTrailOnlyTheirDigest_andBlindReviewHidesOthersUntilTheVerdict()
            throws Exception {
        String uc = uniqueUseCase("thread");
        String task = newTask(uc, 2, "\"blindReview\":true");
        String ann = name("ann");
        String bob = name("bob");
        long id = reviewer(ann).body("{\"text\":\"Is the policy number on page 2 the right one?\"}")
                .post("/v1/tasks/{id}/comments", task).then().statusCode(201).body("author", equalTo(ann))
                .extract().jsonPath().getLong("id");
        reviewer(ann).get("/v1/tasks/{id}/comments", task).then().statusCode(200)
                .body("items[0].text", containsString("page 2"));
        // bob judges independently: he sees that there is a comment, not whose or what, until his verdict is in.
        reviewer(bob).get("/v1/tasks/{id}/comments", task).then().statusCode(200)
                .body("items[0].text", nullValue()).body("items[0].author", nullValue());
        verdict(reviewer(bob), task, claimToken(bob, task), "APPROVE", null).then().statusCode(200);
        reviewer(bob).get("/v1/tasks/{id}/comments", task).then().body("items[0].text", containsString("page 2"));
        as("sara", "senior-reviewer").get("/v1/tasks/{id}/comments", task).then().body("items[0].author",
                equalTo(ann));

        String audited = scalar("SELECT payload::text FROM outbox WHERE type = 'COMMENT_ADDED' AND subject_id = '"
                + task + "'");
        assertThat(audited).contains("textHmac").doesNotContain("policy number").doesNotContain("page 2");
        reviewer(ann).body("{\"text\":\"   \"}").post("/v1/tasks/{id}/comments", task).then().statusCode(400);
        reviewer(ann).body("{\"text\":\"" + "x".repeat(4001) + "\"}").post("/v1/tasks/{id}/comments", task).then()
                .statusCode(400);

        // Erasure removes the words and keeps the place in the thread.
        reviewer(ann).delete("/v1/tasks/{id}/comments/{c}", task, id).then().statusCode(403);
        admin().delete("/v1/tasks/{id}/comments/{c}", task, id).then().statusCode(204);
        admin().get("/v1/tasks/{id}/comments", task).then().body("items[0].text", nullValue())
                .body("items[0].erasedAt", org.hamcrest.Matchers.notNullValue());
        assertThat(scalar("SELECT count(*) FROM task_comment WHERE id = " + id + " AND text IS NULL")).isEqualTo("1");
        assertThat(scalar("SELECT count(*) FROM outbox WHERE type = 'COMMENT_ERASED' AND subject_id = '" + task + "'"))
                .isEqualTo("1");
    }

    @Test
    void workNoActiveQualifiedReviewerCanTake_isACoverageGap_untilSomeoneQualifies() {
        String uc = uniqueUseCase("gap");
        newTask(uc, 1, "\"requires\":{\"qualifications\":[\"" + uc + "\"]}");
        admin().get("/v1/metrics/coverage").then().statusCode(200).body("uncovered.'" + uc + "'", equalTo(1));
        assertThat(RestAssured.get("/q/metrics").asString())
                .contains("oversight_review_uncovered_tasks{use_case=\"" + uc + "\"} 1.0");
        String nora = name("nora");
        profile(nora, "{\"qualifications\":[{\"name\":\"" + uc + "\",\"validUntil\":\"2999-12-31\"}],"
                + "\"active\":false}");
        admin().get("/v1/metrics/coverage").then().body("uncovered.'" + uc + "'", equalTo(1)); // inactive: no cover
        admin().body("{\"qualifications\":[{\"name\":\"" + uc + "\",\"validUntil\":\"2999-12-31\"}]}")
                .put("/v1/reviewers/{n}", nora).then().statusCode(201);
        admin().get("/v1/metrics/coverage").then().body("uncovered.'" + uc + "'", nullValue());
        assertThat(RestAssured.get("/q/metrics").asString())
                .contains("oversight_review_uncovered_tasks{use_case=\"" + uc + "\"} 0.0");
    }

    @Inject
    dev.oversight.review.service.Offers offers;

    private static String pushed(String qualification, String strategy) {
        return "\"requires\":{\"qualifications\":[\"" + qualification + "\"]},\"assignment\":\"" + strategy
                + "\",\"offerSeconds\":60";
    }

    private static String assignee(String task) {
        return admin().get("/v1/tasks/{id}", task).then().statusCode(200).extract().path("assignedTo");
    }

    @Test
    void roundRobinOffersInTurn_andAnOfferNotStartedInTimeMovesOn_butAStartedOneStays() {
        String uc = uniqueUseCase("robin");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String ana = "ana-" + suffix;
        String ben = "ben-" + suffix;
        String cid = "cid-" + suffix;
        String qualified = "{\"qualifications\":[{\"name\":\"" + uc + "\",\"validUntil\":\"2999-12-31\"}]}";
        profile(ana, qualified);
        profile(ben, qualified);
        profile(cid, "{\"qualifications\":[{\"name\":\"" + uc + "\",\"validUntil\":\"2020-01-01\"}]}");
        String t1 = newTask(uc, 1, pushed(uc, "ROUND_ROBIN"));
        String t2 = newTask(uc, 1, pushed(uc, "ROUND_ROBIN"));
        String t3 = newTask(uc, 1, pushed(uc, "ROUND_ROBIN"));
        assertThat(List.of(assignee(t1), assignee(t2), assignee(t3))).containsExactly(ana, ben, ana);
        // Offered to ana: ben cannot claim it; ben's claim-next takes his own offer.
        claim(ben, t1).then().statusCode(409);
        reviewer(ben).body("{\"useCase\":\"" + uc + "\"}").post("/v1/tasks/claim-next").then().statusCode(200)
                .body("taskId", equalTo(t2));

        // A minute later ana has started neither: both of hers go to ben; ben's, started, stays his.
        assertThat(offers.sweep(java.time.Instant.now().plusSeconds(61))).isEqualTo(2);
        assertThat(List.of(assignee(t1), assignee(t2), assignee(t3))).containsExactly(ben, ben, ben);
        assertThat(scalarOrNull("SELECT count(*) FROM outbox WHERE type = 'TASK_OFFERED' AND subject_id = '" + t1
                + "'")).isEqualTo("2");
        // Admins see each reviewer's progress: ben has two offered and one started, ana nothing open.
        admin().queryParam("useCase", uc).get("/v1/reviewers/progress").then().statusCode(200)
                .body("items.find { it.reviewer == '" + ben + "' }.assigned", equalTo(2))
                .body("items.find { it.reviewer == '" + ben + "' }.started", equalTo(1))
                .body("items.find { it.reviewer == '" + ben + "' }.done", equalTo(0));
        verdict(reviewer(ben), t2, claimToken(ben, t2), "APPROVE", null).then().statusCode(200);
        admin().queryParam("useCase", uc).get("/v1/reviewers/progress").then()
                .body("items.find { it.reviewer == '" + ben + "' }.done", equalTo(1))
                .body("items.find { it.reviewer == '" + ben + "' }.started", equalTo(0));
    }

    @Test
    void leastLoadedOffersToWhoeverHoldsLeast_andNeverToTheUnqualified() {
        String uc = uniqueUseCase("least");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String cat = "cat-" + suffix;
        String dan = "dan-" + suffix;
        String qualified = "{\"qualifications\":[{\"name\":\"" + uc + "\",\"validUntil\":\"2999-12-31\"}]}";
        profile(cat, qualified);
        profile(dan, qualified);
        // cat already holds two tasks of the use case (pulled); dan holds none.
        for (int i = 0; i < 2; i++) {
            claim(cat, newTask(uc, 1, "\"requires\":{\"qualifications\":[\"" + uc + "\"]}")).then().statusCode(200);
        }
        String t1 = newTask(uc, 1, pushed(uc, "LEAST_LOADED"));
        String t2 = newTask(uc, 1, pushed(uc, "LEAST_LOADED"));
        String t3 = newTask(uc, 1, pushed(uc, "LEAST_LOADED"));
        // dan: 0, then 1 offer, then 2 offers against cat's 2 leases (a tie goes to whoever was offered work longest ago)
        assertThat(List.of(assignee(t1), assignee(t2), assignee(t3))).containsExactly(dan, dan, cat);
        // Nobody started an offer within its minute: each moves to the other reviewer (the only one left).
        assertThat(offers.sweep(java.time.Instant.now().plusSeconds(61))).isEqualTo(3);
        assertThat(List.of(assignee(t1), assignee(t2), assignee(t3))).containsExactly(cat, cat, dan);
        // Nobody qualified: the task is offered to nobody and stays open to pull.
        String nobody = newTask(uc, 1, pushed(uc + "-x", "LEAST_LOADED"));
        assertThat(assignee(nobody)).isNull();
    }

    @Inject
    dev.oversight.review.service.SlaSweeper sla;

    @Test
    void anOfferEndsWhenTheSlaSendsTheTaskToSeniors_soAQualifiedSeniorTakesIt() {
        String uc = uniqueUseCase("toseniors");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String eve = "eve-" + suffix;
        String sid = "sid-" + suffix;
        String qualified = "{\"qualifications\":[{\"name\":\"" + uc + "\",\"validUntil\":\"2999-12-31\"}]}";
        profile(eve, qualified);
        profile(sid, qualified);
        String task = newTask(uc, 1, pushed(uc, "ROUND_ROBIN") + ",\"slaSeconds\":60");
        assertThat(assignee(task)).isIn(eve, sid);
        sla.sweep(java.time.Instant.now().plusSeconds(100));
        assertThat(assignee(task)).isNull();
        Review.senior(sid).post("/v1/tasks/{id}/claim", task).then().statusCode(200);
    }

    private String scalarOrNull(String sql) throws RuntimeException {
        try {
            return scalar(sql);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String scalar(String sql) throws Exception {
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

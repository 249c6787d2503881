package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.routeBody;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

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
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Humans stay in command under four eyes: every path that can make the router release more goes through one gate,
 * and one admin alone cannot loosen oversight by any of them.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class HumanCommandTest {

    @Inject
    AgroalDataSource db;

    private static RequestSpecification as(String admin) {
        return given().auth().oauth2(Tokens.of(admin, "admin", "app")).contentType(ContentType.JSON)
                .accept(ContentType.JSON);
    }

    private static String fourEyes(String fields) {
        return "{\"apps\":[\"*\"],\"fourEyes\":true,\"auditSampleRate\":0" + (fields.isEmpty() ? "" : "," + fields) + "}";
    }

    private static String create(String prefix, String fields) {
        String uc = uniqueUseCase(prefix);
        as("alice").body(fourEyes(fields)).put("/v1/use-cases/{u}/policy", uc).then().statusCode(201);
        return uc;
    }

    /** Labels that say nearly every output was right, whatever its confidence (a few low ones were not). */
    private static void flatteringLabels(String uc, int n) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            double s = (i + 0.5) / n;
            body.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"useCase\":\"%s\",\"modelVersion\":\"m1\",\"confidence\":%.4f,\"correct\":%b}", uc, s,
                    !(s < 0.5 && i % 50 == 0)));
        }
        as("alice").body(body.append("]").toString()).post("/v1/labels").then().statusCode(200);
    }

    private static String routeOf(String uc, double confidence) {
        return as("alice").body(routeBody(uc, confidence, null)).post("/v1/route").then().statusCode(200)
                .extract().path("route");
    }

    @Test
    void flatteringLabelsAndAFitActivatedByOneAdmin_waitForASecond_andNothingIsReleasedMeanwhile() throws Exception {
        String uc = create("hic-fit", "\"threshold\":null");
        assertThat(routeOf(uc, 0.05)).isEqualTo("REVIEW");
        flatteringLabels(uc, 2000);
        as("alice").body("{\"method\":\"platt\",\"activate\":true}").post("/v1/use-cases/{u}/calibrations", uc)
                .then().statusCode(202).body("active", equalTo(false)).body("approval.status", equalTo("PENDING"))
                .body("approval.loosens[0]", containsString("releaseCut"))
                .body("approval.requestedBy", equalTo("alice"));
        assertThat(routeOf(uc, 0.05)).isEqualTo("REVIEW");
        // Asked for once more, or approved by its own requester: nothing changes without a second person.
        as("alice").post("/v1/use-cases/{u}/calibrations/2/activate", uc).then().statusCode(202);
        as("alice").post("/v1/use-cases/{u}/calibrations/2/approve", uc).then().statusCode(403);
        assertThat(routeOf(uc, 0.05)).isEqualTo("REVIEW");

        as("bob").post("/v1/use-cases/{u}/calibrations/2/approve", uc).then().statusCode(200)
                .body("active", equalTo(true)).body("approval.status", equalTo("APPROVED"))
                .body("approval.approvedBy", equalTo("bob"));
        assertThat(routeOf(uc, 0.5)).isEqualTo("RELEASE");
        as("bob").post("/v1/use-cases/{u}/calibrations/2/approve", uc).then().statusCode(409);
        // Back to the identity (which releases nothing without a threshold) is tightening: at once.
        as("alice").post("/v1/use-cases/{u}/calibrations/1/activate", uc).then().statusCode(200)
                .body("active", equalTo(true));
        assertThat(scalar("SELECT count(*) FROM outbox WHERE type = 'CALIBRATOR_ACTIVATION_REQUESTED'"
                + " AND use_case = '" + uc + "'")).isEqualTo("2");
    }

    @Test
    void anIdentityFit_orARequestLevelTargetLooserThanThePolicys_cannotBeActivatedByOneAdmin() {
        String uc = create("hic-identity", "\"threshold\":0.9");
        flatteringLabels(uc, 1000);
        // A request-level α never replaces the policy's for an activation.
        as("alice").body("{\"method\":\"platt\",\"activate\":true,\"targetErrorRate\":0.5}")
                .post("/v1/use-cases/{u}/calibrations", uc).then().statusCode(400)
                .body("errors[0].field", equalTo("targetErrorRate"));
        as("alice").body("{\"method\":\"platt\",\"targetErrorRate\":0.5}").post("/v1/use-cases/{u}/calibrations", uc)
                .then().statusCode(201);
        as("alice").post("/v1/use-cases/{u}/calibrations/2/activate", uc).then().statusCode(409)
                .body("detail", containsString("targetErrorRate 0.5"));
        // A Platt fit on flattering labels maps 0.05 far above 0.9: a lower release cut, so it waits.
        as("alice").body("{\"method\":\"platt\",\"activate\":true}").post("/v1/use-cases/{u}/calibrations", uc)
                .then().statusCode(202);
        assertThat(routeOf(uc, 0.05)).isEqualTo("REVIEW");
    }

    @Test
    void fromReviewEverythingToReleaseEverything_waitsForASecondAdmin() {
        String uc = create("hic-null", "\"threshold\":null");
        as("alice").body(fourEyes("\"threshold\":0.0")).put("/v1/use-cases/{u}/policy", uc).then().statusCode(202)
                .body("approval.loosens", hasItem(containsString("releaseCut")));
        assertThat(routeOf(uc, 0.01)).isEqualTo("REVIEW");
    }

    @Test
    void releasingUnjudgedOutputsOnTimeout_orSooner_waitsForASecondAdmin() {
        String uc = create("hic-sla", "\"threshold\":0.8,\"reviewSlaSeconds\":86400");
        as("alice").body(fourEyes("\"threshold\":0.8,\"reviewSlaSeconds\":600,\"onReviewTimeout\":\"RELEASE_FLAGGED\""))
                .put("/v1/use-cases/{u}/policy", uc).then().statusCode(202)
                .body("approval.loosens", hasItem(containsString("onReviewTimeout")));
        as("bob").post("/v1/use-cases/{u}/policies/2/approve", uc).then().statusCode(200);
        as("alice").body(fourEyes("\"threshold\":0.8,\"reviewSlaSeconds\":60,\"onReviewTimeout\":\"RELEASE_FLAGGED\""))
                .put("/v1/use-cases/{u}/policy", uc).then().statusCode(202)
                .body("approval.loosens", hasItem("onReviewTimeout: RELEASE_FLAGGED after 60 s instead of 600 s"));
    }

    @Test
    void aSelfActivatingScheduleThatChanges_waitsForASecondAdmin() {
        String schedule = "\"threshold\":0.8,\"recalibration\":{\"every\":\"PT6H\",\"window\":\"P30D\",\"method\":\"%s\","
                + "\"autoActivate\":true}";
        String uc = create("hic-recal", String.format(schedule, "platt"));
        as("alice").body(fourEyes(String.format(schedule, "isotonic"))).put("/v1/use-cases/{u}/policy", uc).then()
                .statusCode(202).body("approval.loosens", hasItem(containsString("recalibration")));
    }

    @Test
    void haltToReviewAll_waitsForASecondAdmin() {
        String uc = create("hic-halt", "\"threshold\":0.8");
        as("alice").body("{\"mode\":\"HALT\",\"reason\":\"incident\"}").post("/v1/use-cases/{u}/mode", uc).then()
                .statusCode(200);
        as("alice").body("{\"mode\":\"REVIEW_ALL\",\"reason\":\"partly fixed\"}").post("/v1/use-cases/{u}/mode", uc)
                .then().statusCode(202).body("mode", equalTo("HALT"))
                .body("pendingModeChange.mode", equalTo("REVIEW_ALL"));
    }

    @Test
    void aRenamedAccount_isStillTheSamePerson_andCannotApproveItsOwnChange() {
        String uc = uniqueUseCase("hic-rename");
        String asAlice = Tokens.named("subject-42", "alice", "admin");
        String asRenamed = Tokens.named("subject-42", "alice.smith", "admin");
        String asBob = Tokens.named("subject-43", "alice", "admin");
        given().auth().oauth2(asAlice).contentType(ContentType.JSON).body(fourEyes("\"threshold\":0.8"))
                .put("/v1/use-cases/{u}/policy", uc).then().statusCode(201);
        given().auth().oauth2(asAlice).contentType(ContentType.JSON).body(fourEyes("\"threshold\":0.5"))
                .put("/v1/use-cases/{u}/policy", uc).then().statusCode(202);
        given().auth().oauth2(asRenamed).contentType(ContentType.JSON).post("/v1/use-cases/{u}/policies/2/approve", uc)
                .then().statusCode(403);
        // Another subject is another person, even under the same display name.
        given().auth().oauth2(asBob).contentType(ContentType.JSON).post("/v1/use-cases/{u}/policies/2/approve", uc)
                .then().statusCode(200);

        given().auth().oauth2(asAlice).contentType(ContentType.JSON).body("{\"mode\":\"HALT\",\"reason\":\"x\"}")
                .post("/v1/use-cases/{u}/mode", uc).then().statusCode(200);
        int change = given().auth().oauth2(asAlice).contentType(ContentType.JSON)
                .body("{\"mode\":\"AUTO\",\"reason\":\"y\"}").post("/v1/use-cases/{u}/mode", uc).then()
                .statusCode(202).extract().path("pendingModeChange.id");
        given().auth().oauth2(asRenamed).contentType(ContentType.JSON)
                .post("/v1/use-cases/{u}/mode-changes/{id}/approve", uc, change).then().statusCode(403);
    }

    @Test
    void aLabelImport_isOneAuditEventWithItsActorCountAndDigest_andTheReportTellsImportsFromVerdicts()
            throws Exception {
        String uc = create("hic-labels", "\"threshold\":0.8");
        flatteringLabels(uc, 300);
        assertThat(scalar("SELECT count(*) FROM outbox WHERE type = 'LABELS_IMPORTED' AND use_case = '" + uc + "'"))
                .isEqualTo("1");
        assertThat(scalar("SELECT actor FROM outbox WHERE type = 'LABELS_IMPORTED' AND use_case = '" + uc + "'"))
                .isEqualTo("alice");
        String payload = scalar("SELECT payload::text FROM outbox WHERE type = 'LABELS_IMPORTED' AND use_case = '"
                + uc + "'");
        assertThat(payload).contains("\"count\":300").containsPattern("\"sha256\":\"[0-9a-f]{64}\"");
        assertThat(scalar("SELECT count(*) FROM label WHERE use_case = '" + uc + "' AND actor = 'alice'"))
                .isEqualTo("300");
        as("alice").body("{\"method\":\"platt\"}").post("/v1/use-cases/{u}/calibrations", uc).then().statusCode(201)
                .body("labels.imported", equalTo(300)).body("labels.fromVerdicts", equalTo(0))
                .body("labels.bySource.import", equalTo(300));
    }

    @Test
    void tighteningNeedsNoSecondPerson() {
        String uc = create("hic-tight", "\"threshold\":0.8");
        as("alice").body(fourEyes("\"threshold\":0.9,\"requiredReviews\":2")).put("/v1/use-cases/{u}/policy", uc)
                .then().statusCode(200).body("approval", nullValue());
        as("alice").body("{\"mode\":\"HALT\",\"reason\":\"incident\"}").post("/v1/use-cases/{u}/mode", uc).then()
                .statusCode(200).body("mode", equalTo("HALT"));
    }

    private String scalar(String sql) throws Exception {
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.route;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
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
import org.junit.jupiter.api.Test;

/**
 * What a use case requires of its reviewers reaches each review task: the policy's requirements and those of the
 * review rules that sent the output to review. Dropping a requirement lets people without it judge: it loosens
 * oversight and, under four eyes, waits for a second admin.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ReviewerRequirementsApiTest {

    @Inject
    AgroalDataSource db;

    private static RequestSpecification as(String admin) {
        return given().auth().oauth2(Tokens.of(admin, "admin")).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    private static final String POLICY = "{\"threshold\":0.9,\"apps\":[\"*\"],\"auditSampleRate\":0,\"fourEyes\":true,"
            + "\"reviewers\":{\"qualifications\":[\"medical\"]},\"reviewRules\":[{\"name\":\"portuguese\","
            + "\"when\":\"attributes.lang == 'pt'\",\"requires\":{\"languages\":[\"pt\"],\"skills\":[\"claims\"]}}]}";

    @Test
    void theTaskCarriesThePolicysAndTheMatchingRulesRequirements_andDroppingOneWaitsForASecondAdmin()
            throws Exception {
        String uc = uniqueUseCase("requires");
        as("alice").body(POLICY).put("/v1/use-cases/{u}/policy", uc).then().statusCode(201)
                .body("policy.reviewers.qualifications[0]", equalTo("medical"));
        String pt = route("{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"output\":1,\"confidence\":0.95,"
                + "\"attributes\":{\"lang\":\"pt\"}}").then().statusCode(200).body("route", equalTo("REVIEW"))
                .extract().path("decisionId");
        String en = route("{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"output\":1,\"confidence\":0.5,"
                + "\"attributes\":{\"lang\":\"en\"}}").then().statusCode(200).extract().path("decisionId");
        JsonNode ptTask = task(pt);
        assertThat(ptTask.get("requires").toString())
                .isEqualTo("{\"skills\":[\"claims\"],\"languages\":[\"pt\"],\"qualifications\":[\"medical\"]}");
        assertThat(task(en).get("requires").toString())
                .isEqualTo("{\"skills\":[],\"languages\":[],\"qualifications\":[\"medical\"]}");

        // Requiring more tightens: in force at once. Requiring less loosens: it waits for a second admin.
        as("alice").body(POLICY.replace("[\"medical\"]", "[\"medical\",\"gdpr\"]")).put("/v1/use-cases/{u}/policy", uc)
                .then().statusCode(200);
        as("alice").body(POLICY.replace(",\"skills\":[\"claims\"]", "")).put("/v1/use-cases/{u}/policy", uc).then()
                .statusCode(202).body("approval.loosens[0]", containsString("reviewRules"))
                .body("approval.loosens[0]", containsString("skill claims"));

        as("alice").body(POLICY.replace("\"qualifications\":[\"medical\"]", "\"languages\":[\"Portuguese\"]"))
                .put("/v1/use-cases/{u}/policy", uc).then().statusCode(400)
                .body("errors[0].field", containsString("reviewers.languages"));
        as("alice").body("{\"threshold\":0.9,\"apps\":[\"*\"],\"blockRules\":[{\"name\":\"b\",\"when\":\"true\","
                + "\"requires\":{\"skills\":[\"x\"]}}]}").put("/v1/use-cases/{u}/policy", uc).then().statusCode(400)
                .body("errors[0].field", equalTo("blockRules"));
    }

    @Test
    void aPolicyThatPushesWork_sendsItsStrategyWithEachTask() throws Exception {
        String uc = uniqueUseCase("pushes");
        as("alice").body("{\"threshold\":0.9,\"apps\":[\"*\"],\"assignment\":\"LEAST_LOADED\",\"offerSeconds\":120,"
                        + "\"reviewerLimits\":{\"minDwellSeconds\":8,\"maxFastApprovalRate\":0.3}}")
                .put("/v1/use-cases/{u}/policy", uc).then().statusCode(201)
                .body("policy.assignment", equalTo("LEAST_LOADED")).body("policy.offerSeconds", equalTo(120));
        String id = route("{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"output\":1,\"confidence\":0.2}")
                .then().statusCode(200).extract().path("decisionId");
        JsonNode t = task(id);
        assertThat(t.get("assignment").asText()).isEqualTo("LEAST_LOADED");
        assertThat(t.get("offerSeconds").asInt()).isEqualTo(120);
        assertThat(t.has("requires")).isFalse();
        assertThat(t.get("reviewerLimits").toString()).isEqualTo("{\"minDwellSeconds\":8,\"maxFastApprovalRate\":0.3}");
        as("alice").body("{\"threshold\":0.9,\"apps\":[\"*\"],\"offerSeconds\":120}")
                .put("/v1/use-cases/{u}/policy", uc).then().statusCode(400).body("errors[0].field", equalTo("offerSeconds"));
        as("alice").body("{\"threshold\":0.9,\"apps\":[\"*\"],\"assignment\":\"RANDOM\"}")
                .put("/v1/use-cases/{u}/policy", uc).then().statusCode(400);
    }

    private JsonNode task(String decisionId) throws Exception {
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery("SELECT payload FROM"
                + " outbox WHERE destination = 'review' AND subject_id = '" + decisionId + "'")) {
            assertThat(rs.next()).as("a task request for " + decisionId).isTrue();
            return new ObjectMapper().readTree(rs.getString(1));
        }
    }
}

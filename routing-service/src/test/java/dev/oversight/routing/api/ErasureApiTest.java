package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.putPolicy;
import static dev.oversight.routing.api.Api.route;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import dev.oversight.common.crypto.KeyedDigest;
import dev.oversight.common.testing.PostgresResource;
import dev.oversight.common.testing.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Erasure and retention against real PostgreSQL: an erasure deletes a person's data here at once, tells the review
 * service in the same transaction, deletes the digest salts (so the trail's digests confirm no guess) and records only
 * how many; an incident's decisions are held; retention deletes only the parts that are due.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ErasureApiTest {

    private static final String OUTPUT = "{\"answer\":\"pay Mrs Example\"}";

    @Inject
    AgroalDataSource db;

    private final KeyedDigest digest = new KeyedDigest(
            ConfigProvider.getConfig().getValue("oversight.digest-key", String.class));

    private static RequestSpecification admin() {
        return given().auth().oauth2(Tokens.of("alice", "admin")).contentType(ContentType.JSON)
                .accept(ContentType.JSON);
    }

    private static String decision(String uc, double confidence, String customer, String key) {
        return route("{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"output\":" + OUTPUT + ",\"confidence\":"
                + confidence + ",\"input\":{\"letter\":\"Dear insurer, I am Mrs Example\"},\"attributes\":{\"customer\":"
                + "{\"id\":\"" + customer + "\"}}" + (key == null ? "" : ",\"idempotencyKey\":\"" + key + "\"") + "}")
                .then().statusCode(200).extract().path("decisionId");
    }

    @Test
    void anErasureOfADataSubject_deletesTheirDataEverywhereAtOnce_andTheLogConfirmsNoGuessOfIt() throws Exception {
        String uc = uniqueUseCase("erase");
        // Segments by an identifying attribute: the segment names the person too.
        putPolicy(uc, "{\"threshold\":0.8,\"auditSampleRate\":0,\"segments\":{\"by\":\"attributes.customer.id\"}}")
                .then().statusCode(201);
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("[{\"useCase\":\"" + uc
                        + "\",\"modelVersion\":\"m1\",\"confidence\":0.9,\"correct\":true,\"attributes\":{\"customer\":"
                        + "{\"id\":\"C-77\"}}},{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"confidence\":0.9,"
                        + "\"correct\":true,\"attributes\":{\"customer\":{\"id\":\"C-88\"}}}]")
                .post("/v1/labels").then().statusCode(200);
        String released = decision(uc, 0.95, "C-77", "claim-of-mrs-example");
        String reviewed = decision(uc, 0.2, "C-77", null);
        String held = decision(uc, 0.95, "C-77", null);
        String other = decision(uc, 0.95, "C-88", null);
        admin().body("{\"useCase\":\"" + uc + "\",\"severity\":\"SERIOUS\",\"awareAt\":\"" + Instant.now().minusSeconds(60)
                + "\",\"decisionIds\":[\"" + held + "\"],\"summary\":\"a wrong payment\"}").post("/v1/incidents")
                .then().statusCode(201);
        String outputHmac = text("SELECT payload ->> 'outputHmac' FROM outbox WHERE destination = 'audit' AND type ="
                + " 'DECISION_MADE' AND subject_id = ?", released);
        byte[] salt = bytes("SELECT digest_salt FROM decision WHERE id = ?::uuid", released);
        assertThat(salt).hasSize(KeyedDigest.SALT_BYTES);
        assertThat(digest.hex(salt, OUTPUT)).as("the service can still show the text is the one logged")
                .isEqualTo(outputHmac);

        // The review task request went to the review service (delivered), carrying the output and the input.
        update("UPDATE outbox SET delivered_at = now() WHERE destination = 'review' AND subject_id = ?", reviewed);

        JsonPath erased = admin().body("{\"subjectAttribute\":{\"useCase\":\"" + uc + "\",\"path\":\"customer.id\","
                        + "\"value\":\"C-77\"},\"reason\":\"Art. 17 request of Mrs Example, ticket 4711\"}")
                .post("/v1/erasures").then().statusCode(201).header("Location", containsString("/v1/erasures/"))
                .body("kind", equalTo("SUBJECT_ATTRIBUTE")).body("decisions", equalTo(2)).body("held", equalTo(1))
                .body("heldDecisionIds", contains(held)).body("complete", equalTo(true))
                .body("parts", contains("OUTPUTS", "INPUTS", "PEOPLE_TEXT")).body("requestedBy", equalTo("alice"))
                .extract().jsonPath();
        String id = erased.getString("id");

        for (String d : List.of(released, reviewed)) {
            admin().get("/v1/decisions/{id}", d).then().statusCode(200).body("erased", equalTo(true))
                    .body("output", nullValue()).body("input", nullValue()).body("attributes", nullValue())
                    .body("useCase", equalTo(uc)).body("rawConfidence", equalTo(d.equals(released) ? 0.95f : 0.2f));
            assertThat(text("SELECT row_to_json(d)::text FROM decision d WHERE id = ?::uuid", d))
                    .doesNotContain("Mrs Example").doesNotContain("C-77").doesNotContain("claim-of-mrs-example");
            assertThat(bytes("SELECT digest_salt FROM decision WHERE id = ?::uuid", d)).isNull();
        }
        // An imported label's attributes name the person as well: erased with the decisions; others' stay.
        assertThat(text("SELECT string_agg(coalesce(attributes::text, 'none'), ',' ORDER BY id) FROM label"
                + " WHERE use_case = ?", uc)).isEqualTo("none,{\"customer\": {\"id\": \"C-88\"}}");
        assertThat(digest.hex(OUTPUT)).as("without its salt not even the key confirms a guess").isNotEqualTo(outputHmac);
        assertThat(digest.hex(KeyedDigest.newSalt(), OUTPUT)).isNotEqualTo(outputHmac);
        admin().get("/v1/decisions/{id}", held).then().body("erased", equalTo(false))
                .body("output.answer", equalTo("pay Mrs Example"));
        admin().get("/v1/decisions/{id}", other).then().body("erased", equalTo(false))
                .body("attributes.customer.id", equalTo("C-88"));
        // The review's outcome arrives after the erasure: the decision is final, and the data does not come back.
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("[{\"eventId\":\""
                        + java.util.UUID.randomUUID() + "\",\"decisionId\":\"" + reviewed + "\",\"taskId\":\""
                        + java.util.UUID.randomUUID() + "\",\"verdict\":\"CORRECT\",\"correct\":false,\"timedOut\":false,"
                        + "\"decidedBy\":\"ann\",\"decidedAt\":\"" + Instant.now() + "\",\"finalOutput\":{\"answer\":"
                        + "\"deny Mrs Example\"},\"verdicts\":[{\"reviewer\":\"ann\",\"verdict\":\"CORRECT\","
                        + "\"rationale\":\"Mrs Example phoned\",\"correctedOutput\":{\"answer\":\"deny Mrs Example\"}}]}]")
                .post("/v1/outcomes").then().statusCode(200);
        admin().get("/v1/decisions/{id}", reviewed).then().body("status", equalTo("CORRECTED"))
                .body("finalOutput", nullValue()).body("verdicts[0].reviewer", equalTo("ann"))
                .body("verdicts[0].rationale", nullValue()).body("verdicts[0].correctedOutput", nullValue());
        assertThat(text("SELECT row_to_json(d)::text FROM decision d WHERE id = ?::uuid", reviewed))
                .doesNotContain("Mrs Example");
        // A released, erased decision is still reversed by a person, but neither the reason nor a replacement is kept.
        admin().body("{\"reason\":\"Mrs Example was paid twice\",\"output\":{\"answer\":\"deny Mrs Example\"}}")
                .post("/v1/decisions/{id}/override", released).then().statusCode(200);
        admin().get("/v1/decisions/{id}", released).then().body("status", equalTo("OVERRIDDEN"))
                .body("finalOutput", nullValue());
        assertThat(text("SELECT row_to_json(o)::text FROM decision_override o WHERE decision_id = ?::uuid", released)
                + text("SELECT string_agg(payload::text, '') FROM outbox WHERE subject_id = ?", released))
                .doesNotContain("Mrs Example").doesNotContain("reasonHmac");
        // The app may send the same key again: it is a new decision now, not the erased one.
        assertThat(decision(uc, 0.95, "C-77", "claim-of-mrs-example")).isNotEqualTo(released);

        assertThat(text("SELECT count(*)::text FROM outbox WHERE destination <> 'audit' AND subject_id = ?", reviewed))
                .isEqualTo("0");
        String event = text("SELECT payload::text FROM outbox WHERE destination = 'audit' AND type = 'ERASURE'"
                + " AND subject_id = ?", "erasures/" + id);
        assertThat(event).contains("\"decisions\":2", "\"held\":1", "\"kind\":\"SUBJECT_ATTRIBUTE\"",
                        "\"reasonHmac\"").doesNotContain("Mrs Example").doesNotContain("C-77")
                .doesNotContain(released).doesNotContain("4711");
        String review = text("SELECT payload::text FROM outbox WHERE destination = 'erasure' AND subject_id = ?",
                "erasures/" + id);
        assertThat(review).contains(released, reviewed, "\"erase\":true").doesNotContain(held);

        admin().body("{\"subjectAttribute\":{\"path\":\"customer.id\",\"value\":\"C-77\"},\"reason\":\"again\"}")
                .post("/v1/erasures").then().statusCode(201).body("decisions", equalTo(1))
                .body("useCase", nullValue());
        assertThat(given().get("/q/metrics").then().extract().asString())
                .containsPattern("oversight_erasure_decisions_total\\{kind=\"SUBJECT_ATTRIBUTE\"} [3-9]");
        admin().get("/v1/erasures/{id}", id).then().statusCode(200).body("decisions", equalTo(2))
                .body("heldDecisionIds", nullValue());
        admin().queryParam("kind", "SUBJECT_ATTRIBUTE").get("/v1/erasures").then().statusCode(200)
                .body("items.id", hasItem(id));
        admin().body("{\"decisionIds\":[\"" + other + "\",\"" + other + "\"],\"reason\":\"the person asked\"}")
                .post("/v1/erasures").then().statusCode(201).body("kind", equalTo("DECISIONS"))
                .body("decisions", equalTo(1));
    }

    @Test
    void anErasureThatDoesNotSayWhatOrWhy_isAProblemNamingTheField() {
        admin().body("{\"reason\":\"asked\"}").post("/v1/erasures").then().statusCode(400)
                .body(containsString("decisionIds"));
        admin().body("{\"decisionIds\":[\"01234567-89ab-7def-8123-456789abcdef\"],\"subjectAttribute\":{\"path\":\"a\","
                + "\"value\":\"b\"},\"reason\":\"asked\"}").post("/v1/erasures").then().statusCode(400)
                .body(containsString("exactly one"));
        admin().body("{\"decisionIds\":[\"01234567-89ab-7def-8123-456789abcdef\"]}").post("/v1/erasures").then()
                .statusCode(400).body(containsString("reason"));
        admin().body("{\"subjectAttribute\":{\"path\":\"a..b\",\"value\":\"x\"},\"reason\":\"r\"}").post("/v1/erasures")
                .then().statusCode(400).body(containsString("path"));
        admin().body("{\"subjectAttribute\":{\"path\":\"a\",\"value\":{\"x\":1}},\"reason\":\"r\"}")
                .post("/v1/erasures").then().statusCode(400).body(containsString("subjectAttribute.value"));
        admin().body("{\"decisionIds\":[],\"reason\":\"r\"}").post("/v1/erasures").then().statusCode(400)
                .body(containsString("decisionIds"));
        admin().get("/v1/erasures/{id}", "01234567-89ab-7def-8123-456789abcdef").then().statusCode(404);
    }

    @Test
    void retentionDeletesOnlyThePartsThatAreDue_andNeverWhatAnIncidentHolds() throws Exception {
        String uc = uniqueUseCase("retain");
        putPolicy(uc, "{\"threshold\":0.8,\"auditSampleRate\":0}").then().statusCode(201);
        admin().get("/v1/use-cases/{u}/retention", uc).then().statusCode(200).body("outputs", equalTo("P180D"))
                .body("legalMinimum", equalTo("P180D")).body("setBy", nullValue());
        String shorter = "{\"outputs\":\"P30D\",\"inputs\":\"P1Y\",\"peopleText\":\"P30D\"}";
        admin().body(shorter).put("/v1/use-cases/{u}/retention", uc).then().statusCode(400)
                .body(containsString("reason"));
        admin().body("{\"outputs\":\"30 days\",\"inputs\":\"P1Y\",\"peopleText\":\"P1Y\"}")
                .put("/v1/use-cases/{u}/retention", uc).then().statusCode(400).body(containsString("outputs"));
        admin().body("{\"outputs\":\"P-3D\",\"inputs\":\"P1Y\",\"peopleText\":\"P1Y\"}")
                .put("/v1/use-cases/{u}/retention", uc).then().statusCode(400).body(containsString("positive"));
        admin().body("{\"outputs\":\"P30D\",\"inputs\":\"P1Y\",\"peopleText\":\"P30D\",\"reason\":\"the DPO's"
                        + " minimisation ruling 2026-11\"}").put("/v1/use-cases/{u}/retention", uc).then()
                .statusCode(200).body("outputs", equalTo("P30D")).body("inputs", equalTo("P1Y"))
                .body("setBy", equalTo("alice"));
        assertThat(text("SELECT payload::text FROM outbox WHERE type = 'RETENTION_CHANGED' AND use_case = ?", uc))
                .contains("\"belowMinimum\":true", "reasonHmac").doesNotContain("minimisation");

        String old = decision(uc, 0.95, "C-1", null);
        String oldReviewed = decision(uc, 0.2, "C-2", null);
        String oldHeld = decision(uc, 0.95, "C-3", null);
        String recent = decision(uc, 0.95, "C-4", null);
        admin().body("{\"useCase\":\"" + uc + "\",\"severity\":\"SERIOUS\",\"awareAt\":\"" + Instant.now().minusSeconds(60)
                + "\",\"decisionIds\":[\"" + oldHeld + "\"],\"summary\":\"a wrong payment\"}").post("/v1/incidents")
                .then().statusCode(201);
        update("UPDATE decision SET verdicts = '[{\"reviewer\":\"rita\",\"verdict\":\"CORRECT\",\"rationale\":\"Mrs"
                + " Example told me\",\"correctedOutput\":{\"answer\":\"deny\"},\"steps\":[{\"index\":0,\"verdict\":"
                + "\"WRONG\",\"note\":\"she called\"}]}]'::jsonb WHERE id = ?::uuid", oldReviewed);
        for (String d : List.of(old, oldReviewed, oldHeld)) {
            update("UPDATE decision SET created_at = now() - interval '40 days' WHERE id = ?::uuid", d);
        }

        JsonPath swept = admin().post("/v1/erasures/retention-sweep").then().statusCode(200).extract().jsonPath();
        assertThat(swept.getMap("find { it.useCase == '" + uc + "' }.decisions"))
                .containsEntry("OUTPUTS", 2).containsEntry("INPUTS", 0).containsEntry("PEOPLE_TEXT", 2);
        admin().get("/v1/decisions/{id}", old).then().body("output", nullValue()).body("erased", equalTo(false))
                .body("input.letter", containsString("Mrs Example"));
        JsonPath reviewed = admin().get("/v1/decisions/{id}", oldReviewed).then().extract().jsonPath();
        assertThat(reviewed.getString("verdicts[0].verdict")).isEqualTo("CORRECT");
        assertThat(reviewed.getString("verdicts[0].steps[0].verdict")).isEqualTo("WRONG");
        assertThat(reviewed.getString("verdicts[0].rationale")).isNull();
        assertThat(reviewed.getString("verdicts[0].correctedOutput")).isNull();
        assertThat(reviewed.getString("verdicts[0].steps[0].note")).isNull();
        admin().get("/v1/decisions/{id}", oldHeld).then().body("output.answer", equalTo("pay Mrs Example"));
        admin().get("/v1/decisions/{id}", recent).then().body("output.answer", equalTo("pay Mrs Example"));
        assertThat(text("SELECT string_agg(payload ->> 'part' || '=' || (payload ->> 'decisions'), ',' ORDER BY id)"
                + " FROM outbox WHERE type = 'RETENTION_APPLIED' AND use_case = ?", uc))
                .isEqualTo("OUTPUTS=2,PEOPLE_TEXT=2");
        assertThat(text("SELECT count(*)::text FROM outbox WHERE destination = 'erasure' AND use_case = ?"
                + " AND payload ->> 'erase' = 'false'", uc)).isEqualTo("2");
        admin().queryParam("kind", "RETENTION").get("/v1/erasures").then().body("items.useCase", hasItem(uc));

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("oversight_retention_deleted_total\\{[^}]*part=\"OUTPUTS\"[^}]*use_case=\""
                + uc + "\"[^}]*} 2\\.0");
        JsonPath again = admin().post("/v1/erasures/retention-sweep").then().statusCode(200).extract().jsonPath();
        assertThat(again.getMap("find { it.useCase == '" + uc + "' }.decisions")).containsEntry("OUTPUTS", 0)
                .containsEntry("PEOPLE_TEXT", 0);
    }

    private String text(String sql, String arg) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as(sql).isTrue();
                return rs.getString(1);
            }
        }
    }

    private byte[] bytes(String sql, String arg) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBytes(1);
            }
        }
    }

    private void update(String sql, String arg) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }
}

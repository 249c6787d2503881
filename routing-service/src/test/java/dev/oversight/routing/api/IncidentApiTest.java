package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.putPolicy;
import static dev.oversight.routing.api.Api.route;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

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
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Serious incidents: the first report's deadline by severity (Art. 73: 2, 10 or 15 days after awareness), steps only
 * forward, every step in the audit trail without the people's words, the deadline as a gauge while it runs.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class IncidentApiTest {

    @Inject
    AgroalDataSource db;

    private static RequestSpecification admin() {
        return given().auth().oauth2(Tokens.of("alice", "admin")).contentType(ContentType.JSON)
                .accept(ContentType.JSON);
    }

    private static String decision(String uc) {
        return route("{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"output\":{\"claim\":\"deny\"},"
                + "\"confidence\":0.95}").then().statusCode(200).extract().path("decisionId");
    }

    private static String incident(String uc, String severity, Instant awareAt, List<String> decisions) {
        return "{\"useCase\":\"" + uc + "\",\"severity\":\"" + severity + "\",\"awareAt\":\"" + awareAt
                + "\",\"decisionIds\":[" + decisions.stream().map(d -> "\"" + d + "\"").collect(Collectors.joining(","))
                + "],\"summary\":\"Mrs Example's claim was denied and she lost her home\"}";
    }

    @Test
    void anIncidentsFirstReportIsDue_2_10_or15DaysAfterAwareness_andItsOpeningIsAuditedWithoutTheWords()
            throws Exception {
        String uc = uniqueUseCase("incident");
        putPolicy(uc, "{\"threshold\":0.5}").then().statusCode(201);
        String d1 = decision(uc);
        String d2 = decision(uc);
        Instant aware = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
        JsonPath opened = admin().body(incident(uc, "DEATH", aware, List.of(d1, d2, d1))).post("/v1/incidents").then()
                .statusCode(201).header("Location", containsString("/v1/incidents/"))
                .body("status", equalTo("OPEN")).body("severity", equalTo("DEATH"))
                .body("deadline", equalTo(aware.plus(Duration.ofDays(10)).toString()))
                .body("decisionIds.size()", equalTo(2)).body("steps[0].status", equalTo("OPEN"))
                .body("steps[0].by", equalTo("alice")).extract().jsonPath();
        long left = opened.getLong("secondsLeft");
        assertThat(left).isBetween(Duration.ofDays(10).minusHours(3).minusMinutes(1).toSeconds(),
                Duration.ofDays(10).minusHours(3).toSeconds());
        String id = opened.getString("id");
        for (String[] s : new String[][] {{"WIDESPREAD_OR_CRITICAL_INFRASTRUCTURE", "2"}, {"SERIOUS", "15"}}) {
            admin().body(incident(uc, s[0], aware, List.of())).post("/v1/incidents").then().statusCode(201)
                    .body("deadline", equalTo(aware.plus(Duration.ofDays(Integer.parseInt(s[1]))).toString()));
        }
        // The trail names the decisions and the deadline; the summary is a keyed digest, never the words.
        String event = scalar("SELECT payload::text FROM outbox WHERE destination = 'audit' AND type = 'INCIDENT_OPENED'"
                + " AND subject_id = 'incidents/" + id + "'");
        assertThat(event).contains(d1).contains(d2).contains("summaryHmac").contains("\"severity\":\"DEATH\"")
                .doesNotContain("Example");
        // While it runs, the deadline is a gauge an alert watches.
        assertThat(gauge(id)).isEqualTo(aware.plus(Duration.ofDays(10)).getEpochSecond());

        admin().get("/v1/incidents/{id}", id).then().statusCode(200).body("summary", containsString("Mrs Example"));
        given().auth().oauth2(Tokens.of("ava", "auditor")).get("/v1/incidents/{id}", id).then().statusCode(200);
    }

    @Test
    void stepsOnlyGoForward_theFirstReportIsOnTimeOrLate_andEachStepIsAudited() throws Exception {
        String uc = uniqueUseCase("incident-steps");
        putPolicy(uc, "{\"threshold\":0.5}").then().statusCode(201);
        String onTime = admin().body(incident(uc, "SERIOUS", Instant.now().minus(Duration.ofDays(1)), List.of()))
                .post("/v1/incidents").then().statusCode(201).extract().path("id");
        admin().body("{\"status\":\"INITIAL_REPORT_SENT\",\"note\":\"sent to the market surveillance authority\"}")
                .post("/v1/incidents/{id}/status", onTime).then().statusCode(200)
                .body("status", equalTo("INITIAL_REPORT_SENT")).body("firstReportOnTime", equalTo(true))
                .body("secondsLeft", equalTo(null)).body("steps[1].note", containsString("surveillance"));
        assertThat(gauge(onTime)).as("no deadline runs once the first report is sent").isNull();
        admin().body("{\"status\":\"CLOSED\"}").post("/v1/incidents/{id}/status", onTime).then().statusCode(200)
                .body("steps.status", equalTo(List.of("OPEN", "INITIAL_REPORT_SENT", "CLOSED")));
        admin().body("{\"status\":\"FINAL_REPORT_SENT\"}").post("/v1/incidents/{id}/status", onTime).then()
                .statusCode(409).body("detail", containsString("only moves forward"));
        admin().body("{\"status\":\"CLOSED\"}").post("/v1/incidents/{id}/status", onTime).then().statusCode(409);
        assertThat(scalar("SELECT string_agg(payload ->> 'to', ',' ORDER BY id) FROM outbox WHERE type = 'INCIDENT_STEP'"
                + " AND subject_id = 'incidents/" + onTime + "'")).isEqualTo("INITIAL_REPORT_SENT,CLOSED");
        assertThat(scalar("SELECT bool_and(payload::text NOT LIKE '%surveillance%') FROM outbox WHERE"
                + " subject_id = 'incidents/" + onTime + "'")).isEqualTo("t");

        String late = admin().body(incident(uc, "WIDESPREAD_OR_CRITICAL_INFRASTRUCTURE",
                Instant.now().minus(Duration.ofDays(3)), List.of())).post("/v1/incidents").then().statusCode(201)
                .extract().path("id");
        assertThat(admin().get("/v1/incidents/{id}", late).then().extract().jsonPath().getLong("secondsLeft"))
                .isLessThan(-Duration.ofHours(23).toSeconds());
        admin().body("{\"status\":\"FINAL_REPORT_SENT\"}").post("/v1/incidents/{id}/status", late).then()
                .statusCode(200).body("firstReportOnTime", equalTo(false));

        // Listed newest first, page by page, filtered by status.
        JsonPath first = admin().get("/v1/incidents?limit=1").then().statusCode(200).extract().jsonPath();
        assertThat(first.getString("items[0].id")).isEqualTo(late);
        admin().get("/v1/incidents?limit=1&cursor=" + first.getString("nextCursor")).then().statusCode(200)
                .body("items[0].id", equalTo(onTime));
        admin().get("/v1/incidents?status=CLOSED&limit=500").then().statusCode(200).body("items.id", hasItem(onTime));
        admin().get("/v1/incidents?cursor=nope").then().statusCode(400);
        admin().get("/v1/incidents?status=LOST").then().statusCode(400);
    }

    @Test
    void badIncidents_areProblemDocuments_andNothingIsStored() throws Exception {
        String uc = uniqueUseCase("incident-bad");
        putPolicy(uc, "{\"threshold\":0.5}").then().statusCode(201);
        String other = uniqueUseCase("incident-other");
        putPolicy(other, "{\"threshold\":0.5}").then().statusCode(201);
        String foreign = decision(other);
        Instant aware = Instant.now().minus(Duration.ofHours(1));
        String before = scalar("SELECT count(*) FROM incident");
        admin().body(incident(uc, "SERIOUS", aware, List.of(foreign))).post("/v1/incidents").then().statusCode(400)
                .body("errors[0].field", equalTo("decisionIds")).body("detail", containsString(foreign));
        admin().body(incident(uc, "SERIOUS", aware, List.of(UUID.randomUUID().toString()))).post("/v1/incidents")
                .then().statusCode(400).body("errors[0].field", equalTo("decisionIds"));
        admin().body(incident(uc, "SERIOUS", Instant.now().plus(Duration.ofDays(1)), List.of())).post("/v1/incidents")
                .then().statusCode(400).body("errors[0].field", equalTo("awareAt"));
        admin().body(incident(uc, "CATASTROPHIC", aware, List.of())).post("/v1/incidents").then().statusCode(400);
        admin().body(incident(uc, "SERIOUS", aware, List.of()).replace("Mrs Example's claim was denied and she lost"
                + " her home", " ")).post("/v1/incidents").then().statusCode(400)
                .body("errors[0].field", equalTo("summary"));
        admin().body(incident(uc, "SERIOUS", aware, IntStream.range(0, 501).mapToObj(i -> UUID.randomUUID()
                .toString()).toList())).post("/v1/incidents").then().statusCode(400)
                .body("errors[0].field", equalTo("decisionIds"));
        admin().body(incident("no-such-use-case", "SERIOUS", aware, List.of())).post("/v1/incidents").then()
                .statusCode(404);
        admin().body("{\"status\":\"CLOSED\"}").post("/v1/incidents/{id}/status", UUID.randomUUID()).then()
                .statusCode(404);
        assertThat(scalar("SELECT count(*) FROM incident")).isEqualTo(before);
        // Evidence needs the audit log's receipts, and this router has no audit service.
        String id = admin().body(incident(uc, "SERIOUS", aware, List.of())).post("/v1/incidents").then()
                .statusCode(201).extract().path("id");
        given().auth().oauth2(Tokens.of("ava", "auditor")).get("/v1/incidents/{id}/evidence", id).then()
                .statusCode(503).contentType("application/problem+json");
    }

    /** The gauge's value for the incident (Unix seconds), or null when it has none. */
    private static Long gauge(String incident) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("oversight_incident_report_due_timestamp_seconds\\{[^}]*incident=\"" + incident
                + "\"[^}]*} (\\S+)").matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : null;
    }

    private String scalar(String sql) throws Exception {
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

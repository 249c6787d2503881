package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.putPolicy;
import static dev.oversight.routing.api.Api.route;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.common.testing.PostgresResource;
import dev.oversight.common.testing.Tokens;
import dev.oversight.routing.reports.service.ReportDocuments;
import dev.oversight.routing.reports.service.ReportService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/**
 * Oversight reports for a period: what they state is frozen at issue, its SHA-256 goes to the audit trail, and the
 * PDF carries that data and the receipt as attachments beside the figures, tables and chart people read.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ReportApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource db;

    @Inject
    ReportService reports;

    @Inject
    ReportDocuments documents;

    private static RequestSpecification auditor() {
        return given().auth().oauth2(Tokens.of("ava", "auditor")).contentType(ContentType.JSON);
    }

    private static RequestSpecification admin() {
        return given().auth().oauth2(Tokens.of("alice", "admin")).contentType(ContentType.JSON);
    }

    @Test
    void aReportFreezesWhatItStates_auditsItsDigest_andItsPdfCarriesDataAndReceipt() throws Exception {
        String uc = uniqueUseCase("report");
        putPolicy(uc, "{\"threshold\":0.8,\"auditSampleRate\":0.0}").then().statusCode(201);
        Instant from = Instant.now().minus(Duration.ofMinutes(5));
        String reviewed = null;
        for (double confidence : new double[] {0.95, 0.9, 0.3}) {
            reviewed = route("{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"output\":1,\"confidence\":"
                    + confidence + "}").then().statusCode(200).extract().path("decisionId");
        }
        // Two people judged the hesitant output and disagreed; the adjudication rejected it.
        Api.json().body("[{\"eventId\":\"" + UUID.randomUUID() + "\",\"decisionId\":\"" + reviewed + "\",\"taskId\":\""
                + UUID.randomUUID() + "\",\"verdict\":\"REJECT\",\"correct\":false,\"timedOut\":false,\"decidedBy\":"
                + "\"sam\",\"decidedAt\":\"" + Instant.now() + "\",\"finalOutput\":null,\"verdicts\":[{\"reviewer\":"
                + "\"ann\",\"verdict\":\"APPROVE\"},{\"reviewer\":\"bob\",\"verdict\":\"REJECT\"}]}]")
                .post("/v1/outcomes").then().statusCode(200);
        admin().body(Map.of("mode", "HALT", "reason", "a bad batch")).post("/v1/use-cases/{u}/mode", uc).then()
                .statusCode(200);
        admin().body("[{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"confidence\":0.95,\"correct\":true},"
                + "{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"confidence\":0.92,\"correct\":false},"
                + "{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"confidence\":0.3,\"correct\":false}]")
                .post("/v1/labels").then().statusCode(200);
        Instant to = Instant.now();
        var issued = auditor().body(Map.of("from", from.toString(), "to", to.toString()))
                .post("/v1/use-cases/{u}/reports", uc).then().statusCode(201)
                .body("sha256", matchesPattern("[0-9a-f]{64}")).body("issuedBy", equalTo("ava"))
                .body("pdf", containsString("format=pdf")).extract().jsonPath();
        String id = issued.getString("id");
        String sha = issued.getString("sha256");

        String data = auditor().get("/v1/use-cases/{u}/reports/{id}?format=json", uc, id).then().statusCode(200)
                .extract().asString();
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(data.getBytes(StandardCharsets.UTF_8)))).isEqualTo(sha);
        JsonNode d = JSON.readTree(data);
        assertThat(d.path("figures").path("volume").asLong()).isEqualTo(3);
        assertThat(d.path("daily").get(0).path("RELEASE").asLong()).isEqualTo(2);
        assertThat(d.path("daily").get(0).path("REVIEW").asLong()).isEqualTo(1);
        JsonNode day = d.path("dailyOversight").get(0);
        assertThat(day.path("decisions").asLong()).isEqualTo(3);
        assertThat(day.path("interventions").asLong()).isEqualTo(1);
        assertThat(day.path("reviewsDecided").asLong()).isEqualTo(1);
        assertThat(day.path("foundWrong").asLong()).isEqualTo(1);
        assertThat(day.path("judgedByMoreThanOne").asLong()).isEqualTo(1);
        assertThat(day.path("agreed").asLong()).isZero();
        assertThat(day.path("latencySecondsP50").asDouble()).isBetween(0.0, 60.0);
        assertThat(day.path("overrides").asLong()).isZero();
        // No review service here: the report says its over-reliance figures were not available, never leaves them out.
        assertThat(d.path("overReliance").path("available").asBoolean()).isFalse();
        assertThat(d.path("overReliance").path("why").asText()).contains("routing.review-url");
        assertThat(d.path("policies").get(0).path("version").asInt()).isEqualTo(1);
        assertThat(d.path("modeChanges").get(0).path("mode").asText()).isEqualTo("HALT");
        // The reliability diagram, on the identity calibrator: (0.9, 1] holds 0.95 (right) and 0.92 (wrong).
        JsonNode top = d.path("reliability").get(9);
        assertThat(top.path("count").asInt()).isEqualTo(2);
        assertThat(top.path("meanConfidence").asDouble()).isCloseTo(0.935, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(top.path("accuracy").asDouble()).isEqualTo(0.5);
        assertThat(d.path("reliability").get(2).path("accuracy").asDouble()).isEqualTo(0.0);
        assertThat(d.path("modeChanges").get(0).path("changedBy").asText()).isEqualTo("alice");
        // The trail gets the digest, never the data.
        String event = scalar("SELECT payload::text FROM outbox WHERE type = 'REPORT_ISSUED' AND subject_id = '" + uc
                + "/reports/" + id + "'");
        assertThat(event).contains(sha).contains(id).doesNotContain("a bad batch");

        // The documents need the receipt, from the audit service this router does not have here.
        auditor().get("/v1/use-cases/{u}/reports/{id}?format=pdf", uc, id).then().statusCode(503)
                .contentType("application/problem+json");
        // Rendered with a receipt: a PDF that opens, states the figures, and carries the data and the receipt.
        String receipt = "c2sp.org/tlog-proof@v1\nextra e30=\nindex 7\n\nexample.org/log\n8\nAAAA\n";
        byte[] pdf = documents.pdf(new ReportService.Receipted(reports.get(uc, UUID.fromString(id)), receipt));
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(doc);
            assertThat(text).contains("Oversight report: " + uc).contains("Routed RELEASE").contains("66.7%")
                    .contains("Reliability of the calibrated confidence").doesNotContain("No labels arrived")
                    .contains("Interventions, findings and agreement per day").contains("Review latency per day")
                    .contains("Reliance on the model").contains("Not available: the review service is not configured")
                    .contains("HALT").contains("a bad batch").contains(sha);
            Map<String, PDComplexFileSpecification> files = new java.util.HashMap<>();
            new PDDocumentNameDictionary(doc.getDocumentCatalog()).getEmbeddedFiles().getNames().values()
                    .forEach(f -> files.put(f.getFilename(), f));
            assertThat(new String(files.get("report.json").getEmbeddedFile().toByteArray(), StandardCharsets.UTF_8))
                    .isEqualTo(data);
            assertThat(new String(files.get("report.tlog-proof").getEmbeddedFile().toByteArray(),
                    StandardCharsets.UTF_8)).isEqualTo(receipt);
        }
        assertThat(documents.html(new ReportService.Receipted(reports.get(uc, UUID.fromString(id)), receipt)))
                .contains("<h1>Oversight report: " + uc + "</h1>").contains(sha)
                .satisfies(h -> assertThat(h.split("data:image/png;base64,", -1)).as("five charts").hasSize(6));

        auditor().get("/v1/use-cases/{u}/reports", uc).then().statusCode(200).body("items[0].id", equalTo(id));
    }

    @Test
    void badPeriods_areProblemDocuments_andNothingIsIssued() throws Exception {
        String uc = uniqueUseCase("report-bad");
        putPolicy(uc, "{\"threshold\":0.8}").then().statusCode(201);
        Instant now = Instant.now();
        String before = scalar("SELECT count(*) FROM report");
        auditor().body(Map.of("from", now.minusSeconds(60).toString(), "to", now.plusSeconds(3600).toString()))
                .post("/v1/use-cases/{u}/reports", uc).then().statusCode(400).body("errors[0].field", equalTo("to"));
        auditor().body(Map.of("from", now.minusSeconds(60).toString(), "to", now.minusSeconds(120).toString()))
                .post("/v1/use-cases/{u}/reports", uc).then().statusCode(400).body("errors[0].field", equalTo("to"));
        auditor().body(Map.of("from", now.minus(Duration.ofDays(400)).toString(), "to", now.toString()))
                .post("/v1/use-cases/{u}/reports", uc).then().statusCode(400).body("errors[0].field", equalTo("from"));
        auditor().body(Map.of("from", "yesterday", "to", now.toString())).post("/v1/use-cases/{u}/reports", uc).then()
                .statusCode(400);
        auditor().body("{}").post("/v1/use-cases/{u}/reports", uc).then().statusCode(400);
        auditor().body(Map.of("from", now.minusSeconds(60).toString(), "to", now.toString()))
                .post("/v1/use-cases/{u}/reports", "no-such-use-case").then().statusCode(404);
        assertThat(scalar("SELECT count(*) FROM report")).isEqualTo(before);
        auditor().get("/v1/use-cases/{u}/reports/{id}", uc, UUID.randomUUID()).then().statusCode(404);
        auditor().get("/v1/use-cases/{u}/reports/{id}?format=doc", uc, UUID.randomUUID()).then().statusCode(400);
        auditor().get("/v1/use-cases/{u}/reports?cursor=x", uc).then().statusCode(400);
    }

    private String scalar(String sql) throws Exception {
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.json;
import static dev.oversight.routing.api.Api.putPolicy;
import static dev.oversight.routing.api.Api.route;
import static dev.oversight.routing.api.Api.routeBody;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.oversight.common.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Calibration and certified cuts per segment, from policy to route. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SegmentsApiTest {

    private String uc;

    @BeforeEach
    void useCase() {
        uc = uniqueUseCase("segments");
        putPolicy(uc, "{\"threshold\":null,\"auditSampleRate\":0,\"targetErrorRate\":0.1,\"delta\":0.1,"
                + "\"segments\":{\"by\":\"attributes.language\",\"minLabels\":200}}").then().statusCode(201);
    }

    /**
     * English outputs are calibrated (right with probability s); German ones are right with s¹⁰, far worse at the
     * same score; French ones are too few to certify.
     */
    private void importLabels() {
        SplittableRandom r = new SplittableRandom(3);
        StringBuilder body = new StringBuilder("[");
        int[] counts = {3000, 2000, 50};
        String[] languages = {"en", "de", "fr"};
        boolean first = true;
        for (int l = 0; l < 3; l++) {
            for (int i = 0; i < counts[l]; i++) {
                double s = 0.5 + 0.5 * r.nextDouble();
                double p = l == 1 ? Math.pow(s, 10) : s;
                body.append(first ? "" : ",").append(String.format(Locale.ROOT,
                        "{\"useCase\":\"%s\",\"modelVersion\":\"m1\",\"confidence\":%.6f,\"correct\":%b,"
                                + "\"attributes\":{\"language\":\"%s\"}}", uc, s, r.nextDouble() < p, languages[l]));
                first = false;
            }
        }
        json().body(body.append("]").toString()).post("/v1/labels").then().statusCode(200);
    }

    @Test
    void eachSegmentGetsItsOwnCertifiedCut_andTooFewLabelsMeanReview() {
        // Before a fit the decision already knows its segment.
        route(routeBody(uc, 0.9, "{\"language\":\"en\"}")).then().statusCode(200).body("segment", equalTo("en"));

        importLabels();
        JsonPath fit = json().body("{\"method\":\"platt\",\"activate\":true}")
                .post("/v1/use-cases/{u}/calibrations", uc).then().log().ifValidationFails().statusCode(201)
                .body("method", equalTo("segmented"))
                .body("active", equalTo(true))
                .body("segmentsTested", equalTo(2))
                .body("deltaPerSegment", equalTo(0.05f))
                .body("segments", hasSize(3))
                .body("segments.find { it.segment == 'fr' }.tested", equalTo(false))
                .body("segments.find { it.segment == 'fr' }.why", containsString("fewer than 200"))
                .body("segments.find { it.segment == 'en' }.tested", equalTo(true))
                .extract().jsonPath();
        double enBound = fit.getDouble("segments.find { it.segment == 'en' }.errorRateUpperBound");
        assertThat(enBound).isLessThanOrEqualTo(0.1);
        Object deCut = fit.get("segments.find { it.segment == 'de' }.selectedRawCut");
        Float enCut = fit.get("segments.find { it.segment == 'en' }.selectedRawCut");
        assertThat(enCut).isNotNull();
        // German outputs need a higher cut than English ones, or get none at all.
        assertThat(deCut == null || ((Number) deCut).doubleValue() > enCut).isTrue();

        route(routeBody(uc, 0.99, "{\"language\":\"en\"}")).then().statusCode(200)
                .body("route", equalTo("RELEASE")).body("segment", equalTo("en"));
        route(routeBody(uc, 0.95, "{\"language\":\"de\"}")).then().statusCode(200)
                .body("route", equalTo("REVIEW")).body("reasons", contains("LOW_CONFIDENCE"));
        route(routeBody(uc, 0.999, "{\"language\":\"fr\"}")).then().statusCode(200)
                .body("route", equalTo("REVIEW")).body("reasons", contains("SEGMENT_NOT_CERTIFIED"))
                .body("calibratedConfidence", nullValue());
        route(routeBody(uc, 0.999, null)).then().statusCode(200)
                .body("segment", equalTo("(none)")).body("reasons", contains("SEGMENT_NOT_CERTIFIED"));
    }

    @Test
    void badSegments_areA400NamingTheField() {
        putPolicy(uc, "{\"segments\":{\"by\":\"attributes.language +\"}}").then().statusCode(400)
                .body("detail", containsString("segments.by"));
        putPolicy(uc, "{\"segments\":{\"by\":\"attributes.language\",\"minLabels\":5}}").then().statusCode(400)
                .body("detail", containsString("minLabels"));
        putPolicy(uc, "{\"segments\":{\"minLabels\":500}}").then().statusCode(400)
                .body("detail", containsString("by"));
        // Too few labels anywhere: the fit says so.
        json().body("[{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"confidence\":0.5,\"correct\":true}]")
                .post("/v1/labels").then().statusCode(200);
        json().body("{\"method\":\"auto\"}").post("/v1/use-cases/{u}/calibrations", uc).then().statusCode(422)
                .body("detail", containsString("no segment has 200 labels"));
    }
}

package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.json;
import static dev.oversight.routing.api.Api.route;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.common.crypto.Sha256;
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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The evaluation layer against real PostgreSQL: benchmarks frozen from what people decided (immutable, digest in the
 * trail, erasure keeps the digest), candidates scored with and without an equivalence rule, shadow outputs scored
 * when people decide, and promotion of a new version only through the gate and never over a regression.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class EvaluationApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource db;

    private static RequestSpecification as(String admin) {
        return given().auth().oauth2(Tokens.of(admin, "admin")).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    private static String policy(String extra) {
        return "{\"threshold\":0.8,\"apps\":[\"*\"],\"auditSampleRate\":0,\"fourEyes\":true,"
                + "\"modelVersions\":{\"allowed\":[\"m1\"]}" + extra + "}";
    }

    /** Routes an output to review and has a person decide it; answers the decision id. */
    private static String decided(String uc, String output, String region, String verdict, String finalOutput,
                                  String shadow) {
        String id = route("{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"output\":" + output
                + ",\"confidence\":0.4,\"input\":{\"q\":\"?\"},\"attributes\":{\"region\":\"" + region + "\"}"
                + (shadow == null ? "" : ",\"shadow\":" + shadow) + "}")
                .then().statusCode(200).body("route", equalTo("REVIEW")).extract().path("decisionId");
        json().body("[{\"eventId\":\"" + UUID.randomUUID() + "\",\"decisionId\":\"" + id + "\",\"taskId\":\""
                        + UUID.randomUUID() + "\",\"verdict\":\"" + verdict + "\",\"correct\":" + verdict.equals("APPROVE")
                        + ",\"timedOut\":false,\"decidedBy\":\"ann\",\"decidedAt\":\"2026-11-23T10:15:30Z\","
                        + "\"finalOutput\":" + finalOutput + ",\"verdicts\":[{\"reviewer\":\"ann\",\"verdict\":\""
                        + verdict + "\"" + (region.equals("us") ? ",\"guidelineVersion\":1,\"scores\":{\"tone\":\"good\"}"
                        : "") + "}]}]")
                .post("/v1/outcomes").then().statusCode(200).body("items.result", contains("APPLIED"));
        return id;
    }

    private static String results(List<String> ids, String output) {
        StringBuilder out = new StringBuilder("[");
        for (String id : ids) {
            out.append(out.length() > 1 ? "," : "").append("{\"itemId\":\"").append(id).append("\",\"output\":")
                    .append(output).append(",\"confidence\":0.9}");
        }
        return out.append("]").toString();
    }

    @Test
    void aFrozenBenchmarkNeverChanges_itsDigestIsInTheTrail_andErasureKeepsItVerifiable() throws Exception {
        String uc = uniqueUseCase("bench");
        as("alice").body(policy("")).put("/v1/use-cases/{u}/policy", uc).then().statusCode(201);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(decided(uc, "{\"answer\":42}", i % 2 == 0 ? "eu" : "us", "APPROVE", "{\"answer\":42}", null));
        }
        ids.add(decided(uc, "{\"answer\":41}", "eu", "CORRECT", "{\"answer\":42}", null));
        ids.add(decided(uc, "{\"answer\":40}", "us", "REJECT", "null", null));
        route("{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"output\":1,\"confidence\":0.4}").then()
                .statusCode(200); // pending: not decided, never in a benchmark

        String digest = as("alice").body("{\"name\":\"november\",\"stratifyBy\":[\"attributes.region\"]}")
                .post("/v1/use-cases/{u}/benchmarks", uc).then().statusCode(201)
                .body("version", equalTo(1)).body("size", equalTo(6))
                .body("strata.'attributes.region=eu'", equalTo(3)).body("strata.'attributes.region=us'", equalTo(3))
                .body("spec.include", contains("reviewed", "auditSampled", "overridden"))
                .body("guidelineVersions.'1'", equalTo(3)).body("guidelineVersions.none", equalTo(3))
                .extract().path("digest");
        assertThat(scalar("SELECT payload->>'sha256' FROM outbox WHERE type = 'BENCHMARK_FROZEN' AND use_case = '"
                + uc + "'")).isEqualTo(digest);
        // Strata carry attribute values, possibly a person's data: the trail has their count and a keyed digest.
        assertThat(scalar("SELECT payload::text FROM outbox WHERE type = 'BENCHMARK_FROZEN' AND use_case = '" + uc
                + "'")).doesNotContain("region").contains("\"strataCount\":2");

        // The items as JSON lines: each line's SHA-256 and its id rebuild the digest in the trail.
        String lines = as("alice").accept("application/x-ndjson").get("/v1/use-cases/{u}/benchmarks/1/items", uc)
                .then().statusCode(200).extract().asString();
        StringBuilder digestInput = new StringBuilder();
        List<JsonNode> items = new ArrayList<>();
        for (String line : lines.split("\n")) {
            JsonNode item = JSON.readTree(line);
            items.add(item);
            digestInput.append(item.get("itemId").asText()).append('\t').append(Sha256.hex(line)).append('\n');
        }
        assertThat(Sha256.hex(digestInput.toString())).isEqualTo(digest);
        JsonNode corrected = items.stream().filter(i -> i.get("verdict").asText().equals("CORRECTED")).findFirst()
                .orElseThrow();
        assertThat(corrected.get("output").get("answer").asInt()).isEqualTo(41);
        assertThat(corrected.get("reference").get("answer").asInt()).isEqualTo(42);
        assertThat(corrected.get("input").get("q").asText()).isEqualTo("?");
        // Paged: two at a time, with a Link to the next page.
        as("alice").accept("application/x-ndjson").get("/v1/use-cases/{u}/benchmarks/1/items?limit=2", uc).then()
                .statusCode(200).header("Link", startsWith("<")).header("Link", org.hamcrest.Matchers.containsString(
                        "rel=\"next\""));

        // Frozen: neither the benchmark nor an item's content can change, nothing can be deleted.
        assertThatThrownBy(() -> execute("UPDATE benchmark_item SET content = '{}'::json WHERE benchmark_id ="
                + " (SELECT id FROM benchmark WHERE use_case = '" + uc + "')")).hasMessageContaining("frozen");
        assertThatThrownBy(() -> execute("UPDATE benchmark SET size = 1 WHERE use_case = '" + uc + "'"))
                .hasMessageContaining("frozen");
        assertThatThrownBy(() -> execute("DELETE FROM benchmark_item WHERE benchmark_id ="
                + " (SELECT id FROM benchmark WHERE use_case = '" + uc + "')")).hasMessageContaining("frozen");

        // A person's erasure removes the item's content, is counted, and leaves the digest verifiable.
        as("alice").body("{\"itemId\":\"" + ids.get(0) + "\",\"reason\":\"data subject request 17\"}")
                .post("/v1/use-cases/{u}/benchmarks/erasures", uc).then().statusCode(200).body("benchmarks", equalTo(1));
        as("alice").get("/v1/use-cases/{u}/benchmarks/1", uc).then().statusCode(200)
                .body("erased", equalTo(1)).body("digest", equalTo(digest));
        String after = as("alice").accept("application/x-ndjson").get("/v1/use-cases/{u}/benchmarks/1/items", uc)
                .then().extract().asString();
        assertThat(after).doesNotContain("\"answer\":42,\"itemId\":\"" + ids.get(0))
                .contains("{\"itemId\":\"" + ids.get(0) + "\",\"sha256\":\"");
        assertThat(scalar("SELECT count(*) FROM outbox WHERE type = 'BENCHMARK_ITEM_ERASED' AND use_case = '" + uc
                + "' AND payload::text NOT LIKE '%data subject%'")).isEqualTo("1");

        // Bad input: gold items are not the router's, a stratum key must be known, and an empty draw says so.
        as("alice").body("{\"name\":\"x\",\"include\":[\"gold\"]}").post("/v1/use-cases/{u}/benchmarks", uc).then()
                .statusCode(400).body("errors[0].field", equalTo("include[0]"));
        as("alice").body("{\"name\":\"x\",\"stratifyBy\":[\"input.q\"]}").post("/v1/use-cases/{u}/benchmarks", uc)
                .then().statusCode(400).body("errors[0].field", equalTo("stratifyBy[0]"));
        as("alice").body("{\"name\":\"x\",\"modelVersions\":[\"m9\"]}").post("/v1/use-cases/{u}/benchmarks", uc)
                .then().statusCode(422).body("type", org.hamcrest.Matchers.endsWith("empty-benchmark"));
        as("alice").body("{\"name\":\"x\"}").post("/v1/use-cases/{u}/benchmarks", uniqueUseCase("nobody")).then()
                .statusCode(404);
        given().auth().oauth2(Tokens.of("rita", "reviewer")).contentType(ContentType.JSON).body("{\"name\":\"x\"}")
                .post("/v1/use-cases/{u}/benchmarks", uc).then().statusCode(403);
    }

    @Test
    void candidatesAreScoredByEqualJson_orByThePolicysEquivalence_besideProduction() {
        String uc = uniqueUseCase("evalscore");
        as("alice").body(policy("")).put("/v1/use-cases/{u}/policy", uc).then().statusCode(201);
        List<String> ids = new ArrayList<>();
        ids.add(decided(uc, "{\"answer\":42,\"note\":\"a\"}", "eu", "APPROVE", "{\"answer\":42,\"note\":\"a\"}", null));
        ids.add(decided(uc, "{\"answer\":41,\"note\":\"a\"}", "eu", "CORRECT", "{\"answer\":42,\"note\":\"b\"}", null));
        ids.add(decided(uc, "{\"answer\":40,\"note\":\"a\"}", "eu", "REJECT", "null", null));
        as("alice").body("{\"name\":\"b\"}").post("/v1/use-cases/{u}/benchmarks", uc).then().statusCode(201);

        // Exact: {"answer":42,"note":"c"} equals no reference; on the rejected item it is not the rejected output,
        // so that item is undecided.
        String body = "{\"benchmark\":1,\"modelVersion\":\"m2\",\"results\":" + results(ids,
                "{\"note\":\"c\",\"answer\":42}") + "}";
        String exact = as("alice").body(body).post("/v1/use-cases/{u}/evaluations", uc).then().statusCode(201)
                .body("items", equalTo(3)).body("judged", equalTo(2)).body("undecided", equalTo(1))
                .body("accuracy.candidate.estimate", equalTo(0.0f)).body("accuracy.reference.estimate", equalTo(0.5f))
                .body("regressionCount", equalTo(1)).body("regressions[0].itemId", equalTo(ids.get(0)))
                .body("regressions[0].reference.answer", equalTo(42)).body("productionVersions", contains("m1"))
                .extract().path("id");
        as("alice").get("/v1/use-cases/{u}/evaluations/{id}", uc, exact).then().statusCode(200)
                .body("modelVersion", equalTo("m2")).body("strata", hasKey("all"));
        assertThat(scalarOrThrow("SELECT count(*) FROM outbox WHERE type = 'EVALUATION_RECORDED' AND use_case = '"
                + uc + "'")).isEqualTo("1");

        // With an equivalence on answer only, the same outputs are right on both decidable items, and production
        // was wrong on the corrected one: one fix.
        as("alice").body(policy(",\"equivalence\":\"candidate.answer == reference.answer\""))
                .put("/v1/use-cases/{u}/policy", uc).then().statusCode(200);
        as("alice").body(body).post("/v1/use-cases/{u}/evaluations", uc).then().statusCode(201)
                .body("equivalence", equalTo("candidate.answer == reference.answer"))
                .body("accuracy.candidate.estimate", equalTo(1.0f)).body("accuracy.reference.estimate", equalTo(0.5f))
                .body("fixCount", equalTo(1)).body("fixes[0].itemId", equalTo(ids.get(1)))
                .body("fixes[0].production.answer", equalTo(41)).body("fixes[0].candidate.answer", equalTo(42));

        // Bad input: an unknown item, a missing one, a duplicate, a rule that does not compile.
        as("alice").body("{\"benchmark\":1,\"modelVersion\":\"m2\",\"results\":" + results(List.of(
                UUID.randomUUID().toString()), "1") + "}").post("/v1/use-cases/{u}/evaluations", uc).then()
                .statusCode(400).body("errors[0].field", equalTo("results[0].itemId"));
        as("alice").body("{\"benchmark\":1,\"modelVersion\":\"m2\",\"results\":" + results(ids.subList(0, 2), "1")
                + "}").post("/v1/use-cases/{u}/evaluations", uc).then().statusCode(400)
                .body("errors[0].field", equalTo("results"));
        as("alice").body("{\"benchmark\":1,\"modelVersion\":\"m2\",\"results\":" + results(List.of(ids.get(0),
                ids.get(0)), "1") + "}").post("/v1/use-cases/{u}/evaluations", uc).then().statusCode(400)
                .body("errors[0].field", equalTo("results[1].itemId"));
        as("alice").body("{\"benchmark\":9,\"modelVersion\":\"m2\",\"results\":" + results(ids, "1") + "}")
                .post("/v1/use-cases/{u}/evaluations", uc).then().statusCode(404);
        as("alice").body(policy(",\"equivalence\":\"candidate.answer ==\"")).put("/v1/use-cases/{u}/policy", uc)
                .then().statusCode(400).body("errors[0].field", equalTo("equivalence"));
    }

    @Test
    void aLargeCandidateRunArrivesInParts_andIsReportedOnlyOnceComplete() {
        String uc = uniqueUseCase("evalparts");
        as("alice").body(policy("")).put("/v1/use-cases/{u}/policy", uc).then().statusCode(201);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(decided(uc, "{\"answer\":42}", "eu", "APPROVE", "{\"answer\":42}", null));
        }
        as("alice").body("{\"name\":\"b\"}").post("/v1/use-cases/{u}/benchmarks", uc).then().statusCode(201);
        String id = as("alice").body("{\"benchmark\":1,\"modelVersion\":\"m2\",\"complete\":false,\"results\":"
                        + results(ids.subList(0, 2), "{\"answer\":42}") + "}")
                .post("/v1/use-cases/{u}/evaluations", uc).then().statusCode(202)
                .body("status", equalTo("OPEN")).body("received", equalTo(2)).body("items", equalTo(3))
                .extract().path("id");
        as("alice").get("/v1/use-cases/{u}/evaluations/{id}", uc, id).then().statusCode(409);
        as("alice").body("{\"modelVersion\":\"m2\",\"evaluation\":\"" + id + "\"}")
                .post("/v1/use-cases/{u}/promotions", uc).then().statusCode(409);
        // An item answered in an earlier part, or a last part that leaves one out, is refused and changes nothing.
        as("alice").body("{\"results\":" + results(ids.subList(0, 1), "1") + ",\"complete\":false}")
                .post("/v1/use-cases/{u}/evaluations/{id}/results", uc, id).then().statusCode(400)
                .body("errors[0].field", equalTo("results[0].itemId"));
        as("alice").body("{\"results\":[]}").post("/v1/use-cases/{u}/evaluations/{id}/results", uc, id).then()
                .statusCode(400).body("errors[0].field", equalTo("results"));
        as("alice").body("{\"results\":" + results(ids.subList(2, 3), "{\"answer\":0}") + "}")
                .post("/v1/use-cases/{u}/evaluations/{id}/results", uc, id).then().statusCode(201)
                .body("items", equalTo(3)).body("accuracy.bothRight", equalTo(2)).body("regressionCount", equalTo(1));
        as("alice").body("{\"results\":[]}").post("/v1/use-cases/{u}/evaluations/{id}/results", uc, id).then()
                .statusCode(409);
        as("alice").get("/v1/use-cases/{u}/evaluations", uc).then().statusCode(200)
                .body("items[0].status", equalTo("COMPLETE"));
        as("alice").body("{\"results\":[]}").post("/v1/use-cases/{u}/evaluations/{id}/results", uc,
                UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void anAgentsToolCallsAreBenchmarkedAsCalls_andBadSpecsAreRefused() {
        String uc = uniqueUseCase("evalcalls");
        as("alice").body("{\"threshold\":0.8,\"apps\":[\"*\"],\"auditSampleRate\":0}")
                .put("/v1/use-cases/{u}/policy", uc).then().statusCode(201);
        String id = route("{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"confidence\":0.4,"
                + "\"toolCall\":{\"name\":\"pay\",\"arguments\":{\"amount\":120}}}").then().statusCode(200)
                .body("route", equalTo("REVIEW")).extract().path("decisionId");
        json().body("[{\"eventId\":\"" + UUID.randomUUID() + "\",\"decisionId\":\"" + id + "\",\"taskId\":\""
                        + UUID.randomUUID() + "\",\"verdict\":\"CORRECT\",\"correct\":false,\"timedOut\":false,"
                        + "\"decidedBy\":\"ann\",\"decidedAt\":\"2026-11-23T10:15:30Z\",\"finalOutput\":{\"name\":"
                        + "\"pay\",\"arguments\":{\"amount\":12}},\"verdicts\":[{\"reviewer\":\"ann\","
                        + "\"verdict\":\"CORRECT\"}]}]")
                .post("/v1/outcomes").then().statusCode(200).body("items.result", contains("APPLIED"));
        as("alice").body("{\"name\":\"calls\",\"from\":\"2026-12-01T00:00:00Z\",\"to\":\"2026-11-01T00:00:00Z\"}")
                .post("/v1/use-cases/{u}/benchmarks", uc).then().statusCode(400).body("errors[0].field", equalTo("to"));
        as("alice").body("{\"name\":\"calls\",\"size\":0}").post("/v1/use-cases/{u}/benchmarks", uc).then()
                .statusCode(400).body("errors[0].field", equalTo("size"));
        as("alice").body("{\"name\":\"calls\",\"include\":[\"everything\"]}")
                .post("/v1/use-cases/{u}/benchmarks", uc).then().statusCode(400)
                .body("errors[0].field", equalTo("include[0]"));
        as("alice").body("{\"name\":\"calls\",\"stratifyBy\":[\"route\",\"route\"]}")
                .post("/v1/use-cases/{u}/benchmarks", uc).then().statusCode(400);
        as("alice").body("{\"name\":\"calls\"}").post("/v1/use-cases/{u}/benchmarks", uc).then().statusCode(201)
                .body("size", equalTo(1));

        // A tool-call item takes a toolCall, scored against the call people corrected it to.
        String output = "{\"benchmark\":1,\"modelVersion\":\"m2\",\"results\":[{\"itemId\":\"" + id
                + "\",\"output\":{\"name\":\"pay\",\"arguments\":{\"amount\":12}},\"confidence\":0.9}]}";
        as("alice").body(output).post("/v1/use-cases/{u}/evaluations", uc).then().statusCode(400)
                .body("errors[0].field", equalTo("results[0]"));
        as("alice").body("{\"benchmark\":1,\"modelVersion\":\"m2\",\"results\":[{\"itemId\":\"" + id
                        + "\",\"toolCall\":{\"name\":\"pay\",\"arguments\":{\"amount\":12}},\"confidence\":0.9}]}")
                .post("/v1/use-cases/{u}/evaluations", uc).then().statusCode(201)
                .body("accuracy.fixes", equalTo(1)).body("fixes[0].production.arguments.amount", equalTo(120));
        as("alice").body("{\"benchmark\":1,\"modelVersion\":\"m2\",\"results\":[{\"itemId\":\"" + id
                        + "\",\"output\":1,\"toolCall\":{\"name\":\"pay\",\"arguments\":{}},\"confidence\":0.9}]}")
                .post("/v1/use-cases/{u}/evaluations", uc).then().statusCode(400)
                .body("errors[0].field", equalTo("results[0].output"));
        as("alice").body("{\"itemId\":\"" + UUID.randomUUID() + "\",\"reason\":\"r\"}")
                .post("/v1/use-cases/{u}/benchmarks/erasures", uc).then().statusCode(404);
    }

    @Test
    void shadowOutputsAreRecorded_neverShown_andScoredWhenPeopleDecide() {
        String uc = uniqueUseCase("shadow");
        as("alice").body(policy("")).put("/v1/use-cases/{u}/policy", uc).then().statusCode(201);
        String good = "[{\"modelVersion\":\"m2\",\"output\":{\"answer\":42},\"confidence\":0.95},"
                + "{\"modelVersion\":\"m3\",\"output\":{\"answer\":7},\"confidence\":0.6}]";
        String a = decided(uc, "{\"answer\":42}", "eu", "APPROVE", "{\"answer\":42}", good);
        decided(uc, "{\"answer\":41}", "eu", "CORRECT", "{\"answer\":42}", good);
        json().get("/v1/decisions/{id}", a).then().statusCode(200).body("$", not(hasKey("shadow")));

        as("alice").get("/v1/use-cases/{u}/shadow?modelVersion=m2", uc).then().statusCode(200)
                .body("figures.judged", equalTo(2)).body("figures.overall.candidate.estimate", equalTo(1.0f))
                .body("figures.overall.reference.estimate", equalTo(0.5f)).body("figures.fixes.size()", equalTo(1));
        as("alice").get("/v1/use-cases/{u}/shadow?modelVersion=m3", uc).then().statusCode(200)
                .body("figures.overall.candidate.estimate", equalTo(0.0f)).body("figures.regressions.size()", equalTo(1));
        as("alice").get("/v1/use-cases/{u}/shadow?modelVersion=m9", uc).then().statusCode(200)
                .body("figures.items", equalTo(0));

        // At most 4 shadows, each unlike the routed version and the others, of the routed kind.
        String base = "{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"output\":1,\"confidence\":0.4,\"shadow\":";
        StringBuilder five = new StringBuilder("[");
        for (int i = 0; i < 5; i++) {
            five.append(i > 0 ? "," : "").append("{\"modelVersion\":\"s").append(i)
                    .append("\",\"output\":1,\"confidence\":0.5}");
        }
        route(base + five + "]}").then().statusCode(400).body("errors[0].field", equalTo("shadow"));
        route(base + "[{\"modelVersion\":\"m1\",\"output\":1,\"confidence\":0.5}]}").then().statusCode(400)
                .body("errors[0].field", equalTo("shadow[0].modelVersion"));
        route(base + "[{\"modelVersion\":\"m2\",\"toolCall\":{\"name\":\"t\",\"arguments\":{}},\"confidence\":0.5}]}")
                .then().statusCode(400).body("errors[0].field", equalTo("shadow[0]"));
        route(base + "[{\"modelVersion\":\"m2\",\"output\":1}]}").then().statusCode(400)
                .body("errors[0].field", equalTo("shadow[0].confidence"));
    }

    @Test
    void aNewVersionIsHeldUnderReviewUntilPromoted_andAPromotionIsRefusedOnARegression() throws Exception {
        String uc = uniqueUseCase("promote");
        as("alice").body(policy("")).put("/v1/use-cases/{u}/policy", uc).then().statusCode(201);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(decided(uc, "{\"answer\":42}", "eu", "APPROVE", "{\"answer\":42}", null));
        }
        as("alice").body("{\"name\":\"b\"}").post("/v1/use-cases/{u}/benchmarks", uc).then().statusCode(201);
        String worse = as("alice").body("{\"benchmark\":1,\"modelVersion\":\"m2\",\"results\":"
                        + results(ids, "{\"answer\":0}") + "}").post("/v1/use-cases/{u}/evaluations", uc).then()
                .statusCode(201).body("significantRegression", equalTo(true)).body("regressionCount", equalTo(8))
                .extract().path("id");
        String same = as("alice").body("{\"benchmark\":1,\"modelVersion\":\"m3\",\"results\":"
                        + results(ids, "{\"answer\":42}") + "}").post("/v1/use-cases/{u}/evaluations", uc).then()
                .statusCode(201).body("significantRegression", equalTo(false)).extract().path("id");

        // m3 is held under review until promoted.
        String m3 = "{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m3\",\"output\":{\"answer\":42},\"confidence\":0.99}";
        route(m3).then().body("route", equalTo("REVIEW")).body("reasons", contains("MODEL_VERSION_NEW"));

        // 8 regressions, no fix: exact McNemar p = 2/256 < δ = 0.05. Refused, and nothing changed.
        as("alice").body("{\"modelVersion\":\"m2\",\"evaluation\":\"" + worse + "\"}")
                .post("/v1/use-cases/{u}/promotions", uc).then().statusCode(422)
                .body("type", org.hamcrest.Matchers.endsWith("regression"))
                .body("detail", org.hamcrest.Matchers.containsString("p = 0.00781"));
        as("alice").get("/v1/use-cases/{u}/policies", uc).then().body("items.size()", equalTo(1));
        // The evaluation must be of the version promoted.
        as("alice").body("{\"modelVersion\":\"m2\",\"evaluation\":\"" + same + "\"}")
                .post("/v1/use-cases/{u}/promotions", uc).then().statusCode(400);
        // A machine cannot promote (a loosening), nor can a reviewer.
        given().auth().oauth2(Tokens.of("rita", "reviewer")).contentType(ContentType.JSON)
                .body("{\"modelVersion\":\"m3\",\"evaluation\":\"" + same + "\"}")
                .post("/v1/use-cases/{u}/promotions", uc).then().statusCode(403);

        // Promoting m3 goes through the gate: under four eyes it waits for another admin.
        int version = as("alice").body("{\"modelVersion\":\"m3\",\"evaluation\":\"" + same + "\"}")
                .post("/v1/use-cases/{u}/promotions", uc).then().statusCode(202)
                .body("labels", equalTo(8)).body("policy.approval.status", equalTo("PENDING"))
                .body("policy.policy.modelVersions.allowed", contains("m1", "m3"))
                .extract().path("policy.version");
        route(m3).then().body("route", equalTo("REVIEW"));
        assertThat(scalar("SELECT count(*) FROM label WHERE use_case = '" + uc + "' AND model_version = 'm3'"
                + " AND source = 'evaluation:" + same + "'")).isEqualTo("8");
        assertThat(scalar("SELECT payload->>'pendingApproval' FROM outbox WHERE type = 'MODEL_PROMOTED'"
                + " AND use_case = '" + uc + "'")).isEqualTo("true");
        as("bob").post("/v1/use-cases/{u}/policies/{v}/approve", uc, version).then().statusCode(200);
        route(m3).then().body("route", equalTo("RELEASE"));
        as("alice").body("{\"modelVersion\":\"m3\",\"evaluation\":\"" + same + "\"}")
                .post("/v1/use-cases/{u}/promotions", uc).then().statusCode(409);

        // A person may promote over a regression, on the record: the reason stays out of the trail.
        as("alice").body("{\"modelVersion\":\"m2\",\"evaluation\":\"" + worse + "\",\"override\":{\"reason\":"
                        + "\"vendor deprecates m1 on Friday\"}}")
                .post("/v1/use-cases/{u}/promotions", uc).then().statusCode(202).body("overridden", equalTo(true));
        assertThat(scalar("SELECT count(*) FROM outbox WHERE type = 'MODEL_PROMOTED' AND use_case = '" + uc
                + "' AND payload->>'overridden' = 'true' AND payload::text NOT LIKE '%vendor%'")).isEqualTo("1");
    }

    private String scalar(String sql) throws Exception {
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private String scalarOrThrow(String sql) {
        try {
            return scalar(sql);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void execute(String sql) throws Exception {
        try (Connection c = db.getConnection()) {
            c.createStatement().execute(sql);
        }
    }
}

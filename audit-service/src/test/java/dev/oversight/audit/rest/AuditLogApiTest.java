package dev.oversight.audit.rest;

import static dev.oversight.audit.rest.AuditApi.event;
import static dev.oversight.audit.rest.AuditApi.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import dev.oversight.audit.domain.Merkle;
import dev.oversight.audit.testing.AuditDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(AuditDatabase.class)
class AuditLogApiTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void appendIsIdempotentOnEventId_andStoresCanonicalJsonAndLeafHash() {
        UUID id = UUID.randomUUID();
        String body = "[" + event(id, "DECISION_MADE", UUID.randomUUID().toString(), "{\"z\":1,\"a\":{\"y\":2.50,\"b\":true}}") + "]";
        long index = json().body(body).post("/v1/events").then().statusCode(200)
                .body("items[0].duplicate", equalTo(false)).extract().jsonPath().getLong("items[0].index");
        json().body(body).post("/v1/events").then().statusCode(200)
                .body("items[0].duplicate", equalTo(true)).body("items[0].index", equalTo((int) index));

        JsonPath e = json().get("/v1/events/{i}", index).then().statusCode(200).extract().jsonPath();
        String canonical = e.getString("canonical");
        // RFC 8785: keys sorted, no whitespace, numbers in shortest form; time in UTC at microseconds.
        assertThat(canonical).startsWith("{\"actor\":\"routing-service\",\"eventId\":\"" + id + "\","
                + "\"occurredAt\":\"2026-11-23T10:00:00.123456Z\",\"payload\":{\"a\":{\"b\":true,\"y\":2.5},\"z\":1},");
        assertThat(e.getString("leafHash")).isEqualTo(HEX.formatHex(Merkle.leafHash(
                canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertThat(e.getString("occurredAt")).isEqualTo("2026-11-23T10:00:00.123456Z");
    }

    @Test
    void concurrentIngest_yieldsContiguousIndexesAndOneConsistentTree() throws Exception {
        long before = json().post("/v1/checkpoints").then().statusCode(200).extract().jsonPath().getLong("treeSize");
        String firstRoot = json().get("/v1/checkpoints/latest").then().extract().path("rootHash");
        int clients = 16;
        int perClient = 40;
        List<UUID> shared = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            shared.add(UUID.randomUUID());
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Callable<List<Long>>> calls = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            calls.add(() -> {
                List<Long> indexes = new ArrayList<>();
                for (int batch = 0; batch < 4; batch++) {
                    StringBuilder body = new StringBuilder("[");
                    for (int i = 0; i < perClient / 4; i++) {
                        body.append(i == 0 ? "" : ",").append(event(UUID.randomUUID(), "TASK_CLAIMED", "t", "{}"));
                    }
                    // Every client also sends the same ten events: each must land exactly once.
                    for (UUID id : shared) {
                        body.append(",").append(event(id, "VERDICT_SUBMITTED", "t", "{}"));
                    }
                    JsonPath r = json().body(body.append("]").toString()).post("/v1/events").then().statusCode(200)
                            .extract().jsonPath();
                    List<Boolean> dup = r.getList("items.duplicate", Boolean.class);
                    List<Long> idx = r.getList("items.index", Long.class);
                    for (int i = 0; i < idx.size(); i++) {
                        if (!dup.get(i)) {
                            indexes.add(idx.get(i));
                        }
                    }
                }
                return indexes;
            });
        }
        Set<Long> all = new HashSet<>();
        int fresh = 0;
        try {
            for (Future<List<Long>> f : pool.invokeAll(calls)) {
                fresh += f.get().size();
                all.addAll(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(fresh).as("no index handed out twice").isEqualTo(all.size());
        assertThat(fresh).isEqualTo(clients * perClient + shared.size());

        JsonPath cp = json().post("/v1/checkpoints").then().statusCode(200).extract().jsonPath();
        long after = cp.getLong("treeSize");
        // Contiguous: everything between the two checkpoints is ours or an audit query, with no gap.
        assertThat(after - before).isGreaterThanOrEqualTo(fresh);
        json().queryParam("first", before).queryParam("second", after).get("/v1/proofs/consistency").then()
                .statusCode(200).body("firstRootHash", equalTo(firstRoot));
        JsonPath proof = json().queryParam("first", before).queryParam("second", after).get("/v1/proofs/consistency")
                .then().extract().jsonPath();
        assertThat(Merkle.verifyConsistency(before, after, HEX.parseHex(firstRoot), HEX.parseHex(cp.getString("rootHash")),
                proof.getList("hashes", String.class).stream().map(HEX::parseHex).toList())).isTrue();
        json().post("/v1/verify").then().statusCode(200).body("ok", equalTo(true)).body("firstMismatch", equalTo(null));
    }

    @Test
    void trail_listsEveryEventOfADecision_withProofsThatVerifyAgainstTheSignedRoot() {
        String decision = UUID.randomUUID().toString();
        json().body("[" + event(UUID.randomUUID(), "DECISION_MADE", decision, "{\"route\":\"REVIEW\"}") + ","
                + event(UUID.randomUUID(), "TASK_CREATED", "task-1", "{\"decisionId\":\"" + decision + "\"}") + ","
                + event(UUID.randomUUID(), "OUTCOME_FINAL", "task-1", "{\"decisionId\":\"" + decision + "\",\"verdict\":\"APPROVE\"}")
                + "]").post("/v1/events").then().statusCode(200);
        json().post("/v1/checkpoints").then().statusCode(200);
        JsonPath trail = json().get("/v1/trails/{d}", decision).then().statusCode(200)
                .body("items", hasSize(3))
                .body("items.type", org.hamcrest.Matchers.contains("DECISION_MADE", "TASK_CREATED", "OUTCOME_FINAL"))
                .body("checkpoint", notNullValue())
                .extract().jsonPath();
        byte[] root = HEX.parseHex(trail.getString("checkpoint.rootHash"));
        long size = trail.getLong("checkpoint.treeSize");
        for (int i = 0; i < 3; i++) {
            String p = "items[" + i + "].";
            List<byte[]> hashes = trail.getList(p + "inclusionProof.hashes", String.class).stream().map(HEX::parseHex).toList();
            assertThat(Merkle.verifyInclusion(trail.getLong(p + "index"), size, HEX.parseHex(trail.getString(p + "leafHash")),
                    hashes, root)).isTrue();
        }
        json().get("/v1/trails/{d}", UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void auditorQueries_areThemselvesRecorded() {
        String subject = "probe-" + UUID.randomUUID();
        json().queryParam("subjectId", subject).get("/v1/events").then().statusCode(200).body("items", hasSize(0));
        // The log keeps a keyed digest of what was looked for, never the words (they may name people or decisions).
        String filterHmac = new dev.oversight.common.crypto.KeyedDigest(
                org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("oversight.digest-key", String.class))
                .hex("{\"subjectId\":\"" + subject + "\"}");
        String page = json().queryParam("type", "AUDIT_QUERY").queryParam("limit", 500).get("/v1/events").then()
                .statusCode(200).body("items.payload.filterHmac", org.hamcrest.Matchers.hasItem(filterHmac))
                .extract().asString();
        org.assertj.core.api.Assertions.assertThat(page).doesNotContain(subject);
    }

    @Test
    void listFiltersAndPaginates() {
        String subject = "page-" + UUID.randomUUID();
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 5; i++) {
            body.append(i == 0 ? "" : ",").append(event(UUID.randomUUID(), "TASK_CLAIMED", subject, "{\"n\":" + i + "}"));
        }
        json().body(body.append("]").toString()).post("/v1/events").then().statusCode(200);
        String cursor = json().queryParam("subjectId", subject).queryParam("limit", 3).get("/v1/events").then()
                .body("items", hasSize(3)).body("items.payload.n", org.hamcrest.Matchers.contains(0, 1, 2))
                .extract().path("nextCursor");
        json().queryParam("subjectId", subject).queryParam("limit", 3).queryParam("cursor", cursor).get("/v1/events")
                .then().body("items.payload.n", org.hamcrest.Matchers.contains(3, 4)).body("nextCursor", equalTo(null));
        // Newest first, as an audit trail is read: pages go down the log.
        String below = json().queryParam("subjectId", subject).queryParam("limit", 3).queryParam("order", "desc")
                .get("/v1/events").then().statusCode(200).body("items.payload.n", org.hamcrest.Matchers.contains(4, 3, 2))
                .extract().path("nextCursor");
        json().queryParam("subjectId", subject).queryParam("limit", 3).queryParam("order", "desc")
                .queryParam("cursor", below).get("/v1/events").then()
                .body("items.payload.n", org.hamcrest.Matchers.contains(1, 0)).body("nextCursor", equalTo(null));
        json().queryParam("order", "sideways").get("/v1/events").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.containsString("order"));
    }

    @Test
    void badInput_isAProblem() {
        String ok = event(UUID.randomUUID(), "DECISION_MADE", "s", "{}");
        String[] bodies = {
            "[]", "{}", "[" + ok.replace("\"type\":\"DECISION_MADE\"", "\"type\":\"decision made\"") + "]",
            "[" + ok.replace("\"payload\":{}", "\"payload\":[1]") + "]",
            "[" + ok.replace("2026-11-23T12:00:00.123456789+02:00", "yesterday") + "]",
            "[" + ok.replace("\"actor\":\"routing-service\",", "") + "]",
            "[" + ok.replace("\"traceId\":\"0af7651916cd43dd8448eb211c80319c\"", "\"traceId\":\"xyz\"") + "]",
            "[{\"eventId\":\"not-a-uuid\"}]", "[",
        };
        for (String b : bodies) {
            json().body(b).post("/v1/events").then().statusCode(400).contentType("application/problem+json");
        }
        long size = json().post("/v1/checkpoints").then().extract().jsonPath().getLong("treeSize");
        json().get("/v1/events/{i}", 99_999_999).then().statusCode(404).contentType("application/problem+json");
        json().get("/v1/events/{i}", "abc").then().statusCode(404);
        json().queryParam("index", 0).queryParam("treeSize", size + 1000).get("/v1/proofs/inclusion").then().statusCode(400);
        json().queryParam("index", 5).queryParam("treeSize", 5).get("/v1/proofs/inclusion").then().statusCode(400);
        json().queryParam("treeSize", 5).get("/v1/proofs/inclusion").then().statusCode(400);
        json().queryParam("first", 3).queryParam("second", 2).get("/v1/proofs/consistency").then().statusCode(400);
        json().queryParam("first", 1).queryParam("second", size + 1000).get("/v1/proofs/consistency").then().statusCode(400);
        json().queryParam("from", 5).queryParam("to", 2).post("/v1/verify").then().statusCode(400);
        json().queryParam("from", "yesterday").get("/v1/events").then().statusCode(400);
        json().queryParam("limit", 501).get("/v1/events").then().statusCode(400);
    }
}

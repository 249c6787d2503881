package dev.oversight.audit.rest;

import static dev.oversight.audit.rest.AuditApi.event;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oversight.audit.domain.note.NoteKey;
import dev.oversight.audit.domain.note.NoteSigner;
import dev.oversight.audit.domain.note.SignedNote;
import dev.oversight.audit.domain.note.WitnessPolicy;
import dev.oversight.audit.service.WitnessClient;
import dev.oversight.audit.testing.AuditDatabase;
import dev.oversight.audit.verify.OfflineVerifier;
import dev.oversight.audit.witness.FileState;
import dev.oversight.audit.witness.Witness;
import dev.oversight.audit.witness.WitnessServer;
import dev.oversight.common.testing.ServiceProcess;
import dev.oversight.common.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The log and our own witness exchange checkpoints over HTTP as the log grows; refusals are recorded. */
@QuarkusTest
@TestProfile(WitnessClientTest.WithWitness.class)
@WithTestResource(AuditDatabase.class)
class WitnessClientTest {

    static final int PORT = ServiceProcess.freePort();
    static final NoteSigner WITNESS = NoteSigner.fromSeed("witness.test/w1", NoteKey.COSIGNATURE_V1, new byte[] {5, 5,
        5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5});

    public static class WithWitness implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("audit.witnesses[0].url", "http://localhost:" + PORT,
                    "audit.witnesses[0].vkey", WITNESS.key().vkey(),
                    "audit.witness-interval", "off");
        }
    }

    @Inject
    WitnessClient client;

    @Test
    void checkpointsAreCosignedAsTheLogGrows_andAWitnessThatSawAnotherHistoryRefuses() throws Exception {
        append(3);
        long first = checkpoint();
        // No witness running: nothing is cosigned, and appends go on regardless.
        assertThat(client.offerLatest()).singleElement().satisfies(o -> assertThat(o.status()).isZero());
        append(2);

        NoteKey log = NoteKey.parse(given().auth().oauth2(Tokens.of("ava", "auditor")).get("/v1/checkpoints/public-key")
                .then().statusCode(200).extract().<String>path("vkey"));
        Path state = Files.createTempDirectory("witness").resolve("state");
        try (WitnessServer witness = new WitnessServer(new Witness(WITNESS, Map.of(log.name(), log), new FileState(state),
                Clock.systemUTC()), PORT)) {
            long second = checkpoint();
            assertThat(second).isGreaterThan(first);
            assertThat(client.offerLatest()).singleElement().satisfies(o -> assertThat(o.status()).isEqualTo(200));
            SignedNote cosigned = SignedNote.parse(given().get("/checkpoint").then().statusCode(200).extract().asString());
            assertThat(cosigned.signatures()).hasSize(2);
            assertThat(NoteSigner.verifiesCosignature(WITNESS.key(), cosigned.signatures().get(1), cosigned.text())).isTrue();
            assertThat(cosigned.verifiedBy(List.of(log))).containsExactly(log);

            // Offline, under a 1-of-1 witness policy: the cosigned checkpoint is trusted; the first one, which no
            // witness cosigned (as a history rewritten and re-signed with the log key would be), is flagged.
            String auditor = Tokens.of("ava", "auditor");
            String export = given().auth().oauth2(auditor).get("/v1/export").then().statusCode(200).extract().asString();
            String key = given().auth().oauth2(auditor).get("/v1/checkpoints/public-key").then().extract().asString();
            WitnessPolicy policy = new WitnessPolicy(List.of(WITNESS.key()), 1);
            String witnessed = given().auth().oauth2(auditor).get("/v1/checkpoints/latest").then().extract().asString();
            assertThat(OfflineVerifier.verify(new BufferedReader(new StringReader(export)), witnessed, key, policy).ok())
                    .isTrue();
            String unwitnessed = given().auth().oauth2(auditor).queryParam("cursor", first + 1).queryParam("limit", 1)
                    .get("/v1/checkpoints").then().extract().jsonPath().prettify();
            String firstJson = new com.fasterxml.jackson.databind.ObjectMapper().readTree(unwitnessed).get("items").get(0)
                    .toString();
            OfflineVerifier.Outcome flagged = OfflineVerifier.verify(new BufferedReader(new StringReader(export)),
                    firstJson, key, policy);
            assertThat(flagged.ok()).isFalse();
            assertThat(flagged.message()).contains("not witnessed: 0 of the 1 required");
            assertThat(OfflineVerifier.verify(new BufferedReader(new StringReader(export)), firstJson, key).ok()).isTrue();
            // Online, the same policy: the newest checkpoint is witnessed.
            given().auth().oauth2(auditor).queryParam("witness", WITNESS.key().vkey()).post("/v1/verify").then()
                    .statusCode(200).body("ok", org.hamcrest.Matchers.equalTo(true));
            // A pass over the tree of the first checkpoint is judged by that checkpoint, which no witness cosigned,
            // however well witnessed the newest one is.
            given().auth().oauth2(auditor).queryParam("witness", WITNESS.key().vkey()).queryParam("to", first)
                    .post("/v1/verify").then().statusCode(200).body("ok", org.hamcrest.Matchers.equalTo(false))
                    .body("detail", org.hamcrest.Matchers.containsString("tree size " + first + ") is not witnessed"));

            // The log grows: the next checkpoint is cosigned from the last cosigned size, with a consistency proof.
            append(7);
            long third = checkpoint();
            assertThat(client.offerLatest()).singleElement().satisfies(o -> assertThat(o.status()).isEqualTo(200));
            assertThat(SignedNote.parse(given().get("/checkpoint").then().extract().asString()).signatures()).hasSize(2);
            assertThat(third).isGreaterThan(second);
        }

        // A witness that cosigned another history at this size (a fork, as a rewritten log would show) refuses.
        Path forked = Files.createTempDirectory("witness").resolve("state");
        long size = given().auth().oauth2(Tokens.of("ava", "auditor")).get("/v1/checkpoints/latest").then()
                .extract().jsonPath().getLong("treeSize");
        Files.writeString(forked, log.name() + " " + size + " " + Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        try (WitnessServer witness = new WitnessServer(new Witness(WITNESS, Map.of(log.name(), log), new FileState(forked),
                Clock.systemUTC()), PORT)) {
            append(1);
            checkpoint();
            assertThat(client.offerLatest()).singleElement().satisfies(o -> assertThat(o.status()).isEqualTo(422));
        }
        // One that holds a larger tree than ours: a rolled-back or split view.
        Path ahead = Files.createTempDirectory("witness").resolve("state");
        Files.writeString(ahead, log.name() + " 100000 " + Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        try (WitnessServer witness = new WitnessServer(new Witness(WITNESS, Map.of(log.name(), log), new FileState(ahead),
                Clock.systemUTC()), PORT)) {
            append(1);
            checkpoint();
            assertThat(client.offerLatest()).singleElement().satisfies(o -> assertThat(o.detail()).contains("larger than ours"));
        }
        // A witness that lost its state answers 409 with size 0: the client offers again from 0, and is cosigned.
        try (WitnessServer witness = new WitnessServer(new Witness(WITNESS, Map.of(log.name(), log),
                new FileState(Files.createTempDirectory("witness").resolve("state")), Clock.systemUTC()), PORT)) {
            append(1);
            checkpoint();
            assertThat(client.offerLatest()).singleElement().satisfies(o -> assertThat(o.status()).isEqualTo(200));
        }
        // A witness that trusts another key for our origin (403), and one that does not know our log (404).
        NoteKey other = NoteSigner.fromSeed(log.name(), NoteKey.ED25519, new byte[32]).key();
        NoteKey stranger = NoteSigner.fromSeed("elsewhere.test/log", NoteKey.ED25519, new byte[32]).key();
        for (Map.Entry<NoteKey, Integer> c : Map.of(other, 403, stranger, 404).entrySet()) {
            try (WitnessServer witness = new WitnessServer(new Witness(WITNESS, Map.of(c.getKey().name(), c.getKey()),
                    new FileState(Files.createTempDirectory("witness").resolve("state")), Clock.systemUTC()), PORT)) {
                append(1);
                checkpoint();
                assertThat(client.offerLatest()).singleElement()
                        .satisfies(o -> assertThat(o.status()).isEqualTo(c.getValue()));
            }
        }
        // Every refusal is in the log itself, with a keyed digest of the witness's reply, never its words.
        io.restassured.path.json.JsonPath refusals = given().auth().oauth2(Tokens.of("ava", "auditor"))
                .queryParam("type", "WITNESS_REFUSED").get("/v1/events").then().statusCode(200).extract().jsonPath();
        assertThat(refusals.getList("items.payload.status", Integer.class)).contains(422, 409, 403, 404);
        assertThat(refusals.getList("items.payload.detailHmac", String.class)).allMatch(h -> h.matches("[0-9a-f]{64}"));
        assertThat(refusals.getList("items.payload.detail", String.class)).allMatch(java.util.Objects::isNull);

        // The operator, holding the database and the log key, signs another root for a size it already published: a
        // rewritten history. Beside an earlier copy of the real checkpoint the verifier shows the split view, and
        // under the witness policy the forged checkpoint is not trusted.
        String auditorToken = Tokens.of("ava", "auditor");
        String real = given().auth().oauth2(auditorToken).get("/v1/checkpoints/latest").then().extract().asString();
        String logKey = given().auth().oauth2(auditorToken).get("/v1/checkpoints/public-key").then().extract().asString();
        String export = given().auth().oauth2(auditorToken).get("/v1/export").then().extract().asString();
        String forged = forge(real);
        OfflineVerifier.Outcome split = OfflineVerifier.verify(new BufferedReader(new StringReader(export)), real, logKey,
                null, List.of(forged));
        assertThat(split.ok()).isFalse();
        assertThat(split.message()).startsWith("split view");
        assertThat(OfflineVerifier.verify(new BufferedReader(new StringReader(export)), forged, logKey,
                new WitnessPolicy(List.of(WITNESS.key()), 1)).message()).contains("no signed note");

        // The newest checkpoint no witness would cosign: verification under the 1-of-1 policy says so.
        given().auth().oauth2(Tokens.of("ava", "auditor")).queryParam("witness", WITNESS.key().vkey())
                .queryParam("witnessesRequired", 1).post("/v1/verify").then().statusCode(200)
                .body("ok", org.hamcrest.Matchers.equalTo(false))
                .body("detail", org.hamcrest.Matchers.containsString("not witnessed: 0 of the 1"));
        given().auth().oauth2(Tokens.of("ava", "auditor")).queryParam("witness", "not-a-vkey").post("/v1/verify").then()
                .statusCode(400);
        assertThat(io.restassured.RestAssured.get("/q/metrics").then().extract().asString())
                .contains("oversight_audit_witness_refusals_total{status=\"422\",witness=\"witness.test/w1\"} 1.0");
    }

    @Test
    void aWitnessReplyLargerThanTheLimit_isNotReadToTheEnd() throws Exception {
        append(1);
        checkpoint();
        byte[] chunk = new byte[1 << 20];
        java.util.Arrays.fill(chunk, (byte) 'x');
        com.sun.net.httpserver.HttpServer flood = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", PORT), 0);
        flood.createContext("/add-checkpoint", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, 0);
            try (var out = ex.getResponseBody()) {
                for (int i = 0; i < 64; i++) {
                    out.write(chunk);
                }
            } catch (java.io.IOException closedByTheClient) {
                // the client stopped reading: what the limit is for
            }
        });
        flood.start();
        try {
            assertThat(client.offerLatest()).singleElement()
                    .satisfies(o -> assertThat(o.detail()).contains("larger than 65536 bytes"));
        } finally {
            flood.stop(0);
        }
    }

    /** The same size, another root, signed with the log's own key (read from its key file, as an insider could). */
    private static String forge(String realJson) throws Exception {
        var real = new com.fasterxml.jackson.databind.ObjectMapper().readTree(realJson);
        String pem = Files.readString(Path.of("target", "test-checkpoint-key.pem"));
        String body = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27, pem.indexOf("-----END PRIVATE KEY-----"));
        java.security.PrivateKey key = java.security.KeyFactory.getInstance("Ed25519").generatePrivate(
                new java.security.spec.PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(body)));
        byte[] root = new byte[32];
        root[0] = 1;
        java.time.Instant at = java.time.Instant.now();
        dev.oversight.audit.domain.Checkpoint forged = new dev.oversight.audit.domain.Checkpoint(
                real.get("treeSize").asLong(), root, at);
        return "{\"treeSize\":" + forged.treeSize() + ",\"rootHash\":\"" + java.util.HexFormat.of().formatHex(root)
                + "\",\"timestamp\":\"" + dev.oversight.audit.domain.Checkpoint.TIMESTAMP.format(forged.timestamp())
                + "\",\"keyId\":\"" + real.get("keyId").asText() + "\",\"signature\":\""
                + Base64.getEncoder().encodeToString(forged.sign(key)) + "\"}";
    }

    private static void append(int n) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "" : ",").append(event(UUID.randomUUID(), "DECISION_MADE", UUID.randomUUID().toString(),
                    "{\"route\":\"RELEASE\"}"));
        }
        given().auth().oauth2(Tokens.of("routing-service", "service")).contentType("application/json")
                .body(body.append("]").toString()).post("/v1/events").then().statusCode(200);
    }

    private static long checkpoint() {
        return given().auth().oauth2(Tokens.of("ops", "admin")).post("/v1/checkpoints").then().statusCode(200)
                .extract().jsonPath().getLong("treeSize");
    }
}

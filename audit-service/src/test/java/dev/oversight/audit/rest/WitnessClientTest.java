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

package dev.oversight.audit.rest;

import static dev.oversight.audit.rest.AuditApi.event;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oversight.audit.domain.note.NoteKey;
import dev.oversight.audit.domain.note.SignedNote;
import dev.oversight.audit.testing.AuditDatabase;
import dev.oversight.common.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Checkpoints in the transparency-log standard: a C2SP signed note at GET /checkpoint, verifiable with the vkey. */
@QuarkusTest
@WithTestResource(AuditDatabase.class)
class CheckpointNoteTest {

    @Test
    void theNewestCheckpoint_isAC2spSignedNote_verifiedByThePublishedVkey() {
        given().auth().oauth2(Tokens.of("routing-service", "service")).contentType("application/json")
                .body("[" + event(UUID.randomUUID(), "DECISION_MADE", UUID.randomUUID().toString(), "{\"route\":\"RELEASE\"}")
                        + "]").post("/v1/events").then().statusCode(200);
        JsonPath cp = given().auth().oauth2(Tokens.of("ops", "admin")).post("/v1/checkpoints").then().statusCode(200)
                .extract().jsonPath();

        String note = given().get("/checkpoint").then().statusCode(200)
                .contentType("text/plain; charset=utf-8").extract().asString();
        String vkey = given().auth().oauth2(Tokens.of("ava", "auditor")).get("/v1/checkpoints/public-key").then()
                .statusCode(200).extract().path("vkey");
        NoteKey key = NoteKey.parse(vkey);
        assertThat(key.name()).isEqualTo("oversight.local/audit");

        SignedNote parsed = SignedNote.parse(note);
        assertThat(parsed.verifiedBy(List.of(key))).containsExactly(key);
        String[] lines = parsed.text().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).isEqualTo("oversight.local/audit");
        assertThat(Long.parseLong(lines[1])).isEqualTo(cp.getLong("treeSize"));
        assertThat(HexFormat.of().formatHex(Base64.getDecoder().decode(lines[2]))).isEqualTo(cp.getString("rootHash"));
        // The JSON API carries the same note.
        assertThat(cp.getString("note")).isEqualTo(note);
        // Deterministic: asked again, the same bytes.
        assertThat(given().get("/checkpoint").then().extract().asString()).isEqualTo(note);
    }

    @Test
    void aCheckpointRowWrittenWithoutTheKey_isNeverServedSigned_butRefusedAndCounted() throws Exception {
        given().auth().oauth2(Tokens.of("routing-service", "service")).contentType("application/json")
                .body("[" + event(UUID.randomUUID(), "DECISION_MADE", UUID.randomUUID().toString(), "{}") + "]")
                .post("/v1/events").then().statusCode(200);
        long size = given().auth().oauth2(Tokens.of("ops", "admin")).post("/v1/checkpoints").then().statusCode(200)
                .extract().jsonPath().getLong("treeSize");
        String keyId = given().auth().oauth2(Tokens.of("ava", "auditor")).get("/v1/checkpoints/public-key").then()
                .statusCode(200).extract().path("keyId");
        long forged = size + 1_000_000;
        // Someone with the database (not the key) appends a checkpoint of a tree that never existed.
        AuditDatabase.tamper("checkpoint", "INSERT INTO checkpoint (tree_size, root_hash, created_at, key_id, signature)"
                + " VALUES (" + forged + ", decode(repeat('ab', 32), 'hex'), now(), '" + keyId + "',"
                + " decode(repeat('cd', 64), 'hex'))");
        try {
            given().get("/checkpoint").then().statusCode(500).contentType("application/problem+json")
                    .body("detail", org.hamcrest.Matchers.containsString("does not verify"));
            assertThat(given().get("/q/metrics").then().extract().asString())
                    .containsPattern("oversight_audit_checkpoint_signature_invalid_total(\\{[^}]*})? [1-9]");
        } finally {
            AuditDatabase.tamper("checkpoint", "DELETE FROM checkpoint WHERE tree_size = " + forged);
        }
        given().get("/checkpoint").then().statusCode(200);
    }
}

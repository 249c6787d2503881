package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.json;
import static dev.oversight.routing.api.Api.putPolicy;
import static dev.oversight.routing.api.Api.route;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oversight.common.crypto.KeyedDigest;
import dev.oversight.common.crypto.Sha256;
import dev.oversight.common.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The permanent log holds no one's words: apps' idempotency keys, outputs and operators' reasons reach the audit
 * trail only as keyed digests, which confirm no guess without the deployment's key.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PermanentLogWordsTest {

    @Inject
    AgroalDataSource db;

    private final KeyedDigest digest = new KeyedDigest(
            ConfigProvider.getConfig().getValue("oversight.digest-key", String.class));

    @Test
    void idempotencyKeysOutputsAndModeReasons_enterTheTrailAsKeyedDigestsOnly() throws Exception {
        String uc = uniqueUseCase("words");
        putPolicy(uc, "{\"threshold\":0.8}").then().statusCode(201);
        String key = "claim-of-mrs-example-4711";
        String id = route("{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"output\":{\"answer\":\"pay Mrs Example\"},"
                + "\"confidence\":0.9,\"idempotencyKey\":\"" + key + "\"}").then().statusCode(200).extract()
                .path("decisionId");
        String made = scalar("SELECT payload::text FROM outbox WHERE destination = 'audit' AND type = 'DECISION_MADE'"
                + " AND subject_id = '" + id + "'");
        byte[] salt;
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT digest_salt FROM decision WHERE id = '" + id + "'")) {
            rs.next();
            salt = rs.getBytes(1);
        }
        // Salted per decision: an erasure deletes the salt, and then not even the key confirms a guess.
        assertThat(made).doesNotContain(key).doesNotContain("Mrs Example").doesNotContain(Sha256.hex(key))
                .doesNotContain(digest.hex(key))
                .contains("\"idempotencyKeyHmac\":\"" + digest.hex(salt, key) + "\"")
                .contains("\"outputHmac\":\"" + digest.hex(salt, "{\"answer\":\"pay Mrs Example\"}") + "\"");

        String reason = "incident 12: Mrs Example called about her claim";
        json().body("{\"mode\":\"HALT\",\"reason\":\"" + reason + "\"}").post("/v1/use-cases/{u}/mode", uc).then()
                .statusCode(200);
        String changed = scalar("SELECT payload::text FROM outbox WHERE destination = 'audit' AND type = 'MODE_CHANGED'"
                + " AND use_case = '" + uc + "'");
        assertThat(changed).doesNotContain("Mrs Example").contains("\"reasonHmac\":\"" + digest.hex(reason) + "\"")
                .contains("\"mode\":\"HALT\"");
    }

    private String scalar(String sql) throws Exception {
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

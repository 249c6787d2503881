package dev.oversight.audit.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import dev.oversight.common.testing.PostgresResource;
import dev.oversight.common.testing.ServiceProcess;
import dev.oversight.common.testing.Tokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Rotating the checkpoint key as the README says: a new key file, the old key's public half listed as trusted.
 * Checkpoints signed before and after both verify, each against the key it names; without the old key listed,
 * verification says which key it does not trust.
 */
class KeyRotationIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    @Test
    void checkpointsOfARotatedKey_verifyAgainstTheKeyThatSignedThem() throws Exception {
        String database = "rotation_" + ProcessHandle.current().pid();
        try (Connection c = PostgresResource.server().getPostgresDatabase().getConnection();
             Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database);
            st.execute("CREATE DATABASE " + database);
        }
        Path dir = Files.createDirectories(Path.of("target", "key-rotation-" + UUID.randomUUID()));
        Path oldKey = dir.resolve("old-key.pem");
        Path newKey = dir.resolve("new-key.pem");
        Map<String, String> env = new HashMap<>(Map.of(
                "AUDIT_DB_URL", "jdbc:postgresql://localhost:" + PostgresResource.server().getPort() + "/" + database,
                "AUDIT_CHECKPOINT_KEY_FILE", oldKey.toAbsolutePath().toString()));
        ServiceProcess.migrate("audit-rotation", JAR, env);

        String oldKeyId;
        try (ServiceProcess audit = ServiceProcess.start("audit-old-key", env)) {
            append(audit, 3);
            oldKeyId = given().baseUri(audit.url()).auth().oauth2(Tokens.of("ops", "admin")).post("/v1/checkpoints")
                    .then().statusCode(200).extract().path("keyId");
        }
        Path oldPublic = dir.resolve("old-key.pub.pem");
        Files.writeString(oldPublic, publicBlock(Files.readString(oldKey, StandardCharsets.US_ASCII)));

        env.put("AUDIT_CHECKPOINT_KEY_FILE", newKey.toAbsolutePath().toString());
        env.put("AUDIT_CHECKPOINT_TRUSTED_PUBLIC_KEYS", oldPublic.toAbsolutePath().toString());
        try (ServiceProcess audit = ServiceProcess.start("audit-new-key", env)) {
            append(audit, 2);
            String newKeyId = given().baseUri(audit.url()).auth().oauth2(Tokens.of("ops", "admin"))
                    .post("/v1/checkpoints").then().statusCode(200).extract().path("keyId");
            assertThat(newKeyId).isNotEqualTo(oldKeyId);
            given().baseUri(audit.url()).auth().oauth2(Tokens.of("ava", "auditor")).queryParam("full", true)
                    .post("/v1/verify").then().statusCode(200).body("ok", equalTo(true))
                    .body("checkpointsVerified", greaterThanOrEqualTo(2));
            given().baseUri(audit.url()).auth().oauth2(Tokens.of("ava", "auditor")).queryParam("keyId", oldKeyId)
                    .get("/v1/checkpoints/public-key").then().statusCode(200).body("keyId", equalTo(oldKeyId));
        }

        env.remove("AUDIT_CHECKPOINT_TRUSTED_PUBLIC_KEYS");
        try (ServiceProcess audit = ServiceProcess.start("audit-forgot-old-key", env)) {
            given().baseUri(audit.url()).auth().oauth2(Tokens.of("ava", "auditor")).queryParam("full", true)
                    .post("/v1/verify").then().statusCode(200).body("ok", equalTo(false))
                    .body("detail", containsString("names key " + oldKeyId + ", which is not a trusted checkpoint key"));
        }
    }

    private static void append(ServiceProcess audit, int n) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            UUID id = UUID.randomUUID();
            body.append(i == 0 ? "" : ",").append("{\"eventId\":\"").append(id).append("\",\"type\":\"TEST_EVENT\","
                    + "\"occurredAt\":\"2026-11-25T12:00:00Z\",\"actor\":\"it\",\"subjectId\":\"s-").append(i)
                    .append("\",\"payload\":{}}");
        }
        given().baseUri(audit.url()).auth().oauth2(Tokens.of("routing-service", "service")).contentType("application/json")
                .body(body.append("]").toString()).post("/v1/events").then().statusCode(200);
    }

    private static String publicBlock(String pem) {
        Matcher m = Pattern.compile("-----BEGIN PUBLIC KEY-----[^-]+-----END PUBLIC KEY-----\n?").matcher(pem);
        if (!m.find()) {
            throw new IllegalStateException("no public key in the key file");
        }
        return m.group();
    }
}

package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.json;
import static dev.oversight.routing.api.Api.putPolicy;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.oversight.common.testing.PostgresResource;
import dev.oversight.routing.config.service.WebhookSecrets;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Callbacks: refused at route time when they point inside our network; each app has its own secret. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class CallbackApiTest {

    private static final String UC = uniqueUseCase("callbacks");

    @Inject
    AgroalDataSource db;

    @Inject
    WebhookSecrets secrets;

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8091/v1/labels", "http://10.0.0.5/hook", "http://192.168.0.1/hook",
        "http://169.254.169.254/latest/meta-data/", "http://[::1]:8093/v1/events", "http://[fd00::5]/hook",
        "http://0.0.0.0:8092/", "http://224.0.0.1/", "https://does-not-resolve.invalid/hook",
        "https://user:secret@localhost/hook"})
    void aCallbackIntoOurNetwork_is400_andNothingIsStored(String url) throws Exception {
        putPolicy(UC, "{\"threshold\":0.5}").then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        long before = Api.countDecisions(db);
        json().body("{\"useCase\":\"" + UC + "\",\"modelVersion\":\"m\",\"output\":1,\"confidence\":0.9,"
                        + "\"callbackUrl\":\"" + url + "\"}").post("/v1/route")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("callbackUrl"));
        assertThat(Api.countDecisions(db)).isEqualTo(before);
    }

    @Test
    void aListedHost_isAccepted() {
        putPolicy(UC, "{\"threshold\":0.5}").then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        json().body("{\"useCase\":\"" + UC + "\",\"modelVersion\":\"m\",\"output\":1,\"confidence\":0.9,"
                + "\"callbackUrl\":\"http://localhost:8123/hook\"}").post("/v1/route").then().statusCode(200);
    }

    @Test
    void anAppsWebhookSecret_isShownOnce_andARotationKeepsTheOldOneForTheGracePeriod() throws Exception {
        String app = "billing-" + System.nanoTime();
        String first = json().post("/v1/apps/{app}/webhook-secret", app).then().statusCode(201)
                .header("Cache-Control", "no-store")
                .body("app", equalTo(app)).body("secret", startsWith("whsec_"))
                .body("previousValidUntil", nullValue())
                .extract().path("secret");
        assertThat(secrets.secretsOf(app)).containsExactly(first);
        String second = json().post("/v1/apps/{app}/webhook-secret", app).then().statusCode(201)
                .body("previousValidUntil", notNullValue()).extract().path("secret");
        assertThat(second).isNotEqualTo(first);
        assertThat(secrets.secretsOf(app)).containsExactly(second, first);
        // The rotation is a configuration change: it is in the audit trail, without the secret.
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery("SELECT count(*),"
                + " bool_or(payload::text LIKE '%whsec_%') FROM outbox WHERE destination = 'audit'"
                + " AND type = 'WEBHOOK_SECRET_ROTATED' AND subject_id = '" + app + "'")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(2);
            assertThat(rs.getBoolean(2)).isFalse();
        }
    }
}

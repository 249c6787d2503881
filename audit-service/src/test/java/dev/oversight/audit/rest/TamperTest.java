package dev.oversight.audit.rest;

import static dev.oversight.audit.rest.AuditApi.event;
import static dev.oversight.audit.rest.AuditApi.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import dev.oversight.audit.verify.OfflineVerifier;
import dev.oversight.audit.testing.AuditDatabase;
import dev.oversight.common.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.agroal.api.AgroalDataSource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Someone with superuser access rewrites the log behind the service's back, bypassing the triggers. Both the
 * online and the offline verifier must name the exact index. Each test restores the rows afterwards, so the log
 * other tests share stays valid (and verifies again, which the test checks too).
 */
@QuarkusTest
@WithTestResource(AuditDatabase.class)
class TamperTest {

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    private long target;

    @BeforeEach
    void appendAndCheckpoint() {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 6; i++) {
            body.append(i == 0 ? "" : ",").append(event(UUID.randomUUID(), "VERDICT_SUBMITTED", "task-" + i,
                    "{\"verdict\":\"APPROVE\",\"rationale\":\"n" + i + "\"}"));
        }
        List<Long> idx = json().body(body.append("]").toString()).post("/v1/events").then().statusCode(200)
                .extract().jsonPath().getList("items.index", Long.class);
        target = idx.get(2);
        json().post("/v1/checkpoints").then().statusCode(200);
        json().post("/v1/verify").then().body("ok", equalTo(true));
    }

    @Test
    void changedRow_isDetectedAtItsIndex() throws Exception {
        AuditDatabase.tamper("UPDATE event SET canonical = replace(canonical, 'APPROVE', 'REJECT') WHERE idx = " + target);
        try {
            assertDetectedAt(target);
        } finally {
            AuditDatabase.tamper("UPDATE event SET canonical = replace(canonical, 'REJECT', 'APPROVE') WHERE idx = " + target);
        }
        json().post("/v1/verify").then().body("ok", equalTo(true));
    }

    @Test
    void deletedRow_isDetectedAtItsIndex() throws Exception {
        AuditDatabase.tamper("CREATE TABLE tamper_saved AS SELECT * FROM event WHERE idx = " + target
                + "; DELETE FROM event WHERE idx = " + target);
        try {
            assertDetectedAt(target);
        } finally {
            AuditDatabase.tamper("INSERT INTO event SELECT * FROM tamper_saved; DROP TABLE tamper_saved");
        }
        json().post("/v1/verify").then().body("ok", equalTo(true));
    }

    @Test
    void reorderedRows_areDetectedAtTheFirstMovedIndex() throws Exception {
        String swap = "UPDATE event SET idx = 999999999 WHERE idx = " + target + ";"
                + " UPDATE event SET idx = " + target + " WHERE idx = " + (target + 1) + ";"
                + " UPDATE event SET idx = " + (target + 1) + " WHERE idx = 999999999";
        AuditDatabase.tamper(swap);
        try {
            assertDetectedAt(target);
        } finally {
            AuditDatabase.tamper(swap);
        }
        json().post("/v1/verify").then().body("ok", equalTo(true));
    }

    @Test
    void theApplicationRole_cannotUpdateDeleteOrTruncate() throws Exception {
        try (Connection c = DriverManager.getConnection(url, "audit_app", "");
             Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute("UPDATE event SET actor = 'x' WHERE idx = " + target))
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> st.execute("DELETE FROM event WHERE idx = " + target))
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> st.execute("TRUNCATE event")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> st.execute("DELETE FROM tree_node")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> st.execute("UPDATE checkpoint SET key_id = 'x'")).isInstanceOf(SQLException.class);
        }
    }

    @Inject
    AgroalDataSource db;

    /** The owner could switch the triggers off; the running service must not hold its credentials at all. */
    @Test
    void theRunningServiceHoldsOnlyTheAppendRole_andNoOwnerCredentials() throws Exception {
        assertThat(ConfigProvider.getConfig().getPropertyNames()).as("no datasource or migration as the owner")
                .noneMatch(name -> name.startsWith("quarkus.datasource.owner")
                        || name.startsWith("quarkus.datasource.\"owner\"")
                        || name.startsWith("quarkus.flyway.owner"));
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            try (java.sql.ResultSet rs = st.executeQuery("SELECT current_user")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(AuditDatabase.APP_ROLE);
            }
            assertThatThrownBy(() -> st.execute("ALTER TABLE event DISABLE TRIGGER ALL"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("owner");
            assertThatThrownBy(() -> st.execute("DROP TRIGGER event_append_only ON event"))
                    .isInstanceOf(SQLException.class);
        }
    }

    @Test
    void evenTheOwner_cannotChangeTheLogWhileTheTriggersStand() {
        assertThatThrownBy(() -> owner("UPDATE event SET actor = 'x' WHERE idx = " + target))
                .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
        assertThatThrownBy(() -> owner("TRUNCATE checkpoint")).isInstanceOf(SQLException.class)
                .hasMessageContaining("append-only");
    }

    private void assertDetectedAt(long index) throws Exception {
        long size = json().post("/v1/checkpoints").then().extract().jsonPath().getLong("treeSize");
        json().queryParam("full", true).post("/v1/verify").then().statusCode(200)
                .body("ok", equalTo(false))
                .body("firstMismatch", equalTo((int) index));
        String checkpoint = json().get("/v1/checkpoints/latest").then().extract().asString();
        String key = json().get("/v1/checkpoints/public-key").then().extract().asString();
        String export = io.restassured.RestAssured.given().auth().oauth2(dev.oversight.common.testing.Tokens.operator()).queryParam("to", size).get("/v1/export").then()
                .statusCode(200).extract().asString();
        OfflineVerifier.Outcome outcome = OfflineVerifier.verify(new BufferedReader(new StringReader(export)),
                checkpoint, key);
        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.firstMismatch()).as(outcome.message()).isEqualTo(index);
    }

    private static void owner(String sql) throws SQLException {
        try (Connection c = PostgresResource.server().getPostgresDatabase().getConnection();
             Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}

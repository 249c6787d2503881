package dev.oversight.audit.testing;

import dev.oversight.common.testing.PostgresResource;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * The embedded PostgreSQL, migrated as a deployment migrates it: by the owner, in a step of its own, before the
 * service starts. The service under test then connects as the INSERT/SELECT role only, as in production.
 */
public class AuditDatabase extends PostgresResource {

    public static final String APP_ROLE = "audit_app";

    /**
     * Runs statements as a superuser who switches the log's append-only triggers off for them and back on: what an
     * attacker with the database could do, for tests that prove verification catches it.
     */
    public static void tamper(String sql) throws java.sql.SQLException {
        tamper("event", sql);
    }

    /** The same for another of the log's tables ({@code checkpoint}, {@code tree_node}). */
    public static void tamper(String table, String sql) throws java.sql.SQLException {
        try (java.sql.Connection c = server().getPostgresDatabase().getConnection();
             java.sql.Statement st = c.createStatement()) {
            st.execute("ALTER TABLE " + table + " DISABLE TRIGGER ALL");
            try {
                st.execute(sql);
            } finally {
                st.execute("ALTER TABLE " + table + " ENABLE ALWAYS TRIGGER " + table + "_append_only;"
                        + " ALTER TABLE " + table + " ENABLE ALWAYS TRIGGER " + table + "_no_truncate");
            }
        }
    }

    @Override
    public Map<String, String> start() {
        super.start();
        // No user in the URL: the service's own username (the append role) must be the one that connects.
        String url = "jdbc:postgresql://localhost:" + server().getPort() + "/postgres";
        Flyway.configure()
                .dataSource(url, "postgres", null)
                .locations("classpath:db/migration")
                .placeholders(Map.of("appRole", APP_ROLE))
                .load()
                .migrate();
        return Map.of("quarkus.datasource.jdbc.url", url);
    }
}

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

package dev.oversight.common.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Real PostgreSQL for {@code @QuarkusTest}s: one embedded server per test JVM, shared by every test class and
 * restarted never, so Flyway migrates it once and tests see the same database a deployment would.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgres postgres;

    public static synchronized EmbeddedPostgres server() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "300").start();
            } catch (IOException e) {
                throw new UncheckedIOException("Embedded PostgreSQL did not start", e);
            }
        }
        return postgres;
    }

    @Override
    public Map<String, String> start() {
        EmbeddedPostgres pg = server();
        // Only the URL: each service keeps its own roles (the embedded server trusts local connections).
        return Map.of("quarkus.datasource.jdbc.url", pg.getJdbcUrl("postgres", "postgres"));
    }

    @Override
    public void stop() {
        // Kept for the next test class in this JVM; zonky's shutdown hook stops it when the JVM exits.
    }
}

package dev.oversight.common.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The whole system as a user runs it: one PostgreSQL with a database per service, and the three built service jars
 * as separate processes on fixed ports (so a stopped or killed service comes back at the same address). The jars are
 * found under the system property {@code oversight.root} (the project's root folder).
 */
public final class Stack implements AutoCloseable {

    public enum Service {
        ROUTING("routing-service", "routing"), REVIEW("review-service", "review"), AUDIT("audit-service", "audit");

        final String module;
        final String database;

        Service(String module, String database) {
            this.module = module;
            this.database = database;
        }
    }


    private final Path pgData = Path.of("target", "system-pg").toAbsolutePath();
    private final int pgPort = ServiceProcess.freePort();
    private EmbeddedPostgres pg;
    private final Map<Service, Integer> ports = new EnumMap<>(Service.class);
    private final Map<Service, ServiceProcess> running = new EnumMap<>(Service.class);
    private int generation;
    private boolean auditMigrated;

    public Stack() throws IOException, SQLException {
        deleteRecursively(pgData);
        pg = startPostgres();
        for (Service s : Service.values()) {
            ports.put(s, ServiceProcess.freePort());
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + s.database + "'");
                if (!rs.next()) {
                    st.execute("CREATE DATABASE " + s.database);
                }
            }
        }
    }

    /** Real PostgreSQL with its data in target/, on a fixed port, so that it can be stopped and started again. */
    private EmbeddedPostgres startPostgres() throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).setPort(pgPort)
                .setServerConfig("max_connections", "300").start();
    }

    public void stopPostgres() throws IOException {
        pg.close();
    }

    public void resumePostgres() throws IOException {
        pg = startPostgres();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Starts every service (audit first, so the others' first deliveries find it). */
    public Stack startAll() {
        start(Service.AUDIT);
        start(Service.REVIEW);
        start(Service.ROUTING);
        return this;
    }

    public void startMissing() {
        for (Service s : new Service[] {Service.AUDIT, Service.REVIEW, Service.ROUTING}) {
            if (!running.containsKey(s)) {
                start(s);
            }
        }
    }

    public void start(Service s) {
        Map<String, String> env = new HashMap<>();
        env.put("ROUTING_DB_URL", jdbcUrl(Service.ROUTING));
        env.put("REVIEW_DB_URL", jdbcUrl(Service.REVIEW));
        env.put("AUDIT_DB_URL", jdbcUrl(Service.AUDIT));
        env.put("AUDIT_URL", url(Service.AUDIT));
        env.put("REVIEW_URL", url(Service.REVIEW));
        env.put("ROUTING_URL", url(Service.ROUTING));
        env.put("AUDIT_CHECKPOINT_KEY_FILE", Path.of("target", "system-audit-key.pem").toAbsolutePath().toString());
        // The apps' callback receivers of these tests listen on localhost over http.
        env.put("OVERSIGHT_CALLBACKS_ALLOW_HTTP", "true");
        env.put("OVERSIGHT_CALLBACKS_ALLOWED_HOSTS", "localhost:*");
        // Outages in these tests last seconds; a short backoff cap keeps the catch-up quick.
        env.put("OVERSIGHT_OUTBOX_MAX_BACKOFF", "1s");
        Path jar = Path.of(System.getProperty("oversight.root", ".."), s.module, "target", "quarkus-app", "quarkus-run.jar");
        if (s == Service.AUDIT && !auditMigrated) {
            // The audit service runs without the owner's credentials; its migrations are a step of their own.
            ServiceProcess.migrate(s.module, jar, env);
            auditMigrated = true;
        }
        running.put(s, ServiceProcess.start(s.module + "-" + (++generation), jar, ports.get(s), env));
    }

    public void stop(Service s) {
        ServiceProcess p = running.remove(s);
        if (p != null) {
            p.close();
        }
    }

    /** SIGKILL, no shutdown of any kind. */
    public void kill(Service s) {
        ServiceProcess p = running.remove(s);
        if (p != null) {
            p.kill();
        }
    }

    public String url(Service s) {
        return "http://localhost:" + ports.get(s);
    }

    public Connection db(Service s) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(s), "postgres", "");
    }

    /** Without a user: each service connects as its own role (the audit service as its INSERT/SELECT role). */
    private String jdbcUrl(Service s) {
        return "jdbc:postgresql://localhost:" + pgPort + "/" + s.database;
    }

    @Override
    public void close() throws IOException {
        for (Service s : Service.values()) {
            stop(s);
        }
        pg.close();
    }
}

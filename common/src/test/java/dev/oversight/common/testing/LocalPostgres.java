package dev.oversight.common.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The local stack's PostgreSQL: real binaries, data kept in a directory so a second start reuses it, and one
 * database per service. Run by {@code run-local.sh}; stops cleanly on SIGTERM or Ctrl-C.
 *
 * <p>Usage: {@code LocalPostgres <dataDir> <port> <database>...}
 */
public final class LocalPostgres {

    private LocalPostgres() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: LocalPostgres <dataDir> <port> <database>...");
            System.exit(2);
        }
        Path dataDir = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(dataDir);
        // The benchmark's profile of PostgreSQL: which statements took its time (OVERSIGHT_PG_STATEMENTS=true).
        boolean statements = "true".equals(System.getenv("OVERSIGHT_PG_STATEMENTS"));
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        if (statements) {
            builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
        }
        EmbeddedPostgres pg = builder
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(Integer.parseInt(args[1]))
                .setServerConfig("max_connections", "200")
                // zonky trades durability for speed (-F, synchronous_commit=off); the local stack must not lose
                // an acknowledged decision, so both are turned back on.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .start();
        try (Connection c = pg.getPostgresDatabase().getConnection()) {
            for (int i = 2; i < args.length; i++) {
                createDatabaseIfMissing(c, args[i]);
            }
            if (statements) {
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                }
            }
        }
        System.out.println("LocalPostgres ready on port " + pg.getPort() + " with data in " + dataDir);
        System.out.flush();
        Thread.currentThread().join();
    }

    private static void createDatabaseIfMissing(Connection c, String name) throws Exception {
        if (!name.matches("[a-z_]{1,40}")) {
            throw new IllegalArgumentException("database name must match [a-z_]{1,40}: " + name);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
    }
}

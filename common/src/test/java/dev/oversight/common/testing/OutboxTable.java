package dev.oversight.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;

/** The outbox table from its one definition (db/outbox in common), for tests of the relays in common. */
public final class OutboxTable {

    /** The files of db/outbox in their order, as Flyway applies them in the services. */
    static final List<String> MIGRATIONS = List.of("V0_1__outbox.sql", "V0_2__outbox_payload_json.sql");

    private OutboxTable() {
    }

    public static void create(DataSource db) throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT to_regclass('outbox') IS NOT NULL")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return;
                }
            }
            requireEveryMigrationListed();
            for (String migration : MIGRATIONS) {
                st.execute(ddl(migration));
            }
        }
    }

    /** A migration added to db/outbox and not to {@link #MIGRATIONS} would leave these tests on an older table. */
    private static void requireEveryMigrationListed() {
        try {
            URL dir = OutboxTable.class.getClassLoader().getResource("db/outbox");
            if (dir != null && "file".equals(dir.getProtocol())) {
                try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
                    List<String> present = files.map(f -> f.getFileName().toString()).sorted().toList();
                    if (!present.equals(MIGRATIONS)) {
                        throw new IllegalStateException("db/outbox holds " + present + ", OutboxTable applies "
                                + MIGRATIONS);
                    }
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String ddl(String migration) {
        try (InputStream in = OutboxTable.class.getClassLoader().getResourceAsStream("db/outbox/" + migration)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

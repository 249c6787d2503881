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
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.sql.DataSource;

/** The outbox table from its one definition (db/outbox in common), for tests of the relays in common. */
public final class OutboxTable {

    /** V0_2__x before V0_10__y: the version's parts (between "V" and "__", split at "_") compared as numbers. */
    private static final Comparator<String> BY_VERSION = Comparator.comparing(
            (String name) -> Arrays.stream(name.substring(1, name.indexOf("__")).split("_")).mapToInt(Integer::parseInt)
                    .toArray(), Arrays::compare);

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
            apply(c, migration -> true);
        }
    }

    /** Applies the db/outbox files that {@code which} names, in version order, on the caller's connection. */
    public static void apply(Connection c, Predicate<String> which) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String migration : migrations()) {
                if (which.test(migration)) {
                    st.execute(ddl(migration));
                }
            }
        }
    }

    /**
     * The files of db/outbox in version order, as Flyway applies them in the services (these tests run from common's
     * own classes, so the folder is a directory).
     */
    private static List<String> migrations() {
        URL dir = OutboxTable.class.getClassLoader().getResource("db/outbox");
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            return files.map(f -> f.getFileName().toString()).sorted(BY_VERSION).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
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

package dev.oversight.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** The outbox table from its one definition (db/outbox in common), for tests of the relays in common. */
public final class OutboxTable {

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
            st.execute(ddl());
        }
    }

    private static String ddl() {
        try (InputStream in = OutboxTable.class.getClassLoader().getResourceAsStream("db/outbox/V0_1__outbox.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

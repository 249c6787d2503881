package dev.oversight.common.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** The outbox table as the services' migrations create it, for tests of the relays in common. */
public final class OutboxTable {

    private OutboxTable() {
    }

    public static void create(DataSource db) throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS outbox (id bigserial PRIMARY KEY, event_id uuid NOT NULL,"
                    + " destination text NOT NULL, type text NOT NULL, subject_id text NOT NULL, use_case text,"
                    + " actor text, traceparent text, target_url text, occurred_at timestamptz NOT NULL,"
                    + " payload jsonb NOT NULL, delivered_at timestamptz, attempts integer NOT NULL DEFAULT 0,"
                    + " last_error text, next_attempt_at timestamptz, dead_at timestamptz,"
                    + " CHECK (attempts >= 0))");
        }
    }
}

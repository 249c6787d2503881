package dev.oversight.common.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Which rows of a batched {@code INSERT ... ON CONFLICT DO NOTHING} were inserted. Every service's driver rewrites a
 * batch of inserts into multi-row statements ({@code reWriteBatchedInserts}, one statement per 128 rows instead of
 * one per row), and then reports no per-row counts; the rows this transaction created are the ones whose
 * {@code xmin} is its own transaction id. (Rows inserted under a savepoint carry the subtransaction's id: none of our
 * writers uses savepoints, and the driver's {@code autosave} stays off.)
 */
public final class InsertedRows {

    private InsertedRows() {
    }

    /** The ids, among {@code ids}, of rows of {@code table} (keyed by a uuid column {@code id}) this transaction inserted. */
    public static Set<UUID> byThisTransaction(Connection c, String table, List<UUID> ids) throws SQLException {
        Set<UUID> inserted = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + table
                + " WHERE id = ANY(?) AND xmin = pg_current_xact_id()::xid")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return inserted;
    }
}

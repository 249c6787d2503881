package dev.oversight.common.jdbc;

import dev.oversight.common.failure.Failure;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** One JDBC transaction: commit when the work returns, roll back when it throws. */
public final class Transactions {

    /** Work inside a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Where the transaction's connection comes from (a data source, or a repository that owns one). */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection get() throws SQLException;
    }

    private Transactions() {
    }

    public static <T> T inTransaction(DataSource dataSource, Work<T> work) throws SQLException {
        return inTransaction(dataSource::getConnection, work);
    }

    /** The same, where a database that cannot be reached is the caller's 503 saying {@code unavailable}. */
    public static <T> T inTransaction(DataSource dataSource, String unavailable, Work<T> work) {
        try {
            return inTransaction(dataSource, work);
        } catch (SQLException e) {
            throw new Failure.Unavailable(unavailable);
        }
    }

    public static <T> T inTransaction(ConnectionSource source, Work<T> work) throws SQLException {
        try (Connection c = source.get()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }
}

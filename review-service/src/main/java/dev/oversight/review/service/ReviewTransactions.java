package dev.oversight.review.service;

import dev.oversight.common.failure.Failure;
import dev.oversight.common.jdbc.Transactions;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;

/** The review service's one transaction idiom: JDBC work on the queue's database, committed or rolled back whole. */
@ApplicationScoped
public class ReviewTransactions {

    private final AgroalDataSource db;

    public ReviewTransactions(AgroalDataSource db) {
        this.db = db;
    }

    /** Runs the work in one transaction; a database that cannot be reached is {@link Failure.Unavailable}. */
    public <T> T inTransaction(Transactions.Work<T> work) {
        try {
            return Transactions.inTransaction(db, work);
        } catch (SQLException e) {
            throw new Failure.Unavailable("The review queue cannot be reached right now; retry.");
        }
    }
}

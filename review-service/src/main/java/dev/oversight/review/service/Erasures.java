package dev.oversight.review.service;

import dev.oversight.review.repository.ErasureRepository;
import dev.oversight.review.repository.ErasureRepository.Parts;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The router's erasures and retention sweeps, applied to this service's copies: each message names decisions and the
 * parts to delete; an erasure also deletes the decisions' digest salts and is remembered, so that a task that was
 * on its way still arrives without the erased data. Applying a message twice changes nothing more.
 */
@ApplicationScoped
public class Erasures {

    /** One message: the parts of these decisions to delete, and whether it is an erasure (not a retention sweep). */
    public record Deletion(UUID erasureId, List<UUID> decisionIds, Parts parts, boolean erase, Instant at) {
    }

    private final ErasureRepository erasures;
    private final ReviewTransactions transactions;

    public Erasures(ErasureRepository erasures, ReviewTransactions transactions) {
        this.erasures = erasures;
        this.transactions = transactions;
    }

    /** Applies a batch in one transaction; answers how many tasks changed. */
    @WithSpan
    public int apply(List<Deletion> batch) {
        return transactions.inTransaction(c -> {
            int changed = 0;
            for (Deletion d : batch) {
                changed += erasures.delete(c, d.decisionIds(), d.parts(), d.erase(), d.at());
            }
            return changed;
        });
    }

    /** In the intake's transaction: the new tasks of decisions erased before they arrived lose the erased data. */
    void applyToLateTasks(Connection c, List<UUID> decisions, Instant now) throws SQLException {
        if (decisions.isEmpty()) {
            return;
        }
        List<UUID> erased = erasures.erased(c, decisions);
        if (!erased.isEmpty()) {
            erasures.delete(c, erased, new Parts(true, true, true), true, now);
        }
    }
}

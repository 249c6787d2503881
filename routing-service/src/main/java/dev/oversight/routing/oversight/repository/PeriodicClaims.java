package dev.oversight.routing.oversight.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Periodic work that one router instance does for all ({@code periodic_claim}): a run is this instance's when it ran
 * the job last, or when the one that did has not run it for {@code takeover} (it stopped, or lost the database). One
 * statement decides, so two instances asking at once never both get it.
 */
@ApplicationScoped
public class PeriodicClaims {

    private final AgroalDataSource db;

    public PeriodicClaims(AgroalDataSource db) {
        this.db = db;
    }

    /** True when {@code instance} is to run {@code job} now (and the claim is recorded); false when another is. */
    public boolean claim(String job, String instance, Duration takeover) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO periodic_claim (job, instance, started_at) VALUES (?, ?, now()) ON CONFLICT (job) DO UPDATE"
                        + " SET instance = EXCLUDED.instance, started_at = EXCLUDED.started_at"
                        + " WHERE periodic_claim.instance = EXCLUDED.instance"
                        + " OR periodic_claim.started_at < now() - make_interval(secs => ?) RETURNING 1")) {
            ps.setString(1, job);
            ps.setString(2, instance);
            ps.setDouble(3, takeover.toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}

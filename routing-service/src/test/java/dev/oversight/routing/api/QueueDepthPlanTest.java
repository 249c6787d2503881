package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.putPolicy;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oversight.common.testing.PostgresResource;
import dev.oversight.common.testing.QueryPlans;
import dev.oversight.routing.oversight.repository.OversightRepository;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;

/**
 * The queue depth counts the decisions waiting for reviewers whenever they were routed; the gauges' refresh asks for it
 * every minute. It must read the waiting decisions, not every decision its use case ever had.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class QueueDepthPlanTest {

    @Inject
    AgroalDataSource db;

    @Inject
    OversightRepository repository;

    @Test
    void theQueueDepth_readsTheWaitingDecisions_notTheUseCasesHistory() throws Exception {
        String uc = uniqueUseCase("queue");
        putPolicy(uc, "{\"threshold\":0.8}").then().statusCode(201);
        try (Connection c = db.getConnection()) {
            insert(c, uc, "RELEASED", 20_000);
            insert(c, uc, "PENDING_REVIEW", 3);
            c.createStatement().execute("ANALYZE decision");
        }
        assertThat(repository.queueDepth(uc, null)).isEqualTo(3);
        assertThat(repository.queueDepth(uc, "m1")).isEqualTo(3);
        assertThat(repository.queueDepth(uc, "m2")).isZero();
        try (Connection c = db.getConnection()) {
            QueryPlans.Plan plan = QueryPlans.explain(c, OversightRepository.QUEUE_DEPTH,
                    ps -> OversightRepository.bindQueueDepth(ps, uc, null));
            // Three waiting decisions are a few blocks; the use case's 20,000 released ones, hundreds.
            assertThat(QueryPlans.blocks(plan)).as("blocks the plan touched: %s", plan).isLessThan(20);
        }
    }

    private static void insert(Connection c, String uc, String status, int n) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO decision (id, use_case, owner, model_version,"
                + " request_hash, route, status, raw_confidence, calibrated_confidence, reasons, policy_version,"
                + " calibrator_version, required_reviews, output, verdicts, created_at) SELECT gen_random_uuid(), ?,"
                + " 'seed', 'm1', '\\x00', CASE WHEN ? = 'RELEASED' THEN 'RELEASE' ELSE 'REVIEW' END, ?, 0.9, 0.9,"
                + " '{}', 1, 1, 1, '{\"label\":\"approve\"}', '[]', now() - g * interval '1 minute'"
                + " FROM generate_series(1, ?) g")) {
            ps.setString(1, uc);
            ps.setString(2, status);
            ps.setString(3, status);
            ps.setInt(4, n);
            ps.executeUpdate();
        }
    }
}

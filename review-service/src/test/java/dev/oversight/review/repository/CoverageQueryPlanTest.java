package dev.oversight.review.repository;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import dev.oversight.common.testing.PostgresResource;
import dev.oversight.common.testing.QueryPlans;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The coverage watch runs every 30 s on every instance: its query must not read the open tasks that require nothing
 * (nearly all of them), or its cost grows with the queue (475 ms a check at 360,000 open tasks before V13).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class CoverageQueryPlanTest {

    @Inject
    AgroalDataSource db;

    @Inject
    TaskRepository tasks;

    @Test
    void theCoverageCheckReadsOnlyTheOpenTasksThatRequireSomething() throws Exception {
        String useCase = "plan-" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = db.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO task (id, decision_id, kind, use_case,"
                    + " required_reviews, created_at, due_at, hard_deadline_at, on_review_timeout, status,"
                    + " required_qualifications) SELECT gen_random_uuid(), gen_random_uuid(), 'REVIEW', ?, 1, now(),"
                    + " now() + interval '1 hour', now() + interval '2 hours', 'HOLD', 'OPEN',"
                    + " CASE WHEN g <= 3 THEN ARRAY[?] ELSE '{}'::text[] END FROM generate_series(1, 5000) g")) {
                ps.setString(1, useCase);
                ps.setString(2, useCase + "-licence");
                ps.executeUpdate();
            }
            try {
                c.createStatement().execute("ANALYZE task");
                assertThat(tasks.uncovered(c)).containsEntry(useCase, 3L);
                QueryPlans.Plan plan = QueryPlans.explain(c, TaskRepository.UNCOVERED, ps -> { });
                assertThat(QueryPlans.sum(plan.json(), CoverageQueryPlanTest::read))
                        .as("open tasks the check read: %s", plan).isLessThan(100);
            } finally {
                // Nobody may claim them in another test.
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM task WHERE use_case = ?")) {
                    ps.setString(1, useCase);
                    ps.executeUpdate();
                }
            }
        }
    }

    /** Rows a scan of the task table read, kept or thrown away (a node of another relation reads none of them). */
    private static long read(JsonNode node) {
        return "task".equals(node.path("Relation Name").asText())
                ? node.path("Actual Rows").asLong(0) * Math.max(1, node.path("Actual Loops").asLong(1))
                        + QueryPlans.rowsRemoved(node)
                : 0;
    }
}

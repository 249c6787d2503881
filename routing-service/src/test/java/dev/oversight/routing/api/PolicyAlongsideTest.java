package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.uniqueUseCase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oversight.common.failure.Failure;
import dev.oversight.common.testing.PostgresResource;
import dev.oversight.routing.domain.ModelVersions;
import dev.oversight.routing.domain.OnDrift;
import dev.oversight.routing.domain.OnReviewTimeout;
import dev.oversight.routing.domain.Policy;
import dev.oversight.routing.domain.command.Actor;
import dev.oversight.routing.policy.service.PolicyService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What is recorded alongside a policy version (a promotion's labels, record and event) exists exactly when the
 * version does: a failure of either leaves neither.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PolicyAlongsideTest {

    @Inject
    PolicyService policies;

    @Inject
    AgroalDataSource db;

    private static Policy allowing(String... versions) {
        return new Policy(0.8, 0.05, 0.05, 0, List.of(), List.of(), 1, 3600, OnReviewTimeout.HOLD, false,
                List.of(Policy.ANY_APP), OnDrift.ALERT, false, null, null,
                new ModelVersions(List.of(versions), ModelVersions.OnNew.REVIEW_ALL));
    }

    @Test
    void aFailureAlongsideLeavesNoPolicyVersion_andWhatWasWrittenAlongsideIsRolledBack() throws Exception {
        String uc = uniqueUseCase("alongside");
        Actor alice = new Actor("alice", "test", "alice");
        policies.putPolicy(uc, allowing("m1"), alice);
        assertThatThrownBy(() -> policies.putPolicy(uc, allowing("m1", "m2"), alice, (c, saved) -> {
            c.createStatement().execute("INSERT INTO outbox_probe_missing_table VALUES (1)");
        })).isInstanceOf(Failure.Unavailable.class);
        assertThat(count("SELECT count(*) FROM policy WHERE use_case = '" + uc + "'")).isEqualTo(1);

        policies.putPolicy(uc, allowing("m1", "m2"), alice, (c, saved) -> {
            try (var ps = c.prepareStatement("INSERT INTO label (use_case, model_version, confidence, correct, weight,"
                    + " source) VALUES (?, 'm2', 0.9, true, 1, 'alongside')")) {
                ps.setString(1, uc);
                ps.executeUpdate();
            }
        });
        assertThat(count("SELECT count(*) FROM policy WHERE use_case = '" + uc + "'")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM label WHERE use_case = '" + uc + "' AND source = 'alongside'"))
                .isEqualTo(1);
    }

    private long count(String sql) throws SQLException {
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

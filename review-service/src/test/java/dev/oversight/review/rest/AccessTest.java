package dev.oversight.review.rest;

import dev.oversight.common.testing.AccessMatrix;
import dev.oversight.common.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every /v1 endpoint of the review service needs a rule here before it can land. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class AccessTest {

    static final List<AccessMatrix.Rule> RULES = List.of();

    @Test
    void everyEndpointHasAnAccessRule() {
        AccessMatrix.assertCoversEveryEndpoint(RULES);
    }

    @Test
    void everyRuleIsEnforced_forEveryRoleAndEveryBadToken() {
        RULES.forEach(AccessMatrix::assertEnforced);
    }
}

package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.putPolicy;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.problem.Problems;
import dev.oversight.common.testing.PostgresResource;
import dev.oversight.routing.decide.service.DecisionWriter;
import dev.oversight.routing.decide.service.RouteCommand;
import dev.oversight.routing.decide.service.RoutingService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Decisions share group commits; one the database refuses must fail alone. The edge refuses what it knows to be
 * unstorable, so this test hands the router a command directly, past the edge, as a value the edge did not foresee
 * would arrive.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class WriteIsolationTest {

    @Inject
    RoutingService routing;

    @Inject
    AgroalDataSource db;

    @Test
    void oneUnstorableDecision_failsAlone_andEveryNeighbourInItsBatchIsStored() throws Exception {
        String uc = uniqueUseCase("isolation");
        putPolicy(uc, "{\"threshold\":0.5,\"auditSampleRate\":0,\"apps\":[\"*\"]}").then().statusCode(201);
        int n = 300;
        int bad = 150;
        List<CompletableFuture<DecisionWriter.Stored>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // Submitted back to back from one thread, so the writers take them in batches of many.
            // attributes are stored as jsonb, which cannot hold U+0000.
            ObjectNode attributes = JsonNodeFactory.instance.objectNode()
                    .put("note", i == bad ? "cannot be stored: \u0000" : "fine");
            RouteCommand command = new RouteCommand("isolation-app", "isolation-app", uc, "m1", IntNode.valueOf(i),
                    0.9, null, null, attributes, "key-" + i, null);
            futures.add(routing.route(command).toCompletableFuture());
        }
        int stored = 0;
        for (int i = 0; i < n; i++) {
            try {
                futures.get(i).join();
                stored++;
                assertThat(i).as("only the unstorable decision may fail").isNotEqualTo(bad);
            } catch (CompletionException e) {
                assertThat(i).as("decision %d failed: %s", i, e.getCause()).isEqualTo(bad);
                assertThat(e.getCause()).isInstanceOf(Failure.class);
                assertThat(Problems.of((Failure) e.getCause()).status()).isEqualTo(400);
            }
        }
        assertThat(stored).isEqualTo(n - 1);
        assertThat(Api.countDecisions(db, uc)).isEqualTo(n - 1);
    }
}

package dev.oversight.audit.rest;

import static dev.oversight.audit.rest.AuditApi.event;
import static dev.oversight.audit.rest.AuditApi.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.oversight.audit.domain.NewEvent;
import dev.oversight.audit.service.AuditLog;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.problem.Problems;
import dev.oversight.audit.testing.AuditDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The log's promises at their edges: an event is immutable, and one bad event never fails another's append. */
@QuarkusTest
@WithTestResource(AuditDatabase.class)
class AppendEdgesTest {

    @Inject
    AuditLog log;

    @Test
    void sameEventIdWithAnotherBody_is409NamingTheId_andTheFirstBodyStays() {
        UUID id = UUID.randomUUID();
        String subject = UUID.randomUUID().toString();
        String first = "[" + event(id, "DECISION_MADE", subject, "{\"route\":\"RELEASE\"}") + "]";
        long index = json().body(first).post("/v1/events").then().statusCode(200)
                .extract().jsonPath().getLong("items[0].index");

        UUID other = UUID.randomUUID();
        String changed = "[" + event(other, "DECISION_MADE", subject, "{\"n\":1}") + ","
                + event(id, "DECISION_MADE", subject, "{\"route\":\"BLOCK\"}") + "]";
        json().body(changed).post("/v1/events").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString(id.toString()));
        json().get("/v1/events/{i}", index).then().statusCode(200)
                .body("canonical", containsString("\"route\":\"RELEASE\""));
        // The request's other event was appended; an identical replay of either is a duplicate, not a conflict.
        json().body("[" + event(other, "DECISION_MADE", subject, "{\"n\":1}") + "]").post("/v1/events").then()
                .statusCode(200).body("items[0].duplicate", equalTo(true));
        json().body(first).post("/v1/events").then().statusCode(200)
                .body("items[0].duplicate", equalTo(true)).body("items[0].index", equalTo((int) index));
    }

    @Test
    void sameEventIdTwiceInOneRequestWithDifferentBodies_isAConflict() {
        UUID id = UUID.randomUUID();
        String subject = UUID.randomUUID().toString();
        json().body("[" + event(id, "DECISION_MADE", subject, "{\"a\":1}") + ","
                        + event(id, "DECISION_MADE", subject, "{\"a\":2}") + "]")
                .post("/v1/events").then().statusCode(409).body("detail", containsString(id.toString()));
    }

    @Test
    void anEventLargerThanOneTileEntry_is413_andOneThatFitsIsAppended() {
        String subject = UUID.randomUUID().toString();
        // The envelope of event() is 275 bytes in canonical form; with {"note":"..."} (11 more) one entry is full.
        String fits = "{\"note\":\"" + "x".repeat(65_535 - 286) + "\"}";
        long index = json().body("[" + event(UUID.randomUUID(), "DECISION_MADE", subject, fits) + "]")
                .post("/v1/events").then().statusCode(200).extract().jsonPath().getLong("items[0].index");
        assertThat(json().get("/v1/events/{i}", index).then().statusCode(200).extract().jsonPath()
                .getString("canonical").getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(65_535);
        String over = "{\"note\":\"" + "x".repeat(65_535 - 285) + "\"}";
        json().body("[" + event(UUID.randomUUID(), "DECISION_MADE", subject, over) + "]")
                .post("/v1/events").then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("65535 bytes"));
    }

    @Test
    void nulCharacterInAnEvent_is400NamingTheField() {
        String subject = UUID.randomUUID().toString();
        json().body("[" + event(UUID.randomUUID(), "DECISION_MADE", subject, "{\"note\":{\"x\":\"a\\u0000\"}}") + "]")
                .post("/v1/events").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("[0].payload.note.x"));
        json().body("[" + event(UUID.randomUUID(), "DECISION_MADE", subject + "\\u0000", "{}") + "]")
                .post("/v1/events").then().statusCode(400).body("errors.field", hasItem("[0].subjectId"));
    }

    @Test
    void oneEventTheDatabaseRefuses_failsAlone_andItsBatchNeighboursAreAppended() {
        int n = 200;
        int bad = 77;
        long before = log.size();
        List<CompletableFuture<List<AuditLog.Appended>>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            UUID id = UUID.randomUUID();
            // Past the edge (which refuses U+0000): the sequencer must isolate what the database refuses.
            String actor = i == bad ? "producer\u0000" : "producer";
            futures.add(log.append(List.of(new NewEvent(id, "TEST_EVENT", OffsetDateTime.now(), actor, "s-" + i,
                    null, null, null, "{\"eventId\":\"" + id + "\",\"i\":" + i + "}"))));
        }
        int appended = 0;
        for (int i = 0; i < n; i++) {
            try {
                futures.get(i).join();
                appended++;
            } catch (CompletionException e) {
                assertThat(i).as("event %d failed: %s", i, e.getCause()).isEqualTo(bad);
                assertThat(Problems.of((Failure) e.getCause()).status()).isEqualTo(400);
            }
        }
        assertThat(appended).isEqualTo(n - 1);
        assertThat(log.size()).isGreaterThanOrEqualTo(before + n - 1);
        json().post("/v1/verify").then().statusCode(200).body("ok", equalTo(true));
    }
}

package dev.oversight.audit.rest;

import static dev.oversight.audit.rest.AuditApi.event;
import static dev.oversight.audit.rest.AuditApi.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.oversight.audit.testing.AuditDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Verification resumes where the last good pass stopped; a full pass still reads every event. */
@QuarkusTest
@WithTestResource(AuditDatabase.class)
class VerificationTest {

    @Test
    void verify_resumesFromTheLastVerifiedCheckpoint_andOnlyAFullPassRereadsOlderEvents() throws Exception {
        long oldIndex = append(3);
        json().post("/v1/checkpoints").then().statusCode(200);
        JsonPath full = json().queryParam("full", true).post("/v1/verify").then().statusCode(200)
                .body("ok", equalTo(true)).body("mode", equalTo("FULL")).body("checkedFrom", equalTo(0))
                .extract().jsonPath();
        long verifiedUpTo = full.getLong("checkedUpTo");

        append(4);
        long size = json().post("/v1/checkpoints").then().statusCode(200).extract().jsonPath().getLong("treeSize");
        JsonPath incremental = json().post("/v1/verify").then().statusCode(200)
                .body("ok", equalTo(true)).body("mode", equalTo("INCREMENTAL")).extract().jsonPath();
        assertThat(incremental.getLong("checkedFrom")).isGreaterThanOrEqualTo(verifiedUpTo).isGreaterThan(oldIndex);
        assertThat(incremental.getLong("checkedUpTo")).isGreaterThanOrEqualTo(size);
        assertThat(incremental.getInt("checkpointsVerified")).isGreaterThanOrEqualTo(1);

        // A change behind the verified point is not re-read by an incremental pass; a full pass finds it.
        AuditDatabase.tamper("UPDATE event SET canonical = replace(canonical, 'APPROVE', 'REJECT') WHERE idx = " + oldIndex);
        try {
            json().post("/v1/verify").then().statusCode(200).body("mode", equalTo("INCREMENTAL"));
            json().queryParam("full", true).post("/v1/verify").then().statusCode(200)
                    .body("ok", equalTo(false)).body("firstMismatch", equalTo((int) oldIndex));
        } finally {
            AuditDatabase.tamper("UPDATE event SET canonical = replace(canonical, 'REJECT', 'APPROVE') WHERE idx = " + oldIndex);
        }
        json().queryParam("full", true).post("/v1/verify").then().body("ok", equalTo(true));
    }

    /** Appends events; returns the index of the first. */
    private static long append(int n) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "" : ",").append(event(UUID.randomUUID(), "VERDICT_SUBMITTED", "verify-" + i,
                    "{\"verdict\":\"APPROVE\"}"));
        }
        return json().body(body.append("]").toString()).post("/v1/events").then().statusCode(200)
                .extract().jsonPath().getLong("items[0].index");
    }

}

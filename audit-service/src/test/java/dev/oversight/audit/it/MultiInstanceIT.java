package dev.oversight.audit.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oversight.common.testing.PostgresResource;
import dev.oversight.common.testing.ServiceProcess;
import dev.oversight.common.testing.Tokens;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Two audit-service processes on one database: one sequence of indexes, one tree, one signing key. */
class MultiInstanceIT {

    @Test
    void twoInstances_appendOneContiguousLog_andSignTheSameTree() throws Exception {
        Map<String, String> env = Map.of(
                "AUDIT_DB_URL", "jdbc:postgresql://localhost:" + PostgresResource.server().getPort() + "/postgres",
                "AUDIT_CHECKPOINT_KEY_FILE", Path.of("target", "it-audit-key.pem").toAbsolutePath().toString());
        List<UUID> shared = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            shared.add(UUID.randomUUID());
        }
        ServiceProcess.migrate("audit", Path.of("target", "quarkus-app", "quarkus-run.jar"), env);
        try (ServiceProcess a = ServiceProcess.start("audit-a", env);
             ServiceProcess b = ServiceProcess.start("audit-b", env)) {
            ExecutorService pool = Executors.newFixedThreadPool(12);
            List<Callable<List<Long>>> clients = new ArrayList<>();
            for (int c = 0; c < 12; c++) {
                String url = c % 2 == 0 ? a.url() : b.url();
                clients.add(() -> {
                    List<Long> fresh = new ArrayList<>();
                    for (int r = 0; r < 10; r++) {
                        StringBuilder body = new StringBuilder("[");
                        for (int i = 0; i < 20; i++) {
                            body.append(i == 0 ? "" : ",").append(event(UUID.randomUUID()));
                        }
                        shared.forEach(id -> body.append(",").append(event(id)));
                        JsonPath res = given().baseUri(url).auth().oauth2(Tokens.of("routing-service", "service"))
                                .contentType("application/json").body(body.append("]").toString()).post("/v1/events")
                                .then().statusCode(200).extract().jsonPath();
                        List<Boolean> dup = res.getList("items.duplicate", Boolean.class);
                        List<Long> idx = res.getList("items.index", Long.class);
                        for (int i = 0; i < idx.size(); i++) {
                            if (!dup.get(i)) {
                                fresh.add(idx.get(i));
                            }
                        }
                    }
                    return fresh;
                });
            }
            TreeSet<Long> all = new TreeSet<>();
            int count = 0;
            try {
                for (Future<List<Long>> f : pool.invokeAll(clients)) {
                    count += f.get().size();
                    all.addAll(f.get());
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(count).isEqualTo(12 * 10 * 20 + shared.size());
            assertThat(all).hasSize(count);
            assertThat(all.first()).isZero();
            assertThat(all.last()).isEqualTo(count - 1L);

            JsonPath cpA = checkpoint(a.url());
            JsonPath cpB = checkpoint(b.url());
            assertThat(cpA.getLong("treeSize")).isEqualTo(cpB.getLong("treeSize"));
            assertThat(cpA.getString("rootHash")).isEqualTo(cpB.getString("rootHash"));
            assertThat(cpA.getString("keyId")).isEqualTo(cpB.getString("keyId"));
            given().baseUri(b.url()).auth().oauth2(Tokens.of("it", "auditor")).post("/v1/verify").then()
                    .statusCode(200).body("ok", org.hamcrest.Matchers.equalTo(true));
        }
    }

    private static JsonPath checkpoint(String url) {
        return given().baseUri(url).auth().oauth2(Tokens.of("it", "admin")).post("/v1/checkpoints").then()
                .statusCode(200).extract().jsonPath();
    }

    private static String event(UUID id) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"DECISION_MADE\",\"occurredAt\":\"2026-11-23T12:00:00Z\","
                + "\"actor\":\"it\",\"subjectId\":\"s\",\"payload\":{}}";
    }
}

package dev.oversight.system;

import static dev.oversight.common.testing.Stack.Service.AUDIT;
import static dev.oversight.common.testing.Stack.Service.REVIEW;
import static dev.oversight.common.testing.Stack.Service.ROUTING;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;

import com.sun.net.httpserver.HttpServer;
import dev.oversight.common.testing.Stack;
import dev.oversight.common.testing.Tokens;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The three services and PostgreSQL as separate processes, driven only through their APIs: a decision from the app,
 * through a reviewer, back to the app and into a verified audit trail; then the faults the system must survive.
 */
class SystemIT {

    private static final Duration CATCH_UP = Duration.ofSeconds(90);
    private static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack().startAll();
    }

    /** A fault test that failed half-way may have left a service down; every test starts with all three up. */
    @BeforeEach
    void everyServiceUp() {
        stack.startMissing();
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aDecision_travelsFromTheApp_throughAReviewer_backToTheApp_andIntoAVerifiedTrail() throws Exception {
        String uc = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        java.time.Instant start = java.time.Instant.now();
        policy(uc, "{\"threshold\":0.8,\"auditSampleRate\":0.0,\"apps\":[\"*\"]}");
        // The app's own webhook secret, shown once to the admin who creates it.
        String secret = as("admin", "ops", ROUTING).post("/v1/apps/{app}/webhook-secret", "claims-app").then()
                .statusCode(201).extract().path("secret");
        BlockingQueue<Map.Entry<Map<String, List<String>>, String>> callbacks = new LinkedBlockingQueue<>();
        HttpServer app = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        app.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
            callbacks.add(Map.entry(headers, new String(body, StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        app.start();
        try {
            String trace = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(uc.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
            String hook = "http://localhost:" + app.getAddress().getPort() + "/hook";
            String released = route(uc, 0.95, null, null).then().body("route", equalTo("RELEASE")).extract().path("decisionId");
            Response approved = as("app", "claims-app", ROUTING).header("traceparent", "00-" + trace + "-00f067aa0ba902b7-01")
                    .body(routeBody(uc, 0.42, null, hook)).post("/v1/route");
            approved.then().statusCode(200).body("route", equalTo("REVIEW")).body("status", equalTo("PENDING_REVIEW"));
            String reviewedId = approved.path("decisionId");
            String correctedId = route(uc, 0.3, null, null).then().body("route", equalTo("REVIEW")).extract().path("decisionId");

            // A reviewer works the queue; the tasks arrive through the router's outbox.
            Map<String, String> judgedBy = new ConcurrentHashMap<>();
            eventually("both tasks reach the review queue and are judged", () -> {
                judgeNext(uc, "rita", judgedBy);
                return judgedBy.size() == 2;
            });

            // The app long-polls and sees the reviewers' outcomes.
            as("app", "claims-app", ROUTING).get("/v1/decisions/{id}?waitSeconds=30", reviewedId).then().statusCode(200)
                    .body("status", equalTo("APPROVED")).body("finalOutput.claim", equalTo("approve"))
                    .body("verdicts[0].reviewer", equalTo("rita"));
            as("app", "claims-app", ROUTING).get("/v1/decisions/{id}?waitSeconds=30", correctedId).then()
                    .body("status", equalTo("CORRECTED")).body("finalOutput.claim", equalTo("deny"));

            // The app's callback: signed, once, with the final state.
            Map.Entry<Map<String, List<String>>, String> call = callbacks.poll(30, TimeUnit.SECONDS);
            assertThat(call).as("callback").isNotNull();
            assertThat(JsonPath.from(call.getValue()).getString("status")).isEqualTo("APPROVED");
            assertThat(JsonPath.from(call.getValue()).getString("decisionId")).isEqualTo(reviewedId);
            // Verified as an app would, with the Standard Webhooks library and the app's secret.
            new com.standardwebhooks.Webhook(secret).verify(call.getValue(), call.getKey());
            eventually("the callback is recorded as delivered", () -> "DELIVERED".equals(as("app", "claims-app", ROUTING)
                    .get("/v1/decisions/{id}", reviewedId).path("callback.status")));
            assertThat(callbacks).isEmpty();

            // The router learned from the reviews: one label each, none for the released output.
            assertThat(routerLabels(reviewedId)).isEqualTo("true");
            assertThat(routerLabels(correctedId)).isEqualTo("false");
            assertThat(routerLabels(released)).isNull();

            // The audit trail of the reviewed decision is complete, in one trace, and every proof verifies.
            List<String> expected = List.of("DECISION_MADE", "TASK_CREATED", "TASK_CLAIMED", "VERDICT_SUBMITTED",
                    "OUTCOME_FINAL");
            eventually("the trail is complete", () -> trailTypes(reviewedId).containsAll(expected));
            JsonPath trail = as("auditor", "ava", AUDIT).get("/v1/trails/{id}", reviewedId).then().statusCode(200)
                    .extract().jsonPath();
            // Each service's events keep their order; the two services' relays interleave freely.
            assertThat(trail.getList("items.type", String.class)).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(Set.copyOf(trail.getList("items.traceId", String.class))).containsExactly(trace);
            for (int i = 0; i < expected.size(); i++) {
                Map<String, Object> item = trail.getMap("items[" + i + "]");
                assertThat(Merkle.leafHash((String) item.get("canonical"))).isEqualTo(item.get("leafHash"));
                assertThat(Merkle.verifyInclusion((String) item.get("leafHash"), trail.getLong("items[" + i + "].inclusionProof.leafIndex"),
                        trail.getLong("treeSize"), trail.getList("items[" + i + "].inclusionProof.hashes", String.class),
                        trail.getString("rootHash"))).as("inclusion proof of %s", item.get("type")).isTrue();
            }
            assertThat(trailTypes(released)).containsExactly("DECISION_MADE");

            // The app keeps its decision's receipts, made by the audit log, and anyone checks them offline with the
            // log's vkey alone; another app gets none.
            String vkey = as("auditor", "ava", AUDIT).get("/v1/checkpoints/public-key").then().statusCode(200)
                    .extract().path("vkey");
            for (String event : List.of("DECISION_MADE", "OUTCOME_FINAL")) {
                String[] receipt = new String[1];
                eventually("the " + event + " receipt, once a checkpoint covers it", () -> {
                    Response r = as("app", "claims-app", ROUTING).get("/v1/decisions/{id}/receipt?event=" + event,
                            reviewedId);
                    receipt[0] = r.asString();
                    return r.statusCode() == 200;
                });
                java.nio.file.Path file = java.nio.file.Files.createTempFile("decision", ".tlog-proof");
                java.nio.file.Files.writeString(file, receipt[0], StandardCharsets.UTF_8);
                String out = verify("--receipt", file.toString(), "--log-vkey", vkey);
                assertThat(out).startsWith("OK").contains("\"" + event + "\"").contains(reviewedId);
                java.nio.file.Files.delete(file);
            }
            as("app", "other-app", ROUTING).get("/v1/decisions/{id}/receipt", reviewedId).then().statusCode(404);


            // A released output is reversed afterwards: the app hears of it through its callback, signed, and the
            // trail records it.
            String reversed = route(uc, 0.97, null, hook).then().body("route", equalTo("RELEASE")).extract()
                    .path("decisionId");
            as("senior-reviewer", "sam", ROUTING).body("{\"reason\":\"wrong tariff\",\"output\":{\"claim\":\"deny\"}}")
                    .post("/v1/decisions/{id}/override", reversed).then().statusCode(200)
                    .body("status", equalTo("OVERRIDDEN"));
            Map.Entry<Map<String, List<String>>, String> reversal = callbacks.poll(30, TimeUnit.SECONDS);
            assertThat(reversal).as("override callback").isNotNull();
            new com.standardwebhooks.Webhook(secret).verify(reversal.getValue(), reversal.getKey());
            assertThat(JsonPath.from(reversal.getValue()).getString("decisionId")).isEqualTo(reversed);
            assertThat(JsonPath.from(reversal.getValue()).getString("status")).isEqualTo("OVERRIDDEN");
            assertThat(JsonPath.from(reversal.getValue()).getString("finalOutput.claim")).isEqualTo("deny");
            eventually("the override is in the trail", () -> trailTypes(reversed).contains("DECISION_OVERRIDDEN"));
            // A serious incident freezes its evidence: one ZIP an investigator checks offline; a changed file fails.
            String incident = as("admin", "ops", ROUTING).body("{\"useCase\":\"" + uc + "\",\"severity\":\"SERIOUS\","
                    + "\"awareAt\":\"" + java.time.Instant.now().minusSeconds(60) + "\",\"decisionIds\":[\"" + reviewedId
                    + "\",\"" + released + "\",\"" + reversed + "\"],\"summary\":\"a covered claim was denied\"}")
                    .post("/v1/incidents").then().statusCode(201).extract().path("id");
            byte[][] zip = new byte[1][];
            eventually("the incident's evidence, once every receipt is signed", () -> {
                Response r = as("auditor", "ava", ROUTING).get("/v1/incidents/{id}/evidence", incident);
                zip[0] = r.asByteArray();
                return r.statusCode() == 200;
            });
            java.nio.file.Path bundle = java.nio.file.Files.createTempFile("incident", ".zip");
            java.nio.file.Files.write(bundle, zip[0]);
            assertThat(verify("--evidence", bundle.toString(), "--log-vkey", vkey))
                    .contains("decisions/" + reviewedId + ".OUTCOME_FINAL.tlog-proof")
                    .contains("decisions/" + released + ".DECISION_MADE.tlog-proof").contains("OK: evidence of incident "
                            + incident).contains("4 receipts verify");
            try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(
                    new java.io.ByteArrayInputStream(zip[0]))) {
                List<String> names = new ArrayList<>();
                for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    names.add(e.getName());
                }
                assertThat(names).contains("decisions/" + reversed + ".override.json", "policies/v1.json",
                        "calibrators/v1.json", "mode-history.json", "checkpoint.txt", "manifest.json");
            }
            java.nio.file.Files.write(bundle, rewritten(zip[0], "decisions/" + released + ".json",
                    "{\"status\":\"BLOCKED\"}"));
            assertThatThrownBy(() -> verify("--evidence", bundle.toString(), "--log-vkey", vkey))
                    .hasMessageContaining("SHA-256 differs");
            java.nio.file.Files.delete(bundle);

            // The period's signed oversight report: its PDF carries what it states and the receipt of REPORT_ISSUED,
            // which names that data's SHA-256 and verifies offline.
            JsonPath report = as("auditor", "ava", ROUTING).body("{\"from\":\"" + start + "\",\"to\":\""
                    + java.time.Instant.now() + "\"}").post("/v1/use-cases/{uc}/reports", uc).then().statusCode(201)
                    .extract().jsonPath();
            byte[][] pdf = new byte[1][];
            eventually("the report's PDF, once its REPORT_ISSUED event is signed", () -> {
                Response r = as("auditor", "ava", ROUTING).get("/v1/use-cases/{uc}/reports/{id}?format=pdf", uc,
                        report.getString("id"));
                pdf[0] = r.asByteArray();
                return r.statusCode() == 200;
            });
            try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(pdf[0])) {
                assertThat(new org.apache.pdfbox.text.PDFTextStripper().getText(doc)).contains("Oversight report: " + uc)
                        .contains(report.getString("sha256"));
                Map<String, byte[]> attached = new java.util.HashMap<>();
                for (var f : new org.apache.pdfbox.pdmodel.PDDocumentNameDictionary(doc.getDocumentCatalog())
                        .getEmbeddedFiles().getNames().values()) {
                    attached.put(f.getFilename(), f.getEmbeddedFile().toByteArray());
                }
                assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                        attached.get("report.json")))).isEqualTo(report.getString("sha256"));
                // The reviewers' reliance on the model, as the review service measured the period, is part of it.
                assertThat(new String(attached.get("report.json"), StandardCharsets.UTF_8)).contains("\"overReliance\":{")
                        .contains("\"approvalShown\"").doesNotContain("\"available\":false");
                java.nio.file.Path proof = java.nio.file.Files.createTempFile("report", ".tlog-proof");
                java.nio.file.Files.write(proof, attached.get("report.tlog-proof"));
                assertThat(verify("--receipt", proof.toString(), "--log-vkey", vkey)).startsWith("OK")
                        .contains("\"type\":\"REPORT_ISSUED\"").contains(report.getString("sha256"));
                java.nio.file.Files.delete(proof);
            }
            verifyLog();
        } finally {
            app.stop(0);
        }
    }

    /**
     * A person's erasure reaches every service: the router erases at once, the review service once the message
     * arrives, the audit log records how many; every proof still verifies, and with the salts gone the key no longer
     * confirms a guess of the text from the log's digest.
     */
    @Test
    void anErasure_reachesEveryService_everyProofStillVerifies_andTheLogConfirmsNoGuess() throws Exception {
        String uc = "erasure-" + UUID.randomUUID().toString().substring(0, 8);
        policy(uc, "{\"threshold\":0.9,\"auditSampleRate\":0.0,\"apps\":[\"*\"]}");
        String output = "{\"claim\":\"pay Ms Erasure\"}";
        String id = as("app", "claims-app", ROUTING).body("{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\","
                + "\"input\":{\"letter\":\"I am Ms Erasure\"},\"output\":" + output + ",\"confidence\":0.3,"
                + "\"attributes\":{\"customer\":{\"id\":\"C-9\"}}}").post("/v1/route").then().statusCode(200)
                .extract().path("decisionId");
        eventually("the review task arrives", () -> queued(uc).size() == 1);
        eventually("a checkpoint covers DECISION_MADE", () -> as("app", "claims-app", ROUTING)
                .get("/v1/decisions/{id}/receipt?event=DECISION_MADE", id).statusCode() == 200);
        String made = as("auditor", "ava", AUDIT).get("/v1/trails/{id}", id).then().statusCode(200).extract()
                .jsonPath().getString("items[0].canonical");
        String outputHmac = made.replaceAll(".*\"outputHmac\":\"([0-9a-f]{64})\".*", "$1");
        assertThat(outputHmac).hasSize(64);

        as("admin", "ops", ROUTING).body("{\"subjectAttribute\":{\"useCase\":\"" + uc + "\",\"path\":\"customer.id\","
                + "\"value\":\"C-9\"},\"reason\":\"Art. 17 request\"}").post("/v1/erasures").then().statusCode(201)
                .body("decisions", equalTo(1));
        eventually("the review service erases its copy", () -> as("admin", "ops", REVIEW)
                .get("/v1/tasks?useCase={uc}", uc).then().extract().jsonPath().get("items[0].output") == null);
        eventually("the audit log records the erasure", () -> as("auditor", "ava", AUDIT)
                .get("/v1/events?type=ERASURE&useCase={uc}", uc).then().extract().jsonPath()
                .getList("items").size() == 1);
        for (Stack.Service s : List.of(ROUTING, REVIEW)) {
            try (Connection c = stack.db(s); ResultSet rs = c.createStatement().executeQuery(s == ROUTING
                    ? "SELECT row_to_json(d)::text, digest_salt IS NULL FROM decision d WHERE id = '" + id + "'"
                    : "SELECT row_to_json(t)::text, NOT EXISTS (SELECT 1 FROM decision_salt WHERE decision_id = '"
                    + id + "') FROM task t WHERE decision_id = '" + id + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as("%s", s).doesNotContain("Ms Erasure").doesNotContain("C-9");
                assertThat(rs.getBoolean(2)).as("%s has no salt left", s).isTrue();
            }
        }
        String digestKey = "service-process-digest-key-0123456789abcdef";
        assertThat(new dev.oversight.common.crypto.KeyedDigest(digestKey).hex(output)).isNotEqualTo(outputHmac);

        String vkey = as("auditor", "ava", AUDIT).get("/v1/checkpoints/public-key").then().statusCode(200)
                .extract().path("vkey");
        Response receipt = as("app", "claims-app", ROUTING).get("/v1/decisions/{id}/receipt?event=DECISION_MADE", id);
        assertThat(receipt.statusCode()).isEqualTo(200);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("erased", ".tlog-proof");
        java.nio.file.Files.writeString(file, receipt.asString(), StandardCharsets.UTF_8);
        assertThat(verify("--receipt", file.toString(), "--log-vkey", vkey)).startsWith("OK").contains(outputHmac);
        java.nio.file.Files.delete(file);
        as("app", "claims-app", ROUTING).get("/v1/decisions/{id}", id).then().statusCode(200)
                .body("erased", equalTo(true));
        verifyLog();
    }

    @Test
    void auditServiceDown_routingKeepsAnswering_andEveryEventArrivesExactlyOnce_evenWhenItDiesWhileCatchingUp()
            throws Exception {
        String uc = "audit-down-" + UUID.randomUUID().toString().substring(0, 8);
        policy(uc, "{\"threshold\":0.8,\"auditSampleRate\":0.0,\"apps\":[\"*\"]}");
        stack.stop(AUDIT);
        List<String> acknowledged;
        try {
            acknowledged = routeMany(uc, 1000, 8, new AtomicBoolean(true));
        } finally {
            stack.start(AUDIT);
        }
        assertThat(acknowledged).hasSize(1000);
        // Let the backlog start draining, then kill the audit service in the middle of it and bring it back.
        eventually("the backlog starts reaching the audit log", () -> !auditedDecisions(uc).isEmpty());
        stack.kill(AUDIT);
        stack.start(AUDIT);
        eventually("all 1000 decisions reach the audit log", () -> auditedDecisions(uc).size() >= 1000);
        List<String> audited = auditedDecisions(uc);
        assertThat(audited).hasSize(1000);
        assertThat(new TreeSet<>(audited)).isEqualTo(new TreeSet<>(acknowledged));
        verifyLog();
    }

    @Test
    void reviewServiceDown_reviewDecisionsAreStillAcknowledged_andTheirTasksAppearOnceItIsBack() throws Exception {
        String uc = "review-down-" + UUID.randomUUID().toString().substring(0, 8);
        policy(uc, "{\"threshold\":0.8,\"auditSampleRate\":0.0,\"apps\":[\"*\"]}");
        stack.stop(REVIEW);
        List<String> tasks = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                tasks.add(route(uc, 0.2, null, null).then().statusCode(200).body("route", equalTo("REVIEW"))
                        .extract().path("reviewTaskId"));
            }
        } finally {
            stack.start(REVIEW);
        }
        eventually("20 tasks in the queue", () -> queued(uc).size() == 20);
        assertThat(new TreeSet<>(queued(uc))).isEqualTo(new TreeSet<>(tasks));
    }

    @Test
    void routerKilledMidLoad_losesNoAcknowledgedDecision_andDuplicatesNothingInTheAuditLog() throws Exception {
        String uc = "router-kill-" + UUID.randomUUID().toString().substring(0, 8);
        policy(uc, "{\"threshold\":0.8,\"auditSampleRate\":0.0,\"apps\":[\"*\"]}");
        AtomicBoolean go = new AtomicBoolean(true);
        ExecutorService load = Executors.newSingleThreadExecutor();
        Future<List<String>> routed = load.submit(() -> routeMany(uc, 100_000, 8, go));
        List<String> acknowledged;
        try {
            eventually("the router acknowledges decisions under load", () -> decisionCount(uc) >= 200);
            stack.kill(ROUTING);
            go.set(false);
            acknowledged = routed.get(60, TimeUnit.SECONDS);
        } finally {
            go.set(false);
            load.shutdownNow();
            stack.start(ROUTING);
        }
        assertThat(acknowledged).as("decisions acknowledged before the kill").isNotEmpty();
        try (Connection c = stack.db(ROUTING); var ps = c.prepareStatement(
                "SELECT count(*) FROM decision WHERE id::text = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", acknowledged.toArray()));
            ResultSet rs = ps.executeQuery();
            rs.next();
            assertThat(rs.getInt(1)).as("acknowledged decisions stored").isEqualTo(acknowledged.size());
        }
        eventually("every acknowledged decision reaches the audit log",
                () -> auditedDecisions(uc).containsAll(acknowledged));
        List<String> audited = auditedDecisions(uc);
        assertThat(audited).as("no decision audited twice").doesNotHaveDuplicates();
        verifyLog();
    }

    @Test
    void postgresRestartedUnderLoad_servicesRecoverOnTheirOwn_readinessShowsTheOutage_andNothingAcknowledgedIsLost()
            throws Exception {
        String uc = "pg-restart-" + UUID.randomUUID().toString().substring(0, 8);
        policy(uc, "{\"threshold\":0.8,\"auditSampleRate\":0.0,\"apps\":[\"*\"]}");
        AtomicBoolean go = new AtomicBoolean(true);
        ExecutorService load = Executors.newSingleThreadExecutor();
        Future<List<String>> routed = load.submit(() -> routeMany(uc, 1_000_000, 4, go));
        List<String> acknowledged;
        try {
            eventually("decisions are being stored", () -> decisionCount(uc) >= 50);
            stack.stopPostgres();
            for (Stack.Service s : Stack.Service.values()) {
                eventually(s + " reports not ready", () -> ready(s) == 503);
            }
            route(uc, 0.95, null, null).then().statusCode(503).contentType("application/problem+json")
                    .body("detail", org.hamcrest.Matchers.containsString("safe only with an idempotencyKey"));
            stack.resumePostgres();
            for (Stack.Service s : Stack.Service.values()) {
                eventually(s + " ready again", () -> ready(s) == 200);
            }
            long afterOutage = decisionCount(uc);
            eventually("decisions are stored again after the outage", () -> decisionCount(uc) > afterOutage);
        } finally {
            go.set(false);
            acknowledged = routed.get(60, TimeUnit.SECONDS);
            load.shutdownNow();
        }
        assertThat(acknowledged).isNotEmpty();
        // Everything flows again: a new REVIEW decision reaches the queue, and every acknowledged decision the log.
        String task = route(uc, 0.2, null, null).then().statusCode(200).extract().path("reviewTaskId");
        eventually("the new task reaches the queue", () -> queued(uc).contains(task));
        eventually("every acknowledged decision reaches the audit log",
                () -> auditedDecisions(uc).containsAll(acknowledged));
        assertThat(auditedDecisions(uc)).doesNotHaveDuplicates();
        verifyLog();
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private static RequestSpecification as(String role, String subject, Stack.Service service) {
        return given().baseUri(stack.url(service)).auth().oauth2(Tokens.of(subject, role)).contentType("application/json");
    }

    private static void policy(String uc, String json) {
        as("admin", "ops", ROUTING).body(json).put("/v1/use-cases/{uc}/policy", uc).then().statusCode(oneOf(200, 201));
    }

    private static String routeBody(String uc, double confidence, String key, String callbackUrl) {
        return "{\"useCase\":\"" + uc + "\",\"modelVersion\":\"m1\",\"input\":{\"text\":\"burst pipe\"},"
                + "\"output\":{\"claim\":\"approve\"},\"confidence\":" + confidence
                + (key == null ? "" : ",\"idempotencyKey\":\"" + key + "\"")
                + (callbackUrl == null ? "" : ",\"callbackUrl\":\"" + callbackUrl + "\"") + "}";
    }

    private static Response route(String uc, double confidence, String key, String callbackUrl) {
        return as("app", "claims-app", ROUTING).body(routeBody(uc, confidence, key, callbackUrl)).post("/v1/route");
    }

    /** Routes up to {@code n} outputs from several clients while {@code go} holds; the ids answered with 200. */
    private static List<String> routeMany(String uc, int n, int clients, AtomicBoolean go) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Callable<List<String>>> work = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            work.add(() -> {
                List<String> ids = new ArrayList<>();
                for (int i = client; i < n && go.get(); i += clients) {
                    try {
                        Response r = route(uc, i % 2 == 0 ? 0.95 : 0.3, null, null);
                        if (r.statusCode() == 200) {
                            ids.add(r.path("decisionId"));
                        }
                    } catch (Exception connectionLost) {
                        // the router is gone: this request was never acknowledged
                    }
                }
                return ids;
            });
        }
        List<String> all = new ArrayList<>();
        try {
            for (Future<List<String>> f : pool.invokeAll(work)) {
                all.addAll(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        return all;
    }

    /** Claims the next task of the use case and judges it (CORRECT for low confidence, else APPROVE). */
    private static boolean judgeNext(String uc, String reviewer, Map<String, String> judged) {
        Response claim = as("reviewer", reviewer, REVIEW).body("{\"useCase\":\"" + uc + "\"}").post("/v1/tasks/claim-next");
        if (claim.statusCode() == 204) {
            return false;
        }
        claim.then().statusCode(200);
        String task = claim.path("taskId");
        long token = claim.jsonPath().getLong("leaseToken");
        boolean low = claim.jsonPath().getDouble("rawConfidence") < 0.4;
        String verdict = low ? "{\"leaseToken\":" + token + ",\"verdict\":\"CORRECT\",\"rationale\":\"excluded peril\","
                + "\"correctedOutput\":{\"claim\":\"deny\"}}" : "{\"leaseToken\":" + token + ",\"verdict\":\"APPROVE\"}";
        as("reviewer", reviewer, REVIEW).body(verdict).post("/v1/tasks/{id}/verdict", task).then().statusCode(200);
        judged.put(task, low ? "CORRECT" : "APPROVE");
        return true;
    }

    private static int ready(Stack.Service s) {
        try {
            return given().baseUri(stack.url(s)).get("/q/health/ready").statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static List<String> queued(String uc) {
        return as("admin", "ops", REVIEW).get("/v1/tasks?useCase={uc}&limit=500", uc).then().statusCode(200)
                .extract().jsonPath().getList("items.taskId", String.class);
    }

    private static List<String> trailTypes(String decisionId) {
        Response r = as("auditor", "ava", AUDIT).get("/v1/trails/{id}", decisionId);
        return r.statusCode() == 200 ? r.jsonPath().getList("items.type", String.class) : List.of();
    }

    /** The decision ids of every DECISION_MADE of the use case in the audit log, one per event. */
    private static List<String> auditedDecisions(String uc) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            RequestSpecification req = as("auditor", "ava", AUDIT).queryParam("type", "DECISION_MADE")
                    .queryParam("useCase", uc).queryParam("limit", 500);
            if (cursor != null) {
                req.queryParam("cursor", cursor);
            }
            JsonPath page = req.get("/v1/events").then().statusCode(200).extract().jsonPath();
            ids.addAll(page.getList("items.subjectId", String.class));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return ids;
    }

    private static String routerLabels(String decisionId) throws Exception {
        try (Connection c = stack.db(ROUTING); ResultSet rs = c.createStatement().executeQuery(
                "SELECT string_agg(correct::text, ',') FROM label WHERE decision_id = '" + decisionId + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void verifyLog() {
        as("auditor", "ava", AUDIT).post("/v1/verify").then().statusCode(200).body("ok", equalTo(true));
    }

    /** Decisions of the use case the router has stored. */
    private static long decisionCount(String uc) throws Exception {
        try (Connection c = stack.db(ROUTING); var ps = c.prepareStatement("SELECT count(*) FROM decision WHERE use_case = ?")) {
            ps.setString(1, uc);
            ResultSet rs = ps.executeQuery();
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The offline verifier in the audit service's jar, as an auditor runs it; fails with its output unless exit 0. */
    private static String verify(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", java.nio.file.Path.of(System.getProperty(
                "oversight.root", ".."), "audit-service", "target", "quarkus-app", "quarkus-run.jar").toString(),
                "verify"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError("verify failed: " + out);
        }
        return out;
    }

    /** The ZIP with one file's content replaced. */
    private static byte[] rewritten(byte[] zip, String name, String content) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip));
             java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(out)) {
            for (java.util.zip.ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] bytes = in.readAllBytes();
                z.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                z.write(e.getName().equals(name) ? content.getBytes(StandardCharsets.UTF_8) : bytes);
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static void eventually(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (System.nanoTime() < deadline) {
            if (Boolean.TRUE.equals(condition.call())) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Not within " + CATCH_UP + ": " + what);
    }
}

package dev.oversight.clients;

import static dev.oversight.common.testing.Stack.Service.REVIEW;
import static dev.oversight.common.testing.Stack.Service.ROUTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.oversight.client.Decision;
import dev.oversight.client.Oversight;
import dev.oversight.client.OversightException;
import dev.oversight.client.RouteRequest;
import dev.oversight.client.WaitTimeoutException;
import dev.oversight.client.Webhooks;
import dev.oversight.common.testing.Stack;
import dev.oversight.common.testing.Tokens;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Java client ({@code clients/java}) against the real services (embedded PostgreSQL and the three service jars). */
@ExtendWith(SharedStack.class)
class JavaClientIT {

    private static final String APP = "java-app";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Stack stack;
    private static Oversight client;
    private String useCase;

    @BeforeAll
    static void start() throws Exception {
        stack = SharedStack.get();
        client = new Oversight(URI.create(stack.url(ROUTING)), Tokens.of(APP, "app"));
    }

    @BeforeEach
    void policy() throws Exception {
        useCase = "java-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> r = call("PUT", stack.url(ROUTING) + "/v1/use-cases/" + useCase + "/policy",
                Tokens.of("java-admin", "admin"), "{\"apps\":[\"*\"],\"threshold\":0.8,\"auditSampleRate\":0,"
                        + "\"tools\":[{\"name\":\"pay\"},{\"name\":\"refund\",\"route\":\"REVIEW\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    @Test
    void aConfidentOutputIsReleased_andARetryWithItsKeyIsTheSameDecision() {
        Decision d = client.route(RouteRequest.output(useCase, "m1", Map.of("label", "approve")).confidence(0.95)
                .idempotencyKey("k-" + useCase));
        assertThat(d.route()).isEqualTo("RELEASE");
        assertThat(d.isFinal()).isTrue();
        Decision again = client.route(RouteRequest.output(useCase, "m1", Map.of("label", "approve")).confidence(0.95)
                .idempotencyKey("k-" + useCase));
        assertThat(again.decisionId()).isEqualTo(d.decisionId());
        assertThat(again.replayed()).isTrue();
        assertThat(client.decision(d.decisionId()).finalOutput().get("label").asText()).isEqualTo("approve");
    }

    @Test
    void badInputIsATypedProblemNamingTheField_andAnUnknownDecisionIsNotFound() {
        assertThatThrownBy(() -> client.route(RouteRequest.toolCall(useCase, "m1", "bad name!", Map.of())
                .confidence(0.9))).isInstanceOfSatisfying(OversightException.BadRequest.class,
                        e -> assertThat(e.fields()).containsExactly("toolCall.name"));
        assertThatThrownBy(() -> client.route(RouteRequest.toolCall(useCase, "m1", "pay", Map.of()).confidence(0.9)
                .trajectory(List.of(Map.of("kind", "thought", "content", "x")))))
                .isInstanceOfSatisfying(OversightException.BadRequest.class,
                        e -> assertThat(e.fields()).containsExactly("trajectory[0].kind"));
        assertThatThrownBy(() -> client.route(RouteRequest.output(useCase, "m1", 1).confidence(0.9)
                .shadow(List.of(Map.of("modelVersion", "m2", "output", 1)))))
                .isInstanceOfSatisfying(OversightException.BadRequest.class,
                        e -> assertThat(e.fields()).containsExactly("shadow[0].confidence"));
        assertThatThrownBy(() -> client.decision(UUID.randomUUID().toString()))
                .isInstanceOf(OversightException.NotFound.class);
    }

    @Test
    void aReviewedCallWaitsForAPerson_andTheWaitTimesOutBeforeThat() throws Exception {
        Decision d = client.routeToolCall(useCase, "agent-1", "refund", Map.of("invoice", "INV-7", "amount", 120), 0.95);
        assertThat(d.route()).isEqualTo("REVIEW");
        assertThat(d.kind()).isEqualTo("TOOL_CALL");
        assertThatThrownBy(() -> client.waitFor(d.decisionId(), Duration.ofSeconds(1)))
                .isInstanceOf(WaitTimeoutException.class);
        CompletableFuture<Decision> waiting = CompletableFuture.supplyAsync(
                () -> client.waitFor(d.decisionId(), Duration.ofSeconds(30)));
        judge("CORRECT", ",\"rationale\":\"half for now\",\"correctedOutput\":{\"name\":\"refund\","
                + "\"arguments\":{\"invoice\":\"INV-7\",\"amount\":60}}");
        Decision done = waiting.get(30, TimeUnit.SECONDS);
        assertThat(done.status()).isEqualTo("CORRECTED");
        assertThat(done.finalOutput().at("/arguments/amount").asInt()).isEqualTo(60);

        Decision asked = client.routeToolCall(useCase, "agent-1", "refund", Map.of("invoice", "INV-8", "amount", 15), 0.95);
        judge("APPROVE", "");
        Decision approved = client.waitFor(asked.decisionId(), Duration.ofSeconds(30));
        assertThat(approved.status()).isEqualTo("APPROVED");
        assertThat(approved.finalOutput().at("/arguments/amount").asInt()).isEqualTo(15);
    }

    @Test
    void aRejectedCallCarriesTheFeedback_aBlockedOneItsReasons_andAnAdminOverridesARelease() throws Exception {
        Decision blocked = client.routeToolCall(useCase, "agent-1", "wire_abroad", Map.of(), 0.99);
        assertThat(blocked.status()).isEqualTo("BLOCKED");
        assertThat(blocked.reasons()).containsExactly("TOOL_NOT_ALLOWED");

        Decision refund = client.routeToolCall(useCase, "agent-1", "refund", Map.of("amount", 500), 0.99);
        judge("REJECT", ",\"rationale\":\"a voucher was already given\"");
        Decision rejected = client.waitFor(refund.decisionId(), Duration.ofSeconds(30));
        assertThat(rejected.status()).isEqualTo("REJECTED");
        assertThat(rejected.finalOutput()).isNull();
        assertThat(rejected.feedback()).isEqualTo("a voucher was already given");

        Decision paid = client.routeToolCall(useCase, "agent-1", "pay", Map.of("amount", 5), 0.99);
        Oversight admin = new Oversight(URI.create(stack.url(ROUTING)), Tokens.of("java-admin", "admin"));
        Decision overridden = admin.override(paid.decisionId(), "paid twice", null);
        assertThat(overridden.status()).isEqualTo("OVERRIDDEN");
    }

    @Test
    void theAppKeepsItsDecisionsAuditReceipt_whichNamesTheDecision() throws Exception {
        Decision d = client.route(RouteRequest.output(useCase, "m1", Map.of("claim", "pay")).confidence(0.99));
        String[] lines = client.receipt(d.decisionId(), "DECISION_MADE", Duration.ofSeconds(30)).split("\n");
        assertThat(lines[0]).isEqualTo("c2sp.org/tlog-proof@v1");
        JsonNode event = JSON.readTree(java.util.Base64.getDecoder().decode(lines[1].substring("extra ".length())));
        assertThat(event.get("type").asText()).isEqualTo("DECISION_MADE");
        assertThat(event.get("subjectId").asText()).isEqualTo(d.decisionId());
        assertThatThrownBy(() -> client.receipt(d.decisionId(), "OUTCOME_FINAL", Duration.ZERO))
                .isInstanceOf(OversightException.class).extracting(e -> ((OversightException) e).status())
                .isEqualTo(409);
    }

    @Test
    void aRealCallbackVerifies_andAnAlteredOneDoesNot() throws Exception {
        HttpResponse<String> created = call("POST", stack.url(ROUTING) + "/v1/apps/" + APP + "/webhook-secret",
                Tokens.of("java-admin", "admin"), null);
        assertThat(created.statusCode()).as(created.body()).isBetween(200, 201);
        String secret = JSON.readTree(created.body()).get("secret").asText();
        CompletableFuture<Map.Entry<Map<String, String>, byte[]>> received = new CompletableFuture<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
            received.complete(Map.entry(headers, body));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            Decision d = client.route(RouteRequest.output(useCase, "m1", Map.of("label", "deny")).confidence(0.2)
                    .callbackUrl("http://localhost:" + server.getAddress().getPort() + "/hook"));
            judge("APPROVE", "");
            Map.Entry<Map<String, String>, byte[]> delivery = received.get(30, TimeUnit.SECONDS);
            Webhooks.verify(secret, delivery.getKey(), delivery.getValue());
            JsonNode body = JSON.readTree(delivery.getValue());
            assertThat(body.get("decisionId").asText()).isEqualTo(d.decisionId());
            byte[] altered = new String(delivery.getValue()).replace("APPROVED", "REJECTED").getBytes();
            assertThatThrownBy(() -> Webhooks.verify(secret, delivery.getKey(), altered))
                    .isInstanceOf(Webhooks.InvalidSignatureException.class);
            // Signed, but with another secret: what a forger who knows the format but not the app's secret sends.
            Map<String, String> forged = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            forged.putAll(delivery.getKey());
            forged.put("webhook-signature", Webhooks.sign("whsec_" + "QUJD".repeat(8), forged.get("webhook-id"),
                    Long.parseLong(forged.get("webhook-timestamp")), delivery.getValue()));
            assertThatThrownBy(() -> Webhooks.verify(secret, forged, delivery.getValue()))
                    .isInstanceOf(Webhooks.InvalidSignatureException.class);
        } finally {
            server.stop(0);
        }
    }

    /** A person's verdict through the review API, on the use case's next task (once the router delivered it). */
    private void judge(String verdict, String rest) throws Exception {
        String reviewer = Tokens.of("java-reviewer-" + UUID.randomUUID().toString().substring(0, 6), "reviewer");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        HttpResponse<String> claimed;
        do {
            claimed = call("POST", stack.url(REVIEW) + "/v1/tasks/claim-next", reviewer,
                    "{\"useCase\":\"" + useCase + "\"}");
            if (claimed.statusCode() == 204) {
                assertThat(System.nanoTime()).as("a task reached the review service").isLessThan(deadline);
                Thread.sleep(200);
            }
        } while (claimed.statusCode() == 204);
        assertThat(claimed.statusCode()).as(claimed.body()).isEqualTo(200);
        JsonNode task = JSON.readTree(claimed.body());
        HttpResponse<String> given = call("POST", stack.url(REVIEW) + "/v1/tasks/" + task.get("taskId").asText()
                + "/verdict", reviewer, "{\"leaseToken\":" + task.get("leaseToken").asLong() + ",\"verdict\":\""
                + verdict + "\"" + rest + "}");
        assertThat(given.statusCode()).as(given.body()).isEqualTo(200);
    }

    private static HttpResponse<String> call(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}

package dev.oversight.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A client of Oversight's routing service for JVM apps: {@code new Oversight(URI.create("http://localhost:8091"),
 * token)}. Every call answers typed values or throws an {@link OversightException} carrying the service's problem
 * document. Requests that are safe to repeat (reads, and routes, which always carry an idempotency key: one is
 * generated when the caller sets none) are retried on connection failures and on 429/502/503/504, with exponential
 * backoff; an override is never retried. Thread-safe.
 */
public final class Oversight {

    private static final Set<Integer> RETRY_STATUSES = Set.of(429, 502, 503, 504);
    private static final int MAX_WAIT_SECONDS = 60;

    private final URI base;
    private final String token;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Duration timeout;
    private final int retries;
    private final Duration backoff;

    public Oversight(URI base, String token) {
        this(base, token, Duration.ofSeconds(10), 3, Duration.ofMillis(200));
    }

    public Oversight(URI base, String token, Duration timeout, int retries, Duration backoff) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.token = token;
        this.timeout = timeout;
        this.retries = retries;
        this.backoff = backoff;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Routes an output or a tool call: RELEASE, REVIEW or BLOCK, decided inline. */
    public Decision route(RouteRequest request) {
        ObjectNode body = request.body();
        if (!body.hasNonNull("idempotencyKey")) {
            // A retry after a lost answer must return the same decision, not make a second one.
            body.put("idempotencyKey", "java-" + UUID.randomUUID());
        }
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/v1/route"))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).header("Content-Type",
                        "application/json"), true, timeout);
        return Decision.of(read(r.body()), r.headers().firstValue("Idempotent-Replayed").orElse("").equals("true"));
    }

    /** Routes an agent's next action before it runs. */
    public Decision routeToolCall(String useCase, String modelVersion, String name, Map<String, ?> arguments,
                                  double confidence) {
        return route(RouteRequest.toolCall(useCase, modelVersion, name, arguments).confidence(confidence));
    }

    /** The decision as it stands. */
    public Decision decision(String decisionId) {
        return decision(decisionId, 0);
    }

    /** The decision, held by the router until it is final or {@code waitSeconds} (at most 60) have passed. */
    public Decision decision(String decisionId, int waitSeconds) {
        int wait = Math.max(0, Math.min(MAX_WAIT_SECONDS, waitSeconds));
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/v1/decisions/" + decisionId
                + (wait > 0 ? "?waitSeconds=" + wait : ""))).GET(), true, timeout.plusSeconds(wait));
        return Decision.of(read(r.body()), false);
    }

    /**
     * Waits (long polls, 60 s at a time) until the decision is final; throws {@link WaitTimeoutException} when
     * {@code timeout} passes first.
     */
    public Decision waitFor(String decisionId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            // Whole seconds, rounded up: a last fraction of a second is one short long poll, not a spin of reads.
            long remaining = Math.max(0, (deadline - System.nanoTime() + 999_999_999L) / 1_000_000_000L);
            Decision d = decision(decisionId, (int) Math.min(MAX_WAIT_SECONDS, remaining));
            if (d.isFinal()) {
                return d;
            }
            if (System.nanoTime() >= deadline) {
                throw new WaitTimeoutException(decisionId, timeout);
            }
        }
    }

    /**
     * The audit log's receipt of the decision's {@code DECISION_MADE} (or, once reviewed, {@code OUTCOME_FINAL}) event:
     * a C2SP tlog-proof text to keep, which the audit service's verifier checks offline with the log's vkey. A new
     * event gets its receipt once a checkpoint covers it (seconds): until then the router answers 409, and this waits
     * up to {@code timeout}, then throws that {@link OversightException}.
     */
    public String receipt(String decisionId, String event, Duration timeout) {
        if (!event.equals("DECISION_MADE") && !event.equals("OUTCOME_FINAL")) {
            throw new IllegalArgumentException("event must be DECISION_MADE or OUTCOME_FINAL");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return send(HttpRequest.newBuilder(uri("/v1/decisions/" + decisionId + "/receipt?event=" + event))
                        .GET(), true, this.timeout, "text/plain").body();
            } catch (OversightException e) {
                if (e.status() != 409 || System.nanoTime() >= deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Reverses a released decision (admin, senior reviewer): it becomes OVERRIDDEN, with {@code output} (may be null)
     * in place of the released one. Never retried: repeating it is not harmless.
     */
    public Decision override(String decisionId, String reason, Object output) {
        ObjectNode body = json.createObjectNode().put("reason", reason);
        if (output != null) {
            body.set("output", json.valueToTree(output));
        }
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/v1/decisions/" + decisionId + "/override"))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).header("Content-Type",
                        "application/json"), false, timeout);
        return Decision.of(read(r.body()), false);
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, boolean retry, Duration requestTimeout) {
        return send(request, retry, requestTimeout, "application/json");
    }

    private HttpResponse<String> send(HttpRequest.Builder request, boolean retry, Duration requestTimeout,
                                      String accept) {
        HttpRequest built = request.header("Authorization", "Bearer " + token).header("Accept", accept)
                .timeout(requestTimeout).build();
        int attempts = 1 + (retry ? retries : 0);
        for (int attempt = 0; ; attempt++) {
            boolean last = attempt == attempts - 1;
            HttpResponse<String> r;
            try {
                r = http.send(built, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (last) {
                    throw OversightException.of(0, "No answer", built.method() + " " + built.uri() + ": " + e,
                            null, List.of());
                }
                pause(attempt, null);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw OversightException.of(0, "Interrupted", built.method() + " " + built.uri(), null, List.of());
            }
            if (r.statusCode() < 400) {
                return r;
            }
            if (RETRY_STATUSES.contains(r.statusCode()) && !last) {
                pause(attempt, r.headers().firstValue("Retry-After").orElse(null));
                continue;
            }
            throw problem(r);
        }
    }

    private void pause(int attempt, String retryAfter) {
        long millis = backoff.toMillis() << attempt;
        if (retryAfter != null && retryAfter.matches("\\d{1,4}")) {
            millis = Math.max(millis, Math.min(30_000, Long.parseLong(retryAfter) * 1000));
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private OversightException problem(HttpResponse<String> r) {
        JsonNode doc;
        try {
            doc = json.readTree(r.body());
        } catch (IOException e) {
            doc = json.createObjectNode();
        }
        List<OversightException.FieldError> errors = new ArrayList<>();
        doc.path("errors").forEach(e -> errors.add(new OversightException.FieldError(e.path("field").asText(),
                e.path("message").asText())));
        String title = doc.hasNonNull("title") ? doc.get("title").asText() : "HTTP " + r.statusCode();
        return OversightException.of(r.statusCode(), title, doc.hasNonNull("detail") ? doc.get("detail").asText() : null,
                doc.hasNonNull("type") ? doc.get("type").asText() : null, errors);
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw OversightException.of(0, "Unreadable answer", e.getMessage(), null, List.of());
        }
    }
}

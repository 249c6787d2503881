package dev.oversight.routing.decide.client;

import dev.oversight.common.failure.Failure;
import dev.oversight.common.security.ServiceAuthConfig;
import dev.oversight.routing.config.service.RoutingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Reads a decision's receipt (a C2SP tlog-proof) from the audit service with this service's own token, for callers
 * the router has already checked: the app that owns the decision, auditors and admins.
 */
@ApplicationScoped
public class AuditReceipts {

    private final Optional<URI> auditUrl;
    private final ServiceAuthConfig auth;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile Supplier<String> tokens;

    public AuditReceipts(RoutingConfig config, ServiceAuthConfig auth) {
        this.auditUrl = config.auditUrl();
        this.auth = auth;
    }

    /** The receipt text of the decision's first event of {@code type}; 409 while the log or a checkpoint lacks it. */
    public String receipt(UUID decisionId, String type) {
        String base = auditUrl.map(URI::toString).map(u -> u.replaceAll("/+$", "")).orElseThrow(() ->
                new Failure.Unavailable("Receipts come from the audit service, and none is configured"
                        + " (routing.audit-url)."));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/trails/" + decisionId + "/receipt?type="
                        + type))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token()).GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failure.Unavailable("The audit service cannot be reached for the receipt; retry.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure.Unavailable("Interrupted while reading the receipt; retry.");
        }
        return switch (response.statusCode()) {
            case 200 -> response.body();
            case 404 -> throw new Failure.Conflict("The decision's " + type + " event has not reached the audit log"
                    + " yet (events are delivered within seconds); retry shortly.");
            case 409 -> throw new Failure.Conflict("The decision's " + type + " event is not in a signed checkpoint"
                    + " yet (one is signed every few seconds); retry shortly.");
            default -> throw new Failure.Unavailable("The audit service answered HTTP " + response.statusCode()
                    + " for the receipt; retry.");
        };
    }

    private String token() {
        Supplier<String> t = tokens;
        if (t == null) {
            t = auth.tokens();
            tokens = t;
        }
        return t.get();
    }
}

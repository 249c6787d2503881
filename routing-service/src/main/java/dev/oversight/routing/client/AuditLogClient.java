package dev.oversight.routing.client;

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
 * Reads from the audit log with this service's own token, for callers the router has already checked: a decision's
 * receipt (a C2SP tlog-proof) for the app that owns it, auditors and admins, and the newest checkpoint.
 */
@ApplicationScoped
public class AuditLogClient {

    private final Optional<URI> auditUrl;
    private final ServiceAuthConfig auth;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile Supplier<String> tokens;

    public AuditLogClient(RoutingConfig config, ServiceAuthConfig auth) {
        this.auditUrl = config.auditUrl();
        this.auth = auth;
    }

    /** The receipt text of the decision's first event of {@code type}; 409 while the log or a checkpoint lacks it. */
    public String receipt(UUID decisionId, String type) {
        return receiptAt("/v1/trails/" + decisionId + "/receipt?type=" + type, "The decision's " + type + " event");
    }

    /** The receipt of the event this service wrote with {@code eventId}; 409 while the log or a checkpoint lacks it. */
    public String receiptOfEvent(UUID eventId, String what) {
        return receiptAt("/v1/receipts/" + eventId, what);
    }

    private String receiptAt(String path, String what) {
        HttpResponse<String> response = get(path, "the receipt");
        return switch (response.statusCode()) {
            case 200 -> response.body();
            case 404 -> throw new Failure.Conflict(what + " has not reached the audit log yet (events are delivered"
                    + " within seconds); retry shortly.");
            case 409 -> throw new Failure.Conflict(what + " is not in a signed checkpoint yet (one is signed every few"
                    + " seconds); retry shortly.");
            default -> throw unexpected(response, "the receipt");
        };
    }

    /** The newest checkpoint as the log signed it, with its witnesses' cosignatures (a C2SP signed note). */
    public String checkpoint() {
        HttpResponse<String> response = get("/checkpoint", "the checkpoint");
        if (response.statusCode() == 200) {
            return response.body();
        }
        if (response.statusCode() == 404) {
            throw new Failure.Conflict("The audit log has not signed a checkpoint yet; retry shortly.");
        }
        throw unexpected(response, "the checkpoint");
    }

    private HttpResponse<String> get(String path, String what) {
        String base = auditUrl.map(URI::toString).map(u -> u.replaceAll("/+$", "")).orElseThrow(() ->
                new Failure.Unavailable("Receipts and checkpoints come from the audit service, and none is configured"
                        + " (routing.audit-url)."));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token()).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failure.Unavailable("The audit service cannot be reached for " + what + "; retry.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure.Unavailable("Interrupted while reading " + what + "; retry.");
        }
    }

    private static Failure unexpected(HttpResponse<String> response, String what) {
        return new Failure.Unavailable("The audit service answered HTTP " + response.statusCode() + " for " + what
                + "; retry.");
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

package dev.oversight.routing.client;

import dev.oversight.common.failure.Failure;
import dev.oversight.routing.config.service.RoutingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads from the audit log with this service's own token, for callers the router has already checked: a decision's
 * receipt (a C2SP tlog-proof) for the app that owns it, auditors and admins, and the newest checkpoint.
 */
@ApplicationScoped
public class AuditLogClient {

    private static final String SERVICE = "audit service";

    private final Optional<URI> auditUrl;
    private final ServiceHttp http;

    public AuditLogClient(RoutingConfig config, ServiceHttp http) {
        this.auditUrl = config.auditUrl();
        this.http = http;
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
        return http.get(auditUrl, path, SERVICE, "routing.audit-url", what);
    }

    private static Failure unexpected(HttpResponse<String> response, String what) {
        return ServiceHttp.unexpected(response, SERVICE, what);
    }
}

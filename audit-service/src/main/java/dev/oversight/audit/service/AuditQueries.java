package dev.oversight.audit.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.common.json.CanonicalJson;
import dev.oversight.common.crypto.KeyedDigest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oversight.common.id.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/** Auditor access is itself audited: each query is appended to the log (who, what, which filter) before it is answered. */
@ApplicationScoped
public class AuditQueries {

    public static final String AUDIT_QUERY = "AUDIT_QUERY";

    private final AuditLog log;
    private final CanonicalEvents canonical;
    private final ObjectMapper json;
    private final KeyedDigest digest;

    public AuditQueries(AuditLog log, CanonicalEvents canonical, ObjectMapper json, KeyedDigest digest) {
        this.digest = digest;
        this.log = log;
        this.canonical = canonical;
        this.json = json;
    }

    public void record(String actor, String query, Map<String, Object> filter) {
        ObjectNode payload = json.createObjectNode();
        payload.put("query", query);
        // What was looked for can name people or decisions: the log keeps a keyed digest of it, not the words.
        payload.put("filterHmac", digest.hex(CanonicalJson.of(json.valueToTree(filter))));
        try {
            log.append(List.of(canonical.prepare("audit-query", Ids.newId(), AUDIT_QUERY,
                    OffsetDateTime.now(ZoneOffset.UTC), actor, query, null, null, payload))).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}

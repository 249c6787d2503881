package dev.oversight.console.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oversight.console.client.AuditApi;
import dev.oversight.console.client.AuditEvent;
import dev.oversight.console.client.Decision;
import dev.oversight.console.client.Page;
import dev.oversight.console.client.RoutingApi;
import dev.oversight.console.client.ServiceException;
import dev.oversight.console.domain.Person;
import dev.oversight.console.service.ConsoleConfig;
import dev.oversight.console.service.Session;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The auditor's side. Pages carry the evidence (canonical JSON, inclusion and consistency proofs, signed
 * checkpoints, public keys) and a script checks it in the browser with WebCrypto: the page never presents the
 * server's word as verification.
 */
@Path("/audit")
@Produces(MediaType.TEXT_HTML)
public class AuditPages {

    private final Session session;
    private final AuditApi audit;
    private final RoutingApi routing;
    private final Views views;
    private final ConsoleConfig config;
    private final Template search;
    private final Template trail;
    private final Template checkpoints;
    private final Template verified;
    private final Template receipt;

    public AuditPages(Session session, @RestClient AuditApi audit, @RestClient RoutingApi routing, Views views,
                      ConsoleConfig config, @Location("audit/search.html") Template search,
                      @Location("audit/trail.html") Template trail,
                      @Location("audit/checkpoints.html") Template checkpoints,
                      @Location("audit/verified.html") Template verified,
                      @Location("audit/receipt.html") Template receipt) {
        this.receipt = receipt;
        this.session = session;
        this.audit = audit;
        this.routing = routing;
        this.views = views;
        this.config = config;
        this.search = search;
        this.trail = trail;
        this.checkpoints = checkpoints;
        this.verified = verified;
    }

    /** Search by decision, use case, type, actor and time; a decision id leads straight to its trail. */
    @GET
    public Response search(@QueryParam("decisionId") String decisionId, @QueryParam("useCase") String useCase,
                           @QueryParam("type") String type, @QueryParam("actor") String actor,
                           @QueryParam("from") String from, @QueryParam("to") String to,
                           @QueryParam("cursor") String cursor) {
        Person me = session.require();
        String decision = Views.orNull(decisionId);
        if (decision != null) {
            try {
                return Response.seeOther(java.net.URI.create("/audit/trails/" + UUID.fromString(decision))).build();
            } catch (IllegalArgumentException e) {
                throw new ServiceException(400, "A decision id is a UUID such as 0b9c7c1e-...; got '" + decision + "'.",
                        java.util.List.of());
            }
        }
        Query q = new Query(Views.orNull(useCase), Views.orNull(type), Views.orNull(actor), Views.orNull(from),
                Views.orNull(to));
        Page<AuditEvent> page = audit.events(q.type(), null, q.actor(), q.useCase(), q.from(), q.to(),
                Views.orNull(cursor), "desc", config.pageSize());
        return Response.ok(search.data("me", me).data("page", page).data("q", q)).build();
    }

    /** What the search form holds, to fill it again and to build the next page's link. */
    public record Query(String useCase, String type, String actor, String from, String to) {
        public String link() {
            StringBuilder s = new StringBuilder();
            add(s, "useCase", useCase);
            add(s, "type", type);
            add(s, "actor", actor);
            add(s, "from", from);
            add(s, "to", to);
            return s.toString();
        }

        private static void add(StringBuilder s, String name, String value) {
            if (value != null) {
                s.append('&').append(name).append('=')
                        .append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    /** A decision's lineage (route, task, verdicts, outcome) and every event of it, each checked in the browser. */
    @GET
    @Path("trails/{decisionId}")
    public TemplateInstance trail(@PathParam("decisionId") UUID decisionId) {
        Person me = session.require();
        JsonNode t = audit.trail(decisionId);
        Decision decision = null;
        try {
            decision = routing.decision(decisionId);
        } catch (ServiceException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
        ObjectNode evidence = JsonNodeFactory.instance.objectNode();
        evidence.set("checkpoint", t.path("checkpoint"));
        evidence.put("rootHash", t.path("rootHash").asText());
        evidence.put("treeSize", t.path("treeSize").asLong());
        ArrayNode events = evidence.putArray("events");
        for (JsonNode e : t.path("items")) {
            ObjectNode ev = events.addObject();
            ev.put("index", e.path("index").asLong());
            ev.put("canonical", e.path("canonical").asText());
            ev.set("proof", e.path("inclusionProof"));
        }
        if (t.hasNonNull("checkpoint")) {
            evidence.set("publicKey", audit.publicKey(t.get("checkpoint").path("keyId").asText()));
        }
        return trail.data("me", me).data("decisionId", decisionId).data("trail", views.plain(t))
                .data("decision", decision)
                .data("evidence", scriptSafe(evidence));
    }

    /** Reverses a released output (admins): the decision becomes OVERRIDDEN; the app and the trail learn of it. */
    @POST
    @Path("trails/{decisionId}/override")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public jakarta.ws.rs.core.Response override(@PathParam("decisionId") UUID decisionId,
                                                @FormParam("reason") String reason, @FormParam("confirm") String confirm) {
        Person me = session.require();
        if (reason == null || reason.isBlank() || !"yes".equals(confirm)) {
            throw new ServiceException(400, "Give the reason and tick the confirmation to reverse a released output.",
                    java.util.List.of());
        }
        routing.override(decisionId, new RoutingApi.OverrideBody(reason.strip()));
        return jakarta.ws.rs.core.Response.seeOther(java.net.URI.create("/audit/trails/" + decisionId)).build();
    }

    /** Signed checkpoints, newest first, with the consistency proof between each and the next older one. */
    @GET
    @Path("checkpoints")
    public TemplateInstance checkpoints(@QueryParam("cursor") String cursor) {
        Person me = session.require();
        JsonNode page = audit.checkpoints(Views.orNull(cursor), config.pageSize());
        ObjectNode evidence = JsonNodeFactory.instance.objectNode();
        ArrayNode list = evidence.putArray("checkpoints");
        ObjectNode keys = evidence.putObject("keys");
        Set<String> keyIds = new HashSet<>();
        JsonNode items = page.path("items");
        for (int i = 0; i < items.size(); i++) {
            JsonNode cp = items.get(i);
            ObjectNode entry = list.addObject();
            entry.set("checkpoint", cp);
            if (i + 1 < items.size() && items.get(i + 1).path("treeSize").asLong() > 0) {
                long older = items.get(i + 1).path("treeSize").asLong();
                entry.put("olderTreeSize", older);
                entry.set("consistency", audit.consistency(older, cp.path("treeSize").asLong()));
            }
            String keyId = cp.path("keyId").asText();
            if (keyIds.add(keyId)) {
                keys.set(keyId, audit.publicKey(keyId));
            }
        }
        return checkpoints.data("me", me).data("page", views.plain(page)).data("evidence", scriptSafe(evidence));
    }

    @POST
    @Path("verify")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance verify(@FormParam("full") String full) {
        Person me = session.require();
        return verified.data("me", me).data("result", audit.verify("yes".equals(full)))
                .data("full", "yes".equals(full));
    }

    /** The log as NDJSON, for the offline verifier. */
    @GET
    @Path("export")
    @Produces("application/x-ndjson")
    public Response export() {
        Person me = session.require();
        InputStream body = audit.export(null, null);
        return Response.ok(body).header("Content-Disposition", "attachment; filename=\"events.ndjson\"").build();
    }

    /** The newest checkpoint and its key, as the offline verifier reads them. */
    @GET
    @Path("checkpoint.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response checkpoint() {
        Person me = session.require();
        JsonNode latest = audit.checkpoints(null, 1).path("items").path(0);
        if (latest.isMissingNode()) {
            throw new ServiceException(404, "No checkpoint has been signed yet.", java.util.List.of());
        }
        return Response.ok(latest.toString())
                .header("Content-Disposition", "attachment; filename=\"checkpoint.json\"").build();
    }

    @GET
    @Path("public-key.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response publicKey(@QueryParam("keyId") String keyId) {
        Person me = session.require();
        return Response.ok(audit.publicKey(Views.orNull(keyId)).toString())
                .header("Content-Disposition", "attachment; filename=\"public-key.json\"").build();
    }

    /**
     * A receipt (C2SP tlog-proof) checked in this browser against a log key: the page offers the key the audit service
     * serves, which the auditor may replace with the one they trust; nothing is sent back to be checked.
     */
    @GET
    @Path("receipt")
    public TemplateInstance receipt() {
        Person me = session.require();
        return receipt.data("me", me).data("vkey", audit.publicKey(null).path("vkey").asText(""));
    }

    /** JSON to embed in a script element: "<" only occurs inside strings, where \u003c means the same. */
    private static String scriptSafe(JsonNode evidence) {
        return evidence.toString().replace("<", "\\u003c");
    }
}

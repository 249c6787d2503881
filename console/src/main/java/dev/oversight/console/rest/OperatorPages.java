package dev.oversight.console.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.oversight.console.client.Page;
import dev.oversight.console.client.PolicyVersion;
import dev.oversight.console.client.RoutingApi;
import dev.oversight.console.client.ServiceException;
import dev.oversight.console.client.UseCase;
import dev.oversight.console.client.UseCaseSummary;
import dev.oversight.console.domain.LineDiff;
import dev.oversight.console.domain.Mode;
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
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The operator's side: every use case with its human-in-command switch on the list itself, policy versions with
 * diffs and an editor that shows rule errors at their rule ({@link CalibrationPages}: calibration reports).
 */
@Path("/operate")
@Produces(MediaType.TEXT_HTML)
public class OperatorPages {

    private final Session session;
    private final RoutingApi routing;
    private final Views views;
    private final ConsoleConfig config;
    private final Template list;
    private final Template useCase;
    private final Template diff;
    private final Template edit;
    private final Template oversight;

    public OperatorPages(Session session, @RestClient RoutingApi routing, Views views, ConsoleConfig config,
                         @Location("operate/list.html") Template list,
                         @Location("operate/use-case.html") Template useCase,
                         @Location("operate/diff.html") Template diff,
                         @Location("operate/edit.html") Template edit,
                         @Location("operate/oversight.html") Template oversight) {
        this.session = session;
        this.routing = routing;
        this.views = views;
        this.config = config;
        this.list = list;
        this.useCase = useCase;
        this.diff = diff;
        this.edit = edit;
        this.oversight = oversight;
    }

    @GET
    public Response list(@QueryParam("cursor") String cursor, @QueryParam("changed") String changed,
                         @QueryParam("waiting") String waiting) {
        return listPage(session.require(), cursor, changed, waiting, null, null, 200);
    }

    /** Four eyes: approve another admin's pending (loosening) switch. */
    @POST
    @Path("use-cases/{useCase}/mode-changes/{id}/approve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response approveModeChange(@PathParam("useCase") String name, @PathParam("id") long id) {
        Person me = session.require();
        routing.approveModeChange(name, id);
        return Response.seeOther(URI.create("/operate/use-cases/" + enc(name))).build();
    }

    /** Four eyes: approve another admin's pending (loosening) policy version. */
    @POST
    @Path("use-cases/{useCase}/policies/{version}/approve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response approvePolicy(@PathParam("useCase") String name, @PathParam("version") int version) {
        Person me = session.require();
        routing.approvePolicy(name, version);
        return Response.seeOther(URI.create("/operate/use-cases/" + enc(name))).build();
    }

    /** Whether oversight works: the use case's figures over a window (default: the last 7 days). */
    @GET
    @Path("use-cases/{useCase}/oversight")
    public TemplateInstance oversight(@PathParam("useCase") String name, @QueryParam("from") String from,
                                      @QueryParam("to") String to, @QueryParam("modelVersion") String modelVersion) {
        Person me = session.require();
        return oversight.data("me", me).data("useCase", name)
                .data("r", routing.oversight(name, Views.orNull(from), Views.orNull(to), Views.orNull(modelVersion)))
                .data("from", Views.orNull(from)).data("to", Views.orNull(to))
                .data("modelVersion", Views.orNull(modelVersion));
    }

    /** The switch: effective on the routing service's next request; a reason and an explicit confirmation required. */
    @POST
    @Path("use-cases/{useCase}/mode")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response mode(@PathParam("useCase") String name, @FormParam("mode") String mode,
                         @FormParam("reason") String reason, @FormParam("confirm") String confirm) {
        Person me = session.require();
        Optional<Mode> m = Arrays.stream(Mode.values()).filter(x -> x.name().equals(mode)).findFirst();
        String error = m.isEmpty() ? "Choose AUTO, REVIEW_ALL or HALT."
                : reason == null || reason.isBlank() ? "Give the reason: it goes into the audit trail."
                : !"yes".equals(confirm) ? "Tick the confirmation to switch " + name + " to " + mode + "." : null;
        if (error == null) {
            try {
                UseCase uc = routing.setMode(name, new RoutingApi.ModeChange(m.get().name(), reason.strip()));
                boolean waiting = uc.mode() != m.get() && uc.pendingModeChange() != null;
                return Response.seeOther(URI.create("/operate?" + (waiting ? "waiting=" : "changed=") + enc(name)))
                        .build();
            } catch (ServiceException e) {
                if (e.status() != 400) {
                    throw e;
                }
                error = e.getMessage();
            }
        }
        return listPage(me, null, null, null, name, error, 400);
    }

    /** One button per use case: HALT at once, with the reason asked for in place (HALT only tightens oversight). */
    @POST
    @Path("use-cases/{useCase}/halt")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response halt(@PathParam("useCase") String name, @FormParam("reason") String reason) {
        Person me = session.require();
        if (reason == null || reason.isBlank()) {
            return listPage(me, null, null, null, name, "Give the reason for the HALT: it goes into the audit trail.",
                    400);
        }
        routing.setMode(name, new RoutingApi.ModeChange(Mode.HALT.name(), reason.strip()));
        return Response.seeOther(URI.create("/operate?changed=" + enc(name))).build();
    }

    @GET
    @Path("use-cases/{useCase}")
    public TemplateInstance useCase(@PathParam("useCase") String name, @QueryParam("policies") String policiesCursor,
                                    @QueryParam("calibrations") String calibrationsCursor,
                                    @QueryParam("pending") Integer pendingVersion) {
        Person me = session.require();
        UseCase uc = routing.useCase(name);
        return useCase.data("me", me).data("uc", uc).data("pendingVersion", pendingVersion)
                .data("policyHtml", views.pretty(uc.activePolicy().policy()))
                .data("policies", routing.policies(name, Views.orNull(policiesCursor), config.pageSize()))
                .data("calibrations", routing.calibrations(name, Views.orNull(calibrationsCursor), config.pageSize()));
    }

    @GET
    @Path("use-cases/{useCase}/diff")
    public TemplateInstance diff(@PathParam("useCase") String name, @QueryParam("from") int from,
                                 @QueryParam("to") int to) {
        Person me = session.require();
        PolicyVersion a = policy(name, from);
        PolicyVersion b = policy(name, to);
        List<LineDiff.Line> lines = LineDiff.diff(views.pretty(a.policy()), views.pretty(b.policy()));
        return diff.data("me", me).data("useCase", name).data("from", a).data("to", b)
                .data("lines", lines).data("changed", LineDiff.changed(lines));
    }

    @GET
    @Path("use-cases/{useCase}/policy")
    public TemplateInstance editPolicy(@PathParam("useCase") String name) {
        Person me = session.require();
        UseCase uc = routing.useCase(name);
        return editPage(me, name, views.pretty(uc.activePolicy().policy()), null, List.of());
    }

    @POST
    @Path("use-cases/{useCase}/policy")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response savePolicy(@PathParam("useCase") String name, @FormParam("policy") String text) {
        Person me = session.require();
        JsonNode policy;
        try {
            policy = views.parse(text == null ? "" : text);
        } catch (JsonProcessingException e) {
            return Response.status(400).entity(editPage(me, name, text, "The policy is not valid JSON: "
                    + e.getOriginalMessage(), List.of())).build();
        }
        if (policy == null || !policy.isObject()) {
            return Response.status(400).entity(editPage(me, name, text, "A policy is a JSON object.", List.of())).build();
        }
        PolicyVersion saved;
        try {
            saved = routing.putPolicy(name, policy);
        } catch (ServiceException e) {
            if (e.status() != 400) {
                throw e;
            }
            return Response.status(400).entity(editPage(me, name, text, e.getMessage(), e.errors())).build();
        }
        return Response.seeOther(URI.create("/operate/use-cases/" + enc(name) + (saved.pending() ? "?pending="
                + saved.version() : ""))).build();
    }

    private TemplateInstance editPage(Person me, String name, String text, String error,
                                      List<ServiceException.FieldError> errors) {
        // The rules as submitted, each with the errors the service found at it ("reviewRules[1].when" ...).
        List<Map<String, Object>> rules = new ArrayList<>();
        List<ServiceException.FieldError> placed = new ArrayList<>();
        try {
            JsonNode doc = views.parse(text == null ? "" : text);
            for (String kind : List.of("reviewRules", "blockRules")) {
                JsonNode array = doc == null ? null : doc.get(kind);
                if (array == null || !array.isArray()) {
                    continue;
                }
                for (int i = 0; i < array.size(); i++) {
                    String prefix = kind + "[" + i + "]";
                    List<String> messages = new ArrayList<>();
                    for (ServiceException.FieldError e : errors) {
                        if (e.field().equals(prefix) || e.field().startsWith(prefix + ".")) {
                            messages.add(e.message());
                            placed.add(e);
                        }
                    }
                    Map<String, Object> rule = new LinkedHashMap<>();
                    rule.put("kind", kind);
                    rule.put("index", i);
                    rule.put("name", array.get(i).path("name").asText(""));
                    rule.put("when", array.get(i).path("when").asText(""));
                    rule.put("errors", messages);
                    rules.add(rule);
                }
            }
        } catch (JsonProcessingException e) {
            rules.clear();
        }
        List<ServiceException.FieldError> other = errors.stream().filter(e -> !placed.contains(e)).toList();
        return edit.data("me", me).data("useCase", name).data("text", text).data("error", error)
                .data("rules", rules).data("otherErrors", other);
    }

    private Response listPage(Person me, String cursor, String changed, String waiting, String failedUseCase,
                              String error, int status) {
        Page<UseCaseSummary> page = routing.useCases(Views.orNull(cursor), config.pageSize());
        TemplateInstance t = list.data("me", me).data("page", page).data("modes", Mode.values())
                .data("changed", changed).data("waiting", waiting).data("failedUseCase", failedUseCase)
                .data("error", error);
        return Response.status(status).entity(t).build();
    }

    /** One policy version: the history page that starts just above it holds exactly it. */
    private PolicyVersion policy(String name, int version) {
        List<PolicyVersion> items = routing.policies(name, String.valueOf(version + 1), 1).items();
        if (items.isEmpty() || items.get(0).version() != version) {
            throw new ServiceException(404, "Use case " + name + " has no policy version " + version + ".", List.of());
        }
        return items.get(0);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

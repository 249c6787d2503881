package dev.oversight.console.rest;

import dev.oversight.console.client.Incident;
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
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Serious incidents for admins and auditors: each with the time left for its first report, its decisions and steps,
 * and its evidence to download; admins open incidents and record the reports sent.
 */
@Path("/incidents")
@Produces(MediaType.TEXT_HTML)
public class IncidentPages {

    private final Session session;
    private final RoutingApi routing;
    private final ConsoleConfig config;
    private final Template list;
    private final Template detail;

    public IncidentPages(Session session, @RestClient RoutingApi routing, ConsoleConfig config,
                         @Location("incidents/list.html") Template list,
                         @Location("incidents/incident.html") Template detail) {
        this.session = session;
        this.routing = routing;
        this.config = config;
        this.list = list;
        this.detail = detail;
    }

    @GET
    public TemplateInstance list(@QueryParam("cursor") String cursor) {
        return listPage(session.require(), cursor, null, null);
    }

    /** Opens an incident from the form: awareAt is read as UTC, decisions one per line (or separated by spaces). */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response open(@FormParam("useCase") String useCase, @FormParam("severity") String severity,
                         @FormParam("awareAt") String awareAt, @FormParam("decisionIds") String decisionIds,
                         @FormParam("summary") String summary) {
        Person me = session.require();
        Incident.Opening opening = new Incident.Opening(Views.orNull(useCase), Views.orNull(severity),
                Views.utc(awareAt), decisionIds == null || decisionIds.isBlank() ? List.of()
                : Arrays.stream(decisionIds.strip().split("[\\s,]+")).toList(), Views.orNull(summary));
        try {
            Incident opened = routing.openIncident(opening);
            return Response.seeOther(URI.create("/incidents/" + opened.id())).build();
        } catch (ServiceException e) {
            if (e.status() != 400 && e.status() != 404) {
                throw e;
            }
            return Response.status(e.status()).entity(listPage(me, null, e.getMessage(), opening)).build();
        }
    }

    @GET
    @Path("{id}")
    public TemplateInstance incident(@PathParam("id") String id) {
        return detail.data("me", session.require()).data("i", routing.incident(id)).data("error", null);
    }

    @POST
    @Path("{id}/status")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response step(@PathParam("id") String id, @FormParam("status") String status,
                         @FormParam("note") String note) {
        Person me = session.require();
        try {
            routing.incidentStep(id, new Incident.StepBody(Views.orNull(status), Views.orNull(note)));
            return Response.seeOther(URI.create("/incidents/" + OperatorPages.enc(id))).build();
        } catch (ServiceException e) {
            if (e.status() != 400 && e.status() != 409) {
                throw e;
            }
            return Response.status(e.status()).entity(detail.data("me", me).data("i", routing.incident(id))
                    .data("error", e.getMessage())).build();
        }
    }

    /** The router's evidence ZIP, passed through as it streams. */
    @GET
    @Path("{id}/evidence")
    @Produces("application/zip")
    public Response evidence(@PathParam("id") String id) {
        session.require();
        return Response.ok(routing.incidentEvidence(id)).header("Content-Disposition",
                "attachment; filename=\"incident-" + id.replaceAll("[^0-9a-f-]", "") + "-evidence.zip\"").build();
    }

    private TemplateInstance listPage(Person me, String cursor, String error, Incident.Opening form) {
        Page<Incident> page = routing.incidents(Views.orNull(cursor), config.pageSize());
        return list.data("me", me).data("page", page).data("error", error).data("form", form);
    }
}

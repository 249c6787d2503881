package dev.oversight.console.rest;

import dev.oversight.console.client.Page;
import dev.oversight.console.client.Report;
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
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Signed oversight reports for admins and auditors: issue one for a period that has ended, and take its PDF (with the
 * audit log's receipt attached), its HTML or the data it states away.
 */
@Path("/reports")
@Produces(MediaType.TEXT_HTML)
public class ReportPages {

    private final Session session;
    private final RoutingApi routing;
    private final ConsoleConfig config;
    private final Template reports;

    public ReportPages(Session session, @RestClient RoutingApi routing, ConsoleConfig config,
                       @Location("reports/list.html") Template reports) {
        this.session = session;
        this.routing = routing;
        this.config = config;
        this.reports = reports;
    }

    @GET
    public TemplateInstance list(@QueryParam("useCase") String useCase, @QueryParam("cursor") String cursor) {
        return page(session.require(), Views.orNull(useCase), cursor, null);
    }

    /** Issues a report of the period (the form's times are UTC) and shows the use case's reports. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response issue(@FormParam("useCase") String useCase, @FormParam("from") String from,
                          @FormParam("to") String to) {
        Person me = session.require();
        String uc = Views.orNull(useCase);
        if (uc == null) {
            return Response.status(400).entity(page(me, null, null, "Name the use case to report on.")).build();
        }
        try {
            routing.issueReport(uc, new Report.Period(Views.utc(from), Views.utc(to)));
            return Response.seeOther(URI.create("/reports?useCase=" + OperatorPages.enc(uc))).build();
        } catch (ServiceException e) {
            if (e.status() != 400 && e.status() != 404) {
                throw e;
            }
            return Response.status(e.status()).entity(page(me, uc, null, e.getMessage())).build();
        }
    }

    /** The report as PDF, HTML or JSON from the router; 409 (a few seconds after issue) until its receipt exists. */
    @GET
    @Path("{useCase}/{id}.{format: pdf|html|json}")
    @Produces({"application/pdf", MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    public Response document(@PathParam("useCase") String useCase, @PathParam("id") String id,
                             @PathParam("format") String format) {
        session.require();
        try (Response r = routing.report(useCase, id, format)) {
            byte[] body = r.readEntity(byte[].class);
            Response.ResponseBuilder out = Response.ok(body, r.getMediaType());
            if (format.equals("pdf")) {
                out.header("Content-Disposition", "attachment; filename=\"oversight-report-"
                        + id.replaceAll("[^0-9a-f-]", "") + ".pdf\"");
            }
            return out.build();
        }
    }

    private TemplateInstance page(Person me, String useCase, String cursor, String error) {
        Page<Report> list = useCase == null ? null : routing.reports(useCase, Views.orNull(cursor), config.pageSize());
        return reports.data("me", me).data("useCase", useCase).data("page", list).data("error", error);
    }
}

package dev.oversight.console.rest;

import com.fasterxml.jackson.databind.node.MissingNode;
import dev.oversight.console.client.CalibrationReport;
import dev.oversight.console.client.RoutingApi;
import dev.oversight.console.domain.Person;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** The operator's calibration report of one version, with its activation and (four eyes) its approval. */
@Path("/operate/use-cases/{useCase}/calibrations/{version}")
@Produces(MediaType.TEXT_HTML)
public class CalibrationPages {

    private final Session session;
    private final RoutingApi routing;
    private final Views views;
    private final Template calibration;

    public CalibrationPages(Session session, @RestClient RoutingApi routing, Views views,
                            @Location("operate/calibration.html") Template calibration) {
        this.session = session;
        this.routing = routing;
        this.views = views;
        this.calibration = calibration;
    }

    @GET
    public TemplateInstance calibration(@PathParam("useCase") String name, @PathParam("version") int version) {
        Person me = session.require();
        return calibrationPage(me, name, version, null);
    }

    @POST
    @Path("activate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response activate(@PathParam("useCase") String name, @PathParam("version") int version,
                             @FormParam("confirm") String confirm) {
        Person me = session.require();
        if (!"yes".equals(confirm)) {
            return Response.status(400).entity(calibrationPage(me, name, version,
                    "Tick the confirmation to make version " + version + " the calibrator in force.")).build();
        }
        routing.activate(name, version);
        return Response.seeOther(URI.create(pagePath(name, version))).build();
    }

    /** Four eyes: approve another admin's pending (loosening) calibrator activation. */
    @POST
    @Path("approve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response approveActivation(@PathParam("useCase") String name, @PathParam("version") int version) {
        Person me = session.require();
        routing.approveActivation(name, version);
        return Response.seeOther(URI.create(pagePath(name, version))).build();
    }

    private static String pagePath(String name, int version) {
        return "/operate/use-cases/" + OperatorPages.enc(name) + "/calibrations/" + version;
    }

    private TemplateInstance calibrationPage(Person me, String name, int version, String error) {
        CalibrationReport c = routing.calibration(name, version);
        return calibration.data("me", me).data("useCase", name).data("c", c)
                .data("svg", views.reliabilitySvg(c.reliability() == null ? MissingNode.getInstance() : c.reliability()))
                .data("error", error);
    }
}

package dev.oversight.console.rest;

import dev.oversight.console.client.Erasure;
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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Retention and erasure for admins and auditors: what each erasure and retention sweep deleted (how many, never
 * what); admins erase a person's data (by decisions or by an attribute) and set a use case's retention periods.
 */
@Path("/erasures")
@Produces(MediaType.TEXT_HTML)
public class ErasurePages {

    private final Session session;
    private final RoutingApi routing;
    private final ConsoleConfig config;
    private final Template page;

    public ErasurePages(Session session, @RestClient RoutingApi routing, ConsoleConfig config,
                        @Location("erasures/list.html") Template page) {
        this.session = session;
        this.routing = routing;
        this.config = config;
        this.page = page;
    }

    /** {@code erased}: the erasure just requested, shown with its result; {@code useCase}: whose retention to show. */
    @GET
    public TemplateInstance list(@QueryParam("cursor") String cursor, @QueryParam("erased") String erased,
                                 @QueryParam("useCase") String useCase) {
        Person me = session.require();
        Erasure done = Views.orNull(erased) == null ? null : routing.erasure(erased);
        return render(me, cursor, done, retentionOf(useCase), null);
    }

    /** Erases from the form: decision ids one per line (or separated by spaces), or an attribute's path and value. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response erase(@FormParam("decisionIds") String decisionIds, @FormParam("useCase") String useCase,
                          @FormParam("path") String path, @FormParam("value") String value,
                          @FormParam("reason") String reason) {
        Person me = session.require();
        List<String> ids = decisionIds == null || decisionIds.isBlank() ? null
                : Arrays.stream(decisionIds.strip().split("[\\s,]+")).toList();
        Erasure.Subject subject = Views.orNull(path) == null && Views.orNull(value) == null ? null
                : new Erasure.Subject(Views.orNull(useCase), Views.orNull(path), Views.orNull(value));
        try {
            Erasure e = routing.erase(new Erasure.Request(ids, subject, Views.orNull(reason)));
            return Response.seeOther(URI.create("/erasures?erased=" + OperatorPages.enc(e.id()))).build();
        } catch (ServiceException e) {
            if (e.status() != 400) {
                throw e;
            }
            return Response.status(400).entity(render(me, null, null, null, e.getMessage())).build();
        }
    }

    @POST
    @Path("retention")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response retention(@FormParam("useCase") String useCase, @FormParam("outputs") String outputs,
                              @FormParam("inputs") String inputs, @FormParam("peopleText") String peopleText,
                              @FormParam("reason") String reason) {
        Person me = session.require();
        String uc = Views.orNull(useCase) == null ? "" : useCase.strip();
        try {
            routing.setRetention(uc, new Erasure.RetentionBody(Views.orNull(outputs), Views.orNull(inputs),
                    Views.orNull(peopleText), Views.orNull(reason)));
            return Response.seeOther(URI.create("/erasures?useCase=" + OperatorPages.enc(uc))).build();
        } catch (ServiceException e) {
            if (e.status() != 400 && e.status() != 404) {
                throw e;
            }
            return Response.status(e.status()).entity(render(me, null, null, null, e.getMessage())).build();
        }
    }

    private Erasure.Retention retentionOf(String useCase) {
        if (Views.orNull(useCase) == null) {
            return null;
        }
        try {
            return routing.retention(useCase.strip());
        } catch (ServiceException e) {
            if (e.status() != 400 && e.status() != 404) {
                throw e;
            }
            return null;
        }
    }

    private TemplateInstance render(Person me, String cursor, Erasure done, Erasure.Retention retention,
                                    String error) {
        Page<Erasure> erasures = routing.erasures(Views.orNull(cursor), config.pageSize());
        return page.data("me", me).data("page", erasures).data("done", done).data("retention", retention)
                .data("error", error);
    }
}

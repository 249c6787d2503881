package dev.oversight.console.rest;

import dev.oversight.console.client.ServiceException;
import dev.oversight.console.service.DevSignIn;
import dev.oversight.console.service.Session;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure as a page: a service's refusal shows its own message; nothing internal leaks. */
public class ErrorPages {

    private static final Logger LOG = Logger.getLogger(ErrorPages.class);

    private final Template error;
    private final Session session;
    private final DevSignIn dev;

    public ErrorPages(@Location("error.html") Template error, Session session, DevSignIn dev) {
        this.error = error;
        this.session = session;
        this.dev = dev;
    }

    @ServerExceptionMapper
    public Response signIn(Session.SignInRequired e) {
        if (dev.enabled()) {
            return Response.seeOther(URI.create("/dev/sign-in")).build();
        }
        return page(401, "Sign in first.");
    }

    @ServerExceptionMapper
    public Response service(ServiceException e) {
        return page(e.status() >= 500 ? 502 : e.status(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return page(status, status == 404 ? "There is no such page." : e.getMessage());
    }

    /** A service that does not answer within the console's time limit: a clear page, not a hang. */
    @ServerExceptionMapper
    public Response timeout(TimeoutException e) {
        LOG.warnf("A service did not answer in time: %s", e.getMessage());
        return page(503, "A service did not answer in time; try again in a moment.");
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        if (e instanceof jakarta.ws.rs.ProcessingException) {
            LOG.warnf("A service could not be reached: %s", e.getMessage());
            return page(503, "A service could not be reached; try again in a moment.");
        }
        LOG.error("Unexpected failure rendering a page", e);
        return page(500, "Something went wrong on our side; it has been logged.");
    }

    private Response page(int status, String message) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(error.data("status", status).data("message", message)
                        .data("me", session.person().orElse(null)).render())
                .build();
    }
}

package dev.oversight.console.client;

import dev.oversight.console.service.Session;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

/**
 * The one place the console's calls get their Authorization header: the signed-in person's bearer token, so that
 * every service decides with the person's own roles. A call without a signed-in person carries none (and is refused).
 */
@ApplicationScoped
public class SignedInBearer implements ClientHeadersFactory {

    private final Session session;

    public SignedInBearer(Session session) {
        this.session = session;
    }

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming,
                                                 MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        session.person().ifPresent(p -> headers.putSingle(HttpHeaders.AUTHORIZATION, p.authorization()));
        return headers;
    }
}

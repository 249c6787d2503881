package dev.oversight.console.rest;

import dev.oversight.console.domain.Person;
import dev.oversight.console.domain.Role;
import dev.oversight.console.service.DevSignIn;
import dev.oversight.console.service.Session;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Arrays;
import java.util.Optional;

/**
 * The way in. With OpenID Connect the identity provider signs people in before any page is reached; in the local
 * stack, {@code GET /} leads to the development sign-in form.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class SignInResource {

    private final Session session;
    private final DevSignIn dev;
    private final Template signIn;
    private final Template noRole;

    public SignInResource(Session session, DevSignIn dev, @Location("sign-in.html") Template signIn,
                          @Location("no-role.html") Template noRole) {
        this.session = session;
        this.dev = dev;
        this.signIn = signIn;
        this.noRole = noRole;
    }

    @GET
    public Response home() {
        Optional<Person> me = session.person();
        if (me.isPresent()) {
            return Response.seeOther(URI.create(me.get().home())).build();
        }
        if (dev.enabled()) {
            return Response.seeOther(URI.create("/dev/sign-in")).build();
        }
        throw new Session.SignInRequired();
    }

    @GET
    @Path("signed-in")
    public TemplateInstance signedIn() {
        return noRole.data("me", session.require());
    }

    @GET
    @Path("dev/sign-in")
    public TemplateInstance form() {
        requireDev();
        return signIn.data("roles", Role.values()).data("error", null).data("name", "");
    }

    @POST
    @Path("dev/sign-in")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(@FormParam("name") String name, @FormParam("role") String role, @Context UriInfo uri) {
        requireDev();
        Optional<Role> r = Arrays.stream(Role.values()).filter(x -> x.claim().equals(role)).findFirst();
        String error = null;
        if (name == null || !DevSignIn.NAME.matcher(name).matches()) {
            error = "Name: 1 to 64 letters, digits, '.', '_', '@' or '-'.";
        } else if (r.isEmpty()) {
            error = "Role: choose one of the listed roles.";
        }
        if (error != null) {
            return Response.status(400).entity(signIn.data("roles", Role.values()).data("error", error)
                    .data("name", name == null ? "" : name)).build();
        }
        String token = dev.mint(name, r.get());
        Person me = dev.person(token).orElseThrow();
        NewCookie cookie = new NewCookie.Builder(DevSignIn.COOKIE).value(token).path("/").httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).secure("https".equals(uri.getBaseUri().getScheme())).build();
        return Response.seeOther(URI.create(me.home())).cookie(cookie).build();
    }

    /** Development sign-out; with OpenID Connect, {@code quarkus.oidc.logout.path} answers this path first. */
    @POST
    @Path("sign-out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signOut() {
        NewCookie gone = new NewCookie.Builder(DevSignIn.COOKIE).value("").path("/").httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).maxAge(0).build();
        return Response.seeOther(URI.create("/")).cookie(gone).build();
    }

    private void requireDev() {
        if (!dev.enabled()) {
            throw new NotFoundException();
        }
    }
}

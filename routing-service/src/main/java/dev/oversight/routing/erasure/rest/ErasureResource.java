package dev.oversight.routing.erasure.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.http.Page;
import dev.oversight.common.security.Roles;
import dev.oversight.routing.config.rest.Callers;
import dev.oversight.routing.config.rest.Cursors;
import dev.oversight.routing.domain.erasure.ErasureKind;
import dev.oversight.routing.erasure.service.ErasureService;
import dev.oversight.routing.erasure.service.RetentionService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Erasures of people's data across the services (admins request them; admins and auditors read what each deleted),
 * and the retention sweep run on demand (it also runs daily).
 */
@Path("/v1/erasures")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ErasureResource {

    /** The longest attribute value an erasure matches. */
    static final int MAX_VALUE = 512;

    private final ErasureService erasures;
    private final RetentionService retention;
    private final SecurityIdentity caller;

    public ErasureResource(ErasureService erasures, RetentionService retention, SecurityIdentity caller) {
        this.erasures = erasures;
        this.retention = retention;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Erase a person's data (listed decisions, or every decision with an attribute's value) in"
            + " every service; the audit log records how many, never what")
    public Response erase(@Valid @NotNull(message = "a JSON body {decisionIds | subjectAttribute: {path, value,"
            + " useCase?}, reason} is required") ErasureRequest request) {
        if ((request.decisionIds() == null) == (request.subjectAttribute() == null)) {
            throw new Failure.Invalid("decisionIds", "give the decisions to erase (decisionIds) or the subject's"
                    + " attribute (subjectAttribute), exactly one of the two");
        }
        ErasureService.Subject subject = null;
        if (request.subjectAttribute() != null) {
            ErasureRequest.SubjectAttribute a = request.subjectAttribute();
            subject = new ErasureService.Subject(a.useCase(), Arrays.asList(a.path().split("\\.")), value(a.value()));
        }
        ErasureService.Result r = erasures.erase(new ErasureService.Request(request.decisionIds(), subject,
                request.reason().strip()), Callers.actor(caller));
        return Response.created(URI.create("/v1/erasures/" + r.erasure().id())).entity(ErasureResponse.of(r)).build();
    }

    private static String value(JsonNode v) {
        if (!v.isValueNode() || v.isNull()) {
            throw new Failure.Invalid("subjectAttribute.value", "is a string, number or boolean");
        }
        String text = v.asText();
        if (text.isBlank() || text.length() > MAX_VALUE) {
            throw new Failure.Invalid("subjectAttribute.value", "is not blank and at most " + MAX_VALUE
                    + " characters");
        }
        return text;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "Erasures and retention sweeps, newest first (kind= filters)")
    public Page<ErasureResponse> list(@QueryParam("kind") @Pattern(regexp = "DECISIONS|SUBJECT_ATTRIBUTE|RETENTION",
                                              message = "must be DECISIONS, SUBJECT_ATTRIBUTE or RETENTION") String kind,
                                      @QueryParam("cursor") String cursor,
                                      @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        UUID before = Cursors.uuid(cursor);
        return Page.of(erasures.list(before, kind == null ? null : ErasureKind.valueOf(kind), limit + 1), limit,
                e -> e.id().toString()).map(ErasureResponse::of);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "One erasure or retention sweep: what kind, which parts, how many decisions")
    public ErasureResponse get(@PathParam("id") UUID id) {
        return ErasureResponse.of(erasures.find(id));
    }

    @POST
    @Path("/retention-sweep")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Delete now what every use case's retention says is due (the sweep also runs daily)")
    public List<RetentionService.Swept> sweep() {
        return retention.sweep(Instant.now(), Callers.actor(caller).name());
    }
}

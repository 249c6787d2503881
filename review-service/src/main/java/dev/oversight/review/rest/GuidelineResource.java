package dev.oversight.review.rest;

import dev.oversight.common.failure.Failure;
import dev.oversight.common.http.Page;
import dev.oversight.common.security.Roles;
import dev.oversight.review.domain.Guideline;
import dev.oversight.review.service.Guidelines;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** A use case's review standard: instructions and a rubric, versioned. */
@Path("/v1/use-cases/{useCase}/guidelines")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class GuidelineResource {

    static final String USE_CASE = "[a-z0-9-]{1,64}";
    static final String USE_CASE_MESSAGE = "must be 1-64 characters of a-z, 0-9 and '-'";

    /** The body of a save: Markdown instructions and the criteria a verdict may score. */
    public record GuidelineRequest(
            @NotBlank @Size(max = 100_000) String instructions,
            @Size(max = 20) List<@NotNull @Valid CriterionRequest> criteria) {
    }

    /** One criterion: a name, its scale of 2 to 10 labels in order, and what it means. */
    public record CriterionRequest(
            @NotNull @Pattern(regexp = "[A-Za-z0-9_-]{1,64}", message = "must be 1-64 characters of A-Z, a-z, 0-9, _"
                    + " and -") String name,
            @NotNull @Size(min = 2, max = 10) List<@NotBlank @Size(max = 64) String> scale,
            @Size(max = 2000) String description) {
    }

    private final Guidelines guidelines;
    private final SecurityIdentity caller;

    public GuidelineResource(Guidelines guidelines, SecurityIdentity caller) {
        this.guidelines = guidelines;
        this.caller = caller;
    }

    @PUT
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Save a new version of the review standard (201; 200 when it is the version in force)")
    public Response put(@PathParam("useCase") @Pattern(regexp = USE_CASE, message = USE_CASE_MESSAGE) String useCase,
                        @Valid @NotNull(message = "a JSON body {instructions, criteria} is required")
                        GuidelineRequest request) {
        List<Guideline.Criterion> criteria = request.criteria() == null ? List.of() : request.criteria().stream()
                .map(k -> new Guideline.Criterion(k.name(), k.scale(), k.description())).toList();
        Guidelines.Saved saved = guidelines.put(useCase, request.instructions(), criteria,
                caller.getPrincipal().getName());
        return Response.status(saved.created() ? 201 : 200).entity(saved.guideline()).build();
    }

    @GET
    @RolesAllowed({Roles.REVIEWER, Roles.SENIOR_REVIEWER, Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "The version in force")
    public Guideline current(@PathParam("useCase") @Pattern(regexp = USE_CASE, message = USE_CASE_MESSAGE)
                             String useCase) {
        return guidelines.current(useCase).orElseThrow(() -> new Failure.NotFound(
                "Use case '" + useCase + "' has no guidelines yet"));
    }

    @GET
    @Path("/versions")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR, Roles.SENIOR_REVIEWER})
    @Operation(summary = "Every version, newest first")
    public Page<Guideline> versions(@PathParam("useCase") @Pattern(regexp = USE_CASE, message = USE_CASE_MESSAGE)
                                    String useCase,
                                    @QueryParam("cursor") String cursor,
                                    @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        Integer below;
        try {
            below = cursor == null || cursor.isEmpty() ? null : Integer.parseInt(cursor);
        } catch (NumberFormatException e) {
            throw new Failure.Invalid("cursor", "is not a cursor this list returned");
        }
        return guidelines.versions(useCase, below, limit);
    }
}

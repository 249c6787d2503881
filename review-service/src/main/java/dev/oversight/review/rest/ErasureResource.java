package dev.oversight.review.rest;

import dev.oversight.common.security.Producers;
import dev.oversight.common.security.Roles;
import dev.oversight.review.repository.ErasureRepository.Parts;
import dev.oversight.review.service.Erasures;
import dev.oversight.review.service.ReviewConfig;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The router's erasures and retention sweeps reach this service's copies here: its outbox delivers them in batches,
 * each idempotent (deleting what is already gone changes nothing).
 */
@Path("/v1/erasures")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ErasureResource {

    static final int MAX_BATCH = 500;

    public enum Part { OUTPUTS, INPUTS, PEOPLE_TEXT }

    /** One message: the parts of these decisions to delete; {@code erase}: a person's erasure, not a retention sweep. */
    public record Deletion(@NotNull UUID erasureId,
                           @NotNull @Size(min = 1, max = 1000) List<@NotNull UUID> decisionIds,
                           @NotNull @Size(min = 1, max = 3) List<@NotNull Part> parts,
                           boolean erase,
                           @NotNull OffsetDateTime at) {
        Erasures.Deletion toDeletion() {
            return new Erasures.Deletion(erasureId, decisionIds, new Parts(parts.contains(Part.OUTPUTS),
                    parts.contains(Part.INPUTS), parts.contains(Part.PEOPLE_TEXT)), erase, at.toInstant());
        }
    }

    public record Applied(int tasks) {
    }

    private final Erasures erasures;
    private final SecurityIdentity caller;
    private final ReviewConfig config;

    public ErasureResource(Erasures erasures, SecurityIdentity caller, ReviewConfig config) {
        this.erasures = erasures;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Path("/batch")
    @RolesAllowed(Roles.SERVICE)
    @Operation(summary = "Delete parts of the review work on decisions, as the router's erasures and retention say")
    public Applied apply(@NotNull(message = "a JSON array of deletions is required")
                         @Size(min = 1, max = MAX_BATCH, message = "must hold 1 to " + MAX_BATCH + " deletions")
                         List<@Valid @NotNull Deletion> body) {
        Producers.require(caller, config.taskProducers(), "erasures", "review.task-producers");
        return new Applied(erasures.apply(body.stream().map(Deletion::toDeletion).toList()));
    }
}

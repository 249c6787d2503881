package dev.oversight.routing.outcomes.rest;

import dev.oversight.common.security.Producers;
import dev.oversight.common.security.Roles;
import dev.oversight.routing.config.rest.Callers;
import dev.oversight.routing.config.service.RoutingConfig;
import dev.oversight.routing.outcomes.service.LabelService;
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
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/v1/labels")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class LabelResource {

    static final int MAX_LABELS_PER_REQUEST = 10_000;

    private final LabelService labels;
    private final SecurityIdentity caller;
    private final RoutingConfig config;

    public LabelResource(LabelService labels, SecurityIdentity caller, RoutingConfig config) {
        this.labels = labels;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Store labels (all or none): decision outcomes, or an imported evaluation set")
    public Accepted store(
            @NotNull(message = "a JSON array of labels is required")
            @Size(min = 1, max = MAX_LABELS_PER_REQUEST, message = "must hold 1 to 10000 labels")
            List<@NotNull @Valid LabelRequest> request) {
        if (!caller.hasRole(Roles.ADMIN)) {
            Producers.require(caller, config.intake().labelProducers(), "labels", "routing.intake.label-producers");
        }
        return new Accepted(labels.store(request.stream().map(LabelRequest::toInput).toList(),
                Callers.actor(caller)));
    }

    /** How many labels were stored. */
    public record Accepted(int accepted) {
    }
}

package dev.oversight.routing.evaluation.rest;

import dev.oversight.common.failure.Failure;
import dev.oversight.common.http.Page;
import dev.oversight.common.security.Roles;
import dev.oversight.routing.config.rest.Callers;
import dev.oversight.routing.domain.evaluation.EvaluationStatus;
import dev.oversight.routing.evaluation.repository.EvaluationRepository.Evaluation;
import dev.oversight.routing.domain.evaluation.ComparisonStatus;
import dev.oversight.routing.evaluation.service.ComparisonService;
import dev.oversight.routing.evaluation.service.EvaluationService;
import dev.oversight.routing.evaluation.service.PromotionService;
import dev.oversight.routing.evaluation.service.ShadowService;
import dev.oversight.routing.policy.rest.PolicyResponse;
import dev.oversight.routing.policy.rest.UseCaseResource;
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
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Candidate models measured: evaluations on benchmarks, shadow traffic, and promotion through the gate. */
@Path("/v1/use-cases/{useCase}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class EvaluationResource {

    /** The body of a promotion; {@code override} promotes despite a significant regression, on the record. */
    public record PromotionRequest(@NotBlank @Size(max = 128) String modelVersion, @NotNull UUID evaluation,
                                   @Valid Override override) {
    }

    /** Why a person promotes a version its evaluation shows regressed. */
    public record Override(@NotBlank @Size(max = 2000) String reason) {
    }

    /** What a promotion did: the policy version that allows the model (pending under four eyes), and the labels. */
    public record PromotionResponse(UUID id, String modelVersion, UUID evaluation, boolean overridden, int labels,
                                    PolicyResponse policy) {
    }

    /** A blind comparison of an evaluation's undecided outputs: how many sides, how many judged, how many right. */
    public record ComparisonResponse(UUID id, UUID evaluation, ComparisonStatus status, int sides, int judged,
                                     int right, Instant createdAt, String createdBy) {
        static ComparisonResponse of(ComparisonService.View v) {
            return new ComparisonResponse(v.comparison().id(), v.comparison().evaluationId(), v.comparison().status(),
                    v.comparison().sides(), v.judged(), v.right(), v.comparison().createdAt(),
                    v.comparison().createdBy());
        }
    }

    private final EvaluationService evaluations;
    private final ShadowService shadows;
    private final PromotionService promotions;
    private final ComparisonService comparisons;
    private final SecurityIdentity caller;

    public EvaluationResource(EvaluationService evaluations, ShadowService shadows, PromotionService promotions,
                              ComparisonService comparisons, SecurityIdentity caller) {
        this.comparisons = comparisons;
        this.evaluations = evaluations;
        this.shadows = shadows;
        this.promotions = promotions;
        this.caller = caller;
    }

    @POST
    @Path("/evaluations")
    @RolesAllowed({Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Score a candidate model's outputs on every item of a benchmark; answers the report")
    public Response evaluate(
            @PathParam("useCase") @Pattern(regexp = UseCaseResource.USE_CASE, message = UseCaseResource.USE_CASE_MESSAGE)
            String useCase,
            @Valid @NotNull(message = "a JSON body {benchmark, modelVersion, results} is required")
            EvaluationRequest request) {
        return answer(evaluations.submit(useCase, request.benchmark(), request.modelVersion(), request.submitted(),
                request.last(), Callers.actor(caller)));
    }

    @POST
    @Path("/evaluations/{id}/results")
    @RolesAllowed({Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Add a part of an open evaluation's results; the last part (complete) answers the report")
    public Response addResults(
            @PathParam("useCase") @Pattern(regexp = UseCaseResource.USE_CASE, message = UseCaseResource.USE_CASE_MESSAGE)
            String useCase,
            @PathParam("id") UUID id,
            @Valid @NotNull(message = "a JSON body {results, complete?} is required") EvaluationRequest.PartRequest part) {
        return answer(evaluations.addResults(useCase, id, part.submitted(), part.last(), Callers.actor(caller)));
    }

    /** An evaluation in the list: which candidate, on which benchmark version, whether all its results are in. */
    public record EvaluationSummary(UUID id, int benchmarkVersion, String modelVersion, EvaluationStatus status,
                                    java.time.Instant createdAt, String createdBy) {
        static EvaluationSummary of(Evaluation e) {
            return new EvaluationSummary(e.id(), e.benchmarkVersion(), e.modelVersion(), e.status(), e.createdAt(),
                    e.createdBy());
        }
    }

    /** Where an open evaluation stands: how many of the benchmark's items have a result. */
    public record Progress(UUID id, EvaluationStatus status, int received, int items) {
    }

    /** 201 with the report once complete; 202 with the progress while parts are still to come. */
    private static Response answer(EvaluationService.Progress p) {
        if (p.report() != null) {
            return Response.status(201).entity(EvaluationResponse.of(p.report())).build();
        }
        return Response.status(202).entity(new Progress(p.evaluation().id(), p.evaluation().status(), p.received(),
                p.items())).build();
    }

    @GET
    @Path("/evaluations")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "The use case's evaluations, newest first")
    public Page<EvaluationSummary> list(
            @PathParam("useCase") @Pattern(regexp = UseCaseResource.USE_CASE, message = UseCaseResource.USE_CASE_MESSAGE)
            String useCase,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        Instant before;
        try {
            before = cursor == null || cursor.isEmpty() ? null : Instant.parse(cursor);
        } catch (DateTimeParseException e) {
            throw new Failure.Invalid("cursor", "is not a cursor this list returned");
        }
        return evaluations.evaluations(useCase, before, limit).map(EvaluationSummary::of);
    }

    @GET
    @Path("/evaluations/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "An evaluation's report")
    public EvaluationResponse get(
            @PathParam("useCase") @Pattern(regexp = UseCaseResource.USE_CASE, message = UseCaseResource.USE_CASE_MESSAGE)
            String useCase,
            @PathParam("id") UUID id) {
        return EvaluationResponse.of(evaluations.report(useCase, id));
    }

    @POST
    @Path("/evaluations/{id}/comparisons")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Send the outputs a complete evaluation's rule could not decide to people, as blind"
            + " side-by-side review tasks")
    public Response compare(
            @PathParam("useCase") @Pattern(regexp = UseCaseResource.USE_CASE, message = UseCaseResource.USE_CASE_MESSAGE)
            String useCase,
            @PathParam("id") UUID id) {
        return Response.status(202).entity(ComparisonResponse.of(comparisons.request(useCase, id,
                Callers.actor(caller)))).build();
    }

    @GET
    @Path("/evaluations/{id}/comparisons/{comparison}")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "A blind comparison's progress")
    public ComparisonResponse comparison(
            @PathParam("useCase") @Pattern(regexp = UseCaseResource.USE_CASE, message = UseCaseResource.USE_CASE_MESSAGE)
            String useCase,
            @PathParam("id") UUID id,
            @PathParam("comparison") UUID comparison) {
        return ComparisonResponse.of(comparisons.view(useCase, id, comparison));
    }

    @GET
    @Path("/shadow")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "A candidate version's shadow outputs scored against people's decisions, per day")
    public ShadowService.Comparison shadow(
            @PathParam("useCase") @Pattern(regexp = UseCaseResource.USE_CASE, message = UseCaseResource.USE_CASE_MESSAGE)
            String useCase,
            @QueryParam("modelVersion") @NotBlank(message = "is required: the candidate version") @Size(max = 128)
            String modelVersion) {
        return shadows.comparison(useCase, modelVersion);
    }

    @POST
    @Path("/promotions")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Allow a candidate version in the policy, on an evaluation without significant regression,"
            + " through the human-in-command gate")
    public Response promote(
            @PathParam("useCase") @Pattern(regexp = UseCaseResource.USE_CASE, message = UseCaseResource.USE_CASE_MESSAGE)
            String useCase,
            @Valid @NotNull(message = "a JSON body {modelVersion, evaluation, override?} is required")
            PromotionRequest request) {
        PromotionService.Promoted p = promotions.promote(useCase, request.modelVersion(), request.evaluation(),
                request.override() == null ? null : request.override().reason(), Callers.actor(caller));
        PromotionResponse body = new PromotionResponse(p.promotion().id(), p.promotion().modelVersion(),
                p.promotion().evaluationId(), p.promotion().overrideReason() != null, p.promotion().labels(),
                PolicyResponse.of(p.policy()));
        return Response.status(p.policy().pending() ? 202 : 201).entity(body).build();
    }
}

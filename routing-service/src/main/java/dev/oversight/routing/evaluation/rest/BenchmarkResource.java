package dev.oversight.routing.evaluation.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.common.http.Page;
import dev.oversight.common.security.Roles;
import dev.oversight.routing.config.rest.Callers;
import dev.oversight.routing.evaluation.repository.BenchmarkRepository.Benchmark;
import dev.oversight.routing.evaluation.repository.BenchmarkRepository.Item;
import dev.oversight.routing.evaluation.service.BenchmarkService;
import dev.oversight.routing.evaluation.service.JudgementService;
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
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Frozen benchmarks of items people decided. */
@Path("/v1/use-cases/{useCase}/benchmarks")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class BenchmarkResource {

    /** The body of an erasure: which item, and why (kept as a keyed digest in the trail). */
    public record ErasureRequest(@NotNull UUID itemId, @NotBlank @Size(max = 2000) String reason) {
    }

    /** What an erasure did. */
    public record Erased(UUID itemId, int benchmarks) {
    }

    /** The body of a rejudge: the guideline version in force, under which the other items are judged again. */
    public record RejudgeRequest(@NotNull @Min(1) Integer guidelineVersion) {
    }

    /** A rejudge: how far people are, the version it froze when done, and the items whose judgement changed. */
    public record RejudgeView(UUID id, int benchmark, int guidelineVersion, String status, int items, int received,
                              Integer nextBenchmarkVersion, List<JudgementService.Change> changed,
                              java.time.Instant createdAt, String createdBy) {
        static RejudgeView of(JudgementService.View v) {
            return new RejudgeView(v.judgement().id(), v.benchmarkVersion(), v.judgement().guidelineVersion(),
                    v.judgement().status(), v.judgement().items(), v.received(), v.judgement().nextBenchmarkVersion(),
                    v.changed(), v.judgement().createdAt(), v.judgement().createdBy());
        }
    }

    private final BenchmarkService benchmarks;
    private final JudgementService judgements;
    private final SecurityIdentity caller;
    private final ObjectMapper json;

    public BenchmarkResource(BenchmarkService benchmarks, JudgementService judgements, SecurityIdentity caller,
                             ObjectMapper json) {
        this.judgements = judgements;
        this.benchmarks = benchmarks;
        this.caller = caller;
        this.json = json;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Freeze a benchmark: a versioned, immutable set of items people decided (digest audited)")
    public Response freeze(
            @PathParam("useCase") @Pattern(regexp = UseCaseResource.USE_CASE, message = UseCaseResource.USE_CASE_MESSAGE)
            String useCase,
            @Valid @NotNull(message = "a JSON body {name, from?, to?, modelVersions?, include?, size?, stratifyBy?} is"
                    + " required") BenchmarkRequest request) {
        Benchmark b = benchmarks.freeze(useCase, request.toSpec(), Callers.actor(caller));
        return Response.status(201).entity(BenchmarkResponse.of(b, json)).build();
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "The use case's benchmarks, newest first")
    public Page<BenchmarkResponse> list(
            @PathParam("useCase") @Pattern(regexp = UseCaseResource.USE_CASE, message = UseCaseResource.USE_CASE_MESSAGE)
            String useCase,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return benchmarks.benchmarks(useCase, UseCaseResource.versionCursor(cursor), limit)
                .map(b -> BenchmarkResponse.of(b, json));
    }

    @GET
    @Path("/{version}")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "One benchmark's summary: size, strata, dates, how it was drawn, erasures, digest")
    public BenchmarkResponse get(
            @PathParam("useCase") @Pattern(regexp = UseCaseResource.USE_CASE, message = UseCaseResource.USE_CASE_MESSAGE)
            String useCase,
            @PathParam("version") @Min(1) int version) {
        return BenchmarkResponse.of(benchmarks.benchmark(useCase, version), json);
    }

    @GET
    @Path("/{version}/items")
    @Produces("application/x-ndjson")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "The benchmark's items as JSON lines, paged (Link: rel=next); an erased item is"
            + " {itemId, sha256, erased: true}")
    public Response items(
            @PathParam("useCase") @Pattern(regexp = UseCaseResource.USE_CASE, message = UseCaseResource.USE_CASE_MESSAGE)
            String useCase,
            @PathParam("version") @Min(1) int version,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("1000") @Min(1) @Max(10_000) int limit,
            @Context UriInfo uri) {
        Integer after = UseCaseResource.versionCursor(cursor);
        Page<Item> page = benchmarks.items(useCase, version, after == null ? 0 : after, limit);
        StringBuilder body = new StringBuilder();
        for (Item item : page.items()) {
            body.append(item.content() != null ? item.content() : json.createObjectNode()
                    .put("itemId", item.itemId().toString()).put("sha256", item.sha256()).put("erased", true)
                    .toString()).append('\n');
        }
        Response.ResponseBuilder r = Response.ok(body.toString());
        if (page.nextCursor() != null) {
            r.link(uri.getRequestUriBuilder().replaceQueryParam("cursor", page.nextCursor()).build(), "next");
        }
        return r.build();
    }

    @POST
    @Path("/{version}/rejudge")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Send the items judged under another guideline version back to people under this one; the"
            + " last judgement freezes the next benchmark version")
    public Response rejudge(
            @PathParam("useCase") @Pattern(regexp = UseCaseResource.USE_CASE, message = UseCaseResource.USE_CASE_MESSAGE)
            String useCase,
            @PathParam("version") @Min(1) int version,
            @Valid @NotNull(message = "a JSON body {guidelineVersion} is required") RejudgeRequest request) {
        return Response.status(202).entity(RejudgeView.of(judgements.rejudge(useCase, version,
                request.guidelineVersion(), Callers.actor(caller)))).build();
    }

    @GET
    @Path("/rejudges/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "A rejudge: progress, the benchmark version it froze, the judgements that changed")
    public RejudgeView rejudgeOf(
            @PathParam("useCase") @Pattern(regexp = UseCaseResource.USE_CASE, message = UseCaseResource.USE_CASE_MESSAGE)
            String useCase,
            @PathParam("id") UUID id) {
        return RejudgeView.of(judgements.view(useCase, id));
    }

    @POST
    @Path("/erasures")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Erase an item's content from every benchmark of the use case (its id and digest stay)")
    public Erased erase(
            @PathParam("useCase") @Pattern(regexp = UseCaseResource.USE_CASE, message = UseCaseResource.USE_CASE_MESSAGE)
            String useCase,
            @Valid @NotNull(message = "a JSON body {itemId, reason} is required") ErasureRequest request) {
        return new Erased(request.itemId(), benchmarks.erase(useCase, request.itemId(), request.reason(),
                Callers.actor(caller)));
    }
}

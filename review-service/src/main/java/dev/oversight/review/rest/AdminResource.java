package dev.oversight.review.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.security.Roles;
import dev.oversight.review.domain.AgreementReport;
import dev.oversight.review.domain.GivenVerdict;
import dev.oversight.review.domain.ReviewerStats;
import dev.oversight.review.domain.Task;
import dev.oversight.review.domain.Verdict;
import dev.oversight.review.service.CoverageWatch;
import dev.oversight.review.service.ReviewQueries;
import dev.oversight.review.service.TaskIntake;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
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
import jakarta.ws.rs.core.StreamingOutput;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Quality control of the reviewing itself: gold items, agreement, reviewer statistics, corrections for training. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    private final TaskIntake intake;
    private final ReviewQueries queries;
    private final SecurityIdentity caller;
    private final ObjectMapper json;
    private final CoverageWatch coverage;

    public AdminResource(TaskIntake intake, ReviewQueries queries, SecurityIdentity caller, ObjectMapper json,
                         CoverageWatch coverage) {
        this.coverage = coverage;
        this.intake = intake;
        this.queries = queries;
        this.caller = caller;
        this.json = json;
    }

    /** A seeded gold item and the verdict it expects. */
    public record GoldItem(UUID taskId, Verdict expectedVerdict) {
    }

    /**
     * One reviewer's figures. The gold figures are shown to admins and auditors only: a reviewer who saw their own
     * gold count move right after a verdict would know that task was a gold item.
     */
    public record ReviewerView(String reviewer, long volume, Double meanTimeOnTaskMs, Double overturnRate,
                               @JsonInclude(JsonInclude.Include.NON_NULL) Double goldAccuracy,
                               @JsonInclude(JsonInclude.Include.NON_NULL) Long goldItems, boolean paused) {
        static ReviewerView of(ReviewerStats s, boolean seesGold) {
            return new ReviewerView(s.reviewer(), s.volume(), s.meanTimeOnTaskMs(), s.overturnRate(),
                    seesGold ? s.goldAccuracy() : null, seesGold ? Long.valueOf(s.goldTotal()) : null, s.paused());
        }
    }

    public record Reviewers(List<ReviewerView> items) {
    }

    /** A gold item is a task with a known right verdict; reviewers cannot tell it from real work. */
    public record GoldRequest(@NotNull Verdict expectedVerdict, @Valid @NotNull TaskRequest task) {
    }

    @POST
    @Path("/gold-items")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Seed a gold item: a task with a known right verdict")
    public Response gold(@Valid @NotNull(message = "{expectedVerdict, task} is required") GoldRequest request) {
        TaskIntake.Created created = intake.create(request.task().toGoldTask(request.expectedVerdict(),
                intake.likenessFor(request.task().useCase())), caller.getPrincipal().getName());
        return Response.status(created.created() ? 201 : 200)
                .entity(new GoldItem(created.task().id(), request.expectedVerdict())).build();
    }

    @GET
    @Path("/metrics/reviewers")
    @RolesAllowed({Roles.ADMIN, Roles.SENIOR_REVIEWER, Roles.AUDITOR})
    @Operation(summary = "Per reviewer: volume, time on task, overturn rate, paused; gold accuracy for admins and"
            + " auditors only")
    public Reviewers reviewers(@QueryParam("useCase") String useCase) {
        boolean seesGold = caller.hasRole(Roles.ADMIN) || caller.hasRole(Roles.AUDITOR);
        return new Reviewers(queries.reviewerStats(useCase).stream().map(s -> ReviewerView.of(s, seesGold)).toList());
    }

    /** Per use case, the open tasks no active qualified reviewer can take (as of the last check, every 30 s). */
    public record Coverage(java.util.Map<String, Long> uncovered) {
    }

    @GET
    @Path("/metrics/coverage")
    @RolesAllowed({Roles.ADMIN, Roles.SENIOR_REVIEWER, Roles.AUDITOR})
    @Operation(summary = "Open tasks per use case that no active qualified reviewer can take")
    public Coverage coverage() {
        return new Coverage(coverage.refresh());
    }

    @GET
    @Path("/metrics/agreement")
    @RolesAllowed({Roles.ADMIN, Roles.SENIOR_REVIEWER, Roles.AUDITOR})
    @Operation(summary = "Fleiss' kappa of the use case and Cohen's kappa per reviewer pair, with 95% intervals")
    public AgreementReport.Report agreement(@QueryParam("useCase") String useCase) {
        return queries.agreement(useCase);
    }

    @GET
    @Path("/exports/corrections")
    @Produces("application/x-ndjson")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Corrected outputs for training: sft (input, output) or preference (chosen, rejected); an"
            + " agent's run adds its trajectory and the reviewers' step verdicts")
    public StreamingOutput corrections(@QueryParam("format") @DefaultValue("sft") String format,
                                       @QueryParam("useCase") String useCase) {
        if (!format.equals("sft") && !format.equals("preference")) {
            throw new Failure.Invalid("format", "must be sft or preference");
        }
        return out -> {
            UUID after = null;
            while (true) {
                List<ReviewQueries.Corrected> page = queries.corrected(useCase, after, 500);
                for (ReviewQueries.Corrected corrected : page) {
                    Task t = corrected.task();
                    ObjectNode line = json.createObjectNode();
                    line.put("taskId", t.id().toString());
                    line.put("decisionId", t.decisionId().toString());
                    line.put("useCase", t.useCase());
                    line.set("input", t.input() == null ? null : json.readTree(t.input()));
                    if (format.equals("sft")) {
                        line.set("output", json.readTree(t.finalOutput()));
                    } else {
                        line.set("chosen", json.readTree(t.finalOutput()));
                        line.set("rejected", json.readTree(t.output()));
                    }
                    if (t.trajectory() != null) {
                        // An agent's run: its steps, and how each reviewer judged them, to build evaluation sets from.
                        line.set("trajectory", json.readTree(t.trajectory()));
                        ArrayNode judged = line.putArray("stepVerdicts");
                        for (GivenVerdict v : corrected.verdicts()) {
                            if (v.byHuman() && (v.process() != null || v.steps() != null)) {
                                ObjectNode n = judged.addObject().put("reviewer", v.reviewer())
                                        .put("verdict", v.verdict().name())
                                        .put("process", v.process() == null ? null : v.process().name());
                                n.set("steps", v.steps() == null ? json.createArrayNode() : json.readTree(v.steps()));
                            }
                        }
                    }
                    out.write((json.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
                }
                if (page.size() < 500) {
                    break;
                }
                after = page.get(page.size() - 1).task().id();
            }
            out.flush();
        };
    }
}

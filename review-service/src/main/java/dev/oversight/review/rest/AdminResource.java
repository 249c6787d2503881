package dev.oversight.review.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oversight.common.problem.ProblemException;
import dev.oversight.common.security.Roles;
import dev.oversight.review.domain.Agreement;
import dev.oversight.review.domain.Verdict;
import dev.oversight.review.repository.TaskRepository;
import dev.oversight.review.repository.TaskRow;
import dev.oversight.review.repository.VerdictRow;
import dev.oversight.review.service.ReviewService;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Quality control of the reviewing itself: gold items, agreement, reviewer statistics, corrections for training. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    private final ReviewService review;
    private final SecurityIdentity caller;
    private final ObjectMapper json;

    public AdminResource(ReviewService review, SecurityIdentity caller, ObjectMapper json) {
        this.review = review;
        this.caller = caller;
        this.json = json;
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
        ReviewService.Created created = review.create(request.task().toNewTask(request.expectedVerdict()),
                caller.getPrincipal().getName());
        return Response.status(created.created() ? 201 : 200)
                .entity(Map.of("taskId", created.task().id(), "expectedVerdict", request.expectedVerdict())).build();
    }

    @POST
    @Path("/reviewers/{reviewer}/reinstate")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Let a paused reviewer receive tasks again")
    public Response reinstate(@PathParam("reviewer") String reviewer) {
        review.reinstate(reviewer);
        return Response.noContent().build();
    }

    @GET
    @Path("/metrics/reviewers")
    @RolesAllowed({Roles.ADMIN, Roles.SENIOR_REVIEWER, Roles.AUDITOR})
    @Operation(summary = "Per reviewer: volume, time on task, overturn rate, gold accuracy, paused")
    public Map<String, Object> reviewers(@QueryParam("useCase") String useCase) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (TaskRepository.ReviewerStats s : review.reviewerStats(useCase)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("reviewer", s.reviewer());
            m.put("volume", s.volume());
            m.put("meanTimeOnTaskMs", s.meanTimeOnTaskMs());
            m.put("overturnRate", s.decided() == 0 ? null : (double) s.overturned() / s.decided());
            m.put("goldAccuracy", s.goldTotal() == 0 ? null : (double) s.goldCorrect() / s.goldTotal());
            m.put("goldItems", s.goldTotal());
            m.put("paused", s.paused());
            items.add(m);
        }
        return Map.of("items", items);
    }

    @GET
    @Path("/metrics/agreement")
    @RolesAllowed({Roles.ADMIN, Roles.SENIOR_REVIEWER, Roles.AUDITOR})
    @Operation(summary = "Fleiss' kappa of the use case and Cohen's kappa per reviewer pair, with 95% intervals")
    public Map<String, Object> agreement(@QueryParam("useCase") String useCase) {
        Map<UUID, Map<String, String>> byTask = new LinkedHashMap<>();
        for (VerdictRow v : review.finishedVerdicts(useCase)) {
            byTask.computeIfAbsent(v.taskId(), k -> new TreeMap<>()).put(v.reviewer(), v.verdict());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("useCase", useCase);
        out.put("fleiss", fleiss(byTask));
        out.put("pairs", pairs(byTask));
        return out;
    }

    @GET
    @Path("/exports/corrections")
    @Produces("application/x-ndjson")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Corrected outputs for training: sft (input, output) or preference (chosen, rejected)")
    public StreamingOutput corrections(@QueryParam("format") @DefaultValue("sft") String format,
                                       @QueryParam("useCase") String useCase) {
        if (!format.equals("sft") && !format.equals("preference")) {
            throw ProblemException.invalidField("format", "must be sft or preference");
        }
        return out -> {
            UUID after = null;
            while (true) {
                List<TaskRow> page = review.corrected(useCase, after, 500);
                for (TaskRow t : page) {
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
                    out.write((json.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
                }
                if (page.size() < 500) {
                    break;
                }
                after = page.get(page.size() - 1).id();
            }
            out.flush();
        };
    }

    private static Object fleiss(Map<UUID, Map<String, String>> byTask) {
        Map<Integer, List<Map<String, String>>> bySize = new TreeMap<>();
        byTask.values().stream().filter(m -> m.size() >= 2).forEach(m -> bySize.computeIfAbsent(m.size(), k -> new ArrayList<>()).add(m));
        List<Map<String, String>> items = bySize.values().stream().max((a, b) -> Integer.compare(a.size(), b.size()))
                .orElse(List.of());
        if (items.size() < 2) {
            return null;
        }
        Verdict[] categories = Verdict.values();
        int[][] counts = new int[items.size()][categories.length];
        for (int i = 0; i < items.size(); i++) {
            for (String v : items.get(i).values()) {
                counts[i][Verdict.valueOf(v).ordinal()]++;
            }
        }
        return kappa(Agreement.fleissWithInterval(counts, 1), items.get(0).size());
    }

    private static List<Map<String, Object>> pairs(Map<UUID, Map<String, String>> byTask) {
        Map<String, List<String[]>> common = new TreeMap<>();
        for (Map<String, String> ratings : byTask.values()) {
            List<String> reviewers = new ArrayList<>(ratings.keySet());
            for (int i = 0; i < reviewers.size(); i++) {
                for (int j = i + 1; j < reviewers.size(); j++) {
                    common.computeIfAbsent(reviewers.get(i) + "\u0000" + reviewers.get(j), k -> new ArrayList<>())
                            .add(new String[] {ratings.get(reviewers.get(i)), ratings.get(reviewers.get(j))});
                }
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        common.forEach((pair, rows) -> {
            if (rows.size() < 2) {
                return;
            }
            String[] names = pair.split("\u0000");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("reviewerA", names[0]);
            m.put("reviewerB", names[1]);
            m.putAll(kappa(Agreement.cohenWithInterval(rows.stream().map(r -> r[0]).toList(),
                    rows.stream().map(r -> r[1]).toList(), 1), 2));
            out.add(m);
        });
        return out;
    }

    private static Map<String, Object> kappa(Agreement.Kappa k, int raters) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kappa", Double.isNaN(k.kappa()) ? null : k.kappa());
        m.put("ci95", Double.isNaN(k.lower()) ? null : List.of(k.lower(), k.upper()));
        m.put("items", k.items());
        m.put("ratersPerItem", raters);
        return m;
    }
}

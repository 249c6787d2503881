package dev.oversight.console.rest;

import dev.oversight.console.client.Benchmark;
import dev.oversight.console.client.Evaluation;
import dev.oversight.console.client.Page;
import dev.oversight.console.client.RoutingApi;
import dev.oversight.console.client.ServiceException;
import dev.oversight.console.domain.Person;
import dev.oversight.console.service.Session;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Measuring new models: a use case's benchmarks and evaluations (accuracy per version with intervals, as a chart),
 * one evaluation's report (strata, calibration, regressions and fixes side by side, promotion through the gate),
 * and the shadow comparison of a candidate over time.
 */
@Path("/operate/use-cases/{useCase}/evaluations")
@Produces(MediaType.TEXT_HTML)
public class EvaluationPages {

    /** How many of the newest evaluations the chart compares. */
    static final int CHARTED = 10;

    /** One item side by side, its JSON values already rendered as readable HTML. */
    @TemplateData
    public record ItemView(String itemId, String stratum, String input, String reference, String production,
                           String candidate, double confidence) {
    }

    private final Session session;
    private final RoutingApi routing;
    private final Views views;
    private final Template overview;
    private final Template report;

    public EvaluationPages(Session session, @RestClient RoutingApi routing, Views views,
                           @Location("operate/evaluations.html") Template overview,
                           @Location("operate/evaluation.html") Template report) {
        this.session = session;
        this.routing = routing;
        this.views = views;
        this.overview = overview;
        this.report = report;
    }

    @GET
    public TemplateInstance overview(@PathParam("useCase") String useCase, @QueryParam("shadow") String shadow) {
        Person me = session.require();
        Page<Benchmark> benchmarks = routing.benchmarks(useCase, null, 50);
        Page<Evaluation.Summary> evaluations = routing.evaluations(useCase, null, 50);
        List<IntervalChart.Row> rows = new ArrayList<>();
        List<Evaluation.Summary> complete = evaluations.items().stream().filter(Evaluation.Summary::complete).toList();
        for (Evaluation.Summary s : complete.subList(0, Math.min(CHARTED, complete.size()))) {
            Evaluation e = routing.evaluation(useCase, s.id());
            String on = " on benchmark v" + e.benchmark();
            rows.add(row(e.modelVersion() + on, e.accuracy().candidate(), "candidate"));
            rows.add(row(String.join("+", e.productionVersions()) + " (production)" + on, e.accuracy().reference(),
                    "production"));
        }
        String candidate = Views.orNull(shadow);
        Evaluation.Shadow comparison = candidate == null ? null : routing.shadow(useCase, candidate);
        return overview.data("me", me).data("useCase", useCase).data("benchmarks", benchmarks)
                .data("evaluations", evaluations)
                .data("chart", rows.isEmpty() ? null : IntervalChart.svg("accuracy", "Accuracy per model version on"
                        + " the benchmark it was evaluated on, with exact 95% intervals", rows))
                .data("shadow", comparison).data("candidate", candidate)
                .data("shadowChart", comparison == null || comparison.figures().strata().isEmpty() ? null
                        : IntervalChart.svg("shadow", "Shadow accuracy per day, candidate and production on the same"
                        + " items, with exact 95% intervals", shadowRows(comparison)));
    }

    @GET
    @Path("{id}")
    public TemplateInstance report(@PathParam("useCase") String useCase, @PathParam("id") String id,
                                   @QueryParam("promoted") Integer promoted, @QueryParam("pending") boolean pending) {
        return reportPage(session.require(), useCase, id, null, promoted, pending);
    }

    /** Promotion through the gate: refused on a significant regression unless a person gives the override's reason. */
    @POST
    @Path("{id}/promote")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response promote(@PathParam("useCase") String useCase, @PathParam("id") String id,
                            @FormParam("reason") String reason, @FormParam("confirm") String confirm) {
        Person me = session.require();
        Evaluation e = routing.evaluation(useCase, id);
        if (!"yes".equals(confirm)) {
            return Response.status(400).entity(reportPage(me, useCase, id, "Tick the confirmation to allow "
                    + e.modelVersion() + " in the policy.", null, false)).build();
        }
        String why = Views.orNull(reason);
        try {
            Evaluation.Promotion p = routing.promote(useCase, new Evaluation.PromotionBody(e.modelVersion(), id,
                    why == null ? null : new Evaluation.Override(why)));
            return Response.seeOther(URI.create("/operate/use-cases/" + OperatorPages.enc(useCase) + "/evaluations/"
                    + OperatorPages.enc(id) + "?promoted=" + p.policy().version() + "&pending="
                    + p.policy().pending())).build();
        } catch (ServiceException ex) {
            if (ex.status() != 422 && ex.status() != 409 && ex.status() != 400) {
                throw ex;
            }
            return Response.status(ex.status()).entity(reportPage(me, useCase, id, ex.getMessage(), null, false))
                    .build();
        }
    }

    /** The outputs the evaluation's rule could not decide go to people as blind side-by-side review tasks. */
    @POST
    @Path("{id}/compare")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response compare(@PathParam("useCase") String useCase, @PathParam("id") String id) {
        Person me = session.require();
        try {
            routing.compare(useCase, id);
            return Response.seeOther(URI.create("/operate/use-cases/" + OperatorPages.enc(useCase) + "/evaluations/"
                    + OperatorPages.enc(id))).build();
        } catch (ServiceException ex) {
            if (ex.status() != 409) {
                throw ex;
            }
            return Response.status(409).entity(reportPage(me, useCase, id, ex.getMessage(), null, false)).build();
        }
    }

    private TemplateInstance reportPage(Person me, String useCase, String id, String error, Integer promoted,
                                        boolean pending) {
        Evaluation e = routing.evaluation(useCase, id);
        List<IntervalChart.Row> rows = new ArrayList<>();
        rows.add(row(e.modelVersion() + " (candidate), all", e.accuracy().candidate(), "candidate"));
        rows.add(row("production, all", e.accuracy().reference(), "production"));
        for (Map.Entry<String, Evaluation.Paired> s : e.strata().entrySet()) {
            rows.add(row(e.modelVersion() + ", " + s.getKey(), s.getValue().candidate(), "candidate"));
            rows.add(row("production, " + s.getKey(), s.getValue().reference(), "production"));
        }
        return report.data("me", me).data("useCase", useCase).data("e", e).data("error", error)
                .data("promoted", promoted).data("pending", pending)
                .data("chart", IntervalChart.svg("strata", "Accuracy of the candidate and of production, overall and"
                        + " per stratum, with exact 95% intervals", rows))
                .data("reliability", views.reliabilitySvg(e.calibration().reliability()))
                .data("regressions", items(e.regressions())).data("fixes", items(e.fixes()));
    }

    private List<ItemView> items(List<Evaluation.SideBySide> items) {
        return items.stream().map(i -> new ItemView(i.itemId(), i.stratum(), views.tree(i.input()),
                views.tree(i.reference()), views.tree(i.production()), views.tree(i.candidate()),
                i.candidateConfidence())).toList();
    }

    private static List<IntervalChart.Row> shadowRows(Evaluation.Shadow s) {
        List<IntervalChart.Row> rows = new ArrayList<>();
        for (Map.Entry<String, Evaluation.Paired> day : s.figures().strata().entrySet()) {
            rows.add(row(s.modelVersion() + ", " + day.getKey(), day.getValue().candidate(), "candidate"));
            rows.add(row("production, " + day.getKey(), day.getValue().reference(), "production"));
        }
        return rows;
    }

    private static IntervalChart.Row row(String label, dev.oversight.console.client.OversightFigures.Proportion p,
                                         String kind) {
        return new IntervalChart.Row(label, p.estimate(), p.lower(), p.upper(), p.n(), kind);
    }
}

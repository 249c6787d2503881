package dev.oversight.console.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oversight.console.client.ReviewApi;
import dev.oversight.console.client.ReviewTask;
import dev.oversight.console.client.ServiceException;
import dev.oversight.console.domain.LineDiff;
import dev.oversight.console.domain.Person;
import dev.oversight.console.domain.Verdict;
import dev.oversight.console.service.Session;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
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
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The reviewer's desk: the queue, the next task, a task with its verdict form, and (seniors, admins) agreement and
 * reviewer figures. What the page shows of a task is what the review service returns to this reviewer, so blind
 * review hides confidence, reasons and priority here exactly as in the API.
 */
@Path("/review")
@Produces(MediaType.TEXT_HTML)
public class ReviewPages {

    private final Session session;
    private final ReviewApi review;
    private final Views views;
    private final Template queue;
    private final Template task;
    private final Template confirm;
    private final Template quality;
    private final Template relianceTemplate;

    public ReviewPages(Session session, @RestClient ReviewApi review, Views views,
                       @Location("review/queue.html") Template queue, @Location("review/task.html") Template task,
                       @Location("review/confirm.html") Template confirm,
                       @Location("review/quality.html") Template quality,
                       @Location("review/reliance.html") Template relianceTemplate) {
        this.relianceTemplate = relianceTemplate;
        this.session = session;
        this.review = review;
        this.views = views;
        this.queue = queue;
        this.task = task;
        this.confirm = confirm;
        this.quality = quality;
    }

    @GET
    public TemplateInstance queue(@QueryParam("notice") String notice) {
        Person me = session.require();
        return queue.data("me", me).data("queue", review.queue())
                .data("notice", Notice.of(notice).map(Notice::text).orElse(null));
    }

    @POST
    @Path("next")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response next(@FormParam("useCase") String useCase) {
        return claimNext(session.require(), useCase, null);
    }

    @GET
    @Path("tasks/{id}")
    public TemplateInstance task(@PathParam("id") UUID id, @QueryParam("after") UUID after,
                                 @QueryParam("queue") String queue) {
        Person me = session.require();
        return taskPage(me, review.task(id), after, Views.orNull(queue), null, null, null);
    }

    @POST
    @Path("tasks/{id}/claim")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response claim(@PathParam("id") UUID id) {
        Person me = session.require();
        review.claim(id);
        return Response.seeOther(URI.create("/review/tasks/" + id)).build();
    }

    @POST
    @Path("tasks/{id}/renew")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response renew(@PathParam("id") UUID id, @FormParam("leaseToken") long leaseToken) {
        Person me = session.require();
        review.renew(id, new ReviewApi.LeaseToken(leaseToken));
        return Response.seeOther(URI.create("/review/tasks/" + id)).build();
    }

    /** A comment on the task's thread; back to the task, at the thread. */
    @POST
    @Path("tasks/{id}/comments")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response comment(@PathParam("id") UUID id, @FormParam("text") String text, @FormParam("queue") String queue) {
        Person me = session.require();
        try {
            review.comment(id, new ReviewApi.CommentBody(text));
        } catch (ServiceException e) {
            if (e.status() != 400) {
                throw e;
            }
            return Response.status(400).entity(taskPage(me, review.task(id), null, Views.orNull(queue),
                    e.getMessage(), null, null)).build();
        }
        String q = Views.orNull(queue);
        return Response.seeOther(URI.create("/review/tasks/" + id + (q == null ? "" : "?queue="
                + URLEncoder.encode(q, StandardCharsets.UTF_8)) + "#thread")).build();
    }

    @POST
    @Path("tasks/{id}/release")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response release(@PathParam("id") UUID id, @FormParam("leaseToken") long leaseToken) {
        Person me = session.require();
        review.release(id, new ReviewApi.LeaseToken(leaseToken));
        return Response.seeOther(URI.create("/review?notice=" + Notice.RELEASED.name())).build();
    }

    /**
     * A verdict. A correction is shown as a diff against the model's output first and sent only once confirmed;
     * after a verdict the reviewer goes straight on to their next task. On an agent's run the form also carries the
     * process judgement and the judged steps ({@link VerdictForm}).
     */
    @POST
    @Path("tasks/{id}/verdict")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response verdict(@PathParam("id") UUID id, MultivaluedMap<String, String> fields) {
        Person me = session.require();
        VerdictForm form = new VerdictForm(fields);
        String why = form.rationale();
        String queue = form.useCase();
        String corrected = form.correctedText();
        Optional<Verdict> verdict = form.verdict();
        if (verdict.isEmpty()) {
            return again(me, id, queue, "Choose Approve, Reject or Correct.", why, corrected);
        }
        List<ReviewApi.StepBody> steps;
        JsonNode correctedOutput = null;
        try {
            steps = form.steps();
            // Whether a rationale is needed is the review service's rule; its answer is shown as it is.
            if (verdict.get() == Verdict.CORRECT) {
                correctedOutput = form.correction(views);
            }
        } catch (VerdictForm.Unreadable e) {
            return again(me, id, queue, e.getMessage(), why, corrected);
        }
        if (verdict.get() == Verdict.CORRECT) {
            if (correctedOutput == null) {
                return again(me, id, queue, "A correction needs the corrected output.", why, corrected);
            }
            if (!form.confirmed()) {
                ReviewTask t = review.task(id);
                List<LineDiff.Line> diff = LineDiff.diff(views.pretty(t.output()), views.pretty(correctedOutput));
                return Response.ok(confirm.data("me", me).data("task", t).data("diff", diff)
                        .data("queue", queue).data("carried", form.judgementFields())
                        .data("changed", LineDiff.changed(diff)).data("leaseToken", form.leaseToken())
                        .data("rationale", why).data("corrected", views.pretty(correctedOutput))).build();
            }
        }
        try {
            review.verdict(id, new ReviewApi.VerdictBody(form.leaseToken(), verdict.get().name(), correctedOutput, why,
                    form.process(), steps.isEmpty() ? null : steps, form.scores()));
        } catch (ServiceException e) {
            if (e.status() == 400 || e.status() == 409) {
                return again(me, id, queue, e.getMessage(), why, corrected);
            }
            throw e;
        }
        return claimNext(me, queue, id);
    }

    @GET
    @Path("quality")
    public TemplateInstance quality(@QueryParam("useCase") String useCase) {
        Person me = session.require();
        String u = Views.orNull(useCase);
        return quality.data("me", me).data("useCase", u)
                .data("agreement", review.agreement(u))
                .data("reviewers", review.reviewers(u))
                .data("progress", review.progress(u).items());
    }

    /** Reliance on the model per reviewer of a use case: a reviewer sees their own figures, seniors and admins all. */
    @GET
    @Path("reliance")
    public TemplateInstance reliance(@QueryParam("useCase") String useCase) {
        Person me = session.require();
        String u = Views.orNull(useCase);
        return relianceTemplate.data("me", me).data("useCase", u).data("report", u == null ? null : review.reliance(u));
    }

    @POST
    @Path("reviewers/{name}/reinstate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reinstate(@PathParam("name") String name) {
        Person me = session.require();
        review.reinstate(name);
        return Response.seeOther(URI.create("/review/quality")).build();
    }

    private Response claimNext(Person me, String useCase, UUID after) {
        String u = Views.orNull(useCase);
        try (Response r = review.claimNext(new ReviewApi.ClaimNext(u))) {
            if (r.getStatus() == 204) {
                return Response.seeOther(URI.create("/review?notice="
                        + (after == null ? Notice.EMPTY : Notice.RECORDED_EMPTY).name())).build();
            }
            ReviewTask next = r.readEntity(ReviewTask.class);
            StringBuilder url = new StringBuilder("/review/tasks/").append(next.taskId()).append('?');
            if (after != null) {
                url.append("after=").append(after).append('&');
            }
            if (u != null) {
                url.append("queue=").append(URLEncoder.encode(u, StandardCharsets.UTF_8));
            }
            return Response.seeOther(URI.create(url.toString())).build();
        }
    }

    private Response again(Person me, UUID id, String queue, String error, String rationale, String corrected) {
        return Response.status(400).entity(taskPage(me, review.task(id), null, queue, error, rationale, corrected))
                .build();
    }

    /** {@code queue}: the use case the reviewer is working through (null: any), kept from task to task. */
    private TemplateInstance taskPage(Person me, ReviewTask t, UUID after, String queue, String error,
                                      String rationale, String corrected) {
        return task.data("me", me).data("task", t)
                .data("inputHtml", views.tree(t.input()))
                .data("outputHtml", views.tree(t.output()))
                .data("referenceHtml", t.compares() && t.comparison().hasNonNull("reference")
                        ? views.tree(t.comparison().get("reference")) : null)
                .data("call", t.toolCall() ? AgentViews.call(t.output(), views) : null)
                .data("steps", AgentViews.trajectory(t.trajectory(), views))
                .data("outputPretty", corrected != null ? corrected : views.pretty(t.output()))
                .data("original", views.pretty(t.output()))
                .data("finalOutputHtml", t.finalOutput() != null && !t.finalOutput().isNull()
                        ? views.tree(t.finalOutput()) : null)
                .data("prior", prior(t.priorVerdicts()))
                .data("comments", review.comments(UUID.fromString(t.taskId())).items())
                .data("leased", t.leaseToken() != null)
                .data("routingShown", t.routingShown())
                .data("after", after)
                .data("queue", queue)
                .data("error", error)
                .data("rationale", rationale == null ? "" : rationale);
    }

    /** A verdict in dispute, as an adjudicator compares it: who, what, why, and the correction as a readable tree. */
    public record PriorVerdict(String reviewer, String verdict, String rationale, String correctionHtml,
                               String process, List<String> wrongSteps, String scores) {
    }

    private List<PriorVerdict> prior(List<ReviewTask.GivenVerdict> verdicts) {
        List<PriorVerdict> out = new java.util.ArrayList<>();
        for (ReviewTask.GivenVerdict v : verdicts == null ? List.<ReviewTask.GivenVerdict>of() : verdicts) {
            List<String> wrong = new java.util.ArrayList<>();
            if (v.steps() != null) {
                v.steps().forEach(s -> {
                    if ("WRONG".equals(s.path("verdict").asText())) {
                        wrong.add("step " + s.path("index").asInt() + (s.path("note").isTextual()
                                ? ": " + s.get("note").textValue() : ""));
                    }
                });
            }
            out.add(new PriorVerdict(v.reviewer(), v.verdict(), v.rationale(),
                    v.correctedOutput() != null && !v.correctedOutput().isNull() ? views.tree(v.correctedOutput())
                            : null, v.process(), wrong, scoresText(v)));
        }
        return out;
    }



    /** "coverage: right; tone: good (guidelines v2)", or null when the verdict scored nothing. */
    private static String scoresText(ReviewTask.GivenVerdict v) {
        if (v.scores() == null || !v.scores().isObject() || v.scores().isEmpty()) {
            return null;
        }
        List<String> parts = new java.util.ArrayList<>();
        v.scores().fields().forEachRemaining(e -> parts.add(e.getKey() + ": " + e.getValue().asText()));
        return String.join("; ", parts) + (v.guidelineVersion() == null ? "" : " (guidelines v" + v.guidelineVersion()
                + ")");
    }

    /** Messages the queue page shows after a redirect (named in the URL, never free text). */
    enum Notice {
        EMPTY("Nothing is left for you to claim right now."),
        RECORDED_EMPTY("Your verdict is recorded. Nothing is left for you to claim right now."),
        RELEASED("The task went back to the queue.");

        private final String text;

        Notice(String text) {
            this.text = text;
        }

        String text() {
            return text;
        }

        static Optional<Notice> of(String name) {
            return Arrays.stream(values()).filter(n -> n.name().equals(name)).findFirst();
        }
    }
}

package dev.oversight.review.rest;

import dev.oversight.common.http.Page;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.security.Producers;
import dev.oversight.common.security.Roles;
import dev.oversight.review.service.ReviewConfig;
import dev.oversight.review.domain.GivenVerdict;
import dev.oversight.review.domain.Guideline;
import dev.oversight.review.domain.Lease;
import dev.oversight.review.domain.QueueSummary;
import dev.oversight.review.domain.Task;
import dev.oversight.review.domain.TaskKind;
import dev.oversight.review.domain.TaskStatus;
import dev.oversight.review.domain.Verdict;
import dev.oversight.review.repository.CommentRepository;
import dev.oversight.review.service.Claims;
import dev.oversight.review.service.Comments;
import dev.oversight.review.service.Guidelines;
import dev.oversight.review.service.ReviewQueries;
import dev.oversight.review.service.TaskIntake;
import dev.oversight.review.service.Verdicts;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/v1/tasks")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {

    static final int MAX_BATCH = 500;

    private final TaskIntake intake;
    private final Claims claims;
    private final Verdicts verdicts;
    private final ReviewQueries queries;
    private final SecurityIdentity caller;
    private final ReviewConfig config;
    private final Guidelines guidelines;
    private final Comments comments;

    public TaskResource(TaskIntake intake, Claims claims, Verdicts verdicts, ReviewQueries queries,
                        SecurityIdentity caller, ReviewConfig config, Guidelines guidelines, Comments comments) {
        this.comments = comments;
        this.guidelines = guidelines;
        this.intake = intake;
        this.claims = claims;
        this.verdicts = verdicts;
        this.queries = queries;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @RolesAllowed(Roles.SERVICE)
    @Operation(summary = "Create the review task of a decision (idempotent on decisionId)")
    public Response create(@Valid @NotNull(message = "a JSON task is required") TaskRequest request) {
        requireProducer();
        TaskIntake.Created created = intake.create(request.toNewTask(null), me());
        return Response.status(created.created() ? 201 : 200).entity(view(created.task(), null)).build();
    }

    /** The router's outbox delivers task requests in batches; each item is idempotent on its decision. */
    @POST
    @Path("/batch")
    @RolesAllowed(Roles.SERVICE)
    @Operation(summary = "Create the review tasks of several decisions in one transaction (idempotent on decisionId)")
    public CreatedItems createAll(
            @NotNull(message = "a JSON array of tasks is required")
            @Size(min = 1, max = MAX_BATCH, message = "must hold 1 to " + MAX_BATCH + " tasks")
            List<@Valid @NotNull TaskRequest> body) {
        requireProducer();
        List<TaskIntake.Created> created = intake.createAll(body.stream().map(t -> t.toNewTask(null)).toList(), me());
        return new CreatedItems(created.stream().map(c -> new CreatedItem(c.task().id(), c.task().decisionId(),
                c.created())).toList());
    }

    /** What claim-next may narrow to: one use case, or any. */
    public record ClaimNextRequest(@Size(max = 64) String useCase) {
    }

    /** One intake of a batch: the task of the decision, and whether this call created it. */
    public record CreatedItem(UUID taskId, UUID decisionId, boolean created) {
    }

    public record CreatedItems(List<CreatedItem> items) {
    }

    /** A renewed lease. */
    public record LeaseView(UUID taskId, long leaseToken, java.time.Instant leaseExpiresAt) {
    }

    /** What a verdict led to: the task's status, the final verdict once there is one, an adjudication if opened. */
    public record VerdictOutcome(UUID taskId, TaskStatus status, Verdict finalVerdict, UUID adjudicationTaskId) {
    }

    @GET
    @RolesAllowed({Roles.REVIEWER, Roles.SENIOR_REVIEWER, Roles.ADMIN})
    @Operation(summary = "Tasks, oldest first, filtered by status and use case")
    public Page<TaskView> list(@QueryParam("status") @Pattern(regexp = "OPEN|IN_ADJUDICATION|DONE|EXPIRED",
                             message = "must be OPEN, IN_ADJUDICATION, DONE or EXPIRED") String status,
                     @QueryParam("useCase") String useCase, @QueryParam("cursor") String cursor,
                     @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        Page<Task> page = Page.of(queries.list(status == null ? null : TaskStatus.valueOf(status), useCase,
                        cursor(cursor), limit + 1), limit,
                t -> t.id().toString());
        Map<UUID, List<GivenVerdict>> given = queries.verdictsOf(page.items().stream().map(Task::id).toList());
        return page.map(t -> view(t, given.getOrDefault(t.id(), List.of()), null, null));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.REVIEWER, Roles.SENIOR_REVIEWER, Roles.ADMIN})
    @Operation(summary = "One task (with your lease on it, if you hold one); under blind review confidence and reasons"
            + " stay hidden until your verdict is in")
    public TaskView get(@PathParam("id") UUID id) {
        Task task = queries.get(id);
        return view(task, queries.leaseOf(id, me()).orElse(null));
    }

    @GET
    @Path("/queue")
    @RolesAllowed({Roles.REVIEWER, Roles.SENIOR_REVIEWER, Roles.ADMIN})
    @Operation(summary = "Open work per use case: how much you may claim now, how much is overdue; and whether you are"
            + " paused, and why")
    public QueueSummary queue() {
        return queries.queue(me(), senior());
    }

    @POST
    @Path("/claim-next")
    @RolesAllowed({Roles.REVIEWER, Roles.SENIOR_REVIEWER})
    @Operation(summary = "Lease the most urgent task you may take; 204 when there is none")
    public Response claimNext(@Valid ClaimNextRequest body) {
        String useCase = body == null ? null : body.useCase();
        return claims.claimNext(me(), senior(), useCase)
                .map(c -> Response.ok(view(c.task(), c.lease())).build())
                .orElseGet(() -> Response.noContent().build());
    }

    @POST
    @Path("/{id}/claim")
    @RolesAllowed({Roles.REVIEWER, Roles.SENIOR_REVIEWER})
    @Operation(summary = "Lease one task")
    public TaskView claim(@PathParam("id") UUID id) {
        Claims.Claim c = claims.claim(id, me(), senior());
        return view(c.task(), c.lease());
    }

    @POST
    @Path("/{id}/lease/renew")
    @RolesAllowed({Roles.REVIEWER, Roles.SENIOR_REVIEWER})
    @Operation(summary = "Extend your lease")
    public LeaseView renew(@PathParam("id") UUID id, @Valid @NotNull LeaseRequest request) {
        Lease l = claims.renew(id, me(), request.leaseToken());
        return new LeaseView(id, l.leaseToken(), l.leaseExpiresAt());
    }

    @POST
    @Path("/{id}/release")
    @RolesAllowed({Roles.REVIEWER, Roles.SENIOR_REVIEWER})
    @Operation(summary = "Give the task back to the queue")
    public Response release(@PathParam("id") UUID id, @Valid @NotNull LeaseRequest request) {
        claims.release(id, me(), request.leaseToken());
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/verdict")
    @RolesAllowed({Roles.REVIEWER, Roles.SENIOR_REVIEWER})
    @Operation(summary = "Judge the task with your current lease token")
    public VerdictOutcome verdict(@PathParam("id") UUID id, @Valid @NotNull VerdictRequest r) {
        Verdicts.Submitted s = verdicts.submit(id, me(), r.leaseToken(), r.judgement());
        return new VerdictOutcome(id, s.status(), s.finalVerdict(), s.adjudicationTaskId());
    }

    /** Whom to assign a task to; null or absent: to nobody again. */
    public record AssignRequest(@Pattern(regexp = ReviewerResource.NAME, message = "must be a reviewer's name")
                                String reviewer) {
    }

    @POST
    @Path("/{id}/assign")
    @RolesAllowed({Roles.ADMIN, Roles.SENIOR_REVIEWER})
    @Operation(summary = "Assign an open task to a qualified reviewer (only they may claim it; first in their"
            + " claim-next), or to nobody")
    public TaskView assign(@PathParam("id") UUID id,
                           @Valid @NotNull(message = "a JSON body {reviewer} is required") AssignRequest request) {
        return view(claims.assign(id, request.reviewer(), me()), null);
    }

    /** A comment to add: the words, at most 4000 characters. */
    public record CommentRequest(@NotNull(message = "is required: what you want to say")
                                 @Size(max = Comments.MAX_CHARS) String text) {
    }

    /** A comment; {@code author} and {@code text} are absent while blind review hides them, text once erased. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record CommentView(long id, UUID taskId, String author, String text, java.time.Instant createdAt,
                              java.time.Instant erasedAt) {
        static CommentView of(CommentRepository.Comment k) {
            return new CommentView(k.id(), k.taskId(), k.author(), k.text(), k.createdAt(), k.erasedAt());
        }
    }

    public record CommentList(List<CommentView> items) {
    }

    @POST
    @Path("/{id}/comments")
    @RolesAllowed({Roles.REVIEWER, Roles.SENIOR_REVIEWER, Roles.ADMIN})
    @Operation(summary = "Add to the task's thread (the words stay here; the audit trail gets their digest)")
    public Response comment(@PathParam("id") UUID id,
                            @Valid @NotNull(message = "a JSON body {text} is required") CommentRequest request) {
        return Response.status(201).entity(CommentView.of(comments.add(id, me(), request.text()))).build();
    }

    @GET
    @Path("/{id}/comments")
    @RolesAllowed({Roles.REVIEWER, Roles.SENIOR_REVIEWER, Roles.ADMIN})
    @Operation(summary = "The task's thread, oldest first (an adjudication shows the thread of the task it settles)")
    public CommentList comments(@PathParam("id") UUID id) {
        boolean seesAll = caller.hasRole(Roles.ADMIN) || senior();
        return new CommentList(comments.thread(id, me(), seesAll).stream().map(CommentView::of).toList());
    }

    @jakarta.ws.rs.DELETE
    @Path("/{id}/comments/{comment}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Erase a comment's words (its place and its digest in the audit trail remain)")
    public Response erase(@PathParam("id") UUID id, @PathParam("comment") long comment,
                          @QueryParam("reason") @Size(max = 2000) String reason) {
        comments.erase(id, comment, me(), reason);
        return Response.noContent().build();
    }

    /** One task, with the review standard in force beside it. */
    private TaskView view(Task t, Lease lease) {
        return view(t, queries.verdicts(t.id()), lease, guidelines.current(t.useCase()).orElse(null));
    }

    private TaskView view(Task t, List<GivenVerdict> given, Lease lease, Guideline standard) {
        boolean judged = given.stream().anyMatch(v -> v.reviewer().equals(me()));
        boolean hide = t.hidesRoutingFrom(caller.hasRole(Roles.ADMIN), judged);
        List<GivenVerdict> prior = t.kind() == TaskKind.ADJUDICATION ? queries.verdicts(t.parentTaskId()) : null;
        return TaskView.of(t, given, hide, prior, lease, standard);
    }

    private String me() {
        return caller.getPrincipal().getName();
    }

    private void requireProducer() {
        Producers.require(caller, config.taskProducers(), "review tasks", "review.task-producers");
    }

    private boolean senior() {
        return caller.hasRole(Roles.SENIOR_REVIEWER);
    }

    static UUID cursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            return UUID.fromString(cursor);
        } catch (IllegalArgumentException e) {
            throw new Failure.Invalid("cursor", "is not a cursor this list returned");
        }
    }
}

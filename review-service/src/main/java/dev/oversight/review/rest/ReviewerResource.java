package dev.oversight.review.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.security.Producers;
import dev.oversight.common.security.Roles;
import dev.oversight.review.domain.Qualification;
import dev.oversight.review.domain.Requirements;
import dev.oversight.review.domain.ReviewerProfile;
import dev.oversight.review.service.ReviewConfig;
import dev.oversight.review.service.ReviewQueries;
import dev.oversight.review.service.Reviewers;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Reviewers' profiles: what each person may review (skills, languages, qualifications) and how much at once. */
@Path("/v1/reviewers")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ReviewerResource {

    /** A reviewer's name as the identity provider gives it. */
    static final String NAME = "[A-Za-z0-9._@+-]{1,128}";

    /** An admin's description of a reviewer. */
    public record ProfileRequest(
            @Size(max = 50) List<@NotNull @Pattern(regexp = Requirements.TAG, message = Requirements.TAG_MESSAGE) String> skills,
            @Size(max = 20) List<@NotNull @Pattern(regexp = Requirements.LANGUAGE, message = Requirements.LANGUAGE_MESSAGE) String> languages,
            @Size(max = 50) List<@NotNull @Valid QualificationRequest> qualifications,
            @Min(1) @Max(1000) Integer maxOpenLeases,
            Boolean active,
            @jakarta.validation.constraints.Email @Size(max = 320) String email,
            Boolean notifications,
            Boolean senior) {
    }

    /** A qualification: its tag, the last day it is valid (UTC), and what shows it (optional). */
    public record QualificationRequest(
            @NotNull @Pattern(regexp = Requirements.TAG, message = Requirements.TAG_MESSAGE) String name,
            @NotNull(message = "is required: the last day the qualification is valid, YYYY-MM-DD") LocalDate validUntil,
            @Size(max = 2000) String evidence) {
    }

    /** A reviewer as admins see them; {@code qualifications[].valid}: whether it is valid today. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProfileView(String name, List<String> skills, List<String> languages,
                              List<QualificationView> qualifications, Integer maxOpenLeases, boolean active,
                              boolean paused, String pausedWhy, Instant updatedAt, String updatedBy, String email,
                              boolean notifications, boolean senior) {
        static ProfileView of(ReviewerProfile p) {
            LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
            return new ProfileView(p.name(), p.skills(), p.languages(), p.qualifications().stream()
                    .map(q -> new QualificationView(q.name(), q.validUntil(), q.validOn(today), q.evidence())).toList(),
                    p.maxOpenLeases(), p.active(), p.paused(), p.pausedWhy(), p.updatedAt(), p.updatedBy(), p.email(),
                    p.notifications(), p.senior());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record QualificationView(String name, LocalDate validUntil, boolean valid, String evidence) {
    }

    public record ProfileList(List<ProfileView> items) {
    }

    private final Reviewers reviewers;
    private final ReviewQueries queries;
    private final SecurityIdentity caller;
    private final ReviewConfig config;

    public ReviewerResource(Reviewers reviewers, ReviewQueries queries, SecurityIdentity caller,
                            ReviewConfig config) {
        this.config = config;
        this.reviewers = reviewers;
        this.queries = queries;
        this.caller = caller;
    }

    @PUT
    @Path("/{name}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Describe a reviewer: skills, languages, qualifications, limit of open tasks, active")
    public Response put(@PathParam("name") @Pattern(regexp = NAME, message = "must be a reviewer's name") String name,
                        @Valid @NotNull(message = "a JSON body {skills?, languages?, qualifications?, maxOpenLeases?,"
                                + " active?} is required") ProfileRequest request) {
        List<QualificationRequest> given = request.qualifications() == null ? List.of() : request.qualifications();
        if (given.stream().map(QualificationRequest::name).distinct().count() < given.size()) {
            throw new Failure.Invalid("qualifications", "names a qualification twice; give each once");
        }
        Reviewers.Saved saved = reviewers.save(name, request.skills(), request.languages(), given.stream()
                        .map(q -> new Qualification(q.name(), q.validUntil(),
                                q.evidence() == null || q.evidence().isBlank() ? null : q.evidence().strip()))
                        .toList(),
                request.maxOpenLeases(), request.active() == null || request.active(),
                request.email() == null || request.email().isBlank() ? null : request.email().strip(),
                request.notifications() == null || request.notifications(), request.senior() != null && request.senior(), me());
        return Response.status(saved.changed() ? 201 : 200).entity(ProfileView.of(saved.profile())).build();
    }

    @jakarta.ws.rs.POST
    @Path("/{name}/reinstate")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Let a paused reviewer receive tasks again")
    public Response reinstate(@PathParam("name") String name) {
        queries.reinstate(name);
        return Response.noContent().build();
    }

    public record ProgressList(List<dev.oversight.review.repository.ReviewerRepository.Progress> items) {
    }

    @GET
    @Path("/progress")
    @RolesAllowed({Roles.ADMIN, Roles.SENIOR_REVIEWER, Roles.AUDITOR})
    @Operation(summary = "Per reviewer: tasks assigned, started, done and overdue, and the median time per task")
    public ProgressList progress(@jakarta.ws.rs.QueryParam("useCase") String useCase) {
        return new ProgressList(reviewers.progress(useCase));
    }

    @GET
    @Path("/over-reliance")
    @RolesAllowed({Roles.ADMIN, Roles.SENIOR_REVIEWER, Roles.AUDITOR, Roles.REVIEWER, Roles.SERVICE})
    @Operation(summary = "Per reviewer of a use case: approval rates with and without routing details shown, approvals"
            + " under the dwell floor, approvals overturned, and flags above the policy's limits (a reviewer: their own,"
            + " without gold items; the router, for its signed period reports)")
    public Reviewers.RelianceReport overReliance(
            @jakarta.ws.rs.QueryParam("useCase") @NotNull(message = "is required: the use case")
            @Pattern(regexp = "[a-z0-9-]{1,64}", message = "must be a use case name") String useCase,
            @jakarta.ws.rs.QueryParam("from") String from, @jakarta.ws.rs.QueryParam("to") String to) {
        Instant end = instant("to", to, Instant.now().plusSeconds(1));
        Instant start = instant("from", from, end.minus(java.time.Duration.ofDays(30)));
        if (!start.isBefore(end)) {
            throw new Failure.Invalid("from", "must be before to");
        }
        if (caller.hasRole(Roles.SERVICE)) {
            Producers.require(caller, config.taskProducers(), "over-reliance figures",
                    "review.task-producers");
        }
        boolean staff = caller.hasRole(Roles.ADMIN) || caller.hasRole(Roles.SENIOR_REVIEWER)
                || caller.hasRole(Roles.AUDITOR) || caller.hasRole(Roles.SERVICE);
        // A reviewer sees their own figures without gold items: a count that moved after a verdict would give a gold
        // item away.
        return reviewers.reliance(useCase, staff ? null : me(), start, end, staff);
    }

    private static Instant instant(String field, String value, Instant otherwise) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new Failure.Invalid(field, "must be an ISO-8601 instant such as 2026-12-01T00:00:00Z");
        }
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.SENIOR_REVIEWER, Roles.AUDITOR})
    @Operation(summary = "Every described reviewer")
    public ProfileList list() {
        return new ProfileList(reviewers.all().stream().map(ProfileView::of).toList());
    }

    @GET
    @Path("/{name}")
    @RolesAllowed({Roles.ADMIN, Roles.SENIOR_REVIEWER, Roles.AUDITOR, Roles.REVIEWER})
    @Operation(summary = "One reviewer's profile (a reviewer may read their own)")
    public ProfileView get(@PathParam("name") String name) {
        if (caller.hasRole(Roles.SERVICE)) {
            Producers.require(caller, config.taskProducers(), "over-reliance figures",
                    "review.task-producers");
        }
        boolean staff = caller.hasRole(Roles.ADMIN) || caller.hasRole(Roles.SENIOR_REVIEWER)
                || caller.hasRole(Roles.AUDITOR) || caller.hasRole(Roles.SERVICE);
        if (!staff && !name.equals(me())) {
            throw new Failure.NotAllowed("A reviewer may read their own profile only");
        }
        return ProfileView.of(reviewers.get(name));
    }

    private String me() {
        return caller.getPrincipal().getName();
    }
}

package dev.oversight.review.service;

import dev.oversight.common.failure.Failure;
import dev.oversight.review.domain.GivenVerdict;
import dev.oversight.review.domain.Lease;
import dev.oversight.review.domain.LeaseExpired;
import dev.oversight.review.domain.LeaseState;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oversight.review.domain.ReviewerProfile;
import dev.oversight.review.domain.Task;
import java.time.LocalDate;
import java.time.ZoneOffset;
import dev.oversight.review.repository.AssignmentRepository;
import dev.oversight.review.repository.ReviewerRepository;
import dev.oversight.review.repository.TaskRepository;
import dev.oversight.review.repository.VerdictRepository;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Claims and leases. Claims take a task's row lock ({@code FOR UPDATE SKIP LOCKED}, so concurrent claimers spread
 * over tasks) and re-count the task's taken reviewer slots under that lock, so a task is never handed to more
 * distinct reviewers than it needs. Every lease carries a fencing token; only the holder of the current, unexpired
 * token may judge.
 */
@ApplicationScoped
public class Claims {

    public record Claim(Task task, Lease lease) {
    }

    private final TaskRepository tasks;
    private final AssignmentRepository assignments;
    private final VerdictRepository verdicts;
    private final ReviewerRepository reviewers;
    private final ReviewOutbox outbox;
    private final ReviewTransactions transactions;
    private final ReviewConfig config;
    private final Notifications notifications;

    public Claims(TaskRepository tasks, AssignmentRepository assignments, VerdictRepository verdicts,
                  ReviewerRepository reviewers, ReviewOutbox outbox, ReviewTransactions transactions,
                  ReviewConfig config, Notifications notifications) {
        this.notifications = notifications;
        this.tasks = tasks;
        this.assignments = assignments;
        this.verdicts = verdicts;
        this.reviewers = reviewers;
        this.outbox = outbox;
        this.transactions = transactions;
        this.config = config;
    }

    /** The best task this reviewer may take now, leased to them; empty when nothing is claimable. */
    @WithSpan
    public Optional<Claim> claimNext(String reviewer, boolean senior, String useCase) {
        // Fast path: take the best task nobody else is locking right now.
        Optional<Claim> fast = transactions.inTransaction(c -> {
            requireMayClaim(c, reviewer);
            List<UUID> passed = new ArrayList<>();
            for (int attempt = 0; attempt < 20; attempt++) {
                List<Task> candidates = tasks.lockCandidates(c, reviewer, senior, useCase, passed.size() + 1, true);
                Optional<Task> next = candidates.stream().filter(t -> !passed.contains(t.id())).findFirst();
                if (next.isEmpty()) {
                    return Optional.empty();
                }
                passed.add(next.get().id());
                Optional<Claim> claim = leaseIfFree(c, next.get(), reviewer);
                if (claim.isPresent()) {
                    return claim;
                }
            }
            return Optional.empty();
        });
        if (fast.isPresent()) {
            return fast;
        }
        // Every free task may have been locked by a concurrent claimer, which does not mean it has no slot left
        // (a task needing three reviews is claimed three times). Wait for the best one, holding no other lock,
        // so that 204 only ever means "nothing left for you".
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<Optional<Claim>> waited = transactions.inTransaction(c -> {
                List<Task> best = tasks.lockCandidates(c, reviewer, senior, useCase, 1, false);
                if (best.isEmpty()) {
                    return Optional.of(Optional.<Claim>empty());
                }
                Optional<Claim> claim = leaseIfFree(c, best.get(0), reviewer);
                return claim.isPresent() ? Optional.of(claim) : Optional.<Optional<Claim>>empty();
            });
            if (waited.isPresent()) {
                return waited.get();
            }
        }
        return Optional.empty();
    }

    /** Claims one named task (or returns the caller's current lease on it). */
    @WithSpan
    public Claim claim(UUID taskId, String reviewer, boolean senior) {
        return transactions.inTransaction(c -> {
            ReviewerProfile me = requireMayClaim(c, reviewer);
            Task task = tasks.find(c, taskId, true).orElseThrow(() -> notFound(taskId));
            task.requireOpen("it cannot be claimed");
            if (task.seniorOnly() && !senior) {
                throw new Failure.NotAllowed("Task " + taskId + " is for senior reviewers");
            }
            task.requireNotJudgedBy(reviewer, verdicts.of(c, taskId), settledVerdicts(c, task));
            Optional<Lease> held = assignments.activeLease(c, taskId, reviewer);
            if (held.isPresent()) {
                return new Claim(task, held.get());
            }
            requireQualified(me, task);
            if (task.assignedTo() != null && !task.assignedTo().equals(reviewer)) {
                throw new Failure.Conflict("Task " + taskId + " is assigned to another reviewer; try claim-next");
            }
            if (assignments.takenSlots(c, taskId) >= task.requiredReviews()) {
                throw new Failure.Conflict("All " + task.requiredReviews() + " reviewer slots of task " + taskId
                        + " are taken; try claim-next");
            }
            return lease(c, task, reviewer);
        });
    }

    /**
     * Assigns an open task to one reviewer (null: to nobody again): only they may claim it, and it comes first in
     * their claim-next. The reviewer must be active, not paused, qualified for it today, and not have judged it.
     */
    @WithSpan
    public Task assign(UUID taskId, String reviewer, String by) {
        return transactions.inTransaction(c -> {
            Task task = tasks.find(c, taskId, true).orElseThrow(() -> notFound(taskId));
            task.requireOpen("it cannot be assigned");
            if (reviewer != null) {
                ReviewerProfile who = reviewers.profile(c, reviewer);
                if (who.paused() || !who.active()) {
                    throw new Failure.Conflict(reviewer + " is " + (who.paused() ? "paused" : "not active")
                            + " and cannot be assigned work");
                }
                who.missing(task.requires(), LocalDate.now(ZoneOffset.UTC)).ifPresent(lacks -> {
                    throw new Failure.Conflict(reviewer + " lacks what task " + taskId + " requires: " + lacks);
                });
                task.requireNotJudgedBy(reviewer, verdicts.of(c, taskId), settledVerdicts(c, task));
            }
            tasks.assign(c, taskId, reviewer, Instant.now());
            if (reviewer != null) {
                notifications.taskFor(c, task, reviewer, false, Instant.now());
            }
            ObjectNode payload = outbox.payload(task).put("assignedBy", by);
            payload.put("reviewer", reviewer);
            outbox.event(c, reviewer == null ? "TASK_UNASSIGNED" : "TASK_ASSIGNED", task, by, payload);
            return tasks.find(c, taskId, false).orElseThrow();
        });
    }

    public Lease renew(UUID taskId, String reviewer, long token) {
        return transactions.inTransaction(c -> {
            tasks.find(c, taskId, true).orElseThrow(() -> notFound(taskId));
            Lease lease = currentLease(c, taskId, reviewer, token);
            Instant expires = Instant.now().plus(config.lease());
            assignments.setState(c, taskId, token, LeaseState.ACTIVE, expires);
            return new Lease(taskId, reviewer, token, lease.claimedAt(), expires);
        });
    }

    public void release(UUID taskId, String reviewer, long token) {
        transactions.inTransaction(c -> {
            tasks.find(c, taskId, true).orElseThrow(() -> notFound(taskId));
            currentLease(c, taskId, reviewer, token);
            assignments.setState(c, taskId, token, LeaseState.RELEASED, null);
            return null;
        });
    }

    /** The reviewer's current lease with this token, checked against the clock now; otherwise {@link LeaseExpired}. */
    Lease currentLease(Connection c, UUID taskId, String reviewer, long token) throws SQLException {
        return assignments.leaseWithToken(c, taskId, reviewer, token)
                .orElseThrow(() -> new LeaseExpired(taskId, token));
    }

    /** The verdicts on the task this adjudication settles; none for a task that settles nothing. */
    List<GivenVerdict> settledVerdicts(Connection c, Task task) throws SQLException {
        return task.parentTaskId() == null ? List.of() : verdicts.of(c, task.parentTaskId());
    }

    /** Leases the locked task to the reviewer if, read afresh, it still has a slot for them. */
    private Optional<Claim> leaseIfFree(Connection c, Task task, String reviewer) throws SQLException {
        if (assignments.activeLease(c, task.id(), reviewer).isEmpty()
                && assignments.takenSlots(c, task.id()) < task.requiredReviews()) {
            return Optional.of(lease(c, task, reviewer));
        }
        return Optional.empty();
    }

    private Claim lease(Connection c, Task task, String reviewer) throws SQLException {
        Instant now = Instant.now();
        Lease lease = assignments.lease(c, task.id(), reviewer, now, now.plus(config.lease()));
        outbox.event(c, "TASK_CLAIMED", task, reviewer, outbox.payload(task).put("reviewer", reviewer)
                .put("leaseToken", lease.leaseToken()).put("leaseExpiresAt", lease.leaseExpiresAt().toString()));
        return new Claim(task, lease);
    }

    /**
     * A reviewer may take work when not paused by gold items, not made inactive by an admin, and below their limit of
     * open tasks; answers their profile.
     */
    private ReviewerProfile requireMayClaim(Connection c, String reviewer) throws SQLException {
        ReviewerProfile me = reviewers.profile(c, reviewer);
        if (me.paused()) {
            throw new Failure.NotAllowed("You are paused from reviewing: " + me.pausedWhy()
                    + ". An admin can reinstate you.");
        }
        if (!me.active()) {
            throw new Failure.NotAllowed("You are not an active reviewer; an admin can make you active again.");
        }
        if (me.maxOpenLeases() != null && reviewers.openLeases(c, reviewer) >= me.maxOpenLeases()) {
            throw new Failure.Conflict("You hold " + me.maxOpenLeases() + " open tasks, your limit: give a verdict on"
                    + " one or release it first.");
        }
        return me;
    }

    /** The task's requirements, met on the day by this reviewer's profile (403 naming what they lack). */
    static void requireQualified(ReviewerProfile reviewer, Task task) {
        reviewer.missing(task.requires(), LocalDate.now(ZoneOffset.UTC)).ifPresent(lacks -> {
            throw new Failure.NotAllowed("Task " + task.id() + " requires what you do not have on record today: " + lacks
                    + ". An admin records skills, languages and qualifications (PUT /v1/reviewers/{name}).");
        });
    }

    static Failure notFound(UUID id) {
        return new Failure.NotFound("No task " + id);
    }
}

package dev.oversight.review.service;

import dev.oversight.review.domain.AgreementReport;
import dev.oversight.review.domain.GivenVerdict;
import dev.oversight.review.domain.Lease;
import dev.oversight.review.domain.QueueSummary;
import dev.oversight.review.domain.ReviewerStats;
import dev.oversight.review.domain.Task;
import dev.oversight.review.domain.TaskStatus;
import dev.oversight.review.repository.AssignmentRepository;
import dev.oversight.review.repository.ReviewerRepository;
import dev.oversight.review.repository.TaskRepository;
import dev.oversight.review.repository.VerdictRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reading the queue and its quality figures, and reinstating paused reviewers. */
@ApplicationScoped
public class ReviewQueries {

    private final TaskRepository tasks;
    private final VerdictRepository verdicts;
    private final ReviewerRepository reviewers;
    private final AssignmentRepository assignments;
    private final ReviewTransactions transactions;

    public ReviewQueries(TaskRepository tasks, VerdictRepository verdicts, ReviewerRepository reviewers,
                         AssignmentRepository assignments, ReviewTransactions transactions) {
        this.tasks = tasks;
        this.assignments = assignments;
        this.verdicts = verdicts;
        this.reviewers = reviewers;
        this.transactions = transactions;
    }

    public Task get(UUID id) {
        return transactions.inTransaction(c -> tasks.find(c, id, false).orElseThrow(() -> Claims.notFound(id)));
    }

    /** The reviewer's live lease on the task, if they hold one (a task page opened again keeps working). */
    public Optional<Lease> leaseOf(UUID taskId, String reviewer) {
        return transactions.inTransaction(c -> assignments.activeLease(c, taskId, reviewer));
    }

    /** The open work per use case as this reviewer sees it, and whether they are paused. */
    public QueueSummary queue(String reviewer, boolean senior) {
        return transactions.inTransaction(c -> {
            Optional<String> paused = reviewers.pausedWhy(c, reviewer);
            return new QueueSummary(reviewer, paused.isPresent(), paused.orElse(null), tasks.queue(c, reviewer, senior));
        });
    }

    public List<GivenVerdict> verdicts(UUID id) {
        return transactions.inTransaction(c -> verdicts.of(c, id));
    }

    /** Verdicts of several tasks, by task, read at once (a list view shows many tasks). */
    public Map<UUID, List<GivenVerdict>> verdictsOf(List<UUID> ids) {
        return transactions.inTransaction(c -> verdicts.ofTasks(c, ids));
    }

    public List<Task> list(TaskStatus status, String useCase, UUID after, int limit) {
        return transactions.inTransaction(c -> tasks.page(c, status, useCase, after, limit));
    }

    public List<ReviewerStats> reviewerStats(String useCase) {
        return transactions.inTransaction(c -> reviewers.stats(c, useCase));
    }

    public AgreementReport.Report agreement(String useCase) {
        return AgreementReport.of(useCase, transactions.inTransaction(c -> verdicts.humanOnRealTasks(c, useCase)));
    }

    /** A corrected task, with the verdicts on its decision when it reviewed an agent's run (for their steps). */
    public record Corrected(Task task, List<GivenVerdict> verdicts) {
    }

    public List<Corrected> corrected(String useCase, UUID after, int limit) {
        return transactions.inTransaction(c -> {
            List<Corrected> out = new java.util.ArrayList<>();
            for (Task t : tasks.corrected(c, useCase, after, limit)) {
                out.add(new Corrected(t, t.trajectory() == null ? List.of() : verdicts.ofDecision(c, t.decisionId())));
            }
            return out;
        });
    }

    public void reinstate(String reviewer) {
        transactions.inTransaction(c -> {
            reviewers.setPaused(c, reviewer, false, null);
            return null;
        });
    }
}

package dev.oversight.review.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oversight.common.crypto.KeyedDigest;
import dev.oversight.common.failure.Failure;
import dev.oversight.review.domain.Task;
import dev.oversight.review.repository.CommentRepository;
import dev.oversight.review.repository.ErasureRepository;
import dev.oversight.review.repository.CommentRepository.Comment;
import dev.oversight.review.repository.TaskRepository;
import dev.oversight.review.repository.VerdictRepository;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A thread per task for its reviewers and seniors; an adjudication shares the thread of the task it settles, so the
 * adjudicator reads what was said. The words stay in the review database, where an admin can erase them; the audit
 * trail gets {@code COMMENT_ADDED} with a keyed digest of the text, never the text. Under blind review a reviewer
 * reads others' comments only once their own verdict on the task is in (as with the routing details): what others
 * said must not anchor an independent judgement. Seniors and admins read every comment.
 */
@ApplicationScoped
public class Comments {

    public static final int MAX_CHARS = 4000;

    private final CommentRepository comments;
    private final TaskRepository tasks;
    private final VerdictRepository verdicts;
    private final ReviewOutbox outbox;
    private final ReviewTransactions transactions;
    private final KeyedDigest digest;
    private final ErasureRepository salts;

    public Comments(CommentRepository comments, TaskRepository tasks, VerdictRepository verdicts, ReviewOutbox outbox,
                    ReviewTransactions transactions, KeyedDigest digest, ErasureRepository salts) {
        this.salts = salts;
        this.comments = comments;
        this.tasks = tasks;
        this.verdicts = verdicts;
        this.outbox = outbox;
        this.transactions = transactions;
        this.digest = digest;
    }

    @WithSpan
    public Comment add(UUID taskId, String author, String text) {
        String words = text == null ? "" : text.strip();
        if (words.isEmpty()) {
            throw new Failure.Invalid("text", "is required: what you want to say");
        }
        if (words.length() > MAX_CHARS) {
            throw new Failure.Invalid("text", "is longer than " + MAX_CHARS + " characters");
        }
        return transactions.inTransaction(c -> {
            Task task = tasks.find(c, taskId, false).orElseThrow(() -> Claims.notFound(taskId));
            Comment added = comments.insert(c, thread(task), taskId, author, words, Instant.now());
            ObjectNode payload = outbox.payload(task).put("commentId", added.id()).put("textHmac",
                    digest.hex(salts.saltOf(c, task.decisionId()), words));
            outbox.event(c, "COMMENT_ADDED", task, author, payload);
            return added;
        });
    }

    /** The task's thread as this viewer may read it; hidden comments keep their place without author or text. */
    public List<Comment> thread(UUID taskId, String viewer, boolean seesAll) {
        return transactions.inTransaction(c -> {
            Task task = tasks.find(c, taskId, false).orElseThrow(() -> Claims.notFound(taskId));
            boolean judged = verdicts.of(c, taskId).stream().anyMatch(v -> v.reviewer().equals(viewer));
            boolean open = seesAll || !task.blindReview() || judged;
            return comments.thread(c, thread(task)).stream()
                    .map(k -> open || k.author().equals(viewer) ? k
                            : new Comment(k.id(), k.threadId(), k.taskId(), null, null, k.createdAt(), k.erasedAt()))
                    .toList();
        });
    }

    /** Erases a comment's words (a person's right); its place in the thread and its digest in the trail remain. */
    public void erase(UUID taskId, long commentId, String admin, String reason) {
        transactions.inTransaction(c -> {
            Comment k = comments.find(c, commentId).filter(x -> x.taskId().equals(taskId) || x.threadId().equals(taskId))
                    .orElseThrow(() -> new Failure.NotFound("Task " + taskId + " has no comment " + commentId));
            if (k.erasedAt() != null) {
                return null;
            }
            comments.erase(c, commentId, Instant.now());
            Task task = tasks.find(c, k.taskId(), false).orElseThrow();
            ObjectNode payload = outbox.payload(task).put("commentId", commentId);
            if (reason != null && !reason.isBlank()) {
                payload.put("reasonHmac", digest.hex(reason.strip()));
            }
            outbox.event(c, "COMMENT_ERASED", task, admin, payload);
            return null;
        });
    }

    private static UUID thread(Task task) {
        return task.parentTaskId() != null ? task.parentTaskId() : task.id();
    }
}

package dev.oversight.review.repository;

import static dev.oversight.review.repository.Jdbc.getDouble;
import static dev.oversight.review.repository.Jdbc.instant;
import static dev.oversight.review.repository.Jdbc.value;

import dev.oversight.review.domain.AssignmentStrategy;
import dev.oversight.review.domain.OnReviewTimeout;
import dev.oversight.review.domain.Requirements;
import dev.oversight.review.domain.Task;
import dev.oversight.review.domain.TaskKind;
import dev.oversight.review.domain.TaskStatus;
import dev.oversight.review.domain.Verdict;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A {@code task} row's columns, in the order they are written, and the row read back as a {@link Task}. */
final class TaskRows {

    static final String COLUMNS = "id, decision_id, kind, parent_task_id, use_case, model_version, input,"
            + " output, raw_confidence, calibrated_confidence, reasons, required_reviews, blind_review, senior_only,"
            + " priority, escalation_level, created_at, due_at, hard_deadline_at, on_review_timeout, status,"
            + " gold_verdict, final_verdict, final_output, decided_at, traceparent, tool_call, allowed_tools, trajectory,"
            + " judgement_id, comparison, required_skills, required_languages, required_qualifications, assigned_to,"
            + " assignment, offer_seconds";
    private TaskRows() {
    }

    static List<String> strings(ResultSet rs, String column) throws SQLException {
        Array a = rs.getArray(column);
        return a == null ? List.of() : List.of((String[]) a.getArray());
    }

    static List<Task> all(PreparedStatement ps) throws SQLException {
        List<Task> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Array reasons = rs.getArray("reasons");
                Array allowed = rs.getArray("allowed_tools");
                out.add(new Task(rs.getObject("id", UUID.class), rs.getObject("decision_id", UUID.class),
                        TaskKind.valueOf(rs.getString("kind")), rs.getObject("parent_task_id", UUID.class),
                        rs.getString("use_case"), rs.getString("model_version"), rs.getString("input"),
                        rs.getString("output"), getDouble(rs, "raw_confidence"), getDouble(rs, "calibrated_confidence"),
                        List.of((String[]) reasons.getArray()), rs.getInt("required_reviews"),
                        rs.getBoolean("blind_review"), rs.getBoolean("senior_only"), rs.getInt("priority"),
                        rs.getInt("escalation_level"), instant(rs, "created_at"), instant(rs, "due_at"),
                        instant(rs, "hard_deadline_at"), OnReviewTimeout.valueOf(rs.getString("on_review_timeout")),
                        TaskStatus.valueOf(rs.getString("status")), value(Verdict.class, rs.getString("gold_verdict")),
                        value(Verdict.class, rs.getString("final_verdict")), rs.getString("final_output"),
                        instant(rs, "decided_at"), rs.getString("traceparent"), rs.getBoolean("tool_call"),
                        allowed == null ? null : List.of((String[]) allowed.getArray()), rs.getString("trajectory"),
                        rs.getObject("judgement_id", UUID.class), rs.getString("comparison"),
                        new Requirements(strings(rs, "required_skills"), strings(rs, "required_languages"),
                                strings(rs, "required_qualifications")), rs.getString("assigned_to"),
                        AssignmentStrategy.valueOf(rs.getString("assignment")), rs.getInt("offer_seconds")));
            }
        }
        return out;
    }
}

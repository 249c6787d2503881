package dev.oversight.routing.outcomes.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.routing.domain.DecisionKind;
import dev.oversight.routing.domain.DecisionRecord;
import dev.oversight.routing.domain.DecisionStatus;
import dev.oversight.common.agents.ProcessJudgement;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What an agent is told from its reviewers' verdicts: when people reject its tool call, their rationales
 * ({@code feedback}), so that it can try another way; when they judged the steps of its run, how they judged the
 * process ({@code process}). An approved or corrected call is its {@code finalOutput}.
 */
@ApplicationScoped
public class AgentFeedback {

    /** The feedback (null unless a rejected tool call) and the process judgement (null unless judged). */
    public record ForAgent(String feedback, ProcessJudgement process) {
        static final ForAgent NONE = new ForAgent(null, null);
    }

    private final ObjectMapper json;

    public AgentFeedback(ObjectMapper json) {
        this.json = json;
    }

    /** What the agent is told about this decision. */
    public ForAgent of(DecisionRecord d) {
        // Only a rejected tool call has feedback and only a run with steps a process judgement: any other decision
        // (most reads and long polls) answers without parsing its verdicts.
        if (d.verdicts() == null || "[]".equals(d.verdicts()) || !(rejectedCall(d) || d.trajectory() != null)) {
            return ForAgent.NONE;
        }
        try {
            return of(d, json.readTree(d.verdicts()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored verdicts are unreadable", e);
        }
    }

    /** The same, from the decision's verdicts already read. */
    public ForAgent of(DecisionRecord d, JsonNode verdicts) {
        boolean rejectedCall = rejectedCall(d);
        List<String> why = new ArrayList<>();
        Set<ProcessJudgement> judged = EnumSet.noneOf(ProcessJudgement.class);
        for (JsonNode v : verdicts) {
            if (rejectedCall && "REJECT".equals(v.path("verdict").asText()) && v.path("rationale").isTextual()) {
                why.add(v.get("rationale").textValue());
            }
            if (v.path("process").isTextual()) {
                judged.add(ProcessJudgement.valueOf(v.get("process").textValue()));
            }
        }
        return new ForAgent(why.isEmpty() ? null : String.join("\n", why), ProcessJudgement.of(judged));
    }

    private static boolean rejectedCall(DecisionRecord d) {
        return d.kind() == DecisionKind.TOOL_CALL && d.status() == DecisionStatus.REJECTED;
    }
}

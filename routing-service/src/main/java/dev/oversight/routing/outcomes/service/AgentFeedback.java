package dev.oversight.routing.outcomes.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.routing.domain.DecisionKind;
import dev.oversight.routing.domain.DecisionRecord;
import dev.oversight.routing.domain.DecisionStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * What an agent is told when people reject its tool call: the rejecting reviewers' rationales, so that it can try
 * another way. Only for a rejected tool call; an approved or corrected call is its {@code finalOutput}.
 */
@ApplicationScoped
public class AgentFeedback {

    private final ObjectMapper json;

    public AgentFeedback(ObjectMapper json) {
        this.json = json;
    }

    /** The feedback for this decision, or null when it is not a rejected tool call. */
    public String of(DecisionRecord d) {
        if (!rejectedCall(d) || d.verdicts() == null) {
            return null;
        }
        try {
            return of(d, json.readTree(d.verdicts()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored verdicts are unreadable", e);
        }
    }

    /** The same, from the decision's verdicts already read. */
    public String of(DecisionRecord d, JsonNode verdicts) {
        if (!rejectedCall(d)) {
            return null;
        }
        List<String> why = new ArrayList<>();
        for (JsonNode v : verdicts) {
            if ("REJECT".equals(v.path("verdict").asText()) && v.path("rationale").isTextual()) {
                why.add(v.get("rationale").textValue());
            }
        }
        return why.isEmpty() ? null : String.join("\n", why);
    }

    private static boolean rejectedCall(DecisionRecord d) {
        return d.kind() == DecisionKind.TOOL_CALL && d.status() == DecisionStatus.REJECTED;
    }
}

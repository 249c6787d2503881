package dev.oversight.routing.decide.service;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.common.crypto.KeyedDigest;
import dev.oversight.common.outbox.OutboxEvent;
import dev.oversight.routing.config.service.EventOutbox;
import dev.oversight.routing.domain.DecisionKind;
import dev.oversight.routing.domain.DecisionRecord;
import dev.oversight.routing.domain.Policy;
import dev.oversight.routing.domain.ReviewerRequirements;
import dev.oversight.routing.domain.Route;
import dev.oversight.routing.domain.ToolRule;
import dev.oversight.routing.domain.Router;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The outbox rows a new decision writes with itself: DECISION_MADE for the audit trail and, for REVIEW, the
 * review task request. The audit event holds keyed digests (HMAC-SHA-256 under the deployment's digest key) of the
 * output, the input, the trajectory and the idempotency key, not the data: the trail proves what was decided without copying personal
 * data into a log that can never be erased, and without a digest that confirms a guessed text. Each decision's
 * digests take its own salt, which an erasure deletes with the data.
 */
final class DecisionEvents {

    /** Review priority by stakes: a rule's hit first, then doubt about the model, then random audit samples. */
    static final int PRIORITY_RULE = 100;
    static final int PRIORITY_DOUBT = 50;
    static final int PRIORITY_SAMPLE = 10;

    private DecisionEvents() {
    }

    static List<OutboxEvent> of(DecisionRecord d, Policy policy, String traceparent, ObjectMapper json,
                                KeyedDigest digest) {
        List<OutboxEvent> events = new ArrayList<>(2);
        events.add(new OutboxEvent(d.id(), EventOutbox.AUDIT, EventOutbox.DECISION_MADE, d.id().toString(),
                d.useCase(), d.owner(), traceparent, null, d.createdAt(), made(d, json, digest)));
        if (d.route() == Route.REVIEW) {
            events.add(new OutboxEvent(d.reviewTaskId(), EventOutbox.REVIEW, EventOutbox.TASK_REQUESTED,
                    d.id().toString(), d.useCase(), d.owner(), traceparent, null, d.createdAt(),
                    taskRequest(d, policy, traceparent, json)));
        }
        return events;
    }

    static int priority(List<String> reasons) {
        if (reasons.stream().anyMatch(r -> r.startsWith("RULE:"))) {
            return PRIORITY_RULE;
        }
        return reasons.equals(List.of(Router.AUDIT_SAMPLE)) ? PRIORITY_SAMPLE : PRIORITY_DOUBT;
    }

    private static String made(DecisionRecord d, ObjectMapper json, KeyedDigest digest) {
        return write(json, g -> {
            g.writeStringField("decisionId", d.id().toString());
            g.writeStringField("useCase", d.useCase());
            g.writeStringField("modelVersion", d.modelVersion());
            g.writeStringField("owner", d.owner());
            g.writeStringField("route", d.route().name());
            g.writeStringField("status", d.status().name());
            if (d.kind() == DecisionKind.TOOL_CALL) {
                // The call itself stays out of the log, as an output does: its digest is outputHmac.
                g.writeStringField("kind", d.kind().name());
            }
            reasons(g, d.reasons());
            number(g, "rawConfidence", d.rawConfidence());
            number(g, "calibratedConfidence", d.calibratedConfidence());
            number(g, "threshold", d.threshold());
            if (d.signals() != null) {
                // Model scores, not people's data: the trail keeps what the decision was calibrated from.
                g.writeFieldName("signals");
                g.writeRawValue(d.signals());
            }
            g.writeNumberField("policyVersion", d.policyVersion());
            g.writeNumberField("calibratorVersion", d.calibratorVersion());
            if (d.reviewTaskId() != null) {
                g.writeStringField("reviewTaskId", d.reviewTaskId().toString());
            }
            g.writeStringField("outputHmac", digest.hex(d.digestSalt(), d.output()));
            if (d.input() != null) {
                g.writeStringField("inputHmac", digest.hex(d.digestSalt(), d.input()));
            }
            if (d.trajectory() != null) {
                // The agent's steps can hold anything (people's words included): the trail keeps their digest.
                g.writeStringField("trajectoryHmac", digest.hex(d.digestSalt(), d.trajectory()));
            }
            if (d.idempotencyKey() != null) {
                g.writeStringField("idempotencyKeyHmac", digest.hex(d.digestSalt(), d.idempotencyKey()));
            }
        });
    }

    /** The body of the review service's task intake. */
    private static String taskRequest(DecisionRecord d, Policy policy, String traceparent, ObjectMapper json) {
        return write(json, g -> {
            g.writeStringField("taskId", d.reviewTaskId().toString());
            g.writeStringField("decisionId", d.id().toString());
            g.writeStringField("useCase", d.useCase());
            g.writeStringField("modelVersion", d.modelVersion());
            if (d.input() != null) {
                g.writeFieldName("input");
                g.writeRawValue(d.input());
            }
            g.writeFieldName("output");
            g.writeRawValue(d.output());
            if (d.trajectory() != null) {
                g.writeFieldName("trajectory");
                g.writeRawValue(d.trajectory());
            }
            number(g, "rawConfidence", d.rawConfidence());
            number(g, "calibratedConfidence", d.calibratedConfidence());
            reasons(g, d.reasons());
            g.writeNumberField("requiredReviews", d.requiredReviews());
            g.writeNumberField("slaSeconds", policy.reviewSlaSeconds());
            g.writeStringField("onReviewTimeout", policy.onReviewTimeout().name());
            g.writeBooleanField("blindReview", policy.blindReview());
            g.writeNumberField("priority", priority(d.reasons()));
            if (policy.assignment() != null) {
                g.writeStringField("assignment", policy.assignment().name());
                g.writeNumberField("offerSeconds", policy.offerSeconds());
            }
            if (policy.reviewerLimits() != null) {
                g.writeFieldName("reviewerLimits");
                g.writeStartObject();
                if (policy.reviewerLimits().minDwellSeconds() != null) {
                    g.writeNumberField("minDwellSeconds", policy.reviewerLimits().minDwellSeconds());
                }
                if (policy.reviewerLimits().maxFastApprovalRate() != null) {
                    g.writeNumberField("maxFastApprovalRate", policy.reviewerLimits().maxFastApprovalRate());
                }
                if (policy.reviewerLimits().maxApprovalGap() != null) {
                    g.writeNumberField("maxApprovalGap", policy.reviewerLimits().maxApprovalGap());
                }
                g.writeEndObject();
            }
            ReviewerRequirements requires = policy.reviewersFor(d.reasons());
            if (!requires.requiresNothing()) {
                // Only reviewers with these on record may take the task.
                g.writeFieldName("requires");
                g.writeStartObject();
                strings(g, "skills", requires.skills());
                strings(g, "languages", requires.languages());
                strings(g, "qualifications", requires.qualifications());
                g.writeEndObject();
            }
            if (d.kind() == DecisionKind.TOOL_CALL) {
                // A correction must itself be a call the agent may make: a tool the policy allows (not a blocked one).
                g.writeBooleanField("toolCall", true);
                if (policy.tools() != null) {
                    g.writeArrayFieldStart("allowedTools");
                    for (ToolRule t : policy.tools()) {
                        if (t.route() != ToolRule.Route.BLOCK) {
                            g.writeString(t.name());
                        }
                    }
                    g.writeEndArray();
                }
            }
            if (traceparent != null) {
                g.writeStringField("traceparent", traceparent);
            }
        });
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(ObjectMapper json, Fields fields) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private static void reasons(JsonGenerator g, List<String> reasons) throws IOException {
        g.writeArrayFieldStart("reasons");
        for (String r : reasons) {
            g.writeString(r);
        }
        g.writeEndArray();
    }

    private static void number(JsonGenerator g, String field, Double value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, value);
        }
    }
}

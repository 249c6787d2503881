package dev.oversight.console.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.TemplateData;
import java.util.ArrayList;
import java.util.List;

/** How the console shows an agent's work to a reviewer: its tool call as a call, its run as steps in order. */
final class AgentViews {

    /** Steps whose content is longer than this (as text) are folded: the reviewer opens them. */
    static final int FOLD_CHARS = 600;

    private AgentViews() {
    }

    /**
     * An agent's tool call as a reviewer reads it: the tool, and each argument with its value as a readable tree and
     * as the reviewer edits it ({@code edit}: a string's text when {@code text}, any other value's JSON).
     */
    @TemplateData
    public record ToolCallView(String name, List<Argument> arguments) {

        @TemplateData
        public record Argument(String name, String valueHtml, String edit, boolean text) {
        }
    }

    /** One step: its index (from 0), kind, who or which tool, its content, and whether it is folded for length. */
    @TemplateData
    public record StepView(int index, String kind, String label, String name, String contentHtml, boolean folded,
                           int chars) {
    }

    /** Steps read together: a tool call and the results of that tool that follow it, or one step on its own. */
    @TemplateData
    public record StepGroup(boolean paired, List<StepView> steps) {
    }

    @TemplateData
    public record TrajectoryView(int size, List<StepGroup> groups) {
    }

    static ToolCallView call(JsonNode call, Views views) {
        List<ToolCallView.Argument> args = new ArrayList<>();
        call.path("arguments").fields().forEachRemaining(e -> args.add(new ToolCallView.Argument(e.getKey(),
                views.tree(e.getValue()), e.getValue().isTextual() ? e.getValue().textValue() : e.getValue().toString(),
                e.getValue().isTextual())));
        return new ToolCallView(call.path("name").asText(), args);
    }

    /** The steps in order, a tool call paired with its results; null when there are none. */
    static TrajectoryView trajectory(JsonNode steps, Views views) {
        if (steps == null || !steps.isArray() || steps.isEmpty()) {
            return null;
        }
        List<StepGroup> groups = new ArrayList<>();
        List<StepView> call = null;
        String callName = null;
        for (int i = 0; i < steps.size(); i++) {
            StepView step = step(i, steps.get(i), views);
            boolean result = step.kind().equals("tool_result");
            if (call != null && result && (step.name() == null || callName == null || step.name().equals(callName))) {
                call.add(step);
                continue;
            }
            if (call != null) {
                groups.add(new StepGroup(call.size() > 1, List.copyOf(call)));
                call = null;
            }
            if (step.kind().equals("tool_call")) {
                call = new ArrayList<>(List.of(step));
                callName = step.name();
            } else {
                groups.add(new StepGroup(false, List.of(step)));
            }
        }
        if (call != null) {
            groups.add(new StepGroup(call.size() > 1, List.copyOf(call)));
        }
        return new TrajectoryView(steps.size(), groups);
    }

    private static StepView step(int index, JsonNode s, Views views) {
        String kind = s.path("kind").asText();
        JsonNode content = s.path("content");
        String text = content.isTextual() ? content.textValue() : content.toString();
        String html = content.isTextual() ? "<p class=\"step-text\">" + Views.escape(text) + "</p>" : views.tree(content);
        return new StepView(index, kind, label(kind), s.path("name").isTextual() ? s.get("name").textValue() : null,
                html, text.length() > FOLD_CHARS, text.length());
    }

    private static String label(String kind) {
        return switch (kind) {
            case "message" -> "Message";
            case "reasoning" -> "Reasoning";
            case "tool_call" -> "Tool call";
            case "tool_result" -> "Tool result";
            default -> kind;
        };
    }
}

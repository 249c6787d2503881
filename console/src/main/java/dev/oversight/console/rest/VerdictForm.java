package dev.oversight.console.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.oversight.console.client.ReviewApi;
import dev.oversight.console.domain.Verdict;
import io.quarkus.qute.TemplateData;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The verdict form as a reviewer sent it: the verdict, rationale and correction (as JSON text, or for an agent's tool
 * call as a tool and its arguments edited field by field), and on an agent's run the process and the judged steps.
 */
final class VerdictForm {

    /** What the form could not make sense of, said to the reviewer. */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    /** A field carried unchanged through the confirmation of a correction. */
    @TemplateData
    public record Carried(String name, String value) {
    }

    private final MultivaluedMap<String, String> fields;

    VerdictForm(MultivaluedMap<String, String> fields) {
        this.fields = fields;
    }

    private String field(String name) {
        String v = fields.getFirst(name);
        return v == null || v.isBlank() ? null : v;
    }

    long leaseToken() {
        try {
            return Long.parseLong(fields.getFirst("leaseToken"));
        } catch (NumberFormatException | NullPointerException e) {
            return -1; // the review service answers: no such lease
        }
    }

    Optional<Verdict> verdict() {
        return Arrays.stream(Verdict.values()).filter(v -> v.name().equals(fields.getFirst("verdict"))).findFirst();
    }

    String rationale() {
        String r = field("rationale");
        return r == null ? null : r.strip();
    }

    /** The correction as the reviewer typed it (JSON text), when they edited JSON rather than a call's fields. */
    String correctedText() {
        return fields.getFirst("correctedOutput");
    }

    boolean confirmed() {
        return "yes".equals(fields.getFirst("confirmed"));
    }

    String useCase() {
        return Views.orNull(fields.getFirst("useCase"));
    }

    /** SOUND, FLAWED, or null when the reviewer did not judge the process. */
    String process() {
        String p = field("process");
        return "SOUND".equals(p) || "FLAWED".equals(p) ? p : null;
    }

    /** The steps the reviewer marked OK or WRONG, by index, with their notes; a note needs a mark. */
    List<ReviewApi.StepBody> steps() throws Unreadable {
        Map<Integer, ReviewApi.StepBody> out = new TreeMap<>();
        for (String name : fields.keySet()) {
            if (!name.startsWith("stepVerdict.") && !name.startsWith("stepNote.")) {
                continue;
            }
            int index;
            try {
                index = Integer.parseInt(name.substring(name.indexOf('.') + 1));
            } catch (NumberFormatException e) {
                continue;
            }
            String verdict = field("stepVerdict." + index);
            String note = field("stepNote." + index);
            if (verdict == null && note != null) {
                throw new Unreadable("Step " + index + " has a note but no mark: mark it OK or Wrong, or clear the note.");
            }
            if ("OK".equals(verdict) || "WRONG".equals(verdict)) {
                out.put(index, new ReviewApi.StepBody(index, verdict, note == null ? null : note.strip()));
            }
        }
        return new ArrayList<>(out.values());
    }

    /** The criteria the reviewer scored under the guidelines, by name; null when they scored none. */
    Map<String, String> scores() {
        Map<String, String> out = new TreeMap<>();
        for (String name : fields.keySet()) {
            String label = name.startsWith("score.") ? field(name) : null;
            if (label != null) {
                out.put(name.substring("score.".length()), label);
            }
        }
        return out.isEmpty() ? null : out;
    }

    /** The process, step and score fields, carried through the confirmation of a correction. */
    List<Carried> judgementFields() {
        List<Carried> out = new ArrayList<>();
        fields.forEach((name, values) -> {
            if ((name.equals("process") || name.startsWith("stepVerdict.") || name.startsWith("stepNote.")
                    || name.startsWith("score."))
                    && !values.isEmpty() && values.get(0) != null && !values.get(0).isBlank()) {
                out.add(new Carried(name, values.get(0)));
            }
        });
        return out;
    }

    /**
     * The correction: the JSON the reviewer typed or confirmed, or else the tool call they edited field by field;
     * null when they gave none.
     */
    JsonNode correction(Views views) throws Unreadable {
        String text = correctedText();
        if (text != null && !text.isBlank()) {
            try {
                return views.parse(text);
            } catch (JsonProcessingException e) {
                throw new Unreadable("The corrected output is not valid JSON: " + e.getOriginalMessage());
            }
        }
        String tool = field("toolName");
        return tool == null ? null : editedCall(tool.strip(), views);
    }

    /**
     * A call edited field by field: each argument's value as typed when it was text, as JSON otherwise; removed ones
     * left out; a new one (JSON, or text when it is not JSON) added.
     */
    private JsonNode editedCall(String tool, Views views) throws Unreadable {
        ObjectNode call = JsonNodeFactory.instance.objectNode().put("name", tool);
        ObjectNode arguments = call.putObject("arguments");
        for (int i = 0; fields.containsKey("argName." + i); i++) {
            String name = fields.getFirst("argName." + i);
            if ("yes".equals(fields.getFirst("argRemove." + i))) {
                continue;
            }
            String value = fields.getFirst("argValue." + i);
            value = value == null ? "" : value;
            if ("true".equals(fields.getFirst("argText." + i))) {
                arguments.set(name, TextNode.valueOf(value));
                continue;
            }
            try {
                arguments.set(name, views.parse(value));
            } catch (JsonProcessingException e) {
                throw new Unreadable("Argument '" + name + "' is not a JSON value (numbers, true or false, lists and"
                        + " objects are written as JSON): " + e.getOriginalMessage());
            }
        }
        String added = field("newArgName");
        if (added != null) {
            String value = fields.getFirst("newArgValue");
            JsonNode parsed;
            try {
                parsed = value == null || value.isBlank() ? TextNode.valueOf("") : views.parse(value);
            } catch (JsonProcessingException e) {
                parsed = TextNode.valueOf(value);
            }
            arguments.set(added.strip(), parsed);
        }
        return call;
    }
}

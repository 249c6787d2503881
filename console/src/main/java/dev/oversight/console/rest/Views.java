package dev.oversight.console.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/** Turning the services' JSON into what templates show: plain values, readable trees, SVG charts. */
@ApplicationScoped
public class Views {

    private final ObjectMapper json;

    public Views(ObjectMapper json) {
        this.json = json;
    }

    /** A form or query value, stripped, or null when it is missing or blank. */
    public static String orNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /**
     * A datetime-local form value (no zone) read as UTC, ISO-8601 with offset; anything else is passed on for the
     * service to refuse by field name; null when blank.
     */
    public static String utc(String local) {
        String v = orNull(local);
        if (v == null) {
            return null;
        }
        try {
            return java.time.LocalDateTime.parse(v).atOffset(java.time.ZoneOffset.UTC).toString();
        } catch (java.time.format.DateTimeParseException e) {
            return v;
        }
    }

    /** Maps, lists and scalars that templates read by name ({@code task.useCase}). */
    public Object plain(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : json.convertValue(node, Object.class);
    }

    public String pretty(JsonNode node) {
        try {
            return node == null || node.isMissingNode() ? "" : json.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    public JsonNode parse(String text) throws JsonProcessingException {
        return json.readTree(text);
    }

    /**
     * A JSON value as nested HTML that a reviewer reads at a glance: objects as term/definition lists, arrays as
     * numbered lists, strings as text. Every piece of text is escaped.
     */
    public String tree(JsonNode node) {
        StringBuilder out = new StringBuilder();
        tree(node, out, 0);
        return out.toString();
    }

    private void tree(JsonNode node, StringBuilder out, int depth) {
        if (node == null || node.isMissingNode()) {
            out.append("<span class=\"json-empty\">(none)</span>");
        } else if (node.isObject()) {
            if (node.isEmpty()) {
                out.append("<span class=\"json-empty\">{}</span>");
                return;
            }
            out.append("<dl class=\"json-object\">");
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                out.append("<dt>").append(escape(f.getKey())).append("</dt><dd>");
                tree(f.getValue(), out, depth + 1);
                out.append("</dd>");
            }
            out.append("</dl>");
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                out.append("<span class=\"json-empty\">[]</span>");
                return;
            }
            out.append("<ol class=\"json-array\" start=\"0\">");
            for (JsonNode item : node) {
                out.append("<li>");
                tree(item, out, depth + 1);
                out.append("</li>");
            }
            out.append("</ol>");
        } else if (node.isTextual()) {
            out.append("<span class=\"json-string\">").append(escape(node.asText())).append("</span>");
        } else if (node.isNull()) {
            out.append("<span class=\"json-null\">null</span>");
        } else {
            out.append("<span class=\"json-scalar\">").append(escape(node.toString())).append("</span>");
        }
    }

    /**
     * A reliability diagram: per bin, mean confidence (x) against observed accuracy (y), dot area by weight, with the
     * diagonal of perfect calibration. Drawn on the server as SVG, so it needs no script.
     */
    public String reliabilitySvg(JsonNode bins) {
        int size = 320;
        int pad = 36;
        double plot = size - 2.0 * pad;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(size).append(' ').append(size)
                .append("\" width=\"").append(size).append("\" height=\"").append(size)
                .append("\" role=\"img\" aria-labelledby=\"reliability-title\" class=\"reliability\">")
                .append("<title id=\"reliability-title\">Reliability diagram: observed accuracy against mean calibrated"
                        + " confidence per bin; the diagonal is perfect calibration</title>");
        svg.append(rect(pad, pad, plot, plot));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%d\" class=\"diagonal\"/>",
                pad, pad + plot, pad + plot, pad));
        for (int t = 0; t <= 4; t++) {
            double v = t / 4.0;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">%.2f</text>",
                    pad + v * plot, size - pad + 16, v));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%.2f</text>",
                    pad - 4, pad + plot - v * plot + 4, v));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"axis\" text-anchor=\"middle\">mean confidence</text>",
                pad + plot / 2, size - 4));
        svg.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%.1f\" class=\"axis\" text-anchor=\"middle\""
                + " transform=\"rotate(-90 12 %.1f)\">accuracy</text>", pad + plot / 2, pad + plot / 2));
        double total = 0;
        for (JsonNode b : bins) {
            total += b.path("weight").asDouble(b.path("count").asDouble());
        }
        for (JsonNode b : bins) {
            if (!b.hasNonNull("meanConfidence") || !b.hasNonNull("accuracy")) {
                continue;
            }
            double x = pad + b.get("meanConfidence").asDouble() * plot;
            double y = pad + plot - b.get("accuracy").asDouble() * plot;
            double w = total == 0 ? 0 : b.path("weight").asDouble(b.path("count").asDouble()) / total;
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" class=\"bin\">"
                            + "<title>confidence %.3f, accuracy %.3f, %d labels</title></circle>",
                    x, y, 3 + 12 * Math.sqrt(w), b.get("meanConfidence").asDouble(), b.get("accuracy").asDouble(),
                    b.path("count").asInt()));
        }
        return svg.append("</svg>").toString();
    }

    private static String rect(int x, int y, double w, double h) {
        return String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" class=\"frame\"/>", x, y, w, h);
    }

    public static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}

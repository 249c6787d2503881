package dev.oversight.console.rest;

import io.quarkus.qute.TemplateExtension;
import java.util.List;
import java.util.Locale;

/** Number and interval formatting for templates: {@code {f:num(x, 3)}}, {@code {f:pct(x)}}, {@code {f:interval(x)}}. */
@TemplateExtension(namespace = "f")
public final class Formats {

    private Formats() {
    }

    static String num(Object value, int digits) {
        return value instanceof Number n ? String.format(Locale.ROOT, "%." + digits + "f", n.doubleValue()) : "–";
    }

    static String pct(Object value) {
        return value instanceof Number n ? String.format(Locale.ROOT, "%.1f%%", 100 * n.doubleValue()) : "–";
    }

    static String interval(Object value) {
        if (value instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Number a && l.get(1) instanceof Number b) {
            return String.format(Locale.ROOT, "[%.4f, %.4f]", a.doubleValue(), b.doubleValue());
        }
        return "–";
    }

    static String text(Object value) {
        return value == null ? "–" : String.valueOf(value);
    }

    static String joined(Object value) {
        return value instanceof List<?> l ? String.join(", ", l.stream().map(String::valueOf).toList()) : text(value);
    }
}

package dev.oversight.common.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.List;
import java.util.regex.Pattern;

/**
 * W3C trace context carried through the outbox: a change records the {@code traceparent} it ran in, and the work
 * it causes in another service (a task, a verdict's outcome) continues that trace, so one trace shows a decision
 * from route to audit.
 */
public final class Traces {

    private static final Pattern TRACEPARENT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final TextMapGetter<String> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
            return "traceparent".equals(key) ? carrier : null;
        }
    };

    private Traces() {
    }

    /** The current span's context as a traceparent header value, or null outside a valid span. */
    public static String currentTraceparent() {
        SpanContext s = Span.current().getSpanContext();
        return s.isValid() ? "00-" + s.getTraceId() + "-" + s.getSpanId() + "-" + s.getTraceFlags().asHex() : null;
    }

    /** The trace id (32 hex) of a traceparent, or null. */
    public static String traceId(String traceparent) {
        return isValid(traceparent) ? traceparent.substring(3, 35) : null;
    }

    public static boolean isValid(String traceparent) {
        return traceparent != null && TRACEPARENT.matcher(traceparent).matches()
                && !traceparent.startsWith("00-00000000000000000000000000000000");
    }

    /**
     * Starts a span as a child of the given traceparent (or of the current context when it is missing or invalid),
     * linked to the current span. The caller ends it.
     */
    public static Span startChild(Tracer tracer, String name, String traceparent) {
        Context parent = Context.current();
        if (isValid(traceparent)) {
            parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, GETTER);
        }
        var builder = tracer.spanBuilder(name).setParent(parent);
        SpanContext current = Span.current().getSpanContext();
        if (current.isValid()) {
            builder.addLink(current);
        }
        return builder.startSpan();
    }
}

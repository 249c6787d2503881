package dev.oversight.routing.domain;

import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Map;

/**
 * A policy's {@code segments.by} compiled once: a CEL expression over {@code attributes} (map of string to any JSON
 * value, as rules see it) whose value names an output's segment. A string is the name; an integer, a double or a
 * bool is named by its text (so {@code attributes.tier} of 2 is segment "2"); anything else (null, a list, a map, an
 * error such as a missing attribute) is {@link Segments#NONE}, a segment of its own. Names longer than 64 characters
 * are cut to 64.
 */
public final class SegmentKey {

    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(Cel.OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("attributes", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .setResultType(SimpleType.DYN)
            .build();
    private static final int MAX_NAME = 64;

    private final String expression;
    private final CelRuntime.Program program;

    private SegmentKey(String expression, CelRuntime.Program program) {
        this.expression = expression;
        this.program = program;
    }

    public static SegmentKey compile(String expression) throws RuleCompilationException {
        CelValidationResult result = COMPILER.compile(expression);
        try {
            return new SegmentKey(expression, Cel.RUNTIME.createProgram(result.getAst()));
        } catch (CelValidationException e) {
            throw new RuleCompilationException("segments.by", result.getErrorString());
        } catch (CelEvaluationException e) {
            throw new RuleCompilationException("segments.by", e.getMessage());
        }
    }

    /** The segment of an output with these attributes (CEL values, see {@link CelValues}). */
    public String of(Map<String, Object> attributes) {
        Object out;
        try {
            out = program.eval(Map.of("attributes", attributes == null ? Map.of() : attributes));
        } catch (CelEvaluationException | RuntimeException e) {
            return Segments.NONE;
        }
        String name = out instanceof String s ? s
                : out instanceof Long || out instanceof Double || out instanceof Boolean ? out.toString()
                : null;
        if (name == null) {
            return Segments.NONE;
        }
        return name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name;
    }

    public String expression() {
        return expression;
    }
}

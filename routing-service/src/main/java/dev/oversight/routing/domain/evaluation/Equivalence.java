package dev.oversight.routing.domain.evaluation;

import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.oversight.routing.domain.Cel;
import dev.oversight.routing.domain.RuleCompilationException;
import java.util.Map;

/**
 * When a candidate's output counts as the same as the human reference: a CEL expression over {@code candidate}
 * and {@code reference} (the two outputs as JSON values: maps, lists, strings, numbers as int or double; CEL
 * compares an int with a double but computes on one type, so arithmetic across them needs {@code double()}) that
 * yields a bool, for example {@code candidate.decision == reference.decision}. Without one, outputs are equal when
 * their RFC 8785 canonical texts are (key order and number spelling do not matter).
 *
 * <p>An expression that fails on an item (a missing field, a type mismatch) cannot decide it: the item is left
 * undecided rather than counted either way.
 */
public final class Equivalence {

    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(Cel.OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("candidate", SimpleType.DYN)
            .addVar("reference", SimpleType.DYN)
            .setResultType(SimpleType.BOOL)
            .build();

    private final CelRuntime.Program program;

    private Equivalence(CelRuntime.Program program) {
        this.program = program;
    }

    public static Equivalence compile(String expression) throws RuleCompilationException {
        CelValidationResult result = COMPILER.compile(expression);
        try {
            return new Equivalence(Cel.RUNTIME.createProgram(result.getAst()));
        } catch (CelValidationException e) {
            throw new RuleCompilationException("equivalence", result.getErrorString());
        } catch (CelEvaluationException e) {
            throw new RuleCompilationException("equivalence", e.getMessage());
        }
    }

    /** TRUE or FALSE, or null when the expression cannot decide these two values. */
    public Boolean equivalent(Object candidate, Object reference) {
        try {
            Object out = program.eval(Map.of("candidate", candidate, "reference", reference));
            return out instanceof Boolean b ? b : null;
        } catch (CelEvaluationException | RuntimeException e) {
            return null;
        }
    }
}

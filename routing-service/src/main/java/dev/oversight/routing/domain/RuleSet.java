package dev.oversight.routing.domain;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A policy's rules compiled once, when the policy is saved or loaded, and evaluated per request.
 *
 * <p>Rules see {@code attributes} (map of string to any JSON value), {@code confidence} (calibrated, or the raw
 * confidence when calibration failed), {@code rawConfidence} and {@code modelVersion}, and must yield a bool.
 * A rule that fails at evaluation time (a missing attribute, a type mismatch) counts as matched: a broken
 * safeguard must divert outputs, never let them through.
 */
public final class RuleSet {

    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(Cel.OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("attributes", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("confidence", SimpleType.DOUBLE)
            .addVar("rawConfidence", SimpleType.DOUBLE)
            .addVar("modelVersion", SimpleType.STRING)
            .addVar("toolCall", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .setResultType(SimpleType.BOOL)
            .build();

    public static final RuleSet EMPTY = new RuleSet(List.of());

    private final List<CompiledRule> rules;

    private RuleSet(List<CompiledRule> rules) {
        this.rules = rules;
    }

    public static RuleSet compile(List<Rule> rules) throws RuleCompilationException {
        List<CompiledRule> compiled = new ArrayList<>(rules.size());
        for (Rule rule : rules) {
            CelValidationResult result = COMPILER.compile(rule.when());
            try {
                CelAbstractSyntaxTree ast = result.getAst();
                compiled.add(new CompiledRule(rule, Cel.RUNTIME.createProgram(ast)));
            } catch (CelValidationException e) {
                throw new RuleCompilationException(rule.name(), result.getErrorString());
            } catch (CelEvaluationException e) {
                throw new RuleCompilationException(rule.name(), e.getMessage());
            }
        }
        return new RuleSet(List.copyOf(compiled));
    }

    /** The rules that match these variables, in policy order. */
    public List<Rule> matching(RuleInput input) {
        if (rules.isEmpty()) {
            return List.of();
        }
        Map<String, Object> vars = input.asCelVariables();
        List<Rule> matched = new ArrayList<>(2);
        for (CompiledRule rule : rules) {
            if (rule.matches(vars)) {
                matched.add(rule.rule());
            }
        }
        return matched;
    }

    public int size() {
        return rules.size();
    }

    private record CompiledRule(Rule rule, CelRuntime.Program program) {
        boolean matches(Map<String, Object> vars) {
            try {
                return Boolean.TRUE.equals(program.eval(vars));
            } catch (CelEvaluationException | RuntimeException e) {
                return true;
            }
        }
    }
}

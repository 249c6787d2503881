package dev.oversight.routing.domain;

import dev.cel.common.CelOptions;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

/**
 * The CEL settings every expression of a policy shares (rules, equivalence): numbers compare across int and double,
 * comprehensions and nesting are bounded so that no expression can run away, and one runtime evaluates them all.
 */
public final class Cel {

    public static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .comprehensionMaxIterations(10_000)
            .maxParseRecursionDepth(64)
            .build();
    public static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

    private Cel() {
    }
}

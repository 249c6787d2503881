package dev.oversight.clients;

import dev.oversight.common.testing.Stack;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One stack (embedded PostgreSQL and the three service jars) for every test class of this module, started before
 * the first and closed after the last: starting one costs about twenty seconds, and the suites keep to use cases of
 * their own, so they share it. A class uses it with {@code @ExtendWith(SharedStack.class)} and {@link #get()}.
 */
final class SharedStack implements BeforeAllCallback {

    private static Stack stack;

    static Stack get() {
        if (stack == null) {
            throw new IllegalStateException("the class needs @ExtendWith(SharedStack.class)");
        }
        return stack;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(SharedStack.class, k -> {
            try {
                stack = new Stack().startAll();
            } catch (Exception e) {
                throw new IllegalStateException("the stack did not start", e);
            }
            return (ExtensionContext.Store.CloseableResource) () -> stack.close();
        });
    }
}

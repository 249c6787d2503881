package dev.oversight.common.http;

import java.util.List;
import java.util.function.Function;

/**
 * Every list answers this shape: {@code {items, nextCursor}}; pass {@code cursor=<nextCursor>} for the next page,
 * and {@code nextCursor} is null on the last one.
 */
public record Page<T>(List<T> items, String nextCursor) {

    /**
     * A page from rows fetched with one more than {@code limit}: the extra row, if any, only says there is more.
     *
     * @param cursorOf the cursor that continues after a given item
     */
    public static <T> Page<T> of(List<T> rowsPlusOne, int limit, Function<T, String> cursorOf) {
        boolean more = rowsPlusOne.size() > limit;
        List<T> items = more ? List.copyOf(rowsPlusOne.subList(0, limit)) : List.copyOf(rowsPlusOne);
        return new Page<>(items, more ? cursorOf.apply(items.get(items.size() - 1)) : null);
    }

    public <R> Page<R> map(Function<T, R> f) {
        return new Page<>(items.stream().map(f).toList(), nextCursor);
    }
}

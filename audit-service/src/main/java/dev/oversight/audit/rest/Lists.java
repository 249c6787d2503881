package dev.oversight.audit.rest;

import dev.oversight.common.problem.ProblemException;
import java.util.List;

/** Every list answers {items, nextCursor}; cursors here are log indexes or tree sizes. */
public record Lists<T>(List<T> items, String nextCursor) {

    static long cursor(String cursor, long none) {
        if (cursor == null || cursor.isEmpty()) {
            return none;
        }
        try {
            return Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField("cursor", "is not a cursor this list returned");
        }
    }
}

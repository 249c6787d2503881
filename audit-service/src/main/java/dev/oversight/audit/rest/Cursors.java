package dev.oversight.audit.rest;

import dev.oversight.common.failure.Failure;

/** List cursors of the audit service are log indexes or tree sizes. */
final class Cursors {

    private Cursors() {
    }

    static long number(String cursor, long none) {
        if (cursor == null || cursor.isEmpty()) {
            return none;
        }
        try {
            return Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw new Failure.Invalid("cursor", "is not a cursor this list returned");
        }
    }
}

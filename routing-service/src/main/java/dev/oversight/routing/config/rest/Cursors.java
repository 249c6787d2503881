package dev.oversight.routing.config.rest;

import dev.oversight.common.failure.Failure;
import java.util.UUID;

/** Cursors of lists ordered by time-ordered ids: the last id of the previous page. */
public final class Cursors {

    private Cursors() {
    }

    /** The id a {@code cursor} parameter names, or null for the first page; anything else is a 400. */
    public static UUID uuid(String cursor) {
        try {
            return cursor == null || cursor.isEmpty() ? null : UUID.fromString(cursor);
        } catch (IllegalArgumentException e) {
            throw new Failure.Invalid("cursor", "is not a cursor this list returned");
        }
    }
}

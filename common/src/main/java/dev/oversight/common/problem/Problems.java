package dev.oversight.common.problem;

import dev.oversight.common.failure.Failure;
import java.util.List;

/** The one table from a {@link Failure} to its RFC 9457 answer: the status, the type and the title. */
public final class Problems {

    private Problems() {
    }

    public static Problem of(Failure failure) {
        String detail = failure.detail();
        if (failure instanceof Failure.Invalid invalid) {
            return Problem.of(400, "validation", "Invalid request", detail)
                    .withErrors(List.of(new Problem.FieldError(invalid.field(), invalid.why())));
        }
        if (failure instanceof Failure.Malformed) {
            return Problem.of(400, "bad-request", "Bad request", detail);
        }
        if (failure instanceof Failure.Unstorable) {
            return Problem.of(400, "unstorable", "Unstorable request", detail);
        }
        if (failure instanceof Failure.NotAllowed) {
            return Problem.of(403, "forbidden", "Forbidden", detail);
        }
        if (failure instanceof Failure.NotFound) {
            return Problem.of(404, "not-found", "Not found", detail);
        }
        if (failure instanceof Failure.Conflict) {
            return Problem.of(409, "conflict", "Conflict", detail);
        }
        if (failure instanceof Failure.TooLarge) {
            return Problem.of(413, "too-large", "Content too large", detail);
        }
        if (failure instanceof Failure.Unprocessable u) {
            return Problem.of(422, u.kind(), u.title(), detail);
        }
        if (failure instanceof Failure.Unavailable) {
            return Problem.of(503, "unavailable", "Service unavailable", detail);
        }
        Failure.Broken broken = (Failure.Broken) failure;
        return Problem.of(500, broken.kind(), broken.title(), detail);
    }
}

package dev.oversight.common.failure;

/**
 * Why a request cannot be done, in the services' and the domain's words. Services and the domain throw these; only
 * the shared mappers ({@code dev.oversight.common.problem.Problems}) turn them into problem+json statuses, so no
 * service names an HTTP status. {@link NotFound} and {@link Conflict} are open so that a service can name its own
 * (routing's {@code UnknownUseCase}; review's {@code AlreadyJudged}, {@code TaskNotOpen}, {@code LeaseExpired}).
 */
public abstract sealed class Failure extends RuntimeException
        permits Failure.NotFound, Failure.Conflict, Failure.NotAllowed, Failure.Invalid, Failure.Malformed,
        Failure.TooLarge, Failure.Unavailable, Failure.Unstorable, Failure.Titled {

    protected Failure(String detail) {
        super(detail);
    }

    /** What the caller is told: the whole sentence, saying what to fix where it can. */
    public String detail() {
        return getMessage();
    }

    /** The thing asked for does not exist (or is not the caller's to see). */
    public static non-sealed class NotFound extends Failure {
        public NotFound(String detail) {
            super(detail);
        }
    }

    /** The request contradicts the state it met: already done, overtaken, in the wrong state. */
    public static non-sealed class Conflict extends Failure {
        public Conflict(String reason) {
            super(reason);
        }
    }

    /** The caller is known but may not do this (four eyes, a machine loosening, an app outside its use case). */
    public static final class NotAllowed extends Failure {
        public NotAllowed(String detail) {
            super(detail);
        }
    }

    /** One field of the request is wrong; {@code why} says what to fix. */
    public static final class Invalid extends Failure {
        private final String field;
        private final String why;

        public Invalid(String field, String why) {
            super(field + ": " + why);
            this.field = field;
            this.why = why;
        }

        public String field() {
            return field;
        }

        public String why() {
            return why;
        }
    }

    /** The request as a whole cannot be read (no single field to blame). */
    public static final class Malformed extends Failure {
        public Malformed(String detail) {
            super(detail);
        }
    }

    /** A part of the request is larger than this service keeps. */
    public static final class TooLarge extends Failure {
        public TooLarge(String detail) {
            super(detail);
        }
    }

    /** A dependency (usually the database) cannot be reached now; the same request may be retried. */
    public static final class Unavailable extends Failure {
        public Unavailable(String detail) {
            super(detail);
        }
    }

    /** The database refused a value of this request; a retry of the same request fails the same way. */
    public static final class Unstorable extends Failure {
        public Unstorable(String detail) {
            super(detail);
        }
    }

    /** A failure that names its own kind (a slug) and title, beside the detail. */
    public abstract static sealed class Titled extends Failure permits Unprocessable, Broken {
        private final String kind;
        private final String title;

        Titled(String kind, String title, String detail) {
            super(detail);
            this.kind = kind;
            this.title = title;
        }

        public String kind() {
            return kind;
        }

        public String title() {
            return title;
        }
    }

    /** The request is well formed but what it asks cannot be computed from what there is. */
    public static final class Unprocessable extends Titled {
        public Unprocessable(String kind, String title, String detail) {
            super(kind, title, detail);
        }
    }

    /** Something this service relies on is broken (not the caller's fault, not passing): an integrity failure. */
    public static final class Broken extends Titled {
        public Broken(String kind, String title, String detail) {
            super(kind, title, detail);
        }
    }
}

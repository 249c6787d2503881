package dev.oversight.client;

import java.util.List;

/**
 * An answer that is not a success: the service's problem document (RFC 9457) read into fields. Subclasses name the
 * cases an app handles differently; {@link #fields()} names what a 400 refused.
 */
public class OversightException extends RuntimeException {

    /** One field a request got wrong, as the service names it ({@code toolCall.arguments}, {@code trajectory[3].kind}). */
    public record FieldError(String field, String message) {
    }

    private final int status;
    private final String title;
    private final String detail;
    private final String type;
    private final List<FieldError> errors;

    public OversightException(int status, String title, String detail, String type, List<FieldError> errors) {
        super(status + " " + title + (detail == null ? "" : ": " + detail));
        this.status = status;
        this.title = title;
        this.detail = detail;
        this.type = type;
        this.errors = List.copyOf(errors);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    public String type() {
        return type;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** The names of the fields the service refused, in its order. */
    public List<String> fields() {
        return errors.stream().map(FieldError::field).toList();
    }

    /** 400: the request is invalid. */
    public static final class BadRequest extends OversightException {
        BadRequest(String title, String detail, String type, List<FieldError> errors) {
            super(400, title, detail, type, errors);
        }
    }

    /** 404: no such decision or use case. */
    public static final class NotFound extends OversightException {
        NotFound(String title, String detail, String type, List<FieldError> errors) {
            super(404, title, detail, type, errors);
        }
    }

    /** 409: the state forbids it (an idempotency key reused with another request, a decision no longer open). */
    public static final class Conflict extends OversightException {
        Conflict(String title, String detail, String type, List<FieldError> errors) {
            super(409, title, detail, type, errors);
        }
    }

    /** 5xx, 429 or no answer: the service cannot take the request now; try again later. */
    public static final class Unavailable extends OversightException {
        Unavailable(int status, String title, String detail, String type, List<FieldError> errors) {
            super(status, title, detail, type, errors);
        }
    }

    static OversightException of(int status, String title, String detail, String type, List<FieldError> errors) {
        return switch (status) {
            case 400 -> new BadRequest(title, detail, type, errors);
            case 404 -> new NotFound(title, detail, type, errors);
            case 409 -> new Conflict(title, detail, type, errors);
            default -> status == 429 || status >= 500 || status == 0
                    ? new Unavailable(status, title, detail, type, errors)
                    : new OversightException(status, title, detail, type, errors);
        };
    }
}

package dev.oversight.console.client;

import java.util.List;

/**
 * A service refused or failed a call: its status, the message of its problem document ({@code detail}, else
 * {@code title}), and the fields it named. Pages show these as they are.
 */
public class ServiceException extends RuntimeException {

    /** One field a service found wrong: its path in the request (e.g. {@code reviewRules[0].when}) and why. */
    public record FieldError(String field, String message) {
    }

    private final int status;
    private final List<FieldError> errors;

    public ServiceException(int status, String message, List<FieldError> errors) {
        super(message, null, false, false);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public int status() {
        return status;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** The service is there but cannot answer now (502, 503, 504): a read may be tried again. */
    public static final class Unavailable extends ServiceException {
        public Unavailable(int status, String message) {
            super(status, message, List.of());
        }
    }
}

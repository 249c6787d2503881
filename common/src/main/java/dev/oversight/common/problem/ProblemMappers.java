package dev.oversight.common.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.json.StorableText;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures become RFC 9457 answers. Client mistakes are 4xx with a detail that says what to
 * fix; anything unexpected is a 500 whose body reveals nothing internal (the cause goes to the log).
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response failure(Failure e) {
        return respond(Problems.of(e));
    }

    @ServerExceptionMapper
    public Response violations(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldPath(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        return respond(Problem.of(400, "validation", "Invalid request", detail).withErrors(errors));
    }

    /** Outranks Quarkus' own mapper for this type, which answers without a problem body. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamConstraintsException limit) {
                return respond(Problem.of(400, "malformed-json", "Malformed JSON",
                        "The JSON body exceeds a structural limit: " + limit.getOriginalMessage()));
            }
        }
        if (e instanceof StorableText.UnstorableTextException u) {
            String field = path(u) + (u.pointer().isEmpty() ? "" : u.pointer().replace('/', '.'));
            String message = u.getOriginalMessage();
            return respond(Problem.of(400, "validation", "Invalid request", (field.isEmpty() ? "body" : field) + ": "
                    + message).withErrors(List.of(new Problem.FieldError(field.isEmpty() ? "body" : field, message))));
        }
        if (e instanceof UnrecognizedPropertyException u) {
            String field = path(u);
            return respond(Problem.of(400, "validation", "Invalid request", "Unknown field '" + field
                    + "'; remove it (allowed: " + u.getKnownPropertyIds() + ")")
                    .withErrors(List.of(new Problem.FieldError(field, "unknown field"))));
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String field = path(m);
            String expected = "";
            if (m instanceof InvalidFormatException f && f.getTargetType() != null) {
                Class<?> target = f.getTargetType();
                expected = target.isEnum()
                        ? " (expected one of " + java.util.Arrays.toString(target.getEnumConstants()) + ")"
                        : " (expected " + target.getSimpleName() + ")";
            }
            String message = "has the wrong type or format" + expected;
            return respond(Problem.of(400, "validation", "Invalid request", field + ": " + message)
                    .withErrors(List.of(new Problem.FieldError(field, message))));
        }
        return respond(Problem.of(400, "malformed-json", "Malformed JSON",
                "The body is not valid JSON for this endpoint: " + e.getOriginalMessage()));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status == 400 && e.getCause() instanceof JsonProcessingException cause) {
            return json(cause);
        }
        if (status >= 500) {
            LOG.error("Server error", e);
            return respond(Problem.of(status, "server-error", "Server error", "The server failed; retry later."));
        }
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase() : "Client error";
        String detail = switch (status) {
            case 404 -> "No resource at this path; check the URL and the id.";
            case 405 -> "This method is not allowed on this path.";
            case 406 -> "This endpoint answers application/json; accept it.";
            case 413 -> "The request body is too large.";
            case 415 -> "Send the body as application/json.";
            default -> e.getMessage() == null ? title : e.getMessage();
        };
        return respond(Problem.of(status, slug(title), title, detail));
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e) {
        return Response.status(401).type(Problem.MEDIA_TYPE).header("WWW-Authenticate", "Bearer")
                .entity(Problem.of(401, "unauthorized", "Unauthorized",
                        "Send a valid bearer token: Authorization: Bearer <JWT>.")).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(Problem.of(403, "forbidden", "Forbidden", "Your token's roles do not allow this request."));
    }

    /** Asynchronous endpoints fail with the cause wrapped; answer for the cause. */
    @ServerExceptionMapper
    public Response completion(CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Failure f) {
            return failure(f);
        }
        return unexpected(cause instanceof Exception ex ? ex : e);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("Unexpected failure", e);
        return respond(Problem.of(500, "server-error", "Server error",
                "The server failed unexpectedly; the request may be retried."));
    }

    static Response respond(Problem problem) {
        Response.ResponseBuilder builder = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (problem.status() == 503) {
            builder.header("Retry-After", "1");
        }
        return builder.build();
    }

    private static String fieldPath(ConstraintViolation<?> v) {
        // "route.request.confidence" → "confidence": drop the method and parameter names.
        String path = v.getPropertyPath().toString();
        String[] parts = path.split("\\.", 3);
        return parts.length == 3 ? parts[2] : path;
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String slug(String title) {
        return title.toLowerCase().replaceAll("[^a-z0-9]+", "-");
    }
}

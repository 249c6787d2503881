package dev.oversight.console.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/** Turns a service's RFC 9457 problem document (or any error answer) into a {@link ServiceException}. */
public class ProblemMapper implements ResponseExceptionMapper<ServiceException> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public ServiceException toThrowable(Response response) {
        int status = response.getStatus();
        String message = null;
        List<ServiceException.FieldError> errors = new ArrayList<>();
        try {
            String body = response.hasEntity() ? response.readEntity(String.class) : "";
            JsonNode problem = body.isBlank() ? null : JSON.readTree(body);
            if (problem != null && problem.isObject()) {
                message = problem.hasNonNull("detail") ? problem.get("detail").asText()
                        : problem.path("title").asText(null);
                problem.path("errors").forEach(e -> errors.add(
                        new ServiceException.FieldError(e.path("field").asText(""), e.path("message").asText(""))));
            }
        } catch (RuntimeException | java.io.IOException e) {
            message = null;
        }
        if (message == null || message.isBlank()) {
            message = switch (status) {
                case 401 -> "Your sign-in is no longer accepted; sign in again.";
                case 403 -> "Your role does not allow this.";
                case 404 -> "Not found.";
                default -> "The service answered " + status + ".";
            };
        }
        return status == 502 || status == 503 || status == 504 ? new ServiceException.Unavailable(status, message)
                : new ServiceException(status, message, errors);
    }
}

package dev.oversight.routing.client;

import dev.oversight.common.failure.Failure;
import dev.oversight.common.security.ServiceAuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads from another of our services with this service's own token: a bounded wait, and 503 for the caller when the
 * service is not configured or cannot be reached.
 */
@ApplicationScoped
public class ServiceHttp {

    private final ServiceAuthConfig auth;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile Supplier<String> tokens;

    public ServiceHttp(ServiceAuthConfig auth) {
        this.auth = auth;
    }

    /**
     * GET {@code path} of the service at {@code base}; {@code service} and {@code property} name it in messages,
     * {@code what} is what is read.
     */
    public HttpResponse<String> get(Optional<URI> base, String path, String service, String property, String what) {
        String root = base.map(URI::toString).map(u -> u.replaceAll("/+$", "")).orElseThrow(() ->
                new Failure.Unavailable(capitalized(what) + " comes from the " + service + ", and none is configured ("
                        + property + ")."));
        HttpRequest request = HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token()).header("Accept", "application/json, text/plain")
                .GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failure.Unavailable("The " + service + " cannot be reached for " + what + "; retry.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure.Unavailable("Interrupted while reading " + what + "; retry.");
        }
    }

    /** A 503 for an answer the caller cannot use. */
    public static Failure unexpected(HttpResponse<String> response, String service, String what) {
        return new Failure.Unavailable("The " + service + " answered HTTP " + response.statusCode() + " for " + what
                + "; retry.");
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private String token() {
        Supplier<String> t = tokens;
        if (t == null) {
            t = auth.tokens();
            tokens = t;
        }
        return t.get();
    }
}

package dev.oversight.routing.decide.service;

import dev.oversight.common.failure.Failure;
import dev.oversight.routing.config.service.RoutingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;

/**
 * The one limit on an output's size, wherever an output comes in (a route request's output, an override's
 * replacement): {@code routing.max-output-bytes} bytes of UTF-8 JSON, answered 413 when exceeded.
 */
@ApplicationScoped
public class OutputSizeLimit {

    private final int maxBytes;

    public OutputSizeLimit(RoutingConfig config) {
        this.maxBytes = config.maxOutputBytes();
    }

    /** Refuses (413) JSON text larger than the limit; {@code what} names it in the answer. */
    public void check(String what, String jsonText) {
        if (jsonText.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw new Failure.TooLarge(what + " is larger than " + maxBytes
                    + " bytes of JSON; store large outputs elsewhere and send a reference");
        }
    }
}

package dev.oversight.routing.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.routing.config.service.RoutingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads the review service's figures about the reviewers with this service's own token, for the signed period
 * reports: each reviewer's reliance on the model (approvals with and without routing details shown, approvals
 * faster than the dwell floor, approvals overturned, flags).
 */
@ApplicationScoped
public class ReviewFiguresClient {

    private static final String SERVICE = "review service";

    private final Optional<URI> reviewUrl;
    private final ServiceHttp http;
    private final ObjectMapper json;

    public ReviewFiguresClient(RoutingConfig config, ServiceHttp http, ObjectMapper json) {
        this.reviewUrl = config.reviewUrl();
        this.http = http;
        this.json = json;
    }

    public boolean configured() {
        return reviewUrl.isPresent();
    }

    /** The review service's over-reliance report of the use case for the period, as it answered it. */
    public JsonNode overReliance(String useCase, Instant from, Instant to) {
        String what = "the reviewers' over-reliance figures";
        HttpResponse<String> r = http.get(reviewUrl, "/v1/reviewers/over-reliance?useCase="
                + URLEncoder.encode(useCase, StandardCharsets.UTF_8) + "&from=" + from + "&to=" + to, SERVICE,
                "routing.review-url", what);
        if (r.statusCode() != 200) {
            throw ServiceHttp.unexpected(r, SERVICE, what);
        }
        try {
            return json.readTree(r.body());
        } catch (JsonProcessingException e) {
            throw ServiceHttp.unexpected(r, SERVICE, what);
        }
    }
}

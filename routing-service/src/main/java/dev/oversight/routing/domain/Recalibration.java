package dev.oversight.routing.domain;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.time.Duration;

/**
 * A policy's recalibration schedule: every {@code every}, refit with {@code method} on the labels of the last
 * {@code window}; the refit takes effect by itself only if {@code autoActivate} and its certified error-rate bound
 * holds (at most the policy's targetErrorRate), otherwise it waits for an admin.
 */
public record Recalibration(@JsonFormat(shape = JsonFormat.Shape.STRING) Duration every,
                            @JsonFormat(shape = JsonFormat.Shape.STRING) Duration window,
                            String method, boolean autoActivate) {
}

package dev.oversight.review.rest;

import jakarta.validation.constraints.NotNull;

public record LeaseRequest(@NotNull Long leaseToken) {
}

package dev.oversight.routing.policy.rest;

import dev.oversight.routing.domain.Mode;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The human-in-command switch: who flips it must say why. */
public record ModeRequest(@NotNull Mode mode, @NotBlank @Size(max = 2000) String reason) {
}

package dev.oversight.review.domain;

import java.time.LocalDate;

/**
 * A reviewer's qualification, valid up to and including {@code validUntil} (a calendar day, UTC); {@code evidence}:
 * what an admin recorded to show it (a certificate's reference, a training's name), or null.
 */
public record Qualification(String name, LocalDate validUntil, String evidence) {

    public boolean validOn(LocalDate day) {
        return !validUntil.isBefore(day);
    }
}

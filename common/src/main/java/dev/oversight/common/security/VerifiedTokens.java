package dev.oversight.common.security;

import dev.oversight.common.crypto.Sha256;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens whose signature, issuer, audience and expiry were verified, kept until they expire (at most {@code maxAge})
 * so that a caller who sends the same token again is not verified again (RS256 verification is the largest share of
 * a request's CPU). Only verified tokens are ever put here; entries are keyed by the SHA-256 of the token, so two
 * tokens can never share an entry, and the map is bounded: when it is full, expired entries are dropped, and if
 * that is not enough, everything is (verification then simply runs again). A size of 0 turns it off.
 */
public final class VerifiedTokens<T> {

    private record Entry<T>(T value, Instant until) {
    }

    private final ConcurrentHashMap<String, Entry<T>> entries = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final Duration maxAge;

    public VerifiedTokens(int maxEntries, Duration maxAge) {
        this.maxEntries = maxEntries;
        this.maxAge = maxAge;
    }

    /** The verified value of this token, if it was verified and has not expired at {@code now}. */
    public T get(String token, Instant now) {
        String key = key(token);
        Entry<T> e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (!now.isBefore(e.until())) {
            entries.remove(key, e);
            return null;
        }
        return e.value();
    }

    /** Remembers a verified token until {@code expiresAt} or {@code now + maxAge}, whichever is first. */
    public void put(String token, T value, Instant expiresAt, Instant now) {
        Instant until = expiresAt.isBefore(now.plus(maxAge)) ? expiresAt : now.plus(maxAge);
        if (maxEntries <= 0 || !now.isBefore(until)) {
            return;
        }
        if (entries.size() >= maxEntries) {
            entries.values().removeIf(e -> !now.isBefore(e.until()));
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
        }
        entries.put(key(token), new Entry<>(value, until));
    }

    public int size() {
        return entries.size();
    }

    private static String key(String token) {
        return Sha256.hex(token);
    }
}

package dev.oversight.common.callback;

import dev.oversight.common.outbox.OutboxStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The receivers callbacks go to, each a lane (scheme, host and port): how many are in flight on each, and which lanes
 * back off after failures, so that one slow or failing receiver never holds up the others.
 */
final class CallbackLanes {

    private final Duration maxBackoff;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    /** Lanes that failed: when each may be tried again, and how many failures in a row. */
    private final Map<String, Backoff> backoffs = new ConcurrentHashMap<>();

    private record Backoff(Instant until, int failures) {
    }

    CallbackLanes(Duration maxBackoff) {
        this.maxBackoff = maxBackoff;
    }

    /** The receiver a callback goes to: scheme, host and port (the default port of the scheme when none is given). */
    static String of(OutboxStore.Row row) {
        try {
            URI uri = URI.create(row.event().targetUrl());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
            return scheme + "://" + (uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT)) + ":" + port;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** When the lane may be tried again, if it is backing off at {@code now}; null when it is not. */
    Instant backingOffUntil(String lane, Instant now) {
        Backoff b = backoffs.get(lane);
        return b != null && b.until().isAfter(now) ? b.until() : null;
    }

    /** Callbacks this instance is sending on the lane right now. */
    int busy(String lane) {
        AtomicInteger n = inFlight.get(lane);
        return n == null ? 0 : n.get();
    }

    void started(String lane) {
        inFlight.computeIfAbsent(lane, h -> new AtomicInteger()).incrementAndGet();
    }

    /** A send ended: a failure backs its lane off (exponentially, to maxBackoff); a success clears it. */
    void finished(String lane, boolean delivered) {
        if (delivered) {
            backoffs.remove(lane);
        } else {
            backoffs.compute(lane, (l, b) -> {
                int failures = b == null ? 1 : b.failures() + 1;
                return new Backoff(Instant.now().plus(backoff(failures)), failures);
            });
        }
    }

    /** Sent no more: counted out of the lane (always, whatever the outcome was). */
    void left(String lane) {
        inFlight.get(lane).decrementAndGet();
    }

    /** Exponential from 1 s, capped at maxBackoff. */
    Duration backoff(int failures) {
        long ms = 1000L << Math.min(failures - 1, 16);
        return ms > maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis(ms);
    }
}

package dev.oversight.console.client;

/**
 * How the console calls the services: every call ends within {@link #TIMEOUT_MS} (a page never hangs on a service
 * that does not answer), and a read the service could not answer (unreachable, 502, 503, 504) is tried again at most
 * {@link #READ_RETRIES} times, a little apart. Writes are not retried: a person sees the failure and decides.
 * Deployments tune them with SmallRye Fault Tolerance's keys, e.g. {@code quarkus.fault-tolerance.global.timeout.value}
 * (milliseconds) and {@code quarkus.fault-tolerance.global.retry.max-retries}.
 */
final class Calls {

    static final long TIMEOUT_MS = 10_000;
    static final int READ_RETRIES = 2;
    static final long RETRY_DELAY_MS = 200;
    static final long RETRY_JITTER_MS = 100;

    private Calls() {
    }
}

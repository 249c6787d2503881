package dev.oversight.common.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.common.security.ServiceAuthConfig;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import dev.oversight.common.callback.CallbackRelay;
import dev.oversight.common.callback.CallbackTargets;
import dev.oversight.common.callback.CallbacksConfig;
import dev.oversight.common.callback.WebhookKeys;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts one relay thread per configured destination and publishes the outbox backlog as gauges
 * ({@code oversight_<service>_outbox_backlog}, {@code _outbox_oldest_age_seconds}, {@code _outbox_dead}).
 */
@ApplicationScoped
public class OutboxRelays {

    private static final Logger LOG = Logger.getLogger(OutboxRelays.class);

    private final AgroalDataSource db;
    private final OutboxConfig config;
    private final ServiceAuthConfig auth;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final String service;
    private final List<OutboxRelay> relays = new ArrayList<>();
    private final List<CallbackRelay> callbackRelays = new ArrayList<>();
    private final CallbacksConfig callbacks;
    private final CallbackTargets targets;
    private final Instance<WebhookKeys> webhookKeys;
    private final Map<String, OutboxStore.Backlog> backlog = new ConcurrentHashMap<>();
    private ScheduledExecutorService stats;
    private final io.vertx.core.Vertx vertx;

    public OutboxRelays(AgroalDataSource db, OutboxConfig config, ServiceAuthConfig auth, ObjectMapper json,
                        MeterRegistry meters, @ConfigProperty(name = "quarkus.application.name") String application,
                        CallbacksConfig callbacks, CallbackTargets targets, Instance<WebhookKeys> webhookKeys,
                        io.vertx.core.Vertx vertx) {
        this.vertx = vertx;
        this.db = db;
        this.callbacks = callbacks;
        this.targets = targets;
        this.webhookKeys = webhookKeys;
        this.config = config;
        this.auth = auth;
        this.json = json;
        this.meters = meters;
        this.service = application.replace("-service", "");
    }

    void start(@Observes StartupEvent event) {
        if (config.destinations().isEmpty()) {
            return;
        }
        Supplier<String> tokens = auth.tokens();
        config.destinations().forEach((name, d) -> {
            gauges(name);
            if (d.format() == OutboxRelay.Format.CALLBACK) {
                if (webhookKeys.isUnsatisfied()) {
                    LOG.warn("outbox destination " + name + " is not relayed: this service has no webhook keys");
                    return;
                }
                CallbackRelay relay = new CallbackRelay(db, new CallbackRelay.Settings(name, config.maxBatch(),
                        config.pollInterval(), config.maxBackoff(), config.maxAttempts(), callbacks.timeout(),
                        callbacks.maxInFlight(), callbacks.maxInFlightPerHost()), targets, webhookKeys.get(), vertx);
                callbackRelays.add(relay);
                start(relay, name);
                return;
            }
            if (d.url().isEmpty()) {
                LOG.warn("outbox destination " + name + " is not relayed by this instance: no url configured");
                return;
            }
            OutboxRelay relay = new OutboxRelay(db, new OutboxRelay.Settings(name, d.url().get(), d.format(),
                    config.maxBatch(), config.maxBodyBytes(), config.pollInterval(), config.maxBackoff(),
                    config.maxAttempts(), config.retention()), tokens, json);
            relays.add(relay);
            start(relay, name);
        });
        stats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "outbox-stats");
            t.setDaemon(true);
            return t;
        });
        stats.scheduleWithFixedDelay(this::refresh, 0, 15, TimeUnit.SECONDS);
    }

    private static void start(Runnable relay, String name) {
        Thread thread = new Thread(relay, "outbox-relay-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        relays.forEach(OutboxRelay::stop);
        callbackRelays.forEach(CallbackRelay::stop);
        if (stats != null) {
            stats.shutdownNow();
        }
    }

    private void gauges(String destination) {
        Gauge.builder("oversight_" + service + "_outbox_backlog", backlog,
                        b -> b.getOrDefault(destination, EMPTY).pending())
                .description("Outbox events not yet delivered").tag("destination", destination).register(meters);
        Gauge.builder("oversight_" + service + "_outbox_oldest_age_seconds", backlog,
                        b -> b.getOrDefault(destination, EMPTY).oldestAgeSeconds())
                .description("Age of the oldest undelivered outbox event").tag("destination", destination)
                .register(meters);
        Gauge.builder("oversight_" + service + "_outbox_dead", backlog,
                        b -> b.getOrDefault(destination, EMPTY).dead())
                .description("Outbox events the receiver refused for good").tag("destination", destination)
                .register(meters);
    }

    private static final OutboxStore.Backlog EMPTY = new OutboxStore.Backlog(0, 0, 0);

    private void refresh() {
        try (Connection c = db.getConnection()) {
            for (Map.Entry<String, OutboxConfig.Destination> d : config.destinations().entrySet()) {
                backlog.put(d.getKey(), d.getValue().format() == OutboxRelay.Format.CALLBACK
                        ? OutboxStore.callbackBacklog(c, d.getKey()) : OutboxStore.backlog(c, d.getKey()));
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("outbox backlog not refreshed: " + e.getMessage());
        }
    }
}

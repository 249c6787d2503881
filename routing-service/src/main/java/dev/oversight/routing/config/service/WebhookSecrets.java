package dev.oversight.routing.config.service;

import dev.oversight.common.callback.WebhookKeys;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Each app's Standard Webhooks secrets. An admin creates or rotates an app's secret and sees it once; the callback
 * relay signs with every secret still valid (two during a rotation's grace period). This instance keeps them in
 * memory and rereads them every few seconds, so a rotation on another instance is seen within that time; the grace
 * period is far longer.
 */
@ApplicationScoped
public class WebhookSecrets implements WebhookKeys {

    private static final Logger LOG = Logger.getLogger(WebhookSecrets.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** 32 random bytes: the Standard Webhooks specification asks for 24 to 64. */
    private static final int SECRET_BYTES = 32;

    /** A new secret, shown once; the previous ones sign until {@code previousValidUntil} (null: there were none). */
    public record Created(String app, String secret, Instant createdAt, Instant previousValidUntil) {
    }

    private final EntityManager em;
    private final EventOutbox events;
    private final RoutingConfig config;
    private volatile Map<String, List<String>> byApp = Map.of();

    public WebhookSecrets(EntityManager em, EventOutbox events, RoutingConfig config) {
        this.em = em;
        this.events = events;
        this.config = config;
    }

    @Override
    public List<String> secretsOf(String app) {
        return byApp.getOrDefault(app, List.of());
    }

    /** Creates the app's first secret, or rotates: the previous ones stay valid for the grace period. */
    public Created rotate(String app, String actor) {
        String secret = "whsec_" + Base64.getEncoder().encodeToString(randomBytes());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant graceEnds = now.plus(config.webhookSecretGrace());
        Created created = QuarkusTransaction.requiringNew().call(() -> {
            int replaced = em.createNativeQuery("UPDATE webhook_secret SET expires_at = ?1"
                            + " WHERE app = ?2 AND (expires_at IS NULL OR expires_at > ?1)")
                    .setParameter(1, Timestamp.from(graceEnds)).setParameter(2, app).executeUpdate();
            em.createNativeQuery("INSERT INTO webhook_secret (app, secret, created_at, created_by)"
                            + " VALUES (?1, ?2, ?3, ?4)")
                    .setParameter(1, app).setParameter(2, secret).setParameter(3, Timestamp.from(now))
                    .setParameter(4, actor).executeUpdate();
            Map<String, Object> payload = new HashMap<>();
            payload.put("app", app);
            if (replaced > 0) {
                payload.put("previousValidUntil", graceEnds.toString());
            }
            events.record(EventOutbox.WEBHOOK_SECRET_ROTATED, app, null, actor, payload);
            return new Created(app, secret, now, replaced > 0 ? graceEnds : null);
        });
        reload();
        return created;
    }

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reload() {
        Map<String, List<String>> fresh = new HashMap<>();
        try {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                    "SELECT app, secret FROM webhook_secret WHERE expires_at IS NULL OR expires_at > now()"
                            + " ORDER BY app, id DESC").getResultList());
            for (Object[] row : rows) {
                fresh.computeIfAbsent((String) row[0], a -> new ArrayList<>()).add((String) row[1]);
            }
            fresh.replaceAll((app, secrets) -> List.copyOf(secrets));
            byApp = Map.copyOf(fresh);
        } catch (RuntimeException e) {
            LOG.warnf("Webhook secrets not reloaded: %s", e.getMessage());
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[SECRET_BYTES];
        RANDOM.nextBytes(b);
        return b;
    }
}

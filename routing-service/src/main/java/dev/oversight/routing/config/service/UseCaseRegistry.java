package dev.oversight.routing.config.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.routing.calibration.repository.CalibratorEntity;
import dev.oversight.routing.domain.ActiveCalibrator;
import dev.oversight.routing.domain.Calibrators;
import dev.oversight.routing.domain.Mode;
import dev.oversight.routing.domain.SegmentKey;
import dev.oversight.routing.domain.Policy;
import dev.oversight.routing.domain.RuleCompilationException;
import dev.oversight.routing.domain.RuleSet;
import dev.oversight.routing.domain.UseCaseConfig;
import dev.oversight.routing.policy.repository.PolicyEntity;
import dev.oversight.routing.policy.repository.UseCaseEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The compiled configuration of every use case, held in memory so that {@code /v1/route} never reads or parses
 * a policy. This instance updates its copy right after its own changes commit; changes made by other instances
 * are picked up by comparing revisions every {@code routing.config-refresh}.
 */
@ApplicationScoped
public class UseCaseRegistry {

    private static final Logger LOG = Logger.getLogger(UseCaseRegistry.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ConcurrentHashMap<String, UseCaseConfig> configs = new ConcurrentHashMap<>();
    private final ObjectMapper json;
    private final EntityManager em;
    private final long maxStalenessNanos;
    /** When this instance last confirmed that its cache matches the database (System.nanoTime()). */
    private volatile long confirmedAt = System.nanoTime();

    public UseCaseRegistry(ObjectMapper json, EntityManager em, RoutingConfig config) {
        this.json = json;
        this.em = em;
        this.maxStalenessNanos = config.configMaxStaleness().toNanos();
    }

    /**
     * Whether the cache may be out of date for longer than {@code routing.config-max-staleness}: the last refresh
     * that reached the database is older than that. Decisions then fail closed (STALE_CONFIG), because a mode or
     * policy changed by another instance cannot be seen.
     */
    public boolean stale() {
        return System.nanoTime() - confirmedAt > maxStalenessNanos;
    }

    /** The cached configuration, if this instance has one. Never blocks. */
    public Optional<UseCaseConfig> cached(String useCase) {
        return Optional.ofNullable(configs.get(useCase));
    }

    /**
     * The configuration as this instance holds it (kept fresh by the refresh below), loaded only when it has none:
     * what background jobs and readers use, so that they neither query the database nor recompile rules each time.
     */
    public Optional<UseCaseConfig> current(String useCase) {
        return cached(useCase).or(() -> load(useCase));
    }

    /** Loads the configuration from the database into the cache (blocking; empty for an unknown use case). */
    public Optional<UseCaseConfig> load(String useCase) {
        Optional<UseCaseConfig> loaded = QuarkusTransaction.joiningExisting().call(() -> {
            UseCaseEntity entity = UseCaseEntity.findById(useCase);
            return entity == null ? Optional.<UseCaseConfig>empty() : Optional.of(compile(entity));
        });
        loaded.ifPresent(c -> configs.merge(useCase, c, (old, fresh) -> fresh.revision() >= old.revision() ? fresh : old));
        return loaded;
    }

    @Scheduled(every = "${routing.config-refresh:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshChanged() {
        long started = System.nanoTime();
        if (configs.isEmpty()) {
            confirmedAt = started;
            return;
        }
        try {
            List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em
                    .createQuery("select u.name, u.revision from UseCaseEntity u where u.name in :names", Object[].class)
                    .setParameter("names", configs.keySet())
                    .getResultList());
            for (Object[] row : rows) {
                UseCaseConfig cached = configs.get((String) row[0]);
                if (cached != null && cached.revision() < (Long) row[1]) {
                    load((String) row[0]);
                }
            }
            confirmedAt = started;
        } catch (RuntimeException e) {
            LOG.warnf("Could not refresh use-case configurations: %s", e.getMessage());
        }
    }

    private UseCaseConfig compile(UseCaseEntity entity) {
        PolicyEntity policyRow = PolicyEntity.find("useCase = ?1 and version = ?2", entity.name, entity.activePolicyVersion)
                .firstResult();
        Policy policy = readPolicy(policyRow.document);
        RuleSet blockRules;
        RuleSet reviewRules;
        SegmentKey segmentKey;
        try {
            blockRules = RuleSet.compile(policy.blockRules());
            reviewRules = RuleSet.compile(policy.reviewRules());
            segmentKey = policy.segments() == null ? null : SegmentKey.compile(policy.segments().by());
        } catch (RuleCompilationException e) {
            // Policies are checked when saved, so this means the stored document was altered; keep the gate shut.
            throw new IllegalStateException("Stored policy " + entity.name + " v" + entity.activePolicyVersion
                    + " has a rule that does not compile: " + e.ruleName(), e);
        }
        return new UseCaseConfig(entity.name, Mode.valueOf(entity.mode), entity.activePolicyVersion, policy, blockRules,
                reviewRules, activeCalibrator(entity), entity.activeCalibratorVersion, entity.revision, segmentKey);
    }

    private ActiveCalibrator activeCalibrator(UseCaseEntity entity) {
        CalibratorEntity row = CalibratorEntity.find("useCase = ?1 and version = ?2", entity.name,
                entity.activeCalibratorVersion).firstResult();
        if (row == null) {
            LOG.errorf("Use case %s: active calibrator v%d is missing; routing fails closed", entity.name,
                    entity.activeCalibratorVersion);
            return null;
        }
        try {
            Map<String, Object> params = json.readValue(row.params, MAP);
            return Calibrators.create(row.method, params)
                    .map(c -> new ActiveCalibrator(row.version, c, row.selectedThreshold, row.selectedRawCut))
                    .orElse(null);
        } catch (JsonProcessingException e) {
            LOG.errorf("Use case %s: calibrator v%d has unreadable parameters; routing fails closed", entity.name,
                    row.version);
            return null;
        }
    }

    public Policy readPolicy(String document) {
        try {
            return json.readValue(document, Policy.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored policy document is unreadable", e);
        }
    }
}

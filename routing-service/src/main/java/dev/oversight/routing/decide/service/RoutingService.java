package dev.oversight.routing.decide.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.common.callback.CallbackTargets;
import dev.oversight.common.crypto.KeyedDigest;
import dev.oversight.common.crypto.Sha256;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.id.Ids;
import dev.oversight.common.outbox.OutboxEvent;
import dev.oversight.common.outbox.OutboxStore;
import dev.oversight.common.tracing.Traces;
import dev.oversight.routing.config.service.EventOutbox;
import dev.oversight.routing.config.service.RoutingConfig;
import dev.oversight.routing.config.service.UseCaseRegistry;
import dev.oversight.routing.decide.repository.DecisionRepository;
import dev.oversight.routing.domain.UnknownUseCase;
import dev.oversight.routing.domain.AuditSampler;
import dev.oversight.routing.domain.CelValues;
import dev.oversight.routing.domain.DecisionKind;
import dev.oversight.routing.domain.ToolCall;
import dev.oversight.common.agents.Trajectory;
import dev.oversight.routing.domain.DecisionRecord;
import dev.oversight.routing.domain.DecisionStatus;
import dev.oversight.routing.domain.Policy;
import dev.oversight.routing.domain.Route;
import dev.oversight.routing.domain.Router;
import dev.oversight.routing.domain.RoutingOutcome;
import dev.oversight.routing.domain.UseCaseConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.context.ManagedExecutor;

/**
 * The inline decision: everything here runs from memory (compiled policy, calibrator) except the one durable
 * write, which the {@link DecisionWriter} batches with other requests'.
 */
@ApplicationScoped
public class RoutingService {

    /** How far the probabilities of a distribution may sum from 1 (rounding in the caller's softmax). */
    static final double PROBABILITY_SUM_TOLERANCE = 0.01;

    private final UseCaseRegistry registry;
    private final DecisionWriter writer;
    private final DecisionRepository decisions;
    private final ObjectMapper json;
    private final ManagedExecutor executor;
    private final RoutingConfig config;
    private final MeterRegistry meters;
    private final Timer latency;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final AuditSampler sampler;
    private final CallbackTargets callbackTargets;
    private final KeyedDigest digest;
    private final OutputSizeLimit outputLimit;

    public RoutingService(UseCaseRegistry registry, DecisionWriter writer, DecisionRepository decisions,
                          ObjectMapper json, ManagedExecutor executor, RoutingConfig config, MeterRegistry meters,
                          CallbackTargets callbackTargets, KeyedDigest digest, OutputSizeLimit outputLimit) {
        this.outputLimit = outputLimit;
        this.callbackTargets = callbackTargets;
        this.digest = digest;
        this.registry = registry;
        this.writer = writer;
        this.decisions = decisions;
        this.json = json;
        this.executor = executor;
        this.config = config;
        this.meters = meters;
        this.sampler = new AuditSampler(config.auditSampleKey());
        this.latency = Timer.builder("oversight_routing_route_latency")
                .description("Time from request to committed decision")
                .publishPercentileHistogram()
                .register(meters);
    }

    /**
     * Decides and stores; completes with the stored decision (an earlier one for a repeated idempotency key). Runs
     * on the caller's thread (the event loop) when the configuration is cached and there is no callback URL to
     * resolve; loading configuration or resolving a callback host happens on a worker.
     */
    public CompletionStage<DecisionWriter.Stored> route(RouteCommand command) {
        Timer.Sample sample = Timer.start();
        Optional<UseCaseConfig> cached = registry.cached(command.useCase());
        CompletionStage<DecisionWriter.Stored> stored;
        if (cached.isPresent() && command.callbackUrl() == null) {
            stored = decideAndStore(cached.get(), command);
        } else {
            stored = CompletableFuture.supplyAsync(() -> {
                UseCaseConfig config = cached.or(() -> registry.load(command.useCase()))
                        .orElseThrow(() -> new UnknownUseCase(command.useCase()));
                if (command.callbackUrl() != null && config.policy().admits(command.app())) {
                    callbackTargets.refusal(command.callbackUrl()).ifPresent(reason -> {
                        throw new Failure.Invalid("callbackUrl", reason);
                    });
                }
                return config;
            }, executor).thenCompose(config -> decideAndStore(config, command));
        }
        return stored.whenComplete((s, e) -> sample.stop(latency));
    }

    /** A decision; a caller that may not read every decision sees only its own (others are "not found"). */
    public DecisionRecord decision(UUID id, String caller, boolean readsAll) {
        try {
            return decisions.findById(id).filter(d -> readsAll || d.owner().equals(caller))
                    .orElseThrow(() -> new Failure.NotFound("No decision with id " + id));
        } catch (SQLException e) {
            throw new Failure.Unavailable("Decisions cannot be read right now; retry.");
        }
    }

    /** The latest delivery of the decision's final outcome to its callbackUrl, if one was queued. */
    public java.util.Optional<OutboxStore.Delivery> callbackDelivery(UUID id) {
        try (java.sql.Connection c = decisions.connection()) {
            List<OutboxStore.Delivery> all = OutboxStore.deliveries(c, EventOutbox.CALLBACK, id.toString());
            return all.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(all.get(all.size() - 1));
        } catch (SQLException e) {
            throw new Failure.Unavailable("Decisions cannot be read right now; retry.");
        }
    }

    private CompletableFuture<DecisionWriter.Stored> decideAndStore(UseCaseConfig useCase, RouteCommand command) {
        if (!useCase.policy().admits(command.app())) {
            throw new Failure.NotAllowed("App '" + command.app() + "' may not route into use case '"
                    + command.useCase() + "': it is not in the policy's apps. An admin adds it with a new policy"
                    + " version.");
        }
        checkSignals("signals", useCase.useCase(), useCase.policy(), command.signals());
        double confidence = confidence(command);
        String output = text(command.output());
        String signals = command.signals() == null ? null : text(command.signals());
        outputLimit.check(command.toolCall() ? "toolCall" : "output", output);
        String input = command.input() == null ? null : text(command.input());
        String attributes = command.attributes() == null ? null : text(command.attributes());
        String probabilities = command.probabilities() == null ? null : text(command.probabilities());
        String trajectory = command.trajectory() == null ? null : text(command.trajectory());
        if (trajectory != null) {
            Trajectory.checkSize("trajectory", trajectory);
        }
        String shadow = null;
        if (command.shadow() != null) {
            for (int i = 0; i < command.shadow().size(); i++) {
                outputLimit.check("shadow[" + i + "].output", text(command.shadow().get(i).get("output")));
            }
            shadow = text(command.shadow());
        }

        UUID id = Ids.newId();
        String sampleKey = command.useCase() + ":" + (command.idempotencyKey() != null ? command.idempotencyKey() : id);
        // Rules and segments read attributes as CEL values; a policy without either needs no conversion.
        boolean hasRules = useCase.readsAttributes();
        double[] distribution = command.probabilities() == null ? null
                : command.probabilities().values().stream().mapToDouble(Double::doubleValue).toArray();
        ToolCall toolCall = !command.toolCall() ? null : new ToolCall(command.output().get("name").asText(),
                hasRules ? CelValues.of(command.output().get("arguments")) : Map.of());
        RoutingOutcome outcome = Router.decide(useCase, new Router.Request(confidence, distribution,
                hasRules ? CelValues.of(command.attributes()) : Map.of(), command.modelVersion(), sampleKey,
                toolCall, command.signals()), sampler, registry.stale());
        DecisionStatus status = DecisionStatus.initialFor(outcome.route());
        Instant now = Instant.now();
        // A tool call and an output with the same JSON are different requests under one idempotency key.
        byte[] hash = requestHash(command.modelVersion(), (command.toolCall() ? "toolCall:" : "") + output,
                command.confidence(), probabilities, input, attributes, command.callbackUrl(), trajectory, shadow,
                signals);
        DecisionRecord record = new DecisionRecord(id, command.useCase(), command.owner(), command.modelVersion(),
                command.idempotencyKey(), hash, outcome.route(), status, Double.isNaN(confidence) ? null : confidence,
                outcome.calibratedConfidence(), outcome.threshold(), outcome.reasons(), useCase.policyVersion(),
                useCase.calibratorVersion(), outcome.requiredReviews(),
                outcome.route() == Route.REVIEW ? Ids.newId() : null, output, input, attributes, probabilities,
                command.callbackUrl(), status == DecisionStatus.RELEASED ? output : null, "[]", now,
                status.isFinal() ? now : null, command.toolCall() ? DecisionKind.TOOL_CALL : DecisionKind.OUTPUT,
                trajectory, shadow, KeyedDigest.newSalt(), null, signals, outcome.segment());
        List<OutboxEvent> events = DecisionEvents.of(record, useCase.policy(), Traces.currentTraceparent(), json,
                digest);
        return writer.write(new DecisionWriter.Write(record, events)).thenApply(stored -> {
            if (stored.replayed() && !Arrays.equals(stored.record().requestHash(), hash)) {
                throw new Failure.Conflict("idempotencyKey '" + command.idempotencyKey() + "' was already used"
                        + " with a different request (decision " + stored.record().id() + "); use a new key");
            }
            if (!stored.replayed()) {
                counter(command.useCase(), outcome.route()).increment();
            }
            return stored;
        });
    }

    /** A distribution over labels: at least one, each in [0, 1], summing to 1 within rounding. */
    public static void checkDistribution(String field, Map<String, Double> probabilities) {
        if (probabilities.isEmpty()) {
            throw new Failure.Invalid(field, "must name at least one label");
        }
        double sum = 0;
        for (Map.Entry<String, Double> e : probabilities.entrySet()) {
            Double p = e.getValue();
            if (p == null || !(p >= 0 && p <= 1)) {
                throw new Failure.Invalid(field + "." + e.getKey(), "must be a number in [0, 1]");
            }
            sum += p;
        }
        if (Math.abs(sum - 1) > PROBABILITY_SUM_TOLERANCE) {
            throw new Failure.Invalid(field,
                    "must sum to 1 (±" + PROBABILITY_SUM_TOLERANCE + "), they sum to " + sum);
        }
    }

    /**
     * Signals as the use case's policy names them: every one it names, none it does not (a 400 naming the signal).
     * Each value must be finite; {@code field} is where they sit in the request.
     */
    public static void checkSignals(String field, String useCase, Policy policy, Map<String, Double> signals) {
        if (signals == null) {
            return; // the common case on the route path: nothing to list or compare
        }
        List<String> named = policy.signalNames();
        if (named.isEmpty()) {
            throw new Failure.Invalid(field, "use case '" + useCase + "' names no signals in its policy; send"
                    + " confidence, or have an admin list the signals (policy \"signals\")");
        }
        for (Map.Entry<String, Double> e : signals.entrySet()) {
            if (!named.contains(e.getKey())) {
                throw new Failure.Invalid(field + "." + e.getKey(), "is not a signal of use case '" + useCase
                        + "'; its policy names " + String.join(", ", named));
            }
            if (e.getValue() == null || !Double.isFinite(e.getValue())) {
                throw new Failure.Invalid(field + "." + e.getKey(), "must be a finite number");
            }
        }
        for (String name : named) {
            if (!signals.containsKey(name)) {
                throw new Failure.Invalid(field + "." + name, "is missing: the policy of use case '" + useCase
                        + "' names it, and every output carries every signal");
            }
        }
    }

    /** The request's confidence: given, else the top probability, else NaN when it carries only signals. */
    private static double confidence(RouteCommand command) {
        Map<String, Double> probabilities = command.probabilities();
        if (probabilities != null) {
            checkDistribution("probabilities", probabilities);
        }
        if (command.confidence() != null) {
            return command.confidence();
        }
        if (probabilities == null) {
            if (command.signals() != null) {
                return Double.NaN;
            }
            throw new Failure.Invalid("confidence", "is required unless probabilities or signals are given");
        }
        return probabilities.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    private Counter counter(String useCase, Route route) {
        return counters.computeIfAbsent(useCase + '\u0000' + route, k -> Counter.builder("oversight_routing_decisions")
                .description("Decisions stored, by use case and route")
                .tag("use_case", useCase)
                .tag("route", route.name())
                .register(meters));
    }

    /**
     * A value's JSON text (a JSON node, or a list or map of the request), written directly: the same text as through a
     * tree (valueToTree), without building one and reading it back through the body's checks (11% of the router's
     * samples for a route with a 32-KiB trajectory).
     */
    private String text(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new Failure.Malformed("A JSON value could not be serialized: " + e.getOriginalMessage());
        }
    }

    private static byte[] sha256(String... parts) {
        MessageDigest sha = Sha256.newDigest();
        for (String part : parts) {
            sha.update(part == null ? new byte[] {0} : (part + '\u0000').getBytes(StandardCharsets.UTF_8));
        }
        return sha.digest();
    }

    private static byte[] requestHash(String modelVersion, String output, Double confidence, String probabilities,
                                      String input, String attributes, String callbackUrl, String trajectory,
                                      String shadow, String signals) {
        String c = confidence == null ? null : Double.toString(confidence);
        if (signals != null) {
            return sha256(modelVersion, output, c, probabilities, input, attributes, callbackUrl, trajectory, shadow,
                    signals);
        }
        // Without a trajectory or shadows, the hash of the requests before they existed: a replay stays a replay.
        if (shadow != null) {
            return sha256(modelVersion, output, c, probabilities, input, attributes, callbackUrl, trajectory, shadow);
        }
        return trajectory == null ? sha256(modelVersion, output, c, probabilities, input, attributes, callbackUrl)
                : sha256(modelVersion, output, c, probabilities, input, attributes, callbackUrl, trajectory);
    }
}

package dev.oversight.routing.evaluation.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oversight.common.crypto.KeyedDigest;
import dev.oversight.common.crypto.Sha256;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.http.Page;
import dev.oversight.common.jdbc.Transactions;
import dev.oversight.common.json.CanonicalJson;
import dev.oversight.routing.config.service.EventOutbox;
import dev.oversight.routing.domain.command.Actor;
import dev.oversight.routing.domain.evaluation.ItemSource;
import dev.oversight.routing.domain.evaluation.Strata;
import dev.oversight.routing.evaluation.repository.BenchmarkRepository;
import dev.oversight.routing.evaluation.repository.BenchmarkRepository.Benchmark;
import dev.oversight.routing.evaluation.repository.BenchmarkRepository.Decided;
import dev.oversight.routing.evaluation.repository.BenchmarkRepository.Item;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Frozen benchmarks: sets of items people decided, drawn from the use case's decisions, stored once and never
 * changed. Each item is its RFC 8785 canonical JSON and that text's SHA-256; the benchmark's digest is the SHA-256 of
 * the lines "itemId TAB item sha256 LF" in item order, recorded in the audit trail ({@code BENCHMARK_FROZEN}) in the
 * same transaction. Erasing an item's content (a person's right) keeps its line, so the digest still verifies.
 */
@ApplicationScoped
public class BenchmarkService {

    /** At most this many items per benchmark (and decisions considered when drawing one). */
    public static final int MAX_SIZE = 10_000;

    /** What to freeze; validated by the resource (sources known, strata keys well formed, from before to). */
    public record Spec(String name, Instant from, Instant to, List<String> modelVersions, List<ItemSource> include,
                       Integer size, List<String> stratifyBy) {
    }

    private final BenchmarkRepository benchmarks;
    private final StoredJson stored;
    private final EventOutbox events;
    private final ObjectMapper json;
    private final KeyedDigest digest;

    public BenchmarkService(BenchmarkRepository benchmarks, StoredJson stored, EventOutbox events,
                            KeyedDigest digest) {
        this.digest = digest;
        this.benchmarks = benchmarks;
        this.stored = stored;
        this.events = events;
        this.json = stored.mapper();
    }

    @WithSpan
    public Benchmark freeze(String useCase, Spec spec, Actor actor) {
        return stored.inTransaction("The benchmark could not be frozen right now; retry.", c -> {
            requireUseCase(c, useCase);
            int version = benchmarks.nextVersion(c, useCase);
            Instant from = spec.from() == null ? Instant.EPOCH : spec.from();
            Instant to = spec.to() == null ? Instant.now() : spec.to();
            List<Decided> drawn = draw(benchmarks.decided(c, useCase, from, to, spec.modelVersions(), MAX_SIZE),
                    spec);
            if (drawn.isEmpty()) {
                throw new Failure.Unprocessable("empty-benchmark", "Nothing to freeze",
                        "No decision of use case '" + useCase + "' that people decided matches: widen from/to,"
                                + " modelVersions or include.");
            }
            List<Draft> drafts = new ArrayList<>(drawn.size());
            for (Decided d : drawn) {
                String stratum = stratum(spec, d);
                drafts.add(new Draft(d.id(), stratum, content(d, stratum), d.decidedAt()));
            }
            return store(c, useCase, version, spec.name(), text(specJson(spec, from, to)), drafts, actor.name(),
                    Map.of());
        });
    }

    /** One item about to be frozen: its content (canonicalized when stored) and when people decided it. */
    public record Draft(UUID itemId, String stratum, ObjectNode content, Instant decidedAt) {
    }

    /**
     * Freezes these items as the use case's benchmark {@code version} in the caller's transaction: each item's
     * canonical JSON and its SHA-256, the digest of their lines, and {@code BENCHMARK_FROZEN} (with {@code extra}).
     */
    Benchmark store(Connection c, String useCase, int version, String name, String specText, List<Draft> drafts,
                    String actor, Map<String, Object> extra) throws SQLException {
        List<Item> items = new ArrayList<>(drafts.size());
        StringBuilder lines = new StringBuilder();
        Map<String, Integer> strata = new TreeMap<>();
        Map<String, Integer> guidelines = new TreeMap<>();
        for (Draft d : drafts) {
            guidelineVersions(d.content().get("verdicts")).forEach(v -> guidelines.merge(v, 1, Integer::sum));
            String content = CanonicalJson.of(d.content());
            String sha = Sha256.hex(content);
            items.add(new Item(items.size() + 1, d.itemId(), d.stratum(), sha, content, null));
            lines.append(d.itemId()).append('\t').append(sha).append('\n');
            strata.merge(d.stratum(), 1, Integer::sum);
        }
        Instant first = drafts.stream().map(Draft::decidedAt).min(Comparator.naturalOrder()).orElseThrow();
        Instant last = drafts.stream().map(Draft::decidedAt).max(Comparator.naturalOrder()).orElseThrow();
        Benchmark b = new Benchmark(0, useCase, version, name, specText, items.size(), Sha256.hex(lines.toString()),
                text(json.valueToTree(strata)), text(json.valueToTree(guidelines)), first, last, Instant.now(),
                actor, 0);
        long id = benchmarks.insert(c, b, items);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("useCase", useCase);
        event.put("version", version);
        event.put("name", name);
        event.put("size", items.size());
        event.put("sha256", b.digest());
        // Strata are named by attribute values, which may be a person's data: the trail keeps their number and a
        // keyed digest, never the names.
        event.put("strataCount", strata.size());
        event.put("strataHmac", digest.hex(text(json.valueToTree(strata))));
        event.put("guidelineVersions", guidelines);
        event.putAll(extra);
        events.record(c, EventOutbox.BENCHMARK_FROZEN, useCase + "/benchmarks/" + version, useCase, actor, event);
        return new Benchmark(id, useCase, version, b.name(), b.spec(), b.size(), b.digest(), b.strata(),
                b.guidelineVersions(), first, last, b.createdAt(), b.createdBy(), 0);
    }

    /** The next version number of the use case's benchmarks, its row lock held by the caller's transaction. */
    int nextVersion(Connection c, String useCase) throws SQLException {
        return benchmarks.nextVersion(c, useCase);
    }

    public Benchmark benchmark(String useCase, int version) {
        return reading(c -> find(c, useCase, version));
    }

    public Page<Benchmark> benchmarks(String useCase, Integer below, int limit) {
        return reading(c -> {
            requireUseCase(c, useCase);
            return Page.of(benchmarks.list(c, useCase, below == null ? Integer.MAX_VALUE : below, limit), limit,
                    b -> String.valueOf(b.version()));
        });
    }

    /** A page of items after the ordinal {@code after}; next cursor when there are more. */
    public Page<Item> items(String useCase, int version, int after, int limit) {
        return reading(c -> Page.of(benchmarks.items(c, find(c, useCase, version).id(), after, limit + 1), limit,
                i -> String.valueOf(i.ordinal())));
    }

    /** Every item, in order (evaluations score against all of them). */
    public List<Item> allItems(Connection c, long benchmarkId) throws SQLException {
        return benchmarks.items(c, benchmarkId, 0, 0);
    }

    public Benchmark find(Connection c, String useCase, int version) throws SQLException {
        return benchmarks.find(c, useCase, version).orElseThrow(() -> new Failure.NotFound(
                "Use case '" + useCase + "' has no benchmark version " + version));
    }

    /**
     * Erases one item's content from every benchmark of the use case (a person's right to erasure): its id and digest
     * stay, so benchmarks still verify; each erasure is counted in the benchmark's summary and audited.
     */
    @WithSpan
    public int erase(String useCase, UUID itemId, String reason, Actor actor) {
        return stored.inTransaction("The item could not be erased right now; retry.", c -> {
            requireUseCase(c, useCase);
            int erased = benchmarks.erase(c, useCase, itemId, Instant.now());
            if (erased == 0) {
                throw new Failure.NotFound("No benchmark of use case '" + useCase + "' holds content of item "
                        + itemId + " (it may be erased already)");
            }
            events.record(c, EventOutbox.BENCHMARK_ITEM_ERASED, useCase + "/benchmark-items/" + itemId, useCase,
                    actor.name(), Map.of("useCase", useCase, "itemId", itemId.toString(), "benchmarks", erased,
                            "reasonHmac", digest.hex(reason)));
            return erased;
        });
    }

    /** The decisions the spec keeps: of the included sources, then sampled per stratum to the size. */
    private List<Decided> draw(List<Decided> decided, Spec spec) {
        Map<String, List<Decided>> byStratum = new TreeMap<>();
        for (Decided d : decided) {
            if (spec.include().contains(ItemSource.of(d.status(), d.reasons()))) {
                byStratum.computeIfAbsent(stratum(spec, d), k -> new ArrayList<>()).add(d);
            }
        }
        int size = spec.size() == null ? MAX_SIZE : spec.size();
        Map<String, Integer> counts = new TreeMap<>();
        byStratum.forEach((k, v) -> counts.put(k, v.size()));
        Map<String, Integer> take = Strata.allocate(counts, size);
        List<Decided> out = new ArrayList<>();
        byStratum.forEach((stratum, items) -> {
            // A reproducible draw: by the SHA-256 of the decision id, which no one chooses.
            List<Decided> shuffled = new ArrayList<>(items);
            shuffled.sort(Comparator.comparing(d -> Sha256.hex(d.id().toString())));
            out.addAll(shuffled.subList(0, take.get(stratum)));
        });
        out.sort(Comparator.comparing(Decided::decidedAt).thenComparing(Decided::id));
        return out;
    }

    /** The review-standard versions an item was judged under, by its verdicts ("none" for a verdict without one). */
    static java.util.Set<String> guidelineVersions(JsonNode verdicts) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (JsonNode v : verdicts == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : verdicts) {
            JsonNode version = v.get("guidelineVersion");
            out.add(version == null || version.isNull() ? "none" : version.asText());
        }
        if (out.isEmpty()) {
            out.add("none");
        }
        return out;
    }

    private String stratum(Spec spec, Decided d) {
        return Strata.of(spec.stratifyBy(), d.route(), d.reasons(), read(d.attributes()));
    }

    /** An item as frozen: what was asked, what the model answered, what people settled on and how. */
    private ObjectNode content(Decided d, String stratum) {
        ObjectNode item = json.createObjectNode();
        item.put("itemId", d.id().toString());
        item.put("kind", d.kind());
        item.put("modelVersion", d.modelVersion());
        item.put("source", ItemSource.of(d.status(), d.reasons()).apiName());
        item.put("stratum", stratum);
        item.put("route", d.route());
        item.set("reasons", json.valueToTree(d.reasons()));
        item.put("confidence", d.confidence());
        if (d.calibratedConfidence() != null) {
            item.put("calibratedConfidence", d.calibratedConfidence());
        }
        item.set("input", read(d.input()));
        item.set("attributes", read(d.attributes()));
        item.set("output", read(d.output()));
        item.put("verdict", d.status());
        JsonNode reference = read(d.finalOutput());
        if (reference.isNull() && d.status().equals("APPROVED")) {
            reference = read(d.output());
        }
        item.set("reference", reference);
        item.set("verdicts", read(d.verdicts()));
        if (d.trajectory() != null) {
            item.set("trajectory", read(d.trajectory()));
        }
        item.put("decidedAt", d.decidedAt().toString());
        return item;
    }

    private ObjectNode specJson(Spec spec, Instant from, Instant to) {
        ObjectNode s = json.createObjectNode();
        s.put("from", from.toString());
        s.put("to", to.toString());
        s.set("modelVersions", spec.modelVersions() == null ? null : json.valueToTree(spec.modelVersions()));
        s.set("include", json.valueToTree(spec.include().stream().map(ItemSource::apiName).toList()));
        if (spec.size() != null) {
            s.put("size", spec.size());
        }
        s.set("stratifyBy", json.valueToTree(spec.stratifyBy() == null ? List.of() : spec.stratifyBy()));
        return s;
    }

    private void requireUseCase(Connection c, String useCase) throws SQLException {
        if (!benchmarks.useCaseExists(c, useCase)) {
            throw new Failure.NotFound("No use case named '" + useCase + "'");
        }
    }

    /** A benchmark by its row id. */
    Benchmark byId(Connection c, long id) throws SQLException {
        return benchmarks.byId(c, id);
    }

    private JsonNode read(String text) {
        return stored.parse(text);
    }

    private String text(JsonNode node) {
        return stored.text(node);
    }

    private <T> T reading(Transactions.Work<T> work) {
        return stored.inTransaction("Benchmarks cannot be read right now; retry.", work);
    }
}

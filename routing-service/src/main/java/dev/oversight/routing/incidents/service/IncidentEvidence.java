package dev.oversight.routing.incidents.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oversight.common.jdbc.Transactions;
import dev.oversight.routing.client.AuditLogClient;
import dev.oversight.routing.domain.DecisionStatus;
import dev.oversight.routing.domain.Route;
import dev.oversight.routing.incidents.repository.IncidentRepository;
import dev.oversight.routing.incidents.repository.IncidentRepository.Facts;
import dev.oversight.routing.incidents.repository.IncidentRepository.Incident;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * An incident's evidence as one ZIP an investigator takes away: the incident and its steps, each decision as the
 * router holds it (with who reversed it and why, when someone did) and the audit log's receipts of its DECISION_MADE (and OUTCOME_FINAL once reviewed), the policy
 * and calibrator versions those decisions were made under, the use case's mode history, the newest witnessed
 * checkpoint, and last a manifest with every file's SHA-256. {@code verify --evidence FILE --log-vkey VKEY} checks it
 * offline. The receipts are fetched before a byte is written, so an audit log that cannot answer yet is a 409 or 503,
 * never a ZIP without them.
 */
@ApplicationScoped
public class IncidentEvidence {

    private final IncidentService incidents;
    private final IncidentRepository repository;
    private final AuditLogClient audit;
    private final AgroalDataSource db;
    private final ObjectMapper json;

    public IncidentEvidence(IncidentService incidents, IncidentRepository repository, AuditLogClient audit,
                            AgroalDataSource db, ObjectMapper json) {
        this.incidents = incidents;
        this.repository = repository;
        this.audit = audit;
        this.db = db;
        this.json = json;
    }

    /** Evidence ready to write: everything from the audit log is in hand. */
    public final class Prepared {
        private final IncidentService.View view;
        private final List<Facts> facts;
        private final Map<String, String> receipts;
        private final String checkpoint;

        private Prepared(IncidentService.View view, List<Facts> facts, Map<String, String> receipts,
                         String checkpoint) {
            this.view = view;
            this.facts = facts;
            this.receipts = receipts;
            this.checkpoint = checkpoint;
        }

        public String fileName() {
            return "incident-" + view.incident().id() + "-evidence.zip";
        }

        public void write(OutputStream target) throws IOException {
            Incident i = view.incident();
            Map<String, String> digests = new LinkedHashMap<>();
            try (ZipOutputStream zip = new ZipOutputStream(target, StandardCharsets.UTF_8)) {
                put(zip, digests, "README.txt", readme(i));
                put(zip, digests, "incident.json", json.writerWithDefaultPrettyPrinter().writeValueAsString(
                        incidentJson(view)));
                for (Facts f : facts) {
                    String decision = read(c -> repository.decisionJson(c, f.id())).orElseThrow();
                    put(zip, digests, "decisions/" + f.id() + ".json", decision);
                    if (f.status() == DecisionStatus.OVERRIDDEN) {
                        put(zip, digests, "decisions/" + f.id() + ".override.json",
                                read(c -> repository.overrideJson(c, f.id())).orElseThrow());
                    }
                }
                for (Map.Entry<String, String> r : receipts.entrySet()) {
                    put(zip, digests, r.getKey(), r.getValue());
                }
                TreeSet<Integer> policies = new TreeSet<>();
                TreeSet<Integer> calibrators = new TreeSet<>();
                facts.forEach(f -> {
                    policies.add(f.policyVersion());
                    calibrators.add(f.calibratorVersion());
                });
                for (String p : read(c -> repository.policies(c, i.useCase(), List.copyOf(policies)))) {
                    put(zip, digests, "policies/v" + json.readTree(p).get("version").asInt() + ".json", p);
                }
                for (String k : read(c -> repository.calibrators(c, i.useCase(), List.copyOf(calibrators)))) {
                    put(zip, digests, "calibrators/v" + json.readTree(k).get("version").asInt() + ".json", k);
                }
                List<String> modes = read(c -> repository.modeHistory(c, i.useCase()));
                put(zip, digests, "mode-history.json", "[" + String.join(",\n", modes) + "]");
                put(zip, digests, "checkpoint.txt", checkpoint);
                ObjectNode manifest = json.createObjectNode();
                manifest.put("incidentId", i.id().toString());
                manifest.put("generatedAt", Instant.now().toString());
                ArrayNode files = manifest.putArray("files");
                digests.forEach((name, sha) -> files.addObject().put("name", name).put("sha256", sha));
                put(zip, null, "manifest.json", json.writerWithDefaultPrettyPrinter().writeValueAsString(manifest));
            }
        }
    }

    /** Reads the incident and fetches every receipt and the checkpoint from the audit log. */
    public Prepared prepare(UUID id) {
        IncidentService.View view = incidents.view(id);
        List<Facts> facts = read(c -> repository.facts(c, view.decisions()));
        Map<String, String> receipts = new LinkedHashMap<>();
        for (Facts f : facts) {
            receipts.put("decisions/" + f.id() + ".DECISION_MADE.tlog-proof", audit.receipt(f.id(), "DECISION_MADE"));
            if (f.route() == Route.REVIEW && f.status().isFinal()) {
                receipts.put("decisions/" + f.id() + ".OUTCOME_FINAL.tlog-proof",
                        audit.receipt(f.id(), "OUTCOME_FINAL"));
            }
        }
        return new Prepared(view, facts, receipts, audit.checkpoint());
    }

    private ObjectNode incidentJson(IncidentService.View view) {
        Incident i = view.incident();
        ObjectNode out = json.createObjectNode();
        out.put("id", i.id().toString());
        out.put("useCase", i.useCase());
        out.put("severity", i.severity().name());
        out.put("awareAt", i.awareAt().toString());
        out.put("deadline", i.deadline().toString());
        out.put("status", i.status().name());
        out.put("summary", i.summary());
        out.put("openedAt", i.openedAt().toString());
        out.put("openedBy", i.openedBy());
        out.put("firstReportAt", i.reportedAt() == null ? null : i.reportedAt().toString());
        ArrayNode decisions = out.putArray("decisionIds");
        view.decisions().forEach(d -> decisions.add(d.toString()));
        ArrayNode steps = out.putArray("steps");
        view.steps().forEach(s -> steps.addObject().put("status", s.status().name()).put("note", s.note())
                .put("at", s.at().toString()).put("by", s.actor()));
        return out;
    }

    private static String readme(Incident i) {
        return "Evidence of serious incident " + i.id() + " (" + i.severity() + ", use case " + i.useCase() + ").\n\n"
                + "manifest.json lists every other file with its SHA-256. Each decisions/<id>.<EVENT>.tlog-proof is a\n"
                + "C2SP tlog-proof receipt of that event in the Oversight audit log; checkpoint.txt is the log's newest\n"
                + "checkpoint with its witnesses' cosignatures. Check the whole bundle offline with the log's vkey:\n\n"
                + "  java -jar audit-service/target/quarkus-app/quarkus-run.jar verify --evidence <this zip>"
                + " --log-vkey <vkey> [--witness <vkey> ... --witnesses-required k]\n";
    }

    private static void put(ZipOutputStream zip, Map<String, String> digests, String name, String text)
            throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
        if (digests != null) {
            digests.put(name, sha256(bytes));
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always there", e);
        }
    }

    private <T> T read(Transactions.Work<T> work) {
        return Transactions.inTransaction(db, "The incident's evidence cannot be read right now; retry.", work);
    }
}

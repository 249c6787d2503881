package dev.oversight.audit.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.audit.domain.note.NoteKey;
import dev.oversight.audit.domain.note.Receipt;
import dev.oversight.audit.domain.note.WitnessPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * {@code verify --evidence FILE.zip --log-vkey VKEY [--witness VKEY ... --witnesses-required k]}: checks an
 * incident's evidence bundle (from the router's {@code GET /v1/incidents/{id}/evidence}) with nothing but the file
 * and the log's key: the manifest names every other file with its SHA-256 and nothing else; every receipt proves its
 * event is in the log under a checkpoint the log signed (and enough witnesses cosigned), of the decision and the type
 * its file name says; every decision of the incident has its DECISION_MADE receipt.
 */
final class EvidenceVerifier {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RECEIPT = Pattern.compile("decisions/([0-9a-f-]{36})\\.([A-Z_]+)\\.tlog-proof");
    /** Bounds what a hostile archive can make us hold in memory. */
    private static final long MAX_BYTES = 1L << 30;

    private EvidenceVerifier() {
    }

    /** Exit 0 when the bundle holds, 1 when not, -1 when the arguments are not this check's. */
    static int run(String[] args, PrintStream out) {
        try {
            OfflineVerifier.KeyedFile a = OfflineVerifier.KeyedFile.parse(args, "--evidence");
            if (a == null) {
                return -1;
            }
            Optional<String> problem = problem(read(Path.of(a.file())), a.log(), a.policy(), out);
            if (problem.isPresent()) {
                out.println("FAILED: " + problem.get());
                return 1;
            }
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            out.println("FAILED: " + e.getMessage());
            return 1;
        }
    }

    static Optional<String> problem(Map<String, byte[]> files, NoteKey log, WitnessPolicy policy, PrintStream out)
            throws IOException {
        byte[] manifestBytes = files.get("manifest.json");
        if (manifestBytes == null) {
            return Optional.of("the bundle has no manifest.json");
        }
        JsonNode manifest = JSON.readTree(manifestBytes);
        Set<String> listed = new TreeSet<>();
        for (JsonNode f : manifest.path("files")) {
            String name = f.path("name").asText();
            byte[] bytes = files.get(name);
            if (bytes == null) {
                return Optional.of("the manifest lists " + name + ", which the bundle does not hold");
            }
            if (!sha256(bytes).equals(f.path("sha256").asText())) {
                return Optional.of(name + " is not the file the manifest lists (SHA-256 differs)");
            }
            if (!listed.add(name)) {
                return Optional.of("the manifest lists " + name + " twice");
            }
        }
        Set<String> held = new TreeSet<>(files.keySet());
        held.remove("manifest.json");
        held.removeAll(listed);
        if (!held.isEmpty()) {
            return Optional.of("the bundle holds files the manifest does not list: " + held);
        }
        byte[] incidentBytes = files.get("incident.json");
        if (incidentBytes == null) {
            return Optional.of("the bundle has no incident.json");
        }
        JsonNode incident = JSON.readTree(incidentBytes);
        if (!incident.path("id").asText().equals(manifest.path("incidentId").asText())) {
            return Optional.of("incident.json is of another incident than the manifest");
        }
        int receipts = 0;
        Set<String> made = new TreeSet<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            if (!f.getKey().endsWith(".tlog-proof")) {
                continue;
            }
            Matcher m = RECEIPT.matcher(f.getKey());
            if (!m.matches()) {
                return Optional.of(f.getKey() + " is not named decisions/<decision>.<EVENT>.tlog-proof");
            }
            Receipt r = Receipt.parse(new String(f.getValue(), StandardCharsets.UTF_8));
            Optional<String> wrong = r.problem(log, policy);
            if (wrong.isPresent()) {
                return Optional.of(f.getKey() + ": " + wrong.get());
            }
            JsonNode event = JSON.readTree(r.eventText());
            String decision = event.path("payload").path("decisionId").asText(event.path("subjectId").asText());
            if (!event.path("type").asText().equals(m.group(2)) || !decision.equals(m.group(1))) {
                return Optional.of(f.getKey() + " proves " + event.path("type").asText() + " of " + decision
                        + ", not what its name says");
            }
            if (m.group(2).equals("DECISION_MADE")) {
                made.add(decision);
            }
            out.println("  " + f.getKey() + ": event " + r.index() + " in the log");
            receipts++;
        }
        for (JsonNode d : incident.path("decisionIds")) {
            if (!made.contains(d.asText())) {
                return Optional.of("decision " + d.asText() + " of the incident has no DECISION_MADE receipt");
            }
        }
        out.println("OK: evidence of incident " + incident.path("id").asText() + ": " + listed.size()
                + " files match the manifest, " + receipts + " receipts verify against " + log.name() + "'s log"
                + (policy == null ? "" : " with the witnesses required"));
        return Optional.empty();
    }

    private static Map<String, byte[]> read(Path zip) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        long total = 0;
        try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in,
                StandardCharsets.UTF_8)) {
            for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                if (e.isDirectory()) {
                    continue;
                }
                byte[] bytes = z.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_BYTES - total + 1));
                total += bytes.length;
                if (total > MAX_BYTES) {
                    throw new IllegalArgumentException("the bundle unpacks to more than " + MAX_BYTES + " bytes");
                }
                if (files.put(e.getName(), bytes) != null) {
                    throw new IllegalArgumentException("the bundle holds " + e.getName() + " twice");
                }
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(zip + " is not a ZIP archive with files");
        }
        return files;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always there", e);
        }
    }
}

package dev.oversight.audit.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.audit.domain.Checkpoint;
import dev.oversight.audit.domain.Frontier;
import dev.oversight.audit.domain.Merkle;
import dev.oversight.audit.domain.ProofFailure;
import dev.oversight.audit.domain.note.CheckpointNote;
import dev.oversight.audit.domain.note.NoteKey;
import dev.oversight.audit.domain.note.SignedNote;
import dev.oversight.audit.domain.note.WitnessPolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks an export against a signed checkpoint with nothing but the files: the checkpoint's Ed25519 signature
 * against the public key, every exported event's leaf hash against its canonical text, the indexes for gaps and
 * order, and the root of the first treeSize events against the signed root.
 *
 * <pre>java -jar audit-service/target/quarkus-app/quarkus-run.jar verify \
 *     --export events.ndjson --checkpoint checkpoint.json --public-key public-key.pem \
 *     [--witness &lt;vkey&gt; ... --witnesses-required k]</pre>
 * With {@code --also-checkpoint} it compares checkpoints obtained elsewhere: two of one size with different roots,
 * both signed by the log, are a split view. With a witness policy the checkpoint is trusted only if its signed note (the checkpoint JSON's {@code note}) is of
 * the same tree and carries valid cosignatures of at least k of the given witnesses: a history the operator
 * rewrote and re-signed with the log key has none, because no honest witness cosigns it.
 */
public final class OfflineVerifier {

    /**
     * {@code firstMismatch} names the first index found wrong, when one can be named; {@code failure} is the cause in
     * the verifiers' shared vocabulary when it is one of a proof, a root or a signature (null otherwise).
     */
    public record Outcome(boolean ok, long verified, Long firstMismatch, String message, ProofFailure failure) {
        Outcome(boolean ok, long verified, Long firstMismatch, String message) {
            this(ok, verified, firstMismatch, message, null);
        }

        static Outcome failed(long verified, ProofFailure failure) {
            return new Outcome(false, verified, null, failure.message(), failure);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private OfflineVerifier() {
    }

    /**
     * {@code verify --receipt FILE --log-vkey VKEY [--witness VKEY ... --witnesses-required k]}: whether the receipt's
     * event is in the log the key names, at its index, under a checkpoint the log signed (and enough witnesses
     * cosigned). Prints the event's canonical text when it is.
     */
    /**
     * {@code <fileFlag> FILE --log-vkey VKEY [--witness VKEY ... --witnesses-required k]}, as the receipt and evidence
     * checks take them; null when the arguments are not that (the caller prints the usage).
     */
    record KeyedFile(String file, NoteKey log, WitnessPolicy policy) {
        static KeyedFile parse(String[] args, String fileFlag) {
            String file = null;
            NoteKey log = null;
            List<NoteKey> witnesses = new ArrayList<>();
            Integer required = null;
            for (int i = 0; i + 1 < args.length; i += 2) {
                String flag = args[i];
                if (flag.equals(fileFlag)) {
                    file = args[i + 1];
                } else if (flag.equals("--log-vkey")) {
                    log = NoteKey.parse(args[i + 1]);
                } else if (flag.equals("--witness")) {
                    witnesses.add(NoteKey.parse(args[i + 1]));
                } else if (flag.equals("--witnesses-required")) {
                    required = Integer.parseInt(args[i + 1]);
                } else {
                    return null;
                }
            }
            if (args.length % 2 != 0 || file == null || log == null) {
                return null;
            }
            return new KeyedFile(file, log, witnesses.isEmpty() ? null
                    : new WitnessPolicy(witnesses, required == null ? witnesses.size() : required));
        }
    }

    static int receipt(String[] args, PrintStream out) {
        try {
            KeyedFile a = KeyedFile.parse(args, "--receipt");
            if (a == null) {
                return usage(out);
            }
            NoteKey log = a.log();
            WitnessPolicy policy = a.policy();
            dev.oversight.audit.domain.note.Receipt r = dev.oversight.audit.domain.note.Receipt.parse(
                    Files.readString(Path.of(a.file()), StandardCharsets.UTF_8));
            java.util.Optional<String> problem = r.problem(log, policy);
            if (problem.isPresent()) {
                out.println("FAILED: " + problem.get());
                return 1;
            }
            out.println("OK: event " + r.index() + " is in " + log.name() + "'s log under its signed checkpoint"
                    + (policy == null ? "" : " cosigned by " + policy.cosigners(SignedNote.parse(r.checkpoint()))
                    + " witnesses"));
            out.println(r.eventText());
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            out.println("FAILED: " + e.getMessage());
            return 1;
        }
    }

    public static int run(String[] args, PrintStream out) {
        if (Arrays.asList(args).contains("--receipt")) {
            return receipt(args, out);
        }
        if (Arrays.asList(args).contains("--evidence")) {
            int code = EvidenceVerifier.run(args, out);
            return code < 0 ? usage(out) : code;
        }
        String export = null;
        String checkpoint = null;
        String key = null;
        List<NoteKey> witnesses = new ArrayList<>();
        List<String> others = new ArrayList<>();
        Integer required = null;
        if (args.length % 2 != 0) {
            return usage(out);
        }
        try {
            for (int i = 0; i + 1 < args.length; i += 2) {
                switch (args[i]) {
                    case "--export" -> export = args[i + 1];
                    case "--checkpoint" -> checkpoint = args[i + 1];
                    case "--public-key" -> key = args[i + 1];
                    case "--witness" -> witnesses.add(NoteKey.parse(args[i + 1]));
                    case "--witnesses-required" -> required = Integer.parseInt(args[i + 1]);
                    case "--also-checkpoint" -> others.add(args[i + 1]);
                    default -> {
                        return usage(out);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            out.println("FAILED: " + e.getMessage());
            return usage(out);
        }
        if (export == null || checkpoint == null || key == null) {
            return usage(out);
        }
        WitnessPolicy policy = witnesses.isEmpty() ? null
                : new WitnessPolicy(witnesses, required == null ? witnesses.size() : required);
        try (BufferedReader reader = Files.newBufferedReader(Path.of(export), StandardCharsets.UTF_8)) {
            List<String> seen = new ArrayList<>();
            for (String f : others) {
                seen.add(Files.readString(Path.of(f)));
            }
            Outcome o = verify(reader, Files.readString(Path.of(checkpoint)), Files.readString(Path.of(key)), policy, seen);
            out.println((o.ok() ? "OK: " : "FAILED: ") + o.message());
            return o.ok() ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            out.println("FAILED: could not read the inputs: " + e.getMessage());
            return 2;
        }
    }

    /** The checkpoint's note is of the same tree and carries enough of the policy's cosignatures. */
    static Outcome witnessed(JsonNode cp, WitnessPolicy policy) {
        if (!cp.hasNonNull("note")) {
            return new Outcome(false, 0, null, "the checkpoint has no signed note, so no witness cosigned it");
        }
        SignedNote note;
        try {
            note = SignedNote.parse(cp.get("note").asText());
        } catch (IllegalArgumentException e) {
            return new Outcome(false, 0, null, "the checkpoint's note is malformed: " + e.getMessage());
        }
        CheckpointNote tree;
        try {
            tree = CheckpointNote.parse(note.text());
        } catch (IllegalArgumentException e) {
            return new Outcome(false, 0, null, "the checkpoint's note is not a checkpoint: " + e.getMessage());
        }
        if (tree.size() != cp.get("treeSize").asLong()
                || !Arrays.equals(tree.root(), HexFormat.of().parseHex(cp.get("rootHash").asText()))) {
            return new Outcome(false, 0, null, "the checkpoint's note is of another tree than the checkpoint");
        }
        int cosigners = policy.cosigners(note);
        if (cosigners < policy.required()) {
            return new Outcome(false, 0, null, "the checkpoint is not witnessed: " + cosigners + " of the "
                    + policy.required() + " required witness cosignatures (of " + policy.witnesses().size()
                    + " witnesses) are present");
        }
        return new Outcome(true, 0, null, cosigners + " witness cosignatures");
    }

    public static Outcome verify(BufferedReader export, String checkpointJson, String publicKey) throws IOException {
        return verify(export, checkpointJson, publicKey, null);
    }

    /** With a witness policy (or null for none): see the class comment. */
    public static Outcome verify(BufferedReader export, String checkpointJson, String publicKey, WitnessPolicy policy)
            throws IOException {
        return verify(export, checkpointJson, publicKey, policy, List.of());
    }

    /**
     * {@code others}: checkpoints of the same log obtained elsewhere (another auditor's copy, a witness, a regulator);
     * one of the same size with another root, signed by the log, is a split view and fails the verification.
     */
    public static Outcome verify(BufferedReader export, String checkpointJson, String publicKey, WitnessPolicy policy,
                                 List<String> others) throws IOException {
        JsonNode cp = JSON.readTree(checkpointJson);
        if (policy != null) {
            Outcome witnessed = witnessed(cp, policy);
            if (!witnessed.ok()) {
                return witnessed;
            }
        }
        long treeSize = cp.get("treeSize").asLong();
        Checkpoint checkpoint = new Checkpoint(treeSize, HexFormat.of().parseHex(cp.get("rootHash").asText()),
                Instant.parse(cp.get("timestamp").asText()));
        if (!checkpoint.verify(Base64.getDecoder().decode(cp.get("signature").asText()), parseKey(publicKey))) {
            return Outcome.failed(0, new ProofFailure.BadSignature("the checkpoint's signature with this public key"));
        }
        for (String other : others) {
            JsonNode o = JSON.readTree(other);
            Checkpoint seen = new Checkpoint(o.get("treeSize").asLong(), HexFormat.of().parseHex(o.get("rootHash").asText()),
                    Instant.parse(o.get("timestamp").asText()));
            if (!seen.verify(Base64.getDecoder().decode(o.get("signature").asText()), parseKey(publicKey))) {
                continue; // not the log's word: proves nothing about the log
            }
            if (seen.treeSize() == treeSize && !Arrays.equals(seen.rootHash(), checkpoint.rootHash())) {
                return Outcome.failed(0, new ProofFailure.SplitView(treeSize, checkpoint.rootHash(), seen.rootHash()));
            }
        }
        Frontier frontier = Frontier.empty();
        String line;
        while (frontier.size() < treeSize && (line = export.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode event = JSON.readTree(line);
            long index = event.get("index").asLong();
            long expected = frontier.size();
            if (index != expected) {
                return new Outcome(false, expected, expected, "event " + expected + " is missing or out of order"
                        + " (found index " + index + ")");
            }
            byte[] leaf = Merkle.leafHash(event.get("canonical").asText().getBytes(StandardCharsets.UTF_8));
            if (!Arrays.equals(leaf, HexFormat.of().parseHex(event.get("leafHash").asText()))) {
                return new Outcome(false, expected, index, "event " + index + " does not hash to its leaf hash");
            }
            frontier.append(leaf);
        }
        if (frontier.size() < treeSize) {
            return new Outcome(false, frontier.size(), frontier.size(), "the export ends at " + frontier.size()
                    + " events, before the checkpoint's " + treeSize);
        }
        if (!Arrays.equals(frontier.root(), checkpoint.rootHash())) {
            return new Outcome(false, treeSize, null, "the " + treeSize + " events do not produce the signed root",
                    new ProofFailure.RootMismatch(treeSize));
        }
        return new Outcome(true, treeSize, null, treeSize + " events match the checkpoint signed by key "
                + cp.path("keyId").asText("?") + " at " + cp.get("timestamp").asText());
    }

    /** A PEM public key, or the JSON served by /v1/checkpoints/public-key. */
    static PublicKey parseKey(String text) throws IOException {
        String pem = text.trim().startsWith("{") ? JSON.readTree(text).get("pem").asText() : text;
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException e) {
            throw new IOException("not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    private static int usage(PrintStream out) {
        out.println("usage: verify --export <events.ndjson> --checkpoint <checkpoint.json> --public-key <key.pem|key.json>"
                + " [--witness <vkey> ... [--witnesses-required <k>]] [--also-checkpoint <checkpoint.json> ...]");
        out.println("       verify --receipt <event.tlog-proof> --log-vkey <vkey> [--witness <vkey> ..."
                + " [--witnesses-required <k>]]");
        out.println("       verify --evidence <incident-evidence.zip> --log-vkey <vkey> [--witness <vkey> ..."
                + " [--witnesses-required <k>]]");
        return 2;
    }
}

package dev.oversight.audit.service;

import dev.oversight.audit.domain.Checkpoint;
import dev.oversight.audit.repository.CheckpointRepository;
import dev.oversight.audit.repository.LogRepository;
import dev.oversight.audit.repository.WitnessRepository;
import dev.oversight.audit.domain.StoredCheckpoint;
import dev.oversight.audit.domain.note.CheckpointNote;
import dev.oversight.audit.domain.note.NoteKey;
import dev.oversight.audit.domain.note.NoteSigner;
import dev.oversight.audit.domain.note.SignedNote;
import dev.oversight.common.failure.Failure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/** Signs checkpoints of the log with the configured Ed25519 key, on a schedule and on demand, and keeps them all. */
@ApplicationScoped
public class CheckpointService {

    private static final Logger LOG = Logger.getLogger(CheckpointService.class);
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

    private final LogRepository repository;
    private final CheckpointRepository checkpointRows;
    private final AuditLog log;
    private final AuditConfig.Checkpoint config;
    private final String origin;
    private final WitnessRepository witnesses;
    private final Counter invalidSignatures;
    private volatile KeyPair keys;
    private volatile String keyId;
    /** Every key whose checkpoints verify, by key id: the current one and those of earlier rotations. */
    private volatile Map<String, PublicKey> trusted = Map.of();

    public CheckpointService(LogRepository repository, CheckpointRepository checkpointRows, AuditLog log,
                             AuditConfig config, WitnessRepository witnesses, MeterRegistry meters) {
        this.invalidSignatures = Counter.builder("oversight_audit_checkpoint_signature_invalid")
                .description("Stored checkpoints refused because their signatures do not verify with a trusted key")
                .register(meters);
        this.repository = repository;
        this.checkpointRows = checkpointRows;
        this.witnesses = witnesses;
        this.log = log;
        this.config = config.checkpoint();
        this.origin = config.origin();
    }

    /** The log's origin (the checkpoints' first line and the note key's name). */
    public String origin() {
        return origin;
    }

    /** The current key as a C2SP note verifier key (name = origin, Ed25519). */
    public NoteKey noteKey() {
        return NoteKey.of(origin, NoteKey.ED25519, keys.getPublic());
    }

    /** The C2SP tlog-checkpoint note text of a checkpoint: origin, size, base64 root hash. */
    public String noteText(StoredCheckpoint cp) {
        return new CheckpointNote(origin, cp.treeSize(), cp.rootHash()).text();
    }

    /**
     * The checkpoint as the C2SP signed note that was signed when the checkpoint was made, with its witnesses'
     * cosignatures; empty for a checkpoint signed before notes were stored. Nothing is signed here: a stored row whose
     * signatures do not verify with a trusted key (a row written behind the service's back) is refused (500) and
     * counted in {@code oversight_audit_checkpoint_signature_invalid_total}, which an alert watches.
     */
    public Optional<SignedNote> note(StoredCheckpoint cp) {
        if (!signaturesVerify(cp)) {
            throw new Failure.Broken("checkpoint-signature-invalid", "Checkpoint signature invalid",
                    "The stored checkpoint of tree size " + cp.treeSize() + " does not verify with a trusted key; it is"
                            + " not served. Someone wrote it without the signing key: investigate.");
        }
        return Optional.ofNullable(notes(List.of(cp)).get(cp.treeSize()));
    }

    /**
     * The stored notes of several checkpoints (a page of them), by tree size, with their cosignatures read at once.
     * Checkpoints without a stored note, or whose signatures do not verify (counted and logged), have none.
     */
    public Map<Long, SignedNote> notes(List<StoredCheckpoint> cps) {
        List<StoredCheckpoint> served = cps.stream().filter(cp -> cp.noteSignature() != null)
                .filter(this::signaturesVerify).toList();
        Map<Long, List<String>> cosignatures;
        try {
            cosignatures = witnesses.cosignatures(served.stream().map(StoredCheckpoint::treeSize).toList());
        } catch (java.sql.SQLException e) {
            throw new Failure.Unavailable("Cosignatures cannot be read right now; retry.");
        }
        Map<Long, SignedNote> notes = new LinkedHashMap<>();
        for (StoredCheckpoint cp : served) {
            NoteKey key = NoteKey.of(origin, NoteKey.ED25519, trusted.get(cp.keyId()));
            List<SignedNote.Line> lines = new java.util.ArrayList<>();
            lines.add(new SignedNote.Line(key.name(), key.keyId(), cp.noteSignature()));
            cosignatures.getOrDefault(cp.treeSize(), List.of()).forEach(c -> lines.add(SignedNote.Line.parse(c)));
            notes.put(cp.treeSize(), new SignedNote(noteText(cp), lines));
        }
        return notes;
    }

    /** Whether the stored row's signature, and its note signature if it has one, verify with the key it names. */
    private boolean signaturesVerify(StoredCheckpoint cp) {
        PublicKey key = trusted.get(cp.keyId());
        boolean ok = key != null
                && new Checkpoint(cp.treeSize(), cp.rootHash(), cp.createdAt().toInstant()).verify(cp.signature(), key)
                && (cp.noteSignature() == null || NoteKey.of(origin, NoteKey.ED25519, key)
                        .verifies(noteText(cp).getBytes(StandardCharsets.UTF_8), cp.noteSignature()));
        if (!ok) {
            invalidSignatures.increment();
            LOG.errorf("Checkpoint of tree size %d does not verify with trusted key %s: not served", cp.treeSize(),
                    cp.keyId());
        }
        return ok;
    }

    void loadKey(@Observes StartupEvent event) throws IOException, GeneralSecurityException {
        Path file = Path.of(config.keyFile());
        if (!Files.exists(file)) {
            if (!config.generateKey()) {
                throw new IllegalStateException("Checkpoint key file " + file + " is missing and generate-key is off");
            }
            KeyPair generated = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            String pem = pem("PRIVATE KEY", generated.getPrivate().getEncoded())
                    + pem("PUBLIC KEY", generated.getPublic().getEncoded());
            Files.writeString(file, pem, StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            LOG.warnf("Generated a new checkpoint signing key in %s (development only)", file);
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        KeyFactory kf = KeyFactory.getInstance("Ed25519");
        PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(block(text, "PRIVATE KEY")));
        PublicKey pub = kf.generatePublic(new X509EncodedKeySpec(block(text, "PUBLIC KEY")));
        keys = new KeyPair(pub, priv);
        keyId = Checkpoint.keyId(pub);
        Map<String, PublicKey> known = new LinkedHashMap<>();
        known.put(keyId, pub);
        for (String earlier : config.trustedPublicKeys().orElse(List.of())) {
            PublicKey old = kf.generatePublic(new X509EncodedKeySpec(
                    block(Files.readString(Path.of(earlier), StandardCharsets.US_ASCII), "PUBLIC KEY")));
            known.putIfAbsent(Checkpoint.keyId(old), old);
        }
        trusted = Map.copyOf(known);
        LOG.infof("Checkpoints are signed with Ed25519 key %s; checkpoints of keys %s verify", keyId, known.keySet());
    }

    /** The trusted public key with this id (the current key or an earlier one), if any. */
    public Optional<PublicKey> trustedKey(String id) {
        return Optional.ofNullable(trusted.get(id));
    }

    public PublicKey publicKey() {
        return keys.getPublic();
    }

    public String keyId() {
        return keyId;
    }

    @Scheduled(every = "${audit.checkpoint.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            checkpoint();
        } catch (RuntimeException e) {
            LOG.warnf("No checkpoint this time: %s", e.getMessage());
        }
    }

    /** Signs the current tree if it grew since the latest checkpoint; returns the latest checkpoint either way. */
    public StoredCheckpoint checkpoint() {
        try {
            long size = repository.size();
            Optional<StoredCheckpoint> latest = checkpointRows.latestCheckpoint();
            if (latest.isPresent() && latest.get().treeSize() >= size) {
                return latest.get();
            }
            Checkpoint cp = new Checkpoint(size, log.root(size), Instant.now());
            String note = new CheckpointNote(origin, size, cp.rootHash()).text();
            byte[] noteSignature = new NoteSigner(noteKey(), keys.getPrivate()).sign(note).signature();
            StoredCheckpoint stored = new StoredCheckpoint(size, cp.rootHash(),
                    cp.timestamp().atOffset(ZoneOffset.UTC), keyId, cp.sign(keys.getPrivate()), noteSignature);
            checkpointRows.insertCheckpoint(stored);
            return checkpointRows.latestCheckpoint().orElse(stored);
        } catch (SQLException e) {
            throw new Failure.Unavailable("The log cannot be read right now; retry.");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not sign a checkpoint", e);
        }
    }

    public Optional<StoredCheckpoint> latest() {
        try {
            return checkpointRows.latestCheckpoint();
        } catch (SQLException e) {
            throw new Failure.Unavailable("The log cannot be read right now; retry.");
        }
    }

    /** The newest checkpoint of a tree at most {@code treeSize} large, if any. */
    public Optional<StoredCheckpoint> latestUpTo(long treeSize) {
        try {
            return checkpointRows.checkpoints(treeSize + 1, 1).stream().findFirst();
        } catch (SQLException e) {
            throw new Failure.Unavailable("The log cannot be read right now; retry.");
        }
    }

    public List<StoredCheckpoint> list(long belowSize, int limit) {
        try {
            return checkpointRows.checkpoints(belowSize, limit);
        } catch (SQLException e) {
            throw new Failure.Unavailable("The log cannot be read right now; retry.");
        }
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] block(String text, String type) {
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                return Base64.getMimeDecoder().decode(m.group(2));
            }
        }
        throw new IllegalStateException("The checkpoint key file has no " + type + " block");
    }
}

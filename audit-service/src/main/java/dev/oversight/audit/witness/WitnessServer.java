package dev.oversight.audit.witness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.oversight.audit.domain.note.NoteKey;
import dev.oversight.audit.domain.note.NoteSigner;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A C2SP tlog-witness of our own, so that a second party (a regulator, an internal audit team) can witness the log:
 * {@code java -jar quarkus-run.jar witness --port 8099 --log-vkey <vkey> [--log-vkey ...] --key witness.key
 * --state witness.state --name witness.example/w1}. The key file holds the witness's 32-byte Ed25519 seed (created,
 * readable by the owner only, when missing); the vkey it prints is what the log and verifiers configure.
 */
public final class WitnessServer implements AutoCloseable {

    static final int MAX_BODY = 64 * 1024;

    private final HttpServer server;
    private final Witness witness;

    public WitnessServer(Witness witness, int port) throws IOException {
        this.witness = witness;
        this.server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/add-checkpoint", this::addCheckpoint);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public NoteKey key() {
        return witness.key();
    }

    private void addCheckpoint(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"POST".equals(ex.getRequestMethod())) {
                send(ex, Witness.Response.text(405, "POST only\n"));
                return;
            }
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            if (body.length > MAX_BODY) {
                send(ex, Witness.Response.text(413, "the request is too large\n"));
                return;
            }
            send(ex, witness.addCheckpoint(new String(body, StandardCharsets.UTF_8)));
        }
    }

    private static void send(HttpExchange ex, Witness.Response r) throws IOException {
        byte[] b = r.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", r.contentType());
        ex.sendResponseHeaders(r.status(), b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** The command line; returns only on a usage error (the server runs until the process ends). */
    public static int run(String[] args, PrintStream out) {
        Map<String, String> opts = new HashMap<>();
        Map<String, NoteKey> logs = new HashMap<>();
        try {
            for (int i = 0; i + 1 < args.length; i += 2) {
                if ("--log-vkey".equals(args[i])) {
                    NoteKey k = NoteKey.parse(args[i + 1]);
                    logs.put(k.name(), k);
                } else {
                    opts.put(args[i], args[i + 1]);
                }
            }
            if (logs.isEmpty() || args.length % 2 != 0) {
                throw new IllegalArgumentException("give at least one --log-vkey");
            }
            NoteSigner signer = NoteSigner.fromSeed(opts.getOrDefault("--name", "oversight-witness.local/w1"),
                    NoteKey.COSIGNATURE_V1, seed(Path.of(opts.getOrDefault("--key", "witness.key"))));
            Witness witness = new Witness(signer, logs, new FileState(Path.of(opts.getOrDefault("--state",
                    "witness.state"))), Clock.systemUTC());
            WitnessServer server = new WitnessServer(witness, Integer.parseInt(opts.getOrDefault("--port", "8099")));
            out.println("Witness " + signer.key().vkey() + " listening on port " + server.port() + " for "
                    + logs.keySet());
            return -1;
        } catch (IOException | RuntimeException e) {
            out.println("witness: " + e.getMessage());
            out.println("usage: witness --log-vkey <origin+keyid+key> [--log-vkey ...] [--port 8099] [--key witness.key]"
                    + " [--state witness.state] [--name witness.example/w1]");
            return 2;
        }
    }

    /**
     * The witness's seed: created when missing, atomically with mode 0600 (no moment when others could read it), forced
     * to disk with its directory; an existing key file that others can read or write is refused, since whoever reads
     * it can cosign as this witness.
     */
    static byte[] seed(Path file) throws IOException {
        if (!Files.exists(file)) {
            create(file);
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.GROUP_WRITE)
                    || perms.contains(PosixFilePermission.OTHERS_READ)
                    || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new IOException(file + " can be read or written by others (" + PosixFilePermissions.toString(perms)
                        + "); the witness key must be the owner's alone: chmod 600 " + file);
            }
        } catch (UnsupportedOperationException notPosix) {
            // Not a POSIX file system: its own access control applies.
        }
        byte[] seed = java.util.Base64.getDecoder().decode(Files.readString(file).strip());
        if (seed.length != 32) {
            throw new IOException(file + " does not hold a base64 32-byte Ed25519 seed");
        }
        return seed;
    }

    private static void create(Path file) throws IOException {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ch.write(ByteBuffer.wrap(java.util.Base64.getEncoder().encode(seed)));
            ch.force(true);
        } catch (FileAlreadyExistsException anotherWitnessWasFirst) {
            return;
        }
        FileState.forceDirectory(dir);
    }
}

package dev.oversight.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The local stack is local: {@code ./run-local.sh} serves every service and the console (whose development sign-in
 * has no password) on the loopback address only. Run as a new user runs it, then read which addresses the kernel
 * has the ports listening on.
 */
class RunLocalIT {

    private static final int[] PORTS = {8090, 8091, 8092, 8093};

    @Test
    void everyServiceAndTheConsole_listenOnTheLoopbackAddressOnly() throws Exception {
        for (int port : PORTS) {
            assumeFalse(inUse(port), "port " + port + " is taken (a local stack running?): not started again here");
        }
        Path root = Path.of(System.getProperty("oversight.root"));
        Path local = Files.createTempDirectory("run-local-it");
        try {
            run(root, local, "--detach");
            List<String> listening = listeners();
            for (int port : PORTS) {
                List<String> addresses = listening.stream().filter(l -> l.endsWith(":" + port)).toList();
                assertThat(addresses).as("listeners on port %d", port).isNotEmpty()
                        .allSatisfy(a -> assertThat(a).isEqualTo("127.0.0.1:" + port));
            }
        } finally {
            run(root, local, "stop");
            try (var files = Files.walk(local)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static void run(Path root, Path local, String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("run-local.sh").toString(), command)
                .directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(local.resolve("run-local-" + command + ".log").toFile());
        pb.environment().put("OVERSIGHT_LOCAL_DIR", local.toString());
        // The build has just made the jars; a build from here would clean the folder this test runs in.
        pb.environment().put("OVERSIGHT_SKIP_BUILD", "true");
        pb.environment().put("OVERSIGHT_PG_PORT", String.valueOf(freePort()));
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        String log = Files.readString(local.resolve("run-local-" + command + ".log"));
        assertThat(p.exitValue()).as("./run-local.sh %s:%n%s", command, log).isZero();
    }

    /** Listening TCP sockets as "address:port", from /proc/net/tcp and tcp6 (IPv6 any and IPv4-mapped included). */
    private static List<String> listeners() throws IOException {
        List<String> out = new ArrayList<>();
        for (String file : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            Path p = Path.of(file);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p, StandardCharsets.US_ASCII).subList(1, Files.readAllLines(p).size())) {
                String[] f = line.trim().split("\\s+");
                if (!"0A".equals(f[3])) {
                    continue;
                }
                String[] local = f[1].split(":");
                out.add(address(local[0]) + ":" + Integer.parseInt(local[1], 16));
            }
        }
        return out;
    }

    /** A /proc/net address in hex (little-endian words) as text; IPv4-mapped IPv6 addresses as their IPv4. */
    private static String address(String hex) {
        if (hex.length() == 8) {
            return ipv4(hex);
        }
        if (hex.startsWith("0000000000000000FFFF0000")) {
            return ipv4(hex.substring(24));
        }
        return hex.toLowerCase(Locale.ROOT).equals("00000000000000000000000000000000") ? "[::]" : "[" + hex + "]";
    }

    private static String ipv4(String hex) {
        long v = Long.parseLong(hex, 16);
        return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
    }

    private static boolean inUse(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

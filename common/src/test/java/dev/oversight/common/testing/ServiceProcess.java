package dev.oversight.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A service started from its built jar as a separate process, on a free port, trusting the test token key: what
 * integration tests use to run several instances of a service, or several services, against one database.
 */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final int port;

    private ServiceProcess(String name, Process process, int port) {
        this.name = name;
        this.process = process;
        this.port = port;
    }

    /**
     * Starts {@code target/quarkus-app/quarkus-run.jar} of the module the test runs in and waits until it is ready.
     *
     * @param env environment for the service (database URL and the like)
     */
    public static ServiceProcess start(String name, Map<String, String> env) {
        return start(name, Path.of("target", "quarkus-app", "quarkus-run.jar"), freePort(), env);
    }

    /**
     * Starts a built service jar on the given port (a restarted service keeps its address) and waits until it is
     * ready. The service trusts the test token key and signs its own service tokens with the test private key.
     */
    public static ServiceProcess start(String name, Path jar, int port, Map<String, String> env) {
        Path absolute = jar.toAbsolutePath();
        if (!Files.exists(absolute)) {
            throw new IllegalStateException("Build the service first: " + absolute + " is missing");
        }
        try {
            Path logs = Files.createDirectories(Path.of("target", "it-logs"));
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar", absolute.toString());
            testSecrets(pb);
            pb.environment().putAll(env);
            pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
            ServiceProcess service = new ServiceProcess(name, pb.start(), port);
            service.awaitReady(Duration.ofSeconds(90));
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs a service jar's database migrations as their own step, as a deployment does (an init container): the
     * owner's credentials, {@code QUARKUS_INIT_AND_EXIT}. Returns once the migrations are done.
     */
    public static void migrate(String name, Path jar, Map<String, String> env) {
        try {
            Path logs = Files.createDirectories(Path.of("target", "it-logs"));
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toAbsolutePath().toString());
            testSecrets(pb);
            pb.environment().putAll(env);
            pb.environment().put("QUARKUS_INIT_AND_EXIT", "true");
            pb.environment().put("QUARKUS_FLYWAY_MIGRATE_AT_START", "true");
            pb.environment().put("QUARKUS_DATASOURCE_USERNAME", "postgres");
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + "-migrate.log").toFile()));
            Process p = pb.start();
            if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("Migrations of " + name + " failed; see target/it-logs/" + name
                        + "-migrate.log");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The test key pair (tokens are verified with it and service tokens signed), test audit-sample and digest keys. */
    private static void testSecrets(ProcessBuilder pb) throws IOException {
        pb.environment().put("OVERSIGHT_JWT_PUBLIC_KEY", testKey("testing/jwt-public.pem").toString());
        pb.environment().put("OVERSIGHT_SERVICE_KEY", testKey("testing/jwt-private.pem").toString());
        pb.environment().put("OVERSIGHT_AUDIT_SAMPLE_KEY", "service-process-audit-sample-key-0123456789");
        pb.environment().put("OVERSIGHT_DIGEST_KEY", "service-process-digest-key-0123456789abcdef");
    }

    public String url() {
        return "http://localhost:" + port;
    }

    public int port() {
        return port;
    }

    public String name() {
        return name;
    }

    /** SIGKILL: the process gets no chance to finish anything. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes every service, even if some fail to stop. */
    public static void closeAll(List<ServiceProcess> services) {
        new ArrayList<>(services).forEach(ServiceProcess::close);
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start; see target/it-logs/" + name + ".log");
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        kill();
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see target/it-logs/" + name + ".log");
    }

    private static synchronized Path testKey(String resource) throws IOException {
        Path key = Path.of("target", "it-" + Path.of(resource).getFileName()).toAbsolutePath();
        if (!Files.exists(key)) {
            try (InputStream in = ServiceProcess.class.getClassLoader().getResourceAsStream(resource)) {
                Files.copy(in, key, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return key;
    }

    /** A port nobody listens on right now. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

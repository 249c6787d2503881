package dev.oversight.clients;

import static dev.oversight.common.testing.Stack.Service.REVIEW;
import static dev.oversight.common.testing.Stack.Service.ROUTING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oversight.common.testing.Stack;
import dev.oversight.common.testing.Tokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Python client ({@code clients/python}) tested in Python against the real services: a virtual environment under
 * {@code target/} gets the client and pytest from the package index pip is configured with, the stack starts, and the
 * client's own test suite runs against it with every test required to run (none skipped). Without Python 3 (and
 * its venv module) the test is skipped with a warning, unless OVERSIGHT_REQUIRE_CLIENT_TESTS=true (CI) makes it
 * required.
 */
class PythonClientIT {

    private static final Path ROOT = Path.of(System.getProperty("oversight.root", ".."));
    private static final Path CLIENT = ROOT.resolve("clients").resolve("python");
    private static final Path VENV = Path.of("target", "python-venv").toAbsolutePath();
    private static final String APP = "py-app";

    private static Stack stack;

    @BeforeAll
    static void environment() throws Exception {
        for (String log : List.of("python-check.log", "python-install.log", "pytest-python.log")) {
            Files.deleteIfExists(Path.of("target", log));
        }
        if (run(List.of("python3", "-c", "import venv, ensurepip"), Map.of(), Path.of("target", "python-check.log"),
                60) != 0) {
            String why = "The Python client's tests need python3 with its venv module (Debian: python3-venv)";
            if ("true".equals(System.getenv("OVERSIGHT_REQUIRE_CLIENT_TESTS"))) {
                throw new IllegalStateException(why + " (OVERSIGHT_REQUIRE_CLIENT_TESTS=true makes them required)");
            }
            System.err.println("WARNING: " + why + ". The Python client's tests are SKIPPED.");
            Assumptions.abort(why);
        }
        Path log = Path.of("target", "python-install.log");
        assertThat(run(List.of("python3", "-m", "venv", "--clear", VENV.toString()), Map.of(), log, 120))
                .as("python3 -m venv (see %s)", log).isZero();
        // PIP_RETRIES=0: where only a local index is reachable, pip otherwise retries the default one for minutes.
        assertThat(run(List.of(VENV.resolve("bin/pip").toString(), "install", "--quiet", CLIENT + "[test]"),
                Map.of("PIP_RETRIES", "0", "PIP_DISABLE_PIP_VERSION_CHECK", "1"), log, 600))
                .as("pip install of the client and pytest (see %s)", log).isZero();
        stack = new Stack().startAll();
    }

    @AfterAll
    static void stop() throws IOException {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theClientsOwnSuitePasses_againstTheRealServices_withNothingSkipped() throws Exception {
        Path report = Path.of("target", "pytest-python.xml").toAbsolutePath();
        Path log = Path.of("target", "pytest-python.log");
        int exit = run(List.of(VENV.resolve("bin/python").toString(), "-m", "pytest", "-q", "-p", "no:cacheprovider",
                        "--junitxml=" + report, CLIENT.resolve("tests").toString()),
                Map.of("OVERSIGHT_ROUTER_URL", stack.url(ROUTING), "OVERSIGHT_REVIEW_URL", stack.url(REVIEW),
                        "OVERSIGHT_APP", APP, "OVERSIGHT_APP_TOKEN", Tokens.of(APP, "app"),
                        "OVERSIGHT_ADMIN_TOKEN", Tokens.of("py-admin", "admin"),
                        "OVERSIGHT_REVIEWER_TOKEN", Tokens.of("py-reviewer", "reviewer")), log, 600);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(exit).as("pytest failed:%n%s", output).isZero();
        String xml = Files.readString(report, StandardCharsets.UTF_8);
        assertThat(count(xml, "tests")).as("tests run").isGreaterThanOrEqualTo(15);
        assertThat(count(xml, "skipped")).as("skipped tests:%n%s", output).isZero();
        assertThat(count(xml, "failures") + count(xml, "errors")).isZero();
    }

    private static int count(String junitXml, String attribute) {
        Matcher m = Pattern.compile("<testsuite [^>]*\\b" + attribute + "=\"(\\d+)\"").matcher(junitXml);
        assertThat(m.find()).as("%s in the pytest report", attribute).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** Runs a command with extra environment, its output to {@code log}; its exit code (-1 when it cannot start). */
    private static int run(List<String> command, Map<String, String> env, Path log, long timeoutSeconds)
            throws InterruptedException {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " ran past " + timeoutSeconds + " s (see " + log
                        + ")");
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        }
    }
}

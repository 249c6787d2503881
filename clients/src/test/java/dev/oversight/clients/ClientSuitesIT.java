package dev.oversight.clients;

import static dev.oversight.common.testing.Stack.Service.REVIEW;
import static dev.oversight.common.testing.Stack.Service.ROUTING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oversight.common.testing.Stack;
import dev.oversight.common.testing.Tokens;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Python client ({@code clients/python}), the TypeScript client ({@code clients/typescript}), the MCP gateway
 * ({@code clients/mcp-gateway}), the LangGraph gate ({@code clients/langgraph}) and the OpenAI Agents SDK approvals
 * ({@code clients/openai-agents}), each tested with its own suite in its own language against the real services (one
 * stack for all), every test required to run (none skipped). The Python client goes into a virtual environment under {@code target/} with pytest from the
 * package index pip is configured with; the TypeScript client is installed with {@code npm ci}, compiled and run
 * with Node's test runner. Without python3 (and its venv module), or Node.js 18+ with npm, that suite is skipped with
 * a warning, unless OVERSIGHT_REQUIRE_CLIENT_TESTS=true (CI) makes it required.
 */
@ExtendWith(SharedStack.class)
class ClientSuitesIT {

    private static final Path ROOT = Path.of(System.getProperty("oversight.root", ".."));
    private static final Path PYTHON = ROOT.resolve("clients").resolve("python");
    private static final Path TYPESCRIPT = ROOT.resolve("clients").resolve("typescript");
    private static final Path VENV = Path.of("target", "python-venv").toAbsolutePath();
    private static final String APP = "suite-app";

    private static Stack stack;
    /** The TypeScript client is installed and compiled once; the adapters use it from its folder. */
    private static boolean typescriptBuilt;

    @BeforeAll
    static void start() throws Exception {
        stack = SharedStack.get();
    }

    private static Map<String, String> stackEnv() {
        return Map.of("OVERSIGHT_ROUTER_URL", stack.url(ROUTING), "OVERSIGHT_REVIEW_URL", stack.url(REVIEW),
                "OVERSIGHT_APP", APP, "OVERSIGHT_APP_TOKEN", Tokens.of(APP, "app"),
                "OVERSIGHT_ADMIN_TOKEN", Tokens.of("suite-admin", "admin"),
                "OVERSIGHT_REVIEWER_TOKEN", Tokens.of("suite-reviewer", "reviewer"));
    }

    @Test
    void thePythonClientsOwnSuitePasses_withNothingSkipped() throws Exception {
        Path log = fresh("python.log");
        require(run(List.of("python3", "-c", "import venv, ensurepip"), Map.of(), ROOT, log, 60) == 0,
                "The Python client's tests need python3 with its venv module (Debian: python3-venv)");
        assertThat(run(List.of("python3", "-m", "venv", "--clear", VENV.toString()), Map.of(), ROOT, log, 120))
                .as("python3 -m venv (see %s)", log).isZero();
        // PIP_RETRIES=0: where only a local index is reachable, pip otherwise retries the default one for minutes.
        assertThat(run(List.of(VENV.resolve("bin/pip").toString(), "install", "--quiet", PYTHON + "[test]"),
                Map.of("PIP_RETRIES", "0", "PIP_DISABLE_PIP_VERSION_CHECK", "1"), ROOT, log, 600))
                .as("pip install of the client and pytest (see %s)", log).isZero();
        Path report = Path.of("target", "pytest-python.xml").toAbsolutePath();
        int exit = run(List.of(VENV.resolve("bin/python").toString(), "-m", "pytest", "-q", "-p", "no:cacheprovider",
                "--junitxml=" + report, PYTHON.resolve("tests").toString()), stackEnv(), ROOT, log, 600);
        assertThat(exit).as("pytest failed:%n%s", Files.readString(log)).isZero();
        String xml = Files.readString(report, StandardCharsets.UTF_8);
        assertThat(count(xml, "<testsuite [^>]*\\btests=\"(\\d+)\"")).as("tests run").isGreaterThanOrEqualTo(15);
        assertThat(count(xml, "<testsuite [^>]*\\bskipped=\"(\\d+)\"")).as("skipped:%n%s", Files.readString(log))
                .isZero();
    }

    @Test
    void theTypeScriptClientsOwnSuitePasses_withNothingSkipped() throws Exception {
        nodeSuite(TYPESCRIPT, 7);
    }

    /**
     * The TypeScript client's types are checked against the router's OpenAPI document when it is compiled; that
     * document must be the router's own, or the check proves nothing.
     */
    @Test
    void theTypeScriptClientsOpenApiDocument_isTheRoutersOwn() throws Exception {
        HttpResponse<String> live = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(stack.url(ROUTING) + "/q/openapi?format=json")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(live.statusCode()).isEqualTo(200);
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(TYPESCRIPT.resolve("openapi").resolve("routing.json").toFile()))
                .as("clients/typescript/openapi/routing.json differs from the router's /q/openapi: refresh it with"
                        + " `npm run openapi` in clients/typescript against ./run-local.sh")
                .isEqualTo(json.readTree(live.body()));
    }

    @Test
    void theMcpGatewaysSuitePasses_betweenTheSdksRealClientAndARealServer() throws Exception {
        nodeSuite(ROOT.resolve("clients").resolve("mcp-gateway"), 7);
    }

    @Test
    void theLangGraphGatesSuitePasses_inARealGraph() throws Exception {
        nodeSuite(ROOT.resolve("clients").resolve("langgraph"), 3);
    }

    @Test
    void theAgentsSdkApprovalsSuitePasses_inARealRunWithAScriptedModel() throws Exception {
        nodeSuite(ROOT.resolve("clients").resolve("openai-agents"), 3);
    }

    /**
     * Installs ({@code npm ci}) and compiles a Node package of {@code clients/}, after the TypeScript client the others
     * use from its folder ({@code file:../typescript}) when that is not done yet, and runs its suite with Node's test runner against the stack.
     */
    private static void nodeSuite(Path dir, int atLeast) throws Exception {
        String name = dir.getFileName().toString();
        Path log = fresh(name + ".log");
        requireNode(log);
        if (!typescriptBuilt) {
            install(TYPESCRIPT, log);
            typescriptBuilt = true;
        }
        if (!dir.equals(TYPESCRIPT)) {
            install(dir, log);
        }
        Path tap = fresh(name + ".tap");
        int exit = run(List.of("node", "--test", "--test-reporter=tap", "test/"), stackEnv(), dir, tap, 600);
        String out = Files.readString(tap, StandardCharsets.UTF_8);
        assertThat(exit).as("node --test in %s failed:%n%s", dir, out).isZero();
        assertThat(count(out, "(?m)^# pass (\\d+)")).as("tests passed").isGreaterThanOrEqualTo(atLeast);
        assertThat(count(out, "(?m)^# skipped (\\d+)")).as("skipped:%n%s", out).isZero();
        assertThat(count(out, "(?m)^# fail (\\d+)")).isZero();
    }

    /** {@code npm ci} and {@code tsc} in one package of {@code clients/}. */
    private static void install(Path pkg, Path log) throws InterruptedException {
        assertThat(run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), Map.of(), pkg, log, 600))
                .as("npm ci in %s (see %s)", pkg, log).isZero();
        assertThat(run(List.of("npm", "run", "build"), Map.of(), pkg, log, 300)).as("tsc in %s (see %s)", pkg, log)
                .isZero();
    }

    private static void requireNode(Path log) throws InterruptedException {
        require(run(List.of("node", "-e", "process.exit(Number(process.versions.node.split('.')[0]) >= 18 ? 0 : 1)"),
                Map.of(), ROOT, log, 60) == 0 && run(List.of("npm", "--version"), Map.of(), ROOT, log, 60) == 0,
                "The TypeScript client's and its adapters' tests need Node.js 18 or newer with npm (Debian: nodejs,"
                        + " npm)");
    }

    private static void require(boolean present, String why) {
        if (present) {
            return;
        }
        if ("true".equals(System.getenv("OVERSIGHT_REQUIRE_CLIENT_TESTS"))) {
            throw new IllegalStateException(why + " (OVERSIGHT_REQUIRE_CLIENT_TESTS=true makes them required)");
        }
        System.err.println("WARNING: " + why + ". These tests are SKIPPED.");
        Assumptions.abort(why);
    }

    private static Path fresh(String name) throws IOException {
        Path p = Path.of("target", name).toAbsolutePath();
        Files.createDirectories(p.getParent());
        Files.deleteIfExists(p);
        return p;
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("%s in the report", regex).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** Runs a command in {@code dir} with extra environment, its output appended to {@code log}; its exit code. */
    private static int run(List<String> command, Map<String, String> env, Path dir, Path log, long timeoutSeconds)
            throws InterruptedException {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
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
            return -1; // the command is not there
        }
    }
}

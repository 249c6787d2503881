package dev.oversight.console.client;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A routing service that fails, flickers or hangs: reads are tried again a bounded number of times, writes never, the
 * signed-in person's token goes with every call, and every outcome is a clear page within the console's time limit.
 */
@QuarkusTest
@QuarkusTestResource(value = ServiceDownTest.FakeRouting.class, restrictToAnnotatedClass = true)
class ServiceDownTest {

    /** What the fake routing service does with the next requests: answer, fail with 503 some times, or hang. */
    static volatile int failuresLeft;
    static volatile boolean hang;
    static final Map<String, AtomicInteger> HITS = new ConcurrentHashMap<>();
    static final Map<String, String> AUTHORIZATION = new ConcurrentHashMap<>();

    private String session;
    private String csrfCookie;
    private String csrfToken;

    @BeforeEach
    void signIn() {
        failuresLeft = 0;
        hang = false;
        HITS.clear();
        Response form = given().get("/dev/sign-in");
        csrfCookie = form.getCookie("csrf-token");
        csrfToken = form.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");
        Response in = given().redirects().follow(false).cookie("csrf-token", csrfCookie)
                .formParam("csrf-token", csrfToken).formParam("name", "olga").formParam("role", "admin")
                .post("/dev/sign-in");
        session = in.getCookie("oversight-dev-session");
    }

    @Test
    void aReadThatFailsTwice_isTriedAgain_andThePageShows_withThePersonsToken() {
        failuresLeft = 2;
        given().cookie("oversight-dev-session", session).get("/operate").then().statusCode(200)
                .body(containsString("No use case yet"));
        assertThat(HITS.get("GET /v1/use-cases").get()).isEqualTo(3);
        assertThat(AUTHORIZATION.get("GET /v1/use-cases")).startsWith("Bearer ey");
    }

    @Test
    void aReadThatKeepsFailing_isTriedABoundedNumberOfTimes_thenAClearPage() {
        failuresLeft = 100;
        given().cookie("oversight-dev-session", session).get("/operate").then().statusCode(502)
                .body(containsString("routing is restarting"));
        assertThat(HITS.get("GET /v1/use-cases").get()).isEqualTo(1 + Calls.READ_RETRIES);
    }

    @Test
    void aWriteIsNeverRepeated() {
        failuresLeft = 100;
        given().cookie("oversight-dev-session", session).cookie("csrf-token", csrfCookie)
                .formParam("csrf-token", csrfToken).formParam("mode", "HALT").formParam("reason", "incident 7")
                .formParam("confirm", "yes").post("/operate/use-cases/claims/mode").then().statusCode(502);
        assertThat(HITS.get("POST /v1/use-cases/claims/mode").get()).isEqualTo(1);
    }

    @Test
    void aServiceThatDoesNotAnswer_isAClearPage_notAHang() {
        hang = true;
        given().cookie("oversight-dev-session", session).get("/operate").then().statusCode(503)
                .body(containsString("did not answer in time"));
    }

    /** A routing service on a free port; the console's time limit for it is shortened to keep the test short. */
    public static class FakeRouting implements QuarkusTestResourceLifecycleManager {

        private HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/", FakeRouting::answer);
            server.start();
            return Map.of("quarkus.rest-client.routing.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                    "quarkus.fault-tolerance.global.timeout.value", "1500");
        }

        private static void answer(HttpExchange exchange) throws IOException {
            String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            HITS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                AUTHORIZATION.put(key, auth);
            }
            if (hang) {
                try {
                    Thread.sleep(4_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int status = 200;
            String body = "{\"items\":[],\"nextCursor\":null}";
            if (failuresLeft > 0) {
                failuresLeft--;
                status = 503;
                body = "{\"type\":\"urn:oversight:problem:unavailable\",\"title\":\"Service unavailable\",\"status\":503,"
                        + "\"detail\":\"routing is restarting\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", status == 200 ? "application/json"
                    : "application/problem+json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }

        @Override
        public void stop() {
            server.stop(0);
        }
    }
}

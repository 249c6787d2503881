package dev.oversight.common.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Who may call what, checked over every /v1 operation the service's OpenAPI document lists: an operation with
 * no rule here fails the test, so no endpoint can be added without deciding who may call it. Each rule is tried
 * with every role, with no token, and with an expired, a foreign-signed and an unsigned ("alg": "none") token.
 */
public final class AccessMatrix {

    /** One operation: the OpenAPI path, a concrete path to call, the roles allowed, and a body to send. */
    public record Rule(String method, String template, String path, Set<String> allowed, String body) {
        public String key() {
            return method.toUpperCase() + " " + template;
        }
    }

    public static Rule rule(String method, String template, String path, String body, String... allowed) {
        return new Rule(method, template, path, Set.of(allowed), body);
    }

    /**
     * Tokens by what they are ("admin, expired"), signed once per run: every rule is tried with the same few dozen, and
     * signing each anew took a fifth of the router's matrix (14.9 s, 12.1 s with these).
     */
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private AccessMatrix() {
    }

    private static String token(String what, Supplier<String> sign) {
        return TOKENS.computeIfAbsent(what, w -> sign.get());
    }

    /** Every /v1 operation of the OpenAPI document has exactly one rule, and every rule names a real operation. */
    public static void assertCoversEveryEndpoint(List<Rule> rules) {
        JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        Set<String> operations = new TreeSet<>();
        paths.forEach((path, methods) -> {
            if (path.startsWith("/v1")) {
                methods.keySet().forEach(m -> operations.add(m.toUpperCase() + " " + path));
            }
        });
        Set<String> covered = new TreeSet<>();
        rules.forEach(r -> covered.add(r.key()));
        assertThat(covered).as("every /v1 endpoint has an access rule (add one for new endpoints)")
                .containsAll(operations);
        assertThat(operations).as("every access rule names an existing endpoint").containsAll(covered);
    }

    public static void assertEnforced(Rule rule) {
        List<String> failures = new ArrayList<>();
        expect(failures, rule, "no token", null, 401);
        String signer = first(rule);
        expect(failures, rule, "expired token", token(signer + ", expired", () -> Tokens.expired(signer)), 401);
        expect(failures, rule, "token signed by another key",
                token(signer + ", another key", () -> Tokens.signedByAnotherKey(signer)), 401);
        expect(failures, rule, "unsigned token", token(signer + ", unsigned", () -> Tokens.unsigned(signer)), 401);
        expect(failures, rule, "token for another audience",
                token(signer + ", another audience", () -> Tokens.forAnotherAudience(signer)), 401);
        expect(failures, rule, "token without an audience",
                token(signer + ", no audience", () -> Tokens.withoutAudience(signer)), 401);
        for (String role : Tokens.ROLES) {
            int status = call(rule, token(role, () -> Tokens.of("matrix-" + role, role)));
            boolean allowed = rule.allowed().contains(role) || rule.allowed().contains("*");
            if (allowed && (status == 401 || status == 403)) {
                failures.add(role + " should be allowed but got " + status);
            } else if (!allowed && status != 403) {
                failures.add(role + " should get 403 but got " + status);
            }
        }
        assertThat(failures).as(rule.key()).isEmpty();
    }

    private static String first(Rule rule) {
        return rule.allowed().isEmpty() || rule.allowed().contains("*") ? "admin" : rule.allowed().iterator().next();
    }

    private static void expect(List<String> failures, Rule rule, String what, String token, int expected) {
        int status = call(rule, token);
        if (status != expected) {
            failures.add(what + " should get " + expected + " but got " + status);
        }
    }

    private static int call(Rule rule, String token) {
        RequestSpecification spec = given().contentType("application/json");
        if (token != null) {
            spec = spec.auth().oauth2(token);
        }
        if (rule.body() != null) {
            spec = spec.body(rule.body());
        }
        return spec.request(rule.method(), rule.path()).then().extract().statusCode();
    }
}

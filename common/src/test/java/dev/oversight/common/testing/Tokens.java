package dev.oversight.common.testing;

import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/** Bearer tokens for tests, signed with the test key the services trust under the test profile. */
public final class Tokens {

    public static final String ISSUER = "https://oversight.local";
    /** The audience every service requires (mp.jwt.verify.audiences). */
    public static final String AUDIENCE = "oversight";
    public static final List<String> ROLES = List.of("app", "reviewer", "senior-reviewer", "auditor", "admin", "service");
    /** The subject of {@link #operator()}, a token holding every role (for functional tests). */
    public static final String OPERATOR = "test-operator";

    private static final PrivateKey KEY = load("testing/jwt-private.pem");
    private static final PrivateKey OTHER_KEY = load("testing/other-private.pem");

    private Tokens() {
    }

    public static String of(String subject, String... roles) {
        return sign(subject, Set.of(roles), Instant.now().plusSeconds(3600), KEY);
    }

    /** A token whose display name ({@code upn}) differs from its subject: a renamed account keeps its subject. */
    public static String named(String subject, String name, String... roles) {
        return Jwt.issuer(ISSUER).subject(subject).upn(name).groups(Set.of(roles))
                .issuedAt(Instant.now().minusSeconds(3600)).expiresAt(Instant.now().plusSeconds(3600))
                .audience(AUDIENCE).jws().keyId("test").sign(KEY);
    }

    public static String operator() {
        return sign(OPERATOR, Set.copyOf(ROLES), Instant.now().plusSeconds(3600), KEY);
    }

    public static String expired(String role) {
        return sign("late", Set.of(role), Instant.now().minusSeconds(3600), KEY);
    }

    public static String signedByAnotherKey(String role) {
        return sign("forger", Set.of(role), Instant.now().plusSeconds(3600), OTHER_KEY);
    }

    /** A valid token of the same issuer and key, but issued for another audience: must be refused. */
    public static String forAnotherAudience(String role) {
        return sign("elsewhere", Set.of(role), Instant.now().plusSeconds(3600), KEY, "another-api");
    }

    /** A valid token of the same issuer and key without any audience: must be refused. */
    public static String withoutAudience(String role) {
        return sign("anyone", Set.of(role), Instant.now().plusSeconds(3600), KEY, null);
    }

    /** An unsigned token ("alg": "none") claiming the role: must never be accepted. */
    public static String unsigned(String role) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long exp = Instant.now().plusSeconds(3600).getEpochSecond();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"nobody\",\"upn\":\"nobody\","
                + "\"groups\":[\"" + role + "\"],\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + ".";
    }

    private static String sign(String subject, Set<String> roles, Instant expiresAt, PrivateKey key) {
        return sign(subject, roles, expiresAt, key, AUDIENCE);
    }

    private static String sign(String subject, Set<String> roles, Instant expiresAt, PrivateKey key, String audience) {
        var claims = Jwt.issuer(ISSUER).subject(subject).upn(subject).groups(roles)
                .issuedAt(expiresAt.minusSeconds(7200)).expiresAt(expiresAt);
        if (audience != null) {
            claims.audience(audience);
        }
        return claims.jws().keyId("test").sign(key);
    }

    private static PrivateKey load(String resource) {
        try (InputStream in = Tokens.class.getClassLoader().getResourceAsStream(resource)) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

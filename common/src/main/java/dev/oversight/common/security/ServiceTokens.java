package dev.oversight.common.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The bearer token a service presents to another service. In production it comes from the identity provider by
 * the OAuth 2.0 client-credentials grant; in the local stack the service signs its own with the development key
 * (the same key the services trust). Either way it is cached and renewed before it expires.
 */
public final class ServiceTokens implements Supplier<String> {

    private record Issued(String token, Instant renewAt) {
    }

    private final Source source;
    private final Clock clock;
    private volatile Issued current;

    @FunctionalInterface
    interface Source {
        /** A fresh token and how long it is valid. */
        Issued issue() throws IOException;
    }

    private ServiceTokens(Source source, Clock clock) {
        this.source = source;
        this.clock = clock;
    }

    /** Tokens this service signs itself (role {@code service}), valid for {@code ttl}. */
    public static ServiceTokens selfSigned(Path privateKeyPem, String issuer, String audience, String subject,
                                           Duration ttl) {
        PrivateKey key = readPrivateKey(privateKeyPem);
        Clock clock = Clock.systemUTC();
        return new ServiceTokens(() -> {
            Instant now = clock.instant();
            String token = Jwt.issuer(issuer).audience(audience).subject(subject).upn(subject).groups(Set.of(Roles.SERVICE))
                    .issuedAt(now).expiresAt(now.plus(ttl)).jws().keyId("oversight-local").sign(key);
            return new Issued(token, now.plus(ttl.multipliedBy(4).dividedBy(5)));
        }, clock);
    }

    /** Tokens from an OAuth 2.0 token endpoint by the client-credentials grant (RFC 6749 §4.4). */
    public static ServiceTokens clientCredentials(URI tokenUrl, String clientId, String clientSecret, String scope) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ObjectMapper json = new ObjectMapper();
        Clock clock = Clock.systemUTC();
        return new ServiceTokens(() -> {
            String form = "grant_type=client_credentials" + (scope == null || scope.isBlank() ? ""
                    : "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8));
            String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                    + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            HttpRequest request = HttpRequest.newBuilder(tokenUrl).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", "Basic " + basic)
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while fetching a service token", e);
            }
            if (response.statusCode() != 200) {
                // The body may echo credentials; say only the status.
                throw new IOException("token endpoint answered HTTP " + response.statusCode());
            }
            JsonNode body = json.readTree(response.body());
            long expiresIn = body.path("expires_in").asLong(300);
            Instant now = clock.instant();
            return new Issued(body.path("access_token").asText(), now.plusSeconds(expiresIn * 4 / 5));
        }, clock);
    }

    /** A valid token; fetched or signed again when the cached one is near its expiry. */
    @Override
    public String get() {
        Issued issued = current;
        if (issued == null || !clock.instant().isBefore(issued.renewAt())) {
            synchronized (this) {
                issued = current;
                if (issued == null || !clock.instant().isBefore(issued.renewAt())) {
                    try {
                        issued = source.issue();
                    } catch (IOException e) {
                        throw new IllegalStateException("No service token: " + e.getMessage(), e);
                    }
                    current = issued;
                }
            }
        }
        return issued.token();
    }

    static PrivateKey readPrivateKey(Path pem) {
        try {
            String text = Files.readString(pem, StandardCharsets.US_ASCII);
            if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
                throw new IllegalStateException(pem + " is not a PKCS#8 PEM private key (BEGIN PRIVATE KEY)");
            }
            String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read the service signing key " + pem + ": " + e.getMessage(), e);
        }
    }
}

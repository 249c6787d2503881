package dev.oversight.console.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.console.domain.Person;
import dev.oversight.console.domain.Role;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The local stack's development sign-in: a name and a role become the same kind of token {@code ./run-local.sh token}
 * mints (signed with the development key the services trust), kept in an HttpOnly cookie. It exists only where
 * {@code oversight.console.dev-sign-in} is set, and the console refuses to start with it in the prod profile.
 */
@ApplicationScoped
public class DevSignIn {

    public static final String COOKIE = "oversight-dev-session";
    /** Names people may sign in with: what a token subject and a reviewer name may safely be. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Logger LOG = Logger.getLogger(DevSignIn.class);

    private final ConsoleConfig config;
    private final ObjectMapper json;
    private volatile PrivateKey privateKey;
    private volatile PublicKey publicKey;

    public DevSignIn(ConsoleConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.devSignIn()) {
            return;
        }
        if (ConfigUtils.getProfiles().contains("prod")) {
            throw new IllegalStateException("oversight.console.dev-sign-in is set in the prod profile: the development"
                    + " sign-in lets anyone be anyone and is refused here. Sign in through OpenID Connect (see README"
                    + " \"Console\"), or run the local stack (./run-local.sh), which uses the 'local' profile.");
        }
        keys();
        LOG.warn("Development sign-in is ON: anyone who reaches this console can sign in as anyone. Local use only.");
    }

    public boolean enabled() {
        return config.devSignIn();
    }

    /** A development token for this person, valid for the configured session length. */
    public String mint(String name, Role role) {
        Instant now = Instant.now();
        return Jwt.issuer(config.devTokenIssuer()).audience(config.devTokenAudience()).subject(name).upn(name)
                .groups(Set.of(role.claim())).issuedAt(now).expiresAt(now.plus(config.devSession()))
                .jws().keyId("local").sign(keys());
    }

    /** The person a session cookie stands for, if its token is ours, well-formed and unexpired. */
    public Optional<Person> person(String token) {
        if (!enabled() || token == null) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(publicKey());
            s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!s.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return Optional.empty();
            }
            JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (claims.path("exp").asLong(0) <= Instant.now().getEpochSecond()) {
                return Optional.empty();
            }
            EnumSet<Role> roles = EnumSet.noneOf(Role.class);
            claims.path("groups").forEach(g -> Role.ofClaim(g.asText()).ifPresent(roles::add));
            return Optional.of(new Person(claims.path("sub").asText(), roles, token));
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private PrivateKey keys() {
        if (privateKey == null) {
            try {
                String pem = readKey(config.devSignInKey());
                byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
                KeyFactory rsa = KeyFactory.getInstance("RSA");
                RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(der));
                publicKey = rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
                privateKey = key;
            } catch (GeneralSecurityException | ClassCastException e) {
                throw new IllegalStateException("oversight.console.dev-sign-in-key is not an RSA private key in PKCS#8"
                        + " PEM: " + config.devSignInKey(), e);
            }
        }
        return privateKey;
    }

    private PublicKey publicKey() {
        keys();
        return publicKey;
    }

    /** A file, or else a resource on the class path (tests use the shared test key). */
    private static String readKey(String location) {
        try {
            Path file = Path.of(location);
            if (Files.exists(file)) {
                return Files.readString(file);
            }
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(location)) {
                if (in == null) {
                    throw new IllegalStateException("The development sign-in key " + location + " does not exist;"
                            + " ./run-local.sh creates it under .local/jwt/ on first start");
                }
                return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

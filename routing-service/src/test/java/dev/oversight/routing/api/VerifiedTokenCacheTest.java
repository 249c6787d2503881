package dev.oversight.routing.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oversight.common.security.CachingJwtParser;
import dev.oversight.common.testing.PostgresResource;
import dev.oversight.common.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Requests authenticate through the verified-token cache, and it never lets a bad token through. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class VerifiedTokenCacheTest {

    @Inject
    JWTParser parser;

    @Test
    void theServiceVerifiesThroughTheCache_andBadTokensStayOut() {
        assertThat(parser).isInstanceOf(CachingJwtParser.class);
        String token = Tokens.of("auditor-ann", "auditor");
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(token).get("/v1/use-cases?limit=1").then().statusCode(200);
        }
        // A token for another role is its own entry: the cached one does not stand in for it.
        given().auth().oauth2(Tokens.of("auditor-ann", "app")).get("/v1/use-cases?limit=1").then().statusCode(403);
        for (String bad : new String[] {Tokens.expired("auditor"), Tokens.signedByAnotherKey("auditor"),
                Tokens.forAnotherAudience("auditor"), Tokens.unsigned("auditor"), token + "x"}) {
            given().auth().oauth2(bad).get("/v1/use-cases?limit=1").then().statusCode(401);
        }
        given().auth().oauth2(token).get("/v1/use-cases?limit=1").then().statusCode(200);
    }
}

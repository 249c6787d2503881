package dev.oversight.console.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The production sign-in: the OpenID Connect authorization-code flow against a provider (a WireMock stand-in), with
 * the development sign-in off. Every page needs a person; the person's roles come from the token's groups.
 */
@QuarkusTest
@TestProfile(OidcSignInTest.Production.class)
class OidcSignInTest {

    public static class Production implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The mock provider's token answer has no expires_in, which split session cookies need; one cookie here.
            return Map.of(
                    "quarkus.oidc.token-state-manager.split-tokens", "false",
                    "quarkus.oidc.tenant-enabled", "true",
                    "quarkus.oidc.auth-server-url", "${keycloak.url}/realms/quarkus/",
                    "quarkus.oidc.client-id", "quarkus-web-app",
                    "quarkus.oidc.credentials.secret", "secret",
                    "quarkus.oidc.authentication.cookie-force-secure", "false",
                    "quarkus.http.auth.permission.pages.policy", "authenticated",
                    "oversight.console.dev-sign-in", "false");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OidcWiremockTestResource.class));
        }
    }

    @Test
    void pagesSendPeopleToTheProvider_andTheDevelopmentSignInDoesNotExist() {
        Response r = given().redirects().follow(false).get("/review");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.header("Location")).contains("/realms/quarkus").contains("response_type=code")
                .contains("client_id=quarkus-web-app");
        given().redirects().follow(false).get("/dev/sign-in").then().statusCode(302);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void theCodeFlowSignsThePersonIn_withTheRolesOfTheirGroups() {
        CookieFilter cookies = new CookieFilter();
        Response toProvider = given().filter(cookies).redirects().follow(false).get("/signed-in");
        String login = toProvider.header("Location");
        // The provider's login page, then its redirect back to the console with a code.
        Response page = given().filter(cookies).get(login);
        String action = page.htmlPath().getString("html.body.form.@action");
        String provider = login.replaceAll("(https?://[^/]+).*", "$1");
        Response back = given().filter(cookies).redirects().follow(false).queryParam("username", "alice")
                .queryParam("password", "alice")
                .queryParam("state", page.htmlPath().getString("**.find { it.@name == 'state' }.@value"))
                .queryParam("redirect_uri", java.net.URLDecoder.decode(
                        page.htmlPath().getString("**.find { it.@name == 'redirect_uri' }.@value"), java.nio.charset.StandardCharsets.UTF_8))
                .get(provider + action);
        String callback = back.header("Location");
        assertThat(callback).contains("code=");
        Response session = given().filter(cookies).redirects().follow(false).get(callback);
        assertThat(session.statusCode()).isEqualTo(302);
        given().filter(cookies).redirects().follow(false).get("/signed-in").then().statusCode(200)
                .body(containsString("Signed in as <strong>alice</strong> (admin)"));
    }
}

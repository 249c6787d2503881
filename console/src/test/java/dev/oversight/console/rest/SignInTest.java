package dev.oversight.console.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** The way in, and what guards every form, without any service behind the console. */
@QuarkusTest
class SignInTest {

    @Test
    void theStartPage_leadsToTheDevelopmentSignIn_andPagesNeedAPerson() {
        given().redirects().follow(false).get("/").then().statusCode(303)
                .header("Location", endsWith("/dev/sign-in"));
        given().redirects().follow(false).get("/review").then().statusCode(303)
                .header("Location", endsWith("/dev/sign-in"));
        given().redirects().follow(false).get("/audit/trails/0b9c7c1e-0000-4000-8000-000000000000").then()
                .statusCode(303).header("Location", endsWith("/dev/sign-in"));
    }

    @Test
    void aFormWithoutItsCsrfToken_isRefused() {
        given().redirects().follow(false).formParam("name", "mallory").formParam("role", "admin")
                .post("/dev/sign-in").then().statusCode(400).header("Set-Cookie", not(containsString("oversight-dev")));
    }

    @Test
    void signingIn_withTheFormsToken_setsAnHttpOnlyStrictCookie_andBadFieldsAreExplained() {
        Response form = given().get("/dev/sign-in");
        form.then().statusCode(200).body(containsString("name=\"csrf-token\""))
                .header("X-Frame-Options", "DENY").header("Content-Security-Policy", containsString("frame-ancestors 'none'"));
        String cookie = form.getCookie("csrf-token");
        String token = form.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");

        given().redirects().follow(false).cookie("csrf-token", cookie).formParam("csrf-token", token)
                .formParam("name", "<script>").formParam("role", "admin").post("/dev/sign-in").then().statusCode(400)
                .body(containsString("Name: 1 to 64 letters")).body(not(containsString("<script>")));
        given().redirects().follow(false).cookie("csrf-token", cookie).formParam("csrf-token", token)
                .formParam("name", "rita").formParam("role", "service").post("/dev/sign-in").then().statusCode(400)
                .body(containsString("Role: choose one"));

        Response in = given().redirects().follow(false).cookie("csrf-token", cookie).formParam("csrf-token", token)
                .formParam("name", "rita").formParam("role", "reviewer").post("/dev/sign-in");
        in.then().statusCode(303).header("Location", endsWith("/review"));
        String session = in.getHeaders().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("oversight-dev-session=")).findFirst().orElseThrow();
        org.assertj.core.api.Assertions.assertThat(session).containsIgnoringCase("HttpOnly").contains("SameSite=Strict");
    }

    @Test
    void aForgedSessionCookie_isNobody() {
        given().redirects().follow(false).cookie("oversight-dev-session", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")
                .get("/review").then().statusCode(303).header("Location", endsWith("/dev/sign-in"));
    }
}

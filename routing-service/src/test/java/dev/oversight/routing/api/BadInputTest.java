package dev.oversight.routing.api;

import static dev.oversight.routing.api.Api.putPolicy;
import static dev.oversight.routing.api.Api.uniqueUseCase;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.oversight.common.testing.PostgresResource;
import dev.oversight.common.testing.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every malformed route request is a 4xx problem document that says what is wrong, and stores nothing. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class BadInputTest {

    private static final String UC = uniqueUseCase("bad-input");

    @Inject
    AgroalDataSource db;

    @BeforeEach
    void useCaseExists() {
        putPolicy(UC, "{\"threshold\":0.8}").then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
    }

    static Stream<Arguments> badRequests() {
        String ok = "\"useCase\":\"" + UC + "\",\"modelVersion\":\"m1\",\"output\":{\"a\":1}";
        return Stream.of(
                Arguments.of("missing useCase", "{\"modelVersion\":\"m1\",\"output\":1,\"confidence\":0.5}", 400, "useCase"),
                Arguments.of("missing modelVersion", "{\"useCase\":\"" + UC + "\",\"output\":1,\"confidence\":0.5}", 400, "modelVersion"),
                Arguments.of("missing output", "{\"useCase\":\"" + UC + "\",\"modelVersion\":\"m\",\"confidence\":0.5}", 400, "output"),
                Arguments.of("null output", "{\"useCase\":\"" + UC + "\",\"modelVersion\":\"m\",\"output\":null,\"confidence\":0.5}", 400, "output"),
                Arguments.of("missing confidence", "{" + ok + "}", 400, "confidence"),
                Arguments.of("confidence NaN", "{" + ok + ",\"confidence\":NaN}", 400, null),
                Arguments.of("confidence negative", "{" + ok + ",\"confidence\":-0.01}", 400, "confidence"),
                Arguments.of("confidence above 1", "{" + ok + ",\"confidence\":1.01}", 400, "confidence"),
                Arguments.of("confidence a string", "{" + ok + ",\"confidence\":\"0.9\"}", 400, "confidence"),
                Arguments.of("confidence huge exponent", "{" + ok + ",\"confidence\":1e400}", 400, null),
                Arguments.of("probabilities not summing to 1", "{" + ok + ",\"probabilities\":{\"a\":0.5,\"b\":0.2}}", 400, "probabilities"),
                Arguments.of("probability out of range", "{" + ok + ",\"probabilities\":{\"a\":1.5,\"b\":-0.5}}", 400, "probabilities.a"),
                Arguments.of("probabilities empty", "{" + ok + ",\"probabilities\":{}}", 400, "probabilities"),
                Arguments.of("probabilities not an object", "{" + ok + ",\"probabilities\":[0.5,0.5]}", 400, "probabilities"),
                Arguments.of("attributes not an object", "{" + ok + ",\"confidence\":0.5,\"attributes\":[1,2]}", 400, "attributes"),
                Arguments.of("bad useCase", "{\"useCase\":\"Claims Triage\",\"modelVersion\":\"m\",\"output\":1,\"confidence\":0.5}", 400, "useCase"),
                Arguments.of("unknown field", "{" + ok + ",\"confidence\":0.5,\"confidance\":0.5}", 400, "confidance"),
                Arguments.of("callbackUrl not a URL", "{" + ok + ",\"confidence\":0.5,\"callbackUrl\":\"ftp:x\"}", 400, "callbackUrl"),
                Arguments.of("empty idempotencyKey", "{" + ok + ",\"confidence\":0.5,\"idempotencyKey\":\"\"}", 400, "idempotencyKey"),
                Arguments.of("malformed JSON", "{\"useCase\":", 400, null),
                Arguments.of("trailing garbage", "{" + ok + ",\"confidence\":0.5} x", 400, null),
                Arguments.of("not an object", "[1,2,3]", 400, null),
                Arguments.of("empty body", "", 400, null),
                Arguments.of("deeply nested output", "{\"useCase\":\"" + UC + "\",\"modelVersion\":\"m\",\"confidence\":0.5,\"output\":"
                        + "[".repeat(500) + "]".repeat(500) + "}", 400, null),
                Arguments.of("output over 256 KiB", "{" + ok.replace("{\"a\":1}", "\"" + "x".repeat(270_000) + "\"")
                        + ",\"confidence\":0.5}", 413, null),
                Arguments.of("body over 2 MiB", "{" + ok.replace("{\"a\":1}", "\"" + "x".repeat(2_200_000) + "\"")
                        + ",\"confidence\":0.5}", 413, null),
                // PostgreSQL's text and jsonb cannot hold U+0000: refused at the edge, naming where it is.
                Arguments.of("NUL in output", "{" + ok.replace("{\"a\":1}", "\"a\\u0000b\"") + ",\"confidence\":0.5}", 400, "output"),
                Arguments.of("NUL deep in output", "{" + ok.replace("{\"a\":1}", "{\"x\":[\"ok\",\"\\u0000\"]}") + ",\"confidence\":0.5}", 400, "output.x.1"),
                Arguments.of("NUL in an output key", "{" + ok.replace("{\"a\":1}", "{\"k\\u0000\":1}") + ",\"confidence\":0.5}", 400, "output.k\\u0000"),
                Arguments.of("NUL in input", "{" + ok + ",\"confidence\":0.5,\"input\":{\"q\":\"\\u0000\"}}", 400, "input.q"),
                Arguments.of("NUL in attributes", "{" + ok + ",\"confidence\":0.5,\"attributes\":{\"n\":\"x\\u0000\"}}", 400, "attributes.n"),
                Arguments.of("NUL in a probability label", "{" + ok + ",\"probabilities\":{\"a\\u0000\":1.0}}", 400, "probabilities"),
                Arguments.of("NUL in modelVersion", "{\"useCase\":\"" + UC + "\",\"modelVersion\":\"m\\u0000\",\"output\":1,\"confidence\":0.5}", 400, "modelVersion"),
                Arguments.of("NUL in idempotencyKey", "{" + ok + ",\"confidence\":0.5,\"idempotencyKey\":\"k\\u0000\"}", 400, "idempotencyKey"),
                Arguments.of("NUL in callbackUrl", "{" + ok + ",\"confidence\":0.5,\"callbackUrl\":\"https://a.example/\\u0000\"}", 400, "callbackUrl"),
                Arguments.of("unknown use case", "{\"useCase\":\"nobody-here\",\"modelVersion\":\"m\",\"output\":1,\"confidence\":0.5}", 404, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRouteRequest_isAProblem_andStoresNothing(String name, String body, int status, String field) throws Exception {
        long before = Api.countDecisions(db);
        Response response = given().auth().oauth2(Tokens.operator()).contentType("application/json").body(body).post("/v1/route");
        response.then().statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("title", not(emptyOrNullString()))
                .body("detail", not(emptyOrNullString()));
        if (field != null) {
            response.then().body("errors.field", org.hamcrest.Matchers.hasItem(field));
        }
        assertThat(Api.countDecisions(db)).isEqualTo(before);
    }

    @org.junit.jupiter.api.Test
    void wrongContentType_is415Problem() {
        given().auth().oauth2(Tokens.operator()).contentType("text/plain").body("hello").post("/v1/route").then().statusCode(415)
                .contentType("application/problem+json");
    }

    @org.junit.jupiter.api.Test
    void wrongMethod_is405Problem() {
        given().auth().oauth2(Tokens.operator()).delete("/v1/route").then().statusCode(405).contentType("application/problem+json");
    }
}

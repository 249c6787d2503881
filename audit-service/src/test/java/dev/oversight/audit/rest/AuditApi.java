package dev.oversight.audit.rest;

import static io.restassured.RestAssured.given;

import dev.oversight.common.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;

final class AuditApi {

    private AuditApi() {
    }

    static RequestSpecification json() {
        return given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    static String event(UUID id, String type, String subject, String payload) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"" + type + "\",\"occurredAt\":\"2026-11-23T12:00:00.123456789+02:00\","
                + "\"actor\":\"routing-service\",\"subjectId\":\"" + subject + "\",\"useCase\":\"claims-triage\","
                + "\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"payload\":" + payload + "}";
    }
}

package dev.oversight.routing.api;

import static io.restassured.RestAssured.given;

import dev.oversight.common.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.concurrent.atomic.AtomicInteger;

/** Small helpers for API tests: unique use-case names, JSON requests. */
final class Api {

    private static final AtomicInteger SEQ = new AtomicInteger();

    private Api() {
    }

    static String uniqueUseCase(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
    }

    static RequestSpecification json() {
        return given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    /** Puts a policy; one that does not name its apps admits any app here (tests of apps say so themselves). */
    static Response putPolicy(String useCase, String policyJson) {
        return json().body(anyApp(policyJson)).put("/v1/use-cases/{u}/policy", useCase);
    }

    static String anyApp(String policyJson) {
        if (policyJson.contains("\"apps\"") || !policyJson.startsWith("{")) {
            return policyJson;
        }
        return policyJson.equals("{}") ? "{\"apps\":[\"*\"]}" : "{\"apps\":[\"*\"]," + policyJson.substring(1);
    }

    static Response route(String body) {
        return json().body(body).post("/v1/route");
    }

    static long countDecisions(javax.sql.DataSource db) throws java.sql.SQLException {
        try (java.sql.Connection c = db.getConnection();
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM decision")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long countDecisions(javax.sql.DataSource db, String useCase) throws java.sql.SQLException {
        try (java.sql.Connection c = db.getConnection();
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM decision WHERE use_case = ?")) {
            ps.setString(1, useCase);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static String routeBody(String useCase, double confidence, String attributesJson) {
        return "{\"useCase\":\"" + useCase + "\",\"modelVersion\":\"m1\",\"output\":{\"answer\":42},\"confidence\":"
                + confidence + (attributesJson == null ? "" : ",\"attributes\":" + attributesJson) + "}";
    }
}

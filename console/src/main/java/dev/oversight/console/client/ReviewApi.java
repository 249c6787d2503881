package dev.oversight.console.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The review service's API as the console uses it. */
@RegisterRestClient(configKey = "review")
@RegisterProvider(ProblemMapper.class)
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface ReviewApi {

    record ClaimNext(String useCase) {
    }

    record LeaseToken(long leaseToken) {
    }

    record VerdictBody(long leaseToken, String verdict, JsonNode correctedOutput, String rationale) {
    }

    @GET
    @Path("/tasks/queue")
    JsonNode queue(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer);

    @GET
    @Path("/tasks")
    JsonNode tasks(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @QueryParam("status") String status,
                   @QueryParam("useCase") String useCase, @QueryParam("cursor") String cursor,
                   @QueryParam("limit") int limit);

    @GET
    @Path("/tasks/{id}")
    JsonNode task(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("id") UUID id);

    /** 200 with the leased task, or 204 when nothing is left for the caller. */
    @POST
    @Path("/tasks/claim-next")
    Response claimNext(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, ClaimNext body);

    @POST
    @Path("/tasks/{id}/claim")
    JsonNode claim(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("id") UUID id);

    @POST
    @Path("/tasks/{id}/lease/renew")
    JsonNode renew(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("id") UUID id, LeaseToken lease);

    @POST
    @Path("/tasks/{id}/release")
    void release(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("id") UUID id, LeaseToken lease);

    @POST
    @Path("/tasks/{id}/verdict")
    JsonNode verdict(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("id") UUID id,
                     VerdictBody verdict);

    @GET
    @Path("/metrics/agreement")
    JsonNode agreement(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @QueryParam("useCase") String useCase);

    @GET
    @Path("/metrics/reviewers")
    JsonNode reviewers(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @QueryParam("useCase") String useCase);

    @POST
    @Path("/reviewers/{name}/reinstate")
    void reinstate(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("name") String name);
}

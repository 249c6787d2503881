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
import java.io.InputStream;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The audit service's API as the console uses it. */
@RegisterRestClient(configKey = "audit")
@RegisterProvider(ProblemMapper.class)
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface AuditApi {

    @GET
    @Path("/events")
    JsonNode events(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @QueryParam("type") String type,
                    @QueryParam("subjectId") String subjectId, @QueryParam("actor") String actor,
                    @QueryParam("useCase") String useCase, @QueryParam("from") String from,
                    @QueryParam("to") String to, @QueryParam("cursor") String cursor, @QueryParam("order") String order,
                    @QueryParam("limit") int limit);

    @GET
    @Path("/trails/{decisionId}")
    JsonNode trail(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("decisionId") UUID decisionId);

    @GET
    @Path("/checkpoints")
    JsonNode checkpoints(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @QueryParam("cursor") String cursor,
                         @QueryParam("limit") int limit);

    @GET
    @Path("/checkpoints/public-key")
    JsonNode publicKey(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @QueryParam("keyId") String keyId);

    @GET
    @Path("/proofs/consistency")
    JsonNode consistency(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @QueryParam("first") long first,
                         @QueryParam("second") long second);

    @POST
    @Path("/verify")
    JsonNode verify(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @QueryParam("full") boolean full);

    @GET
    @Path("/export")
    @Produces("application/x-ndjson")
    InputStream export(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @QueryParam("from") Long from,
                       @QueryParam("to") Long to);
}

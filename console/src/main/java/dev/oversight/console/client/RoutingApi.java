package dev.oversight.console.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The routing service's API as the console uses it; {@code bearer} is the signed-in person's "Bearer ..." value. */
@RegisterRestClient(configKey = "routing")
@RegisterProvider(ProblemMapper.class)
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface RoutingApi {

    record ModeChange(String mode, String reason) {
    }

    @GET
    @Path("/use-cases")
    JsonNode useCases(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @QueryParam("cursor") String cursor,
                      @QueryParam("limit") int limit);

    @GET
    @Path("/use-cases/{useCase}")
    JsonNode useCase(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("useCase") String useCase);

    @POST
    @Path("/use-cases/{useCase}/mode")
    JsonNode setMode(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("useCase") String useCase,
                     ModeChange change);

    @GET
    @Path("/use-cases/{useCase}/policies")
    JsonNode policies(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("useCase") String useCase,
                      @QueryParam("cursor") String cursor, @QueryParam("limit") int limit);

    @PUT
    @Path("/use-cases/{useCase}/policy")
    JsonNode putPolicy(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("useCase") String useCase,
                       JsonNode policy);

    @POST
    @Path("/use-cases/{useCase}/policies/{version}/approve")
    JsonNode approvePolicy(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("useCase") String useCase,
                           @PathParam("version") int version);

    @POST
    @Path("/use-cases/{useCase}/mode-changes/{id}/approve")
    JsonNode approveModeChange(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer,
                               @PathParam("useCase") String useCase, @PathParam("id") long id);

    @GET
    @Path("/use-cases/{useCase}/oversight")
    JsonNode oversight(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("useCase") String useCase,
                       @QueryParam("from") String from, @QueryParam("to") String to,
                       @QueryParam("modelVersion") String modelVersion);

    @POST
    @Path("/decisions/{id}/override")
    JsonNode override(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("id") UUID id,
                      OverrideBody body);

    record OverrideBody(String reason) {
    }

    @GET
    @Path("/use-cases/{useCase}/calibrations")
    JsonNode calibrations(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("useCase") String useCase,
                          @QueryParam("cursor") String cursor, @QueryParam("limit") int limit);

    @GET
    @Path("/use-cases/{useCase}/calibrations/{version}")
    JsonNode calibration(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("useCase") String useCase,
                         @PathParam("version") int version);

    @POST
    @Path("/use-cases/{useCase}/calibrations/{version}/activate")
    JsonNode activate(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("useCase") String useCase,
                      @PathParam("version") int version);

    @POST
    @Path("/use-cases/{useCase}/calibrations/{version}/approve")
    JsonNode approveActivation(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer,
                               @PathParam("useCase") String useCase, @PathParam("version") int version);

    @GET
    @Path("/decisions/{id}")
    JsonNode decision(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("id") UUID id);
}

package dev.oversight.console.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The audit service's API as the console uses it. */
@RegisterRestClient(configKey = "audit")
@RegisterProvider(ProblemMapper.class)
@RegisterClientHeaders(SignedInBearer.class)
@Timeout(Calls.TIMEOUT_MS)
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface AuditApi {

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/events")
    Page<AuditEvent> events(@QueryParam("type") String type,
                    @QueryParam("subjectId") String subjectId, @QueryParam("actor") String actor,
                    @QueryParam("useCase") String useCase, @QueryParam("from") String from,
                    @QueryParam("to") String to, @QueryParam("cursor") String cursor, @QueryParam("order") String order,
                    @QueryParam("limit") int limit);

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/trails/{decisionId}")
    JsonNode trail(@PathParam("decisionId") UUID decisionId);

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/checkpoints")
    JsonNode checkpoints(@QueryParam("cursor") String cursor,
                         @QueryParam("limit") int limit);

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/checkpoints/public-key")
    JsonNode publicKey(@QueryParam("keyId") String keyId);

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/proofs/consistency")
    JsonNode consistency(@QueryParam("first") long first,
                         @QueryParam("second") long second);

    @POST
    @Path("/verify")
    Verification verify(@QueryParam("full") boolean full);

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/export")
    @Produces("application/x-ndjson")
    InputStream export(@QueryParam("from") Long from,
                       @QueryParam("to") Long to);
}

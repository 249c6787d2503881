package dev.oversight.console.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The routing service's API as the console uses it. */
@RegisterRestClient(configKey = "routing")
@RegisterProvider(ProblemMapper.class)
@RegisterClientHeaders(SignedInBearer.class)
@Timeout(Calls.TIMEOUT_MS)
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface RoutingApi {

    record ModeChange(String mode, String reason) {
    }

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/use-cases")
    Page<UseCaseSummary> useCases(@QueryParam("cursor") String cursor,
                      @QueryParam("limit") int limit);

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/use-cases/{useCase}")
    UseCase useCase(@PathParam("useCase") String useCase);

    @POST
    @Path("/use-cases/{useCase}/mode")
    UseCase setMode(@PathParam("useCase") String useCase,
                     ModeChange change);

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/use-cases/{useCase}/policies")
    Page<PolicyVersion> policies(@PathParam("useCase") String useCase,
                      @QueryParam("cursor") String cursor, @QueryParam("limit") int limit);

    @PUT
    @Path("/use-cases/{useCase}/policy")
    PolicyVersion putPolicy(@PathParam("useCase") String useCase,
                       JsonNode policy);

    @POST
    @Path("/use-cases/{useCase}/policies/{version}/approve")
    PolicyVersion approvePolicy(@PathParam("useCase") String useCase,
                           @PathParam("version") int version);

    @POST
    @Path("/use-cases/{useCase}/mode-changes/{id}/approve")
    UseCase approveModeChange(@PathParam("useCase") String useCase, @PathParam("id") long id);

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/use-cases/{useCase}/oversight")
    OversightFigures oversight(@PathParam("useCase") String useCase,
                       @QueryParam("from") String from, @QueryParam("to") String to,
                       @QueryParam("modelVersion") String modelVersion);

    @POST
    @Path("/decisions/{id}/override")
    void override(@PathParam("id") UUID id,
                      OverrideBody body);

    record OverrideBody(String reason) {
    }

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/use-cases/{useCase}/calibrations")
    Page<CalibrationSummary> calibrations(@PathParam("useCase") String useCase,
                          @QueryParam("cursor") String cursor, @QueryParam("limit") int limit);

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/use-cases/{useCase}/calibrations/{version}")
    CalibrationReport calibration(@PathParam("useCase") String useCase,
                         @PathParam("version") int version);

    @POST
    @Path("/use-cases/{useCase}/calibrations/{version}/activate")
    void activate(@PathParam("useCase") String useCase,
                      @PathParam("version") int version);

    @POST
    @Path("/use-cases/{useCase}/calibrations/{version}/approve")
    void approveActivation(@PathParam("useCase") String useCase, @PathParam("version") int version);

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/decisions/{id}")
    Decision decision(@PathParam("id") UUID id);

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/use-cases/{useCase}/benchmarks")
    Page<Benchmark> benchmarks(@PathParam("useCase") String useCase, @QueryParam("cursor") String cursor,
                               @QueryParam("limit") int limit);

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/use-cases/{useCase}/evaluations")
    Page<Evaluation.Summary> evaluations(@PathParam("useCase") String useCase, @QueryParam("cursor") String cursor,
                                         @QueryParam("limit") int limit);

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/use-cases/{useCase}/evaluations/{id}")
    Evaluation evaluation(@PathParam("useCase") String useCase, @PathParam("id") String id);

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/use-cases/{useCase}/shadow")
    Evaluation.Shadow shadow(@PathParam("useCase") String useCase, @QueryParam("modelVersion") String modelVersion);

    @POST
    @Path("/use-cases/{useCase}/evaluations/{id}/comparisons")
    Evaluation.Comparison compare(@PathParam("useCase") String useCase, @PathParam("id") String id);

    @POST
    @Path("/use-cases/{useCase}/promotions")
    Evaluation.Promotion promote(@PathParam("useCase") String useCase, Evaluation.PromotionBody body);

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/incidents")
    Page<Incident> incidents(@QueryParam("cursor") String cursor, @QueryParam("limit") int limit);

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/incidents/{id}")
    Incident incident(@PathParam("id") String id);

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/erasures")
    Page<Erasure> erasures(@QueryParam("cursor") String cursor, @QueryParam("limit") int limit);

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/erasures/{id}")
    Erasure erasure(@PathParam("id") String id);

    @POST
    @Path("/erasures")
    Erasure erase(Erasure.Request request);

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/use-cases/{useCase}/retention")
    Erasure.Retention retention(@PathParam("useCase") String useCase);

    @PUT
    @Path("/use-cases/{useCase}/retention")
    Erasure.Retention setRetention(@PathParam("useCase") String useCase, Erasure.RetentionBody body);

    @POST
    @Path("/incidents")
    Incident openIncident(Incident.Opening opening);

    @POST
    @Path("/incidents/{id}/status")
    Incident incidentStep(@PathParam("id") String id, Incident.StepBody step);

    @GET
    @Path("/incidents/{id}/evidence")
    @Produces("application/zip")
    java.io.InputStream incidentEvidence(@PathParam("id") String id);

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/use-cases/{useCase}/reports")
    Page<Report> reports(@PathParam("useCase") String useCase, @QueryParam("cursor") String cursor,
                         @QueryParam("limit") int limit);

    @POST
    @Path("/use-cases/{useCase}/reports")
    Report issueReport(@PathParam("useCase") String useCase, Report.Period period);

    @GET
    @Path("/use-cases/{useCase}/reports/{id}")
    @Produces({"application/pdf", MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    Response report(@PathParam("useCase") String useCase, @PathParam("id") String id,
                    @QueryParam("format") String format);
}

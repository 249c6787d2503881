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
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The review service's API as the console uses it. */
@RegisterRestClient(configKey = "review")
@RegisterProvider(ProblemMapper.class)
@RegisterClientHeaders(SignedInBearer.class)
@Timeout(Calls.TIMEOUT_MS)
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface ReviewApi {

    record ClaimNext(String useCase) {
    }

    record LeaseToken(long leaseToken) {
    }

    /** A verdict; on an agent's run also the process (SOUND, FLAWED) and the judged steps (null: not judged). */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record VerdictBody(long leaseToken, String verdict, JsonNode correctedOutput, String rationale, String process,
                       List<StepBody> steps, java.util.Map<String, String> scores) {
    }

    /** One step judged OK or WRONG, with an optional note. */
    record StepBody(int index, String verdict, String note) {
    }

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/tasks/queue")
    ReviewQueue queue();

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/tasks/{id}")
    ReviewTask task(@PathParam("id") UUID id);

    /** 200 with the leased task, or 204 when nothing is left for the caller. */
    @POST
    @Path("/tasks/claim-next")
    Response claimNext(ClaimNext body);

    @POST
    @Path("/tasks/{id}/claim")
    void claim(@PathParam("id") UUID id);

    @POST
    @Path("/tasks/{id}/lease/renew")
    void renew(@PathParam("id") UUID id, LeaseToken lease);

    @POST
    @Path("/tasks/{id}/release")
    void release(@PathParam("id") UUID id, LeaseToken lease);

    /** Reliance figures: a share as count of of, and its rate (null of nothing). */
    @io.quarkus.qute.TemplateData
    record Share(long count, long of, Double rate) {
    }

    @io.quarkus.qute.TemplateData
    record Reliance(String reviewer, long verdicts, Share approvalShown, Share approvalBlind, Double approvalGap,
                    long approvals, Share fastApprovals, Share approvalsOverturned, java.util.List<String> flags) {
    }

    @io.quarkus.qute.TemplateData
    record RelianceLimits(Integer minDwellSeconds, Double maxFastApprovalRate, Double maxApprovalGap) {
    }

    @io.quarkus.qute.TemplateData
    record RelianceReport(String useCase, String from, String to, RelianceLimits limits, java.util.List<Reliance> items) {
    }

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/reviewers/over-reliance")
    RelianceReport reliance(@QueryParam("useCase") String useCase);

    /** One reviewer's progress: open tasks assigned, started, verdicts given, overdue, median time per task. */
    @io.quarkus.qute.TemplateData
    record Progress(String reviewer, long assigned, long started, long done, long overdue, Double medianSecondsPerTask) {
    }

    record ProgressList(java.util.List<Progress> items) {
    }

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/reviewers/progress")
    ProgressList progress(@QueryParam("useCase") String useCase);

    /** A comment on a task's thread. */
    record CommentBody(String text) {
    }

    /** A task's thread: {@code author} and {@code text} are null where blind review hides them. */
    @io.quarkus.qute.TemplateData
    record Comment(long id, String author, String text, String createdAt, String erasedAt) {
    }

    record Comments(java.util.List<Comment> items) {
    }

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/tasks/{id}/comments")
    Comments comments(@PathParam("id") UUID id);

    @POST
    @Path("/tasks/{id}/comments")
    void comment(@PathParam("id") UUID id, CommentBody body);

    @POST
    @Path("/tasks/{id}/verdict")
    void verdict(@PathParam("id") UUID id,
                     VerdictBody verdict);

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/metrics/agreement")
    Agreement agreement(@QueryParam("useCase") String useCase);

    @GET
    @Retry(maxRetries = Calls.READ_RETRIES, delay = Calls.RETRY_DELAY_MS, jitter = Calls.RETRY_JITTER_MS,
            retryOn = {ProcessingException.class, ServiceException.Unavailable.class})
    @Path("/metrics/reviewers")
    ReviewerFigures reviewers(@QueryParam("useCase") String useCase);

    @POST
    @Path("/reviewers/{name}/reinstate")
    void reinstate(@PathParam("name") String name);
}

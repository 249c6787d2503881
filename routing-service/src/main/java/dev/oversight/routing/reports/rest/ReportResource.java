package dev.oversight.routing.reports.rest;

import dev.oversight.common.http.Page;
import dev.oversight.common.security.Roles;
import dev.oversight.routing.config.rest.Callers;
import dev.oversight.routing.config.rest.Cursors;
import dev.oversight.routing.policy.rest.UseCaseResource;
import dev.oversight.routing.reports.repository.ReportRepository.Report;
import dev.oversight.routing.reports.service.ReportDocuments;
import dev.oversight.routing.reports.service.ReportService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Oversight reports for a period: issued (frozen and audited) by admins and auditors, then read as JSON (what the
 * report states), or as a PDF or HTML document that carries the receipt of its REPORT_ISSUED audit event.
 */
@Path("/v1/use-cases/{useCase}/reports")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ReportResource {

    private final ReportService reports;
    private final ReportDocuments documents;
    private final SecurityIdentity caller;

    public ReportResource(ReportService reports, ReportDocuments documents, SecurityIdentity caller) {
        this.reports = reports;
        this.documents = documents;
        this.caller = caller;
    }

    /** A period that has ended, at most 366 days long. */
    public record ReportRequest(@NotNull(message = "is required: the period's start (ISO-8601 with offset)")
                                OffsetDateTime from,
                                @NotNull(message = "is required: the period's end (ISO-8601 with offset), not after"
                                        + " now") OffsetDateTime to) {
    }

    /** A report as listed and as issued: its id, period, digest and the links to its documents. */
    public record ReportSummary(UUID id, String useCase, Instant from, Instant to, String sha256, Instant issuedAt,
                                String issuedBy, String pdf, String html, String json) {
        static ReportSummary of(Report r) {
            String self = "/v1/use-cases/" + r.useCase() + "/reports/" + r.id();
            return new ReportSummary(r.id(), r.useCase(), r.from(), r.to(), r.sha256(), r.issuedAt(), r.issuedBy(),
                    self + "?format=pdf", self + "?format=html", self + "?format=json");
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "Issue an oversight report for a period that has ended: frozen, and audited as REPORT_ISSUED"
            + " with its SHA-256")
    public Response issue(@PathParam("useCase") @Pattern(regexp = UseCaseResource.USE_CASE,
                                  message = UseCaseResource.USE_CASE_MESSAGE) String useCase,
                          @Valid @NotNull(message = "a JSON body {from, to} is required") ReportRequest request) {
        Report r = reports.issue(useCase, request.from().toInstant(), request.to().toInstant(), Callers.actor(caller));
        return Response.created(URI.create("/v1/use-cases/" + useCase + "/reports/" + r.id()))
                .entity(ReportSummary.of(r)).build();
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "The use case's reports, newest first")
    public Page<ReportSummary> list(@PathParam("useCase") String useCase, @QueryParam("cursor") String cursor,
                                    @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        UUID before = Cursors.uuid(cursor);
        return Page.of(reports.list(useCase, before, limit + 1), limit, r -> r.id().toString())
                .map(ReportSummary::of);
    }

    /**
     * format=json: what the report states (the canonical JSON whose SHA-256 is in the audit log); pdf or html: the
     * document with the receipt, 409 until the REPORT_ISSUED event is under a signed checkpoint (seconds).
     */
    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @Produces({MediaType.APPLICATION_JSON, "application/pdf", MediaType.TEXT_HTML})
    @Operation(summary = "A report: format=json (what it states), pdf or html (the document with its receipt)")
    public Response get(@PathParam("useCase") String useCase, @PathParam("id") UUID id,
                        @QueryParam("format") @DefaultValue("json")
                        @Pattern(regexp = "json|pdf|html", message = "must be json, pdf or html") String format) {
        String name = "oversight-report-" + useCase + "-" + id;
        return switch (format) {
            case "pdf" -> Response.ok(documents.pdf(reports.receipted(useCase, id)), "application/pdf")
                    .header("Content-Disposition", "attachment; filename=\"" + name + ".pdf\"").build();
            case "html" -> Response.ok(documents.html(reports.receipted(useCase, id)), "text/html; charset=utf-8")
                    .build();
            default -> Response.ok(reports.get(useCase, id).data(), MediaType.APPLICATION_JSON).build();
        };
    }
}

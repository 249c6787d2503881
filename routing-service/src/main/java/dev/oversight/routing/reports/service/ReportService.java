package dev.oversight.routing.reports.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oversight.common.crypto.Sha256;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.id.Ids;
import dev.oversight.common.jdbc.Transactions;
import dev.oversight.common.json.CanonicalJson;
import dev.oversight.routing.config.service.EventOutbox;
import dev.oversight.routing.client.AuditLogClient;
import dev.oversight.routing.client.ReviewFiguresClient;
import dev.oversight.routing.domain.command.Actor;
import dev.oversight.routing.oversight.service.OversightService;
import dev.oversight.routing.reports.repository.ReportRepository;
import dev.oversight.routing.reports.repository.ReportRepository.Report;
import io.agroal.api.AgroalDataSource;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Oversight reports for a period that has ended: what the router can state about it (the oversight figures with
 * their intervals, the reliability diagram of the calibration, decisions per day and route, the policies and calibrators in force, mode changes and who made
 * them, overrides, drift alarms, serious incidents), frozen at issue as RFC 8785 canonical JSON whose SHA-256 the
 * REPORT_ISSUED audit event carries. A rendered report carries that event's receipt, so the document proves what it
 * states was issued, when, and that nobody changed it since.
 */
@ApplicationScoped
public class ReportService {

    /** The longest period one report covers. */
    public static final Duration MAX_PERIOD = Duration.ofDays(366);
    /** Bins of the report's reliability diagram. */
    static final int RELIABILITY_BINS = 10;

    private final ReportRepository reports;
    private final OversightService oversight;
    private final EventOutbox events;
    private final AuditLogClient audit;
    private final AgroalDataSource db;
    private final ObjectMapper json;
    private final ReviewFiguresClient reviewFigures;

    public ReportService(ReportRepository reports, OversightService oversight, EventOutbox events,
                         AuditLogClient audit, AgroalDataSource db, ObjectMapper json,
                         ReviewFiguresClient reviewFigures) {
        this.reviewFigures = reviewFigures;
        this.reports = reports;
        this.oversight = oversight;
        this.events = events;
        this.audit = audit;
        this.db = db;
        this.json = json;
    }

    /** A report with the receipt of its REPORT_ISSUED event. */
    public record Receipted(Report report, String receipt) {
    }

    @WithSpan
    public Report issue(String useCase, Instant from, Instant to, Actor actor) {
        Instant now = Instant.now();
        if (!from.isBefore(to)) {
            throw new Failure.Invalid("to", "must be after from");
        }
        if (to.isAfter(now)) {
            throw new Failure.Invalid("to", "is in the future: a report covers a period that has ended");
        }
        if (Duration.between(from, to).compareTo(MAX_PERIOD) > 0) {
            throw new Failure.Invalid("from", "starts more than 366 days before to: issue one report per year at most");
        }
        OversightService.Measured measured = oversight.measure(useCase, null, from, to, RELIABILITY_BINS);
        // The reviewers' reliance on the model is the review service's to measure: read before anything is stored.
        JsonNode reliance = reviewFigures.configured() ? reviewFigures.overReliance(useCase, from, to)
                : json.createObjectNode().put("available", false).put("why", "the review service is not configured"
                        + " (routing.review-url)");
        UUID id = Ids.newId();
        return transaction(c -> {
            ObjectNode data = json.createObjectNode();
            data.put("report", id.toString());
            data.put("useCase", useCase);
            data.put("from", from.toString());
            data.put("to", to.toString());
            data.put("issuedAt", now.toString());
            data.put("issuedBy", actor.name());
            data.set("figures", json.valueToTree(measured.report()));
            data.set("reliability", json.valueToTree(measured.reliability()));
            data.set("daily", parse(reports.dailyRoutes(c, useCase, from, to)));
            data.set("dailyOversight", parse(reports.dailyOversight(c, useCase, from, to)));
            data.set("policies", parse(reports.policies(c, useCase, from, to)));
            data.set("calibrators", parse(reports.calibrators(c, useCase, from, to)));
            data.set("modeChanges", parse(reports.modeChanges(c, useCase, from, to)));
            data.set("overrides", parse(reports.overrides(c, useCase, from, to)));
            data.set("driftAlarms", parse(reports.driftAlarms(c, useCase, from, to)));
            data.set("incidents", parse(reports.incidents(c, useCase, from, to)));
            data.set("overReliance", reliance);
            String canonical = CanonicalJson.of(data);
            String sha = Sha256.hex(canonical);
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("report", id.toString());
            event.put("useCase", useCase);
            event.put("from", from.toString());
            event.put("to", to.toString());
            event.put("sha256", sha);
            UUID eventId = events.record(c, EventOutbox.REPORT_ISSUED, useCase + "/reports/" + id, useCase,
                    actor.name(), event);
            Report r = new Report(id, useCase, from, to, canonical, sha, eventId, now, actor.name());
            reports.insert(c, r);
            return r;
        });
    }

    public Report get(String useCase, UUID id) {
        return transaction(c -> reports.find(c, useCase, id)).orElseThrow(() -> new Failure.NotFound("Use case '"
                + useCase + "' has no report " + id));
    }

    /** The report and its receipt: 409 until its REPORT_ISSUED event is under a signed checkpoint. */
    public Receipted receipted(String useCase, UUID id) {
        Report r = get(useCase, id);
        return new Receipted(r, audit.receiptOfEvent(r.eventId(), "Report " + id + "'s REPORT_ISSUED event"));
    }

    public List<Report> list(String useCase, UUID before, int limit) {
        return transaction(c -> reports.list(c, useCase, before, limit));
    }

    private com.fasterxml.jackson.databind.JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("PostgreSQL's JSON always parses", e);
        }
    }

    private <T> T transaction(Transactions.Work<T> work) {
        return Transactions.inTransaction(db, "Reports cannot be read or stored right now; retry.", work);
    }
}

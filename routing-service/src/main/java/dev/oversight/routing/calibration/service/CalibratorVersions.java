package dev.oversight.routing.calibration.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.http.Page;
import dev.oversight.routing.calibration.repository.CalibratorEntity;
import dev.oversight.routing.policy.repository.UseCaseEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Map;

/** The stored calibrator versions of a use case, as the API shows them (each immutable once fitted). */
@ApplicationScoped
public class CalibratorVersions {

    private final EntityManager em;
    private final ObjectMapper json;

    public CalibratorVersions(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> reportOf(CalibratorEntity row) {
        try {
            return row.report == null ? Map.of() : json.readValue(row.report, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored calibration report is unreadable", e);
        }
    }

    public CalibrationVersion get(String useCase, int version) {
        return QuarkusTransaction.requiringNew().call(() -> view(find(useCase, version), activeVersion(useCase)));
    }

    /** Versions newest first; the cursor is the version to continue below. */
    public Page<CalibrationVersion> list(String useCase, Integer below, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            int active = activeVersion(useCase);
            List<CalibratorEntity> rows = em.createQuery("from CalibratorEntity c where c.useCase = :u and c.version < :b"
                            + " order by c.version desc", CalibratorEntity.class)
                    .setParameter("u", useCase).setParameter("b", below == null ? Integer.MAX_VALUE : below)
                    .setMaxResults(limit + 1).getResultList();
            return Page.of(rows, limit, r -> String.valueOf(r.version)).map(r -> view(r, active));
        });
    }

    private int activeVersion(String useCase) {
        return UseCaseEntity.named(useCase).activeCalibratorVersion;
    }

    /** The version, in the caller's transaction; the use case must exist. */
    CalibratorEntity find(String useCase, int version) {
        activeVersion(useCase);
        CalibratorEntity row = CalibratorEntity.find("useCase = ?1 and version = ?2", useCase, version).firstResult();
        if (row == null) {
            throw new Failure.NotFound("Use case " + useCase + " has no calibrator version " + version);
        }
        return row;
    }

    private CalibrationVersion view(CalibratorEntity row, int activeVersion) {
        Map<String, Object> report = row.report == null ? Map.of("version", row.version, "method", row.method)
                : reportOf(row);
        CalibrationVersion.Approval approval = row.approval == null ? null : new CalibrationVersion.Approval(row.approval,
                row.loosens == null ? List.of() : List.of(row.loosens), row.requestedBy, row.requestedAt,
                row.approvedBy, row.approvedAt);
        return new CalibrationVersion(row.useCase, row.version, row.method, report, row.version == activeVersion,
                row.createdAt, row.activatedAt, approval);
    }
}

package dev.oversight.routing.policy.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.routing.calibration.repository.CalibratorEntity;
import dev.oversight.routing.config.service.UseCaseRegistry;
import dev.oversight.routing.domain.Calibrator;
import dev.oversight.routing.domain.Calibrators;
import dev.oversight.routing.domain.Mode;
import dev.oversight.routing.domain.command.CalibratorInForce;
import dev.oversight.routing.domain.command.OversightSetting;
import dev.oversight.routing.policy.repository.PolicyEntity;
import dev.oversight.routing.policy.repository.UseCaseEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Reads what is in force for a use case as the oversight gate compares it, from the database inside the caller's
 * transaction (which holds the use case's row lock), never from a cache that another instance may have outdated.
 */
@ApplicationScoped
public class OversightSettings {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final UseCaseRegistry registry;
    private final ObjectMapper json;

    public OversightSettings(UseCaseRegistry registry, ObjectMapper json) {
        this.registry = registry;
        this.json = json;
    }

    public OversightSetting inForce(UseCaseEntity uc) {
        PolicyEntity policy = PolicyEntity.find("useCase = ?1 and version = ?2", uc.name, uc.activePolicyVersion)
                .firstResult();
        CalibratorEntity calibrator = CalibratorEntity.find("useCase = ?1 and version = ?2", uc.name,
                uc.activeCalibratorVersion).firstResult();
        return new OversightSetting(Mode.valueOf(uc.mode), registry.readPolicy(policy.document),
                calibrator == null ? null : calibrator(calibrator));
    }

    /** A stored calibrator version; one whose parameters cannot be built releases nothing (the router fails closed). */
    public CalibratorInForce calibrator(CalibratorEntity row) {
        Calibrator built;
        try {
            built = Calibrators.create(row.method, json.readValue(row.params, MAP)).orElse(null);
        } catch (JsonProcessingException e) {
            built = null;
        }
        return new CalibratorInForce(row.version, built, row.selectedThreshold, row.selectedRawCut,
                row.errorRateUpperBound);
    }
}

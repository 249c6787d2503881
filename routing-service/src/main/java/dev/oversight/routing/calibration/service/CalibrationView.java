package dev.oversight.routing.calibration.service;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A calibrator version with its report, as the API shows it: the report's figures (n, ece, reliability, the
 * selected threshold...) are fields of the answer, as the report lists them.
 */
public record CalibrationView(String useCase, int version, String method, boolean active, OffsetDateTime createdAt,
                              OffsetDateTime activatedAt,
                              @JsonInclude(JsonInclude.Include.NON_NULL) CalibrationVersion.Approval approval,
                              @JsonIgnore Map<String, Object> report) {

    public static CalibrationView of(CalibrationVersion v) {
        return new CalibrationView(v.useCase(), v.version(), v.method(), v.active(), v.createdAt(), v.activatedAt(),
                v.approval(), v.report());
    }

    @JsonAnyGetter
    public Map<String, Object> reportFields() {
        Map<String, Object> fields = new LinkedHashMap<>(report);
        // The version's own fields win over a report entry of the same name.
        List.of("useCase", "version", "method", "active", "createdAt", "activatedAt", "approval")
                .forEach(fields::remove);
        return fields;
    }
}

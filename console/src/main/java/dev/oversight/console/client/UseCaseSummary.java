package dev.oversight.console.client;

import dev.oversight.console.domain.Mode;
import io.quarkus.qute.TemplateData;

/** A line of the routing service's use-case list: the switch and the versions in force. */
@TemplateData
public record UseCaseSummary(String useCase, Mode mode, String modeReason, String modeChangedAt, String modeChangedBy,
                             int policyVersion, int calibratorVersion) {

    public boolean halted() {
        return mode == Mode.HALT;
    }
}

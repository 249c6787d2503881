package dev.oversight.routing.calibration.service;

import dev.oversight.routing.domain.command.OversightGate.Outcome;
import java.util.List;

/** What an activation did: the version, the gate's outcome and how it loosens oversight, if it does. */
public record Activation(CalibrationVersion version, Outcome outcome, List<String> loosens) {
}

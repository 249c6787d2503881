package dev.oversight.console.client;

import io.quarkus.qute.TemplateData;

/** A line of a use case's calibrator versions; the full report is read one version at a time. */
@TemplateData
public record CalibrationSummary(int version, String method, boolean active, String createdAt) {
}

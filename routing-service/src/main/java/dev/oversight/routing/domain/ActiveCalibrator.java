package dev.oversight.routing.domain;

/**
 * The calibrator version a use case routes with, and the release threshold its fit selected (null when the fit
 * selected none, or when there was no fit).
 */
public record ActiveCalibrator(int version, Calibrator calibrator, Double selectedThreshold) {
}

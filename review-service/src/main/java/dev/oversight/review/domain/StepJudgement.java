package dev.oversight.review.domain;

/** One step of a trajectory as a reviewer judged it: its index (from 0), OK or WRONG, and an optional note. */
public record StepJudgement(int index, StepVerdict verdict, String note) {
}

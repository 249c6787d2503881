package dev.oversight.routing.domain.erasure;

/**
 * What retention deletes by age and an erasure deletes at once, part by part. OUTPUTS: the model's outputs, the final
 * and corrected outputs, replacements, shadow outputs. INPUTS: the app's inputs and the agents' trajectories.
 * PEOPLE_TEXT: what people wrote: reviewers' rationales, step notes, comments, override reasons.
 */
public enum DataPart {
    OUTPUTS, INPUTS, PEOPLE_TEXT
}

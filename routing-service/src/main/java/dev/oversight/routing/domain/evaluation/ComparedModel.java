package dev.oversight.routing.domain.evaluation;

/** Whose output one side of a blind comparison shows: the candidate's, or the model's in production. */
public enum ComparedModel {
    CANDIDATE, PRODUCTION
}

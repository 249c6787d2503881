package dev.oversight.routing.domain;

/** What happens to a model output right now. */
public enum Route {
    RELEASE, REVIEW, BLOCK
}

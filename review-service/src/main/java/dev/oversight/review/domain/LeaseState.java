package dev.oversight.review.domain;

/** A lease is held (until it expires), given back, or used up by the holder's verdict. */
public enum LeaseState {
    ACTIVE, RELEASED, DONE
}

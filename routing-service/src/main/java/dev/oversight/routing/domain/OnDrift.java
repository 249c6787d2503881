package dev.oversight.routing.domain;

/** What the drift watchdog does when it detects drift: raise an alert only, or also switch the use case to REVIEW_ALL. */
public enum OnDrift {
    ALERT, REVIEW_ALL
}

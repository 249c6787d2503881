package dev.oversight.routing.domain.erasure;

/**
 * Why data was deleted: an erasure of listed decisions, an erasure of every decision of one data subject (found by
 * an attribute), or the retention sweep of what was due.
 */
public enum ErasureKind {
    DECISIONS, SUBJECT_ATTRIBUTE, RETENTION
}

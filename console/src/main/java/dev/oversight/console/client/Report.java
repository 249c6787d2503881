package dev.oversight.console.client;

import io.quarkus.qute.TemplateData;

/** An issued oversight report as the router lists it. */
@TemplateData
public record Report(String id, String useCase, String from, String to, String sha256, String issuedAt,
                     String issuedBy) {

    /** What the admin or auditor asks for: a period that has ended. */
    public record Period(String from, String to) {
    }
}

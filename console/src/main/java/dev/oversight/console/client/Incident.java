package dev.oversight.console.client;

import io.quarkus.qute.TemplateData;
import java.util.List;

/** A serious incident as the router answers it; {@code secondsLeft} while its first report is due. */
@TemplateData
public record Incident(String id, String useCase, String severity, String awareAt, String deadline, String status,
                       Long secondsLeft, String firstReportAt, Boolean firstReportOnTime, String summary,
                       String openedAt, String openedBy, List<String> decisionIds, List<Step> steps) {

    @TemplateData
    public record Step(String status, String note, String at, String by) {
    }

    /** What an admin sends to open one. */
    public record Opening(String useCase, String severity, String awareAt, List<String> decisionIds, String summary) {
    }

    /** A step forward. */
    public record StepBody(String status, String note) {
    }

    /** How long is left for the first report, in words: "9 days 20 hours left" or "overdue by 3 hours". */
    public String countdown() {
        if (secondsLeft == null) {
            return null;
        }
        long s = Math.abs(secondsLeft);
        long days = s / 86_400;
        long hours = s % 86_400 / 3_600;
        long minutes = s % 3_600 / 60;
        String span = days > 0 ? days + (days == 1 ? " day " : " days ") + hours + (hours == 1 ? " hour" : " hours")
                : hours > 0 ? hours + (hours == 1 ? " hour " : " hours ") + minutes + " min" : minutes + " min";
        return secondsLeft < 0 ? "overdue by " + span : span + " left";
    }

    /** Within a day of its deadline or past it: the alert fires. */
    public boolean urgent() {
        return secondsLeft != null && secondsLeft < 86_400;
    }

    /** The steps an admin may still record, in order. */
    public List<String> nextSteps() {
        List<String> all = List.of("OPEN", "INITIAL_REPORT_SENT", "FINAL_REPORT_SENT", "CLOSED");
        return all.subList(all.indexOf(status) + 1, all.size());
    }
}

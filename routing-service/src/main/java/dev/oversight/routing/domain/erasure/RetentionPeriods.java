package dev.oversight.routing.domain.erasure;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * How long a use case keeps each part of its decisions, as ISO-8601 periods (P180D, P26W, P6M, P1Y). A part is due
 * once its decision is older than the period, counted in UTC calendar terms (P6M from 31 August is 28 or 29
 * February). Periods are compared by the days they span from 1 January 1970, so P6M (181 days) is longer than P180D.
 */
public record RetentionPeriods(Period outputs, Period inputs, Period peopleText) {

    /** The default of every part: 180 days. */
    public static final Period DEFAULT = Period.ofDays(180);
    /** The longest period accepted. */
    public static final Period LONGEST = Period.ofYears(100);

    public static final RetentionPeriods DEFAULTS = new RetentionPeriods(DEFAULT, DEFAULT, DEFAULT);

    public RetentionPeriods {
        for (Period p : new Period[] {outputs, inputs, peopleText}) {
            if (p == null || p.isNegative() || p.isZero() || days(p) > days(LONGEST)) {
                throw new IllegalArgumentException("a retention period is positive and at most " + LONGEST + ": " + p);
            }
        }
    }

    /**
     * An ISO-8601 period of years, months, weeks or days, positive and at most a hundred years.
     *
     * @throws IllegalArgumentException with a message that says what is accepted
     */
    public static Period parse(String text) {
        Period p;
        try {
            p = Period.parse(text);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("is not an ISO-8601 period of days, weeks, months or years (for example"
                    + " P180D, P26W, P6M, P1Y)");
        }
        if (p.isNegative() || p.isZero() || days(p) > days(LONGEST)) {
            throw new IllegalArgumentException("must be positive and at most " + LONGEST);
        }
        return p;
    }

    /** The days a period spans from 1 January 1970: how two periods compare. */
    public static long days(Period p) {
        return LocalDate.EPOCH.plus(p).toEpochDay();
    }

    /** Whether any part is kept for less than {@code minimum}. */
    public boolean anyShorterThan(Period minimum) {
        long floor = days(minimum);
        return days(outputs) < floor || days(inputs) < floor || days(peopleText) < floor;
    }

    public Period of(DataPart part) {
        return switch (part) {
            case OUTPUTS -> outputs;
            case INPUTS -> inputs;
            case PEOPLE_TEXT -> peopleText;
        };
    }

    /** Decisions created before this instant are due for deletion of {@code part} at {@code now}. */
    public Instant cutoff(DataPart part, Instant now) {
        return now.atZone(ZoneOffset.UTC).minus(of(part)).toInstant();
    }
}

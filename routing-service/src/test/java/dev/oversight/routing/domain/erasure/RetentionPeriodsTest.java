package dev.oversight.routing.domain.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.Period;
import org.junit.jupiter.api.Test;

class RetentionPeriodsTest {

    @Test
    void isoPeriodsOfDaysWeeksMonthsAndYears_areAccepted_andNothingElse() {
        assertThat(RetentionPeriods.parse("P180D")).isEqualTo(Period.ofDays(180));
        assertThat(RetentionPeriods.parse("P26W")).isEqualTo(Period.ofDays(182));
        assertThat(RetentionPeriods.parse("P6M")).isEqualTo(Period.ofMonths(6));
        assertThat(RetentionPeriods.parse("P1Y6M")).isEqualTo(Period.of(1, 6, 0));
        for (String bad : new String[] {"180", "30 days", "PT24H", "P0D", "P-1D", "P101Y", "", "P1Y-1D"}) {
            assertThatThrownBy(() -> RetentionPeriods.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> RetentionPeriods.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void periodsCompareByTheDaysTheySpan_andTheMinimumIsCheckedPartByPart() {
        assertThat(RetentionPeriods.days(Period.ofMonths(6))).isEqualTo(181); // January to June 1970
        assertThat(RetentionPeriods.days(Period.ofYears(1))).isEqualTo(365);
        RetentionPeriods p = new RetentionPeriods(Period.ofMonths(6), Period.ofYears(1), Period.ofDays(179));
        assertThat(p.anyShorterThan(Period.ofDays(180))).isTrue();
        assertThat(RetentionPeriods.DEFAULTS.anyShorterThan(Period.ofDays(180))).isFalse();
        assertThat(RetentionPeriods.DEFAULTS.anyShorterThan(Period.ofMonths(6))).isTrue();
        assertThatThrownBy(() -> new RetentionPeriods(Period.ZERO, Period.ofDays(1), Period.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPartIsDueForDecisionsOlderThanItsPeriod_inUtcCalendarTerms() {
        RetentionPeriods p = new RetentionPeriods(Period.ofMonths(6), Period.ofDays(30), Period.ofYears(1));
        Instant now = Instant.parse("2026-08-31T10:00:00Z");
        assertThat(p.cutoff(DataPart.OUTPUTS, now)).isEqualTo(Instant.parse("2026-02-28T10:00:00Z"));
        assertThat(p.cutoff(DataPart.INPUTS, now)).isEqualTo(Instant.parse("2026-08-01T10:00:00Z"));
        assertThat(p.cutoff(DataPart.PEOPLE_TEXT, Instant.parse("2028-02-29T00:00:00Z")))
                .isEqualTo(Instant.parse("2027-02-28T00:00:00Z"));
    }
}

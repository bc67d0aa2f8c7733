package io.sluice.sink.clickhouse.encode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Parses date-time text into UTC instants. Accepted forms, tried in order: ISO-8601 with an offset or {@code Z}
 * and optional fractions ({@code 2026-11-21T07:00:00.123+02:00}); ISO-8601 local date-time
 * ({@code 2026-11-21T07:00:00}); ClickHouse's text form ({@code 2026-11-21 07:00:00[.fff]}); a date
 * ({@code 2026-11-21}, at midnight). Forms without an offset are read in the given zone.
 */
public final class TimeText {

    private TimeText() {
    }

    /**
     * @param text the text
     * @param zone zone for forms without an offset
     * @return the instant, or {@code null} if no form matches
     */
    public static Instant parse(String text, ZoneId zone) {
        String s = text.trim();
        if (s.length() < 10) {
            return null;
        }
        if (s.length() > 10 && s.charAt(10) == ' ') {
            s = s.substring(0, 10) + 'T' + s.substring(11);
        }
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay(zone).toInstant();
            }
            char last = s.charAt(s.length() - 1);
            int tzSign = Math.max(s.lastIndexOf('+'), s.lastIndexOf('-'));
            if (last == 'Z' || last == 'z' || tzSign > 10) {
                return OffsetDateTime.parse(s.replace('z', 'Z'), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            }
            return LocalDateTime.parse(s, DateTimeFormatter.ISO_LOCAL_DATE_TIME).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

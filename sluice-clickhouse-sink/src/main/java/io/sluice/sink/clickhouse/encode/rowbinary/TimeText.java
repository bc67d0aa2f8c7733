package io.sluice.sink.clickhouse.encode.rowbinary;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Reads date-time text into UTC instants, accepting the forms ClickHouse's best-effort parser accepts for
 * {@code date_time_input_format=best_effort} (ClickHouse docs, "parseDateTimeBestEffort": ISO 8601, RFC 1123 and
 * ClickHouse's own forms), and giving the instant ClickHouse stores for them:
 * <ul>
 *   <li>9 or 10 digits alone: epoch seconds ({@code 1700000000});
 *   <li>a date: {@code YYYY-MM-DD}, {@code YYYY/M/D}, {@code YYYY.MM.DD}, {@code YYYY-MM} (day 1), {@code YYYY}
 *       (January 1), {@code YYYYMMDD}, {@code YYYYMM}, {@code DD/MM/YYYY}, {@code DD-MM-YYYY}, {@code DD.MM.YYYY},
 *       {@code DD/MM/YY} (70..99 are 19xx, else 20xx; a second number above 12 is the day: {@code 11/21/2026}), or
 *       a day, an English month name or abbreviation and a year in either order ({@code 21 Nov 2026},
 *       {@code Nov 21 2026}), optionally after a weekday ({@code Sat, });
 *   <li>then optionally, after a space or {@code T}, a time: {@code h:m[:s]} with one or two digits each,
 *       {@code hhmmss}, or an hour alone; {@code YYYYMMDDhhmmss} holds both; fractions of a second after a point
 *       (any number of digits, kept to nanoseconds; DateTime drops them); {@code AM}/{@code PM};
 *   <li>then optionally a time zone: {@code Z}, {@code UTC}, {@code GMT}, {@code MSK} (+03), {@code MSD} (+04),
 *       or an offset {@code +hh}, {@code +hhmm}, {@code +hh:mm} (one-digit hours too), with or without a space.
 * </ul>
 * Text without a time zone is read in the given zone (the column's); text with one is exact.
 *
 * <p>The reference is a current ClickHouse (chDB 26.7), checked value by value in {@code JsonEachRowChdbIT}; 18.16
 * differs in places ({@code JsonEachRowDifferentialIT}). Stricter than both, on purpose: the servers turn
 * impossible or incomplete values into some other time (both store {@code 2026-02-30} as March 2 and
 * {@code 07:00:60} as 07:01:00; text without a year gets 2000 or the current year), so this parser rejects fields
 * out of range, text without a year, an hour above 12 with AM/PM, offsets beyond ±18:00, a second time zone, and
 * words other than month, weekday and zone names; the reason names what is wrong. {@code 12 AM} is midnight (18.16
 * reads noon). A lowercase {@code z} is UTC, as RFC 3339 allows.
 *
 * <p>The common fixed-width form ({@code yyyy-MM-dd[T ]HH:mm:ss[.f{1,9}]} followed by {@code Z}, {@code +HH:MM},
 * or nothing with a fixed-offset zone) is read by a hand-written fast path first; it returns exactly what the
 * general path would, and leaves everything else to it.
 */
public final class TimeText {

    private TimeText() {
    }

    /**
     * @param text the text
     * @param zone zone for text without a time zone
     * @return the instant, or {@code null} if the text is not a date-time this class accepts
     */
    public static Instant parse(String text, ZoneId zone) {
        Instant fast = parseFixedWidth(text, zone);
        return fast != null ? fast : parseBestEffort(text, zone);
    }

    /**
     * Like {@link #parse}, but says why text is rejected.
     *
     * @throws ValueException naming the text and what is wrong with it
     */
    public static Instant read(String text, ZoneId zone) throws ValueException {
        Instant fast = parseFixedWidth(text, zone);
        if (fast != null) {
            return fast;
        }
        BestEffort p = new BestEffort(text);
        Instant t = p.instant(zone);
        if (t == null) {
            throw new ValueException("cannot parse " + Encoders.show(text) + " as a date-time: " + p.error
                    + " (accepted: the forms of ClickHouse's best_effort parser with valid fields, e.g. "
                    + "2026-11-21 07:00:00, 2026-11-21T07:00:00.123Z, 21/11/2026 07:00, "
                    + "Sat, 21 Nov 2026 07:00:00 GMT, or epoch seconds)");
        }
        return t;
    }

    /** The general path of {@link #parse}. */
    static Instant parseBestEffort(String text, ZoneId zone) {
        return new BestEffort(text).instant(zone);
    }

    /** One pass over the text, collecting fields; {@link #error} says why it failed. */
    private static final class BestEffort {
        private static final String[] MONTHS = {"january", "february", "march", "april", "may", "june", "july",
            "august", "september", "october", "november", "december"};
        private static final String[] WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday",
            "saturday", "sunday"};

        private final String s;
        private int pos;
        private int year = -1;
        private int month = -1;
        private int day = -1;
        private int hour = -1;
        private int minute;
        private int second;
        private int nanos;
        private boolean hasFraction;
        /** 0 none, 1 AM, 2 PM. */
        private int meridiem;
        private Integer offsetSeconds;
        private Long epochSeconds;
        private boolean sawToken;
        private String error;

        BestEffort(String s) {
            this.s = s;
        }

        Instant instant(ZoneId zone) {
            if (!scan() || !complete()) {
                return null;
            }
            if (epochSeconds != null) {
                return Instant.ofEpochSecond(epochSeconds);
            }
            LocalDateTime local;
            try {
                local = LocalDateTime.of(year, month, day, Math.max(hour, 0), minute, second, nanos);
            } catch (DateTimeException e) {
                return fail("invalid date-time: " + e.getMessage());
            }
            return offsetSeconds != null ? local.toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds))
                    : local.atZone(zone).toInstant();
        }

        private boolean scan() {
            int n = s.length();
            while (pos < n) {
                char c = s.charAt(pos);
                if (isDigit(c)) {
                    if (!number()) {
                        return false;
                    }
                } else if (c == ' ') {
                    pos++;
                    continue; // leading spaces do not end the "digits alone" form
                } else if (c == 'T' && pos + 1 < n && isDigit(s.charAt(pos + 1))) {
                    pos++;
                } else if (c == 'Z' || c == 'z') {
                    pos++;
                    if (!setOffset(0)) {
                        return false;
                    }
                } else if (c == '+' || c == '-') {
                    if (!offset()) {
                        return false;
                    }
                } else if (c == '.') {
                    if (hour < 0 || hasFraction || pos + 1 >= n || !isDigit(s.charAt(pos + 1))) {
                        return failBool("unexpected '.' at position " + pos);
                    }
                    pos++;
                    fraction();
                } else if (isLetter(c)) {
                    if (!word()) {
                        return false;
                    }
                } else {
                    return failBool("unexpected '" + c + "' at position " + pos);
                }
                sawToken = true;
            }
            return true;
        }

        /** A run of digits, and what follows it when that decides its meaning. */
        private boolean number() {
            int start = pos;
            int count = digitRun();
            if ((count == 9 || count == 10) && !sawToken) {
                epochSeconds = Long.parseLong(s.substring(start, pos));
                if (!s.substring(pos).trim().isEmpty()) {
                    return failAt(pos, "text after epoch seconds");
                }
                return true;
            }
            if (epochSeconds != null) {
                return failBool("text after epoch seconds");
            }
            switch (count) {
                case 14:
                    if (year >= 0 || hour >= 0) {
                        return failBool("14 digits after a date or time");
                    }
                    year = value(start, 4);
                    month = value(start + 4, 2);
                    day = value(start + 6, 2);
                    hour = value(start + 8, 2);
                    minute = value(start + 10, 2);
                    second = value(start + 12, 2);
                    return true;
                case 8:
                    if (year >= 0) {
                        return failBool("8 digits after a year");
                    }
                    year = value(start, 4);
                    month = value(start + 4, 2);
                    day = value(start + 6, 2);
                    return true;
                case 6:
                    if (year < 0 && month < 0) {
                        year = value(start, 4);
                        month = value(start + 4, 2);
                        day = 1;
                    } else if (hour < 0) {
                        hour = value(start, 2);
                        minute = value(start + 2, 2);
                        second = value(start + 4, 2);
                    } else {
                        return failBool("6 digits after a date and a time");
                    }
                    return true;
                case 4:
                    if (year >= 0) {
                        return failBool("a second year");
                    }
                    year = value(start, 4);
                    return yearMonthDay();
                case 1:
                case 2:
                    return smallNumber(value(start, count));
                default:
                    return failBool("unexpected number of digits (" + count + ") at position " + start);
            }
        }

        /** After a year: {@code -MM-DD}, {@code /M/D}, {@code .MM.DD} or {@code -MM}; anything else is left. */
        private boolean yearMonthDay() {
            if (pos >= s.length() || "-/.".indexOf(s.charAt(pos)) < 0 || month >= 0) {
                return true;
            }
            char separator = s.charAt(pos++);
            int m = oneOrTwoDigits();
            if (m < 0) {
                return failBool("expected a month number after '" + separator + "' at position " + pos);
            }
            month = m;
            if (pos < s.length() && s.charAt(pos) == separator) {
                pos++;
                int d = oneOrTwoDigits();
                if (d < 0) {
                    return failBool("expected a day number after '" + separator + "' at position " + pos);
                }
                day = d;
            } else {
                day = 1;
            }
            return true;
        }

        /** One or two digits: a time {@code h:m[:s]}, a date {@code D/M[/Y]}, a day, or an hour after a date. */
        private boolean smallNumber(int v) {
            if (pos < s.length() && s.charAt(pos) == ':') {
                if (hour >= 0) {
                    return failBool("a second time at position " + pos);
                }
                hour = v;
                pos++;
                minute = oneOrTwoDigits();
                if (minute < 0) {
                    return failBool("expected minutes at position " + pos);
                }
                if (pos < s.length() && s.charAt(pos) == ':') {
                    pos++;
                    second = oneOrTwoDigits();
                    if (second < 0) {
                        return failBool("expected seconds at position " + pos);
                    }
                }
                return true;
            }
            if (pos < s.length() && "/-.".indexOf(s.charAt(pos)) >= 0 && day < 0 && month < 0) {
                char separator = s.charAt(pos);
                day = v;
                pos++;
                month = oneOrTwoDigits();
                if (month < 0) {
                    return failBool("expected a month number after '" + separator + "' at position " + pos);
                }
                if (month > 12 && day <= 12) { // month first (11/21/2026), as current ClickHouse reads it
                    int m = day;
                    day = month;
                    month = m;
                }
                if (pos < s.length() && s.charAt(pos) == separator) {
                    pos++;
                    int start = pos;
                    int count = digitRun();
                    if (count == 4) {
                        year = value(start, 4);
                    } else if (count == 2) {
                        int yy = value(start, 2);
                        year = yy >= 70 ? 1900 + yy : 2000 + yy;
                    } else {
                        return failBool("expected a year of 2 or 4 digits at position " + start);
                    }
                }
                return true;
            }
            if (pos < s.length() && "/-.".indexOf(s.charAt(pos)) >= 0) {
                return failBool("unexpected '" + s.charAt(pos) + "' after a day or hour at position " + pos);
            }
            if (day < 0) {
                day = v;
            } else if (hour < 0) {
                hour = v;
            } else {
                return failBool("unexpected number " + v + " at position " + (pos - 1));
            }
            return true;
        }

        private void fraction() {
            int start = pos;
            int count = digitRun();
            hasFraction = true;
            int value = 0;
            for (int i = 0; i < 9; i++) {
                value = value * 10 + (i < count ? s.charAt(start + i) - '0' : 0);
            }
            nanos = value;
        }

        /** {@code +hh}, {@code +hhmm}, {@code +hmm}, {@code +h}, {@code +hh:mm}, {@code +h:m}; after a time only. */
        private boolean offset() {
            if (hour < 0) {
                return failBool("no time before the offset at position " + pos);
            }
            int sign = s.charAt(pos) == '-' ? -1 : 1;
            pos++;
            int start = pos;
            int count = digitRun();
            int h;
            int m = 0;
            if (count == 4 || count == 3) {
                h = value(start, count - 2);
                m = value(start + count - 2, 2);
            } else if (count == 1 || count == 2) {
                h = value(start, count);
                if (pos < s.length() && s.charAt(pos) == ':') {
                    pos++;
                    m = oneOrTwoDigits();
                    if (m < 0) {
                        return failBool("expected offset minutes at position " + pos);
                    }
                }
            } else {
                return failBool("unexpected number of digits (" + count + ") in the offset at position " + start);
            }
            String shown = String.format(Locale.ROOT, "%c%02d:%02d", sign < 0 ? '-' : '+', h, m);
            if (h > 18 || m > 59 || h == 18 && m > 0) {
                return failBool("offset " + shown + " is out of range [-18:00, +18:00]");
            }
            return setOffset(sign * (h * 3600 + m * 60));
        }

        private boolean setOffset(int seconds) {
            if (offsetSeconds != null) {
                return failBool("a second offset or time zone at position " + (pos - 1));
            }
            offsetSeconds = seconds;
            return true;
        }

        private boolean word() {
            int start = pos;
            while (pos < s.length() && isLetter(s.charAt(pos))) {
                pos++;
            }
            String w = s.substring(start, pos);
            String lower = w.toLowerCase(Locale.ROOT);
            if (lower.equals("am") || lower.equals("pm")) {
                if (hour < 0 || meridiem != 0) {
                    return failBool("unexpected " + w + " at position " + start);
                }
                meridiem = lower.equals("am") ? 1 : 2;
                return true;
            }
            switch (lower) {
                case "utc":
                case "gmt": return setOffset(0);
                case "msk": return setOffset(3 * 3600);
                case "msd": return setOffset(4 * 3600);
                default:
            }
            int m = nameIndex(MONTHS, lower);
            if (m >= 0) {
                if (month >= 0) {
                    return failBool("a second month at position " + start);
                }
                month = m + 1;
                return true;
            }
            if (nameIndex(WEEKDAYS, lower) >= 0 && year < 0 && day < 0 && month < 0) {
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                }
                return true;
            }
            return failBool("unexpected word '" + w + "' at position " + start);
        }

        /** Checks that the fields make one date-time; applies AM/PM. */
        private boolean complete() {
            if (epochSeconds != null) {
                return true;
            }
            if (year < 0 && month < 0 && day < 0) {
                return failBool("no date");
            }
            if (year < 0) {
                return failBool("no year");
            }
            if (month < 0) {
                if (day >= 0) {
                    return failBool("no month");
                }
                month = 1; // a year alone is its first day, as both 18.16 and current servers read it
            }
            if (day < 0) {
                day = 1;
            }
            if (month < 1 || month > 12) {
                return failBool("month " + month + " is out of range [1, 12]");
            }
            int length = java.time.YearMonth.of(year, month).lengthOfMonth();
            if (day < 1 || day > length) {
                return failBool(String.format(Locale.ROOT, "day %d is out of range for %04d-%02d [1, %d]", day, year,
                        month, length));
            }
            if (meridiem != 0) {
                if (hour < 1 || hour > 12) {
                    return failBool("hour " + hour + " with " + (meridiem == 1 ? "AM" : "PM") + " (expected 1..12)");
                }
                hour = hour % 12 + (meridiem == 2 ? 12 : 0);
            }
            if (hour > 23) {
                return failBool("hour " + hour + " is out of range [0, 23]");
            }
            if (minute > 59) {
                return failBool("minute " + minute + " is out of range [0, 59]");
            }
            if (second > 59) {
                return failBool("second " + second + " is out of range [0, 59]");
            }
            return true;
        }

        private int digitRun() {
            int start = pos;
            while (pos < s.length() && isDigit(s.charAt(pos))) {
                pos++;
            }
            return pos - start;
        }

        /** Reads one or two digits (not more), or returns -1 having read nothing. */
        private int oneOrTwoDigits() {
            int start = pos;
            int count = digitRun();
            if (count < 1 || count > 2) {
                pos = start;
                return -1;
            }
            return value(start, count);
        }

        private int value(int from, int count) {
            int v = 0;
            for (int i = from; i < from + count; i++) {
                v = v * 10 + (s.charAt(i) - '0');
            }
            return v;
        }

        private static int nameIndex(String[] names, String lower) {
            for (int i = 0; i < names.length; i++) {
                if (lower.equals(names[i]) || lower.length() == 3 && names[i].startsWith(lower)) {
                    return i;
                }
            }
            return -1;
        }

        private boolean failAt(int at, String reason) {
            return failBool(reason + " at position " + at);
        }

        private boolean failBool(String reason) {
            if (error == null) {
                error = reason;
            }
            return false;
        }

        private Instant fail(String reason) {
            failBool(reason);
            return null;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    /** What {@link #fixedWidthEpochSecond} returns for text outside the fixed-width form. */
    public static final long NOT_FIXED_WIDTH = Long.MIN_VALUE;

    /**
     * Reads {@code yyyy-MM-dd[T ]HH:mm:ss[.f{1,9}](Z|z|+HH:MM|-HH:MM|)} with every field in range, or returns
     * {@code null} to leave the text to the general path. Without an offset, only fixed-offset zones (UTC is the
     * common one) are handled here.
     */
    static Instant parseFixedWidth(CharSequence s, ZoneId zone) {
        long seconds = fixedWidthEpochSecond(s, zone);
        return seconds == NOT_FIXED_WIDTH ? null : Instant.ofEpochSecond(seconds, fixedWidthNanos(s));
    }

    /**
     * The fast path of {@link #parse} without an {@code Instant} (so without allocating, for a per-row caller that
     * may pass a view of its input): the epoch second of the fixed-width form that {@link #parseFixedWidth} reads,
     * or {@link #NOT_FIXED_WIDTH} for any other text, which the caller leaves to {@link #parse}. The fraction of the
     * second is {@link #fixedWidthNanos}.
     *
     * @param s    the text
     * @param zone zone for text without an offset
     */
    public static long fixedWidthEpochSecond(CharSequence s, ZoneId zone) {
        return fixedWidthEpochSecond(s, zone, null);
    }

    /**
     * {@link #fixedWidthEpochSecond(CharSequence, ZoneId)}, reading the date through {@code lastDay} when the text
     * starts with the same ten characters {@code yyyy-MM-dd} as the last date it read: consecutive timestamps of a
     * topic mostly fall on one day, and then only the time of day is parsed.
     *
     * @param lastDay the last date read, updated here; or null
     */
    static long fixedWidthEpochSecond(CharSequence s, ZoneId zone, LastDay lastDay) {
        int n = s.length();
        if (n < 19 || (s.charAt(10) != 'T' && s.charAt(10) != ' ') || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return NOT_FIXED_WIDTH;
        }
        long epochDay;
        if (lastDay != null && lastDay.matches(s)) {
            epochDay = lastDay.epochDay;
        } else {
            epochDay = fixedWidthEpochDay(s);
            if (epochDay == NOT_FIXED_WIDTH) {
                return NOT_FIXED_WIDTH;
            }
            if (lastDay != null) {
                lastDay.remember(s, epochDay);
            }
        }
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return NOT_FIXED_WIDTH;
        }
        int i = 19;
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i == start || i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                return NOT_FIXED_WIDTH;
            }
        }
        int offsetSeconds;
        if (i == n) {
            if (!(zone instanceof ZoneOffset)) {
                return NOT_FIXED_WIDTH;
            }
            offsetSeconds = ((ZoneOffset) zone).getTotalSeconds();
        } else if (i == n - 1 && (s.charAt(i) == 'Z' || s.charAt(i) == 'z')) {
            offsetSeconds = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if (oh < 0 || oh > 17 || om < 0 || om > 59) {
                return NOT_FIXED_WIDTH;
            }
            offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            return NOT_FIXED_WIDTH;
        }
        return epochDay * 86_400L + hour * 3600 + minute * 60 + second - offsetSeconds;
    }

    /** The epoch day of {@code yyyy-MM-dd} at the start of {@code s} (at least 10 characters), or NOT_FIXED_WIDTH. */
    private static long fixedWidthEpochDay(CharSequence s) {
        if (s.charAt(4) != '-' || s.charAt(7) != '-') {
            return NOT_FIXED_WIDTH;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > monthLength(year, month)) {
            return NOT_FIXED_WIDTH;
        }
        return LocalDate.of(year, month, day).toEpochDay();
    }

    /**
     * The last date {@link #fixedWidthEpochSecond(CharSequence, ZoneId, LastDay)} read: its ten characters and
     * epoch day. Not thread-safe: one per encoder.
     */
    static final class LastDay {
        private final char[] text = new char[10];
        private boolean set;
        private long epochDay;

        /** True if {@code s} (at least 10 characters) starts with the remembered date. */
        boolean matches(CharSequence s) {
            if (!set) {
                return false;
            }
            for (int i = 9; i >= 0; i--) { // the day changes most often, so compare it first
                if (s.charAt(i) != text[i]) {
                    return false;
                }
            }
            return true;
        }

        void remember(CharSequence s, long day) {
            for (int i = 0; i < 10; i++) {
                text[i] = s.charAt(i);
            }
            epochDay = day;
            set = true;
        }
    }

    /**
     * Returns the nanoseconds of the fraction of text that {@link #fixedWidthEpochSecond} accepted (0 without a
     * fraction).
     */
    public static int fixedWidthNanos(CharSequence s) {
        int n = s.length();
        int nanos = 0;
        int digits = 0;
        if (n > 19 && s.charAt(19) == '.') {
            for (int i = 20; i < n && digits < 9 && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++, digits++) {
                nanos = nanos * 10 + (s.charAt(i) - '0');
            }
        }
        for (; digits < 9; digits++) {
            nanos *= 10;
        }
        return nanos;
    }

    private static int digits(CharSequence s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static int monthLength(int year, int month) {
        return java.time.YearMonth.of(year, month).lengthOfMonth();
    }
}

package io.sluice.core;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses human durations used in CLI options and configs: a non-negative integer followed by {@code ms}, {@code s},
 * {@code m} or {@code h} (for example {@code 100ms}, {@code 60s}, {@code 5m}), or an ISO-8601 duration such as
 * {@code PT1M}.
 */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private Durations() {
    }

    /**
     * Parses a duration.
     *
     * @param text for example {@code 250ms}, {@code 60s}, {@code 2m}, {@code 1h} or {@code PT30S}
     * @return the duration
     * @throws IllegalArgumentException if the text is neither form, with a message giving examples
     */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.trim();
        Matcher m = SHORT.matcher(s);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        try {
            Duration d = Duration.parse(s);
            if (!d.isNegative()) {
                return d;
            }
        } catch (RuntimeException ignored) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("invalid duration '" + text + "': use e.g. 500ms, 30s, 5m, 1h or PT30S");
    }
}

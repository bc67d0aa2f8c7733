package io.sluice.core;

/**
 * A payload that is not a valid {@link Reading}: malformed JSON, a missing field, a wrong type or an out-of-range
 * value. The message names the field and the offending value so callers can log or dead-letter it as is.
 */
public final class InvalidReadingException extends Exception {

    private final String field;

    /**
     * @param field   JSON field at fault, or {@code null} when the payload as a whole is unreadable
     * @param message what is wrong, including the offending value where there is one
     */
    public InvalidReadingException(String field, String message) {
        super(field == null ? message : field + ": " + message);
        this.field = field;
    }

    /** Returns the JSON field at fault, or {@code null} when the payload as a whole is unreadable. */
    public String field() {
        return field;
    }
}

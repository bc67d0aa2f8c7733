package io.sluice.producer;

import java.io.IOException;

/**
 * A replay file that cannot be read as readings: a missing column, a malformed line, a value that is not a number
 * or a timestamp that is not ISO-8601. The message names the file, the 1-based line number and the offending value.
 */
public final class ReplayFormatException extends IOException {

    private final String source;
    private final long line;

    /**
     * @param source  name of the file or resource
     * @param line    1-based line number, or 0 when the problem concerns the file as a whole
     * @param message what is wrong, including the offending value where there is one
     */
    public ReplayFormatException(String source, long line, String message) {
        super(source + (line > 0 ? " line " + line : "") + ": " + message);
        this.source = source;
        this.line = line;
    }

    /** Returns the name of the file or resource at fault. */
    public String source() {
        return source;
    }

    /** Returns the 1-based line number at fault, or 0 when the problem concerns the file as a whole. */
    public long line() {
        return line;
    }
}

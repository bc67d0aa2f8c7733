package io.sluice.sink.clickhouse.http;

/**
 * A ClickHouse server version as returned by {@code SELECT version()}, for example {@code 18.16.1} or
 * {@code 25.8.1.5101}. Used to turn on features only where the server has them. Immutable.
 */
public final class ServerVersion {

    private final int major;
    private final int minor;
    private final String text;

    private ServerVersion(int major, int minor, String text) {
        this.major = major;
        this.minor = minor;
        this.text = text;
    }

    /**
     * Parses a version string.
     *
     * @throws IllegalArgumentException if it does not start with {@code major.minor}
     */
    public static ServerVersion parse(String text) {
        String[] p = text.trim().split("\\.");
        try {
            return new ServerVersion(Integer.parseInt(p[0]), Integer.parseInt(p[1]), text.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a ClickHouse version: '" + text + "'");
        }
    }

    /** Returns true if this version is {@code major.minor} or later. */
    public boolean atLeast(int major, int minor) {
        return this.major > major || (this.major == major && this.minor >= minor);
    }

    /** Returns true if the server accepts {@code Bool} columns (21.12+); older servers use UInt8. */
    public boolean hasBool() {
        return atLeast(21, 12);
    }

    /** Returns true if the server has DateTime64 (20.1+). */
    public boolean hasDateTime64() {
        return atLeast(20, 1);
    }

    @Override
    public String toString() {
        return text;
    }
}

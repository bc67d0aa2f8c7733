package io.sluice.sink.clickhouse.http;

import java.util.Locale;

/** How insert bodies travel to ClickHouse ({@code clickhouse.compression}). */
public enum BodyCompression {
    /** Plain RowBinary. */
    NONE,
    /** {@code Content-Encoding: gzip} at level 1; every server version decodes it. */
    GZIP,
    /** ClickHouse's own compressed blocks with LZ4 ({@code decompress=1}, {@link ClickHouseLz4}). */
    LZ4;

    /**
     * Returns the value for a config text.
     *
     * @param name {@code none}, {@code gzip} or {@code lz4}, any case
     * @throws IllegalArgumentException for any other text
     */
    public static BodyCompression of(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    /** Returns the config text of this value. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package io.sluice.sink.clickhouse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The connector's version, from the build. */
final class Versions {

    private static final String VERSION = load();

    private Versions() {
    }

    static String version() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Versions.class.getResourceAsStream("/sluice-sink-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}

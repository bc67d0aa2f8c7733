package io.sluice.producer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo dataset: real recorded weather data shipped inside this module, from the npm package
 * {@code vega-datasets@3.2.1} (NOAA data, a U.S. Government work; see {@code NOTICE.md} next to the files).
 *
 * <p>The demo replays two files, each becoming devices from a base id (default {@link #DEFAULT_FIRST_DEVICE_ID}):
 * <ul>
 *   <li>{@link DemoFile#SEATTLE_HOURLY_NORMALS}: 8,759 hourly temperature normals for Seattle (degrees Celsius), one
 *       device, {@code base + 0}. The file's {@code date} column is the nominal year 2010 of the 1981-2010 normals,
 *       local standard time, from {@code 2010-01-01T01:00:00} to {@code 2010-12-31T23:00:00} (the midnight hour of
 *       1 January is not in the file, so it has 8,759 rows, not 8,760). Sluice reads it at the fixed offset
 *       {@code -08:00} (Pacific Standard Time, no daylight saving), so the first reading is
 *       {@code 2010-01-01T09:00:00Z}.</li>
 *   <li>{@link DemoFile#WEATHER_DAILY}: 2,922 daily readings 2012-01-01..2015-12-31, whose {@code temp_max} (the
 *       day's maximum, degrees Celsius) is the temperature; {@code Seattle} is device {@code base + 1} and
 *       {@code New York} is {@code base + 2}, 1,461 rows each. The date is read as midnight UTC.</li>
 * </ul>
 * Temperatures are emitted exactly as written in the files (one decimal).
 */
public final class Datasets {

    /** The name that selects the demo dataset where a replay file is expected ({@code --replay demo}). */
    public static final String DEMO = "demo";
    /** Default id of the first demo device, apart from the simulator's default ids (1..). */
    public static final int DEFAULT_FIRST_DEVICE_ID = ReplaySpec.DEFAULT_FIRST_DEVICE_ID;

    private static final String RESOURCE_DIR = "/io/sluice/producer/datasets/";

    private Datasets() {
    }

    /** The files of the demo dataset, with what Sluice knows about their columns. */
    public enum DemoFile {
        /** {@code seattle-weather-hourly-normals.csv}: columns {@code date,pressure,temperature,wind}. */
        SEATTLE_HOURLY_NORMALS("seattle-weather-hourly-normals.csv", "date", "temperature", null,
                ZoneOffset.ofHours(-8), 0, 8_759),
        /** {@code weather.csv}: columns {@code location,date,precipitation,temp_max,temp_min,wind,weather}. */
        WEATHER_DAILY("weather.csv", "date", "temp_max", "location", ZoneOffset.UTC, 1, 2_922);

        private final String fileName;
        private final String timeColumn;
        private final String valueColumn;
        private final String seriesColumn;
        private final ZoneId zone;
        private final int deviceOffset;
        private final int rows;

        DemoFile(String fileName, String timeColumn, String valueColumn, String seriesColumn, ZoneId zone,
                 int deviceOffset, int rows) {
            this.fileName = fileName;
            this.timeColumn = timeColumn;
            this.valueColumn = valueColumn;
            this.seriesColumn = seriesColumn;
            this.zone = zone;
            this.deviceOffset = deviceOffset;
            this.rows = rows;
        }

        /** Returns the file name as in the npm package's {@code data/} folder. */
        public String fileName() {
            return fileName;
        }

        /** Returns the classpath resource path of the file. */
        public String resource() {
            return RESOURCE_DIR + fileName;
        }

        /** Returns the number of data rows in the file (the header excluded). */
        public int rows() {
            return rows;
        }

        /**
         * Returns how to read this file, with its first device at {@code firstDemoDeviceId} plus this file's offset
         * in the demo (0 for the hourly normals, 1 for the daily file).
         *
         * @param firstDemoDeviceId base device id of the demo, 0 or more
         * @return the spec
         */
        public ReplaySpec spec(int firstDemoDeviceId) {
            return new ReplaySpec(ReplaySpec.Format.CSV, timeColumn, valueColumn, seriesColumn, zone,
                    firstDemoDeviceId + deviceOffset);
        }

        /**
         * Opens the file from the classpath.
         *
         * @return the UTF-8 bytes; the caller closes the stream
         * @throws IllegalStateException if the resource is missing from the classpath (a broken build)
         */
        public InputStream openStream() {
            InputStream in = Datasets.class.getResourceAsStream(resource());
            if (in == null) {
                throw new IllegalStateException("demo dataset resource " + resource() + " is missing from the classpath");
            }
            return in;
        }
    }

    /**
     * Opens every demo file as a replay source, in {@link DemoFile} order.
     *
     * @param firstDeviceId base device id (the hourly normals get it, the daily file the next two)
     * @param pace          replay speed
     * @return one source per file
     * @throws UncheckedIOException if a shipped file cannot be read, which means a broken build
     */
    public static List<ReplaySource> openDemo(int firstDeviceId, Pace pace) {
        List<ReplaySource> sources = new ArrayList<>();
        for (DemoFile f : DemoFile.values()) {
            sources.add(open(f, firstDeviceId, pace));
        }
        return sources;
    }

    /**
     * Opens one demo file as a replay source.
     *
     * @param file          which file
     * @param firstDeviceId base device id of the demo (see {@link DemoFile#spec(int)})
     * @param pace          replay speed
     * @return the source
     * @throws UncheckedIOException if the shipped file cannot be read, which means a broken build
     */
    public static ReplaySource open(DemoFile file, int firstDeviceId, Pace pace) {
        try (InputStream in = file.openStream()) {
            return ReplaySource.read(new InputStreamReader(in, StandardCharsets.UTF_8), file.fileName(),
                    file.spec(firstDeviceId), pace);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read demo dataset " + file.fileName(), e);
        }
    }

    /**
     * Copies a demo file to a directory, for tools that want a path (for example {@code sluice produce --replay}).
     *
     * @param file which file
     * @param dir  target directory, created if missing
     * @return the written file, named as in the npm package
     * @throws IOException if the file cannot be written
     */
    public static Path extract(DemoFile file, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(file.fileName());
        try (InputStream in = file.openStream()) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /**
     * Computes the expected per-device statistics of the whole demo dataset straight from the shipped files, for
     * tests that compare what landed downstream. The files are parsed here independently of {@link ReplaySource}
     * (plain comma split, exact decimal sums), so the two check each other.
     *
     * @param firstDeviceId base device id, as passed to {@link #openDemo}
     * @return device id to stats, ordered by device id, unmodifiable
     * @throws UncheckedIOException if a shipped file cannot be read, which means a broken build
     */
    public static Map<Integer, DeviceStats> expectedStats(int firstDeviceId) {
        Map<Integer, DeviceStats> all = new TreeMap<>();
        for (DemoFile f : DemoFile.values()) {
            all.putAll(expectedStats(f, firstDeviceId));
        }
        return Collections.unmodifiableMap(all);
    }

    /**
     * Computes the expected per-device statistics of one demo file, as {@link #expectedStats(int)} does.
     *
     * @param file          which file
     * @param firstDeviceId base device id of the demo
     * @return device id to stats, in device id order, unmodifiable
     * @throws UncheckedIOException if the shipped file cannot be read, which means a broken build
     */
    public static Map<Integer, DeviceStats> expectedStats(DemoFile file, int firstDeviceId) {
        ReplaySpec spec = file.spec(firstDeviceId);
        Map<String, Integer> ids = new LinkedHashMap<>();
        Map<Integer, DeviceStats> out = new TreeMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(file.openStream(), StandardCharsets.UTF_8))) {
            List<String> header = Arrays.asList(r.readLine().split(","));
            int value = header.indexOf(spec.valueField());
            int series = spec.seriesField() == null ? -1 : header.indexOf(spec.seriesField());
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                String key = series < 0 ? "" : f[series];
                int id = ids.computeIfAbsent(key, k -> spec.firstDeviceId() + ids.size());
                BigDecimal v = new BigDecimal(f[value]);
                out.compute(id, (k, st) -> (st == null ? DeviceStats.empty(k) : st).plus(v));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read demo dataset " + file.fileName(), e);
        }
        return Collections.unmodifiableMap(out);
    }
}

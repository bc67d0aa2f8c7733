package io.sluice.producer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.Reading;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalLong;

/**
 * Replays recorded data (CSV or JSON lines) as readings.
 *
 * <p>The whole file is read and validated when the source is opened, so a bad line fails before anything is sent,
 * with its line number ({@link ReplayFormatException}). Rows are then ordered by timestamp (stably, so rows with equal
 * timestamps keep file order), which interleaves the series of a file sorted by station. Memory use is about 80 bytes
 * per row.
 *
 * <p>Each distinct value of the series column becomes a device, numbered from {@link ReplaySpec#firstDeviceId()} in
 * order of first appearance in the file; without a series column every row belongs to that one device. Readings keep
 * their recorded timestamps (converted to UTC) and values. Pacing follows {@link Pace}: the reading recorded
 * {@code t} after the earliest one is due {@code t / factor} after the start.
 */
public final class ReplaySource implements ReadingSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final List<Reading> rows;
    private final Map<String, Integer> deviceIds;
    private final Pace pace;
    private final Instant first;
    private int position;

    private ReplaySource(String name, List<Reading> rows, Map<String, Integer> deviceIds, Pace pace) {
        this.name = name;
        this.rows = rows;
        this.deviceIds = Collections.unmodifiableMap(deviceIds);
        this.pace = pace;
        this.first = rows.get(0).timestamp();
    }

    /**
     * Opens and reads a file.
     *
     * @param file UTF-8 CSV or JSON-lines file
     * @param spec how to read it
     * @param pace replay speed
     * @return the source, positioned at the earliest reading
     * @throws NoSuchFileException    if the file does not exist
     * @throws ReplayFormatException if a line cannot be read as a reading, a column is missing or there are no rows
     * @throws IOException            if the file cannot be read
     */
    public static ReplaySource open(Path file, ReplaySpec spec, Pace pace) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(r, file.toString(), spec, pace);
        }
    }

    /**
     * Reads recorded data from a reader, which is consumed but not closed.
     *
     * @param reader     the text
     * @param sourceName name used in errors and progress lines
     * @param spec       how to read it
     * @param pace       replay speed
     * @return the source, positioned at the earliest reading
     * @throws ReplayFormatException if a line cannot be read as a reading, a column is missing or there are no rows
     * @throws IOException            if the reader fails
     */
    public static ReplaySource read(Reader reader, String sourceName, ReplaySpec spec, Pace pace) throws IOException {
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        Map<String, Integer> devices = new LinkedHashMap<>();
        List<Reading> rows = spec.format() == ReplaySpec.Format.CSV
                ? readCsv(in, sourceName, spec, devices)
                : readJsonLines(in, sourceName, spec, devices);
        if (rows.isEmpty()) {
            throw new ReplayFormatException(sourceName, 0, "no readings in the file");
        }
        rows.sort(Comparator.comparing(Reading::timestamp));
        return new ReplaySource(sourceName, rows, devices, pace);
    }

    /**
     * Returns the device id assigned to each series, in order of first appearance. A file without a series column
     * has the single key {@code ""}.
     *
     * @return series value to device id, unmodifiable
     */
    public Map<String, Integer> deviceIds() {
        return deviceIds;
    }

    /** Returns the replay speed. */
    public Pace pace() {
        return pace;
    }

    /** Returns the recorded time between the earliest and the latest reading. */
    public Duration recordedSpan() {
        return Duration.between(first, rows.get(rows.size() - 1).timestamp());
    }

    @Override
    public boolean hasNext() {
        return position < rows.size();
    }

    @Override
    public long nextDueNanos() {
        if (!hasNext()) {
            throw new NoSuchElementException(name() + " is exhausted");
        }
        return pace.dueNanos(nanosBetween(first, rows.get(position).timestamp()));
    }

    @Override
    public Reading next() {
        if (!hasNext()) {
            throw new NoSuchElementException(name() + " is exhausted");
        }
        return rows.get(position++);
    }

    @Override
    public String name() {
        return "replay(" + name + ", " + pace + ")";
    }

    @Override
    public OptionalLong size() {
        return OptionalLong.of(rows.size());
    }

    private static long nanosBetween(Instant a, Instant b) {
        try {
            return Duration.between(a, b).toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static List<Reading> readCsv(BufferedReader in, String source, ReplaySpec spec,
                                         Map<String, Integer> devices) throws IOException {
        String headerLine = in.readLine();
        if (headerLine == null) {
            throw new ReplayFormatException(source, 0, "empty file: expected a CSV header line");
        }
        if (headerLine.startsWith("\uFEFF")) {
            headerLine = headerLine.substring(1);
        }
        List<String> header = splitCsv(headerLine, source, 1);
        int timeCol = column(header, spec.timeField(), source);
        int valueCol = column(header, spec.valueField(), source);
        int seriesCol = spec.seriesField() == null ? -1 : column(header, spec.seriesField(), source);
        List<Reading> rows = new ArrayList<>();
        String line;
        long lineNo = 1;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            List<String> f = splitCsv(line, source, lineNo);
            if (f.size() != header.size()) {
                throw new ReplayFormatException(source, lineNo, "expected " + header.size() + " fields as in the header, got "
                        + f.size() + ": '" + line + "'");
            }
            Instant ts = parseTime(f.get(timeCol).trim(), spec, source, lineNo);
            double value = parseValue(f.get(valueCol).trim(), spec.valueField(), source, lineNo);
            String series = seriesCol < 0 ? "" : f.get(seriesCol).trim();
            rows.add(new Reading(deviceFor(series, spec, devices, source, lineNo), ts, value));
        }
        return rows;
    }

    private static List<Reading> readJsonLines(BufferedReader in, String source, ReplaySpec spec,
                                               Map<String, Integer> devices) throws IOException {
        List<Reading> rows = new ArrayList<>();
        String line;
        long lineNo = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new ReplayFormatException(source, lineNo, "malformed JSON: " + e.getOriginalMessage());
            }
            if (node == null || !node.isObject()) {
                throw new ReplayFormatException(source, lineNo, "expected a JSON object, got '" + line + "'");
            }
            JsonNode t = field(node, spec.timeField(), source, lineNo);
            Instant ts = t.isIntegralNumber() ? Instant.ofEpochMilli(t.asLong())
                    : t.isTextual() ? parseTime(t.asText().trim(), spec, source, lineNo)
                    : fail(source, lineNo, "field '" + spec.timeField() + "': expected an ISO-8601 string or epoch milliseconds, got " + t);
            JsonNode v = field(node, spec.valueField(), source, lineNo);
            double value = v.isNumber() ? v.asDouble()
                    : v.isTextual() ? parseValue(v.asText().trim(), spec.valueField(), source, lineNo)
                    : fail(source, lineNo, "field '" + spec.valueField() + "': expected a number, got " + v);
            if (!Double.isFinite(value)) {
                throw new ReplayFormatException(source, lineNo, "field '" + spec.valueField() + "': not a finite number: " + v);
            }
            String series = "";
            if (spec.seriesField() != null) {
                JsonNode s = field(node, spec.seriesField(), source, lineNo);
                if (!s.isValueNode() || s.isNull()) {
                    throw new ReplayFormatException(source, lineNo, "field '" + spec.seriesField() + "': expected a string or number, got " + s);
                }
                series = s.asText().trim();
            }
            rows.add(new Reading(deviceFor(series, spec, devices, source, lineNo), ts, value));
        }
        return rows;
    }

    private static JsonNode field(JsonNode node, String name, String source, long line) throws ReplayFormatException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw new ReplayFormatException(source, line, "field '" + name + "' is missing or null");
        }
        return v;
    }

    private static <T> T fail(String source, long line, String message) throws ReplayFormatException {
        throw new ReplayFormatException(source, line, message);
    }

    private static int deviceFor(String series, ReplaySpec spec, Map<String, Integer> devices, String source, long line)
            throws ReplayFormatException {
        Integer id = devices.get(series);
        if (id == null) {
            long next = (long) spec.firstDeviceId() + devices.size();
            if (next > Integer.MAX_VALUE) {
                throw new ReplayFormatException(source, line, "too many series for device ids from " + spec.firstDeviceId());
            }
            id = (int) next;
            devices.put(series, id);
        }
        return id;
    }

    private static int column(List<String> header, String name, String source) throws ReplayFormatException {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).trim().equals(name)) {
                return i;
            }
        }
        throw new ReplayFormatException(source, 1, "no column '" + name + "' in header " + header);
    }

    private static double parseValue(String text, String field, String source, long line) throws ReplayFormatException {
        try {
            double d = Double.parseDouble(text);
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ReplayFormatException(source, line, "column '" + field + "': not a finite number: '" + text + "'");
    }

    /**
     * Parses a recorded timestamp in the forms described by {@link ReplaySpec}.
     *
     * @param text the timestamp text, trimmed
     * @param zone zone for timestamps without an offset
     * @return the instant
     * @throws DateTimeException if the text is none of the accepted forms
     */
    static Instant parseTimestamp(String text, ZoneId zone) {
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
            return Instant.ofEpochMilli(Long.parseLong(text));
        }
        if (text.length() == 10) {
            return LocalDate.parse(text).atStartOfDay(zone).toInstant();
        }
        String iso = text.length() > 10 && text.charAt(10) == ' ' ? text.substring(0, 10) + 'T' + text.substring(11) : text;
        var parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(iso, OffsetDateTime::from, LocalDateTime::from);
        return parsed instanceof OffsetDateTime o ? o.toInstant() : ((LocalDateTime) parsed).atZone(zone).toInstant();
    }

    private static Instant parseTime(String text, ReplaySpec spec, String source, long line) throws ReplayFormatException {
        try {
            return parseTimestamp(text, spec.zone());
        } catch (DateTimeException | NumberFormatException e) {
            throw new ReplayFormatException(source, line, "column '" + spec.timeField()
                    + "': not an ISO-8601 timestamp, date or epoch milliseconds: '" + text + "'");
        }
    }

    /** Splits one CSV line; fields may be double-quoted, with {@code ""} for a quote inside. */
    static List<String> splitCsv(String line, String source, long lineNo) throws ReplayFormatException {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (true) {
            field.setLength(0);
            if (i < n && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new ReplayFormatException(source, lineNo, "unterminated quoted field: '" + line + "'");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                if (i < n && line.charAt(i) != ',') {
                    throw new ReplayFormatException(source, lineNo, "unexpected text after a quoted field: '" + line + "'");
                }
            } else {
                while (i < n && line.charAt(i) != ',') {
                    field.append(line.charAt(i++));
                }
            }
            out.add(field.toString());
            if (i >= n) {
                return out;
            }
            i++; // skip the comma
        }
    }
}

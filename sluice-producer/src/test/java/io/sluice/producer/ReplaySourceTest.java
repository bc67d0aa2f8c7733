package io.sluice.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.Reading;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplaySourceTest {

    private static final ReplaySpec CSV = ReplaySpec.of(ReplaySpec.Format.CSV, "time", "temp").withFirstDeviceId(10);
    private static final ReplaySpec JSONL = ReplaySpec.of(ReplaySpec.Format.JSONL, "ts", "t").withFirstDeviceId(10);

    private static List<Reading> read(String text, ReplaySpec spec) throws IOException {
        ReplaySource s = ReplaySource.read(new StringReader(text), "test.txt", spec, Pace.FAST);
        List<Reading> out = new ArrayList<>();
        while (s.hasNext()) {
            out.add(s.next());
        }
        return out;
    }

    @Test
    void csvWithQuotesSeriesAndTimestampForms() throws IOException {
        String csv = "station,time,\"temp\",note\n"
                + "\"North, Hill\",2024-03-01T10:00:00Z,1.5,\"said \"\"hi\"\"\"\n"
                + "South,2024-03-01 09:00:00,-2,\n"
                + "\n"
                + "\"North, Hill\",2024-03-01,3.25,x\n"
                + "South,1709290800000,4,y\n";
        List<Reading> rs = read(csv, CSV.withSeriesField("station").withZone(ZoneOffset.ofHours(1)));
        assertThat(rs).containsExactly(
                new Reading(10, Instant.parse("2024-02-29T23:00:00Z"), 3.25),
                new Reading(11, Instant.parse("2024-03-01T08:00:00Z"), -2.0),
                new Reading(10, Instant.parse("2024-03-01T10:00:00Z"), 1.5),
                new Reading(11, Instant.parse("2024-03-01T11:00:00Z"), 4.0));
    }

    @Test
    void csvRowsAreOrderedByTimeStably() throws IOException {
        String csv = "time,temp\n2024-01-01T00:00:02Z,2\n2024-01-01T00:00:01Z,1\n2024-01-01T00:00:01Z,1.5\n";
        ReplaySource s = ReplaySource.read(new StringReader(csv), "t.csv", CSV, Pace.RECORDED);
        assertThat(s.nextDueNanos()).isZero();
        assertThat(s.next().temperature()).isEqualTo(1.0);
        assertThat(s.nextDueNanos()).isZero();
        assertThat(s.next().temperature()).isEqualTo(1.5);
        assertThat(s.nextDueNanos()).isEqualTo(1_000_000_000L);
        assertThat(s.next().temperature()).isEqualTo(2.0);
        assertThat(s.hasNext()).isFalse();
        assertThat(s.deviceIds()).containsOnlyKeys("");
    }

    @Test
    void badCsvLinesAreReportedWithTheirLineNumber() {
        assertError("time,temp\n2024-01-01T00:00:00Z,1\n2024-01-01T00:00:01Z,warm\n", CSV, 3, "not a finite number: 'warm'");
        assertError("time,temp\n2024-01-01T00:00:00Z,1,9\n", CSV, 2, "expected 2 fields");
        assertError("time,temp\nyesterday,1\n", CSV, 2, "not an ISO-8601 timestamp");
        assertError("time,temp\n\"2024-01-01T00:00:00Z,1\n", CSV, 2, "unterminated quoted field");
        assertError("when,temp\n2024-01-01T00:00:00Z,1\n", CSV, 1, "no column 'time'");
        assertError("time,temp\n2024-01-01T00:00:00Z,NaN\n", CSV, 2, "not a finite number");
        assertError("", CSV, 0, "empty file");
        assertError("time,temp\n\n", CSV, 0, "no readings");
    }

    @Test
    void jsonLinesWithSeriesAndTimestampForms() throws IOException {
        String jsonl = """
                {"ts": "2024-03-01T10:00:00+02:00", "t": 21.5, "dev": "a"}
                {"ts": 1709290800000, "t": "22", "dev": 7, "extra": [1]}

                {"ts": "2024-03-01T10:00:00", "t": 23, "dev": "a"}
                """;
        List<Reading> rs = read(jsonl, JSONL.withSeriesField("dev"));
        assertThat(rs).containsExactly(
                new Reading(10, Instant.parse("2024-03-01T08:00:00Z"), 21.5),
                new Reading(10, Instant.parse("2024-03-01T10:00:00Z"), 23.0),
                new Reading(11, Instant.parse("2024-03-01T11:00:00Z"), 22.0));
    }

    @Test
    void badJsonLinesAreReportedWithTheirLineNumber() {
        String ok = "{\"ts\":\"2024-01-01T00:00:00Z\",\"t\":1}\n";
        assertError(ok + "{\"ts\":\"2024-01-01T00:00:00Z\",\"t\":\n", JSONL, 2, "malformed JSON");
        assertError(ok + ok + "[1,2]\n", JSONL, 3, "expected a JSON object");
        assertError(ok + "{\"t\":1}\n", JSONL, 2, "field 'ts' is missing");
        assertError(ok + "{\"ts\":true,\"t\":1}\n", JSONL, 2, "expected an ISO-8601 string or epoch milliseconds");
        assertError(ok + "{\"ts\":\"2024-01-01T00:00:00Z\",\"t\":{}}\n", JSONL, 2, "expected a number");
        assertError(ok + "{\"ts\":\"2024-01-01T00:00:00Z\",\"t\":1}\n", JSONL.withSeriesField("dev"), 1, "field 'dev' is missing");
    }

    private static void assertError(String text, ReplaySpec spec, long line, String message) {
        assertThatThrownBy(() -> read(text, spec))
                .isInstanceOfSatisfying(ReplayFormatException.class, e -> {
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.source()).isEqualTo("test.txt");
                })
                .hasMessageStartingWith(line > 0 ? "test.txt line " + line + ": " : "test.txt: ")
                .hasMessageContaining(message);
    }

    @Test
    void formatIsGuessedFromTheExtension() {
        assertThat(ReplaySpec.Format.of(java.nio.file.Path.of("a/b.JSONL"))).isEqualTo(ReplaySpec.Format.JSONL);
        assertThat(ReplaySpec.Format.of(java.nio.file.Path.of("x.ndjson"))).isEqualTo(ReplaySpec.Format.JSONL);
        assertThat(ReplaySpec.Format.of(java.nio.file.Path.of("x.csv"))).isEqualTo(ReplaySpec.Format.CSV);
    }
}

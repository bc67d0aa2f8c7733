package io.sluice.sink.clickhouse.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ColumnNamesTest {

    @Test
    void escapedLengthFollowsClickHousesEscapeForFileName() {
        assertThat(ColumnNames.escapedLength("abc_XYZ_09")).isEqualTo(10);
        assertThat(ColumnNames.escapedLength("a.b")).isEqualTo(5); // a%2Eb
        assertThat(ColumnNames.escapedLength("\u00e9")).isEqualTo(6); // two UTF-8 bytes, %C3%A9
    }

    @Test
    void refusesEmptyAndOverlongNamesOnly() {
        assertThat(ColumnNames.refusal("")).contains("empty");
        assertThat(ColumnNames.refusal("a".repeat(200))).isNull();
        assertThat(ColumnNames.refusal("a".repeat(201))).contains("201-byte");
        assertThat(ColumnNames.refusal(".".repeat(67))).contains("201-byte"); // 67 escaped bytes of 3
        assertThat(ColumnNames.refusal("x y.z/ü")).isNull();
    }
}

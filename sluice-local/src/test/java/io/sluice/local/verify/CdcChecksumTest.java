package io.sluice.local.verify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The canonical forms both sides of a CDC comparison are rendered in. */
class CdcChecksumTest {

    @Test
    void decimalsAndIntegersLoseOnlyTrailingZeros() {
        assertThat(CdcChecksum.canonical("12.50", "decimal", "Decimal(10, 2)")).isEqualTo("12.5");
        assertThat(CdcChecksum.canonical("12.5", "decimal", "Decimal(10, 2)")).isEqualTo("12.5");
        assertThat(CdcChecksum.canonical("0.00", "decimal", "Decimal(10, 2)")).isEqualTo("0");
        assertThat(CdcChecksum.canonical("100", "int", "Int32")).isEqualTo("100");
        assertThat(CdcChecksum.canonical("18446744073709551615", "bigint", "UInt64")).isEqualTo("18446744073709551615");
        assertThat(CdcChecksum.canonical("12.51", "decimal", "Decimal(10, 2)")).isNotEqualTo("12.5");
    }

    @Test
    void doublesCompareAsBinaryValues() {
        assertThat(CdcChecksum.canonical("1e20", "double", "Float64"))
                .isEqualTo(CdcChecksum.canonical("100000000000000000000", "double", "Float64"));
        assertThat(CdcChecksum.canonical("0.1", "double", "Float64"))
                .isNotEqualTo(CdcChecksum.canonical("0.10000000000000002", "double", "Float64"));
    }

    @Test
    void dateTimesAreTruncatedToWhatTheClickHouseColumnKeeps() {
        assertThat(CdcChecksum.canonical("2026-11-21 07:00:01.999999", "datetime", "DateTime('UTC')"))
                .isEqualTo("2026-11-21 07:00:01");
        assertThat(CdcChecksum.canonical("2026-11-21 07:00:01.999999", "datetime", "Nullable(DateTime64(3, 'UTC'))"))
                .isEqualTo("2026-11-21 07:00:01.999");
        assertThat(CdcChecksum.canonical("2026-11-21 07:00:01.5", "datetime", "DateTime64(6, 'UTC')"))
                .isEqualTo("2026-11-21 07:00:01.500000");
        assertThat(CdcChecksum.canonical("2026-11-21 07:00:01", "datetime", "DateTime('UTC')"))
                .isNotEqualTo(CdcChecksum.canonical("2026-11-21 07:00:02", "datetime", "DateTime('UTC')"));
    }

    @Test
    void textIsComparedAsHexAndNullIsDistinctFromEmpty() {
        assertThat(CdcChecksum.canonical("c3a9", "varchar", "String")).isEqualTo("C3A9");
        assertThat(CdcChecksum.canonical(null, "varchar", "Nullable(String)")).isEqualTo("\\N");
        assertThat(CdcChecksum.canonical("", "varchar", "Nullable(String)")).isEqualTo("");
    }
}

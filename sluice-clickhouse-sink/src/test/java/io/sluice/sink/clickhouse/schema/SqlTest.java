package io.sluice.sink.clickhouse.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlTest {

    @Test
    void unquoteStringReadsOneLiteralAndNothingElse() {
        for (String v : new String[] {"", "readings", "a.b-c", "it's", "back\\slash", "ünï"}) {
            assertThat(Sql.unquoteString(Sql.quoteString(v))).isEqualTo(v);
        }
        assertThat(Sql.unquoteString("concat('a', 'b')")).isNull();
        assertThat(Sql.unquoteString("'a' || 'b'")).isNull();
        assertThat(Sql.unquoteString("'a', 'b'")).isNull();
        assertThat(Sql.unquoteString("42")).isNull();
        assertThat(Sql.unquoteString("'")).isNull();
        assertThat(Sql.unquoteString("'a\\'")).isNull();
    }
}

package io.sluice.sink.clickhouse.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class BinlogOriginTest {

    @Test
    void readsServerIdAndGtidDomainOfMariaDbAndMySql() {
        Struct s = Envelopes.source("mariadb-bin.000004", 100, 0, false);
        assertThat(BinlogOrigin.of(s)).hasToString("server_id=1");
        assertThat(BinlogOrigin.of(s.put("gtid", "0-1-42"))).hasToString("server_id=1, gtid domain=0");
        assertThat(BinlogOrigin.of(s.put("gtid", "7-1-42"))).hasToString("server_id=1, gtid domain=7");
        assertThat(BinlogOrigin.of(s.put("gtid", "3E11FA47-71CA-11E1-9E33-C80AA9429562:23")))
                .hasToString("server_id=1, gtid domain=3e11fa47-71ca-11e1-9e33-c80aa9429562");
        assertThat(BinlogOrigin.of(Envelopes.source("mariadb-bin.000004", 100, 0, true)))
                .as("snapshot reads name no server").isNull();
    }

    @Test
    void parsesWhatItWritesAndComparesDomainsOnlyWhereBothKnowOne() {
        BinlogOrigin a = new BinlogOrigin(1, "0");
        assertThat(BinlogOrigin.parse(a.toString())).isEqualTo(a);
        assertThat(BinlogOrigin.parse("server_id=1")).isEqualTo(new BinlogOrigin(1, null));
        assertThat(BinlogOrigin.parse("something else")).isNull();
        assertThat(BinlogOrigin.parse("server_id=x")).isNull();
        assertThat(a.sameAs(new BinlogOrigin(1, "0"))).isTrue();
        assertThat(a.sameAs(new BinlogOrigin(1, null))).isTrue();
        assertThat(a.sameAs(new BinlogOrigin(2, "0"))).as("a promoted replica").isFalse();
        assertThat(a.sameAs(new BinlogOrigin(1, "1"))).as("another GTID domain").isFalse();
    }
}

package io.sluice.sink.clickhouse.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinlogVersionTest {

    @Test
    void ordersByFileThenPositionThenRowAndPutsSnapshotReadsFirst() {
        // In binlog order: a snapshot read at the snapshot position, then rows of events after it, across files.
        List<Long> inOrder = new ArrayList<>();
        inOrder.add(BinlogVersion.of("mariadb-bin.000007", 1200, 0, true));
        inOrder.add(BinlogVersion.of("mariadb-bin.000007", 1200, 0, false));
        inOrder.add(BinlogVersion.of("mariadb-bin.000007", 1350, 0, false));
        inOrder.add(BinlogVersion.of("mariadb-bin.000007", 1350, 1, false)); // second row of the same event
        inOrder.add(BinlogVersion.of("mariadb-bin.000007", 1350, 2, false));
        inOrder.add(BinlogVersion.of("mariadb-bin.000007", 4_294_967_000L, 0, false));
        inOrder.add(BinlogVersion.of("mariadb-bin.000008", 4, 0, false));
        inOrder.add(BinlogVersion.of("mariadb-bin.1073741823", 4, 0, false));
        for (int i = 1; i < inOrder.size(); i++) {
            assertThat(inOrder.get(i)).as("entry %d", i).isGreaterThan(inOrder.get(i - 1));
        }
        assertThat(inOrder).allMatch(v -> v >= 0);
    }

    @Test
    void aReplayedEventGetsTheSameVersion() {
        assertThat(BinlogVersion.of("mysql-bin.000003", 197, 4, false))
                .isEqualTo(BinlogVersion.of("mysql-bin.000003", 197, 4, false));
    }

    @Test
    void packsTheDocumentedBits() {
        long v = BinlogVersion.of("mysql-bin.000003", 197, 4, false);
        assertThat(v).isEqualTo((3L << 33) | (201L << 1) | 1);
        assertThat(BinlogVersion.describe(v)).isEqualTo("3:201");
        assertThat(BinlogVersion.describe(BinlogVersion.of("x.000003", 197, 0, true))).isEqualTo("3:197:snapshot");
        assertThat(BinlogVersion.of("mysql-bin.1073741823", BinlogVersion.MAX_POSITION, 0, false))
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void refusesCoordinatesThatDoNotFit() {
        assertThatThrownBy(() -> BinlogVersion.of("mysql-bin", 4, 0, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not end in .<number>");
        assertThatThrownBy(() -> BinlogVersion.of(null, 4, 0, false)).hasMessageContaining("source.file");
        assertThatThrownBy(() -> BinlogVersion.of("mysql-bin.1073741824", 4, 0, false))
                .hasMessageContaining("exceeds");
        assertThatThrownBy(() -> BinlogVersion.of("mysql-bin.000001", BinlogVersion.MAX_POSITION, 1, false))
                .hasMessageContaining("does not fit 32 bits");
    }
}

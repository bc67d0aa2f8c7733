package io.sluice.sink.clickhouse.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClickHouseExceptionTest {

    @Test
    void anExpiredZooKeeperSessionIsRetriedAndItsInsertCheckedForLandedRows() {
        // 18.16 answered this while ZooKeeper restarted (ReplicatedClickHouseIT); it failed the task before
        ClickHouseException e = ClickHouseException.fromServer(500, 225,
                "Code: 225, e.displayText() = DB::Exception: ZooKeeper session has been expired.");
        assertThat(e.retriable()).isTrue();
        assertThat(e.ambiguous()).isTrue();
    }

    @Test
    void aReadOnlyTableIsRetriedWithAKnownOutcome() {
        ClickHouseException e = ClickHouseException.fromServer(500, 242, "Table is in readonly mode");
        assertThat(e.retriable()).isTrue();
        assertThat(e.ambiguous()).isFalse();
    }

    @Test
    void aSyntaxErrorIsNotRetried() {
        assertThat(ClickHouseException.fromServer(400, 62, "Syntax error").retriable()).isFalse();
    }
}

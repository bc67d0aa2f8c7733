package io.sluice.sink.clickhouse.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An instance of WrittenOffsets as a cursor over one partition's written offsets. */
class WrittenOffsetsCursorTest {

    /** A table's written offsets, read as the sink reads them: at or after {@code from}, at most {@code limit}. */
    private static final class Table implements WrittenOffsets.Reader {
        final long[] offsets;
        final List<long[]> reads = new ArrayList<>();

        Table(long... offsets) {
            this.offsets = offsets;
        }

        @Override
        public long[] read(long from, int limit) {
            long[] out = Arrays.stream(offsets).filter(o -> o >= from).limit(limit).toArray();
            reads.add(new long[] {from, out.length});
            return out;
        }
    }

    @Test
    void answersMembershipWalkingForward() throws Exception {
        WrittenOffsets l = WrittenOffsets.open(new Table(3, 4, 9), 2, 100);
        assertThat(l.contains(2)).isFalse();
        assertThat(l.contains(3)).isTrue();
        assertThat(l.contains(4)).isTrue();
        assertThat(l.contains(5)).isFalse();
        assertThat(l.exhausted()).isFalse();
        assertThat(l.contains(9)).isTrue();
        assertThat(l.contains(10)).isFalse();
        assertThat(l.exhausted()).isTrue();
    }

    @Test
    void readsInBoundedWindowsOnlyAsFarAsRecordsGo() throws Exception {
        long[] written = new long[1000];
        for (int i = 0; i < written.length; i++) {
            written[i] = 2L * i; // every even offset 0..1998
        }
        Table t = new Table(written);
        WrittenOffsets l = WrittenOffsets.open(t, 0, 100);
        for (long o = 0; o < 500; o++) {
            assertThat(l.contains(o)).as("offset %d", o).isEqualTo(o % 2 == 0);
        }
        // 250 written offsets below 500: three windows of 100, never the whole table.
        assertThat(t.reads).hasSize(3).allSatisfy(r -> assertThat(r[1]).isLessThanOrEqualTo(100));
        assertThat(l.exhausted()).isFalse();
        // A jump ahead reads from the record's offset, not from the end of the last window.
        assertThat(l.contains(1990)).isTrue();
        assertThat(t.reads.get(t.reads.size() - 1)[0]).isEqualTo(1990);
        assertThat(l.contains(1998)).isTrue();
        assertThat(l.contains(1999)).isFalse();
        assertThat(l.exhausted()).isTrue();
    }

    @Test
    void nothingWrittenGivesNoLedger() throws Exception {
        assertThat(WrittenOffsets.open(new Table(1, 2), 5, 10)).isNull();
    }
}

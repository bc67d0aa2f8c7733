package io.sluice.sink.clickhouse.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.data.ClickHouseCityHash;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

/**
 * The block layout of {@link ClickHouseLz4}, read back the way ClickHouse's {@code CompressedReadBuffer} reads it:
 * checksum over header and data, method byte, sizes, LZ4 block. That 18.16 accepts the blocks is Lz4BodiesIT.
 */
class ClickHouseLz4Test {

    @Test
    void bodyOfSeveralBlocksReadsBack() {
        byte[] body = rowLikeBytes(2 * ClickHouseLz4.BLOCK_SIZE + 12_345);
        assertThat(readBack(ClickHouseLz4.compress(body, body.length), 3)).isEqualTo(body);
    }

    @Test
    void onlyTheGivenLengthIsCompressed() {
        byte[] body = rowLikeBytes(5_000);
        byte[] prefix = Arrays.copyOf(body, 4_321);
        assertThat(readBack(ClickHouseLz4.compress(body, 4_321), 1)).isEqualTo(prefix);
    }

    @Test
    void incompressibleBytesStillFrame() {
        byte[] body = new byte[ClickHouseLz4.BLOCK_SIZE + 1];
        new Random(3).nextBytes(body);
        assertThat(readBack(ClickHouseLz4.compress(body, body.length), 2)).isEqualTo(body);
    }

    @Test
    void emptyBodyHasNoBlocks() {
        assertThat(ClickHouseLz4.compress(new byte[0], 0).length()).isZero();
    }

    @Test
    void compressionNamesMatchTheOption() {
        assertThat(BodyCompression.of(" LZ4")).isEqualTo(BodyCompression.LZ4);
        assertThat(BodyCompression.GZIP.configName()).isEqualTo("gzip");
    }

    /** Parses blocks, checks each checksum and header, and returns the concatenated uncompressed bytes. */
    private static byte[] readBack(ClickHouseLz4.Framed framed, int expectedBlocks) {
        ByteBuffer in = ByteBuffer.wrap(framed.bytes(), 0, framed.length()).order(ByteOrder.LITTLE_ENDIAN);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int blocks = 0;
        while (in.hasRemaining()) {
            long low = in.getLong();
            long high = in.getLong();
            int header = in.position();
            assertThat(in.get()).as("method byte").isEqualTo((byte) 0x82);
            int compressedWithHeader = in.getInt();
            int uncompressed = in.getInt();
            assertThat(uncompressed).isBetween(1, ClickHouseLz4.BLOCK_SIZE);
            long[] hash = ClickHouseCityHash.cityHash128(framed.bytes(), header, compressedWithHeader);
            assertThat(new long[] {low, high}).as("CityHash128 of header and data, low word first").isEqualTo(hash);
            byte[] block = new byte[uncompressed];
            int read = LZ4Factory.safeInstance().fastDecompressor()
                    .decompress(framed.bytes(), header + 9, block, 0, uncompressed);
            assertThat(read).as("LZ4 block length").isEqualTo(compressedWithHeader - 9);
            out.writeBytes(block);
            in.position(header + compressedWithHeader);
            blocks++;
        }
        assertThat(blocks).isEqualTo(expectedBlocks);
        return out.toByteArray();
    }

    private static byte[] rowLikeBytes(int n) {
        byte[] b = new byte[n];
        Random r = new Random(9);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i % 40 < 8 ? r.nextInt(4) : i % 40);
        }
        return b;
    }
}

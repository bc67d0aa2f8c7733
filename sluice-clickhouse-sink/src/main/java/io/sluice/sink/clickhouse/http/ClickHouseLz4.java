package io.sluice.sink.clickhouse.http;

import com.clickhouse.data.ClickHouseCityHash;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

/**
 * ClickHouse's native compressed-block framing with LZ4, the body format that its HTTP interface reads with
 * {@code decompress=1} (ClickHouse source, {@code CompressedReadBuffer}; the same blocks as its native protocol).
 *
 * <p>A body is a sequence of blocks of at most {@link #BLOCK_SIZE} uncompressed bytes. Each block is:
 * <ol>
 *   <li>a 16-byte checksum: CityHash128 version 1.0.2 (the version ClickHouse froze; not today's CityHash) of
 *       everything after it in the block, written as its low then its high 64 bits, each little-endian;</li>
 *   <li>a 9-byte header: the method byte {@code 0x82} (LZ4), the compressed size including these 9 bytes and the
 *       uncompressed size, both UInt32 little-endian;</li>
 *   <li>the LZ4 block (raw block format, no frame).</li>
 * </ol>
 * CityHash comes from ClickHouse's own Java data library ({@code com.clickhouse:clickhouse-data}), the LZ4 block
 * from {@code lz4-java}'s fastest available compressor (JNI if it loads, else pure Java). Thread-safe.
 */
public final class ClickHouseLz4 {

    /** Uncompressed bytes per block: ClickHouse's own default ({@code max_compress_block_size}, 1 MiB). */
    public static final int BLOCK_SIZE = 1 << 20;

    private static final int CHECKSUM = 16;
    private static final int HEADER = 9;
    private static final byte METHOD_LZ4 = (byte) 0x82;
    private static final LZ4Compressor LZ4 = LZ4Factory.fastestInstance().fastCompressor();

    private ClickHouseLz4() {
    }

    /** A compressed body: {@code length} valid bytes at the start of {@code bytes}. */
    public static final class Framed {
        private final byte[] bytes;
        private final int length;

        Framed(byte[] bytes, int length) {
            this.bytes = bytes;
            this.length = length;
        }

        /** Returns the buffer; only the first {@link #length()} bytes are the body. */
        public byte[] bytes() {
            return bytes;
        }

        /** Returns the body's length in bytes. */
        public int length() {
            return length;
        }
    }

    /**
     * Compresses {@code body[0, length)} into ClickHouse's LZ4 blocks.
     *
     * @param body   the bytes to send
     * @param length number of valid bytes in {@code body}
     * @return the framed body (an empty body gives no blocks)
     */
    public static Framed compress(byte[] body, int length) {
        int blocks = (length + BLOCK_SIZE - 1) / BLOCK_SIZE;
        int bound = blocks * (CHECKSUM + HEADER) + (blocks == 0 ? 0
                : (blocks - 1) * LZ4.maxCompressedLength(BLOCK_SIZE)
                + LZ4.maxCompressedLength(length - (blocks - 1) * BLOCK_SIZE));
        byte[] out = new byte[bound];
        int pos = 0;
        for (int from = 0; from < length; from += BLOCK_SIZE) {
            int n = Math.min(BLOCK_SIZE, length - from);
            int data = pos + CHECKSUM + HEADER;
            int compressed = LZ4.compress(body, from, n, out, data, out.length - data);
            int header = pos + CHECKSUM;
            out[header] = METHOD_LZ4;
            putIntLe(out, header + 1, HEADER + compressed);
            putIntLe(out, header + 5, n);
            long[] hash = ClickHouseCityHash.cityHash128(out, header, HEADER + compressed);
            putLongLe(out, pos, hash[0]);
            putLongLe(out, pos + 8, hash[1]);
            pos = data + compressed;
        }
        return new Framed(out, pos);
    }

    private static void putIntLe(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    private static void putLongLe(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}

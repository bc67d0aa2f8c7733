package io.sluice.sink.clickhouse.encode.rowbinary;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable little-endian byte buffer with the primitives of ClickHouse's RowBinary format (ClickHouse docs,
 * "Formats for Input and Output Data", RowBinary): fixed-width little-endian integers and IEEE 754 floats, and
 * LEB128 lengths before strings, arrays and maps.
 *
 * <p>Not thread-safe. Reused across batches with {@link #reset()}, so steady-state encoding allocates nothing.
 */
public final class RowBinaryBuffer {

    // One store per fixed-width value rather than a store per byte.
    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] buf;
    private int size;

    /** @param initialCapacity initial capacity in bytes */
    public RowBinaryBuffer(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    /** Returns the number of bytes written. */
    public int size() {
        return size;
    }

    /** Returns the backing array; bytes {@code [0, size())} are valid. */
    public byte[] array() {
        return buf;
    }

    /** Forgets all bytes, keeping the capacity. */
    public void reset() {
        size = 0;
    }

    /** Truncates to {@code newSize} bytes, undoing a partly written row. */
    public void truncate(int newSize) {
        if (newSize < 0 || newSize > size) {
            throw new IllegalArgumentException("cannot truncate " + size + " bytes to " + newSize);
        }
        size = newSize;
    }

    /** Copies bytes {@code [from, to)} of another buffer to the end of this one. */
    public void append(RowBinaryBuffer other, int from, int to) {
        int n = to - from;
        ensure(n);
        System.arraycopy(other.buf, from, buf, size, n);
        size += n;
    }

    /** Writes bytes {@code [0, size())} to a stream. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, size);
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            long want = Math.max((long) buf.length * 2, (long) size + extra);
            if (want > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("RowBinary buffer would exceed 2 GiB; lower batch.max.bytes");
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }

    /** Writes one byte. */
    public void writeByte(int v) {
        ensure(1);
        buf[size++] = (byte) v;
    }

    /** Writes a 16-bit little-endian integer. */
    public void writeShort(int v) {
        ensure(2);
        SHORTS.set(buf, size, (short) v);
        size += 2;
    }

    /** Writes a 32-bit little-endian integer. */
    public void writeInt(int v) {
        ensure(4);
        INTS.set(buf, size, v);
        size += 4;
    }

    /** Writes a 64-bit little-endian integer. */
    public void writeLong(long v) {
        ensure(8);
        LONGS.set(buf, size, v);
        size += 8;
    }

    /** Writes an IEEE 754 single, little-endian. */
    public void writeFloat(float v) {
        writeInt(Float.floatToRawIntBits(v));
    }

    /** Writes an IEEE 754 double, little-endian. */
    public void writeDouble(double v) {
        writeLong(Double.doubleToRawLongBits(v));
    }

    /** Writes an unsigned LEB128 integer, used for lengths. */
    public void writeVarUInt(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    /** Writes raw bytes. */
    public void writeBytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    /** Writes {@code n} zero bytes. */
    public void writeZeros(int n) {
        ensure(n);
        Arrays.fill(buf, size, size + n, (byte) 0);
        size += n;
    }

    /** Writes a String: LEB128 length in bytes, then the UTF-8 bytes. */
    public void writeString(String s) {
        // Fast path for ASCII, the common case for keys and identifiers; no intermediate byte[].
        int n = s.length();
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            writeVarUInt(n);
            ensure(n);
            for (int i = 0; i < n; i++) {
                buf[size++] = (byte) s.charAt(i);
            }
        } else {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            writeVarUInt(b.length);
            writeBytes(b, 0, b.length);
        }
    }

    /**
     * Writes chars as a String: LEB128 length, then UTF-8, byte for byte what {@link #writeString(String)} writes for
     * {@code new String(chars, off, len)} (unpaired surrogates become '?', as {@code String.getBytes(UTF_8)} does).
     */
    public void writeString(char[] chars, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (chars[i] >= 0x80) {
                writeString(new String(chars, off, len));
                return;
            }
        }
        writeVarUInt(len);
        ensure(len);
        for (int i = off; i < off + len; i++) {
            buf[size++] = (byte) chars[i];
        }
    }

    /**
     * Writes a two's complement integer of {@code width} bytes, little-endian, sign-extended.
     *
     * @throws ArithmeticException if the value does not fit
     */
    public void writeBigInteger(java.math.BigInteger v, int width) {
        byte[] be = v.toByteArray(); // big-endian, minimal two's complement
        if (be.length > width) {
            throw new ArithmeticException("value " + v + " does not fit in " + (width * 8) + " bits");
        }
        ensure(width);
        byte pad = (byte) (v.signum() < 0 ? 0xFF : 0);
        for (int i = 0; i < width; i++) {
            buf[size++] = i < be.length ? be[be.length - 1 - i] : pad;
        }
    }
}

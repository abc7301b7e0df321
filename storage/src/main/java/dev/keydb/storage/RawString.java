package dev.keydb.storage;

import java.util.Arrays;

/**
 * A string value that has been modified in place (APPEND, SETRANGE, SETBIT): bytes with spare
 * capacity, grown like Redis's sds so repeated appends are amortised O(1). OBJECT ENCODING
 * calls it "raw", as Redis does for any string it modified.
 */
public final class RawString extends AccountedValue {
    /** Redis's SDS_MAX_PREALLOC: above 1 MB grow by 1 MB instead of doubling. */
    private static final int MAX_PREALLOC = 1024 * 1024;

    private byte[] buf;
    private int len;

    public RawString(byte[] initial) {
        this.buf = initial;
        this.len = initial.length;
    }

    public int length() {
        return len;
    }

    /** Backing array; only the first {@link #length()} bytes are the value. */
    public byte[] array() {
        return buf;
    }

    public byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }

    public byte byteAt(int i) {
        return buf[i];
    }

    public void append(byte[] data) {
        ensureLength(len + data.length);
        System.arraycopy(data, 0, buf, len - data.length, data.length);
    }

    /** Writes {@code data} at {@code offset}, zero-padding the gap (SETRANGE). */
    public void setRange(int offset, byte[] data) {
        if (offset + data.length > len) {
            ensureLength(offset + data.length);
        }
        System.arraycopy(data, 0, buf, offset, data.length);
    }

    public void setByte(int i, byte b) {
        if (i >= len) {
            ensureLength(i + 1);
        }
        buf[i] = b;
    }

    /** Extends the value to {@code newLen} bytes, new bytes zero. */
    public void ensureLength(int newLen) {
        if (newLen <= len) {
            return;
        }
        if (newLen > buf.length) {
            int cap = newLen < MAX_PREALLOC ? newLen * 2 : newLen + MAX_PREALLOC;
            buf = Arrays.copyOf(buf, cap);
        }
        Arrays.fill(buf, len, newLen, (byte) 0);
        len = newLen;
    }

    /** Shortens the value to {@code newLen} bytes (capacity is kept). */
    public void truncate(int newLen) {
        if (newLen < len) {
            len = newLen;
        }
    }

    /** Replaces the whole value by {@code value}, which this string then owns. */
    public void replace(byte[] value) {
        buf = value;
        len = value.length;
    }

    /** An independent copy of the value (COPY); spare capacity is not carried over. */
    public RawString copy() {
        return new RawString(toBytes());
    }

    /** Bytes held beyond the value (for memory accounting). */
    public int spare() {
        return buf.length - len;
    }
}

package dev.keydb.storage.types;

import java.util.Arrays;

/**
 * One node of a {@link ListValue}: a run of elements packed into one {@code byte[]}, laid out
 * like a Redis listpack so that it can be walked in both directions without any per-element
 * object. Each entry is
 * <pre>
 *   [length as LEB128 varint] [bytes] [the same varint, byte order reversed]
 * </pre>
 * so an element of fewer than 128 bytes costs its length plus two bytes. The live entries
 * occupy {@code buf[start, end)}; free space may sit on both sides, so pushing at either end
 * is amortised O(1). Middle insertions and deletions shift the shorter side of the node.
 */
final class ListNode {
    /** Slack added when a node's buffer has to grow: half the used size, within these bounds. */
    private static final int MIN_SLACK = 16;
    private static final int MAX_SLACK = 2048;

    byte[] buf;
    int start;
    int end;
    int count;

    /** An empty node whose free space lies in front ({@code atEnd}) or behind the data. */
    ListNode(int capacity, boolean freeInFront) {
        buf = new byte[capacity];
        start = end = freeInFront ? capacity : 0;
    }

    /** A node over exactly these packed entries. */
    ListNode(byte[] packed, int count) {
        this.buf = packed;
        this.start = 0;
        this.end = packed.length;
        this.count = count;
    }

    int bytes() {
        return end - start;
    }

    // ---- entry encoding -------------------------------------------------------------------

    static int varLen(int n) {
        return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
    }

    /** Bytes an entry of an element of {@code len} bytes occupies. */
    static int entrySize(int len) {
        return len + 2 * varLen(len);
    }

    /** Length of the element whose entry starts at {@code p}. */
    int lenAt(int p) {
        int x = buf[p];
        if (x >= 0) {
            return x;
        }
        int v = x & 0x7f;
        int shift = 7;
        while (true) {
            x = buf[++p];
            v |= (x & 0x7f) << shift;
            if (x >= 0) {
                return v;
            }
            shift += 7;
        }
    }

    /** Length of the element whose entry ends just before {@code p}. */
    int lenBefore(int p) {
        int x = buf[--p];
        if (x >= 0) {
            return x;
        }
        int v = x & 0x7f;
        int shift = 7;
        while (true) {
            x = buf[--p];
            v |= (x & 0x7f) << shift;
            if (x >= 0) {
                return v;
            }
            shift += 7;
        }
    }

    /** Offset of the element bytes of the entry at {@code p} whose length is {@code len}. */
    static int dataAt(int p, int len) {
        return p + varLen(len);
    }

    int next(int p) {
        return p + entrySize(lenAt(p));
    }

    int prev(int p) {
        return p - entrySize(lenBefore(p));
    }

    /** Whether the entry at {@code p} holds exactly {@code v}. */
    boolean equalsAt(int p, byte[] v) {
        int len = lenAt(p);
        if (len != v.length) {
            return false;
        }
        int d = dataAt(p, len);
        return Arrays.equals(buf, d, d + len, v, 0, len);
    }

    byte[] copyAt(int p) {
        int len = lenAt(p);
        int d = dataAt(p, len);
        return Arrays.copyOfRange(buf, d, d + len);
    }

    /** Writes the entry for {@code v[off, off+len)} at {@code p} (space already reserved). */
    static void write(byte[] b, int p, byte[] v, int off, int len) {
        int h = varLen(len);
        int n = len;
        for (int i = 0; i < h; i++) {
            b[p + i] = (byte) ((n & 0x7f) | (i < h - 1 ? 0x80 : 0));
            n >>>= 7;
        }
        int q = p + h;
        System.arraycopy(v, off, b, q, len);
        q += len;
        n = len;
        for (int i = 0; i < h; i++) {
            b[q + h - 1 - i] = (byte) ((n & 0x7f) | (i < h - 1 ? 0x80 : 0));
            n >>>= 7;
        }
    }

    // ---- mutation -------------------------------------------------------------------------

    /** Inserts an element so that its entry starts at {@code p}; returns where it was placed. */
    int insert(int p, byte[] v, int off, int len) {
        int es = entrySize(len);
        int at = splice(p, 0, es);
        write(buf, at, v, off, len);
        count++;
        return at;
    }

    /** Removes the entry at {@code p}; returns the position of the entry that followed it. */
    int delete(int p) {
        count--;
        return splice(p, entrySize(lenAt(p)), 0);
    }

    /** Replaces the element at {@code p} with {@code v}. */
    void replace(int p, byte[] v) {
        int at = splice(p, entrySize(lenAt(p)), entrySize(v.length));
        write(buf, at, v, 0, v.length);
    }

    /** Drops the bytes {@code [from, to)} which hold {@code entries} whole entries. */
    void deleteRange(int from, int to, int entries) {
        count -= entries;
        splice(from, to - from, 0);
    }

    /**
     * Replaces {@code buf[p, p+oldLen)} with a gap of {@code newLen} bytes and returns where the
     * gap now starts (for a pure deletion: where the following entry now starts). Moves the
     * shorter side of the node when the free space allows, otherwise reallocates.
     */
    int splice(int p, int oldLen, int newLen) {
        int delta = newLen - oldLen;
        int front = p - start;
        int back = end - p - oldLen;
        if (delta == 0) {
            return p;
        }
        if (delta < 0) {
            int d = -delta;
            int used = end - start - d;
            if (buf.length > 64 && used * 4 < buf.length) {
                return rebuild(p, oldLen, newLen);
            }
            if (front < back) {
                System.arraycopy(buf, start, buf, start + d, front);
                start += d;
                return p + d;
            }
            System.arraycopy(buf, p + oldLen, buf, p + newLen, back);
            end -= d;
            return p;
        }
        int frontRoom = start;
        int backRoom = buf.length - end;
        boolean backCheaper = back <= front;
        if (backCheaper ? backRoom >= delta : frontRoom < delta && backRoom >= delta && back <= 2 * front + 64) {
            System.arraycopy(buf, p + oldLen, buf, p + newLen, back);
            end += delta;
            return p;
        }
        if (frontRoom >= delta && (!backCheaper || front <= 2 * back + 64)) {
            System.arraycopy(buf, start, buf, start - delta, front);
            start -= delta;
            return p - delta;
        }
        return rebuild(p, oldLen, newLen);
    }

    /** {@link #splice} into a fresh buffer sized for the result plus slack. */
    private int rebuild(int p, int oldLen, int newLen) {
        int front = p - start;
        int back = end - p - oldLen;
        int used = front + newLen + back;
        int slack = Math.max(MIN_SLACK, Math.min(MAX_SLACK, used >> 1));
        int frontSlack;
        if (front == 0 && oldLen == 0) {
            frontSlack = slack - slack / 4;   // growing at the head
        } else if (back == 0 && oldLen == 0) {
            frontSlack = slack / 4;           // growing at the tail
        } else {
            frontSlack = slack / 2;
        }
        byte[] nb = new byte[used + slack];
        System.arraycopy(buf, start, nb, frontSlack, front);
        int gap = frontSlack + front;
        System.arraycopy(buf, p + oldLen, nb, gap + newLen, back);
        buf = nb;
        start = frontSlack;
        end = frontSlack + used;
        return gap;
    }

    /** Drops the free space around the data (for nodes that stopped growing). */
    void seal() {
        if (buf.length != end - start) {
            buf = Arrays.copyOfRange(buf, start, end);
            end -= start;
            start = 0;
        }
    }

    /** Appends every entry of {@code other} after this node's entries. */
    void appendAll(ListNode other) {
        int n = other.bytes();
        int at = splice(end, 0, n);
        System.arraycopy(other.buf, other.start, buf, at, n);
        count += other.count;
    }

    /**
     * Splits off the entries from byte position {@code p} (an entry boundary strictly inside the
     * node) into a new node holding {@code moved} entries, which is returned.
     */
    ListNode splitAt(int p, int moved) {
        ListNode tail = new ListNode(Arrays.copyOfRange(buf, p, end), moved);
        end = p;
        count -= moved;
        seal();
        return tail;
    }

    ListNode copy() {
        return new ListNode(Arrays.copyOfRange(buf, start, end), count);
    }
}
